import { edgeOf, listedAt, readMediaPlaylist, SEEN_HISTORY } from '../../../common/m3u8';

/**
 * A live HLS pane the decode budget cut to key frames, without hls.js (issue 26). hls.js would
 * load the playlist two or three times a segment (blocking reload, hls-edge-loader.ts), every
 * segment, remux it and append it to a paused video: at 25 panes, 23 of them at key frames, that
 * was most of the page's main thread (docs/benchmarks.md). The pane shows one picture a segment
 * anyway: here its player stops hls.js and this fetches the playlist when a segment is due and the
 * newest segment, whose opening key frame the worker decodes (key-frame-decoder.ts). Nothing is
 * appended; at full rate hls.js loads again (hls-player.ts).
 *
 * Only the segment's opening is fetched (a byte range): the key frame is all the pane shows, and
 * the rest of the segment — most of it, more so for the 2–10-s segments cloud origins cut — would
 * cost the network as much as full rate. The range is what the last whole segment's key frame
 * needed, with room; an origin that ignores ranges sends the whole segment, as before.
 */

export interface NewestSegment {
  sequence: number;
  url: string;
  durationS: number;
  targetS: number;
}

/**
 * The newest segment a live media playlist lists; null for VOD, ended or unreadable ones, and for
 * what a whole-segment fetch cannot read a key frame from: byte ranges of one file, encrypted segments.
 */
export function newestSegment(text: string, playlistUrl: string): NewestSegment | null {
  const playlist = readMediaPlaylist(text);
  const edge = playlist && edgeOf(playlist);
  if (!playlist || !edge || playlist.byteRanges || playlist.encrypted || !edge.uri) return null;
  try {
    const { uri: _, ...facts } = edge;
    return { ...facts, url: new URL(edge.uri, playlistUrl).toString() };
  } catch {
    return null;
  }
}

export interface KeyRefreshHooks {
  /** The pane's media playlist (the variant hls.js was playing), absolute. */
  playlistUrl: string;
  /** The newest segment hls.js already gave a picture of: the refresh starts after it. */
  after: number;
  /** The segment's opening key frame, or null where it has none readable. */
  keyFrameOf(segment: Uint8Array): Uint8Array | null;
  /** A new segment's key frame, read from `bytes` bytes; the segment was most likely listed at `listedAt` (performance.now()). */
  onKeyFrame(frame: Uint8Array, segment: NewestSegment, bytes: number, listedAt: number): void;
  /** Neither the playlist nor the segments gave a key frame, twice running: the pane needs hls.js again. */
  onUnreadable(): void;
  fetch?: typeof fetch;
}

/** At most one picture this often (ms), whatever the segment length: the "every second or two". */
const REFRESH_MIN_MS = 1000;
/** Asking again for a playlist that has not grown yet: a tenth of a segment, 100–500 ms. */
const pollMs = (targetS: number) => Math.min(Math.max(targetS * 100, 100), 500);
/** A request that takes longer than this (ms, or 2 segments) is given up, and asked again. */
const TIMEOUT_MS = 4000;
/** Answers a segment fetch cannot use before the pane goes back to hls.js. */
const UNREADABLE_AT = 2;

const TS_PACKET = 188;

/**
 * How many of a segment's first bytes `keyFrameOf` needs to find its key frame (whole 188-byte
 * packets for MPEG-TS), or null where the whole segment gives none. The readers need a prefix that
 * holds the frame and, for MPEG-TS, the start of what follows it: a longer one gives the same frame.
 */
export function bytesNeeded(segment: Uint8Array, keyFrameOf: (s: Uint8Array) => Uint8Array | null): number | null {
  if (!keyFrameOf(segment)) return null;
  const unit = segment[0] === 0x47 ? TS_PACKET : 1;
  // binary search over whole units: `hi` always gives the frame, `lo` never does
  let [lo, hi] = [0, Math.ceil(segment.length / unit)];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (keyFrameOf(segment.subarray(0, mid * unit))) hi = mid;
    else lo = mid;
  }
  return Math.min(hi * unit, segment.length);
}

/**
 * The last byte (inclusive, for `Range: bytes=0-N`) to ask of a segment whose predecessor's key
 * frame needed `needed` bytes: a quarter more and 4 KB (a busier scene codes a bigger key frame),
 * in whole TS packets. Asking too little costs a second fetch, of the whole segment.
 */
export function rangeEnd(needed: number): number {
  return Math.ceil((needed * 1.25 + 4096) / TS_PACKET) * TS_PACKET - 1;
}

export class HlsKeyRefresh {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Ends what is in flight at stop(): the relay has two lanes per HLS pane, and hls.js wants them back. */
  private readonly abort = new AbortController();
  private seen: Array<{ sequence: number; seenAt: number }> = [];
  private last: number;
  private unreadable = 0;
  /** Bytes the last whole segment's key frame needed (bytesNeeded): the next segments are asked that far; null: whole. */
  private needed: number | null = null;
  /** The origin answered a range with the whole segment: it is not asked for ranges again. */
  private rangesIgnored = false;

  constructor(private readonly hooks: KeyRefreshHooks) {
    this.last = hooks.after;
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private schedule(ms: number): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), ms);
  }

  /** The body, or null for a network drop, a timeout or an HTTP error (asked again later). */
  private async get<T>(
    url: string,
    timeoutMs: number,
    read: (r: Response) => Promise<T>,
    headers?: Record<string, string>,
  ): Promise<T | null> {
    try {
      const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(timeoutMs)]);
      const res = await (this.hooks.fetch ?? fetch)(url, { cache: 'no-store', signal, headers });
      return res.ok ? await read(res) : null;
    } catch {
      return null;
    }
  }

  /** One more answer it could not use: at UNREADABLE_AT running, the pane goes back to hls.js. */
  private useless(): boolean {
    if (++this.unreadable < UNREADABLE_AT) return false;
    this.stop();
    this.hooks.onUnreadable();
    return true;
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const playlist = await this.get(this.hooks.playlistUrl, TIMEOUT_MS, async (r) => ({
      text: await r.text(),
      url: r.url || this.hooks.playlistUrl,
    }));
    if (this.stopped) return;
    // (no answer: a drop, asked again; the player reconnects after a while of no picture)
    if (!playlist) return this.schedule(1000);
    const newest = newestSegment(playlist.text, playlist.url);
    if (!newest) return this.useless() ? undefined : this.schedule(1000);
    const now = performance.now();
    if (newest.sequence < this.last - SEEN_HISTORY) [this.last, this.seen] = [-1, []]; // the origin restarted its numbering
    // Not listed yet: asked again soon (none seen yet, when the next is due is not known: less often).
    if (newest.sequence <= this.last)
      return this.schedule(
        this.seen.length ? pollMs(newest.targetS) : Math.max(pollMs(newest.targetS), newest.targetS * 250),
      );
    // When the next is due: from when this one was most likely listed (a late sighting, carried
    // forward, would make every next sighting late too).
    if (this.seen[this.seen.length - 1]?.sequence !== newest.sequence)
      this.seen = [...this.seen, { sequence: newest.sequence, seenAt: now }].slice(-SEEN_HISTORY);
    const listed = listedAt(this.seen, newest.sequence, newest.durationS);
    // (a simple single range: CORS-safelisted, so the relay is asked no preflight)
    const range = this.needed === null ? undefined : { Range: `bytes=0-${rangeEnd(this.needed)}` };
    const answer = await this.get(
      newest.url,
      Math.max(TIMEOUT_MS, 2000 * newest.targetS),
      async (r) => ({ part: r.status === 206, bytes: new Uint8Array(await r.arrayBuffer()) }),
      range,
    );
    if (this.stopped) return;
    // (not fetched: the newest, whichever it is by then, is asked for again)
    if (!answer) return this.schedule(500);
    const { part, bytes: segment } = answer;
    const frame = segment.length ? this.hooks.keyFrameOf(segment) : null;
    if (!frame && part && range) {
      // Its key frame needed more than was asked (or it opens otherwise): asked again whole, to learn anew.
      this.needed = null;
      return this.schedule(0);
    }
    this.last = newest.sequence;
    if (frame) {
      this.unreadable = 0;
      if (range && !part) [this.rangesIgnored, this.needed] = [true, null];
      else if (!part && !this.rangesIgnored) this.needed = bytesNeeded(segment, this.hooks.keyFrameOf);
      this.hooks.onKeyFrame(frame, newest, segment.length, listed);
    } else if (this.useless()) return;
    const every = Math.max(newest.durationS * 1000, REFRESH_MIN_MS);
    this.schedule(Math.max(listed + every - pollMs(newest.targetS) - performance.now(), 0));
  }
}
