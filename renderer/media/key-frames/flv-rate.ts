/**
 * Reduced-rate decoding for live FLV: Vigil's loader sees every tag before mpegts.js, so for a
 * pane nobody is looking at closely it can pass key frames only (one a GOP, 1 fps at the usual
 * 1-s GOP) and the decoder does a fraction of the work. Pure: bytes in, bytes out, no DOM.
 *
 * - 'key': each key frame and the one coded frame after it pass, the rest of the GOP is dropped.
 *   mpegts.js holds a batch's last frame until the next one arrives (it needs the next timestamp
 *   for the duration), so the frame after the key frame is what lets the key frame show at once
 *   instead of one GOP later.
 * - Timestamps: the gap a dropped run leaves is closed (later tags are shifted back by it), so the
 *   media timeline stays gap-free and monotonic: the <video> shows each key frame as it arrives and
 *   waits at the end of its buffer, instead of playing a 1-s frame and falling a GOP behind.
 * - 'none': no coded frame passes — a pane held unseen (window hidden, pane scrolled away) keeps
 *   its connection and decodes nothing (usePlayer.ts).
 * - 'full' resumes at the next key frame (an inter frame needs the frames dropped before it), so a
 *   pane is back to full rate within one GOP; 'key' starts at once ('key' after 'none': at the next
 *   key frame).
 * - A stream with audio stays at full rate: dropping video under running audio would stall the
 *   <video> (its buffered range is what both tracks have). A pane nobody listens to opens its
 *   stream without sound (`withoutSound`): its audio tags are dropped here (mpegts.js would ignore
 *   them), so it can be cut like a silent one.
 * - While a worker makes the pane's pictures from the tapped key frames (`keysToVideo` says the
 *   video need not), 'key' passes nothing to the video: the hidden <video> would only buffer them
 *   (mpegts.js remuxing, an append, a seek, for nothing shown; a tenth of them still cost the
 *   media thread 2–3 points of a core at 64 panes). Its frame gets as old as the reduction, so
 *   nothing reads it meanwhile: what reads a pane's picture takes the key picture (key-picture.ts
 *   `paneImage`). The timeline closes up as after any dropped run (`keysWithheld`: the video's
 *   newest frame is older than the pane's picture).
 */
import type { DecodeRate } from '../../../preload/contract';
import {
  addPlaced,
  FlvTagReader,
  FrameCut,
  PREV_TAG_SIZE,
  TAG_AUDIO,
  TAG_HEADER,
  TAG_VIDEO,
  TimelineCloser,
  tagTimestamp,
  tagType,
  videoTagKind,
  type ByteGather,
} from '../../../common/flv-tags';

/** FLV's CodecID for AVC (H.264), and the bytes before an AVC tag's payload. */
const AVC_CODEC_ID = 7;
const AVC_HEAD = 5;
/** Key frames closer than this came in one burst (a server's cached GOP), not a GOP apart. */
const MIN_GOP_MS = 300;
/** Intervals between key frames the GOP is read from (see gopMs). */
const GOP_INTERVALS = 3;

export class FlvRateFilter {
  private cut = new FrameCut();
  private timeline = new TimelineCloser();
  private now: DecodeRate = 'full';
  /** Each tag is decided whole: a passed one may be restamped, a key frame's payload tapped. */
  private readonly reader = new FlvTagReader({
    headSize: (_header, whole) => whole,
    tag: (tag, out) => this.tag(tag, out),
  });
  private audio = false;
  private lastKeyAt: number | null = null;
  /** Key frames timed since the connection began or a hold ended. */
  private keyArrivals = 0;
  /** The last GOP_INTERVALS intervals between key frames (ms), newest last. */
  private intervals: number[] = [];
  /**
   * The camera's key-frame interval (ms), from when key frames arrive — main's relay closes up the
   * timestamps of a stream it cuts, so they cannot tell. The median of the last three intervals (the
   * shorter of two): a key frame that arrives late (a busy page or relay, an encoder's hiccup)
   * lengthens one interval and shortens the next, and neither must make a 1-s GOP look long nor a
   * 10-s one short. Null until two intervals are timed (a connection's first burst, the server's
   * cached GOP, arrives at once).
   */
  get gopMs(): number | null {
    if (this.intervals.length < 2) return null;
    const sorted = [...this.intervals].sort((a, b) => a - b);
    return sorted[(sorted.length - 1) >> 1]!;
  }
  /**
   * Given every H.264 configuration and key frame that passes (their AVC payload: the avcC record,
   * or length-prefixed NAL units), with the tag's timestamp: the key-frame decoder's feed
   * (key-frame-decoder.ts). Legacy FLV AVC only; other codecs are not tapped.
   */
  tap: ((kind: 'config' | 'key', payload: Uint8Array, timestampMs: number) => void) | null = null;
  /**
   * At 'key': whether the video needs the key frames (false: the tap's worker shows the pane).
   * Default: it does.
   */
  keysToVideo: () => boolean = () => true;
  /** A key frame went to the tap only since the last one the video got. */
  private withheld = false;
  /** Coded video frames passed on and dropped, since the start. */
  readonly counts = { passed: 0, dropped: 0 };
  /**
   * The connection plays without sound (the pane is not listened to): audio tags are dropped and
   * do not keep the stream at full rate. Set per connection by the player.
   */
  withoutSound = false;

  constructor(
    rate: DecodeRate = 'full',
    private readonly onRate: (rate: DecodeRate) => void = () => undefined,
    /** ms clock (performance.now in the page) to time key frames' arrival by; none: no gopMs */
    private readonly clock?: () => number,
  ) {
    this.cut.wanted = rate;
  }

  /** The rate asked for; it takes effect at once for 'key' and 'none', at the next key frame for 'full'. */
  get rate(): DecodeRate {
    return this.cut.wanted;
  }

  /** The rate frames are passed at right now. */
  get effective(): DecodeRate {
    return this.now;
  }

  /** Key frames went to the tap only since the video last got one: the video's newest frame is older than the pane's picture. */
  get keysWithheld(): boolean {
    return this.withheld;
  }

  /** False once the stream showed audio: it stays at full rate. */
  get reducible(): boolean {
    return !this.audio && !this.reader.plain;
  }

  setRate(rate: DecodeRate): void {
    this.cut.wanted = rate;
    // Held, no key frame comes (main cuts them too): the next one's interval is no GOP.
    if (rate === 'none') [this.lastKeyAt, this.keyArrivals] = [null, 0];
  }

  /** A new connection: a new header and timeline (the rate asked for is kept). */
  reset(): void {
    this.reader.reset();
    const wanted = this.cut.wanted;
    this.cut = new FrameCut();
    this.cut.wanted = wanted;
    this.timeline = new TimelineCloser();
    this.audio = this.withheld = false;
    this.lastKeyAt = null;
    this.keyArrivals = 0;
    this.intervals = [];
    this.setNow('full');
  }

  /** The complete tags of `chunk` (with what an earlier chunk left unfinished) that pass; the rest waits. */
  push(chunk: Uint8Array): Uint8Array {
    return this.reader.push(chunk);
  }

  /** One whole tag: passed (restamped where frames were dropped before it) or dropped. */
  private tag(tag: Uint8Array, out: ByteGather): boolean {
    const type = tagType(tag, 0);
    const ts = tagTimestamp(tag, 0);
    let pass = true;
    let at = this.timeline.shifted(ts);
    if (type === TAG_AUDIO && this.withoutSound) return false;
    if (type === TAG_AUDIO) this.audio = true;
    if (type === TAG_VIDEO && tag.length > TAG_HEADER + PREV_TAG_SIZE + 1) {
      const kind = videoTagKind(tag[TAG_HEADER]!, tag[TAG_HEADER + 1]!);
      if (kind !== 'config') {
        if (kind === 'key') this.keyArrived();
        pass = this.decide(kind);
        if (pass) at = this.timeline.place(ts);
        else this.timeline.dropped();
        this.counts[pass ? 'passed' : 'dropped']++;
      }
      // (a key frame withheld from the video at 'key' is the tap's)
      if (this.tap && (kind === 'config' || (kind === 'key' && (pass || this.now === 'key'))))
        this.tapAvc(tag.subarray(TAG_HEADER, tag.length - PREV_TAG_SIZE), ts);
    }
    if (!pass) return false;
    addPlaced(out, tag, ts, at);
    return true;
  }

  /** An AVC video tag's data (`body`): FrameType|CodecID, AVCPacketType, CompositionTime (3 bytes), payload. */
  private tapAvc(body: Uint8Array, ts: number): void {
    if (body.length <= AVC_HEAD || (body[0]! & 0x8f) !== AVC_CODEC_ID) return; // not legacy AVC
    const packetType = body[1];
    const frameType = body[0]! >> 4;
    if (packetType === 0) this.tap?.('config', body.subarray(AVC_HEAD), ts);
    else if (packetType === 1 && frameType === 1) this.tap?.('key', body.subarray(AVC_HEAD), ts);
  }

  /**
   * Whether a coded frame passes, by the cut rules (common/flv-tags.ts). Full rate is reported once a
   * second inter frame follows a key frame: until main's relay hears of it, it may still be cutting
   * the stream (main/media/flv-key-frames.ts), and then this filter, passing everything, still gets
   * a key frame and one frame a GOP. At 'key', while the tap's worker shows the pane, the video gets
   * nothing until full rate or the worker stops.
   */
  private decide(kind: 'key' | 'inter'): boolean {
    const withhold = kind === 'key' && this.cut.wanted === 'key' && !this.audio && !this.keysToVideo();
    const pass = this.cut.decide(kind, this.audio, withhold);
    if (withhold) this.withheld = true;
    else if (kind === 'key' && pass) this.withheld = false;
    this.setNow(this.cut.effective);
    return pass;
  }

  /**
   * A key frame came: the time since the last one is the camera's GOP. Not the first interval of a
   * connection or after a hold: it runs from a key frame sent late (the server's cached GOP).
   */
  private keyArrived(): void {
    const now = this.clock?.();
    if (now === undefined) return;
    if (this.lastKeyAt !== null && now - this.lastKeyAt < MIN_GOP_MS) return; // the same burst
    if (this.lastKeyAt !== null && this.keyArrivals >= 2)
      this.intervals = [...this.intervals, Math.round(now - this.lastKeyAt)].slice(-GOP_INTERVALS);
    this.lastKeyAt = now;
    this.keyArrivals++;
  }

  private setNow(rate: DecodeRate): void {
    if (rate === this.now) return;
    this.now = rate;
    this.onRate(rate);
  }
}
