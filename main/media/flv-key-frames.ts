/**
 * Main's half of reduced-rate decoding (issue 26). A wall pane the decode budget cut to key frames
 * decodes one key frame a GOP (the renderer's flv-rate.ts); without this, every other frame still
 * crossed into Chromium — its network service, its browser process and the page's loader each
 * copied it — only to be thrown away there: about 45 % of a core at 64 panes. So the relay cuts
 * a stream the renderer asked it to (`media:rate`) before it leaves main, by the same rules:
 *
 * - 'key': each key frame and the one coded frame after it pass (mpegts.js shows a frame once the
 *   next one arrives), the rest of the GOP is dropped; configuration and script tags always pass.
 * - Timestamps are closed up over what was dropped, so the stream stays gap-free and monotonic:
 *   the renderer's filter, which closes only gaps it made itself, finds nothing to drop and reports
 *   the rate that really reaches its decoder.
 * - 'none': no coded frame passes — the pane is held unseen (its window hidden, or scrolled away)
 *   with its connection open, so it comes back within a GOP without asking the platform again.
 * - 'full' resumes at the next key frame (an inter frame needs the frames dropped before it), and
 *   so does 'key' after 'none'.
 * - A stream with audio is never cut (the <video> plays only what both tracks have); bytes that are
 *   not FLV pass untouched.
 *
 * Pure: bytes in, bytes out.
 */
/** What the relay passes of a stream: every frame, key frames (and the frame after each), or none. */
export type CutRate = 'full' | 'key' | 'none';

const TAG_HEADER = 11;
const PREV_SIZE = 4;
const AUDIO = 8;
const VIDEO = 9;
/** Frame interval assumed until two consecutive frames were seen (25 fps). */
const DEFAULT_FRAME_MS = 40;
const EMPTY = Buffer.alloc(0);

/** A video tag's frame kind from its first two data bytes (legacy FLV and Enhanced RTMP). */
function frameKind(b0: number, b1: number): 'key' | 'inter' | 'config' {
  if (((b0 >> 4) & 0x07) === 5) return 'config'; // video info / command frame
  if (b0 & 0x80) {
    if ([0, 2, 4, 5].includes(b0 & 0x0f)) return 'config'; // sequence start/end, metadata
  } else if (b1 === 0 || b1 === 2) return 'config'; // AVC/HEVC sequence header, end of sequence
  const frameType = (b0 >> 4) & 0x07;
  return frameType === 1 || frameType === 4 ? 'key' : 'inter';
}

/**
 * Tag by tag as the bytes come: a tag's fate is known from its first 13 bytes (header and frame
 * kind), so the rest of it streams through or is skipped without being held — the relay never keeps
 * more than 13 bytes of a stream, however large a key frame.
 */
export class FlvKeyFrameCut {
  private wanted: CutRate = 'full';
  /** Inter frames are being dropped (until a key frame, where the wanted rate takes over). */
  private cutting = false;
  private passNext = false;
  private audio = false;
  private plain = false;
  /** The FLV header was read (the first bytes are its 9, then tags). */
  private started = false;
  /** The start of the header or tag being read, up to the bytes that decide it. */
  private head: Buffer = EMPTY;
  /** Bytes of the current header or tag still to come after its head, and whether they pass. */
  private rest = 0;
  private passing = true;
  private offset = 0;
  private lastIn: number | null = null;
  private lastOut: number | null = null;
  private frameMs = DEFAULT_FRAME_MS;
  private droppedSince = false;
  /** Coded video frames passed and dropped since the start. */
  readonly counts = { passed: 0, dropped: 0 };

  /** 'key' and 'none' cut from now on; 'full' passes every frame from the next key frame. */
  setRate(rate: CutRate): void {
    this.wanted = rate;
  }

  /** What of `chunk` passes (a tag's head waits for the bytes that decide it). */
  push(chunk: Buffer): Buffer {
    if (this.plain) return chunk;
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.rest > 0) {
        const n = Math.min(this.rest, chunk.length - pos);
        if (this.passing) out.push(chunk.subarray(pos, pos + n));
        this.rest -= n;
        pos += n;
        continue;
      }
      const need = this.headSize();
      const take = Math.min(need - this.head.length, chunk.length - pos);
      this.head = Buffer.concat([this.head, chunk.subarray(pos, pos + take)]);
      pos += take;
      if (this.head.length < this.headSize()) continue;
      if (!this.started) {
        if (this.head.toString('latin1', 0, 3) !== 'FLV') {
          this.plain = true; // not FLV as we know it: everything passes untouched
          out.push(this.head, chunk.subarray(pos));
          break;
        }
        this.started = true;
        this.passing = true;
        out.push(this.head);
        this.rest = Math.max(0, this.head.readUInt32BE(5) - 9) + PREV_SIZE;
      } else this.tag(out);
      this.head = EMPTY;
    }
    return out.length === 0 ? EMPTY : out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** Bytes that decide what follows: the FLV header's 9, a tag's 11 and its first two data bytes. */
  private headSize(): number {
    if (!this.started) return 9;
    if (this.head.length < TAG_HEADER) return TAG_HEADER;
    return TAG_HEADER + Math.min(2, this.head.readUIntBE(1, 3));
  }

  /** A tag's head is in: pass it (restamped where frames were dropped before it) or skip the tag. */
  private tag(out: Buffer[]): void {
    const head = this.head;
    const size = head.readUIntBE(1, 3);
    const type = head[0]! & 0x1f;
    const ts = (head.readUIntBE(4, 3) | (head[7]! << 24)) >>> 0;
    this.rest = size - (head.length - TAG_HEADER) + PREV_SIZE;
    if (type === AUDIO) this.audio = true;
    const kind = type === VIDEO && size >= 2 ? frameKind(head[TAG_HEADER]!, head[TAG_HEADER + 1]!) : 'config';
    let at = ts - this.offset;
    if (kind !== 'config') {
      this.passing = this.passes(kind);
      this.counts[this.passing ? 'passed' : 'dropped']++;
      if (!this.passing) {
        this.droppedSince = true;
        return;
      }
      at = this.place(ts);
    }
    this.passing = true;
    if (at !== ts) {
      const stamp = Math.max(0, at);
      head.writeUIntBE(stamp & 0xffffff, 4, 3);
      head[7] = (stamp >>> 24) & 0xff;
    }
    out.push(head);
  }

  /** Whether a coded frame passes; a key frame is where 'full' takes over again. */
  private passes(kind: 'key' | 'inter'): boolean {
    if (this.wanted === 'none' && !this.audio) {
      this.cutting = true;
      this.passNext = false;
      return false;
    }
    const cut = this.wanted === 'key' && !this.audio;
    if (kind === 'key') {
      this.cutting = this.passNext = cut;
      return true;
    }
    if (cut) this.cutting = true;
    if (!this.cutting) return true;
    if (this.passNext) {
      this.passNext = false;
      return true;
    }
    return false;
  }

  /** A passed frame's timestamp: right after the last passed one when frames were dropped between. */
  private place(ts: number): number {
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
