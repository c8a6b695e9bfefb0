import { liveEdge } from './hls-edge-loader';

/**
 * A live HLS pane the decode budget cut to key frames, without hls.js (issue 26). hls.js would
 * load the playlist two or three times a segment (blocking reload, hls-edge-loader.ts), every
 * segment, remux it and append it to a paused video: at 25 panes, 23 of them at key frames, that
 * was most of the page's main thread (test/bench/README.md). The pane shows one picture a segment
 * anyway: here its player stops hls.js and this fetches the playlist once a segment is due and the
 * newest segment, whose opening key frame the worker decodes (key-frame-decoder.ts). Nothing is
 * appended; at full rate hls.js loads again from the live edge.
 */

/** The newest segment a live media playlist lists; null for VOD, ended or unreadable ones. */
export function newestSegment(
  text: string,
  playlistUrl: string,
): { sequence: number; url: string; durationS: number; targetS: number } | null {
  const edge = liveEdge(text);
  if (!edge) return null;
  const lines = text.split(/\r?\n/);
  const inf = lines.findLastIndex((l) => l.startsWith('#EXTINF:'));
  const uri = lines.slice(inf + 1).find((l) => l.trim() && !l.startsWith('#'));
  if (!uri) return null;
  try {
    return { ...edge, url: new URL(uri.trim(), playlistUrl).toString() };
  } catch {
    return null;
  }
}

export interface KeyRefreshHooks {
  /** The pane's media playlist (the variant hls.js was playing), absolute. */
  playlistUrl: string;
  /** The segment's opening key frame, or null where it has none readable. */
  keyFrameOf(segment: Uint8Array): Uint8Array | null;
  /** A new segment's key frame, read from `bytes` bytes. */
  onKeyFrame(frame: Uint8Array, sequence: number, bytes: number): void;
  /** New segments came and none of the last two gave a key frame: the pane needs hls.js again. */
  onUnreadable(): void;
  fetch?: typeof fetch;
}

/** At most one picture this often (ms), whatever the segment length: the "every second or two". */
export const REFRESH_MIN_MS = 1000;
/** Asking again for a playlist that has not grown yet: a fifth of a segment, 100–500 ms. */
const retryMs = (targetS: number) => Math.min(Math.max(targetS * 200, 100), 500);
/** A request that takes longer than this (ms, or 2 segments) is given up and asked again. */
const TIMEOUT_MS = 4000;

export class HlsKeyRefresh {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private seen = -1;
  private unreadable = 0;
  /** When the last new segment was seen (performance.now()) and how long it was. */
  private seenAt = 0;

  constructor(private readonly hooks: KeyRefreshHooks) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async get(url: string, timeoutMs: number): Promise<Response | null> {
    try {
      const res = await (this.hooks.fetch ?? fetch)(url, {
        cache: 'no-store',
        signal: AbortSignal.timeout(timeoutMs),
      });
      return res.ok ? res : null;
    } catch {
      return null; // a network drop: asked again; the player's stall check reconnects after 10 s of none
    }
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const res = await this.get(this.hooks.playlistUrl, TIMEOUT_MS);
    const newest = res ? newestSegment(await res.text().catch(() => ''), res.url || this.hooks.playlistUrl) : null;
    if (this.stopped) return;
    if (!newest) return this.schedule(1000);
    if (newest.sequence <= this.seen) return this.schedule(retryMs(newest.targetS));
    this.seen = newest.sequence;
    this.seenAt = performance.now();
    const segment = await this.get(newest.url, Math.max(TIMEOUT_MS, 2000 * newest.targetS));
    const bytes = segment ? new Uint8Array(await segment.arrayBuffer().catch(() => new ArrayBuffer(0))) : null;
    if (this.stopped) return;
    const frame = bytes?.length ? this.hooks.keyFrameOf(bytes) : null;
    if (frame) {
      this.unreadable = 0;
      this.hooks.onKeyFrame(frame, newest.sequence, bytes!.length);
    } else if (bytes?.length && ++this.unreadable >= 2) {
      this.stop();
      return this.hooks.onUnreadable();
    }
    // The next segment is due one segment after this one was listed (seen): ask just after.
    const due = this.seenAt + Math.max(newest.durationS * 1000, REFRESH_MIN_MS) + 50;
    this.schedule(Math.max(due - performance.now(), 0));
  }
}
