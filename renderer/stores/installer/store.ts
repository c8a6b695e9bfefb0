import { create } from 'zustand';
import type {
  GbAddOf,
  GbAddRequest,
  GbAddResponse,
  GbSettings,
  HoloAddResponse,
  RequestOf,
  ResponseOf,
} from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';

/**
 * The add-device wizard: the account, the platform's answer per device (with the SIP values for
 * the assistant), the account's GB28181 credentials (model `credential`). Passwords the installer typed stay in the form, not here.
 */
export interface InstallerState {
  accountId: string | null;
  results: GbAddResponse['results'] | null;
  credentials: Array<{ username: string; type: string | null }>;
  busy: boolean;
  error: VigilError | null;
  setAccount(accountId: string): void;
  add(req: GbAddRequest): Promise<void>;
  /** Devices with the installer's own IDs, in calls of at most 100 (IVM §6.7); a failed call fails its own devices only. */
  addInBatches(accountId: string, devices: GbAddOf<'installerIds'>['devices']): Promise<void>;
  progress: { done: number; total: number } | null;
  loadCredentials(): Promise<void>;
  createCredential(type: 'NORMAL' | 'ANONYMOUS', password: string, username?: string): Promise<string | null>;
  reset(): void;
  /** Every device registered in this window, newest first, until the installer dismisses it (a later batch does not replace them). */
  assistants: Assistant[];
  dismissAssistant(statusId: string): void;
  /** HoloSens devices bound in this window, newest first; `holoError` is the platform's refusal of the last one. */
  holo: HoloAddResponse[];
  holoBusy: boolean;
  holoError: string | null;
  /** Binds a HoloSens device; true when the platform took it (the form then clears). */
  addHolo(req: RequestOf<'installer:addHolo'>): Promise<boolean>;
  /** Each account's organizations (projects) and service nodes, as last read; absent until read. */
  options: Record<string, InstallerOptions>;
  loadOptions(accountId: string): Promise<void>;
}

export type InstallerOptions = ResponseOf<'installer:options'>;

export interface Assistant {
  accountId: string;
  /** what `installer:status` takes: the platform's id for the device */
  statusId: string;
  /** the name the installer typed (null when the platform takes none) */
  name: string | null;
  settings: GbSettings;
}

/** The new batch's devices on top; a device registered again replaces its old card. */
function withAssistants(
  list: Assistant[],
  accountId: string,
  results: GbAddResponse['results'],
  nameOf: (deviceId: string) => string | null,
): Assistant[] {
  const fresh = results.flatMap((r) =>
    r.ok && r.settings ? [{ accountId, statusId: r.deviceId, name: nameOf(r.deviceId), settings: r.settings }] : [],
  );
  const ids = new Set(fresh.map((a) => a.statusId));
  return [...fresh, ...list.filter((a) => !ids.has(a.statusId))];
}

export const useInstallerStore = create<InstallerState>()((set, get) => ({
  accountId: null,
  results: null,
  credentials: [],
  busy: false,
  error: null,
  progress: null,
  assistants: [],
  dismissAssistant: (statusId) => set((s) => ({ assistants: s.assistants.filter((a) => a.statusId !== statusId) })),
  async addInBatches(accountId, devices) {
    set({ busy: true, error: null, results: [], progress: { done: 0, total: devices.length } });
    const results: GbAddResponse['results'] = [];
    for (let i = 0; i < devices.length; i += 100) {
      const chunk = devices.slice(i, i + 100);
      try {
        results.push(
          ...(await invoke('installer:addGb', { registration: 'installerIds', accountId, devices: chunk })).results,
        );
      } catch (e) {
        for (const d of chunk)
          results.push({
            deviceId: d.deviceId,
            ok: false,
            code: (e as VigilError).details?.vendorCode ?? (e as VigilError).code,
            message: (e as VigilError).message,
          });
      }
      set({ results: [...results], progress: { done: Math.min(i + 100, devices.length), total: devices.length } });
    }
    const names = new Map(devices.map((d) => [d.deviceId, d.name]));
    set((s) => ({
      busy: false,
      assistants: withAssistants(s.assistants, accountId, results, (id) => names.get(id) ?? null),
    }));
  },
  setAccount: (accountId) => set({ accountId, results: null, credentials: [], error: null }),
  async add(req) {
    set({ busy: true, error: null, results: null });
    try {
      const { results } = await invoke('installer:addGb', req);
      const name = 'name' in req && typeof req.name === 'string' ? req.name : null;
      set((s) => ({
        results,
        busy: false,
        assistants: withAssistants(s.assistants, req.accountId, results, () => name),
      }));
    } catch (e) {
      set({ error: e as VigilError, busy: false });
    }
  },
  async loadCredentials() {
    const accountId = get().accountId;
    if (!accountId) return;
    try {
      const { credentials } = await invoke('installer:credentials', { accountId });
      if (get().accountId === accountId) set({ credentials });
    } catch (e) {
      set({ error: e as VigilError });
    }
  },
  async createCredential(type, password, username) {
    const accountId = get().accountId;
    if (!accountId) return null;
    set({ busy: true, error: null });
    try {
      const c = await invoke('installer:createCredential', {
        accountId,
        type,
        password,
        ...(username ? { username } : {}),
      });
      await get().loadCredentials();
      set({ busy: false });
      return c.username;
    } catch (e) {
      set({ error: e as VigilError, busy: false });
      return null;
    }
  },
  reset: () => set({ results: null, error: null }),
  holo: [],
  holoBusy: false,
  holoError: null,
  async addHolo(req) {
    set({ holoBusy: true, holoError: null });
    try {
      const r = await invoke('installer:addHolo', req);
      set((s) => ({ holoBusy: false, holo: [r, ...s.holo.filter((a) => a.deviceId !== r.deviceId)] }));
      return true;
    } catch (e) {
      set({ holoBusy: false, holoError: (e as VigilError).message });
      return false;
    }
  },
  options: {},
  async loadOptions(accountId) {
    try {
      const o = await invoke('installer:options', { accountId });
      set((s) => ({ options: { ...s.options, [accountId]: o } }));
    } catch {
      // A failed lookup leaves the lists empty: the form stays invalid until the platform answers.
    }
  },
}));
