import { create } from 'zustand';
import type { AlarmTrigger, ChannelOutcomes, ChannelPlans, PlanSection, TreeNode } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';

/**
 * The recording-plan editor: one channel's plans as the platform holds them; every save answers
 * per channel and is followed by a re-read, so the grid shows what the platform stored.
 */
export interface PlansState {
  /** the chosen account's channels to pick from (and to copy a plan to), empty until read */
  channels: TreeNode[];
  loadChannels(accountId: string): Promise<void>;
  accountId: string | null;
  channelId: string | null;
  plans: ChannelPlans | null;
  loading: boolean;
  error: VigilError | null;
  results: ChannelOutcomes['results'] | null;
  load(accountId: string, channelId: string): Promise<void>;
  save(
    kind: 'continuous' | 'motion',
    plan: { allDay: boolean; sections: PlanSection[]; alarms?: AlarmTrigger[] },
    alsoTo: string[],
  ): Promise<void>;
  clear(kind: 'continuous' | 'motion', alsoTo: string[]): Promise<void>;
  retention(days: { continuousDays?: number; motionDays?: number }, alsoTo: string[]): Promise<void>;
  dismiss(): void;
}

export const usePlansStore = create<PlansState>()((set, get) => {
  /** The account whose channels were asked last: an older answer is dropped. */
  let channelsFor: string | null = null;
  const run = async (work: (accountId: string, channelIds: string[]) => Promise<ChannelOutcomes>, alsoTo: string[]) => {
    const { accountId, channelId } = get();
    if (!accountId || !channelId) return;
    set({ loading: true, error: null, results: null });
    try {
      const { results } = await work(accountId, [channelId, ...alsoTo.filter((c) => c !== channelId)]);
      set({ results });
    } catch (e) {
      set({ error: e as VigilError });
    }
    await get().load(accountId, channelId);
  };
  return {
    channels: [],
    async loadChannels(accountId) {
      channelsFor = accountId;
      set({ channels: [] });
      const nodes = await invoke('tree:load', { accountId }).then(
        (r) => r.nodes,
        () => [], // no channels to pick: the page says so; the tree's own error shows on the wall
      );
      if (channelsFor === accountId) set({ channels: nodes.filter((n) => n.kind === 'channel') });
    },
    accountId: null,
    channelId: null,
    plans: null,
    loading: false,
    error: null,
    results: null,
    async load(accountId, channelId) {
      const keep = get().channelId === channelId ? {} : { results: null, error: null };
      set({ accountId, channelId, loading: true, ...keep, ...(get().channelId === channelId ? {} : { plans: null }) });
      try {
        const plans = await invoke('plans:get', { accountId, channelId });
        if (get().channelId === channelId) set({ plans, loading: false });
      } catch (e) {
        if (get().channelId === channelId) set({ error: e as VigilError, plans: null, loading: false });
      }
    },
    save: (kind, plan, alsoTo) =>
      run((accountId, channelIds) => invoke('plans:save', { accountId, channelIds, kind, ...plan }), alsoTo),
    clear: (kind, alsoTo) =>
      run((accountId, channelIds) => invoke('plans:clear', { accountId, channelIds, kind }), alsoTo),
    retention: (days, alsoTo) =>
      run((accountId, channelIds) => invoke('plans:retention', { accountId, channelIds, ...days }), alsoTo),
    dismiss: () => set({ results: null, error: null }),
  };
});
