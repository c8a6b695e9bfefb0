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

/** Tick spacing for the ruler: a round step giving roughly `targetTicks` ticks. */
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
