import { create } from 'zustand';
import type { HealthSummary } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';

/**
 * The health dashboard: one account's devices and channels, online or not, as the platform last
 * answered. A refresh keeps the summary shown until the new one arrives; an answer for an account
 * no longer chosen is dropped.
 */
export interface HealthState {
  accountId: string | null;
  summary: HealthSummary | null;
  loading: boolean;
  error: VigilError | null;
  /** Chooses an account and reads its summary. */
  open(accountId: string): Promise<void>;
  refresh(): Promise<void>;
}

export const useHealthStore = create<HealthState>()((set, get) => ({
  accountId: null,
  summary: null,
  loading: false,
  error: null,
  async open(accountId) {
    if (get().accountId !== accountId) set({ accountId, summary: null, error: null });
    await get().refresh();
  },
  async refresh() {
    const accountId = get().accountId;
    if (!accountId) return;
    set({ loading: true, error: null });
    try {
      const summary = await invoke('health:summary', { accountId });
      if (get().accountId === accountId) set({ summary, loading: false });
    } catch (e) {
      if (get().accountId === accountId) set({ error: e as VigilError, loading: false });
    }
  },
}));
