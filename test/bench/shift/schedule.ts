/**
 * The shift bench's fault schedule: pure and seeded, so a run that found something can be run
 * again with the same faults at the same times. Its rules (checked by test/unit/shift-schedule):
 * - a fault starts at most MAX_GAP_S after the run's start and after the previous one;
 * - every kind starts at least once in any 60 minutes of the run: kinds come in cycles, each a
 *   seeded shuffle of all of them, and a cycle is shorter than 30 minutes (13 × 110 s), so any
 *   60 minutes hold a whole one;
 * - sometimes two at once: a fault may start with the next one of its cycle (a pair), and long
 *   faults overlap the next start anyway;
 * - every fault has ended SETTLE_S before the run's end, so recovery is measured for all of them.
 */

export const FAULT_KINDS = [
  'ivm_token_expiry',
  'vis_token_expiry',
  'play_url_lapse',
  'camera_offline',
  'platform_5xx',
  'platform_hold',
  'media_server_restart',
  'relay_lane_closed',
  'broker_restart',
  'host_paused',
  'keychain_locked',
  'window_hidden',
  'export_while_failing',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const PLATFORMS = ['ivm', 'vis', 'ivc', 'vcs'] as const;
export type PlatformKey = (typeof PLATFORMS)[number];
/** Platforms with cloud recordings to export: VIS offers none (its spec covers recording settings only). */
export const RECORDING_PLATFORMS = ['ivm', 'ivc', 'vcs'] as const satisfies readonly PlatformKey[];

/** The platforms a fault of this kind can hit. */
export function platformsFor(kind: FaultKind): readonly PlatformKey[] {
  return kind === 'export_while_failing' ? RECORDING_PLATFORMS : PLATFORMS;
}

export interface ScheduledFault {
  kind: FaultKind;
  at_s: number;
  duration_s: number;
  /** the platform a platform fault hits (5xx, hold, paused, export), the camera's (offline), or whose play URLs lapse */
  platform?: PlatformKey;
}

export const MAX_GAP_S = 120;
const MIN_GAP_S = 40;
const CYCLE_GAP_S = 110;
/** no fault runs in the run's last seconds: every one's recovery is measured */
export const SETTLE_S = 30;
const PAIR_CHANCE = 0.2;

/** Mulberry32: a small, well-mixed seeded PRNG, [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function durationOf(kind: FaultKind, rnd: () => number): number {
  switch (kind) {
    case 'camera_offline':
      return 30 + Math.round(rnd() * 90);
    case 'platform_5xx':
    case 'host_paused':
    case 'window_hidden':
    case 'export_while_failing':
      return 60;
    case 'platform_hold':
      return 20;
    case 'keychain_locked':
      return 30;
    case 'media_server_restart':
    case 'broker_restart':
      return 3;
    default:
      return 0; // instantaneous: a token or URL lapses, a lane closes
  }
}

function needsPlatform(kind: FaultKind): boolean {
  return (
    kind === 'platform_5xx' ||
    kind === 'platform_hold' ||
    kind === 'host_paused' ||
    kind === 'export_while_failing' ||
    kind === 'camera_offline' ||
    kind === 'play_url_lapse'
  );
}

/**
 * The faults of a run of `minutes` (warm-up not counted), in start order. Gaps between starts are
 * MIN_GAP_S–CYCLE_GAP_S; a fault that would not end SETTLE_S before the end is not scheduled.
 */
export function faultSchedule(minutes: number, seed: number): ScheduledFault[] {
  const rnd = prng(seed);
  const end = minutes * 60 - SETTLE_S;
  const out: ScheduledFault[] = [];
  let cycle: FaultKind[] = [];
  const next = (): FaultKind => {
    if (cycle.length === 0) {
      cycle = [...FAULT_KINDS];
      for (let i = cycle.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [cycle[i], cycle[j]] = [cycle[j]!, cycle[i]!];
      }
    }
    return cycle.shift()!;
  };
  const make = (kind: FaultKind, at: number): ScheduledFault => {
    const f: ScheduledFault = { kind, at_s: at, duration_s: durationOf(kind, rnd) };
    // Every emulator can take a camera offline and lapse its play URLs: any platform, as for the rest.
    const on = platformsFor(kind);
    if (needsPlatform(kind)) f.platform = on[Math.floor(rnd() * on.length)]!;
    return f;
  };
  for (let at = MIN_GAP_S + Math.round(rnd() * (CYCLE_GAP_S - MIN_GAP_S)); ; ) {
    const kind = next();
    const f = make(kind, at);
    if (f.at_s + f.duration_s > end) {
      // Too long for the time left: an instantaneous one keeps the 2-minute rule to the end.
      cycle.unshift(kind);
      const short = cycle.findIndex((k) => durationOf(k, () => 0) === 0);
      const instant = FAULT_KINDS.filter((k) => durationOf(k, () => 0) === 0);
      const k = short >= 0 ? cycle.splice(short, 1)[0]! : instant[Math.floor(rnd() * instant.length)]!;
      out.push(make(k, at));
    } else {
      out.push(f);
      if (rnd() < PAIR_CHANCE) {
        const second = make(next(), at);
        // Two faults on one platform at once would be one fault: the pair hits two.
        if (second.platform && second.platform === f.platform) {
          const on = platformsFor(second.kind);
          second.platform = on[(on.indexOf(second.platform) + 1) % on.length];
        }
        if (second.at_s + second.duration_s <= end) out.push(second);
        else cycle.unshift(second.kind);
      }
    }
    at += MIN_GAP_S + Math.round(rnd() * (CYCLE_GAP_S - MIN_GAP_S));
    if (at > end) break;
  }
  return out;
}
