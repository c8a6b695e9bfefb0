import type { RecordingSegment } from '../../preload/contract';

/** Timeline maths (pure): zoom between 1 s and 30 days, pixels ↔ time, segments at a time. */
export const MIN_SPAN_MS = 1000;
export const MAX_SPAN_MS = 30 * 86400_000;
/** Narrowest a recording is drawn, however wide the view. */
export const MIN_SEGMENT_PX = 6;

export interface View {
  startMs: number;
  spanMs: number;
}

export function clampSpan(spanMs: number): number {
  return Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, spanMs));
}

export function timeToX(t: number, view: View, width: number): number {
  return ((t - view.startMs) / view.spanMs) * width;
}

export function xToTime(x: number, view: View, width: number): number {
  return view.startMs + (x / width) * view.spanMs;
}

/** Zoom by `factor` (<1 zooms in) keeping the time under `x` where it is. */
export function zoomAt(view: View, x: number, width: number, factor: number): View {
  if (!(width > 0)) return view; // not laid out (squeezed to nothing): x means no time
  const anchor = xToTime(x, view, width);
  const spanMs = clampSpan(view.spanMs * factor);
  return { startMs: anchor - (x / width) * spanMs, spanMs };
}

/**
 * The zoom buttons: zoom about the cursor, keeping it within the middle half of the view, so what
 * follows it stays in sight (zooming in about a cursor at 23:45 in a whole-day view otherwise
 * leaves it at the right edge and the recording it stands in runs off screen). A cursor out of
 * view: zoom about the middle.
 */
export function zoomAboutCursor(view: View, cursorMs: number, width: number, factor: number): View {
  if (!(width > 0)) return view;
  const cx = timeToX(cursorMs, view, width);
  if (cx < 0 || cx > width) return zoomAt(view, width / 2, width, factor);
  const spanMs = clampSpan(view.spanMs * factor);
  const x = Math.min(0.75 * width, Math.max(0.25 * width, cx));
  return { startMs: cursorMs - (x / width) * spanMs, spanMs };
}

/** The segment playing at `t`: cloud footage first (it is seekable), else device-side. */
export function segmentAt(segments: RecordingSegment[], t: number): RecordingSegment | null {
  const hits = segments.filter((s) => s.startMs <= t && t < s.endMs);
  return hits.find((s) => s.kind === 'cloud') ?? hits[0] ?? null;
}

export function nextSegmentStart(segments: RecordingSegment[], t: number): number | null {
  const after = segments.filter((s) => s.startMs > t + 500).map((s) => s.startMs);
  return after.length ? Math.min(...after) : null;
}

export function prevSegmentStart(segments: RecordingSegment[], t: number): number | null {
  const current = segmentAt(segments, t);
  const before = segments.filter((s) => s.startMs < (current ? current.startMs : t) - 500).map((s) => s.startMs);
  return before.length ? Math.max(...before) : null;
}

/** Tick spacing for the ruler: a round step giving at most `targetTicks` ticks. */
export function tickStep(spanMs: number, targetTicks = 8): number {
  const steps = [
    1e3,
    5e3,
    10e3,
    30e3,
    60e3,
    300e3,
    600e3,
    1800e3,
    3600e3,
    3 * 3600e3,
    6 * 3600e3,
    12 * 3600e3,
    86400e3,
    7 * 86400e3,
  ];
  return steps.find((s) => spanMs / s <= targetTicks) ?? steps[steps.length - 1]!;
}

/** The local time zone's offset east of UTC at `ms`, in ms (Date's sign is the other way). */
export const localOffsetMs = (ms: number): number => -new Date(ms).getTimezoneOffset() * 60_000;

/** What a ruler label shows: the date (midnight, day steps), the time, or the time with seconds. */
export type TickLabel = 'date' | 'time' | 'seconds' | null;
export interface Tick {
  ms: number;
  x: number;
  /** null: the line only; the label would run past the ruler's right end. */
  label: TickLabel;
}
const LABEL_CHARS: Record<Exclude<TickLabel, null>, number> = { date: 5, time: 5, seconds: 8 }; // MM-DD, HH:mm, HH:mm:ss
/** A 10-px label's width: ~6 px a digit plus its padding. */
const labelPx = (label: Exclude<TickLabel, null>) => LABEL_CHARS[label] * 6 + 6;

/**
 * The ruler's ticks: round steps of local time (06:00, 12:00 — not UTC's, which in UTC+8 put a
 * 6-hour ruler at 02:00, 08:00 and in UTC+5:30 every hour at :30), as many as the width holds
 * apart, the first tick of each local day labelled with its date once ticks are hours apart, and
 * no label cut by the end.
 */
export function rulerTicks(view: View, width: number, offsetAt: (ms: number) => number = localOffsetMs): Tick[] {
  if (!Number.isFinite(view.startMs) || !(view.spanMs > 0) || !(width > 0)) return []; // never loop on NaN
  const step = tickStep(view.spanMs, Math.max(2, Math.min(8, Math.floor(width / 90))));
  const endMs = view.startMs + view.spanMs;
  // The offsets in force over the view: two where a daylight-saving change falls inside it. Each
  // names its own instants for the round local times, so the hour a clock repeats (autumn) has
  // its ticks twice, at both instants; a local time the clock skips (spring) names no instant and
  // is left out — but for a skipped midnight, whose day starts when the clock springs.
  const offsets = [...new Set([offsetAt(view.startMs), offsetAt(endMs)])];
  if (!offsets.every(Number.isFinite)) return []; // past Date's range
  const instants = new Set<number>();
  for (const o of offsets) {
    const first = Math.ceil((view.startMs + o) / step) * step;
    // At most span/step + 1 ≤ 9 ticks an offset; the bound only makes the end obvious.
    for (let local = first, i = 0; i <= 64 && local - o < endMs; local += step, i++) {
      let ms = local - o;
      if (offsetAt(ms) !== o) {
        const skipped = offsets.every((x) => offsetAt(local - x) !== x);
        if (!skipped || dayMs(local) !== 0) continue;
        ms = local - Math.min(...offsets); // the instant the clock springs over midnight
      }
      if (ms >= view.startMs && ms < endMs) instants.add(ms);
    }
  }
  const localDay = (ms: number) => Math.floor((ms + offsetAt(ms)) / 86400e3);
  const sorted = [...instants].sort((a, b) => a - b);
  return sorted.map((ms, i) => {
    const x = timeToX(ms, view, width);
    // The first tick of its local day (midnight, or 01:00 where the clock springs over midnight).
    const before = i > 0 ? sorted[i - 1]! : ms - step;
    const firstOfDay = localDay(before) !== localDay(ms);
    const kind: Exclude<TickLabel, null> =
      step >= 86400e3 || (firstOfDay && step >= 3600e3) ? 'date' : view.spanMs < 600_000 ? 'seconds' : 'time';
    return { ms, x, label: x + labelPx(kind) <= width ? kind : null };
  });
}

/** Milliseconds past midnight of a local time. */
const dayMs = (local: number) => ((local % 86400e3) + 86400e3) % 86400e3;

/** A dragged range, ordered, clamped to whole milliseconds; null when shorter than `minMs`. */
export function normalizeRange(a: number, b: number, minMs = 1000): { startMs: number; endMs: number } | null {
  const startMs = Math.round(Math.min(a, b));
  const endMs = Math.round(Math.max(a, b));
  return endMs - startMs >= minMs ? { startMs, endMs } : null;
}

/** How much a platform without a recording list is asked for at once. */
export const UNLISTED_WINDOW_MS = 10 * 60_000;

/**
 * The range a pane asks for when the platform cannot list recordings: from the cursor, ten
 * minutes; the window already playing (`baseMs`) is kept while the cursor stays inside it.
 */
export function unlistedWindow(cursorMs: number, baseMs: number | undefined): RecordingSegment {
  const startMs =
    baseMs !== undefined && cursorMs >= baseMs && cursorMs < baseMs + UNLISTED_WINDOW_MS - 5000
      ? baseMs
      : Math.floor(cursorMs / 1000) * 1000;
  return {
    kind: 'cloud',
    startMs,
    endMs: Math.min(startMs + UNLISTED_WINDOW_MS, Math.max(Date.now(), startMs + 1000)),
  };
}
