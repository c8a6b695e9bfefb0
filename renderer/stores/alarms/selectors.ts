import type { Alarm, ControlRoomStatus, PtzHolder } from '../../../preload/contract';
import type { useAlarmsStore } from './store';

type AlarmsState = ReturnType<typeof useAlarmsStore.getState>;

/**
 * What components read of the alarms store, by name. Selectors that derive a value from the whole
 * list remember their last input, so a render that did not change the list costs nothing.
 */
export const selectAlarms = (s: AlarmsState): Alarm[] => s.alarms;
export const selectReceiver = (s: AlarmsState) => s.receiver;
export const selectBusy = (s: AlarmsState) => s.busy;
export const selectError = (s: AlarmsState) => s.error;
export const selectRoomSettings = (s: AlarmsState) => s.settings;
export const selectRoom = (s: AlarmsState) => s.room;
export const selectLastCommand = (s: AlarmsState) => s.lastCommand;
export const selectEscalateAfterSec = (s: AlarmsState) => s.settings?.escalateAfterSec ?? 60;
export const selectMySeat = (s: AlarmsState) => s.room?.seat ?? '';

const NO_SEATS: ControlRoomStatus['seats'] = [];
export const selectSeats = (s: AlarmsState) => s.room?.seats ?? NO_SEATS;

/** The broker's state for the status bar: null when this seat is not in a control room. */
export const selectBroker = (s: AlarmsState) => (s.room && s.room.enabled ? s.room : null);

function onList<T>(derive: (alarms: readonly Alarm[]) => T): (s: AlarmsState) => T {
  let last: readonly Alarm[] | null = null;
  let value: T;
  return (s) => {
    if (s.alarms !== last) {
      last = s.alarms;
      value = derive(s.alarms);
    }
    return value;
  };
}

const unacknowledgedListed = onList((alarms) => alarms.filter((a) => a.acknowledgedAt === undefined).length);
/** Alarms nobody acknowledged: those listed here, and those main keeps on pages not loaded yet. */
export const selectUnacknowledged = (s: AlarmsState): number => unacknowledgedListed(s) + s.unacknowledgedBeyond;
export const selectHasMore = (s: AlarmsState) => s.next !== null;
export const selectKeys = (s: AlarmsState) => s.keys;

/** Channels (account + Vigil channel id) with an alarm nobody acknowledged: what a wall pane marks. */
const openChannels = onList(
  (alarms) =>
    new Set(
      alarms.filter((a) => a.acknowledgedAt === undefined && a.channelRef).map((a) => `${a.accountId}|${a.channelRef}`),
    ),
);
export const selectChannelAlarmed =
  (accountId: string | undefined, channelId: string | undefined) =>
  (s: AlarmsState): boolean =>
    !!accountId && !!channelId && openChannels(s).has(`${accountId}|${channelId}`);

/** The seat steering a channel's PTZ when it is another seat that is online, else null. */
export const selectPtzHolder =
  (accountId: string | undefined, channelId: string | undefined) =>
  (s: AlarmsState): PtzHolder | null => {
    if (!accountId || !channelId || !s.room?.enabled) return null;
    const h = s.room.ptz.find((p) => p.accountId === accountId && p.channelId === channelId);
    // A seat that went away (its last will) steers nothing, whatever its retained claim says.
    const present = h && s.room.seats.some((p) => p.seat === h.seat && p.online);
    return h && present && h.seat !== s.room.seat ? h : null;
  };
