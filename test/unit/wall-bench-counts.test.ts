import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PaneSample } from '../bench/page-probes';
import { intendedDrops, playingPanes, rebuffers, slope } from '../bench/wall';

// The wall bench's arithmetic (issue 26): dropped frames are counted over the frames Vigil meant to
// show, and the soak's heap trend is a least-squares slope.

const pane = (o: Partial<PaneSample>): PaneSample => ({
  frames: 0,
  pictures: 0,
  dropped: 0,
  bufferLatencyS: 0,
  rate: 1,
  via: null,
  latencyMs: null,
  decodeRate: 'full',
  fullFrames: null,
  fullDropped: null,
  waits: 0,
  ...o,
});

test("Vigil's panes count their full-rate seconds; a key-frame pane's throw-away frames are reported apart", () => {
  const before = [
    pane({ frames: 100, dropped: 1, fullFrames: 100, fullDropped: 1 }),
    pane({ frames: 50, dropped: 20, fullFrames: 30, fullDropped: 0, decodeRate: 'key' }),
  ];
  const after = [
    pane({ frames: 350, dropped: 6, fullFrames: 350, fullDropped: 6 }),
    // key frames only all along: 20 frames decoded, 10 of them the GOP's second frame, dropped
    pane({ frames: 70, dropped: 30, fullFrames: 30, fullDropped: 0, decodeRate: 'key' }),
  ];
  assert.deepEqual(intendedDrops(before, after), { pct: 2, reducedPct: 50, frames: 250, dropped: 5 });
});

test('a pane cut to key frames and back within the window adds only its full-rate seconds', () => {
  const before = [pane({ frames: 100, dropped: 0, fullFrames: 100, fullDropped: 0 })];
  // 150 frames at full rate (3 dropped), then 40 frames in key-frame seconds (20 dropped)
  const after = [pane({ frames: 290, dropped: 23, fullFrames: 250, fullDropped: 3 })];
  assert.deepEqual(intendedDrops(before, after), { pct: 2, reducedPct: 50, frames: 150, dropped: 3 });
});

test('a reconnected pane counts from zero; the baseline counts every frame', () => {
  const before = [pane({ frames: 900, dropped: 9, fullFrames: 900, fullDropped: 9 }), pane({ frames: 10, dropped: 0 })];
  const after = [pane({ frames: 100, dropped: 1, fullFrames: 100, fullDropped: 1 }), pane({ frames: 110, dropped: 1 })];
  assert.deepEqual(intendedDrops(before, after), { pct: 1, reducedPct: 0, frames: 200, dropped: 2 });
});

test('slope: per step, least squares; flat and single values are 0', () => {
  assert.equal(slope([100, 102, 104, 106]), 2);
  assert.equal(slope([5, 5, 5]), 0);
  assert.equal(slope([7]), 0);
  assert.ok(Math.abs(slope([100, 103, 101, 104]) - 1) < 1e-9);
});

test('rebuffers: waiting events of panes at full rate at both ends only', () => {
  const before = [pane({ waits: 2 }), pane({ waits: 0, decodeRate: 'key' }), pane({ waits: 1 }), pane({ waits: 0 })];
  const after = [pane({ waits: 5 }), pane({ waits: 4 }), pane({ waits: 1, decodeRate: 'key' }), pane({ waits: 0 })];
  assert.deepEqual(rebuffers(before, after), { stalls: 3, stalledPanes: 1 });
  assert.deepEqual(rebuffers([], after), { stalls: 0, stalledPanes: 0 });
});

test("a key-frame pane's worker pictures count among its frames: a video that decodes none does not make its drops huge", () => {
  const before = [pane({ frames: 40, dropped: 0, pictures: 0, fullFrames: 40, fullDropped: 0, decodeRate: 'key' })];
  const after = [pane({ frames: 41, dropped: 3, pictures: 99, fullFrames: 40, fullDropped: 0, decodeRate: 'key' })];
  assert.deepEqual(intendedDrops(before, after), { pct: 0, reducedPct: 3, frames: 0, dropped: 0 });
});

test('a pane plays when its video decoded frames or the worker made its pictures (a stopped HLS key-frame pane)', () => {
  const before = [pane({ frames: 10 }), pane({ frames: 40, pictures: 3 }), pane({ frames: 7 })];
  const after = [pane({ frames: 60 }), pane({ frames: 40, pictures: 9 }), pane({ frames: 7 })];
  assert.equal(playingPanes(before, after), 2);
});
