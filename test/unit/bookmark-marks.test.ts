import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evidenceItemOf, focusView, formatSpan, markGeometry } from '../../renderer/model/bookmarks';

const view = { startMs: 0, spanMs: 86_400_000 };

test('a moment is a tick where it is; a range a band, at least 4 px in a whole-day view; outside: none', () => {
  assert.deepEqual(markGeometry({ startMs: 43_200_000, endMs: 43_200_000 }, view, 1000), {
    x: 500,
    w: 0,
    moment: true,
  });
  assert.deepEqual(markGeometry({ startMs: 43_200_000, endMs: 43_230_000 }, view, 1000), {
    x: 500,
    w: 4,
    moment: false,
  });
  const wide = markGeometry({ startMs: 0, endMs: 43_200_000 }, view, 1000)!;
  assert.equal(wide.w, 500);
  // A range that began before the view starts at its left edge.
  assert.deepEqual(markGeometry({ startMs: -3_600_000, endMs: 8_640_000 }, view, 1000), {
    x: 0,
    w: 100,
    moment: false,
  });
  assert.equal(markGeometry({ startMs: 90_000_000, endMs: 90_000_000 }, view, 1000), null);
  assert.equal(markGeometry({ startMs: -90_000_000, endMs: -80_000_000 }, view, 1000), null);
});

test('a span reads m:ss, or h:mm:ss from an hour', () => {
  assert.equal(formatSpan(0), '0:00');
  assert.equal(formatSpan(90_000), '1:30');
  assert.equal(formatSpan(3_600_000 + 61_000), '1:01:01');
});

test('a bookmark opened in playback is shown whole: its range 3× across, a moment in 10 minutes', () => {
  assert.deepEqual(focusView({ startMs: 3_600_000, endMs: 7_200_000 }), { startMs: 0, spanMs: 10_800_000 });
  assert.deepEqual(focusView({ startMs: 3_600_000, endMs: 3_600_000 }), { startMs: 3_300_000, spanMs: 600_000 });
});

test("a bookmark's evidence: a range as it is, a moment 10 s before to 20 s after; a picture at its start; its name over its note", () => {
  const b = { accountId: 'a', channelId: 'c', cameraName: 'Gate', name: 'Van', note: 'white van' };
  assert.deepEqual(evidenceItemOf({ ...b, startMs: 100_000, endMs: 160_000 }), {
    accountId: 'a',
    channelId: 'c',
    name: 'Gate',
    startMs: 100_000,
    endMs: 160_000,
    note: 'Van\n\nwhite van',
    snapshotMs: 100_000,
  });
  const moment = evidenceItemOf({ ...b, note: '', cameraName: '', startMs: 100_000, endMs: 100_000 });
  assert.deepEqual(
    [moment.startMs, moment.endMs, moment.snapshotMs, moment.note, moment.name],
    [90_000, 120_000, 100_000, 'Van', 'c'],
  );
});
