/**
 * The one reader of HLS media playlists (RFC 8216 §4.3), on both sides: the live edge the
 * renderer's players follow (renderer/media/engines/hls-edge-loader.ts), the key-frame refresh's
 * newest segment (renderer/media/key-frames/hls-key-refresh.ts), and in main where a recording's
 * segments start by time or date (main/media/hls-dates.ts, clip-download.ts). Pure: text in, facts
 * out; URIs are returned as written (the caller resolves them against the playlist's URL).
 */

export interface PlaylistSegment {
  /** #EXTINF's duration in seconds (as hls.js and main's relay read it: `#EXTINF: 2.0,`, `#EXTINF:.96,`). */
  durationS: number;
  /** The URI line after its #EXTINF, as written; '' where none follows (yet). */
  uri: string;
  /** Seconds from the playlist's first segment to this one's start (the durations before it). */
  startS: number;
  /**
   * Wall clock of its start (epoch ms): the last #EXT-X-PROGRAM-DATE-TIME carried on by the
   * durations since (RFC 8216 §4.3.2.6); null where nothing before it is dated.
   */
  dateMs: number | null;
}

export interface MediaPlaylist {
  targetS: number | null;
  /** #EXT-X-MEDIA-SEQUENCE: the first segment's number (0 when absent). */
  mediaSequence: number;
  /** #EXT-X-ENDLIST or #EXT-X-PLAYLIST-TYPE:VOD: nothing more will be listed. */
  ended: boolean;
  segments: PlaylistSegment[];
  /** Some segment is a byte range of a file (#EXT-X-BYTERANGE). */
  byteRanges: boolean;
  /** Some segment is encrypted (#EXT-X-KEY with a METHOD other than NONE). */
  encrypted: boolean;
  /** The origin answers blocking reloads itself (#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES). */
  serverBlocks: boolean;
  /** Some #EXTINF has no duration a player can read (missing, negative, not a number). */
  malformed: boolean;
}

const EXTINF = /^#EXTINF:\s*(\d+(?:\.\d*)?|\.\d+)/;

/** A master playlist's first variant (its address as written), or null for a media playlist. */
export function firstVariant(text: string): string | null {
  return /#EXT-X-STREAM-INF[^\n]*\n\s*([^#\s][^\n]*)/.exec(text)?.[1]?.trim() || null;
}

/** A media playlist's facts; null where the text is not a playlist (no #EXTM3U first). */
export function readMediaPlaylist(text: string): MediaPlaylist | null {
  if (!text.startsWith('#EXTM3U')) return null;
  const out: MediaPlaylist = {
    targetS: null,
    mediaSequence: 0,
    ended: false,
    segments: [],
    byteRanges: false,
    encrypted: false,
    serverBlocks: false,
    malformed: false,
  };
  let open: PlaylistSegment | null = null;
  let startS = 0;
  let dateMs: number | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (!line.startsWith('#')) {
      if (open && !open.uri) {
        // A date between the #EXTINF and its URI is still this segment's.
        open.uri = line;
        open.dateMs = dateMs;
        startS += open.durationS;
        if (dateMs !== null) dateMs += open.durationS * 1000;
      }
      open = null;
      continue;
    }
    const inf = EXTINF.exec(line);
    if (inf) {
      open = { durationS: Number(inf[1]), uri: '', startS, dateMs };
      out.segments.push(open);
    } else if (line === '#EXTINF' || line.startsWith('#EXTINF:')) out.malformed = true;
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) {
      const ms = Date.parse(line.slice('#EXT-X-PROGRAM-DATE-TIME:'.length));
      dateMs = Number.isFinite(ms) ? ms : null;
    } else if (line.startsWith('#EXT-X-TARGETDURATION:')) {
      const m = /^#EXT-X-TARGETDURATION:(\d+(?:\.\d+)?)/.exec(line);
      if (m && out.targetS === null) out.targetS = Number(m[1]);
    } else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
      const m = /^#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(line);
      if (m) out.mediaSequence = Number(m[1]);
    } else if (line.startsWith('#EXT-X-ENDLIST') || line.startsWith('#EXT-X-PLAYLIST-TYPE:VOD')) out.ended = true;
    else if (line.startsWith('#EXT-X-BYTERANGE')) out.byteRanges = true;
    else if (line.startsWith('#EXT-X-KEY:')) {
      const m = /METHOD=([A-Z0-9-]+)/.exec(line);
      if (m && m[1] !== 'NONE') out.encrypted = true;
    } else if (/^#EXT-X-SERVER-CONTROL:.*CAN-BLOCK-RELOAD=YES/.test(line)) out.serverBlocks = true;
  }
  return out;
}

export interface LiveEdge {
  /** The newest segment's media sequence number. */
  sequence: number;
  durationS: number;
  targetS: number;
  /** Its URI as written ('' where none follows its #EXTINF yet). */
  uri: string;
}

/** The live playlist's newest segment; null for VOD, ended or unreadable playlists. */
export function liveEdge(text: string): LiveEdge | null {
  const p = readMediaPlaylist(text);
  return p ? edgeOf(p) : null;
}

export function edgeOf(p: MediaPlaylist): LiveEdge | null {
  const newest = p.segments[p.segments.length - 1];
  if (p.ended || !newest || p.targetS === null) return null;
  return {
    sequence: p.mediaSequence + p.segments.length - 1,
    durationS: newest.durationS,
    targetS: p.targetS,
    uri: newest.uri,
  };
}

/** The origin blocks on its own (LL-HLS blocking reload). */
export function serverBlocks(text: string): boolean {
  return readMediaPlaylist(text)?.serverBlocks ?? false;
}

/** The playlist saying CAN-BLOCK-RELOAD (after its #EXT-X-TARGETDURATION): a client may ask with `_HLS_msn`. */
export function markBlocking(text: string): string {
  return text.replace(/^(#EXT-X-TARGETDURATION:[^\r\n]*)/m, '$1\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES');
}

/** Segments whose arrival times `listedAt` looks back over. */
export const SEEN_HISTORY = 8;

/**
 * When segment `sequence` of a live playlist was most likely listed: the earliest of the recent
 * sightings carried forward by the segment length. A segment seen late (a busy machine, a slow
 * answer) says little about when the origin lists the next one; anchoring the next ask on it made
 * each late sighting make the next late too, shrinking by only one poll interval a segment.
 */
export function listedAt(
  seen: Array<{ sequence: number; seenAt: number }>,
  sequence: number,
  durationS: number,
): number {
  return Math.min(...seen.map((s) => s.seenAt + (sequence - s.sequence) * durationS * 1000));
}
