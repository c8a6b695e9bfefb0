/**
 * Key-frame pictures decoded off the page's main thread (issue 26). A live pane the decode budget
 * cut to key frames shows one picture a GOP or segment (key-picture.ts). Made from its <video> by
 * `createImageBitmap`, each picture costs ~5 ms of the main thread: at 64 panes 20–28 % of a core,
 * and the four full-rate panes dropped frames for it. Here each key frame, as it arrives — from the
 * FLV loader's tap (flv-rate.ts) or the first frame of each HLS segment hls.js appends
 * (fmp4-key-frame.ts) — goes to one worker for the window, which decodes it with WebCodecs and
 * sends back a bitmap already the pane's size (key-frame.worker.ts). The main thread only copies
 * the coded frame and shows the bitmap.
 *
 * Why not a `VideoFrame` of the hidden <video>: tried, and a hidden, stepped video's frame lags its
 * newest by one or more GOPs (docs/benchmarks.md). A decoder fed by the loader has the newest.
 *
 * Where WebCodecs is missing, the stream is not H.264 (no configuration comes), or the decoder or
 * its worker fails, key-picture.ts makes the pictures from the video as before.
 */
/** What the page tells the worker. Box: the pane in device pixels. */
export type ToWorker =
  | { type: 'configure'; id: number; codec: string; description: ArrayBuffer }
  | { type: 'decode'; id: number; data: ArrayBuffer; timestamp: number; box: Box }
  | { type: 'close'; id: number };
/** What the worker answers: a picture of the pane's size, or why it cannot make them. */
export type FromWorker =
  | { type: 'picture'; id: number; bitmap: ImageBitmap }
  | { type: 'failed'; id: number; reason: string };

export interface Box {
  width: number;
  height: number;
}

/** The WebCodecs codec string of an AVCDecoderConfigurationRecord (ISO 14496-15 §5.3.3.1: profile, compatibility, level). */
export function avcCodecString(avcC: Uint8Array): string | null {
  if (avcC.length < 7 || avcC[0] !== 1) return null;
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  return `avc1.${hex(avcC[1]!)}${hex(avcC[2]!)}${hex(avcC[3]!)}`;
}

const WORKER_FAILED = 'the key-frame decoder worker failed';

/**
 * The window's key-frame decoding: one worker for all its panes (started with the first live pane,
 * not when its first key frame is due: its start took seconds once), the decoders of the live
 * connections, and which decoder makes each video's pictures. Created by the window (MediaWindow)
 * and handed to the engines; `destroy` ends the worker.
 */
export class KeyFrameDecoders {
  private worker: Worker | null = null;
  /** The worker failed (could not load, or threw): no pane decodes off the main thread again in this window. */
  private broken = false;
  private readonly live = new Map<number, KeyFrameDecoder>();
  private nextId = 1;
  /** Which connection's decoder makes each video's pictures (its engine registers it). */
  private readonly byVideo = new WeakMap<HTMLVideoElement, KeyFrameDecoder>();
  /**
   * Videos their engine is moving to the segment the pane's picture shows (an HLS pane back at full
   * rate after hls.js was stopped: hls-player.ts): key-picture.ts keeps the picture up until then.
   */
  private readonly moving = new WeakSet<HTMLVideoElement>();

  /** Whether this runtime can decode off the main thread (a browser with workers and WebCodecs, the worker not failed). */
  available(): boolean {
    return (
      !this.broken &&
      typeof Worker !== 'undefined' &&
      typeof VideoDecoder !== 'undefined' &&
      typeof createImageBitmap !== 'undefined'
    );
  }

  /** @internal a new decoder's id (it is answered by id) */
  enlist(decoder: KeyFrameDecoder): number {
    const id = this.nextId++;
    this.live.set(id, decoder);
    if (!this.broken && this.available()) this.start();
    return id;
  }
  /** @internal */
  discharge(id: number): void {
    this.live.delete(id);
  }
  /** @internal */
  post(message: ToWorker, transfer: Transferable[] = []): void {
    this.start().postMessage(message, transfer);
  }
  /** @internal the worker failed: decoders made now fail at once */
  get failed(): boolean {
    return this.broken;
  }

  private start(): Worker {
    if (!this.worker) {
      const worker = new Worker(new URL('./key-frame.worker.ts', import.meta.url), { type: 'module' });
      this.worker = worker;
      worker.onmessage = (e: MessageEvent<FromWorker>) => {
        const decoder = this.live.get(e.data.id);
        if (decoder) decoder.answer(e.data);
        else if (e.data.type === 'picture') e.data.bitmap.close(); // its connection closed meanwhile
      };
      worker.onerror = () => {
        this.broken = true;
        for (const d of this.live.values()) d.answer({ type: 'failed', id: d.id, reason: WORKER_FAILED });
      };
    }
    return this.worker;
  }

  /** Registers `decoder` as the one making the pictures of `video`. */
  set(video: HTMLVideoElement, decoder: KeyFrameDecoder): void {
    this.byVideo.set(video, decoder);
  }

  /** A live connection's decoder for the pictures of `video`, registered for it; null where this runtime has none. */
  open(video: HTMLVideoElement): KeyFrameDecoder | null {
    if (!this.available()) return null;
    const decoder = new KeyFrameDecoder(this);
    this.set(video, decoder);
    return decoder;
  }

  /** Closes the connection's decoder and unregisters it (not one another engine registered for the video since). */
  close(video: HTMLVideoElement | null, decoder: KeyFrameDecoder | null): void {
    if (!decoder) return;
    if (video && this.byVideo.get(video) === decoder) this.byVideo.delete(video);
    decoder.close();
  }

  /** The video's key-frame decoder, if its engine has one that makes pictures now (ready, not silent). */
  of(video: HTMLVideoElement): KeyFrameDecoder | null {
    const d = this.byVideo.get(video);
    return d?.ready && !d.silent ? d : null;
  }

  setMoving(video: HTMLVideoElement, moving: boolean): void {
    if (moving) this.moving.add(video);
    else this.moving.delete(video);
  }

  isMoving(video: HTMLVideoElement): boolean {
    return this.moving.has(video);
  }

  /** The pane's pictures are no longer wanted: its decoder, silent or not, sends nothing more to the worker. */
  stop(video: HTMLVideoElement): void {
    this.byVideo.get(video)?.show(null);
  }

  /** The window closes: every decoder closed, the worker ended. */
  destroy(): void {
    for (const d of [...this.live.values()]) d.close();
    this.live.clear();
    this.worker?.terminate?.();
    this.worker = null;
  }
}

/**
 * A pane whose pictures are wanted got neither a picture nor a key frame to decode for this long
 * (plus 1.5 key-frame intervals): its player finds no key frame it can read (an HLS segment that
 * does not open on one, a layout fmp4-key-frame.ts does not read), and the pane's video makes the
 * pictures until one comes. (A decoder merely behind is not silent: at 64 panes on 2 cores the
 * worker runs seconds behind at times, and the videos making pictures instead overloaded the page:
 * 6.6–12.2 % dropped and 90 reconnects, against 1.1 %.) A decoder that stops answering fails in
 * the worker (key-frame.worker.ts).
 */
const SILENT_MS = 3000;

/**
 * One live connection's key-frame decoder. The player feeds it every configuration and key frame
 * it sees; only while a box is set (key-picture.ts shows the pane's pictures) are the key frames
 * copied and sent to the worker.
 */
export class KeyFrameDecoder {
  readonly id: number;
  private codec: string | null = null;
  private description: Uint8Array | null = null;
  /** The configuration the worker has (sent once the pictures are wanted). */
  private sent: Uint8Array | null = null;
  private box: Box | null = null;
  private newest: ImageBitmap | null = null;
  /** When the newest picture came, and when the first one not taken since came (performance.now()). */
  pictureAt = 0;
  waitingSince = 0;
  private reason: string | null = null;
  private closed = false;
  /** Since when pictures are wanted; when a key frame was last sent; when the last one came and how long since the one before (ms). */
  private wantedSince = 0;
  private sentAt = 0;
  private keyAt = 0;
  private keyEveryMs = 0;

  constructor(private readonly decoders: KeyFrameDecoders) {
    this.id = decoders.enlist(this);
    if (decoders.failed) this.fail(WORKER_FAILED);
  }

  /** Why pictures cannot be made here (the pane's video makes them instead); null while they can. */
  get failed(): string | null {
    return this.reason;
  }

  /**
   * It can make the pane's pictures: an H.264 configuration came and nothing failed. Until then (and
   * for ever for a stream of another codec, which the players never hand on) the video makes them.
   */
  get ready(): boolean {
    return this.codec !== null && !this.reason && !this.closed;
  }

  /** key-picture.ts shows the pane's pictures (a box is set): the key frames go to the worker. */
  get picturesWanted(): boolean {
    return this.box !== null && !this.closed;
  }

  /** Pictures are wanted and neither one nor a key frame to decode came for SILENT_MS and 1.5 key-frame intervals (see SILENT_MS). */
  get silent(): boolean {
    if (!this.box) return false;
    const heard = Math.max(this.pictureAt, this.wantedSince, this.sentAt);
    return performance.now() - heard > SILENT_MS + 1.5 * this.keyEveryMs;
  }

  /** An AVC sequence header (avcC): the stream's configuration, possibly new mid-stream. */
  configure(avcC: Uint8Array): void {
    if (this.closed || this.reason) return;
    // Many servers send it again before every key frame: the same one changes nothing.
    if (this.description && sameBytes(this.description, avcC)) return;
    const codec = avcCodecString(avcC);
    if (!codec) return this.fail('not an AVC configuration');
    [this.codec, this.description] = [codec, avcC.slice()];
  }

  /** A key frame as an FLV tag or an MP4 sample carries it (length-prefixed NAL units); `timestampMs` its time. */
  decode(frame: Uint8Array, timestampMs: number): void {
    if (this.closed || this.reason) return;
    const now = performance.now();
    if (this.keyAt) this.keyEveryMs = now - this.keyAt;
    this.keyAt = now;
    if (!this.box || !this.codec || !this.description) return;
    if (this.sent !== this.description) {
      const description = this.description.slice().buffer as ArrayBuffer;
      this.decoders.post({ type: 'configure', id: this.id, codec: this.codec, description }, [description]);
      this.sent = this.description;
    }
    this.sentAt = now;
    const data = frame.slice().buffer as ArrayBuffer;
    this.decoders.post({ type: 'decode', id: this.id, data, timestamp: timestampMs * 1000, box: this.box }, [data]);
  }

  /** The pane's pictures are wanted, at this size (device pixels); null: no longer (key frames not sent). */
  show(box: Box | null): void {
    const wanted = !!this.box;
    this.box = box && box.width >= 1 && box.height >= 1 ? box : null;
    if (this.box && !wanted) this.wantedSince = performance.now();
    if (!this.box) this.drop();
  }

  /** The newest picture not taken yet (the caller owns it), or null. */
  take(): ImageBitmap | null {
    const b = this.newest;
    this.newest = null;
    return b;
  }

  get hasPicture(): boolean {
    return this.newest !== null;
  }

  /** @internal the worker's answer for this decoder */
  answer(m: FromWorker): void {
    if (m.type === 'failed') return this.fail(m.reason);
    if (this.closed || !this.box) return m.bitmap.close();
    const now = performance.now();
    if (this.newest)
      this.newest.close(); // not shown in time: the newer one replaces it
    else this.waitingSince = now;
    this.newest = m.bitmap;
    this.pictureAt = now;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.drop();
    this.decoders.discharge(this.id);
    if (this.sent) this.decoders.post({ type: 'close', id: this.id });
  }

  private fail(reason: string): void {
    this.reason ??= reason;
    this.drop();
  }

  private drop(): void {
    this.newest?.close();
    this.newest = null;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
