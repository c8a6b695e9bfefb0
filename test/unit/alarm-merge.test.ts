import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alarm } from '../../preload/contract';
import { alarmToOpen, mergeSnapshot, newerAlarm } from '../../renderer/model/alarm-merge';

// Review F15: the alarms page's load() replaced the window's list with main's answer, losing
// alarms and lifecycle changes that main announced while that answer was on its way.

const alarm = (n: number, more: Partial<Alarm> = {}): Alarm => ({
  id: `a/${n}`,
  messageId: String(n),
  accountId: 'a',
  deviceId: 'd',
  channelId: '0',
  channelName: 'c',
  type: 'motion',
  at: 1_700_000_000_000 + n * 1000,
  uuid: `u${n}`,
  state: 'new',
  ...more,
});
const seat = { seat: 'B', user: 'bo' };

test('load merges main’s list with what arrived meanwhile: newer state per id, new alarms kept', () => {
  const snapshot = [alarm(3), alarm(2), alarm(1, { state: 'acknowledged', acknowledgedAt: 5, acknowledgedBy: seat })];
  // While the list travelled: alarm 4 arrived, alarm 2 was acknowledged, alarm 1 was closed.
  const current = [
    alarm(4),
    alarm(2, { state: 'acknowledged', acknowledgedAt: 9, acknowledgedBy: seat }),
    alarm(1, { state: 'closed', acknowledgedAt: 5, closedAt: 10, note: 'ok' }),
  ];
  const merged = mergeSnapshot(current, snapshot, new Set(['a/4', 'a/2', 'a/1']));
  assert.deepEqual(
    merged.map((a) => [a.id, a.state]),
    [
      ['a/4', 'new'],
      ['a/3', 'new'],
      ['a/2', 'acknowledged'],
      ['a/1', 'closed'],
    ],
  );
});

test('main’s list wins over an older copy, and what main dropped (no event since) goes', () => {
  // The window still holds alarm 5 (main's retention deleted it) and an older copy of alarm 6.
  const current = [alarm(6), alarm(5, { state: 'acknowledged', acknowledgedAt: 1 })];
  const snapshot = [alarm(6, { state: 'assigned', assignedTo: 'C' })];
  const merged = mergeSnapshot(current, snapshot, new Set());
  assert.deepEqual(
    merged.map((a) => [a.id, a.state, a.assignedTo]),
    [['a/6', 'assigned', 'C']],
  );
});

test('a tie keeps the preferred copy; alarms of older versions (no state) rank by acknowledgedAt', () => {
  const toC = alarm(7, { state: 'assigned', assignedTo: 'C' });
  const toD = alarm(7, { state: 'assigned', assignedTo: 'D' });
  assert.equal(newerAlarm(toC, toD), toD);
  assert.equal(
    newerAlarm(alarm(8, { state: 'closed' }), alarm(8)).state,
    'closed',
    'an event older than the list does not undo it',
  );
  const legacyAcked = alarm(9, { state: undefined, acknowledgedAt: 3 });
  assert.equal(newerAlarm(legacyAcked, alarm(9, { state: undefined })), legacyAcked);
});

test('the alarm pane opens the newest new-to-this-window alarm still open and with a channel', () => {
  const ref = { channelRef: 'ch:d:0' };
  const fresh = [
    alarm(9, { ...ref, state: 'closed' }),
    alarm(8), // no channel to open
    alarm(7, ref),
    alarm(6, ref),
  ];
  assert.equal(alarmToOpen(fresh)?.id, 'a/7');
  assert.equal(alarmToOpen([alarm(5, { ...ref, state: 'closed' })]), undefined);
});
