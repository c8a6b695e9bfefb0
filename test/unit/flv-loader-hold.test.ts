import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { HEADER, stream, tagBytes } from '../helpers/flv-tags';

// mpegts.js reads `self` and `navigator` when it loads: Node has neither before version 21.
const g = globalThis as Record<string, unknown>;
g.self ??= globalThis;
g.navigator ??= { userAgent: 'node' };
const { vigilFlvLoader, FlvMediaClock, HOLD_POLL_MS, HOLD_SLICE_BYTES } = await import(
  '../../renderer/media/engines/flv-loader'
);

const { holdOneUse } = await import('../../renderer/media/engines/flv-player');

const TOTAL = 32 * 1024 * 1024;
const CHUNK = 64 * 1024;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sender of TOTAL bytes that writes only as fast as its connection takes them (a transcode's ffmpeg). */
async function sender(): Promise<{ url: string; written: () => number; ended: () => boolean; close: () => void }> {
  let written = 0;
  let ended = false;
  const server = http.createServer(async (_req, res) => {
    res.on('close', () => (ended = true));
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    res.write(Buffer.from(HEADER));
    while (written < TOTAL && !res.destroyed) {
      const more = res.write(Buffer.alloc(CHUNK, 0x5a));
      written += CHUNK;
      if (!more) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/transcode/x.flv`,
    written: () => written,
    ended: () => ended,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

test('a held loader reads nothing, so its sender waits; let go, it reads the rest to the end', async () => {
  const s = await sender();
  let held = false;
  let letGo = false;
  let received = 0;
  let completed = false;
  const Loader = vigilFlvLoader(() => undefined, { hold: () => held });
  const loader = new (Loader as unknown as new () => {
    open(source: { url: string }): void;
    onDataArrival: (data: ArrayBuffer, start: number, received: number) => void;
    onComplete: () => void;
    onError: (type: unknown, info: { msg: string }) => void;
    destroy(): void;
  })();
  loader.onDataArrival = (_data, _start, total) => {
    received = total;
    if (received >= 1024 * 1024 && !letGo) held = true;
  };
  loader.onComplete = () => (completed = true);
  let failed = '';
  loader.onError = (_type, info) => (failed = info.msg);
  loader.open({ url: s.url });
  try {
    for (let i = 0; i < 100 && !held; i++) await wait(50);
    assert.ok(held, 'data came');
    await wait(4 * HOLD_POLL_MS);
    const [r1, w1] = [received, s.written()];
    await wait(1000);
    assert.equal(received, r1, 'nothing is read while held');
    assert.equal(s.written(), w1, 'the sender waits on its connection');
    assert.ok(w1 < TOTAL / 2, `the sender stopped early (${w1} of ${TOTAL} bytes written)`);
    [held, letGo] = [false, true];
    for (let i = 0; i < 200 && !completed; i++) await wait(50);
    assert.equal(failed, '');
    assert.ok(completed, 'the stream ends');
    assert.equal(received, HEADER.length + TOTAL, 'every byte arrived');
  } finally {
    loader.destroy();
    s.close();
  }
});

test('a loader stopped while held ends its connection (the transcode goes with it)', async () => {
  const s = await sender();
  const Loader = vigilFlvLoader(() => undefined, { hold: () => true });
  const loader = new (Loader as unknown as new () => { open(source: { url: string }): void; abort(): void })();
  loader.open({ url: s.url });
  try {
    await wait(500);
    assert.ok(s.written() < TOTAL, 'held from the start, the sender waits');
    loader.abort();
    for (let i = 0; i < 40 && !s.ended(); i++) await wait(50);
    assert.ok(s.ended(), 'the connection closed');
    assert.ok(s.written() < TOTAL, 'the sender never finished');
  } finally {
    s.close();
  }
});

test('a hold ends when the pane wakes the loader, not only at the poll (a hidden window polls once a minute)', async () => {
  const s = await sender();
  let held = true;
  let received = 0;
  const wakes = new Set<() => void>();
  const Loader = vigilFlvLoader(() => undefined, {
    hold: () => held,
    holdWake: (wake) => {
      wakes.add(wake);
      return () => wakes.delete(wake);
    },
    pollMs: 60_000,
  });
  const loader = new (Loader as unknown as new () => {
    open(source: { url: string }): void;
    onDataArrival: (data: ArrayBuffer, start: number, received: number) => void;
    destroy(): void;
  })();
  loader.onDataArrival = (_data, _start, total) => (received = total);
  loader.open({ url: s.url });
  try {
    for (let i = 0; i < 100 && wakes.size === 0; i++) await wait(50);
    assert.equal(wakes.size, 1, 'held from the start, the loader listens for a wake');
    assert.equal(received, 0);
    held = false;
    for (const wake of [...wakes]) wake();
    for (let i = 0; i < 100 && received === 0; i++) await wait(50);
    assert.ok(received > 0, 'read on at the wake, a minute before the poll');
    assert.equal(wakes.size, 0, 'the wake is unsubscribed once the hold ends');
  } finally {
    loader.destroy();
    s.close();
  }
});

test('the media clock reads the seconds an FLV stream carried, however it is cut', () => {
  const { bytes } = stream(10, { audio: true, startTs: 5000 });
  const whole = new FlvMediaClock();
  whole.push(bytes);
  assert.equal(whole.seconds, 9.96, 'first to last audio or video tag (the script tag at 0 is not media)');
  const byByte = new FlvMediaClock();
  for (let i = 0; i < bytes.length; i++) byByte.push(bytes.subarray(i, i + 1));
  assert.equal(byByte.seconds, 9.96);
  const half = new FlvMediaClock();
  half.push(bytes.subarray(0, bytes.length >> 1));
  assert.ok(half.seconds > 4 && half.seconds < 6, `half the bytes, half the seconds: ${half.seconds}`);
  // ffmpeg writes the codec configuration at 0 where the pictures start later (main's HEVC-FLV
  // path starts them at 1000 ms): mpegts.js's timeline starts at the first picture, so does the clock.
  const aacConfig = [8, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0xaf, 0x00, 0x12, 0x10, 0, 0, 0, 15];
  const later = Uint8Array.from([
    ...HEADER,
    ...tagBytes({ kind: 'config', ts: 0, n: 0 }),
    ...aacConfig,
    ...stream(10, { audio: true, startTs: 1000 }).bytes.subarray(HEADER.length),
  ]);
  const fromPictures = new FlvMediaClock();
  fromPictures.push(later);
  assert.equal(fromPictures.seconds, 9.96, 'from the first picture or sound, not the configuration at 0');
  const notFlv = new FlvMediaClock();
  notFlv.push(new Uint8Array(4096).fill(0x5a));
  assert.equal(notFlv.seconds, 0);
});

/** FLV of `seconds` at 25 fps, each picture `size` bytes (a small pane's transcode: ~10 kB/s). */
function pictures(seconds: number, size: number): Buffer {
  const tags: Buffer[] = [Buffer.from(HEADER)];
  for (let f = 0; f < seconds * 25; f++) {
    const ts = f * 40;
    const data = Buffer.alloc(size, 0x33);
    data[0] = f % 25 === 0 ? 0x17 : 0x27;
    data[1] = 1;
    const header = Buffer.from([
      9,
      size >> 16,
      (size >> 8) & 0xff,
      size & 0xff,
      (ts >> 16) & 0xff,
      (ts >> 8) & 0xff,
      ts & 0xff,
      0,
      0,
      0,
      0,
    ]);
    const prev = Buffer.alloc(4);
    prev.writeUInt32BE(11 + size);
    tags.push(header, data, prev);
  }
  return Buffer.concat(tags);
}

test('a paced loader stops within a slice of the media it was asked for, not at what one read brought', async () => {
  // 120 s of pictures in one read, as a held connection's backlog arrives.
  const flv = new Uint8Array(pictures(120, 400));
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(flv);
          c.close();
        },
      }),
    )) as typeof fetch;
  const seen = new FlvMediaClock();
  const Loader = vigilFlvLoader(() => undefined, { hold: (deliveredS) => deliveredS > 10 });
  const loader = new (Loader as unknown as new () => {
    open(source: { url: string }): void;
    onDataArrival: (data: ArrayBuffer) => void;
    destroy(): void;
  })();
  loader.onDataArrival = (data) => seen.push(new Uint8Array(data));
  loader.open({ url: 'http://127.0.0.1:9/x.flv' });
  try {
    for (let i = 0; i < 100 && seen.seconds <= 10; i++) await wait(50);
    await wait(4 * HOLD_POLL_MS);
    const sliceS = HOLD_SLICE_BYTES / (25 * 415);
    assert.ok(seen.seconds > 10, `read up to the hold: ${seen.seconds} s`);
    assert.ok(seen.seconds <= 10 + sliceS + 0.04, `stopped within a slice (${sliceS.toFixed(1)} s): ${seen.seconds} s`);
  } finally {
    loader.destroy();
    globalThis.fetch = realFetch;
  }
});

test('a one-use recording holds at 15 s ahead, counting what the loader handed on while mpegts.js keeps up', () => {
  const video = (currentTime: number, ranges: Array<[number, number]>) => ({
    currentTime,
    buffered: {
      length: ranges.length,
      start: (i: number) => ranges[i]![0],
      end: (i: number) => ranges[i]![1],
    } as TimeRanges,
  });
  assert.equal(holdOneUse(video(5, [[0, 12]]), 12), false, '7 s ahead: read on');
  assert.equal(holdOneUse(video(5, [[0, 19]]), 20.5), true, 'handed on 15.5 s ahead, 1.5 s not yet appended: hold');
  assert.equal(holdOneUse(video(5, [[0, 20.5]]), 0), true, 'the <video> has 15.5 s ahead: hold');
  assert.equal(holdOneUse(video(5, [[0, 12]]), 20.5), false, '8.5 s handed on and not appended: the <video> decides');
  assert.equal(holdOneUse(video(5, [[0, 5.5]]), 60), false, 'half a second left: read on, whatever the count');
});
