/**
 * Motion search, the pure part: regions drawn on a picture (normalised 0..1), the grid a search
 * compares frames on, sensitivity → thresholds, frame differences → scores, scores → events
 * (hysteresis and a merge gap), and scoring found events against a ground truth.
 *
 * ffmpeg decodes key frames, crops them to the regions' bounding box and shrinks that to a small
 * grey grid (scan.ts); everything here works on those grids, so it is testable without video.
 */

/** A rectangle in normalised picture coordinates (0..1 from the top left). */
export interface MotionRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The grid one search compares: the regions' bounding box shrunk to `cols`×`rows` cells. */
export interface MotionGrid {
  /** The bounding box of every region, normalised. */
  box: MotionRect;
  cols: number;
  rows: number;
  /** For each region, the indices of the grid cells inside it. */
  cells: Uint32Array[];
}

/** Cells per picture width and height: 640×360 becomes 128×72 (a cell is 5×5 pixels there). */
const GRID_W = 128;
const GRID_H = 72;
export const MAX_REGIONS = 8;
/** Regions smaller than this (normalised side) are refused: a few cells say nothing. */
const MIN_SIDE = 0.02;

/** Checks regions and answers why they cannot be searched, or null. */
export function regionProblem(regions: MotionRect[]): string | null {
  if (regions.length === 0) return 'Draw at least one region';
  if (regions.length > MAX_REGIONS) return `At most ${MAX_REGIONS} regions`;
  for (const r of regions) {
    if (![r.x, r.y, r.w, r.h].every(Number.isFinite)) return 'A region has a coordinate that is not a number';
    if (r.x < 0 || r.y < 0 || r.x + r.w > 1.000001 || r.y + r.h > 1.000001)
      return 'A region reaches outside the picture';
    if (r.w < MIN_SIDE || r.h < MIN_SIDE) return 'A region is too small to search';
  }
  return null;
}

/** A rectangle dragged from one corner to the other (any direction), clamped to the picture. */
export function rectFromDrag(a: { x: number; y: number }, b: { x: number; y: number }): MotionRect {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const x0 = clamp(Math.min(a.x, b.x));
  const y0 = clamp(Math.min(a.y, b.y));
  return { x: x0, y: y0, w: clamp(Math.max(a.x, b.x)) - x0, h: clamp(Math.max(a.y, b.y)) - y0 };
}

/** The grid for these regions (checked with regionProblem first). Even sizes: ffmpeg's scaler wants them. */
export function motionGrid(regions: MotionRect[]): MotionGrid {
  const x0 = Math.min(...regions.map((r) => r.x));
  const y0 = Math.min(...regions.map((r) => r.y));
  const x1 = Math.max(...regions.map((r) => r.x + r.w));
  const y1 = Math.max(...regions.map((r) => r.y + r.h));
  const box = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  const even = (v: number) => Math.max(8, 2 * Math.round(v / 2));
  const cols = even(box.w * GRID_W);
  const rows = even(box.h * GRID_H);
  const cells = regions.map((r) => {
    const out: number[] = [];
    for (let row = 0; row < rows; row++) {
      const cy = y0 + ((row + 0.5) / rows) * box.h;
      if (cy < r.y || cy > r.y + r.h) continue;
      for (let col = 0; col < cols; col++) {
        const cx = x0 + ((col + 0.5) / cols) * box.w;
        if (cx >= r.x && cx <= r.x + r.w) out.push(row * cols + col);
      }
    }
    return Uint32Array.from(out);
  });
  return { box, cols, rows, cells };
}

/** The ffmpeg filter that turns a decoded picture into the grid (crop by expression: no probe of the size). */
export function gridFilter(grid: MotionGrid): string {
  const f = (v: number) => v.toFixed(5);
  const { box } = grid;
  return (
    `crop=w=iw*${f(box.w)}:h=ih*${f(box.h)}:x=iw*${f(box.x)}:y=ih*${f(box.y)},` +
    `scale=${grid.cols}:${grid.rows}:flags=area,format=gray`
  );
}

export interface Thresholds {
  /** A cell changed when its grey level moved by more than this (0–255). */
  pixel: number;
  /** Motion when at least this share of a region's cells changed (0–1). */
  area: number;
}

/**
 * Sensitivity 1–100 (the operator's slider) → thresholds. 50 finds a person-sized object in a
 * quarter of a 360p picture (2 % of the region’s cells changed; the object covers about 5 %); 100 reacts to a few cells, 1 only
 * to something covering a fifth of the region.
 */
export function thresholds(sensitivity: number): Thresholds {
  const s = Math.min(100, Math.max(1, Math.round(sensitivity)));
  return {
    pixel: Math.round(10 + (100 - s) * 0.25),
    area: 0.002 * Math.pow(100, (100 - s) / 100),
  };
}

/** The share of each region's cells that changed between two grids; the score is the largest. */
export function frameScore(grid: MotionGrid, prev: Uint8Array, next: Uint8Array, pixel: number): number {
  let best = 0;
  for (const cells of grid.cells) {
    if (cells.length === 0) continue;
    let changed = 0;
    for (const i of cells) if (Math.abs(prev[i]! - next[i]!) > pixel) changed++;
    best = Math.max(best, changed / cells.length);
  }
  return best;
}

export interface MotionMoment {
  startMs: number;
  endMs: number;
  /** The first picture that showed the motion: where its thumbnail comes from. */
  firstMs: number;
  /** The largest share of a region's cells that changed. */
  peak: number;
}

export interface TrackerOptions {
  /** Motion when a score reaches this (Thresholds.area). */
  on: number;
  /** A moment goes on while scores stay above this share of `on`, and across quieter gaps shorter than mergeGapMs. */
  offRatio?: number;
  mergeGapMs?: number;
  /** Frames further apart than this are not compared (a gap in the recording is not motion). */
  maxStepMs?: number;
}

/**
 * Scores in time order → moments, as they close. A moment starts at the last still picture before
 * the motion (it began after that one) and ends at the last picture that moved; quiet stretches
 * shorter than the merge gap join two into one, as an operator would count one person walking by.
 */
export class MotionTracker {
  private open: MotionMoment | null = null;
  private lastActiveMs = 0;
  private prevMs: number | null = null;
  private readonly on: number;
  private readonly off: number;
  private readonly mergeGapMs: number;
  private readonly maxStepMs: number;

  constructor(
    options: TrackerOptions,
    private readonly emit: (m: MotionMoment) => void,
  ) {
    this.on = options.on;
    this.off = options.on * (options.offRatio ?? 0.5);
    this.mergeGapMs = options.mergeGapMs ?? 2500;
    this.maxStepMs = options.maxStepMs ?? 5000;
  }

  /** A picture at `ms` whose difference to the previous picture scored `score` (null: nothing to compare with). */
  push(ms: number, score: number | null): void {
    const prev = this.prevMs;
    this.prevMs = ms;
    if (this.open && ms - this.lastActiveMs > this.mergeGapMs) this.close();
    if (score === null || prev === null || ms - prev > this.maxStepMs) return;
    const active = this.open ? score >= this.off : score >= this.on;
    if (!active) return;
    if (!this.open) this.open = { startMs: prev, endMs: ms, firstMs: ms, peak: score };
    this.open.endMs = ms;
    this.open.peak = Math.max(this.open.peak, score);
    this.lastActiveMs = ms;
  }

  /** The first moving picture of the moment still open (its thumbnail is kept until it closes), or null. */
  get openFirstMs(): number | null {
    return this.open?.firstMs ?? null;
  }

  /** The end of the input: a moment still open is closed. */
  finish(): void {
    this.close();
    this.prevMs = null;
  }

  private close(): void {
    if (!this.open) return;
    const m = this.open;
    this.open = null;
    this.emit(m);
  }
}

/** Moments of several recordings in one list: sorted, and joined where they touch. */
export function mergeMoments(moments: MotionMoment[], gapMs = 0): MotionMoment[] {
  const out: MotionMoment[] = [];
  for (const m of [...moments].sort((a, b) => a.startMs - b.startMs)) {
    const last = out.at(-1);
    if (last && m.startMs <= last.endMs + gapMs) {
      last.endMs = Math.max(last.endMs, m.endMs);
      last.peak = Math.max(last.peak, m.peak);
    } else out.push({ ...m });
  }
  return out;
}

/**
 * Found moments against the truth: a true event is found when a moment overlaps it (within
 * `slackMs`, a key-frame interval), a moment is right when it overlaps a true event.
 */
export function scoreMoments(
  truth: Array<{ startMs: number; endMs: number }>,
  found: Array<{ startMs: number; endMs: number }>,
  slackMs = 1500,
): { events_true: number; events_found: number; recall: number; precision: number } {
  const overlaps = (a: { startMs: number; endMs: number }, b: { startMs: number; endMs: number }) =>
    a.startMs <= b.endMs + slackMs && b.startMs <= a.endMs + slackMs;
  const hit = truth.filter((t) => found.some((f) => overlaps(t, f))).length;
  const right = found.filter((f) => truth.some((t) => overlaps(t, f))).length;
  return {
    events_true: truth.length,
    events_found: found.length,
    recall: truth.length ? hit / truth.length : 1,
    precision: found.length ? right / found.length : 1,
  };
}
