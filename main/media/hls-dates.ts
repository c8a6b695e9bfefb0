/**
 * Where a transcoded HLS recording starts, from its playlist's dates (#EXT-X-PROGRAM-DATE-TIME).
 * A platform may answer a time range with a playlist that begins later or earlier than the range
 * asked (Alibaba VCS answers a window from the cursor with one beginning at its first recording
 * inside it), so "seconds from the range's start" can send ffmpeg past the playlist's end. The
 * dates say which segment shows the cursor. ffmpeg is then given the playlist from that segment on
 * and seeks only inside it: its seek in a playlist stitched from several recordings compares each
 * recording's own timestamps (they restart after each discontinuity) with the offset in the whole
 * playlist, and drops every picture past the first recording. Pure.
 */

export interface DatedSegment {
  /** seconds from the playlist's start */
  start: number;
  duration: number;
  /** wall clock of the segment's start (epoch ms) */
  wallMs: number;
}

/**
 * A media playlist's segments with their dates, or null unless every segment is dated (a date
 * carries on to the following segments by their durations until the next date, RFC 8216 §4.3.2.6).
 */
export function datedSegments(playlist: string): DatedSegment[] | null {
  const segments: DatedSegment[] = [];
  let start = 0;
  let wallMs: number | null = null;
  let duration: number | null = null;
  for (const raw of playlist.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:'))
      wallMs = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
    else if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice('#EXTINF:'.length));
    else if (line !== '' && !line.startsWith('#') && duration !== null) {
      if (wallMs === null || !Number.isFinite(wallMs) || !Number.isFinite(duration) || duration < 0) return null;
      segments.push({ start, duration, wallMs });
      start += duration;
      wallMs += duration * 1000;
      duration = null;
    }
  }
  return segments.length ? segments : null;
}

/**
 * Where to open a dated recording for wall time `atMs`: the segment showing it and the seconds
 * into it, or, in a gap, the next segment's start and the wall time it shows; null when nothing is
 * dated at or after `atMs`.
 */
export function startAtDate(
  segments: DatedSegment[],
  atMs: number,
): { segment: number; into: number; wallMs: number } | null {
  for (const [segment, s] of segments.entries()) {
    if (atMs < s.wallMs) return { segment, into: 0, wallMs: s.wallMs };
    if (atMs < s.wallMs + s.duration * 1000) return { segment, into: (atMs - s.wallMs) / 1000, wallMs: atMs };
  }
  return null;
}
/** Tags of the segment that follows them (RFC 8216 §4.3.2); any other tag before the first segment is the header's. */
const SEGMENT_TAGS = [
  '#EXTINF:',
  '#EXT-X-BYTERANGE:',
  '#EXT-X-DISCONTINUITY',
  '#EXT-X-KEY:',
  '#EXT-X-MAP:',
  '#EXT-X-PROGRAM-DATE-TIME:',
  '#EXT-X-DATERANGE:',
  '#EXT-X-GAP',
  '#EXT-X-BITRATE:',
];
/** Of those, the ones that hold for every later segment: a dropped segment's key or init section still applies. */
const CARRIED = ['#EXT-X-KEY:', '#EXT-X-MAP:'];

/**
 * The playlist from its `first` segment on (0-based): the header kept, the dropped segments' tags
 * dropped except the last key and init section before `first`, and no discontinuity at the start.
 */
export function fromSegment(playlist: string, first: number): string {
  const header: string[] = [];
  const kept: string[] = [];
  const carried = new Map<string, string>();
  let pending: string[] = [];
  let index = 0;
  for (const raw of playlist.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const segmentTag = SEGMENT_TAGS.some((t) => line.startsWith(t));
      if (index === 0 && pending.length === 0 && !segmentTag) header.push(line);
      else pending.push(line);
      continue;
    }
    const kind = (t: string) => CARRIED.find((c) => t.startsWith(c));
    if (index < first) {
      for (const t of pending) if (kind(t)) carried.set(kind(t)!, t);
    } else if (index === first) {
      const own = new Set(pending.map(kind).filter(Boolean));
      kept.push(...[...carried].filter(([k]) => !own.has(k)).map(([, t]) => t));
      kept.push(...pending.filter((t) => !t.startsWith('#EXT-X-DISCONTINUITY')), line);
    } else kept.push(...pending, line);
    pending = [];
    index++;
  }
  return [...header, ...kept, ...pending, ''].join('\n');
}
