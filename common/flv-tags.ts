/**
 * FLV tags and the rules for cutting a live stream to key frames: one home for both halves of
 * reduced-rate decoding — main's relay (main/media/flv-key-frames.ts), which cuts a stream before it
 * leaves main, and the page's loader filter (renderer/media/key-frames/flv-rate.ts). Both must cut
 * alike: the page's filter, finding a stream main already cut, must find nothing more to drop.
 * Also the one tag reader (FlvTagReader) that walks a stream chunk by chunk for those two and for
 * the sound rewriter (flv-sound.ts).
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

const EMPTY = new Uint8Array(0);

/** A copy of `b` in its own memory (a Node Buffer's `slice` would be a view of the same bytes). */
export const copyOf = (b: Uint8Array): Uint8Array => new Uint8Array(b);

/**
 * The bytes a walk over one chunk hands on, gathered without copying: pieces that follow each
 * other in one buffer (the usual case: every tag of a chunk passes) stay one view of it, and a
 * single piece is returned as it is (a Node Buffer stays a Buffer).
 */
export class ByteGather {
  private readonly parts: Array<{ src: Uint8Array; start: number; end: number }> = [];

  /** `home`: the chunk being walked; views of it are kept as ranges of it, so neighbours join. */
  constructor(private readonly home?: Uint8Array) {}

  add(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const h = this.home;
    let src = bytes;
    let start = 0;
    if (
      h &&
      bytes.buffer === h.buffer &&
      bytes.byteOffset >= h.byteOffset &&
      bytes.byteOffset + bytes.length <= h.byteOffset + h.length
    ) {
      src = h;
      start = bytes.byteOffset - h.byteOffset;
    }
    const end = start + bytes.length;
    const last = this.parts[this.parts.length - 1];
    if (last && last.src === src && last.end === start) last.end = end;
    else this.parts.push({ src, start, end });
  }

  bytes(): Uint8Array {
    if (this.parts.length === 0) return EMPTY;
    if (this.parts.length === 1) {
      const p = this.parts[0]!;
      return p.start === 0 && p.end === p.src.length ? p.src : p.src.subarray(p.start, p.end);
    }
    let total = 0;
    for (const p of this.parts) total += p.end - p.start;
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of this.parts) {
      out.set(p.src.subarray(p.start, p.end), at);
      at += p.end - p.start;
    }
    return out;
  }
}

/**
 * Hands on a tag (or its head) whose timestamp was `ts`, at `at` on the closed-up timeline: as it is
 * when they agree, else a restamped copy (it may be a view of the caller's chunk).
 */
export function addPlaced(out: ByteGather, tag: Uint8Array, ts: number, at: number): void {
  if (at === ts) return out.add(tag);
  const moved = copyOf(tag);
  writeTagTimestamp(moved, 0, Math.max(0, at));
  out.add(moved);
}

/** What a reader's owner does with each tag of the stream (see FlvTagReader). */
export interface FlvTagHandler {
  /**
   * How many bytes of a tag (from its first header byte; `whole` is its full length with
   * PreviousTagSize) the handler needs in hand to decide it. The reader clamps this between the
   * tag header and the whole tag.
   */
  headSize(header: Uint8Array, whole: number): number;
  /**
   * The tag's first bytes are in `head` (as many as `headSize` asked): add what replaces them to
   * `out` (`head` itself to pass them), and say whether the rest of the tag passes as it comes.
   * `head` may be a view of the caller's chunk: copy it before rewriting it.
   */
  tag(head: Uint8Array, out: ByteGather): boolean;
}

/**
 * Walks an FLV byte stream chunk by chunk: the header (with PreviousTagSize0) passes, each tag is
 * decided by its handler from its first bytes, and the rest of a tag follows without waiting for
 * it (a large picture is not held unless the handler asks for it whole). A stream that does not
 * open with the FLV signature passes untouched. One reader per connection; `reset` for a new one.
 */
export class FlvTagReader {
  private started = false;
  private plainStream = false;
  /** The header or tag head being gathered (a view of the current chunk while in it). */
  private head: Uint8Array = EMPTY;
  /** Bytes of the current header or tag still to come after its head, and whether they pass. */
  private rest = 0;
  private passing = true;

  constructor(private readonly handler: FlvTagHandler) {}

  /** The stream is not FLV: everything passes. */
  get plain(): boolean {
    return this.plainStream;
  }

  reset(): void {
    this.started = this.plainStream = false;
    this.head = EMPTY;
    this.rest = 0;
    this.passing = true;
  }

  /** What of `chunk` is handed on now (a head still incomplete waits for the next chunk). */
  push(chunk: Uint8Array): Uint8Array {
    if (this.plainStream) return chunk;
    const out = new ByteGather(chunk);
    let pos = 0;
    while (pos < chunk.length) {
      if (this.rest > 0) {
        const n = Math.min(this.rest, chunk.length - pos);
        if (this.passing) out.add(chunk.subarray(pos, pos + n));
        this.rest -= n;
        pos += n;
        continue;
      }
      pos = this.gather(chunk, pos);
      if (this.head.length < this.want()) continue;
      const head = this.head;
      this.head = EMPTY;
      if (!this.started) {
        if (!isFlvSignature(head)) {
          this.plainStream = true; // not FLV as we know it: everything passes untouched
          out.add(head);
          out.add(chunk.subarray(pos));
          break;
        }
        this.started = this.passing = true;
        out.add(head);
        this.rest = Math.max(0, readUint(head, 5, 4) - FLV_HEADER) + PREV_TAG_SIZE;
        continue;
      }
      this.rest = TAG_HEADER + tagDataSize(head, 0) + PREV_TAG_SIZE - head.length;
      this.passing = this.handler.tag(head, out);
    }
    // A head left incomplete outlives this chunk, which its caller may reuse.
    if (this.head.length && this.head.buffer === chunk.buffer) this.head = copyOf(this.head);
    return out.bytes();
  }

  /** Bytes of head needed now: the FLV header's 9, a tag header's 11, then what the handler asks. */
  private want(): number {
    if (!this.started) return FLV_HEADER;
    if (this.head.length < TAG_HEADER) return TAG_HEADER;
    const whole = TAG_HEADER + tagDataSize(this.head, 0) + PREV_TAG_SIZE;
    return Math.min(whole, Math.max(TAG_HEADER, this.handler.headSize(this.head, whole)));
  }

  /** Adds to the head from `chunk` at `pos` up to what is wanted (a view while it lies in the chunk). */
  private gather(chunk: Uint8Array, pos: number): number {
    let n = Math.min(this.want() - this.head.length, chunk.length - pos);
    while (n > 0) {
      const h = this.head;
      if (h.length === 0) this.head = chunk.subarray(pos, pos + n);
      else if (h.buffer === chunk.buffer && h.byteOffset + h.length === chunk.byteOffset + pos)
        this.head = chunk.subarray(pos - h.length, pos + n);
      else {
        const joined = new Uint8Array(h.length + n);
        joined.set(h);
        joined.set(chunk.subarray(pos, pos + n), h.length);
        this.head = joined;
      }
      pos += n;
      // The tag header in hand may tell the handler it needs more of the tag.
      n = Math.min(this.want() - this.head.length, chunk.length - pos);
    }
    return pos;
  }
}
