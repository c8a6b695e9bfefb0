import { create } from 'zustand';
import type { LibraryScope, LibraryState, Target, TargetAttributes } from '../../../preload/contract';
import { batches, type ImportRow } from '../../model/target-import';
import { invoke, type VigilError } from '../../ipc';

/**
 * The target-library editor: one device's groups, the selected group's targets loaded page by
 * page through the index-range API, and bulk imports. Group edits answer the re-read library;
 * target edits re-read the loaded pages, so the list shows what the device holds.
 */
export const PAGE = 20;

export interface ImportJob {
  rows: ImportRow[];
  done: number;
  total: number;
  running: boolean;
  cancelled: boolean;
}

export interface LibraryStoreState {
  /** the devices (or, on Alibaba VCS, the account) holding libraries, for the account last asked */
  scopes: LibraryScope[];
  /** Lists an account's library scopes; a platform with one scope opens it at once. */
  loadScopes(accountId: string): Promise<void>;
  /** The enrolled picture of a target whose list carries none (cameras), for the form's preview. */
  picture(targetId: string): Promise<string | null>;
  accountId: string | null;
  deviceId: string | null;
  library: LibraryState | null;
  groupId: string | null;
  targets: Target[];
  total: number;
  loading: boolean;
  error: VigilError | null;
  job: ImportJob | null;
  select(accountId: string, deviceId: string): Promise<void>;
  reloadLibrary(): Promise<void>;
  selectGroup(groupId: string | null): Promise<void>;
  loadMore(): Promise<void>;
  createGroup(name: string, type?: string): Promise<boolean>;
  updateGroup(groupId: string, name: string, enabled: boolean): Promise<boolean>;
  deleteGroup(groupId: string): Promise<boolean>;
  addTarget(target: TargetAttributes & { picture: string }): Promise<{ ok: boolean; message?: string }>;
  updateTarget(target: TargetAttributes & { id: string; picture?: string }): Promise<{ ok: boolean; message?: string }>;
  deleteTargets(ids: string[]): Promise<Array<{ id: string; ok: boolean; message?: string }>>;
  /** External ids already in the group (every page), so a re-run skips imported rows. */
  importedKeys(): Promise<Set<string>>;
  runImport(rows: ImportRow[]): Promise<void>;
  cancelImport(): void;
  clearError(): void;
}

export const useTargetsStore = create<LibraryStoreState>()((set, get) => {
  /** Set by Cancel; the running import stops before its next call. */
  let cancelRequested = false;
  /** The account whose scopes were asked last: an older answer is dropped. */
  let scopesFor: string | null = null;
  const where = () => {
    const { accountId, deviceId, groupId } = get();
    if (!accountId || !deviceId) throw new Error('No device is selected');
    return { accountId, deviceId, groupId: groupId ?? '' };
  };
  /** Runs a group edit that answers the library; keeps the error and re-reads on failure. */
  const groupEdit = async (work: () => Promise<LibraryState>): Promise<boolean> => {
    set({ loading: true, error: null });
    try {
      const library = await work();
      set({ library, loading: false });
      return true;
    } catch (e) {
      set({ error: e as VigilError, loading: false });
      await get().reloadLibrary();
      return false;
    }
  };
  const reloadTargets = async () => {
    const loaded = Math.max(PAGE, get().targets.length);
    set({ targets: [] });
    while (get().targets.length < loaded) {
      const before = get().targets.length;
      await get().loadMore();
      if (get().targets.length === before) break;
    }
  };

  return {
    accountId: null,
    deviceId: null,
    library: null,
    groupId: null,
    targets: [],
    total: 0,
    loading: false,
    error: null,
    job: null,
    async select(accountId, deviceId) {
      set({ accountId, deviceId, library: null, groupId: null, targets: [], total: 0, error: null });
      await get().reloadLibrary();
    },
    async reloadLibrary() {
      const { accountId, deviceId } = get();
      if (!accountId || !deviceId) return;
      set({ loading: true });
      try {
        const library = await invoke('targets:groups', { accountId, deviceId });
        if (get().deviceId !== deviceId) return;
        const groupId = library.groups.some((g) => g.id === get().groupId) ? get().groupId : null;
        set({ library, groupId, loading: false, ...(groupId === null ? { targets: [], total: 0 } : {}) });
      } catch (e) {
        if (get().deviceId === deviceId) set({ error: e as VigilError, library: null, loading: false });
      }
    },
    async selectGroup(groupId) {
      set({ groupId, targets: [], total: 0 });
      if (groupId !== null) await get().loadMore();
    },
    async loadMore() {
      const { groupId, targets } = get();
      if (groupId === null) return;
      const key = where();
      set({ loading: true });
      try {
        const page = await invoke('targets:list', { ...key, groupId, start: targets.length, count: PAGE });
        if (get().groupId !== groupId) return;
        const known = new Set(get().targets.map((t) => t.id));
        set({
          targets: [...get().targets, ...page.targets.filter((t) => !known.has(t.id))],
          total: page.total,
          loading: false,
        });
      } catch (e) {
        set({ error: e as VigilError, loading: false });
      }
    },
    createGroup: (name, type) =>
      groupEdit(() =>
        invoke('targets:createGroup', {
          accountId: where().accountId,
          deviceId: where().deviceId,
          name,
          ...(type ? { type } : {}),
        }),
      ),
    updateGroup: (groupId, name, enabled) =>
      groupEdit(() =>
        invoke('targets:updateGroup', {
          accountId: where().accountId,
          deviceId: where().deviceId,
          groupId,
          name,
          enabled,
        }),
      ),
    async deleteGroup(groupId) {
      const ok = await groupEdit(() =>
        invoke('targets:deleteGroup', { accountId: where().accountId, deviceId: where().deviceId, groupId }),
      );
      if (ok && get().groupId === groupId) set({ groupId: null, targets: [], total: 0 });
      return ok;
    },
    async addTarget(target) {
      try {
        const { results } = await invoke('targets:add', { ...where(), targets: [target] });
        const r = results[0]!;
        await Promise.all([reloadTargets(), get().reloadLibrary()]);
        return r.ok ? { ok: true } : { ok: false, message: `${r.code}: ${r.message ?? ''}` };
      } catch (e) {
        return { ok: false, message: (e as VigilError).message };
      }
    },
    async updateTarget(target) {
      // 14.13 needs the picture and an IVS1800 cannot hand it to main (no 14.8), but its list
      // records carry it: resend the listed one when none was chosen.
      const listed = get().targets.find((t) => t.id === target.id)?.picture;
      if (!target.picture && get().library?.family === 'IVS1800' && listed)
        target = { ...target, picture: listed.slice(listed.indexOf(',') + 1) };
      try {
        const r = await invoke('targets:update', { ...where(), target });
        await reloadTargets();
        return r.ok ? { ok: true } : { ok: false, message: `${r.code}: ${r.message ?? ''}` };
      } catch (e) {
        await reloadTargets();
        return { ok: false, message: (e as VigilError).message };
      }
    },
    async deleteTargets(ids) {
      const out: Array<{ id: string; ok: boolean; message?: string }> = [];
      for (let i = 0; i < ids.length; i += 100) {
        const chunk = ids.slice(i, i + 100);
        try {
          const { results } = await invoke('targets:delete', { ...where(), ids: chunk });
          results.forEach((r, j) =>
            out.push({ id: chunk[j]!, ok: r.ok, ...(r.ok ? {} : { message: `${r.code}: ${r.message ?? ''}` }) }),
          );
        } catch (e) {
          for (const id of chunk) out.push({ id, ok: false, message: (e as VigilError).message });
        }
      }
      await Promise.all([reloadTargets(), get().reloadLibrary()]);
      return out;
    },
    async importedKeys() {
      const key = where();
      const keys = new Set<string>();
      for (let start = 0; start <= 5000; start += 500) {
        const page = await invoke('targets:list', { ...key, start, count: 500 });
        for (const t of page.targets) if (t.externalId) keys.add(t.externalId);
        if (page.targets.length < 500) break;
      }
      return keys;
    },
    async runImport(rows) {
      const library = get().library;
      if (!library) return;
      cancelRequested = false;
      const job: ImportJob = {
        rows: rows.map((r) => ({ ...r })),
        done: 0,
        total: rows.filter((r) => r.status === 'ready').length,
        running: true,
        cancelled: false,
      };
      set({ job });
      const byLine = new Map(job.rows.map((r) => [r.line, r]));
      const update = () => set({ job: { ...job, rows: [...job.rows] } });
      for (const batch of batches(job.rows, library.limits)) {
        if (cancelRequested) break;
        try {
          const { results } = await invoke('targets:add', { ...where(), targets: batch.map((r) => r.target!) });
          batch.forEach((row, i) => {
            const r = results[i];
            Object.assign(
              byLine.get(row.line)!,
              r?.ok
                ? { status: 'added', targetId: r.id }
                : { status: 'failed', code: r?.code, message: r?.message ?? 'No result' },
            );
          });
        } catch (e) {
          // One failed call fails its own rows only; the next batch still runs.
          for (const row of batch)
            Object.assign(byLine.get(row.line)!, {
              status: 'failed',
              code: (e as VigilError).details?.vendorCode ?? (e as VigilError).code,
              message: (e as VigilError).message,
            });
        }
        job.done += batch.length;
        job.cancelled = cancelRequested;
        update();
      }
      for (const row of job.rows) if (row.status === 'ready') row.status = 'cancelled';
      job.running = false;
      job.cancelled = cancelRequested;
      update();
      await Promise.all([reloadTargets(), get().reloadLibrary()]);
    },
    cancelImport() {
      cancelRequested = true;
      const job = get().job;
      if (job?.running) set({ job: { ...job, cancelled: true } });
    },
    clearError: () => set({ error: null }),
    scopes: [],
    async loadScopes(accountId) {
      scopesFor = accountId;
      try {
        const { scopes } = await invoke('targets:scopes', { accountId });
        if (scopesFor !== accountId) return;
        set({ scopes });
        if (scopes.length === 1 && get().deviceId !== scopes[0]!.id) await get().select(accountId, scopes[0]!.id);
      } catch (e) {
        if (scopesFor === accountId) set({ scopes: [], error: e as VigilError });
      }
    },
    async picture(targetId) {
      const { accountId, deviceId, groupId } = get();
      if (!accountId || !deviceId || groupId === null) return null;
      try {
        return (await invoke('targets:picture', { accountId, deviceId, groupId, id: targetId })).picture;
      } catch {
        return null; // the preview stays empty; the target itself is unaffected
      }
    },
  };
});
