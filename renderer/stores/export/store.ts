import { create } from 'zustand';
import type { ExportJob, RequestOf } from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';

/** Clip exports: the jobs main runs, kept current by its `main:export` events. */
export interface ExportState {
  jobs: ExportJob[];
  error: VigilError | null;
  start(req: RequestOf<'export:start'>): Promise<void>;
  cancel(id: string): Promise<void>;
  load(): Promise<void>;
}

export const useExportStore = create<ExportState>()((set, get) => ({
  jobs: [],
  error: null,
  async start(req) {
    try {
      const job = await invoke('export:start', req);
      set({ error: null, jobs: [...get().jobs.filter((j) => j.id !== job.id), job] });
    } catch (e) {
      set({ error: e as VigilError });
    }
  },
  async cancel(id) {
    await invoke('export:cancel', { id }).catch((e: VigilError) => set({ error: e }));
  },
  async load() {
    set({ jobs: (await invoke('export:list', {})).jobs });
  },
}));

/** Started once by the playback page: every window sees every job's progress. */
let listening = false;
export function listenToExports(): void {
  if (listening) return;
  listening = true;
  on('main:export', (job) => {
    const jobs = useExportStore.getState().jobs;
    useExportStore.setState({
      jobs: jobs.some((j) => j.id === job.id) ? jobs.map((j) => (j.id === job.id ? job : j)) : [...jobs, job],
    });
  });
}
