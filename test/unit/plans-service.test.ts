import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAlarms, checkSections } from '../../main/services/plans';

const limits = {
  alarmTypes: ['motion_detection', 'io_event'],
  minSeconds: 1,
  maxSeconds: 59,
  maxTotalSeconds: 60,
  minDays: 1,
  maxDays: 365,
  batch: 100,
};

test('schedules are checked before sending: non-empty, start before end, no overlap on a day', () => {
  assert.doesNotThrow(() =>
    checkSections([
      { day: 1, start: '08:00:00', end: '12:00:00' },
      { day: 1, start: '12:00:00', end: '18:00:00' },
      { day: 7, start: '00:00:00', end: '23:59:59' },
    ]),
  );
  assert.throws(() => checkSections([]), /empty/);
  assert.throws(() => checkSections([{ day: 2, start: '10:00:00', end: '10:00:00' }]), /does not start before it ends/);
  assert.throws(
    () =>
      checkSections([
        { day: 3, start: '08:00:00', end: '12:00:00' },
        { day: 3, start: '11:59:59', end: '13:00:00' },
      ]),
    /overlap/,
  );
});

test('motion triggers: known types once each, 1–59 s before and after, together ≤ 60 s', () => {
  assert.doesNotThrow(() => checkAlarms([{ type: 'motion_detection', before: 30, after: 30 }], limits));
  assert.throws(() => checkAlarms([], limits), /at least one/);
  assert.throws(() => checkAlarms([{ type: 'ufo', before: 5, after: 5 }], limits), /Unknown/);
  assert.throws(() => checkAlarms([{ type: 'io_event', before: 0, after: 5 }], limits), /1–59/);
  assert.throws(() => checkAlarms([{ type: 'io_event', before: 31, after: 30 }], limits), /at most 60/);
  assert.throws(
    () =>
      checkAlarms(
        [
          { type: 'io_event', before: 1, after: 1 },
          { type: 'io_event', before: 1, after: 1 },
        ],
        limits,
      ),
    /twice/,
  );
});
