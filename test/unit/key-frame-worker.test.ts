import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { FromWorker, ToWorker } from '../../renderer/media/key-frames/key-frame-decoder';

// The worker's script run in this process against stand-ins for what a worker has: its scope
// (`self`), WebCodecs' VideoDecoder and EncodedVideoChunk, createImageBitmap. The real decoder
// runs in the e2e suite (a 36-pane wall in Chromium).

interface Frame {
  displayWidth: number;
  displayHeight: number;
  closed: boolean;
  close(): void;
  format?: string;
  visibleRect?: { width: number; height: number };
  colorSpace?: { matrix: string | null; fullRange: boolean | null };
  allocationSize?(): number;
  copyTo?(b: Uint8Array): Promise<Array<{ offset: number; stride: number }>>;
}

class StandInDecoder {
  static all: StandInDecoder[] = [];
  state: 'unconfigured' | 'configured' | 'closed' = 'unconfigured';
  decodeQueueSize = 0;
  chunks: Array<{ type: string; timestamp: number }> = [];
  flushes = 0;
  codec = '';
  constructor(readonly init: { output(f: Frame): void; error(e: Error): void }) {
    StandInDecoder.all.push(this);
  }
  config: { codec: string; hardwareAcceleration?: string } | null = null;
  configure(c: { codec: string; hardwareAcceleration?: string }) {
    this.codec = c.codec;
    this.config = c;
    this.state = 'configured';
  }
  decode(chunk: { type: string; timestamp: number }) {
    this.chunks.push(chunk);
  }
  flush() {
    this.flushes++;
    return Promise.resolve();
  }
  close() {
    this.state = 'closed';
  }
  /** The decoder hands a picture out (`extra`: what a frame in memory has besides). */
  out(extra: Partial<Frame> = {}): Frame {
    const f: Frame = { displayWidth: 640, displayHeight: 360, closed: false, close: () => (f.closed = true), ...extra };
    this.init.output(f);
    return f;
  }
}

const posted: Array<{ message: FromWorker; transfer: unknown[] }> = [];
const scope: { onmessage: ((e: { data: ToWorker }) => void) | null; postMessage(m: FromWorker, t?: unknown[]): void } =
  {
    onmessage: null,
    postMessage: (message, transfer = []) => posted.push({ message, transfer }),
  };
const bitmaps: Array<{ source: unknown; size: unknown; closed: boolean }> = [];
const send = (m: ToWorker) => scope.onmessage?.({ data: m });
const settle = () => new Promise((r) => setImmediate(r));

before(async () => {
  const g = globalThis as Record<string, unknown>;
  g.self = scope;
  g.VideoDecoder = StandInDecoder;
  g.EncodedVideoChunk = class {
    constructor(init: { type: string; timestamp: number }) {
      Object.assign(this, init);
    }
  };
  g.ImageData = class {
    constructor(
      readonly data: Uint8ClampedArray,
      readonly width: number,
      readonly height: number,
    ) {}
  };
  g.createImageBitmap = (source: unknown, size: unknown) => {
    const b = { source, size, closed: false, close: () => (b.closed = true) };
    bitmaps.push(b);
    return Promise.resolve(b);
  };
  await import('../../renderer/media/key-frames/key-frame.worker');
});

const box = { width: 200, height: 112 };
const key = (id: number, timestamp: number) => send({ type: 'decode', id, data: new ArrayBuffer(4), timestamp, box });

test('a key frame decoded to a bitmap of the pane (whole, aspect kept), sent without a copy; the frame released', async () => {
  send({ type: 'configure', id: 1, codec: 'avc1.4d401e', description: new ArrayBuffer(7) });
  const d = StandInDecoder.all.at(-1)!;
  assert.equal(d.codec, 'avc1.4d401e');
  assert.equal(d.config!.hardwareAcceleration, 'prefer-software', 'frames in memory, scaled in the worker');
  key(1, 1_000_000);
  assert.deepEqual(
    d.chunks.map(({ type, timestamp }) => ({ type, timestamp })),
    [{ type: 'key', timestamp: 1_000_000 }],
  );
  const frame = d.out();
  await settle();
  const last = posted.at(-1)!;
  assert.equal(last.message.type, 'picture');
  assert.deepEqual(bitmaps.at(-1)!.size, { resizeWidth: 199, resizeHeight: 112, resizeQuality: 'low' });
  assert.deepEqual(last.transfer, [bitmaps.at(-1)], 'transferred');
  assert.equal(frame.closed, true);
  assert.equal(d.flushes, 0, 'a decoder that gives each key frame out at once is never flushed');
  for (let i = 2; i <= 6; i++) {
    key(1, i * 1_000_000);
    d.out();
  }
  assert.equal(d.flushes, 0);
});

test('two key frames in a decoder and none out: more are skipped (a newer one comes next GOP); stuck for 3 s, it is flushed', async (t) => {
  let clock = 0;
  t.mock.method(performance, 'now', () => clock);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  send({ type: 'configure', id: 2, codec: 'avc1.4d401e', description: new ArrayBuffer(7) });
  const d = StandInDecoder.all.at(-1)!;
  const given = () => d.chunks.map((c) => c.timestamp);
  // Each key frame waits for its turn (one decoding at a time in the window), then goes in.
  const keyInTurn = (ts: number) => {
    key(2, ts);
    t.mock.timers.tick(150); // nothing came out: the turn passes on
  };
  keyInTurn(1);
  keyInTurn(2);
  keyInTurn(3);
  assert.deepEqual(given(), [1, 2], 'the third skipped');
  d.out(); // the first came out: room for one more
  keyInTurn(4);
  assert.deepEqual(given(), [1, 2, 4]);
  assert.equal(d.flushes, 0);
  // Nothing comes out for 3 s (a decoder that holds its pictures until more chunks come): flushed once.
  clock = 3500;
  keyInTurn(5);
  keyInTurn(6);
  assert.equal(d.flushes, 1, 'once, not per key frame');
  await settle(); // the flush hands out what it held
  keyInTurn(7);
  assert.deepEqual(given(), [1, 2, 4, 7], 'decoding again after the flush');
  send({ type: 'close', id: 2 });
});

test('key frames of many panes at once: one decoding at a time, in the order the panes came, each pane its newest', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const ids = [20, 21, 22];
  for (const id of ids) send({ type: 'configure', id, codec: 'avc1.4d401e', description: new ArrayBuffer(7) });
  const [a, b, c] = StandInDecoder.all.slice(-3);
  for (const id of ids) key(id, 1);
  key(21, 2); // pane 21's newer key frame replaces its older one, in its place
  assert.deepEqual(
    [a!, b!, c!].map((d) => d.chunks.length),
    [1, 0, 0],
    "the first pane's turn",
  );
  a!.out(); // out: the next pane's turn at once
  assert.deepEqual(
    b!.chunks.map((x) => x.timestamp),
    [2],
  );
  assert.equal(c!.chunks.length, 0);
  t.mock.timers.tick(149);
  assert.equal(c!.chunks.length, 0);
  t.mock.timers.tick(1); // nothing out in 150 ms: the turn passes on
  assert.equal(c!.chunks.length, 1);
  send({ type: 'close', id: 22 }); // closed in its turn: the turn is free again
  key(20, 3);
  assert.equal(a!.chunks.length, 2);
  for (const id of ids) send({ type: 'close', id });
});

test('a flush that never ends: 15 s on, the decoder is closed and the page told (its video makes the pictures)', (t) => {
  let clock = 0;
  t.mock.method(performance, 'now', () => clock);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  send({ type: 'configure', id: 3, codec: 'avc1.4d401e', description: new ArrayBuffer(7) });
  const d = StandInDecoder.all.at(-1)!;
  d.flush = () => (d.flushes++, new Promise<void>(() => undefined));
  const keyInTurn = (ts: number) => {
    key(3, ts);
    t.mock.timers.tick(150);
  };
  keyInTurn(1);
  keyInTurn(2);
  clock = 3500;
  keyInTurn(3);
  assert.equal(d.flushes, 1);
  clock = 18_000;
  keyInTurn(4);
  assert.equal(d.state, 'configured', 'a flush may take a while in a busy worker');
  const before = posted.length;
  clock = 19_000;
  keyInTurn(5);
  assert.equal(d.state, 'closed');
  assert.deepEqual(
    posted.slice(before).map((p) => p.message),
    [{ type: 'failed', id: 3, reason: 'the key-frame decoder stopped answering' }],
  );
});

test('a decoder error: the page is told why and the decoder closed; a picture for a closed pane is released', async () => {
  send({ type: 'configure', id: 4, codec: 'avc1.4d401e', description: new ArrayBuffer(7) });
  const d = StandInDecoder.all.at(-1)!;
  d.init.error(new Error('Decoding error.'));
  assert.deepEqual(posted.at(-1)!.message, {
    type: 'failed',
    id: 4,
    reason: 'the key-frame decoder failed: Decoding error.',
  });
  assert.equal(d.state, 'closed');
  key(4, 0);
  assert.equal(d.chunks.length, 0, 'nothing more decoded');

  send({ type: 'configure', id: 5, codec: 'avc1.4d401e', description: new ArrayBuffer(7) });
  const e = StandInDecoder.all.at(-1)!;
  key(5, 0);
  const before = posted.length;
  const made = bitmaps.length;
  const frame = e.out(); // decoded, and the pane closes before its picture is made: none is
  send({ type: 'close', id: 5 });
  await settle();
  assert.equal(posted.length, before, 'not sent');
  assert.equal(bitmaps.length, made);
  assert.equal(frame.closed, true);

  // …or while its bitmap is being made: the bitmap is released
  const g = globalThis as Record<string, unknown>;
  const real = g.createImageBitmap as (f: unknown, o: unknown) => Promise<{ closed: boolean }>;
  let go = () => {};
  g.createImageBitmap = (f: unknown, o: unknown) => new Promise((r) => (go = () => r(real(f, o))));
  try {
    send({ type: 'configure', id: 6, codec: 'avc1.4d401e', description: new ArrayBuffer(7) });
    const f = StandInDecoder.all.at(-1)!;
    key(6, 0);
    const second = f.out();
    await settle();
    send({ type: 'close', id: 6 });
    go();
    await settle();
    assert.equal(posted.length, before, 'not sent');
    assert.equal(bitmaps.at(-1)!.closed, true);
    assert.equal(second.closed, true);
  } finally {
    g.createImageBitmap = real;
  }
});

test('a frame in memory (I420 here, NV12 alike: yuv-picture.test.ts) is scaled in the worker, not by createImageBitmap; after a copy that fails, createImageBitmap (said once)', async (t) => {
  // (the last test of the file to scale in memory: after the failure the worker no longer does)
  const warn = t.mock.method(console, 'warn', () => undefined);
  send({ type: 'configure', id: 7, codec: 'avc1.4d401e', description: new ArrayBuffer(7) });
  const d = StandInDecoder.all.at(-1)!;
  // 640×360 video-level white, as a software decoder's I420 frame copies out
  const i420 = (fail = false): Partial<Frame> => ({
    format: 'I420',
    visibleRect: { width: 640, height: 360 },
    colorSpace: { matrix: 'bt709', fullRange: false },
    allocationSize: () => 640 * 360 * 1.5,
    copyTo: async (b) => {
      if (fail) throw new Error('closed');
      b.fill(235, 0, 640 * 360).fill(128, 640 * 360);
      return [
        { offset: 0, stride: 640 },
        { offset: 640 * 360, stride: 320 },
        { offset: 640 * 360 * 1.25, stride: 320 },
      ];
    },
  });
  const sent = posted.length;
  const made = bitmaps.length;
  const frames = [i420(), i420(true), i420()].map((extra, i) => {
    key(7, i);
    return d.out(extra);
  });
  for (let i = 0; i < 4; i++) await settle();
  assert.ok(frames.every((f) => f.closed));
  const pictures = posted.slice(sent).filter((p) => p.message.type === 'picture');
  assert.equal(pictures.length, 3);
  const [scaled, broken, after] = bitmaps.slice(made);
  const image = scaled!.source as { data: Uint8ClampedArray; width: number; height: number };
  assert.deepEqual([image.width, image.height], [199, 112]);
  assert.equal(scaled!.size, undefined, 'already the pane size');
  assert.deepEqual([...image.data.subarray(0, 4)], [255, 255, 255, 255]);
  assert.deepEqual(pictures[0]!.transfer, [scaled]);
  assert.equal(broken!.source, frames[1], 'the frame that could not be copied: by createImageBitmap');
  assert.deepEqual(broken!.size, { resizeWidth: 199, resizeHeight: 112, resizeQuality: 'low' });
  assert.equal(after!.source, frames[2], 'and the ones after it');
  assert.equal(warn.mock.callCount(), 1);
});

test('no software decoder for the codec: a new decoder as the runtime chooses, and its pictures come', async () => {
  send({ type: 'configure', id: 8, codec: 'hev1.1.6.L93.B0', description: new ArrayBuffer(7) });
  const soft = StandInDecoder.all.at(-1)!;
  assert.equal(soft.config!.hardwareAcceleration, 'prefer-software');
  // WebCodecs: a configuration the decoder cannot take closes it, NotSupportedError to its error callback
  soft.state = 'closed';
  soft.init.error(Object.assign(new Error('unsupported'), { name: 'NotSupportedError' }));
  const plain = StandInDecoder.all.at(-1)!;
  assert.notEqual(plain, soft);
  assert.equal(plain.codec, 'hev1.1.6.L93.B0');
  assert.equal(plain.config!.hardwareAcceleration, undefined);
  assert.ok(!posted.some((p) => p.message.type === 'failed' && p.message.id === 8), 'the page not told of a failure');
  key(8, 1);
  assert.equal(plain.chunks.length, 1);
  plain.out();
  await settle();
  assert.ok(posted.some((p) => p.message.type === 'picture' && p.message.id === 8));
  // …and a decoder error then is a failure the page hears of
  plain.init.error(Object.assign(new Error('unsupported'), { name: 'NotSupportedError' }));
  assert.ok(posted.some((p) => p.message.type === 'failed' && p.message.id === 8));
});

test('pictures are made one after another; one whose bitmap fails does not hold up the next', async () => {
  const g = globalThis as Record<string, unknown>;
  const real = g.createImageBitmap;
  const pending: Array<{ resolve(b: unknown): void; reject(e: Error): void }> = [];
  g.createImageBitmap = () => new Promise((resolve, reject) => pending.push({ resolve, reject }));
  try {
    send({ type: 'configure', id: 9, codec: 'avc1.4d401e', description: new ArrayBuffer(7) });
    const d = StandInDecoder.all.at(-1)!;
    const sent = posted.length;
    key(9, 1);
    const first = d.out();
    key(9, 2);
    const second = d.out();
    await settle();
    assert.equal(pending.length, 1, 'the second waits for the first');
    pending[0]!.reject(new Error('no memory'));
    await settle();
    assert.equal(first.closed, true);
    assert.equal(pending.length, 2, 'the second is made');
    const bitmap = { closed: false, close: () => (bitmap.closed = true) };
    pending[1]!.resolve(bitmap);
    await settle();
    assert.equal(second.closed, true);
    const pictures = posted.slice(sent).filter((p) => p.message.type === 'picture');
    assert.equal(pictures.length, 1);
    assert.deepEqual(pictures[0]!.transfer, [bitmap]);
  } finally {
    g.createImageBitmap = real;
  }
});
