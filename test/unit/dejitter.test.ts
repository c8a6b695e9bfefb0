import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dejitter } from '../../main/media/dejitter';

/** A seeded generator: the same "random" delays every run. */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const run = (times: number[]) => {
  const d = new Dejitter();
  return times.map((t) => d.push(t));
};
const gaps = (t: number[]) => t.slice(1).map((x, i) => x - t[i]!);

test('a camera stamping capture times passes unchanged', () => {
  const times = Array.from({ length: 200 }, (_, i) => 5000 + i * 40);
  assert.deepEqual(run(times), times);
  const thirty = Array.from({ length: 300 }, (_, i) => Math.round((i * 1000) / 30));
  const out = run(thirty);
  assert.ok(
    out.every((t, i) => Math.abs(t - thirty[i]!) <= 1),
    'a 30-fps stream in whole ms stays within 1 ms',
  );
});

test('pictures stamped on arrival (0–30 ms late) come out a frame apart, near their times, without drift', () => {
  const r = seeded(7);
  const times = Array.from({ length: 3000 }, (_, i) => Math.round(i * 40 + r() * 30));
  const out = run(times);
  const settled = gaps(out.slice(20));
  assert.ok(
    settled.every((g) => Math.abs(g - 40) <= 2),
    `gaps ${Math.min(...settled).toFixed(1)}–${Math.max(...settled).toFixed(1)} ms`,
  );
  const off = out.map((t, i) => t - times[i]!);
  assert.ok(Math.max(...off.map(Math.abs)) <= 60, `up to ${Math.max(...off.map(Math.abs)).toFixed(1)} ms moved`);
  // Two minutes in: still beside the source's times (no drift).
  assert.ok(Math.abs(out.at(-1)! - times.at(-1)!) <= 30);
});

test('a real gap (a stall, pictures the live edge dropped) is kept, and the grid restarts after it', () => {
  const times = [
    ...Array.from({ length: 50 }, (_, i) => i * 40),
    ...Array.from({ length: 50 }, (_, i) => 3000 + i * 40),
  ];
  const out = run(times);
  assert.equal(out[50], 3000);
  assert.deepEqual(out.slice(50), times.slice(50));
});

test('a burst after a hold-up (pictures stamped at once) is spread a frame apart, and the grid comes back to the source', () => {
  // steady; then 10 pictures held up 400 ms upstream, stamped on arrival within 2 ms; steady again
  const times = [
    ...Array.from({ length: 30 }, (_, i) => i * 40),
    ...Array.from({ length: 10 }, (_, i) => 1560 + Math.floor(i / 5)),
    ...Array.from({ length: 300 }, (_, i) => 1600 + i * 40),
  ];
  const out = run(times);
  const g = gaps(out);
  assert.equal(g[29], 1560 - 1160, 'the hold-up shows as a gap');
  assert.ok(
    g.slice(30).every((x) => x >= 37.5 && x <= 42.5),
    `after it, 37.5–42.5 ms apart: ${Math.min(...g.slice(30)).toFixed(1)}–${Math.max(...g.slice(30)).toFixed(1)}`,
  );
  assert.ok(
    Math.abs(out.at(-1)! - times.at(-1)!) <= 40,
    `${(out.at(-1)! - times.at(-1)!).toFixed(0)} ms off the source at the end`,
  );
});

test('times going back or repeating (a broken source) still go forward', () => {
  const out = run([...Array.from({ length: 20 }, (_, i) => i * 40), 700, 700, 760, 800]);
  assert.ok(
    gaps(out).every((x) => x > 0),
    out.join(' '),
  );
});

test('review R1: an arrival-stamped source held up 2 s is never given up as stale after its spread burst', async () => {
  const { LiveEdge } = await import('../../main/media/transcode/live-edge');
  const r = seeded(11);
  const run = (withSource: boolean) => {
    const d = new Dejitter();
    const edge = new LiveEdge();
    const verdicts: Array<{ at: number; v: string }> = [];
    // 25 fps; each picture arrives (and is stamped) 0–30 ms after capture; at 20 s the uplink
    // holds 2 s of pictures and hands them over at once; then 60 s steady.
    for (let i = 0; i < 25 * 82; i++) {
      const capture = i * 40;
      const held = capture >= 20_000 && capture < 22_000;
      const arrive = held ? 22_000 + (capture - 20_000) / 40 : capture + r() * 30;
      const stamp = Math.round(arrive);
      const mediaMs = d.push(stamp);
      const v = edge.accept({ mediaMs, ...(withSource ? { sourceMs: stamp } : {}), keyframe: i % 25 === 0 }, 0, arrive);
      if (v === 'write') edge.output(mediaMs, arrive + 5); // ffmpeg keeps up
      verdicts.push({ at: capture, v });
    }
    return verdicts;
  };
  const now = run(true);
  assert.equal(now.filter((x) => x.v === 'stale').length, 0, 'never stale');
  const dropsAfter = now.filter((x) => x.v === 'drop' && x.at >= 24_000).length;
  assert.equal(dropsAfter, 0, `${dropsAfter} pictures dropped after the burst`);
  // Judged on the times sent on (the first fix), the same source went stale.
  assert.ok(run(false).some((x) => x.v === 'stale'));
});
