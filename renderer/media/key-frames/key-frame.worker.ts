/**
 * The window's key-frame decoder worker (key-frame-decoder.ts explains why): one WebCodecs
 * VideoDecoder per pane, fed key frames only, each decoded frame made into a bitmap of the pane's
 * size here (yuv-picture.ts), off the page's main thread, and sent back without a copy.
 */
import { containSize } from './contain-size';
import type { Box, FromWorker, ToWorker } from './key-frame-decoder';
import { knownMatrix, yuvToRgba } from './yuv-picture';

interface Pane {
  decoder: VideoDecoder;
  /** What it was last configured with (without `hardwareAcceleration`). */
  config: VideoDecoderConfig;
  /** Configured to prefer software decoding; false once this runtime refused that for the codec. */
  software: boolean;
  /** The box of the newest key frame sent: the picture is made at that size. */
  box: Box;
  /** Key frames given to the decoder that have not come out yet. */
  waiting: number;
  /** When a picture last came out (or the decoder was configured): performance.now(). */
  outAt: number;
  /** When a flush was asked that has not ended (performance.now()), or null. */
  flushingSince: number | null;
}

/**
 * Key frames in a decoder (queued or being decoded) not yet out: more are skipped. Without a bound
 * a decoder that fell behind once stayed behind: its pictures 8–10 GOPs old at 64 panes, for good.
 */
const MAX_IN_FLIGHT = 2;
/** A decoder at its bound that gave nothing out for this long holds its pictures: flushed. */
const STUCK_MS = 3000;
/**
 * A flush not ended after this long: the decoder no longer answers. Not sooner: a flush in a busy
 * worker (64 panes on 2 cores) may take seconds, and a failed decoder's pane makes its pictures from
 * its video on the page's main thread for good.
 */
const FLUSH_HUNG_MS = 15_000;

/** A decoder that gives nothing out in this long passes the turn on (one that holds its picture until more chunks come, or a slow one). */
const TURN_MS = 150;

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
};

/**
 * The worker's one object: every pane's decoder, the turn they decode in, and the buffers pictures
 * are scaled in. Made once when the worker starts (the window's KeyFrameDecoders starts it), ended
 * with it.
 */
class KeyFrameWorker {
  /**
   * One key frame decoding at a time in the window, the others waiting their turn (each pane's
   * newest, in the order the panes came). Cameras' key frames come in bursts (their GOPs line up: 27
   * within ~100 ms at 36 panes); decoded all at once they took both cores for a moment, and the
   * full-rate panes' frames due then were dropped — their drops bunched where the bursts fell
   * (`bench -- wall --drop-times`). One at a time, a burst keeps one core a little longer and leaves
   * the other to the videos (docs/benchmarks.md).
   */
  private readonly waiting = new Map<number, { data: ArrayBuffer; timestamp: number; box: Box }>();
  private turn: { id: number; timer: ReturnType<typeof setTimeout> } | null = null;
  private readonly panes = new Map<number, Pane>();
  /** Pictures are made one after another (the buffers below are reused): the end of the last one. */
  private scaled: Promise<unknown> = Promise.resolve();
  private planes = new Uint8Array(0);
  private rgba = new Uint8ClampedArray(new ArrayBuffer(0));
  /** A copy or scaling failed once (not expected): every picture by createImageBitmap from then on. */
  private scaleFailed = false;

  /**
   * Software decoding where the runtime has it (Chromium's for H.264): a decoded frame is then in
   * memory, and scaled here in half a millisecond (yuv-picture.ts), where a hardware decoder's frame
   * would have to be read back from the GPU first. One key frame a second per pane at a sub stream's
   * size is little work, and hardware decoders have few sessions, wanted by the full-rate videos.
   */
  private configure(id: number, codec: string, description: ArrayBuffer): void {
    const config: VideoDecoderConfig = { codec, description, optimizeForLatency: true };
    let pane = this.panes.get(id);
    if (pane) pane.config = config;
    else {
      pane = {
        decoder: this.newDecoder(id),
        config,
        software: true,
        box: { width: 0, height: 0 },
        waiting: 0,
        outAt: performance.now(),
        flushingSince: null,
      };
      this.panes.set(id, pane);
    }
    this.applyConfig(id, pane);
  }

  private newDecoder(id: number): VideoDecoder {
    return new VideoDecoder({
      output: (frame) => void this.picture(id, frame),
      error: (err) => {
        // (a configuration the decoder cannot take ends here: NotSupportedError, the decoder closed)
        const pane = this.panes.get(id);
        if (pane?.software && err.name === 'NotSupportedError') {
          // No software decoder for this codec here: a new decoder, as the runtime chooses.
          pane.software = false;
          pane.decoder = this.newDecoder(id);
          pane.waiting = 0;
          this.applyConfig(id, pane);
        } else this.fail(id, `the key-frame decoder failed: ${err.message}`);
      },
    });
  }

  private applyConfig(id: number, pane: Pane): void {
    try {
      pane.decoder.configure(pane.software ? { ...pane.config, hardwareAcceleration: 'prefer-software' } : pane.config);
    } catch (err) {
      this.fail(id, `the key-frame decoder refused ${pane.config.codec}: ${(err as Error).message}`);
    }
  }

  private decode(id: number, data: ArrayBuffer, timestamp: number, box: Box): void {
    // (a pane already waiting keeps its place in line, with its newest key frame)
    this.waiting.set(id, { data, timestamp, box });
    this.nextTurn();
  }

  private nextTurn(): void {
    while (!this.turn && this.waiting.size) {
      const [id, chunk] = this.waiting.entries().next().value!;
      this.waiting.delete(id);
      if (this.submit(id, chunk.data, chunk.timestamp, chunk.box))
        this.turn = { id, timer: setTimeout(() => this.endTurn(id), TURN_MS) };
    }
  }

  /** Pane `id`'s key frame is out (or took its time): the next pane's turn. */
  private endTurn(id: number): void {
    if (this.turn?.id !== id) return;
    clearTimeout(this.turn.timer);
    this.turn = null;
    this.nextTurn();
  }

  /** Gives the key frame to the pane's decoder; false where it was skipped. */
  private submit(id: number, data: ArrayBuffer, timestamp: number, box: Box): boolean {
    const pane = this.panes.get(id);
    if (!pane || pane.decoder.state !== 'configured') return false;
    pane.box = box;
    if (pane.waiting >= MAX_IN_FLIGHT) {
      // Behind (a busy machine: a newer key frame comes next GOP, this one is skipped), or a decoder
      // that gives its pictures out only as more chunks come: once nothing came out for STUCK_MS,
      // what it holds is flushed out (only key frames follow a flush, as it requires). Not after
      // every frame: a flush each key frame cost Chromium's software decoder 4 s of lag at 60 panes.
      const now = performance.now();
      // A flush that does not end either: the decoder is gone for good, the pane's video makes its pictures.
      if (pane.flushingSince !== null && now - pane.flushingSince > FLUSH_HUNG_MS) {
        this.fail(id, 'the key-frame decoder stopped answering');
        return false;
      }
      if (now - pane.outAt > STUCK_MS && pane.flushingSince === null) {
        pane.flushingSince = now;
        pane.decoder
          .flush()
          .then(() => (pane.waiting = 0))
          .catch(() => undefined) // (rejected when closed meanwhile)
          .finally(() => (pane.flushingSince = null));
      }
      return false;
    }
    try {
      pane.decoder.decode(new EncodedVideoChunk({ type: 'key', timestamp, data }));
      pane.waiting++;
      return true;
    } catch (err) {
      this.fail(id, `the key-frame decoder failed: ${(err as Error).message}`);
      return false;
    }
  }

  private async picture(id: number, frame: VideoFrame): Promise<void> {
    try {
      const pane = this.panes.get(id);
      if (!pane) return;
      pane.waiting = Math.max(0, pane.waiting - 1);
      pane.outAt = performance.now();
      this.endTurn(id);
      const size = containSize(frame.displayWidth, frame.displayHeight, pane.box.width, pane.box.height);
      const made = this.scaled.then(() =>
        this.panes.get(id) === pane ? this.bitmapOf(frame, size.resizeWidth, size.resizeHeight) : null,
      );
      this.scaled = made.catch(() => undefined);
      const bitmap = await made;
      if (!bitmap) return;
      if (this.panes.get(id) !== pane) return bitmap.close();
      scope.postMessage({ type: 'picture', id, bitmap }, [bitmap]);
    } catch {
      // a frame that cannot be drawn (closed meanwhile): the next key frame brings another
    } finally {
      frame.close();
    }
  }

  /**
   * The frame as a bitmap of `width`×`height`: a frame in memory (I420 or NV12, what the software
   * decoder configured above gives) scaled here (yuv-picture.ts: a tenth of createImageBitmap's time
   * at 360p without a GPU); other layouts and colour matrices, and a frame that cannot be copied
   * out, by createImageBitmap.
   */
  private async bitmapOf(frame: VideoFrame, width: number, height: number): Promise<ImageBitmap> {
    const { format, visibleRect, colorSpace } = frame;
    if (
      (format === 'I420' || format === 'NV12') &&
      visibleRect &&
      colorSpace &&
      knownMatrix(colorSpace.matrix) &&
      !this.scaleFailed
    ) {
      try {
        const size = frame.allocationSize();
        if (this.planes.length < size) this.planes = new Uint8Array(size);
        const layout = await frame.copyTo(this.planes);
        const { matrix, fullRange } = colorSpace;
        const yuv = { format, width: visibleRect.width, height: visibleRect.height, planes: layout, matrix, fullRange };
        const pixels = yuvToRgba(this.planes, yuv, width, height, this.rgba);
        if (pixels.buffer !== this.rgba.buffer) this.rgba = pixels; // (a larger one: kept for the next pictures)
        // (ImageData wraps the pixels; createImageBitmap copies them before it resolves: the buffer is free again)
        return await createImageBitmap(new ImageData(pixels, width, height));
      } catch (err) {
        // Not expected (copyTo of a decoder's own frame): said once, and the slow way from now on.
        this.scaleFailed = true;
        console.warn(
          `key-frame worker: scaling in memory failed, createImageBitmap from now on: ${(err as Error).message}`,
        );
      }
    }
    return createImageBitmap(frame, { resizeWidth: width, resizeHeight: height, resizeQuality: 'low' });
  }

  private fail(id: number, reason: string): void {
    this.close(id);
    scope.postMessage({ type: 'failed', id, reason });
  }

  private close(id: number): void {
    const pane = this.panes.get(id);
    this.panes.delete(id);
    this.waiting.delete(id);
    this.endTurn(id);
    if (pane && pane.decoder.state !== 'closed') pane.decoder.close();
  }

  receive(m: ToWorker): void {
    if (m.type === 'configure') this.configure(m.id, m.codec, m.description);
    else if (m.type === 'decode') this.decode(m.id, m.data, m.timestamp, m.box);
    else this.close(m.id);
  }
}

const worker = new KeyFrameWorker();
scope.onmessage = (e) => worker.receive(e.data);
