import { readMediaPlaylist } from '../../common/m3u8';

/**
 * Where a transcoded HLS recording starts, and what ffmpeg is given of its playlist. Pure.
 * - A platform may answer a time range with a playlist that begins later or earlier than the range
 *   asked (Alibaba VCS answers a window from the cursor with one beginning at its first recording
 *   inside it), so "seconds from the range's start" can send ffmpeg past the playlist's end. Its
 *   dates (#EXT-X-PROGRAM-DATE-TIME) say which segment shows the cursor; an undated playlist is
 *   found by its durations.
 * - ffmpeg is given the playlist from that segment to the end of its recording (the next
 *   discontinuity), and seeks only inside that first segment: across recordings stitched with
 *   discontinuities it compares each recording's own timestamps (they restart) with the whole
 *   playlist's, and drops every picture past the first recording — seeking or not.
 */

export interface Segment {
  /** seconds from the playlist's start */
  start: number;
  duration: number;
  /** wall clock of the segment's start (epoch ms), where the playlist dates it */
  wallMs: number | null;
}

/**
 * A media playlist's segments (a date carries on to the following segments by their durations
 * until the next date, RFC 8216 §4.3.2.6). Null for a playlist with no segment or a bad duration.
 */
export function playlistSegments(playlist: string): Segment[] | null {
  const p = readMediaPlaylist(playlist);
  const listed = p?.segments.filter((s) => s.uri) ?? [];
  if (!p || p.malformed || !listed.length) return null;
  return listed.map((s) => ({ start: s.startS, duration: s.durationS, wallMs: s.dateMs }));
}

/**
 * Where to open a recording for wall time `atMs` by its dates: the segment showing it and the
 * seconds into it, or, in a gap, the next segment's start and the wall time it shows. Null unless
 * every segment is dated, or when nothing is dated at or after `atMs`.
 */
export function startAtDate(
  segments: Segment[],
  atMs: number,
): { segment: number; into: number; wallMs: number } | null {
  if (segments.some((s) => s.wallMs === null)) return null;
  for (const [segment, s] of segments.entries()) {
    const wallMs = s.wallMs!;
    if (atMs < wallMs) return { segment, into: 0, wallMs };
    if (atMs < wallMs + s.duration * 1000) return { segment, into: (atMs - wallMs) / 1000, wallMs: atMs };
  }
  return null;
}

/**
 * The recordings a dated playlist holds, where the platform lists none (Alibaba VCS answers a
 * range with its recordings stitched, each dated where it starts): segments whose dates follow on
 * from the one before (within `gapMs`) are one recording; a jump either way starts another. Null
 * unless every segment is dated.
 */
export function datedRecordings(segments: Segment[], gapMs = 1000): Array<{ startMs: number; endMs: number }> | null {
  if (!segments.length || segments.some((s) => s.wallMs === null)) return null;
  const out: Array<{ startMs: number; endMs: number }> = [];
  for (const s of segments) {
    const startMs = s.wallMs!;
    const endMs = startMs + s.duration * 1000;
    const last = out.at(-1);
    if (last && Math.abs(startMs - last.endMs) <= gapMs) last.endMs = endMs;
    else out.push({ startMs, endMs });
  }
  return out.map((r) => ({ startMs: Math.round(r.startMs), endMs: Math.round(r.endMs) }));
}

/** Where `seconds` from the playlist's start is, by the durations: the segment and the seconds into it (null past the end). */
export function startAtSecond(segments: Segment[], seconds: number): { segment: number; into: number } | null {
  const segment = segments.findIndex((s) => seconds < s.start + s.duration);
  return segment < 0 ? null : { segment, into: Math.max(0, seconds - segments[segment]!.start) };
}

/** Tags of the segment that follows them (RFC 8216 §4.3.2); any other tag before the first segment is the header's. */
const SEGMENT_TAGS = [
  '#EXTINF',
  '#EXT-X-BYTERANGE',
  '#EXT-X-DISCONTINUITY',
  '#EXT-X-KEY',
  '#EXT-X-MAP',
  '#EXT-X-PROGRAM-DATE-TIME',
  '#EXT-X-DATERANGE',
  '#EXT-X-GAP',
  '#EXT-X-BITRATE',
];
/** Of those, the ones that hold for every later segment: a dropped segment's key or init section still applies. */
const CARRIED = ['#EXT-X-KEY', '#EXT-X-MAP'];

/** `line` is the tag `name` (not merely a tag whose name begins with it: DISCONTINUITY vs DISCONTINUITY-SEQUENCE). */
function isTag(line: string, name: string): boolean {
  return line === name || line.startsWith(`${name}:`);
}

/**
 * The recording that segment `first` (0-based) belongs to, from that segment on: the header kept;
 * the dropped segments' tags dropped except the last key and init section before `first`, which
 * still apply; no discontinuity at the start; ended at the next discontinuity (#EXT-X-ENDLIST), so
 * ffmpeg stops — and frees its budget — where the recording ends.
 */
export function recordingFrom(playlist: string, first: number): string {
  const header: string[] = [];
  const kept: string[] = [];
  const carried = new Map<string, string>();
  let pending: string[] = [];
  let index = 0;
  const carriedKind = (t: string) => CARRIED.find((c) => isTag(t, c));
  for (const raw of playlist.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const segmentTag = SEGMENT_TAGS.some((t) => isTag(line, t));
      if (index === 0 && pending.length === 0 && !segmentTag) header.push(line);
      else pending.push(line);
      continue;
    }
    if (index < first) {
      for (const t of pending) if (carriedKind(t)) carried.set(carriedKind(t)!, t);
    } else if (index === first) {
      const own = new Set(pending.map(carriedKind).filter(Boolean));
      kept.push(...[...carried].filter(([k]) => !own.has(k)).map(([, t]) => t));
      kept.push(...pending.filter((t) => !isTag(t, '#EXT-X-DISCONTINUITY')), line);
    } else if (pending.some((t) => isTag(t, '#EXT-X-DISCONTINUITY'))) {
      pending = [];
      break;
    } else kept.push(...pending, line);
    pending = [];
    index++;
  }
  return [...header, ...kept, '#EXT-X-ENDLIST', ''].join('\n');
}
