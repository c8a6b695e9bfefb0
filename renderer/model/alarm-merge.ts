import type { Alarm } from '../../preload/contract';

const RANK = { new: 0, acknowledged: 1, assigned: 2, closed: 3 } as const;

/** How far along its lifecycle an alarm is (alarms kept before the control room have no state). */
function rank(a: Alarm): number {
  return RANK[a.state ?? (a.acknowledgedAt !== undefined ? 'acknowledged' : 'new')];
}

/**
 * The later of two copies of one alarm. A lifecycle only moves forward (new → acknowledged →
 * assigned → closed), so the copy further along is the newer; on a tie `preferred` wins (a
 * reassignment carries no time to compare).
 */
export function newerAlarm(other: Alarm, preferred: Alarm): Alarm {
  return rank(other) > rank(preferred) ? other : preferred;
}

/**
 * Main's list (`snapshot`) merged with what this window holds (`current`): main's list was built
 * before its answer arrived, and `main:alarm` events (`arrived`: their ids since the request went)
 * may have come meanwhile. Per id the newer copy wins (main's on a tie); an alarm main's list lacks
 * is kept only when an event brought it meanwhile (otherwise main dropped it: retention, or off
 * its list of the newest closed). Newest first.
 */
export function mergeSnapshot(
  current: readonly Alarm[],
  snapshot: readonly Alarm[],
  arrived: ReadonlySet<string>,
): Alarm[] {
  const mine = new Map(current.map((a) => [a.id, a]));
  const merged = snapshot.map((s) => {
    const c = mine.get(s.id);
    mine.delete(s.id);
    return c ? newerAlarm(c, s) : s;
  });
  for (const c of mine.values()) if (arrived.has(c.id)) merged.push(c);
  return merged.sort((a, b) => b.at - a.at);
}

/**
 * Of alarms new to this window (newest first), the one the opt-in alarm pane opens live: the newest
 * still open with a channel. (The store asks only once the window holds main's list, so history is
 * never new here; no timestamps compared — they come from other seats' and cameras' clocks.)
 */
export function alarmToOpen(fresh: readonly Alarm[]): Alarm | undefined {
  return fresh.find((a) => a.state !== 'closed' && a.channelRef);
}
