import { channelOf, EMPTY_PAD, type ChannelKey, type PtzControlState } from './control';
import type { PtzEditorState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The PTZ editor's frame: the channel, the last failure. */
export const selectEditor = (s: PtzEditorState) => ({
  target: s.target,
  error: s.error,
  close: s.close,
  clearError: s.clearError,
});

/** The presets panel. */
export const selectPresetsPanel = (s: PtzEditorState) => ({
  presets: s.presets,
  cruise: s.cruise,
  busy: s.busy,
  addPreset: s.addPreset,
  renamePreset: s.renamePreset,
  removePreset: s.removePreset,
  goToPreset: s.goToPreset,
});

/** The cruise panel. */
export const selectCruisePanel = (s: PtzEditorState) => ({
  target: s.target,
  presets: s.presets,
  cruise: s.cruise,
  cruiseUnavailable: s.cruiseUnavailable,
  busy: s.busy,
  runTrack: s.runTrack,
  removeTrack: s.removeTrack,
  saveTrack: s.saveTrack,
  copyTrack: s.copyTrack,
});

/** The track editor. */
export const selectTrackEditor = (s: PtzEditorState) => ({
  presets: s.presets,
  cruise: s.cruise,
  busy: s.busy,
  testRun: s.testRun,
  saveTrack: s.saveTrack,
  startTestRun: s.startTestRun,
  stopTestRun: s.stopTestRun,
});

/** The pad's requests (stable: use with useShallow). */
export const selectPadActions = (s: PtzControlState) => ({
  move: s.move,
  release: s.release,
  loadPresets: s.loadPresets,
  savePreset: s.savePreset,
  goToPreset: s.goToPreset,
});

/** One camera as the pad shows it. */
export const selectPadChannel = (k: ChannelKey) => (s: PtzControlState) => s.channels[channelOf(k)] ?? EMPTY_PAD;
