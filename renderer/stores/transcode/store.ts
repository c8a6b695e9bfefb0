import { create } from 'zustand';
import type { RequestOf, TranscodeAnswer, TranscodeList } from '../../../preload/contract';
import type { PaneTranscoding } from '../../media/session/transcode';
import { invoke } from '../../ipc';

/**
 * Main's H.265 → H.264 transcodes (issue 24): the panes' requests, and the list with each one's
 * measured CPU, read every 2 s while any pane is transcoded (for the badges and the swap menu).
 */
export const requestTranscode = (req: RequestOf<'media:transcode'>): Promise<TranscodeAnswer> =>
  invoke('media:transcode', req);

interface TranscodeState {
  list: TranscodeList | null;
  /** Panes transcoded (or waiting for the budget) in this window: the list is polled while > 0. */
  users: number;
  refresh(): Promise<void>;
  use(): () => void;
  stop(id: string): Promise<void>;
}

let timer: ReturnType<typeof setInterval> | null = null;

export const useTranscodeStore = create<TranscodeState>((set, get) => ({
  list: null,
  users: 0,
  refresh: async () => {
    try {
      set({ list: await invoke('media:transcodes', {}) });
    } catch {
      /* main gone: the panes say so */
    }
  },
  use: () => {
    set((s) => ({ users: s.users + 1 }));
    if (!timer) timer = setInterval(() => void get().refresh(), 2000);
    void get().refresh();
    return () => {
      set((s) => ({ users: s.users - 1 }));
      if (get().users <= 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  },
  stop: async (id) => {
    await invoke('media:transcodeStop', { id }).catch(() => undefined);
    void get().refresh();
  },
}));

/** The transcode budget main applies now (cores), once read. */
export const selectBudgetCores = (s: TranscodeState): number | null => s.list?.budgetCores ?? null;

/** One transcode's measured CPU (% of one core), or null. */
export const selectTranscodeCpu =
  (id: string | null) =>
  (s: TranscodeState): number | null =>
    (id ? s.list?.transcodes.find((t) => t.id === id)?.cpuPct : null) ?? null;

/** The cores main charges a transcode now, or null. */
export const selectTranscodeCost =
  (id: string | null) =>
  (s: TranscodeState): number | null =>
    (id ? s.list?.transcodes.find((t) => t.id === id)?.costCores : null) ?? null;

/** Each transcode this window started keeps the list polled until it stops. */
const releases = new Map<string, () => void>();

/** What a pane's player is given to reach main's transcoder. */
export const paneTranscoding: PaneTranscoding = {
  request: async (req) => {
    const answer = await requestTranscode(req);
    if (answer.ok) releases.set(answer.id, useTranscodeStore.getState().use());
    return answer;
  },
  stop: (id) => {
    releases.get(id)?.();
    releases.delete(id);
    void useTranscodeStore.getState().stop(id);
  },
  room: async () => {
    const list = await invoke('media:transcodes', {});
    return list.budgetCores - list.usedCores;
  },
  cpu: (id) => selectTranscodeCpu(id)(useTranscodeStore.getState()),
  cost: (id) => selectTranscodeCost(id)(useTranscodeStore.getState()),
  budgetCores: () => useTranscodeStore.getState().list?.budgetCores ?? null,
};
