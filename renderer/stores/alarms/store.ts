import { create } from 'zustand';
import type { Alarm, AlarmReceiverState } from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';

/**
 * Alarms: the list main keeps on disk (every unacknowledged alarm, the newest acknowledged
 * ones), kept current by `main:alarm`, and the push receiver of the account on screen.
 */
interface AlarmsState {
  alarms: Alarm[];
  receiver: AlarmReceiverState | null;
  busy: boolean;
  error: string | null;
  load(): Promise<void>;
  loadReceiver(accountId: string): Promise<void>;
  start(accountId: string, publicUrl: string, port: number): Promise<void>;
  stop(accountId: string): Promise<void>;
  acknowledge(id: string): Promise<void>;
  acknowledgeAll(): Promise<void>;
  picture(alarm: Alarm): Promise<string | null>;
}

export const useAlarmsStore = create<AlarmsState>()((set, get) => {
  const act = async (p: Promise<AlarmReceiverState>) => {
    set({ busy: true, error: null });
    try {
      set({ receiver: await p });
    } catch (e) {
      set({ error: (e as VigilError).message });
    } finally {
      set({ busy: false });
    }
  };
  return {
    alarms: [],
    receiver: null,
    busy: false,
    error: null,
    async load() {
      const { alarms } = await invoke('alarms:list', {});
      set({ alarms });
    },
    async loadReceiver(accountId) {
      set({ receiver: null, error: null });
      try {
        set({ receiver: await invoke('alarms:state', { accountId }) });
      } catch (e) {
        set({ error: (e as VigilError).message });
      }
    },
    start: (accountId, publicUrl, port) => act(invoke('alarms:start', { accountId, publicUrl, port })),
    stop: (accountId) => act(invoke('alarms:stop', { accountId })),
    async acknowledge(id) {
      try {
        const alarm = await invoke('alarms:acknowledge', { id });
        set({ alarms: get().alarms.map((a) => (a.id === id ? alarm : a)) });
      } catch (e) {
        set({ error: (e as VigilError).message });
      }
    },
    async acknowledgeAll() {
      try {
        set({ alarms: (await invoke('alarms:acknowledgeAll', {})).alarms });
      } catch (e) {
        set({ error: (e as VigilError).message });
      }
    },
    async picture(alarm) {
      return (await invoke('alarms:picture', { accountId: alarm.accountId, uuid: alarm.uuid })).picture;
    },
  };
});

/** Once per window: new and acknowledged alarms from main, and the receiver's counts with them. */
let listening = false;
export function listenToAlarms(): void {
  if (listening) return;
  listening = true;
  on('main:alarm', (alarm) => {
    const { alarms, receiver, loadReceiver } = useAlarmsStore.getState();
    const known = alarms.some((a) => a.id === alarm.id);
    useAlarmsStore.setState({
      alarms: known ? alarms.map((a) => (a.id === alarm.id ? alarm : a)) : [alarm, ...alarms],
    });
    if (receiver?.accountId === alarm.accountId && !known) void loadReceiver(alarm.accountId);
  });
}

export const selectUnacknowledged = (s: AlarmsState) => s.alarms.filter((a) => a.acknowledgedAt === undefined).length;
