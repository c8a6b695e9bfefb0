import { create } from 'zustand';
import type { MotionRegion, MotionSearchJob, MotionSearchUpdate, RequestOf } from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';

/**
 * Motion search: the regions being drawn on the selected playback pane, the sensitivity, and the
 * searches main runs (their progress and moments, kept current by `main:motion` events, which
 * carry only the moments found since the last one).
 */
export interface MotionState {
  /** True while the operator draws regions on the selected pane. */
  drawing: boolean;
  regions: MotionRegion[];
  sensitivity: number;
  jobs: MotionSearchJob[];
  /** The job whose moments the page shows (the newest started here, unless another is picked). */
  shown: string | null;
  error: VigilError | null;
  setDrawing(drawing: boolean): void;
  addRegion(region: MotionRegion): void;
  clearRegions(): void;
  setSensitivity(sensitivity: number): void;
  show(id: string | null): void;
  start(req: RequestOf<'motion:start'>): Promise<void>;
  cancel(id: string): Promise<void>;
  load(): Promise<void>;
}

export const MAX_REGIONS = 8;

export const useMotionStore = create<MotionState>()((set, get) => ({
  drawing: false,
  regions: [],
  sensitivity: 50,
  jobs: [],
  shown: null,
  error: null,
  setDrawing: (drawing) => set({ drawing }),
  addRegion: (region) => set((s) => ({ regions: [...s.regions, region].slice(-MAX_REGIONS) })),
  clearRegions: () => set({ regions: [] }),
  setSensitivity: (sensitivity) => set({ sensitivity }),
  show: (shown) => set({ shown }),
  async start(req) {
    try {
      const job = await invoke('motion:start', req);
      set((s) => ({ error: null, drawing: false, shown: job.id, jobs: upsert(s.jobs, job) }));
    } catch (e) {
      set({ error: e as VigilError });
    }
  },
  async cancel(id) {
    await invoke('motion:cancel', { id }).catch((e: VigilError) => set({ error: e }));
  },
  async load() {
    const { jobs } = await invoke('motion:list', {});
    set({ jobs, shown: get().shown ?? jobs.at(-1)?.id ?? null });
  },
}));

function upsert(jobs: MotionSearchJob[], job: MotionSearchJob): MotionSearchJob[] {
  return jobs.some((j) => j.id === job.id) ? jobs.map((j) => (j.id === job.id ? job : j)) : [...jobs, job];
}

/** An event applied to the list: the job's state replaced, its new moments appended. */
export function applyUpdate(jobs: MotionSearchJob[], u: MotionSearchUpdate): MotionSearchJob[] {
  const known = jobs.find((j) => j.id === u.job.id);
  const moments = [...(known?.moments ?? []), ...u.moments.filter((m) => !known?.moments.some((k) => k.id === m.id))];
  return upsert(jobs, { ...u.job, moments });
}

/** Started once by the playback page: every window sees every search. */
let listening = false;
export function listenToMotion(): void {
  if (listening) return;
  listening = true;
  on('main:motion', (u) => useMotionStore.setState((s) => ({ jobs: applyUpdate(s.jobs, u) })));
}
