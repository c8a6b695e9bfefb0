import { create } from 'zustand';
import type { PeopleFlow, SpaceHeat, StatsExport, TimeHeat, TreeNode } from '../../../preload/contract';
import { platformToday, type StatsPeriod } from '../../../common/stats-periods';
import { invoke, type VigilError } from '../../ipc';

/** One part of the page: what it shows, whether it is loading, and why it failed. */
export interface Part<T> {
  data: T | null;
  loading: boolean;
  error: VigilError | null;
}
const idle = <T>(): Part<T> => ({ data: null, loading: false, error: null });

export interface StatisticsState {
  accountId: string | null;
  /** The account's cameras (channels of its tree), for the picker. */
  cameras: TreeNode[];
  camerasError: VigilError | null;
  channelId: string | null;
  period: StatsPeriod;
  /** A day of the period (`YYYY-MM-DD`, platform calendar). */
  date: string;
  heatSpan: 'week' | 'month';
  flow: Part<PeopleFlow>;
  timeHeat: Part<TimeHeat>;
  space: Part<SpaceHeat>;
  /** The camera's current picture under the space heat map (a data: URL), or why there is none. */
  picture: Part<string>;
  exporting: 'csv' | 'xlsx' | null;
  exportError: VigilError | null;
  selectAccount(accountId: string): Promise<void>;
  selectCamera(channelId: string): void;
  setPeriod(period: StatsPeriod): void;
  setDate(date: string): void;
  setHeatSpan(span: 'week' | 'month'): void;
  loadFlow(): Promise<void>;
  loadTimeHeat(): Promise<void>;
  loadSpace(): Promise<void>;
  /** Takes a new picture of the camera (the platform allows one per channel per 10 s). */
  loadPicture(): Promise<void>;
  /** The people-flow table as a file; the page saves it. Null when it failed (`exportError` says why). */
  exportFlow(
    format: 'csv' | 'xlsx',
    cameraName: string,
    columns: { time: string; in: string; out: string },
  ): Promise<StatsExport | null>;
}

/**
 * The statistics page: an account's cameras, the chosen camera, period and day, and the three
 * readings main makes of them (people flow, time heat map, space heat map) with the camera's
 * picture. Each reading keeps its own loading and error state; an answer that arrives after the
 * choice changed is dropped, so a slow month never overwrites the day asked after it.
 */
export const useStatisticsStore = create<StatisticsState>()((set, get) => {
  // Which question each part last asked: a reply to an older one is stale.
  const asked = { flow: 0, timeHeat: 0, space: 0, picture: 0 };
  const where = () => {
    const { accountId, channelId } = get();
    return accountId && channelId ? { accountId, channelId } : null;
  };
  async function load<K extends 'flow' | 'timeHeat' | 'space' | 'picture', T>(
    key: K,
    ask: (camera: { accountId: string; channelId: string }) => Promise<T>,
  ) {
    const camera = where();
    if (!camera) return;
    const ticket = ++asked[key];
    set({ [key]: { data: get()[key].data, loading: true, error: null } } as never);
    try {
      const data = await ask(camera);
      if (ticket === asked[key]) set({ [key]: { data, loading: false, error: null } } as never);
    } catch (e) {
      if (ticket === asked[key]) set({ [key]: { data: null, loading: false, error: e as VigilError } } as never);
    }
  }
  const clearReadings = () => {
    for (const k of Object.keys(asked) as Array<keyof typeof asked>) asked[k]++;
    set({ flow: idle(), timeHeat: idle(), space: idle(), picture: idle(), exportError: null });
  };

  return {
    accountId: null,
    cameras: [],
    camerasError: null,
    channelId: null,
    period: 'day',
    date: platformToday(Date.now()),
    heatSpan: 'week',
    flow: idle(),
    timeHeat: idle(),
    space: idle(),
    picture: idle(),
    exporting: null,
    exportError: null,
    async selectAccount(accountId) {
      clearReadings();
      set({ accountId, channelId: null, cameras: [], camerasError: null });
      try {
        const tree = await invoke('tree:load', { accountId });
        if (get().accountId !== accountId) return;
        set({ cameras: tree.nodes.filter((n) => n.kind === 'channel') });
      } catch (e) {
        if (get().accountId === accountId) set({ camerasError: e as VigilError });
      }
    },
    selectCamera(channelId) {
      clearReadings();
      set({ channelId });
    },
    setPeriod(period) {
      set({ period });
    },
    setDate(date) {
      set({ date });
    },
    setHeatSpan(heatSpan) {
      set({ heatSpan });
    },
    loadFlow: () =>
      load('flow', (c) => invoke('statistics:peopleFlow', { ...c, period: get().period, date: get().date })),
    loadTimeHeat: () =>
      load('timeHeat', (c) => invoke('statistics:timeHeat', { ...c, span: get().heatSpan, date: get().date })),
    loadSpace: () =>
      load('space', (c) => invoke('statistics:spaceHeat', { ...c, period: get().period, date: get().date })),
    loadPicture: () => load('picture', async (c) => (await invoke('live:snapshot', c)).picture),
    async exportFlow(format, cameraName, columns) {
      const camera = where();
      if (!camera) return null;
      set({ exporting: format, exportError: null });
      try {
        return await invoke('statistics:export', {
          ...camera,
          period: get().period,
          date: get().date,
          format,
          cameraName,
          columns,
        });
      } catch (e) {
        set({ exportError: e as VigilError });
        return null;
      } finally {
        set({ exporting: null });
      }
    },
  };
});
