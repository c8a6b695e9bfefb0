import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alarm } from '../../preload/contract';
import { byWhom, escalated, escalation } from '../../renderer/model/alarm-escalation';

const alarm = (receivedAt: number, acknowledgedAt?: number): Alarm => ({
  id: `a/${receivedAt}`,
  messageId: String(receivedAt),
  accountId: 'a',
  deviceId: 'd',
  channelId: '0',
  channelName: 'c',
  type: 't',
  at: 0, // the camera's clock: not what escalation counts from
  uuid: 'u',
  receivedAt,
  ...(acknowledgedAt !== undefined ? { acknowledgedAt } : {}),
});

test('an unacknowledged alarm escalates after the set time from its receipt; an acknowledged one never', () => {
  assert.equal(escalated(alarm(1000), 60_999, 60), false);
  assert.equal(escalated(alarm(1000), 61_000, 60), true);
  assert.equal(escalated(alarm(1000, 2000), 1e9, 60), false);
  const e = escalation([alarm(1000), alarm(30_000), alarm(0, 5)], 61_000, 60);
  assert.deepEqual(e, { count: 1, nextAt: 90_000 });
  assert.deepEqual(escalation([], 0, 60), { count: 0, nextAt: null });
  assert.equal(byWhom({ seat: 'B', user: 'Bo' }), 'B (Bo)');
  assert.equal(byWhom({ seat: 'B', user: '' }), 'B');
  assert.equal(byWhom({ seat: '', user: '' }), '');
});
