import { create } from 'zustand';
import type {
  Alarm,
  AlarmAction,
  AlarmReceiverState,
  AlarmPage,
  AuditExport,
  ControlRoomSettings,
  PinnedKey,
  ControlRoomStatus,
  RequestOf,
  SavedView,
  SeatCommand,
  SeatCommandBody,
} from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';
import { alarmToOpen, mergeSnapshot, newerAlarm } from '../../model/alarm-merge';
import { useAppStore } from '../app/store';
import { useWallStore } from '../wall/store';

/**
 * Alarms: the list main keeps in this seat's database (every alarm not closed, the newest closed
 * ones), kept current by `main:alarm` (from this seat's receiver or from other seats through the
 * broker); the push receiver of the account on screen; the control room (broker state, seats,
 * settings) and the commands other seats send to this seat's wall.
 */
interface AlarmsState {
  /** The pages of main's list loaded so far (newest first), kept current by events. */
  alarms: Alarm[];
  /** Where main's next page starts (null: every alarm is here). */
  next: string | null;
  loadingMore: boolean;
  /** Unacknowledged alarms main keeps on pages not loaded yet (counted, not listed). */
  unacknowledgedBeyond: number;
  /** The members' signing keys this seat pinned, and its own key's fingerprint (loaded on demand). */
  keys: { own: string | null; keys: PinnedKey[] } | null;
  receiver: AlarmReceiverState | null;
  busy: boolean;
  error: string | null;
  room: ControlRoomStatus | null;
  settings: ControlRoomSettings | null;
  /** The last command another seat sent here (a notice in the status bar), and the wall it replaced. */
  lastCommand: { command: SeatCommand; undo: WallBefore | null } | null;
  load(): Promise<void>;
  /** The next page of main's list (older alarms), once at a time. */
  loadMore(): Promise<void>;
  loadKeys(): Promise<void>;
  /** Forgets a member's pinned key (a supervisor's decision, confirmed in the UI). */
  revokeKey(seat: string): Promise<void>;
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
  /** Tells the other seats this seat steers a channel's PTZ (or stopped); once per change, only in a control room. */
  steer(accountId: string, channelId: string, on: boolean): void;
  /** Puts back the wall another seat's view replaced. */
  undoCommand(): void;
  dismissCommand(): void;
}

/** This seat's wall before another seat's view replaced it. */
export interface WallBefore {
  layout: string;
  panes: SavedView['panes'];
  activeViewId: string | null;
}

/** Whether main's list has reached this window once (alarms it lacks after that are new). */
let listed = false;

/** Ids of alarms events brought, one set per `load()` under way. */
const arrivals = new Set<Set<string>>();

/** Channels this window said it steers (so a held move is said once, not per command). */
const steering = new Set<string>();

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
  /** Alarms of one page joined to the list: per id the newer copy wins; newest first. */
  const join = (page: AlarmPage): Alarm[] => {
    const byId = new Map(get().alarms.map((a) => [a.id, a]));
    for (const a of page.alarms) {
      const had = byId.get(a.id);
      byId.set(a.id, had ? newerAlarm(had, a) : a);
    }
    return [...byId.values()].sort((a, b) => b.at - a.at);
  };
  const unacked = (list: readonly Alarm[]) => list.filter((a) => a.acknowledgedAt === undefined).length;
  return {
    alarms: [],
    next: null,
    loadingMore: false,
    unacknowledgedBeyond: 0,
    keys: null,
    receiver: null,
    busy: false,
    error: null,
    room: null,
    settings: null,
    lastCommand: null,
    async load() {
      // Merged, not replaced: alarms and changes that arrived while main's answer travelled stay.
      const arrived = new Set<string>();
      arrivals.add(arrived);
      try {
        const page = await invoke('alarms:list', {});
        const alarms = mergeSnapshot(get().alarms, page.alarms, arrived);
        set({ alarms, next: page.next, unacknowledgedBeyond: Math.max(0, page.unacknowledged - unacked(alarms)) });
        listed = true;
      } finally {
        arrivals.delete(arrived);
      }
    },
    async loadMore() {
      const { next, loadingMore } = get();
      if (!next || loadingMore) return;
      set({ loadingMore: true });
      try {
        const page = await invoke('alarms:list', { cursor: next });
        const before = unacked(get().alarms);
        const alarms = join(page);
        const brought = Math.max(0, unacked(alarms) - before);
        set({
          alarms,
          next: page.next,
          unacknowledgedBeyond: page.next ? Math.max(0, get().unacknowledgedBeyond - brought) : 0,
        });
      } catch (e) {
        set({ error: (e as VigilError).message });
      } finally {
        set({ loadingMore: false });
      }
    },
    async loadKeys() {
      set({ keys: await invoke('controlRoom:keys', {}) });
    },
    revokeKey: (seat) =>
      attempt(async () => {
        set({ keys: await invoke('controlRoom:revokeKey', { seat }) });
      }),
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
    // Main answers its first page; the pages loaded beyond it get their changes as events.
    acknowledgeAll: () =>
      attempt(async () => {
        const page = await invoke('alarms:acknowledgeAll', {});
        set({ alarms: join(page), unacknowledgedBeyond: 0 });
      }),
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
    steer(accountId, channelId, on) {
      const key = `${accountId}|${channelId}`;
      if (on === steering.has(key) || (on && !get().room?.enabled)) return;
      if (on) steering.add(key);
      else steering.delete(key);
      void invoke('controlRoom:ptz', { accountId, channelId, hold: on }).catch(() => undefined);
    },
    undoCommand() {
      const before = get().lastCommand?.undo;
      set({ lastCommand: null });
      if (!before) return;
      useWallStore.getState().openView({ id: 'view_beforeseat00', name: 'before', ...before });
      useWallStore.setState({ activeViewId: before.activeViewId });
    },
    dismissCommand() {
      set({ lastCommand: null });
    },
  };
});

/** A channel on this seat's wall: the first empty pane, else the selected one. */
function openOnWall(content: { accountId: string; channelId: string; name: string }): void {
  const wall = useWallStore.getState();
  const free = wall.panes.findIndex((p) => !p);
  wall.assign(free >= 0 ? free : wall.selected, content);
  useAppStore.getState().navigate('wall');
}

/**
 * Alarms that arrived since the last frame. At 1,000 alarms a minute one render per alarm was the
 * page's whole budget (and the list fell seconds behind the broker): events are merged into the
 * list once per frame, or after 100 ms where frames do not run (a hidden window).
 */
const pending = new Map<string, Alarm>();
let scheduled = false;
function mergePending(): void {
  scheduled = false;
  if (pending.size === 0) return;
  const arrived = [...pending.values()];
  pending.clear();
  const { alarms, receiver, loadReceiver, settings } = useAlarmsStore.getState();
  const byId = new Map(arrived.map((a) => [a.id, a]));
  const next = alarms.map((a) => {
    const updated = byId.get(a.id);
    if (!updated) return a;
    byId.delete(a.id);
    return newerAlarm(a, updated); // an event older than a snapshot loaded since does not undo it
  });
  // What is left is new here: newest first, above the rest.
  const fresh = [...byId.values()].sort((a, b) => b.at - a.at);
  useAlarmsStore.setState({ alarms: fresh.length ? [...fresh, ...next] : next });
  if (fresh.some((a) => a.accountId === receiver?.accountId)) refreshReceiver(loadReceiver, receiver!.accountId);
  // Only once this window holds main's list: before, history main names at start is not new here.
  const shown = settings?.alarmPane && listed ? alarmToOpen(fresh) : undefined;
  if (shown) openOnWall({ accountId: shown.accountId, channelId: shown.channelRef!, name: alarmName(shown) });
}
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    mergePending();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  setTimeout(run, 100);
}

/** The receiver's counts, at most once a second (not one round trip to main per alarm). */
let receiverTimer: ReturnType<typeof setTimeout> | null = null;
function refreshReceiver(load: (accountId: string) => Promise<void>, accountId: string): void {
  if (receiverTimer) return;
  receiverTimer = setTimeout(() => {
    receiverTimer = null;
    void load(accountId);
  }, 1000);
}

/** Carries out what other seats sent this seat, taken from main (kept there until a window takes it). */
async function takeCommands(): Promise<void> {
  const { commands } = await invoke('controlRoom:takeCommands', {});
  for (const command of commands) carryOut(command);
}

function carryOut(command: SeatCommand): void {
  const c = command.command;
  if (c.kind === 'open-channel') {
    useAlarmsStore.setState({ lastCommand: { command, undo: null } });
    openOnWall(c);
    return;
  }
  // A whole wall replaced by another seat: what was there can be put back (the notice's Undo).
  const wall = useWallStore.getState();
  const undo = { layout: wall.layout, panes: [...wall.panes], activeViewId: wall.activeViewId };
  useAlarmsStore.setState({ lastCommand: { command, undo } });
  wall.openView({ id: 'view_fromseat0000', ...c.view });
  useAppStore.getState().navigate('wall');
}

/** Once per window: alarms, the control room's state and commands from other seats. */
let listening = false;
export function listenToAlarms(): void {
  if (listening) return;
  listening = true;
  on('main:alarm', (alarm) => {
    for (const ids of arrivals) ids.add(alarm.id);
    pending.set(alarm.id, alarm);
    schedule();
  });
  on('main:controlRoom', (room) => useAlarmsStore.setState({ room }));
  void useAlarmsStore
    .getState()
    .load()
    .catch(() => undefined);
  on('main:seatCommand', () => void takeCommands().catch(() => undefined));
  // Commands that came while no window was open wait in main.
  void takeCommands().catch(() => undefined);
  void useAlarmsStore
    .getState()
    .loadRoom()
    .catch(() => undefined);
}

/** How an alarm's camera is named (its channel name, else the device). */
export function alarmName(a: Alarm): string {
  return a.channelName || a.deviceId;
}
