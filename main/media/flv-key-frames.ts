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
  addPlaced,
  FlvTagReader,
  FrameCut,
  TAG_AUDIO,
  TAG_HEADER,
  TAG_VIDEO,
  TimelineCloser,
  tagDataSize,
  tagTimestamp,
  tagType,
  videoTagKind,
  type ByteGather,
  type CutRate,
} from '../../common/flv-tags';

/** The contract's rate and the cut rules' are one set of values (common/ imports nothing, so it is checked here). */
const _sameRate: [CutRate, DecodeRate] extends [DecodeRate, CutRate] ? true : never = true;
void _sameRate;

/**
 * Tag by tag as the bytes come: a tag's fate is known from its first 13 bytes (header and frame
 * kind), so the rest of it streams through or is skipped without being held — the relay never keeps
 * more than 13 bytes of a stream, however large a key frame.
 */
export class FlvKeyFrameCut {
  private readonly cut = new FrameCut();
  private readonly timeline = new TimelineCloser();
  private audio = false;
  /** A tag's fate is read from its header and first two data bytes; the rest follows or is skipped. */
  private readonly reader = new FlvTagReader({
    headSize: (header) => TAG_HEADER + Math.min(2, tagDataSize(header, 0)),
    tag: (head, out) => this.tag(head, out),
  });
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
    const out = this.reader.push(chunk);
    return Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.length);
  }

  /** A tag's head is in: pass it (restamped where frames were dropped before it) or skip the tag. */
  private tag(head: Uint8Array, out: ByteGather): boolean {
    const size = tagDataSize(head, 0);
    const type = tagType(head, 0);
    const ts = tagTimestamp(head, 0);
    if (type === TAG_AUDIO && this.withoutSound) return false;
    if (type === TAG_AUDIO) this.audio = true;
    const kind = type === TAG_VIDEO && size >= 2 ? videoTagKind(head[TAG_HEADER]!, head[TAG_HEADER + 1]!) : 'config';
    let at = this.timeline.shifted(ts);
    if (kind !== 'config') {
      const passing = this.cut.decide(kind, this.audio);
      this.counts[passing ? 'passed' : 'dropped']++;
      if (!passing) {
        this.timeline.dropped();
        return false;
      }
      at = this.timeline.place(ts);
    }
    addPlaced(out, head, ts, at);
    return true;
  }
}
