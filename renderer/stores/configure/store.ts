import { create } from 'zustand';
import type {
  ChannelOutcomes,
  ChannelServices,
  ServiceType,
  StreamSetting,
  StreamSettings,
  TreeNode,
} from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';
import { useWallStore } from '../wall/store';

/** What a part of the tab could read: its value, or why the platform does not offer it. */
export interface Part<T> {
  value: T | null;
  unavailable: string | null;
}

/** The result of the last change, shown above the channel's settings until the next: a catalogue key, or the platform's words. */
export type ConfigureMessage = { ok: true; code: string } | { ok: false; text: string };

/**
 * The installer's Configure tab: one channel of a Huawei IVM or Tencent IVC account, read and
 * changed here — its group, name, encoder streams, the camera's password, its paid services, and
 * deleting its device. Every change re-reads what the platform now says; the platform's refusal is
 * the message. Answers that arrive after the installer picked another channel are dropped.
 * Form drafts (a typed name, stream values, passwords) stay in the components.
 */
export interface ConfigureState {
  accountId: string | null;
  nodes: TreeNode[];
  channelId: string | null;
  message: ConfigureMessage | null;
  streams: Part<StreamSettings>;
  password: Part<'SET' | 'MODIFY'>;
  services: Part<ChannelServices>;
  /** what is being saved: a part's name, or a service type */
  busy: 'move' | 'streams' | 'password' | ServiceType | null;
  open(accountId: string): Promise<void>;
  select(channelId: string): void;
  dismissMessage(): void;
  rename(name: string): Promise<void>;
  move(groupId: string): Promise<void>;
  deleteDevice(): Promise<void>;
  saveStreams(changed: StreamSetting[]): Promise<void>;
  savePassword(next: string, current?: string): Promise<boolean>;
  /** Binds the channel to a resource of `type` (switching from another); pay-per-use storage with its days. */
  enableService(type: ServiceType, resourceId: string, storageDays?: number): Promise<void>;
  disableService(type: ServiceType): Promise<void>;
}

const none = { value: null, unavailable: null };

export const useConfigureStore = create<ConfigureState>()((set, get) => {
  /** The selected channel, while it is still the one asked about. */
  const still = (accountId: string, channelId: string) =>
    get().accountId === accountId && get().channelId === channelId;
  const selection = () => {
    const { accountId, channelId, nodes } = get();
    const channel = nodes.find((n) => n.id === channelId);
    return accountId && channelId && channel
      ? { accountId, channelId, deviceId: channel.parentId ?? channel.id }
      : null;
  };
  const done = (code: string) => set({ message: { ok: true, code } });
  const refused = (text: string) => set({ message: { ok: false, text } });
  const failed = (e: unknown) => refused((e as VigilError).message);
  /** One device's or channel's outcome: done, or the platform's code and words. */
  const outcome = (r: { ok: boolean; code?: string | null; message?: string | null }, code: string) =>
    r.ok ? done(code) : refused(`${r.code ?? ''} ${r.message ?? ''}`.trim());
  /** Reads one part of the selected channel into the store. */
  const read = async <K extends 'streams' | 'password' | 'services', T>(key: K, load: () => Promise<T>) => {
    const s = selection();
    if (!s) return;
    try {
      const value = await load();
      if (still(s.accountId, s.channelId)) set({ [key]: { value, unavailable: null } } as never);
    } catch (e) {
      if (still(s.accountId, s.channelId))
        set({ [key]: { value: null, unavailable: (e as VigilError).message } } as never);
    }
  };
  const loadStreams = () => {
    const s = selection()!;
    return read('streams', () => invoke('device:streams', { accountId: s.accountId, channelId: s.channelId }));
  };
  const loadPassword = () => {
    const s = selection()!;
    return read(
      'password',
      async () => (await invoke('device:passwordState', { accountId: s.accountId, channelId: s.channelId })).state,
    );
  };
  const loadServices = () => {
    const s = selection()!;
    return read('services', () => invoke('device:services', { accountId: s.accountId, channelId: s.channelId }));
  };
  /** Re-reads the account's tree, here and on the wall. */
  const reloadTree = async (accountId: string) => {
    const fresh = await invoke('tree:load', { accountId, refresh: true }).catch(() => null);
    if (fresh && get().accountId === accountId) set({ nodes: fresh.nodes });
    void useWallStore.getState().loadTree(accountId, true);
  };
  /** Saves a service change, says the platform's answer for this channel, then reads the services again. */
  const serviceChange = async (type: ServiceType, change: () => Promise<ChannelOutcomes>, code: string) => {
    set({ busy: type });
    try {
      const r = (await change()).results[0];
      if (r) outcome(r, code);
    } catch (e) {
      failed(e);
    } finally {
      set({ busy: null });
    }
    await loadServices();
  };

  return {
    accountId: null,
    nodes: [],
    channelId: null,
    message: null,
    streams: none,
    password: none,
    services: none,
    busy: null,
    async open(accountId) {
      set({ accountId, nodes: [], channelId: null, message: null, streams: none, password: none, services: none });
      const tree = await invoke('tree:load', { accountId, refresh: true }).catch(() => null);
      if (get().accountId === accountId) set({ nodes: tree?.nodes ?? [] });
    },
    select(channelId) {
      set({ channelId, message: null, streams: none, password: none, services: none, busy: null });
      void loadStreams();
      void loadPassword();
      void loadServices();
    },
    dismissMessage: () => set({ message: null }),
    async rename(name) {
      const s = selection();
      if (!s) return;
      try {
        await invoke('device:renameChannel', { accountId: s.accountId, channelId: s.channelId, name });
        done('configure.renamed');
      } catch (e) {
        failed(e);
      }
    },
    async move(groupId) {
      const s = selection();
      if (!s) return;
      set({ busy: 'move' });
      try {
        const r = (await invoke('device:move', { accountId: s.accountId, deviceIds: [s.deviceId], groupId }))
          .results[0]!;
        outcome(r, 'configure.moved');
      } catch (e) {
        failed(e);
      }
      await reloadTree(s.accountId);
      set({ busy: null });
    },
    async deleteDevice() {
      const s = selection();
      if (!s) return;
      try {
        const r = (await invoke('device:delete', { accountId: s.accountId, deviceIds: [s.deviceId] })).results[0]!;
        outcome(r, 'configure.deleted');
        if (r.ok)
          set((st) => ({
            nodes: st.nodes.filter((n) => n.kind !== 'channel' || n.parentId !== s.deviceId),
            channelId: null,
          }));
      } catch (e) {
        failed(e);
      }
    },
    async saveStreams(changed) {
      const s = selection();
      if (!s) return;
      set({ busy: 'streams' });
      try {
        const value = await invoke('device:setStreams', {
          accountId: s.accountId,
          channelId: s.channelId,
          streams: changed,
        });
        if (still(s.accountId, s.channelId)) set({ streams: { value, unavailable: null } });
        done('configure.streamsSaved');
      } catch (e) {
        failed(e);
        await loadStreams();
      } finally {
        set({ busy: null });
      }
    },
    async savePassword(next, current) {
      const s = selection();
      if (!s) return false;
      set({ busy: 'password' });
      try {
        await invoke('device:setPassword', {
          accountId: s.accountId,
          channelId: s.channelId,
          next,
          ...(current !== undefined ? { current } : {}),
        });
        done('configure.passwordSaved');
        return true;
      } catch (e) {
        failed(e);
        return false;
      } finally {
        set({ busy: null });
        await loadPassword();
      }
    },
    enableService(type, resourceId, storageDays) {
      const s = selection();
      if (!s) return Promise.resolve();
      return serviceChange(
        type,
        () =>
          invoke('device:enableService', {
            accountId: s.accountId,
            channelIds: [s.channelId],
            resourceId,
            ...(storageDays !== undefined ? { storageDays } : {}),
          }),
        'services.enabled',
      );
    },
    disableService(type) {
      const s = selection();
      if (!s) return Promise.resolve();
      return serviceChange(
        type,
        () => invoke('device:disableService', { accountId: s.accountId, channelIds: [s.channelId], type }),
        'services.disabled',
      );
    },
  };
});
