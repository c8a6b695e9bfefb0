import type { DecodeRate } from '../../../preload/contract';

/**
 * The wall's decode budget: which panes decode every frame and which key frames only.
 * A wall of up to 25 panes, FLV or HLS, starts every pane at full rate and cuts only on measured
 * need (frames dropped two seconds running, and over the last ten seconds); past 25 panes, panes
 * the operator looks at (pinned, selected, hovered, maximized) decode every frame, large and alarm
 * panes next (9 full-rate panes on a 36-pane wall, 4 on bigger ones), then the panes the operator
 * used most recently, cameras with long GOPs before others of their rank, and the rest show each
 * key frame (flv-rate.ts). A cut takes the least recently used panes first. These counts are a
 * 2-core machine's and scale with the logical processors past 4 (`navigator.hardwareConcurrency`).
 * When the renderer falls behind (frames dropped) the lowest-priority full-rate panes are reduced
 * first; they come back after a quiet spell, and further quiet spells raise the count past the
 * start one pane at a time (a machine with headroom uses it). What it learns belongs to a wall
 * size, and is kept through a hidden window or another layout (wallKey).
 * The decisions are pure functions; `DecodeBudget` measures and applies them.
 */
export interface PaneNeeds {
  /** the operator pinned it to full rate */
  pinned?: boolean;
  selected?: boolean;
  hovered?: boolean;
  maximized?: boolean;
  /** big enough for the main stream */
  large?: boolean;
  /** showing a camera with an alarm */
  alarm?: boolean;
  /** digitally zoomed: the operator looks closely (a key frame's picture is only pane-sized) */
  zoomed?: boolean;
}

export interface PlanPane {
  id: number;
  /** wall position: between equals, earlier panes keep full rate */
  order: number;
  needs: PaneNeeds;
  /** false for streams whose rate cannot be reduced (audio, HLS): always full, and they use budget */
  reducible: boolean;
  /** the camera's key-frame interval (ms), where known: at key frames only, its picture gets this old */
  gopMs?: number | null;
  /**
   * When the operator last looked at it (selected, hovered, maximized, zoomed, pinned), as a count
   * that only grows; 0 or absent: not since the view opened. Between panes of one priority, the
   * most recently used keep full rate: a cut takes the least recently used first.
   */
  usedAt?: number;
}

/**
 * A camera whose key frames are further apart than this ("smart codec" cameras stretch GOPs to
 * 10 s) would show a picture that old at key frames only: between panes of one priority, such
 * panes get the full-rate places first (more of them than places still leaves some reduced).
 */
export const LONG_GOP_MS = 2000;
const longGop = (p: PlanPane) => Number((p.gopMs ?? 0) > LONG_GOP_MS);

/** Every pane of a wall this size or smaller starts at full rate (what a 2-core machine keeps up with; more with more cores). */
export const SMALL_WALL = 25;
/**
 * Full-rate panes a bigger wall has at most: nine on a 6×6 wall, four past it — the panes an
 * operator follows closely there. It used to start with 16 and cut on dropped frames, but on the
 * 2-core machine every big wall ended at these counts anyway, after seconds of dropped frames on
 * the panes that mattered (the cut comes only once drops are counted). Selected, hovered,
 * maximized and pinned panes are full on top of it when they are more.
 */
export const BIG_WALL_START = 9;
export const HUGE_WALL_START = 4;

/**
 * Live HLS walls used to start with 4 full-rate panes past 9 HLS panes (hls.js works on the page's
 * main thread), but the default hls.js played 16 and 25 panes at full rate with no frame dropped
 * on the 2-core machine: a pane count is no measure of need. HLS walls start like FLV ones now and
 * are cut on dropped frames; the count is kept for the bench's reports.
 */
export const SMALL_HLS_WALL = 9;

/** Panes always at full rate: the operator is looking at them. */
export function mustBeFull(n: PaneNeeds): boolean {
  return !!(n.pinned || n.selected || n.hovered || n.maximized || n.zoomed);
}

/** selected > maximized > large > alarm > others (pinned, hovered and zoomed rank with selected). */
export function priorityOf(n: PaneNeeds): number {
  if (n.pinned || n.selected || n.hovered || n.zoomed) return 5;
  if (n.maximized) return 4;
  if (n.large) return 3;
  if (n.alarm) return 2;
  return 0;
}

/**
 * The logical processors the counts above are for: `navigator.hardwareConcurrency` counts threads
 * (two per core on most PCs; a container may report its host's), so the 2-core counts hold up to 4
 * of them and scale only past that. A machine with more headroom than that finds it by quiet-spell
 * raises (adapt), not by starting high and cutting after drops.
 */
export const BASE_THREADS = 4;

/** This machine's logical processors (the browser's guess), the base count where it does not say. */
export function machineCores(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
  return typeof n === 'number' && n > 0 ? n : BASE_THREADS;
}

/**
 * How many panes a wall of `panes` starts with at full rate on a machine of `cores` logical
 * processors: the 2-core counts times cores/4 (never fewer), so a 16-thread control-room PC starts
 * a 64-pane wall with 16 full-rate panes, not a 2-core machine's 4.
 */
export function startAllowance(panes: number, cores = BASE_THREADS): number {
  const k = Math.max(1, Math.floor(cores / BASE_THREADS));
  if (panes <= SMALL_WALL * k) return panes;
  return Math.min(panes, (panes <= 36 ? BIG_WALL_START : HUGE_WALL_START) * k);
}

/** Full or key frames per pane, for at most `allowance` full-rate panes (panes that must be full always are). */
export function planRates(panes: PlanPane[], allowance: number): Map<number, DecodeRate> {
  const out = new Map<number, DecodeRate>();
  const ranked = [...panes].sort(
    (a, b) =>
      Number(mustBeFull(b.needs) || !b.reducible) - Number(mustBeFull(a.needs) || !a.reducible) ||
      priorityOf(b.needs) - priorityOf(a.needs) ||
      (b.usedAt ?? 0) - (a.usedAt ?? 0) ||
      longGop(b) - longGop(a) ||
      a.order - b.order,
  );
  let left = allowance;
  for (const p of ranked) {
    const full = mustBeFull(p.needs) || !p.reducible || left > 0;
    out.set(p.id, full ? 'full' : 'key');
    if (full) left--;
  }
  return out;
}

export interface BudgetState {
  /**
   * full-rate panes taken away from the wall's start allowance because the renderer fell behind;
   * below 0, panes added past it after quiet spells (the machine had headroom)
   */
  cut: number;
  /** seconds without trouble since the last change */
  quietS: number;
  /** seconds in a row the renderer has fallen behind (a cut needs BEHIND_S of them) */
  behindS: number;
  /** seconds of quiet needed before one more pane goes back to full rate (doubles after each overload, ≤ 60) */
  holdS: number;
  /** seconds since the last cut: a cut takes a moment to show in the counters, so none follows within COOL_S */
  sinceCutS: number;
  /**
   * Full-rate panes at the last overload, and seconds since: raises past the start stop one short
   * of it for PROBE_AGAIN_S (a wall at its machine's limit would otherwise overshoot and cut once a minute).
   */
  overloadAt: number | null;
  sinceOverloadS: number;
  /** frames decoded and dropped each second since the plan last changed, the last WINDOW_S of them */
  recent: { decoded: number; dropped: number }[];
}

export const QUIET_HOLD_S = 10;
/** A connection's first seconds decode the server's GOP cache in a burst: its drops then are not the renderer falling behind. */
export const SETTLE_S = 3;
export const COOL_S = 3;
/**
 * Seconds in a row behind before a cut: one second's drops are a blip (another program starting,
 * a collection in the page), and cutting on it put panes of a 25-pane wall to key frames for the
 * next quiet spell although the machine keeps up.
 */
export const BEHIND_S = 2;
/** Dropped share of decoded frames over the last second that counts as falling behind. */
export const DROP_LIMIT_PCT = 1;
/**
 * A cut also needs more than DROP_LIMIT_PCT dropped over this many seconds (those since the plan
 * last changed, where fewer): at 25 live HLS panes this machine drops 2–5 % of one or two seconds'
 * frames every 5–10 s and well under 1 % overall, as the default hls.js does at the same wall. A
 * burst like that is not an overload; cutting on it put 5 of 25 panes to key frames. An overload
 * goes on, and passes the share within seconds.
 */
export const WINDOW_S = 10;

/** How long a raise stays one short of the count the renderer last fell behind at. */
export const PROBE_AGAIN_S = 600;

export const freshBudget = (): BudgetState => ({
  cut: 0,
  quietS: 0,
  behindS: 0,
  holdS: QUIET_HOLD_S,
  sinceCutS: COOL_S,
  overloadAt: null,
  sinceOverloadS: 0,
  recent: [],
});

/**
 * What the budget learned (cuts, raises, holds) belongs to the wall it was learned on: a wall
 * within a quarter of that size (a camera more or less) is the same wall; another layout has its
 * own. A cut learned on a 64-pane wall would otherwise leave a 4-pane wall with key-frame panes, and
 * a raise learned on a quiet 36-pane wall would start a 64-pane one overloaded. Returns the key of
 * `walls` (sizes learned on) that `panes` belongs to, or `panes` itself for a new wall.
 */
export const SAME_WALL_RATIO = 0.75;
export function wallKey(walls: Iterable<number>, panes: number): number {
  let best: number | null = null;
  for (const k of walls) {
    const same = Math.min(k, panes) >= SAME_WALL_RATIO * Math.max(k, panes);
    if (same && (best === null || Math.abs(k - panes) < Math.abs(best - panes))) best = k;
  }
  return best ?? panes;
}

/** Full-rate panes a wall of `panes` may have now. */
export function allowanceOf(s: BudgetState, panes: number, cores = BASE_THREADS): number {
  return Math.max(0, Math.min(panes, startAllowance(panes, cores) - s.cut));
}

/**
 * Why a wall has key-frame panes, for the operator: `behind`, the renderer dropped frames (a cut);
 * `bigWall`, a wall past the machine's start count (startAllowance); null, none is reduced by the
 * budget.
 */
export type CutReason = 'behind' | 'bigWall';
export function cutReason(s: BudgetState, panes: number, cores = BASE_THREADS): CutReason | null {
  if (allowanceOf(s, panes, cores) >= panes) return null;
  return s.cut > 0 ? 'behind' : 'bigWall';
}

/**
 * A view just opened (the wall filled from empty, another layout, or most of its panes new): it
 * starts at its start allowance and is cut only on what it measures now. A cut learned earlier
 * is forgotten (a machine busy a minute ago may not be now; the operator's dome must not open at
 * key frames); the longer hold and the count of the last overload stay, so it is not raised
 * straight back into an overload.
 */
export function reopened(s: BudgetState): BudgetState {
  return { ...s, cut: Math.min(0, s.cut), behindS: 0, quietS: 0, recent: [] };
}

/** Dropped share of the frames meant to decode, in percent. */
const droppedPct = (m: { decoded: number; dropped: number }) => (100 * m.dropped) / Math.max(1, m.decoded + m.dropped);

/**
 * One second's measurements → the next state. Falling behind (more than 1 % of the frames meant
 * to decode dropped, at least 3) for BEHIND_S seconds in a row, with more than 1 % dropped over
 * the last WINDOW_S seconds too, takes a sixth of the full-rate panes away at once (at least one;
 * no second cut within COOL_S, while the first takes effect), makes the next restore wait longer
 * and remembers the count it happened at; a quiet spell gives a third of the cut back (at least
 * one), up to the wall's start allowance; past it, each quiet spell in which full-rate panes
 * decoded adds one more full-rate pane, up to the whole wall — but not to the count of the last
 * overload within PROBE_AGAIN_S.
 */
export function adapt(
  s: BudgetState,
  m: { panes: number; decoded: number; dropped: number; cores?: number },
): BudgetState {
  const cap = startAllowance(m.panes, m.cores);
  const cut = Math.max(cap - m.panes, Math.min(s.cut, cap));
  const behind = m.dropped >= 3 && droppedPct(m) > DROP_LIMIT_PCT;
  const behindS = behind ? s.behindS + 1 : 0;
  // What the plan measured lately; a change of the plan starts it again (it measures another load).
  const recent = [...s.recent, { decoded: m.decoded, dropped: m.dropped }].slice(-WINDOW_S);
  const lately = recent.reduce((a, r) => ({ decoded: a.decoded + r.decoded, dropped: a.dropped + r.dropped }));
  const next = { ...s, cut, behindS, sinceCutS: s.sinceCutS + 1, sinceOverloadS: s.sinceOverloadS + 1, recent };
  if (behind && (behindS < BEHIND_S || s.sinceCutS < COOL_S || droppedPct(lately) <= DROP_LIMIT_PCT))
    return { ...next, quietS: 0 };
  if (behind) {
    const now = cap - cut;
    const more = Math.max(1, Math.ceil(now / 6));
    return {
      cut: Math.min(cap, cut + more),
      quietS: 0,
      behindS,
      holdS: Math.min(60, s.holdS * 2),
      sinceCutS: 0,
      overloadAt: now,
      sinceOverloadS: 0,
      recent: [],
    };
  }
  const quietS = s.quietS + 1;
  if (cut > 0 && quietS >= s.holdS) return { ...next, cut: cut - Math.ceil(cut / 3), quietS: 0, recent: [] };
  // Headroom: full-rate panes decoded a whole spell without falling behind, and panes are still
  // reduced — one more, unless that reaches the count the renderer last fell behind at.
  const probing = s.overloadAt === null || s.sinceOverloadS >= PROBE_AGAIN_S || cap - cut + 1 < s.overloadAt;
  if (quietS >= s.holdS && m.decoded > 0 && cap - cut < m.panes && probing)
    return { ...next, cut: cut - 1, quietS: 0, recent: [] };
  return { ...next, quietS };
}

/** Wall sizes whose learned state a budget keeps (layouts an operator switches between). */
const KEPT_WALLS = 8;

/** What the budget needs from one pane. */
export interface BudgetPane {
  order(): number;
  needs(): PaneNeeds;
  reducible(): boolean;
  /** plays live HLS (known once its source is) */
  hls?(): boolean;
  /** the camera's key-frame interval in ms, once known (see LONG_GOP_MS) */
  gopMs?(): number | null;
  /** frame counters of the pane's <video> (getVideoPlaybackQuality) */
  quality(): { decoded: number; dropped: number } | null;
  apply(rate: DecodeRate): void;
}

/** The budget of one window's panes: measures once a second, replans at once when a pane's needs change. */
export class DecodeBudget {
  private readonly panes = new Map<number, BudgetPane>();
  private readonly last = new Map<number, { decoded: number; dropped: number; full: boolean; ticks: number }>();
  private readonly applied = new Map<number, DecodeRate>();
  /** When each pane was last looked at (PlanPane.usedAt), on `useClock`. */
  private readonly usedAt = new Map<number, number>();
  private useClock = 0;
  /** Panes that joined since the last tick: most of a wall new at once is a view opened. */
  private joined = 0;
  private nextId = 1;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** What was learned, by the wall size it was learned on (wallKey); the last few walls. */
  private readonly walls = new Map<number, BudgetState>();

  constructor(
    private readonly tickMs = 1000,
    private readonly cores = machineCores(),
    /** Told the full-rate allowance after each plan (diagnostics). */
    private readonly onPlan?: (allowance: number) => void,
  ) {}

  /** Current full-rate allowance (for diagnostics and tests). */
  get allowance(): number {
    return allowanceOf(this.wall().state, this.panes.size, this.cores);
  }

  /** Why this wall has key-frame panes now (the panes' badge says it). */
  get reason(): CutReason | null {
    return cutReason(this.wall().state, this.panes.size, this.cores);
  }

  /** The wall the last tick measured (null once emptied). */
  private tickedWall: number | null = null;

  /** This wall's learned state (fresh for a wall not seen yet; `reopened` for a view just opened) and its key in `walls`. */
  private wall(): { key: number; state: BudgetState } {
    const key = wallKey(this.walls.keys(), this.panes.size);
    const state = this.walls.get(key) ?? freshBudget();
    const opened = key !== this.tickedWall || 2 * this.joined >= this.panes.size;
    return { key, state: opened ? reopened(state) : state };
  }

  join(pane: BudgetPane): { leave(): void; changed(): void } {
    const id = this.nextId++;
    this.panes.set(id, pane);
    this.joined++;
    if (!this.timer && typeof setInterval === 'function') this.timer = setInterval(() => this.tick(), this.tickMs);
    this.plan();
    return {
      leave: () => {
        this.panes.delete(id);
        this.last.delete(id);
        this.applied.delete(id);
        this.usedAt.delete(id);
        // Emptied (a hidden window, a wall cleared): what it learned waits in `walls`.
        if (this.panes.size === 0) {
          if (this.timer) clearInterval(this.timer);
          this.timer = null;
          this.tickedWall = null;
        } else this.plan();
      },
      changed: () => this.plan(),
    };
  }

  /** The window closes: no more measuring. */
  destroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.panes.clear();
  }

  /**
   * One measurement: frames decoded and dropped since the last one by the panes at full rate all
   * along. A key-frame pane's second frame of a GOP is often decoded too late to show (the <video>
   * waits at the end of its buffer between key frames): that is the price of its mode, not the
   * renderer falling behind.
   */
  tick(): void {
    let decoded = 0;
    let dropped = 0;
    for (const [id, pane] of this.panes) {
      const q = pane.quality();
      if (!q) continue;
      const before = this.last.get(id);
      const full = this.applied.get(id) === 'full';
      const restarted = !before || q.decoded < before.decoded; // a new connection restarts the counters
      // Its seconds count from its first frame, not from when it joined: connecting takes seconds,
      // and the GOP-cache burst (SETTLE_S) comes with the first frames.
      const ticks = restarted || q.decoded === 0 ? 0 : before.ticks + 1;
      this.last.set(id, { ...q, full, ticks });
      if (restarted || !before.full || !full || ticks < SETTLE_S) continue;
      decoded += q.decoded - before.decoded;
      dropped += Math.max(0, q.dropped - before.dropped);
    }
    // A view just opened, a switch of layout or a hidden spell: seconds behind count again from
    // zero, and a cut learned before is forgotten (wall(), reopened).
    const { key, state } = this.wall();
    this.tickedWall = key;
    this.joined = 0;
    this.walls.delete(key); // re-inserted last: the walls used least recently go first
    this.walls.set(key, adapt(state, { panes: this.panes.size, decoded, dropped, cores: this.cores }));
    if (this.walls.size > KEPT_WALLS) this.walls.delete(this.walls.keys().next().value!);
    this.plan();
  }

  private plan(): void {
    const panes = [...this.panes].map(([id, p]) => {
      const needs = p.needs();
      // Looked at now: the most recently used (a pane keeps its place once the pointer leaves it).
      if (mustBeFull(needs)) this.usedAt.set(id, ++this.useClock);
      return {
        id,
        order: p.order(),
        needs,
        reducible: p.reducible(),
        gopMs: p.gopMs?.() ?? null,
        usedAt: this.usedAt.get(id) ?? 0,
      };
    });
    const plan = planRates(panes, this.allowance);
    for (const [id, rate] of plan) {
      if (this.applied.get(id) === rate) continue;
      this.applied.set(id, rate);
      this.panes.get(id)?.apply(rate);
    }
    this.onPlan?.(this.allowance);
  }
}

/**
 * The budget of a window's panes (every wall and stream-test pane joins it; MediaWindow makes one).
 * Its allowance is on the document as `data-full-rate-allowance` (diagnostics; the e2e reads it:
 * raises come any second).
 */
export function windowDecodeBudget(): DecodeBudget {
  return new DecodeBudget(1000, machineCores(), (n) => {
    const root = typeof document !== 'undefined' ? document.documentElement : null;
    if (root && root.dataset.fullRateAllowance !== String(n)) root.dataset.fullRateAllowance = String(n);
  });
}
