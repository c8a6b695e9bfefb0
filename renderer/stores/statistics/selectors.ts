import type { StatisticsState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The page's choices: account, camera, period and day. */
export const selectStatsChoice = (s: StatisticsState) => ({
  accountId: s.accountId,
  cameras: s.cameras,
  camerasError: s.camerasError,
  channelId: s.channelId,
  period: s.period,
  date: s.date,
  heatSpan: s.heatSpan,
});

/** The people-flow tab. */
export const selectFlow = (s: StatisticsState) => ({
  flow: s.flow,
  exporting: s.exporting,
  exportError: s.exportError,
});

/** The heat-map tabs. */
export const selectHeat = (s: StatisticsState) => ({
  timeHeat: s.timeHeat,
  space: s.space,
  picture: s.picture,
});
