import type { MotionState } from './store';

/** The motion panel: what it shows and what it does. */
export const selectMotionPanel = (s: MotionState) => ({
  drawing: s.drawing,
  regions: s.regions,
  sensitivity: s.sensitivity,
  jobs: s.jobs,
  shown: s.shown,
  error: s.error,
  setDrawing: s.setDrawing,
  clearRegions: s.clearRegions,
  setSensitivity: s.setSensitivity,
  show: s.show,
  start: s.start,
  cancel: s.cancel,
  load: s.load,
});

/** The job whose moments are listed and marked on the timeline. */
export const selectShownJob = (s: MotionState) => s.jobs.find((j) => j.id === s.shown) ?? null;
