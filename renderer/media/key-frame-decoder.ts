/**
 * Key-frame pictures decoded off the page's main thread (issue 26). A live FLV pane the decode
 * budget cut to key frames shows one picture a GOP (key-picture.ts). Made from its <video> by
 * `createImageBitmap`, each picture costs ~5 ms of the main thread: at 64 panes 20–28 % of a core,
 * and the four full-rate panes dropped frames for it. Here the FLV loader's tap (flv-rate.ts)
 * hands each key frame, as it arrives, to one worker for the window, which decodes it with
 * WebCodecs and sends back a bitmap already the pane's size (key-frame.worker.ts). The main thread
 * only copies the coded frame (tens of KB) and shows the bitmap.
 *
 * Why not a `VideoFrame` of the hidden <video>: tried, and a hidden, stepped video's frame lags its
 * newest by one or more GOPs (test/bench/README.md). A decoder fed by the loader has the newest.
 *
 * Where WebCodecs is missing or refuses the stream (not H.264, a decoder error) the decoder says
 * `failed` and key-picture.ts makes the pictures from the video as before.
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

let worker: Worker | null = null;
const live = new Map<number, KeyFrameDecoder>();
let nextId = 1;

function post(message: ToWorker, transfer: Transferable[] = []): void {
  if (!worker) {
    worker = new Worker(new URL('./key-frame.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const decoder = live.get(e.data.id);
      if (decoder) decoder.answer(e.data);
      else if (e.data.type === 'picture') e.data.bitmap.close(); // its connection closed meanwhile
    };
    // The worker itself failed (could not load): every pane falls back to its video.
    worker.onerror = () => {
      for (const d of live.values()) d.answer({ type: 'failed', id: d.id, reason: 'the decoder worker failed' });
    };
  }
  worker.postMessage(message, transfer);
}

/** Whether this runtime can decode off the main thread at all (a browser with workers and WebCodecs). */
export function keyFrameDecodingAvailable(): boolean {
  return (
    typeof Worker !== 'undefined' && typeof VideoDecoder !== 'undefined' && typeof createImageBitmap !== 'undefined'
  );
}

/**
 * One FLV connection's key-frame decoder. The player feeds it every configuration and key frame
 * its loader sees; only while a box is set (key-picture.ts shows the pane's pictures) are the key
 * frames copied and sent to the worker.
 */
export class KeyFrameDecoder {
  readonly id = nextId++;
  private codec: string | null = null;
  private description: Uint8Array | null = null;
  /** The configuration the worker has (sent once the pictures are wanted). */
  private sent: Uint8Array | null = null;
  private box: Box | null = null;
  private newest: ImageBitmap | null = null;
  private reason: string | null = null;
  private closed = false;

  constructor() {
    live.set(this.id, this);
  }

  /** Why pictures cannot be made here (the pane's video makes them instead); null while they can. */
  get failed(): string | null {
    return this.reason;
  }

  /** An AVC sequence header (avcC): the stream's configuration, possibly new mid-stream. */
  configure(avcC: Uint8Array): void {
    if (this.closed || this.reason) return;
    const codec = avcCodecString(avcC);
    if (!codec) return this.fail('not an AVC configuration');
    [this.codec, this.description] = [codec, avcC.slice()];
  }

  /** A key frame as the FLV tag carries it (length-prefixed NAL units); `timestampMs` the tag's. */
  decode(frame: Uint8Array, timestampMs: number): void {
    if (this.closed || this.reason || !this.box || !this.codec || !this.description) return;
    if (this.sent !== this.description) {
      const description = this.description.slice().buffer as ArrayBuffer;
      post({ type: 'configure', id: this.id, codec: this.codec, description }, [description]);
      this.sent = this.description;
    }
    const data = frame.slice().buffer as ArrayBuffer;
    post({ type: 'decode', id: this.id, data, timestamp: timestampMs * 1000, box: this.box }, [data]);
  }

  /** The pane's pictures are wanted, at this size (device pixels); null: no longer (key frames not sent). */
  show(box: Box | null): void {
    this.box = box && box.width >= 1 && box.height >= 1 ? box : null;
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
    this.newest?.close(); // not shown in time: the newer one replaces it
    this.newest = m.bitmap;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.drop();
    live.delete(this.id);
    if (this.sent) post({ type: 'close', id: this.id });
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

/** The decoder of the FLV connection playing into each video (its player registers it). */
const byVideo = new WeakMap<HTMLVideoElement, KeyFrameDecoder>();

export function setKeyFrameDecoder(video: HTMLVideoElement, decoder: KeyFrameDecoder | null): void {
  if (decoder) byVideo.set(video, decoder);
  else byVideo.delete(video);
}

/** The video's key-frame decoder, if its player has one that can make pictures. */
export function keyFrameDecoderOf(video: HTMLVideoElement): KeyFrameDecoder | null {
  const d = byVideo.get(video);
  return d && !d.failed ? d : null;
}
