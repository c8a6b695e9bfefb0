import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordingSegment } from '../../preload/contract';
import { selectGapRead, selectSegmentKey } from '../../renderer/stores/playback/selectors';
import { channelKey, dayKey, type PlaybackState } from '../../renderer/stores/playback/store';
import { dayStart } from '../../renderer/model/playback-days';

// A playback pane selects what the cursor means to it: the key changes at a recording's edge,
// not with every frame the cursor moves (so nine panes do not re-render 60 times a second).

const pane = { accountId: 'acc_0123456789abcdef', channelId: 'ch1', name: 'Gate' };
const t0 = Date.UTC(2026, 10, 20, 8, 0, 0);
const segments: RecordingSegment[] = [
  { kind: 'cloud', startMs: t0, endMs: t0 + 60_000 },
  { kind: 'cloud', startMs: t0 + 120_000, endMs: t0 + 180_000 },
];
const state = (cursorMs: number, over: Partial<PlaybackState> = {}) =>
  ({
    cursorMs,
    segments: { [channelKey(pane)]: segments },
    listed: {},
    days: { [dayKey(pane, dayStart(cursorMs))]: { state: 'done', count: 2 } },
    ...over,
  }) as unknown as PlaybackState;

test('the segment key stays while the cursor moves inside a recording and changes at its edge', () => {
  const key = selectSegmentKey(pane, undefined);
  const inside = [0, 16, 33, 1_000, 59_999].map((d) => key(state(t0 + d)));
  assert.deepEqual(new Set(inside), new Set([`cloud:${t0}`]));
  assert.equal(key(state(t0 + 60_000)), null, 'the gap after it');
  assert.equal(key(state(t0 + 120_000)), `cloud:${t0 + 120_000}`);
  assert.equal(selectSegmentKey(null, undefined)(state(t0)), null, 'an empty pane');
});

test('in a gap the pane selects whether the day was read; inside a recording, nothing', () => {
  const gap = selectGapRead(pane, undefined);
  assert.equal(gap(state(t0 + 30_000)), null);
  assert.equal(gap(state(t0 + 90_000)), 'done');
  assert.equal(gap(state(t0 + 90_000, { days: {} })), 'unread');
});

test('a channel the platform cannot list keeps its window while the cursor stays inside it', () => {
  const unlisted = { listed: { [channelKey(pane)]: false } };
  const first = selectSegmentKey(pane, undefined)(state(t0 + 500, unlisted));
  assert.equal(first, `cloud:${t0}`);
  // With the window's start remembered, later frames keep the same key.
  for (const d of [1_000, 30_000, 100_000]) assert.equal(selectSegmentKey(pane, t0)(state(t0 + d, unlisted)), first);
});
