import { create } from 'zustand';
import type {
  Alarm,
  AlarmAction,
  AlarmReceiverState,
  AuditExport,
  ControlRoomSettings,
  ControlRoomStatus,
  RequestOf,
  SeatCommand,
  SeatCommandBody,
} from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';
import { useAppStore } from '../app/store';
import { useWallStore } from '../wall/store';

/**
 * Alarms: the list main keeps in this seat's database (every alarm not closed, the newest closed
 * ones), kept current by `main:alarm` (from this seat's receiver or from other seats through the
 * broker); the push receiver of the account on screen; the control room (broker state, seats,
 * settings) and the commands other seats send to this seat's wall.
 */
interface AlarmsState {
  alarms: Alarm[];
  receiver: AlarmReceiverState | null;
  busy: boolean;
  error: string | null;
  room: ControlRoomStatus | null;
  settings: ControlRoomSettings | null;
  /** The last command another seat sent here (shown as a notice on the wall). */
  lastCommand: SeatCommand | null;
  load(): Promise<void>;
  loadReceiver(accountId: string): Promise<void>;
  start(accountId: string, publicUrl: string, port: number): Promise<void>;
  stop(accountId: string): Promise<void>;
  acknowledge(id: string): Promise<void>;
  acknowledgeAll(): Promise<void>;
  assign(id: string, to: string): Promise<void>;
  close(id: string, note: string): Promise<void>;
  history(id: string): Promise<AlarmAction[]>;
  exportAudit(format: 'csv' | 'xlsx'): Promise<AuditExport>;
  picture(alarm: Alarm): Promise<string | null>;
  loadRoom(): Promise<void>;
  /** Saves the broker settings; throws the contract's error (a bad URL, a locked keychain) for the form. */
  saveRoom(request: RequestOf<'controlRoom:set'>): Promise<void>;
  sendToSeat(seat: string, command: SeatCommandBody): Promise<void>;
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
  const replace = (alarm: Alarm) => set({ alarms: get().alarms.map((a) => (a.id === alarm.id ? alarm : a)) });
  const attempt = async (p: () => Promise<void>) => {
    try {
      set({ error: null });
      await p();
    } catch (e) {
      set({ error: (e as VigilError).message });
    }
  };
  return {
    alarms: [],
    receiver: null,
    busy: false,
    error: null,
    room: null,
    settings: null,
    lastCommand: null,
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
    acknowledge: (id) => attempt(async () => replace(await invoke('alarms:acknowledge', { id }))),
    acknowledgeAll: () => attempt(async () => set({ alarms: (await invoke('alarms:acknowledgeAll', {})).alarms })),
    assign: (id, to) => attempt(async () => replace(await invoke('alarms:assign', { id, to }))),
    close: (id, note) => attempt(async () => replace(await invoke('alarms:close', { id, note }))),
    async history(id) {
      return (await invoke('alarms:history', { id })).actions;
    },
    exportAudit: (format) => invoke('alarms:exportAudit', { format }),
    async picture(alarm) {
      return (await invoke('alarms:picture', { accountId: alarm.accountId, uuid: alarm.uuid })).picture;
    },
    async loadRoom() {
      const { settings, status } = await invoke('controlRoom:get', {});
      set({ settings, room: status });
    },
    async saveRoom(request) {
      const { settings, status } = await invoke('controlRoom:set', request);
      set({ settings, room: status });
    },
    sendToSeat: (seat, command) =>
      attempt(async () => {
        await invoke('controlRoom:sendToSeat', { seat, command });
      }),
  };
});

/** A channel on this seat's wall: the first empty pane, else the selected one. */
function openOnWall(content: { accountId: string; channelId: string; name: string }): void {
  const wall = useWallStore.getState();
  const free = wall.panes.findIndex((p) => !p);
  wall.assign(free >= 0 ? free : wall.selected, content);
  useAppStore.getState().navigate('wall');
}

/** Once per window: alarms, the control room's state and commands from other seats. */
let listening = false;
export function listenToAlarms(): void {
  if (listening) return;
  listening = true;
  on('main:alarm', (alarm) => {
    const { alarms, receiver, loadReceiver, settings } = useAlarmsStore.getState();
    const known = alarms.some((a) => a.id === alarm.id);
    useAlarmsStore.setState({
      alarms: known ? alarms.map((a) => (a.id === alarm.id ? alarm : a)) : [alarm, ...alarms],
    });
    if (receiver?.accountId === alarm.accountId && !known) void loadReceiver(alarm.accountId);
    // Opt-in alarm pane: a new alarm opens its channel live.
    if (!known && settings?.alarmPane && alarm.state !== 'closed')
      openOnWall({
        accountId: alarm.accountId,
        channelId: `ch:${alarm.deviceId}:${alarm.channelId}`,
        name: alarm.channelName || alarm.deviceId,
      });
  });
  on('main:controlRoom', (room) => useAlarmsStore.setState({ room }));
  on('main:seatCommand', (command) => {
    useAlarmsStore.setState({ lastCommand: command });
    const c = command.command;
    if (c.kind === 'open-channel') openOnWall(c);
    else {
      useWallStore.getState().openView({ id: 'view_fromseat0000', ...c.view });
      useAppStore.getState().navigate('wall');
    }
  });
  void useAlarmsStore
    .getState()
    .loadRoom()
    .catch(() => undefined);
}

export const selectUnacknowledged = (s: AlarmsState) => s.alarms.filter((a) => a.acknowledgedAt === undefined).length;
/** The broker's state for the status bar: null when this seat is not in a control room. */
export const selectBroker = (s: AlarmsState) => (s.room && s.room.enabled ? s.room : null);
