import { create } from 'zustand';
import type { CruisePoint, CruiseState, ResponseOf } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';
import { only } from './control';

/**
 * The PTZ editor beside the wall: one channel's presets and cruise tracks. Every write answers
 * the platform's fresh state; a failed write re-reads, so the editor never shows what the
 * camera does not have. A test run steps through a track's points with preset go-to calls.
 */
export interface EditorTarget {
  accountId: string;
  channelId: string;
  name: string;
}

export interface TestRun {
  /** The track being tried (null: an unsaved draft). */
  trackId: number | null;
  point: number;
  /** When the current point's dwell ends (ms epoch), for the countdown. */
  until: number;
}

export interface PtzEditorState {
  target: EditorTarget | null;
  presets: ResponseOf<'presets:list'> | null;
  cruise: CruiseState | null;
  /** Why this platform has no cruise tracks (the feature is shown as unavailable). */
  cruiseUnavailable: string | null;
  busy: boolean;
  /** The last failure, shown verbatim (platform code and message included). */
  error: VigilError | null;
  testRun: TestRun | null;
  open(target: EditorTarget): void;
  close(): void;
  reload(): Promise<void>;
  clearError(): void;
  addPreset(name: string, index?: number): Promise<boolean>;
  renamePreset(index: number, name: string): Promise<boolean>;
  removePreset(index: number): Promise<boolean>;
  goToPreset(index: number): Promise<boolean>;
  /** Resolves with the saved id, or rejects with the error (field errors included) after a re-read. */
  saveTrack(track: { id?: number; name: string; points: CruisePoint[] }): Promise<number>;
  removeTrack(id: number): Promise<boolean>;
  runTrack(id: number, on: boolean): Promise<boolean>;
  copyTrack(id: number, toChannelId: string, skipMissing?: boolean): Promise<ResponseOf<'cruise:copy'> | null>;
  startTestRun(trackId: number | null, points: CruisePoint[], dwellSeconds: (p: CruisePoint) => number): void;
  stopTestRun(): void;
}

export const usePtzEditorStore = create<PtzEditorState>()((set, get) => {
  /** The test run's step to the next point. */
  let testTimer: ReturnType<typeof setTimeout> | null = null;
  const key = () => {
    const t = get().target;
    if (!t) throw new Error('No channel is open in the PTZ editor');
    return only(t);
  };
  /** Runs a write; on failure keeps the error and re-reads everything. */
  const write = async <T>(work: () => Promise<T>, apply: (result: T) => void): Promise<T | null> => {
    const target = get().target;
    set({ busy: true, error: null });
    try {
      const result = await work();
      if (get().target === target) apply(result);
      return result;
    } catch (e) {
      if (get().target === target) {
        set({ error: e as VigilError });
        await get().reload();
        set({ error: e as VigilError });
      }
      return null;
    } finally {
      if (get().target === target) set({ busy: false });
    }
  };

  return {
    target: null,
    presets: null,
    cruise: null,
    cruiseUnavailable: null,
    busy: false,
    error: null,
    testRun: null,
    open(target) {
      get().stopTestRun();
      set({ target, presets: null, cruise: null, cruiseUnavailable: null, error: null });
      void get().reload();
    },
    close() {
      get().stopTestRun();
      set({ target: null, presets: null, cruise: null, error: null });
    },
    clearError: () => set({ error: null }),
    async reload() {
      const target = get().target;
      if (!target) return;
      const k = key();
      const [presets, cruise] = await Promise.allSettled([invoke('presets:list', k), invoke('cruise:list', k)]);
      if (get().target !== target) return;
      if (presets.status === 'fulfilled') set({ presets: presets.value });
      else set({ error: presets.reason as VigilError });
      if (cruise.status === 'fulfilled') set({ cruise: cruise.value, cruiseUnavailable: null });
      else if ((cruise.reason as VigilError).code === 'NOT_AVAILABLE')
        set({ cruise: null, cruiseUnavailable: (cruise.reason as VigilError).message });
      else set({ error: cruise.reason as VigilError });
    },
    addPreset: async (name, index) =>
      (await write(
        () => invoke('presets:save', { ...key(), name, ...(index !== undefined ? { index } : {}) }),
        (presets) => set({ presets }),
      )) !== null,
    renamePreset: async (index, name) =>
      (await write(
        () => invoke('presets:rename', { ...key(), index, name }),
        (presets) => set({ presets }),
      )) !== null,
    removePreset: async (index) =>
      (await write(
        () => invoke('presets:remove', { ...key(), index }),
        (presets) => set({ presets }),
      )) !== null,
    goToPreset: async (index) =>
      (await write(
        () => invoke('presets:goto', { ...key(), index }).then(() => true),
        () => undefined,
      )) !== null,
    async saveTrack(track) {
      const target = get().target;
      set({ busy: true, error: null });
      try {
        const { id, state } = await invoke('cruise:save', { ...key(), ...track });
        if (get().target === target) set({ cruise: state });
        return id;
      } catch (e) {
        // Field errors stay with the editor's rows; the list is re-read either way.
        if (get().target === target) await get().reload();
        throw e;
      } finally {
        if (get().target === target) set({ busy: false });
      }
    },
    removeTrack: async (id) =>
      (await write(
        () => invoke('cruise:remove', { ...key(), id }),
        (cruise) => set({ cruise }),
      )) !== null,
    runTrack: async (id, on) =>
      (await write(
        () => invoke('cruise:run', { ...key(), id, on }),
        (cruise) => set({ cruise }),
      )) !== null,
    async copyTrack(id, toChannelId, skipMissing) {
      return write(
        () => invoke('cruise:copy', { ...key(), id, toChannelId, ...(skipMissing ? { skipMissing } : {}) }),
        () => undefined,
      );
    },
    startTestRun(trackId, points, dwellSeconds) {
      get().stopTestRun();
      const step = (i: number) => {
        if (i >= points.length || !get().target) return set({ testRun: null });
        const point = points[i]!;
        const dwell = dwellSeconds(point) * 1000;
        set({ testRun: { trackId, point: i, until: Date.now() + dwell } });
        invoke('presets:goto', { ...key(), index: point.presetIndex }).catch((e: VigilError) => {
          set({ error: e, testRun: null });
          if (testTimer) clearTimeout(testTimer);
        });
        testTimer = setTimeout(() => step(i + 1), dwell);
      };
      step(0);
    },
    stopTestRun() {
      if (testTimer) clearTimeout(testTimer);
      testTimer = null;
      set({ testRun: null });
    },
  };
});
