import type { Alarm } from '../../preload/contract';

/**
 * An unacknowledged alarm escalates once it has waited `afterSec` since this site received it
 * (the camera's own clock may differ: receipt is what the operators waited for).
 */
export function escalated(alarm: Alarm, now: number, afterSec: number): boolean {
  return alarm.acknowledgedAt === undefined && now - (alarm.receivedAt ?? alarm.at) >= afterSec * 1000;
}

/** How many alarms escalate now, and the soonest time one more will (null: none waiting). */
export function escalation(
  alarms: readonly Alarm[],
  now: number,
  afterSec: number,
): { count: number; nextAt: number | null } {
  let count = 0;
  let nextAt: number | null = null;
  for (const a of alarms) {
    if (a.acknowledgedAt !== undefined) continue;
    const at = (a.receivedAt ?? a.at) + afterSec * 1000;
    if (at <= now) count++;
    else if (nextAt === null || at < nextAt) nextAt = at;
  }
  return { count, nextAt };
}

/** "acknowledged by B (Bo)": the seat, and the operator when one signed in. */
export function byWhom(who: { seat: string; user: string } | undefined): string {
  if (!who || !who.seat) return '';
  return who.user ? `${who.seat} (${who.user})` : who.seat;
}
