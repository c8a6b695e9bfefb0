/**
 * The window's key-frame decoder worker (key-frame-decoder.ts explains why): one WebCodecs
 * VideoDecoder per pane, fed key frames only, each decoded frame made into a bitmap of the pane's
 * size here, off the page's main thread, and sent back without a copy.
 */
import { containSize } from './contain-size';
import type { Box, FromWorker, ToWorker } from './key-frame-decoder';

interface Pane {
  decoder: VideoDecoder;
  /** The box of the newest key frame sent: the picture is made at that size. */
  box: Box;
  /** Key frames given to the decoder that have not come out yet. */
  waiting: number;
}

/** Key frames waiting in a decoder beyond this are skipped: a newer one is on its way anyway. */
const MAX_QUEUED = 2;

const panes = new Map<number, Pane>();
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
};

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'configure') configure(m.id, m.codec, m.description);
  else if (m.type === 'decode') decode(m.id, m.data, m.timestamp, m.box);
  else close(m.id);
};

function configure(id: number, codec: string, description: ArrayBuffer): void {
  let pane = panes.get(id);
  if (!pane) {
    const decoder = new VideoDecoder({
      output: (frame) => void picture(id, frame),
      error: (err) => fail(id, `the key-frame decoder failed: ${err.message}`),
    });
    pane = { decoder, box: { width: 0, height: 0 }, waiting: 0 };
    panes.set(id, pane);
  }
  try {
    // A configuration the decoder cannot take ends in its error callback (NotSupportedError).
    pane.decoder.configure({ codec, description, optimizeForLatency: true });
  } catch (err) {
    fail(id, `the key-frame decoder refused ${codec}: ${(err as Error).message}`);
  }
}

function decode(id: number, data: ArrayBuffer, timestamp: number, box: Box): void {
  const pane = panes.get(id);
  if (!pane || pane.decoder.state !== 'configured' || pane.decoder.decodeQueueSize > MAX_QUEUED) return;
  pane.box = box;
  try {
    pane.decoder.decode(new EncodedVideoChunk({ type: 'key', timestamp, data }));
    pane.waiting++;
    // A decoder that holds its pictures until more chunks come (a GOP each, here) is flushed. Not
    // every time: Chromium's software decoder hands each key frame out at once, and a flush after
    // every frame cost it 4 s of lag at 60 panes (its thread pool busy starting over).
    if (pane.waiting > 2 && pane.decoder.decodeQueueSize === 0) pane.decoder.flush().catch(() => undefined); // (rejected when closed meanwhile)
  } catch (err) {
    fail(id, `the key-frame decoder failed: ${(err as Error).message}`);
  }
}

async function picture(id: number, frame: VideoFrame): Promise<void> {
  try {
    const pane = panes.get(id);
    if (!pane || pane.box.width < 1) return;
    pane.waiting = 0; // pictures come out in order: every earlier frame is out too
    const size = containSize(frame.displayWidth, frame.displayHeight, pane.box.width, pane.box.height);
    const bitmap = await createImageBitmap(frame, { ...size, resizeQuality: 'low' });
    if (panes.get(id) !== pane) return bitmap.close();
    scope.postMessage({ type: 'picture', id, bitmap }, [bitmap]);
  } catch {
    // a frame that cannot be drawn (closed meanwhile): the next key frame brings another
  } finally {
    frame.close();
  }
}

function fail(id: number, reason: string): void {
  close(id);
  scope.postMessage({ type: 'failed', id, reason });
}

function close(id: number): void {
  const pane = panes.get(id);
  panes.delete(id);
  if (pane && pane.decoder.state !== 'closed') pane.decoder.close();
}
