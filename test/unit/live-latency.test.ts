import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  FLOOR_HOLD_S,
  MARGIN_S,
  QUIET_S,
  STEP_S,
  onQuiet,
  onStall,
  resumePosition,
  startTarget,
  type LatencyTarget,
} from '../../renderer/media/engines/live-latency';

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

test('resumePosition: back from the key-frame refresh at the target latency behind the live edge', () => {
  const seg = { startS: 100, durationS: 1, targetS: 1.25 };
  // listed just now: the edge is the segment's end, 1.25 s back from it is before the picture's frame
  assert.equal(resumePosition({ ...seg, listedAtMs: 5000, nowMs: 5000 }), 100, 'never before the picture');
  // 0.8 s after the listing the edge is at 101.8: 0.55 s into the segment
  assert.equal(resumePosition({ ...seg, listedAtMs: 5000, nowMs: 5800 }), 100.55);
  // a 4-s segment listed 1 s ago: edge 105, target 4.25 s back
  assert.equal(resumePosition({ startS: 100, durationS: 4, targetS: 4.25, listedAtMs: 0, nowMs: 1000 }), 100.75);
  // a refresh that stalled: its listing counts as two segments old at most, not as far as the clock says
  assert.equal(resumePosition({ ...seg, listedAtMs: 0, nowMs: 60_000 }), 101.75);
  // a clock that reads before the listing (one tick's rounding) counts as none
  assert.equal(resumePosition({ ...seg, targetS: 0.5, listedAtMs: 5000, nowMs: 4990 }), 100.5);
});

test('resumePosition: a pane held unseen for a minute comes back where its camera is now, not two segments on', () => {
  const seg = { startS: 100, durationS: 1, targetS: 1.25, stoppedOnPurpose: true };
  // listed 60 s ago: the edge is at 161, the pane plays 1.25 s behind it
  assert.equal(resumePosition({ ...seg, listedAtMs: 0, nowMs: 60_000 }), 159.75);
  assert.equal(resumePosition({ ...seg, listedAtMs: 5000, nowMs: 5000 }), 100, 'never before the picture');
});
