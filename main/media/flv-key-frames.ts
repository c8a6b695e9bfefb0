/**
 * Main's half of reduced-rate decoding. A wall pane the decode budget cut to key frames decodes one
 * key frame a GOP; without this every other frame would still cross into Chromium (its network
 * service, browser process and the page's loader each copy it) only to be thrown away there. So the
 * relay cuts a stream the renderer asked it to (`media:rate`) before it leaves main, by the rules
 * of common/flv-tags.ts that the page's filter applies too: the page, finding a stream already cut,
 * finds nothing more to drop and reports the rate that really reaches its decoder. Configuration
 * and script tags always pass; bytes that are not FLV pass untouched.
 *
 * Pure: bytes in, bytes out.
 */
import type { DecodeRate } from '../../preload/contract';
import {
  FrameCut,
  PREV_TAG_SIZE,
  TAG_AUDIO,
  TAG_HEADER,
  TAG_VIDEO,
  TimelineCloser,
  isFlvSignature,
  readUint,
  tagDataSize,
  tagTimestamp,
  tagType,
  videoTagKind,
  writeTagTimestamp,
  type CutRate,
} from '../../common/flv-tags';

/** The contract's rate and the cut rules' are one set of values (common/ imports nothing, so it is checked here). */
const _sameRate: [CutRate, DecodeRate] extends [DecodeRate, CutRate] ? true : never = true;
void _sameRate;

const EMPTY = Buffer.alloc(0);

/**
 * Tag by tag as the bytes come: a tag's fate is known from its first 13 bytes (header and frame
 * kind), so the rest of it streams through or is skipped without being held — the relay never keeps
 * more than 13 bytes of a stream, however large a key frame.
 */
export class FlvKeyFrameCut {
  private readonly cut = new FrameCut();
  private readonly timeline = new TimelineCloser();
  private audio = false;
  private plain = false;
  /** The FLV header was read (the first bytes are its 9, then tags). */
  private started = false;
  /** The start of the header or tag being read, up to the bytes that decide it. */
  private head: Buffer = EMPTY;
  /** Bytes of the current header or tag still to come after its head, and whether they pass. */
  private rest = 0;
  private passing = true;
  /** Coded video frames passed and dropped since the start. */
  readonly counts = { passed: 0, dropped: 0 };

  /** Audio tags are dropped: the page plays the stream without sound (see setSound). */
  private withoutSound = false;

  /** 'key' and 'none' cut from now on; 'full' passes every frame from the next key frame. */
  setRate(rate: DecodeRate): void {
    this.cut.wanted = rate;
  }

  /**
   * Whether the page plays the stream's sound. Without (a pane nobody listens to), its audio tags
   * are dropped from now on and the audio seen so far no longer keeps the stream at full rate.
   */
  setSound(carried: boolean): void {
    this.withoutSound = !carried;
    if (!carried) this.audio = false;
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
        if (!isFlvSignature(this.head)) {
          this.plain = true; // not FLV as we know it: everything passes untouched
          out.push(this.head, chunk.subarray(pos));
          break;
        }
        this.started = true;
        this.passing = true;
        out.push(this.head);
        this.rest = Math.max(0, readUint(this.head, 5, 4) - 9) + PREV_TAG_SIZE;
      } else this.tag(out);
      this.head = EMPTY;
    }
    return out.length === 0 ? EMPTY : out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** Bytes that decide what follows: the FLV header's 9, a tag's 11 and its first two data bytes. */
  private headSize(): number {
    if (!this.started) return 9;
    if (this.head.length < TAG_HEADER) return TAG_HEADER;
    return TAG_HEADER + Math.min(2, tagDataSize(this.head, 0));
  }

  /** A tag's head is in: pass it (restamped where frames were dropped before it) or skip the tag. */
  private tag(out: Buffer[]): void {
    const head = this.head;
    const size = tagDataSize(head, 0);
    const type = tagType(head, 0);
    const ts = tagTimestamp(head, 0);
    this.rest = size - (head.length - TAG_HEADER) + PREV_TAG_SIZE;
    if (type === TAG_AUDIO && this.withoutSound) {
      this.passing = false;
      return;
    }
    if (type === TAG_AUDIO) this.audio = true;
    const kind = type === TAG_VIDEO && size >= 2 ? videoTagKind(head[TAG_HEADER]!, head[TAG_HEADER + 1]!) : 'config';
    let at = this.timeline.shifted(ts);
    if (kind !== 'config') {
      this.passing = this.cut.decide(kind, this.audio);
      this.counts[this.passing ? 'passed' : 'dropped']++;
      if (!this.passing) {
        this.timeline.dropped();
        return;
      }
      at = this.timeline.place(ts);
    }
    this.passing = true;
    if (at !== ts) writeTagTimestamp(head, 0, Math.max(0, at));
    out.push(head);
  }
}
