import type { FaultKind, PlatformKey, ScheduledFault } from './schedule';

/**
 * The shift bench's figures from what its probe saw, pure. A pane's seconds are one letter each,
 * from the run's start: F a picture no older than 2 s, S stale or none (black, an error, a
 * spinner), X not counted (its camera made offline by the schedule, or the window hidden: nobody
 * sees a hidden window, and a wall that stops decoding when hidden is right to).
 */
export type PaneSeconds = Record<string, string>;

export interface ShiftReport {
  minutes: number;
  panes: number;
  seed: number;
  faults: Array<{ kind: FaultKind; at_s: number; duration_s: number; platform?: PlatformKey }>;
  pane_availability_pct: number;
  recovery_p50_s: number | null;
  recovery_p95_s: number | null;
  stuck_panes: number;
  alarms_sent: number;
  alarms_lost: number;
  alarms_duplicated: number;
  errors_left: number;
  heap_start_mb: number;
  heap_end_mb: number;
  heap_slope_mb_per_h: number | null;
  main_rss_start_mb: number;
  main_rss_end_mb: number;
  fds_start: number;
  fds_end: number;
  /** The second window (synced playback on a loop): its pane-seconds in step with the cursor, %. */
  playback_availability_pct?: number;
  /** Times the playback window went back to its recording's start. */
  playback_loops?: number;
}

/** A fault's effect shows up to this long after its end (a lapsed URL bites at the next reconnect). */
export const EFFECT_GRACE_S = 10;
/** A pane with no fresh picture in the run's last seconds never came back. */
export const STUCK_TAIL_S = 10;

/** Share of counted pane-seconds with a fresh picture, % (100 when nothing was counted). */
export function availabilityPct(seconds: PaneSeconds): number {
  let fresh = 0;
  let counted = 0;
  for (const s of Object.values(seconds))
    for (const c of s) {
      if (c === 'X') continue;
      counted++;
      if (c === 'F') fresh++;
    }
  return counted ? Math.round((fresh / counted) * 100_000) / 1000 : 100;
}

/**
 * Per fault: the panes it hurt (a counted second without a fresh picture from its start to
 * EFFECT_GRACE_S after its end, or to the next fault's start if that comes sooner) and when the last of them showed a fresh picture again after
 * its last bad second, from the fault's end (0 if they were back before it ended). `null`
 * recovery: a pane it hurt never came back. Faults that overlap in time are one incident: its
 * end is the last of theirs (a media server back while the platform still holds its requests
 * cannot give the platform's panes new addresses before the platform answers). A camera taken
 * offline is not merged: it holds back its own pane only, whose seconds are not counted.
 */
export function recoveries(
  faults: ScheduledFault[],
  seconds: PaneSeconds,
  platformOf: Record<string, PlatformKey> = {},
): Array<{ fault: ScheduledFault; panes: string[]; recovery_s: number | null }> {
  return faults.map((fault) => {
    const { end, to } = incident(fault, faults);
    const panes: string[] = [];
    let worst: number | null = 0;
    for (const [pane, s] of Object.entries(seconds)) {
      if (!touches(fault, pane, platformOf)) continue;
      let lastBad = -1;
      for (let t = fault.at_s; t <= to && t < s.length; t++) if (s[t] === 'S') lastBad = t;
      if (lastBad < 0) continue;
      panes.push(pane);
      let back = -1;
      for (let t = lastBad + 1; t < s.length; t++)
        if (s[t] === 'F') {
          back = t;
          break;
        }
      if (back < 0) worst = null;
      else if (worst !== null) worst = Math.max(worst, Math.max(0, back - end));
    }
    return { fault, panes, recovery_s: worst };
  });
}

/**
 * The pane-seconds each fault cost (counted seconds without a fresh picture), by index in
 * `faults`, and those no fault explains (`unexplained`): where a run's availability went. A bad
 * second is the latest-started fault's whose window (as in recoveries) holds it and which can
 * touch the pane; each second is counted once.
 */
export function losses(
  faults: ScheduledFault[],
  seconds: PaneSeconds,
  platformOf: Record<string, PlatformKey> = {},
): { byFault: number[]; unexplained: number } {
  const windows = faults.map((f) => ({ from: f.at_s, to: incident(f, faults).to }));
  const byFault = faults.map(() => 0);
  let unexplained = 0;
  for (const [pane, s] of Object.entries(seconds))
    for (let t = 0; t < s.length; t++) {
      if (s[t] !== 'S') continue;
      let owner = -1;
      faults.forEach((f, i) => {
        const w = windows[i]!;
        if (t < w.from || t > w.to || !touches(f, pane, platformOf)) return;
        if (owner < 0 || f.at_s >= faults[owner]!.at_s) owner = i;
      });
      if (owner < 0) unexplained++;
      else byFault[owner]!++;
    }
  return { byFault, unexplained };
}

/**
 * A fault's incident: faults that overlap it in time are one (a camera taken offline is never
 * merged: it holds back its own pane only); `end` is the last of their ends, and its effect is
 * looked for up to EFFECT_GRACE_S after, or to the next fault's start if that comes sooner.
 */
function incident(fault: ScheduledFault, faults: ScheduledFault[]): { end: number; to: number } {
  const endOf = (f: ScheduledFault) => f.at_s + f.duration_s;
  const merged = (g: ScheduledFault) =>
    g === fault || (g.kind !== 'camera_offline' && g.at_s <= endOf(fault) && endOf(g) >= fault.at_s);
  const end = Math.max(...faults.filter(merged).map(endOf));
  // What comes after the next fault (not one of this incident) has started is that fault's.
  const next = Math.min(...faults.filter((g) => g.at_s > end && !merged(g)).map((g) => g.at_s));
  return { end, to: Math.min(end + EFFECT_GRACE_S, next - 1) };
}

/** Whether a fault can touch a pane: a platform's own fault touches that platform's panes only. */
function touches(fault: ScheduledFault, pane: string, platformOf: Record<string, PlatformKey>): boolean {
  const only = platformOnly(fault);
  return !only || !platformOf[pane] || platformOf[pane] === only;
}

/**
 * The platform whose panes alone a fault can touch: its answers (5xx, held, paused), its play URLs
 * and its token. A pane of another platform bad at that moment was hurt by something else (its
 * camera just back, say), and is not this fault's. null: any pane (the media server, a relay lane,
 * the broker, the keychain, the window, an export's load).
 */
export function platformOnly(fault: ScheduledFault): PlatformKey | null {
  switch (fault.kind) {
    case 'platform_5xx':
    case 'platform_hold':
    case 'host_paused':
    case 'play_url_lapse':
      return fault.platform ?? null;
    case 'ivm_token_expiry':
      return 'ivm';
    case 'vis_token_expiry':
      return 'vis';
    default:
      return null;
  }
}

/** Panes whose last STUCK_TAIL_S counted seconds had no fresh picture at all. */
export function stuckPanes(seconds: PaneSeconds): string[] {
  return Object.entries(seconds)
    .filter(([, s]) => {
      const tail = s.replace(/X/g, '').slice(-STUCK_TAIL_S);
      return tail.length === STUCK_TAIL_S && !tail.includes('F');
    })
    .map(([pane]) => pane);
}

/** The p-quantile (0–1) of xs by nearest rank, or null for none. */
export function quantile(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
}

/** Least-squares slope of [seconds, value] points, per hour; null with fewer than 3 points. */
export function slopePerHour(points: Array<[number, number]>): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den ? Math.round((num / den) * 3600 * 100) / 100 : null;
}

/**
 * The heap points the slope is taken over: after the first 10 minutes (start-up, caches filling);
 * a run shorter than 30 minutes uses its last two thirds, and says so by its length.
 */
export function steadyPoints(points: Array<[number, number]>, minutes: number): Array<[number, number]> {
  const from = minutes >= 30 ? 600 : (minutes * 60) / 3;
  return points.filter(([t]) => t >= from);
}

export interface ShiftInputs {
  minutes: number;
  seed: number;
  faults: ScheduledFault[];
  seconds: PaneSeconds;
  /** each pane's platform, by its key in `seconds` */
  platformOf?: Record<string, PlatformKey>;
  alarms: { sent: number; lost: number; duplicated: number };
  errorsLeft: number;
  /** [s from start, MB] after a forced GC */
  heap: Array<[number, number]>;
  rss: Array<[number, number]>;
  fds: Array<[number, number]>;
}

const first = (xs: Array<[number, number]>) => xs[0]?.[1] ?? 0;
const last = (xs: Array<[number, number]>) => xs.at(-1)?.[1] ?? 0;
const mb = (x: number) => Math.round(x * 10) / 10;

export function shiftReport(i: ShiftInputs): ShiftReport {
  const rec = recoveries(i.faults, i.seconds, i.platformOf).filter((r) => r.panes.length > 0 && r.recovery_s !== null);
  const times = rec.map((r) => r.recovery_s!);
  return {
    minutes: i.minutes,
    panes: Object.keys(i.seconds).length,
    seed: i.seed,
    faults: i.faults.map((f) => ({
      kind: f.kind,
      at_s: f.at_s,
      duration_s: f.duration_s,
      ...(f.platform ? { platform: f.platform } : {}),
    })),
    pane_availability_pct: availabilityPct(i.seconds),
    recovery_p50_s: quantile(times, 0.5),
    recovery_p95_s: quantile(times, 0.95),
    stuck_panes: stuckPanes(i.seconds).length,
    alarms_sent: i.alarms.sent,
    alarms_lost: i.alarms.lost,
    alarms_duplicated: i.alarms.duplicated,
    errors_left: i.errorsLeft,
    heap_start_mb: mb(first(i.heap)),
    heap_end_mb: mb(last(i.heap)),
    heap_slope_mb_per_h: slopePerHour(steadyPoints(i.heap, i.minutes)),
    main_rss_start_mb: mb(first(i.rss)),
    main_rss_end_mb: mb(last(i.rss)),
    fds_start: first(i.fds),
    fds_end: last(i.fds),
  };
}
