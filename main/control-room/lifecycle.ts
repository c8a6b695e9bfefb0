import type { Alarm, AlarmAction, AlarmLifecycle, SeatRef } from '../../preload/contract';

/**
 * An alarm's lifecycle is a pure function of the set of actions taken on it, read in one order
 * (time, then id). Seats that hold the same actions therefore agree, whatever order the broker
 * delivered them in, and a duplicate (same id) changes nothing: the set is the same.
 */
export interface Lifecycle {
  state: AlarmLifecycle;
  acknowledgedAt?: number;
  acknowledgedBy?: SeatRef;
  assignedTo?: string;
  assignedBy?: SeatRef;
  closedAt?: number;
  closedBy?: SeatRef;
  note?: string;
}

export const byTimeThenId = (a: AlarmAction, b: AlarmAction): number =>
  a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function lifecycle(actions: readonly AlarmAction[]): Lifecycle {
  const out: Lifecycle = { state: 'new' };
  for (const a of [...actions].sort(byTimeThenId)) {
    const who = { seat: a.seat, user: a.user };
    // Assigning or closing an alarm nobody acknowledged acknowledges it too.
    if (out.acknowledgedAt === undefined) {
      out.acknowledgedAt = a.at;
      out.acknowledgedBy = who;
    }
    if (out.closedAt !== undefined) continue; // the first close ends it
    if (a.kind === 'assign' && a.to) {
      out.assignedTo = a.to;
      out.assignedBy = who;
    } else if (a.kind === 'close') {
      out.closedAt = a.at;
      out.closedBy = who;
      if (a.note) out.note = a.note;
    }
  }
  out.state =
    out.closedAt !== undefined
      ? 'closed'
      : out.assignedTo !== undefined
        ? 'assigned'
        : out.acknowledgedAt !== undefined
          ? 'acknowledged'
          : 'new';
  return out;
}

/** The platform's fields of an alarm, without any lifecycle (what the database keeps as its body). */
export function platformFields(alarm: Alarm): Alarm {
  const { state: _s, acknowledgedAt: _a, acknowledgedBy: _b, assignedTo: _t, assignedBy: _ab, ...rest } = alarm;
  const { closedAt: _c, closedBy: _cb, note: _n, ...plain } = rest;
  return plain;
}

/** The alarm as the renderer shows it: the platform's fields plus where it stands. */
export function withLifecycle(base: Alarm, actions: readonly AlarmAction[]): Alarm {
  return { ...platformFields(base), ...lifecycle(actions) };
}
