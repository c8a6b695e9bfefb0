import type { Segment } from '../hls-dates';
import { startAtDate, startAtSecond } from '../hls-dates';

/**
 * Which segment of a recording's playlist shows wall time `atMs`, and how far into it: by the
 * playlist's dates where every segment has one, else by its durations from `fromMs` (the time
 * the play source was asked from). Null when the time is past the playlist or in a gap longer
 * than `gapMs` (a picture from minutes later would mislead).
 */
export function locate(
  segments: Segment[],
  atMs: number,
  fromMs: number,
  gapMs = 10_000,
): { segment: number; seekS: number } | null {
  const dated = startAtDate(segments, atMs);
  if (dated) {
    if (dated.wallMs - atMs > gapMs) return null;
    return { segment: dated.segment, seekS: dated.into };
  }
  if (segments.every((s) => s.wallMs !== null)) return null;
  if (atMs < fromMs - gapMs) return null;
  const at = startAtSecond(segments, Math.max(0, (atMs - fromMs) / 1000));
  return at ? { segment: at.segment, seekS: at.into } : null;
}
