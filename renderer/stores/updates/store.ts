import { create } from 'zustand';
import type { UpdateStatus } from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';

/**
 * The update feed and what main's updater says about it: the Settings section's requests (read,
 * save the feed, check now) with their loading and error state, kept current by `main:updates`.
 */
export interface UpdatesState {
  status: UpdateStatus | null;
  /** A request to main is under way (read, save or check). */
  busy: 'load' | 'save' | 'check' | null;
  /** The last request's failure (a refused feed address carries `details.fields.feedUrl`). */
  error: VigilError | null;
  load(): Promise<void>;
  /** Saves the feed ('' removes it); false when main refused it (see `error`). */
  setFeed(feedUrl: string): Promise<boolean>;
  check(): Promise<void>;
  /** Follows main's status while the section is shown; returns the unsubscribe. */
  listen(): () => void;
}

export const useUpdatesStore = create<UpdatesState>()((set, get) => {
  const run = async (busy: NonNullable<UpdatesState['busy']>, call: () => Promise<UpdateStatus>) => {
    set({ busy, error: null });
    try {
      set({ status: await call(), busy: null });
      return true;
    } catch (e) {
      set({ error: e as VigilError, busy: null });
      return false;
    }
  };
  return {
    status: null,
    busy: null,
    error: null,
    load: async () => void (await run('load', () => invoke('updates:get', {}))),
    setFeed: (feedUrl) => {
      const trimmed = feedUrl.trim();
      return run('save', () => invoke('updates:set', { feedUrl: trimmed || null }));
    },
    check: async () => {
      if (get().busy === 'check') return;
      await run('check', () => invoke('updates:check', {}));
    },
    listen: () => on('main:updates', (status) => set({ status })),
  };
});
