import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeStrip, stripLatencyMs, STRIP_BITS, STRIP_BLOCK } from '../helpers/clock-strip';
import { Backoff, defaultBackoff } from '../../renderer/media/session/reconnect';
import { bufferLatency, droppedPercent, percentile, rate } from '../../renderer/media/session/stats';

test('live backoff doubles from 0.5 s to a cap of 3 s (an operator waits at most that after a source is back)', () => {
  const b = new Backoff(defaultBackoff, () => 0.5);
  const delays = Array.from({ length: 7 }, () => b.failed(0).delayMs);
  assert.deepEqual(delays, [500, 1000, 2000, 3000, 3000, 3000, 3000]);
  assert.equal(b.attempts, 7);
});

test('live backoff is spread ± 20 % so the panes of a wall do not ask the platform in step', () => {
  const low = new Backoff(defaultBackoff, () => 0);
  const high = new Backoff(defaultBackoff, () => 1);
  assert.deepEqual([low.failed(0).delayMs, high.failed(0).delayMs], [400, 600]);
  for (let i = 0; i < 5; i++) [low, high].forEach((b) => b.failed(0));
  assert.deepEqual([low.failed(0).delayMs, high.failed(0).delayMs], [2400, 3600]);
});

test('a connection that played for 10 s counts as healthy: the next failure starts at 0.5 s again', () => {
  const b = new Backoff(defaultBackoff, () => 0.5);
  b.failed(0);
  b.failed(1000);
  b.playing(2000);
  assert.equal(b.failed(5000).delayMs, 2000, 'played only 3 s: keep backing off');
  b.playing(10_000);
  assert.deepEqual(b.failed(25_000), { attempt: 1, delayMs: 500, final: false });
});

test('stats: fps and bitrate from two samples; nothing from one', () => {
  assert.deepEqual(rate(null, { at: 1000, decodedFrames: 25, droppedFrames: 0, bytes: 1000 }), {
    fps: 0,
    bitrateKbps: 0,
  });
  const r = rate(
    { at: 0, decodedFrames: 0, droppedFrames: 0, bytes: 0 },
    { at: 2000, decodedFrames: 50, droppedFrames: 0, bytes: 250_000 },
  );
  assert.equal(r.fps, 25);
  assert.equal(r.bitrateKbps, 1000);
});

test('stats: buffer latency, percentiles, dropped %', () => {
  assert.equal(bufferLatency({ length: 0, end: () => 0 }, 5), 0);
  assert.equal(bufferLatency({ length: 1, end: () => 10.5 }, 10), 0.5);
  assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
  assert.equal(percentile([], 50), null);
  assert.equal(droppedPercent(99, 1), 1);
  assert.equal(droppedPercent(0, 0), 0);
});

function strip(value: number): Uint8ClampedArray {
  const w = STRIP_BITS * STRIP_BLOCK;
  const px = new Uint8ClampedArray(w * STRIP_BLOCK * 4);
  for (let k = 0; k < STRIP_BITS; k++) {
    const on = Math.floor(value / 2 ** k) % 2 === 1 ? 255 : 0;
    for (let y = 0; y < STRIP_BLOCK; y++)
      for (let x = k * STRIP_BLOCK; x < (k + 1) * STRIP_BLOCK; x++) {
        const i = (y * w + x) * 4;
        px[i] = px[i + 1] = px[i + 2] = on;
        px[i + 3] = 255;
      }
  }
  return px;
}

test('clock strip: 24 bits, least significant first, round-trips; grey is not a strip', () => {
  for (const v of [0, 1, 0xabcdef, 2 ** 24 - 1, 1234567])
    assert.equal(decodeStrip(strip(v), STRIP_BITS * STRIP_BLOCK), v);
  const grey = new Uint8ClampedArray(STRIP_BITS * STRIP_BLOCK * STRIP_BLOCK * 4).fill(128);
  assert.equal(decodeStrip(grey, STRIP_BITS * STRIP_BLOCK), null);
});

test('clock strip latency handles the 2^24 ms wrap', () => {
  assert.equal(stripLatencyMs(1000, 1700), 700);
  assert.equal(stripLatencyMs(2 ** 24 - 100, 2 ** 24 + 300), 400);
});
