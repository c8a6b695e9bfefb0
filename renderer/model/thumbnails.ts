import type { RecordingSegment, THUMB_BUCKETS_MS } from '../../preload/contract';
import type { View } from './timeline';

/** Timeline thumbnails, the renderer's pure part: which recording a moment is in, bucket sizes, filmstrip slots. */

/** The contract's bucket sizes (the renderer imports the contract's types only; checked against them). */
export const BUCKETS_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 300_000, 900_000, 3_600_000,
] as const satisfies ReadonlyArray<(typeof THUMB_BUCKETS_MS)[number]>;
export type BucketMs = (typeof BUCKETS_MS)[number];

/** The filmstrip runs under the timeline at this zoom or closer. */
export const FILMSTRIP_MAX_SPAN_MS = 10 * 60_000;
/** A filmstrip picture's width on screen (main makes them twice as wide: sharp on HiDPI). */
export const FILMSTRIP_THUMB_PX = 96;
/** A hover's picture is of its bucket: about this many pixels of the timeline wide. */
const HOVER_BUCKET_PX = 6;

/** The smallest bucket at least `ms` long (the largest when none is). */
export function bucketAtLeast(ms: number): BucketMs {
  return BUCKETS_MS.find((b) => b >= ms) ?? BUCKETS_MS[BUCKETS_MS.length - 1]!;
}

/** The bucket a hover asks for at this zoom: a few pixels of timeline, so a still pointer hits the cache. */
export function hoverBucket(spanMs: number, width: number): BucketMs {
  return bucketAtLeast(width > 0 ? (spanMs / width) * HOVER_BUCKET_PX : spanMs);
}

/**
 * Which recording shows `atMs`: a cloud one first (the platform's copy), else a device one; none
 * in a gap. A platform that lists no recordings plays any moment from the cloud.
 */
export function recordingAt(
  segments: RecordingSegment[],
  atMs: number,
  unlisted: boolean,
): { kind: 'cloud' | 'device'; recording?: { startMs: number; endMs: number } } | null {
  if (unlisted) return { kind: 'cloud' };
  const holding = segments.filter((s) => s.startMs <= atMs && atMs < s.endMs);
  const s = holding.find((h) => h.kind === 'cloud') ?? holding[0];
  return s ? { kind: s.kind, recording: { startMs: s.startMs, endMs: s.endMs } } : null;
}

/**
 * The recording under the pointer: the one holding `atMs`, else the nearest within `slackMs` (a
 * short recording is drawn wider than it lasts: a minute is 6 px of a whole day), with the moment
 * moved into it.
 */
export function recordingNear(
  segments: RecordingSegment[],
  atMs: number,
  unlisted: boolean,
  slackMs: number,
): { kind: 'cloud' | 'device'; recording?: { startMs: number; endMs: number }; atMs: number } | null {
  const exact = recordingAt(segments, atMs, unlisted);
  if (exact) return { ...exact, atMs };
  let best: RecordingSegment | null = null;
  let bestGap = slackMs;
  for (const s of segments) {
    const gap = atMs < s.startMs ? s.startMs - atMs : atMs - (s.endMs - 1);
    if (gap <= bestGap && (!best || gap < bestGap || s.kind === 'cloud')) [best, bestGap] = [s, gap];
  }
  if (!best) return null;
  const at = Math.min(Math.max(atMs, best.startMs), best.endMs - 1);
  return { kind: best.kind, recording: { startMs: best.startMs, endMs: best.endMs }, atMs: at };
}

/**
 * The filmstrip's pictures over a view: one every `stepMs` (a bucket size, so panning reuses the
 * pictures already made), at bucket starts, as many as fit side by side. Empty beyond the zoom.
 */
export function filmstripSlots(view: View, width: number): { stepMs: BucketMs; times: number[] } | null {
  if (view.spanMs > FILMSTRIP_MAX_SPAN_MS || !(width > 0)) return null;
  const stepMs = bucketAtLeast((view.spanMs * FILMSTRIP_THUMB_PX) / width);
  const times: number[] = [];
  const first = Math.floor(view.startMs / stepMs) * stepMs;
  for (let t = first; t < view.startMs + view.spanMs && times.length < 200; t += stepMs) times.push(t);
  return { stepMs, times };
}
