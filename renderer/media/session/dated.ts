/**
 * Dated VOD playlists (#EXT-X-PROGRAM-DATE-TIME): each fragment knows its wall-clock start, so
 * media time maps to wall time exactly, across the discontinuities between recordings, where a
 * single "wall clock at media time 0" would drift by every gap. Pure, for the playback panes.
 */
export interface DatedFragment {
  /** media time of the fragment's start (s) */
  start: number;
  duration: number;
  /** wall clock of the fragment's start (epoch ms) */
  wallMs: number;
}

/** Media time (s) showing wall time `ms`, or null when no fragment covers it (a gap). */
export function wallToMedia(frags: DatedFragment[], ms: number): number | null {
  const f = frags.find((x) => ms >= x.wallMs && ms < x.wallMs + x.duration * 1000);
  return f ? f.start + (ms - f.wallMs) / 1000 : null;
}

/** Wall time (epoch ms) shown at media time `t` (clamped to the nearest fragment). */
export function mediaToWall(frags: DatedFragment[], t: number): number | null {
  if (frags.length === 0) return null;
  const f =
    frags.find((x) => t >= x.start && t < x.start + x.duration) ??
    (t < frags[0]!.start ? frags[0]! : frags[frags.length - 1]!);
  return f.wallMs + (t - f.start) * 1000;
}
