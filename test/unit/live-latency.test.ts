import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FLOOR_HOLD_S,
  MARGIN_S,
  QUIET_S,
  STEP_S,
  onQuiet,
  onStall,
  startTarget,
  type LatencyTarget,
} from '../../renderer/media/live-latency';

// A live HLS pane's target latency (issue 26): one segment plus a margin, a step back per stall
// (not a whole segment for good, as hls.js does), down again after quiet spells but not below the
// last stall's level for ten minutes.

const quietFor = (s: LatencyTarget, seconds: number, segmentS = 1) => {
  for (let i = 0; i < seconds; i++) s = onQuiet(s, segmentS, 1);
  return s;
};

test('starts one segment plus the margin behind the edge, measured in seconds', () => {
  assert.equal(startTarget(1).targetS, 1 + MARGIN_S);
  assert.equal(startTarget(2).targetS, 2 + MARGIN_S);
  assert.equal(startTarget(6).targetS, 6 + MARGIN_S);
  // a playlist claiming 0 s segments does not put the pane at the edge
  assert.equal(startTarget(0).targetS, 0.5 + MARGIN_S);
});

test('a stall steps back by STEP_S, at most one more segment', () => {
  let s = startTarget(1);
  s = onStall(s, 1);
  assert.equal(s.targetS, 1 + MARGIN_S + STEP_S);
  for (let i = 0; i < 20; i++) s = onStall(s, 1);
  assert.equal(s.targetS, 2 + MARGIN_S);
});

test('quiet spells bring it back, but not below the last stall for FLOOR_HOLD_S', () => {
  let s = onStall(onStall(startTarget(1), 1), 1); // 1.65
  const stalledAt = s.targetS;
  s = quietFor(s, QUIET_S * 3);
  assert.equal(s.targetS, stalledAt, 'holds the level that last stalled');
  s = quietFor(s, FLOOR_HOLD_S);
  assert.ok(s.targetS < stalledAt, 'probes closer once the hold is over');
  s = quietFor(s, QUIET_S * 10);
  assert.equal(s.targetS, 1 + MARGIN_S, 'back at the start target, not below');
});

test('steps down one STEP_S per quiet spell, not before QUIET_S', () => {
  let s: LatencyTarget = { targetS: 2, floorS: 1.25, quietS: 0, floorHoldS: 0 };
  s = quietFor(s, QUIET_S - 1);
  assert.equal(s.targetS, 2);
  s = quietFor(s, 1);
  assert.equal(s.targetS, 2 - STEP_S);
  assert.equal(s.quietS, 0);
  // a stall restarts the count
  s = quietFor(s, QUIET_S - 1);
  s = onStall(s, 1);
  assert.equal(s.targetS, 2);
  assert.equal(quietFor(s, QUIET_S).targetS, 2);
});
