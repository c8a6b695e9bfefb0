import { create } from 'zustand';
import type { EvidenceJob, RequestOf, ResponseOf } from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';

/** One thing to put into evidence: a camera, a time range and an optional note (a selection or a bookmark). */
export type EvidenceItem = RequestOf<'evidence:start'>['items'][number];
export type EvidenceKeyInfo = ResponseOf<'evidence:key'>;

/** Signed evidence exports main runs (kept current by `main:evidence`) and this installation's key. */
export interface EvidenceState {
  jobs: EvidenceJob[];
  error: VigilError | null;
  key: EvidenceKeyInfo | null;
  keyError: VigilError | null;
  /** Answers the job, or null when main refused (the reason is in `error`). */
  start(req: RequestOf<'evidence:start'>): Promise<EvidenceJob | null>;
  cancel(id: string): Promise<void>;
  load(): Promise<void>;
  loadKey(): Promise<void>;
  clearError(): void;
}

export const useEvidenceStore = create<EvidenceState>()((set, get) => ({
  jobs: [],
  error: null,
  key: null,
  keyError: null,
  async start(req) {
    try {
      const job = await invoke('evidence:start', req);
      set({ error: null, jobs: [...get().jobs.filter((j) => j.id !== job.id), job] });
      return job;
    } catch (e) {
      set({ error: e as VigilError });
      return null;
    }
  },
  async cancel(id) {
    await invoke('evidence:cancel', { id }).catch((e: VigilError) => set({ error: e }));
  },
  async load() {
    try {
      set({ jobs: (await invoke('evidence:list', {})).jobs });
    } catch (e) {
      set({ error: e as VigilError });
    }
  },
  async loadKey() {
    try {
      set({ key: await invoke('evidence:key', {}), keyError: null });
    } catch (e) {
      set({ keyError: e as VigilError });
    }
  },
  clearError() {
    set({ error: null });
  },
}));

/** Started by the first evidence view: every window sees every job's progress. */
let listening = false;
export function listenToEvidence(): void {
  if (listening) return;
  listening = true;
  on('main:evidence', (job) => {
    const jobs = useEvidenceStore.getState().jobs;
    useEvidenceStore.setState({
      jobs: jobs.some((j) => j.id === job.id) ? jobs.map((j) => (j.id === job.id ? job : j)) : [...jobs, job],
    });
  });
}

/** The fingerprint in groups of four, for reading aloud and comparing by eye. */
export const groupedFingerprint = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

/** The jobs, the last failure and the actions (use with useShallow). */
export const selectEvidence = (s: EvidenceState) => ({
  jobs: s.jobs,
  error: s.error,
  start: s.start,
  cancel: s.cancel,
  load: s.load,
  clearError: s.clearError,
});

export const selectEvidenceKey = (s: EvidenceState) => ({ key: s.key, keyError: s.keyError, loadKey: s.loadKey });
