import type { ExportState } from './store';

/** The export jobs, the last failure and the actions (use with useShallow). */
export const selectExports = (s: ExportState) => ({
  jobs: s.jobs,
  error: s.error,
  start: s.start,
  cancel: s.cancel,
  load: s.load,
});
