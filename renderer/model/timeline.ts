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
 * apart, midnight labelled with its date once ticks are hours apart, and no label cut by the end.
 */
export function rulerTicks(view: View, width: number, offsetAt: (ms: number) => number = localOffsetMs): Tick[] {
  const ticks: Tick[] = [];
  if (!Number.isFinite(view.startMs) || !(view.spanMs > 0) || !(width > 0)) return ticks; // never loop on NaN
  const step = tickStep(view.spanMs, Math.max(2, Math.min(8, Math.floor(width / 90))));
  const endMs = view.startMs + view.spanMs;
  const startOffset = offsetAt(view.startMs);
  // Walk in local time, turning each tick back into an instant with the offset then in force
  // (a daylight-saving change inside the view moves the ticks after it with the clock). A local
  // time the clock skips (spring forward) names no instant of its own: it is left out.
  const first = Math.ceil((view.startMs + startOffset) / step) * step;
  for (let i = 0; i <= 64; i++) {
    // At most span/step + 1 ≤ 9 ticks; the bound only makes the end obvious.
    const local = first + i * step;
    const ms = local - offsetAt(local - startOffset);
    if (!(ms < endMs)) break;
    if (ms < view.startMs || ms + offsetAt(ms) !== local || ms <= (ticks.at(-1)?.ms ?? -Infinity)) continue;
    const x = timeToX(ms, view, width);
    const midnight = ((local % 86400e3) + 86400e3) % 86400e3 === 0;
    const kind: Exclude<TickLabel, null> =
      step >= 86400e3 || (midnight && step >= 3600e3) ? 'date' : view.spanMs < 600_000 ? 'seconds' : 'time';
    ticks.push({ ms, x, label: x + labelPx(kind) <= width ? kind : null });
  }
  return ticks;
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
