import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDateTime, formatTime } from '../../renderer/model/time-format';

test('dates and times read 24-hour, year first, whatever the locale', () => {
  const at = new Date(2026, 10, 24, 22, 8, 3).getTime();
  assert.equal(formatDateTime(at), '2026-11-24 22:08:03');
  assert.equal(formatTime(at), '22:08:03');
  assert.equal(formatTime(at, false), '22:08');
  assert.equal(formatDateTime(new Date(at).toISOString()), '2026-11-24 22:08:03');
});
