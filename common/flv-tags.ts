/**
 * FLV tags and the rules for cutting a live stream to key frames: one home for both halves of
 * reduced-rate decoding — main's relay (main/media/flv-key-frames.ts), which cuts a stream before it
 * leaves main, and the page's loader filter (renderer/media/key-frames/flv-rate.ts). Both must cut
 * alike: the page's filter, finding a stream main already cut, must find nothing more to drop.
 *
 * Pure: no DOM, no Node (a Buffer is a Uint8Array). Layout: FLV v10.1 §E.4.1, Enhanced RTMP v1.
 */

/** The FLV header's own length (its DataOffset may say more), a tag header's, and PreviousTagSize's. */
export const FLV_HEADER = 9;
export const TAG_HEADER = 11;
export const PREV_TAG_SIZE = 4;
export const TAG_AUDIO = 8;
export const TAG_VIDEO = 9;

/** The three values of the rate the cut rules take (the contract's DecodeRate, checked to be the same). */
export type CutRate = 'full' | 'key' | 'none';

export type VideoTagKind = 'key' | 'inter' | 'config';

/** Whether `b` (from `at`) opens with the FLV signature. */
export function isFlvSignature(b: Uint8Array, at = 0): boolean {
  return b[at] === 0x46 && b[at + 1] === 0x4c && b[at + 2] === 0x56;
}

/** A big-endian unsigned integer of `n` bytes (n ≤ 4). */
export function readUint(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[at + i]!;
  return v;
}

/** The tag at `at`: its type, data size and timestamp (24 bits and the extended byte above them). */
export function tagType(b: Uint8Array, at: number): number {
  return b[at]! & 0x1f;
}
export function tagDataSize(b: Uint8Array, at: number): number {
  return readUint(b, at + 1, 3);
}
export function tagTimestamp(b: Uint8Array, at: number): number {
  return ((b[at + 7]! << 24) | (b[at + 4]! << 16) | (b[at + 5]! << 8) | b[at + 6]!) >>> 0;
}
export function writeTagTimestamp(b: Uint8Array, at: number, ts: number): void {
  b[at + 4] = (ts >> 16) & 0xff;
  b[at + 5] = (ts >> 8) & 0xff;
  b[at + 6] = ts & 0xff;
  b[at + 7] = (ts >>> 24) & 0xff;
}

/** What a video tag is, from its first two data bytes (legacy FLV and Enhanced RTMP). */
export function videoTagKind(b0: number, b1: number): VideoTagKind {
  const frameType = (b0 >> 4) & 0x07;
  if (frameType === 5) return 'config'; // video info / command frame: nothing to decode
  if (b0 & 0x80) {
    const packetType = b0 & 0x0f;
    // SequenceStart, SequenceEnd, Metadata, MPEG2TSSequenceStart: configuration, always passed
    if (packetType === 0 || packetType === 2 || packetType === 4 || packetType === 5) return 'config';
  } else if (b1 === 0 || b1 === 2) return 'config'; // AVC/HEVC sequence header or end of sequence
  return frameType === 1 || frameType === 4 ? 'key' : 'inter';
}

/**
 * Which coded frames pass at a rate:
 * - 'key': each key frame and the one coded frame after it pass (mpegts.js shows a frame once the
 *   next one arrives), the rest of the GOP is dropped;
 * - 'none': no coded frame passes;
 * - 'full' resumes at the next key frame (an inter frame needs the frames dropped before it), and
 *   so does 'key' after 'none';
 * - a stream with audio is never cut (the <video> plays only what both tracks have).
 * `effective` is the rate frames pass at now: full once a second inter frame follows a key frame
 * (until main's relay hears of a change it may still cut, and then one frame a GOP comes through).
 */
export class FrameCut {
  wanted: CutRate = 'full';
  private now: CutRate = 'full';
  private passNext = false;
  /** Every frame passes (from the start, or since a key frame at full rate). */
  private passAll = true;
  private sinceKey = 0;

  get effective(): CutRate {
    return this.now;
  }

  /**
   * Whether a coded frame passes. `audio`: the stream showed audio (never cut). `withholdKey`: at
   * 'key', the key frame goes elsewhere (a worker makes the pane's pictures) and nothing passes.
   */
  decide(kind: 'key' | 'inter', audio: boolean, withholdKey = false): boolean {
    if (this.wanted === 'none' && !audio) {
      this.now = 'none';
      this.passAll = this.passNext = false;
      return false;
    }
    const wantKey = this.wanted === 'key' && !audio;
    if (wantKey && kind === 'key' && withholdKey) {
      this.now = 'key';
      this.passAll = this.passNext = false;
      return false;
    }
    if (kind === 'key') {
      this.sinceKey = 0;
      this.passAll = !wantKey;
      if (wantKey) this.now = 'key';
      this.passNext = wantKey;
      return true;
    }
    this.sinceKey++;
    if (!wantKey && this.passAll) {
      if (this.sinceKey >= 2) this.now = 'full';
      return true;
    }
    if (wantKey) {
      this.now = 'key';
      this.passAll = false;
    }
    if (this.passNext) {
      this.passNext = false;
      return true;
    }
    return false; // reduced, or waiting for a key frame to return to full rate
  }
}

/** Frame interval assumed until two consecutive frames were seen (25 fps). */
const DEFAULT_FRAME_MS = 40;

/**
 * Closes the timeline over what was dropped: a passed frame after a dropped run is put right after
 * the last passed one (later ones shifted back by as much), so the stream stays gap-free and
 * monotonic and a <video> shows each key frame as it arrives instead of waiting a GOP.
 */
export class TimelineCloser {
  private offset = 0;
  private lastIn: number | null = null;
  private lastOut: number | null = null;
  private frameMs = DEFAULT_FRAME_MS;
  private droppedSince = false;

  /** A frame was dropped. */
  dropped(): void {
    this.droppedSince = true;
  }

  /** A tag that is not a coded frame keeps its place on the shifted timeline. */
  shifted(ts: number): number {
    return ts - this.offset;
  }

  /** A passed frame's timestamp. */
  place(ts: number): number {
    let out = ts - this.offset;
    if (this.droppedSince && this.lastOut !== null && out > this.lastOut + this.frameMs) {
      this.offset += out - (this.lastOut + this.frameMs);
      out = this.lastOut + this.frameMs;
    } else if (!this.droppedSince && this.lastIn !== null) {
      const d = ts - this.lastIn;
      if (d >= 1 && d <= 200) this.frameMs = d;
    }
    this.droppedSince = false;
    this.lastIn = ts;
    this.lastOut = out;
    return out;
  }
}
