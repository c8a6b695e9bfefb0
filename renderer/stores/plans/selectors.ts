import type { PlansState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The plans page: the channel shown, its plans and the last results. */
export const selectPlansPage = (s: PlansState) => ({
  accountId: s.accountId,
  channelId: s.channelId,
  dismiss: s.dismiss,
  error: s.error,
  load: s.load,
  loading: s.loading,
  plans: s.plans,
  results: s.results,
});

/** A schedule's editor. */
export const selectSchedule = (s: PlansState) => ({
  plans: s.plans,
  loading: s.loading,
  save: s.save,
  clear: s.clear,
});

/** The retention editor. */
export const selectRetention = (s: PlansState) => ({
  plans: s.plans,
  loading: s.loading,
  retention: s.retention,
});
