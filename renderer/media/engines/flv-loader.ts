import mpegts from 'mpegts.js';
import { correctAudioFlag } from './flv-audio-flag';
import { FlvSoundRewriter, type SoundInfo } from '../../../common/flv-sound';
import { videoTagKind } from '../../../common/flv-tags';
import type { FlvRateFilter } from '../key-frames/flv-rate';

/**
 * The loader Vigil gives mpegts.js for live FLV (HTTP fetch, or WebSocket for ws:// WS-FLV sources)
 * and for recordings a URL serves once (main's transcodes). It exists to correct the header's audio
 * flag from the stream's metadata (flv-audio-flag.ts) before mpegts.js reads it, so a video-only
 * stream starts on its first connection instead of being opened twice (a second play URL, a second
 * GOP to decode: the first frame came late). It makes the stream's sound playable or drops it
 * (G.711 → FLAC, common/flv-sound.ts). With a rate filter it also decides which video frames reach
 * the decoder (flv-rate.ts). With `hold` it paces a recording (below).
 */

/** How often a held loader asks again whether to read on. */
export const HOLD_POLL_MS = 250;
/** What a held loader hands on between two asks (a third of a second of a small pane's picture). */
export const HOLD_SLICE_BYTES = 16 * 1024;

/**
 * Follows an FLV byte stream across chunks: the seconds of media it carried, from the first picture
 * or sound's timestamp to the latest — the timeline mpegts.js gives the <video>, which starts at
 * the first sample. Only tag headers (and two bytes of each tag) are read; not FLV: 0.
 */
export class FlvMediaClock {
  private header: number[] | null = [];
  private skip = 0;
  private tag: number[] = [];
  private first: number | null = null;
  private last = 0;

  get seconds(): number {
    return this.first === null ? 0 : (this.last - this.first) / 1000;
  }

  push(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, bytes.length - i);
        this.skip -= n;
        i += n;
      } else if (this.header) {
        this.header.push(bytes[i++]!);
        if (this.header.length < 9) continue;
        const h = this.header;
        if (h[0] !== 0x46 || h[1] !== 0x4c || h[2] !== 0x56) return void (this.skip = Infinity);
        this.skip = Math.max(0, readU32(h, 5) - 9) + 4; // the rest of the header, PreviousTagSize0
        this.header = null;
      } else {
        this.tag.push(bytes[i++]!);
        const t = this.tag;
        if (t.length < 11) continue;
        const size = (t[1]! << 16) | (t[2]! << 8) | t[3]!;
        if (t.length < 11 + Math.min(2, size)) continue; // and what the tag carries (its first two bytes)
        this.tag = [];
        const ts = ((t[7]! << 24) | (t[4]! << 16) | (t[5]! << 8) | t[6]!) >>> 0;
        if (carriesMedia(t[0]! & 0x1f, t[11], t[12])) {
          this.first ??= ts;
          this.last = Math.max(this.last, ts);
        }
        this.skip = size - (t.length - 11) + 4; // the rest of the data, PreviousTagSize
      }
    }
  }
}

/**
 * A picture or a sound, not a codec's configuration: mpegts.js starts the timeline at the first
 * sample, and ffmpeg writes the configuration at 0 even where the pictures start later.
 */
function carriesMedia(type: number, b0: number | undefined, b1: number | undefined): boolean {
  if (b0 === undefined) return false;
  if (type === 9) return videoTagKind(b0, b1 ?? 0) !== 'config';
  // an AAC sequence header, or an Enhanced RTMP one (FLAC's, flv-sound.ts)
  if (type === 8) return !((b0 >> 4 === 10 && b1 === 0) || b0 === 0x90);
  return false;
}

function readU32(b: ArrayLike<number>, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

export interface FlvLoaderOptions {
  filter?: FlvRateFilter;
  /** Told once a connection what its sound is, from its first audio tag (common/flv-sound.ts). */
  sound?: (info: SoundInfo) => void;
  /**
   * Asked before each read, and between slices of what a read brought (`deliveredS`: seconds of
   * media handed on so far, FlvMediaClock): while it says true the loader reads nothing, so the
   * connection's own back-pressure stops the sender (main's transcode: ffmpeg waits on its output).
   * Slices, because a connection held back piles up hundreds of KB (seconds of a small pane's
   * picture) that a single read then brings at once. mpegts.js's lazy load would instead close
   * the connection and ask again for a byte range, which a one-use URL cannot answer.
   * (HTTP only: a WebSocket cannot be held.)
   */
  hold?: (deliveredS: number) => boolean;
  /**
   * Subscribes `wake` to what may end a hold (the pane's `timeupdate`) and returns the unsubscribe.
   * The poll's timer alone is not enough: a hidden window runs it once a second, and once a minute
   * after five minutes hidden, while its recording plays on and media events still come.
   */
  holdWake?: (wake: () => void) => () => void;
  /** How often a held loader asks again without a wake (HOLD_POLL_MS). */
  pollMs?: number;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// mpegts.js's LoaderStatus values (its typings declare the object, not the values).
const kConnecting = 1;
const kBuffering = 2;
const kError = 3;
const kComplete = 4;

/**
 * An FLV loader class for mpegts.js's `customLoader` that reports what it learnt about audio
 * through `onAudio` (once per connection, before mpegts.js parses anything).
 */
export function vigilFlvLoader(
  onAudio: (hasAudio: boolean | undefined, codecId?: number) => void,
  { filter, sound, hold, holdWake, pollMs = HOLD_POLL_MS }: FlvLoaderOptions = {},
): mpegts.CustomLoaderConstructor {
  class VigilFlvLoader extends (mpegts.BaseLoader as unknown as new (name: string) => mpegts.BaseLoader) {
    private abortController: AbortController | null = null;
    private socket: WebSocket | null = null;
    private aborted = false;
    private received = 0;
    private head: Uint8Array | null = new Uint8Array(0);
    /** Ends the current hold's wait (a wake, the poll's timer, or abort). */
    private endWait: (() => void) | null = null;
    private clock = new FlvMediaClock();
    private sound = new FlvSoundRewriter(sound);

    constructor() {
      super('vigil-flv-loader');
      this._needStash = false;
    }

    override open(dataSource: mpegts.MediaSegment): void {
      this._status = kConnecting;
      filter?.reset();
      this.clock = new FlvMediaClock();
      this.sound = new FlvSoundRewriter(sound);
      if (/^wss?:/i.test(dataSource.url)) this.openSocket(dataSource.url);
      else void this.fetch(dataSource.url);
    }

    override abort(): void {
      this.aborted = true;
      this.endWait?.();
      this.abortController?.abort();
      if (this.socket && this.socket.readyState <= WebSocket.OPEN) this.socket.close();
      this.socket = null;
      this._status = kComplete;
    }

    override destroy(): void {
      if (this.isWorking()) this.abort();
      super.destroy();
    }

    private async fetch(url: string): Promise<void> {
      this.abortController = new AbortController();
      try {
        const res = await fetch(url, { mode: 'cors', cache: 'no-store', signal: this.abortController.signal });
        if (!res.ok || !res.body) {
          void res.body?.cancel();
          return this.fail('HttpStatusCodeInvalid', res.status, `HTTP ${res.status} ${res.statusText}`);
        }
        this._status = kBuffering;
        const reader = res.body.getReader();
        for (;;) {
          // (Live streams never wait here: no promise per read for them.)
          if (this.aborted || (hold && !(await this.unheld()))) return void reader.cancel().catch(() => undefined);
          const { done, value } = await reader.read();
          if (this.aborted) return void reader.cancel().catch(() => undefined);
          if (done) return this.complete();
          if (!hold) {
            this.deliver(value);
            continue;
          }
          for (let at = 0; at < value.length; at += HOLD_SLICE_BYTES) {
            if (at > 0 && !(await this.unheld())) return void reader.cancel().catch(() => undefined);
            this.deliver(value.subarray(at, at + HOLD_SLICE_BYTES));
          }
        }
      } catch (e) {
        if (!this.aborted) this.fail('Exception', -1, (e as Error).message);
      }
    }

    /** Waits while `hold` says so; false once aborted. */
    private async unheld(): Promise<boolean> {
      while (hold?.(this.clock.seconds) && !this.aborted) await this.heldWait();
      return !this.aborted;
    }

    /** Until the poll's time is up or something wakes the loader, whichever comes first. */
    private heldWait(): Promise<void> {
      return new Promise((resolve) => {
        // `end` cannot run before `timer` and `unsubscribe` exist: neither calls back at once.
        const end = () => {
          clearTimeout(timer);
          unsubscribe?.();
          this.endWait = null;
          resolve();
        };
        const timer = setTimeout(end, pollMs);
        const unsubscribe = holdWake?.(end);
        this.endWait = end;
      });
    }

    private openSocket(url: string): void {
      const ws = (this.socket = new WebSocket(url));
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => (this._status = kBuffering);
      ws.onmessage = (e: MessageEvent) => {
        if (e.data instanceof ArrayBuffer) this.deliver(new Uint8Array(e.data));
      };
      ws.onerror = () => !this.aborted && this.fail('Exception', -1, 'the WebSocket failed');
      ws.onclose = () => !this.aborted && this._status !== kError && this.complete();
    }

    /** Holds the first bytes until the audio question is settled, then passes everything on. */
    private deliver(chunk: Uint8Array): void {
      let bytes = chunk;
      if (this.head) {
        const head = concat(this.head, chunk);
        const decided = correctAudioFlag(head);
        if (decided === 'more') {
          this.head = head;
          return;
        }
        this.head = null;
        onAudio(decided.hasAudio, decided.codecId);
        bytes = decided.bytes;
      }
      bytes = this.sound.push(bytes);
      if (filter) bytes = filter.push(bytes);
      if (!bytes.length) return;
      if (hold) this.clock.push(bytes);
      const start = this.received;
      this.received += bytes.length;
      const copy =
        bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
          ? (bytes.buffer as ArrayBuffer)
          : (bytes.slice().buffer as ArrayBuffer);
      this.onDataArrival?.(copy, start, this.received);
    }

    private complete(): void {
      if (this.head?.length) {
        const rest = this.head; // ended before the first tag did: hand on what came
        this.head = null;
        onAudio(undefined);
        this.deliver(rest);
      }
      this._status = kComplete;
      this.onComplete?.(0, this.received - 1);
    }

    private fail(type: 'HttpStatusCodeInvalid' | 'Exception', code: number, msg: string): void {
      this._status = kError;
      this.onError?.(type as unknown as mpegts.LoaderErrors, { code, msg });
    }
  }
  // mpegts.js calls it with (seekHandler, config); neither is needed: live streams and one-use
  // recordings (lazy load off, no key-frame index to seek by) are never asked for a byte range.
  return VigilFlvLoader as unknown as mpegts.CustomLoaderConstructor;
}
