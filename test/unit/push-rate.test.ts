import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenBuckets } from '../../main/net/push-receiver';

// The alarm receiver's per-source budgets (refused and accepted pushes), with a small table and a
// clock of our own.
const rate = { burst: 3, perSecond: 1 };

test('more sources than the table holds do not refill a drained budget', () => {
  let now = 0;
  const budget = tokenBuckets(rate, 100, () => now);
  for (let i = 0; i < 3; i++) assert.equal(budget.take('attacker'), true);
  assert.equal(budget.take('attacker'), false, 'drained');
  // The same attacker from many more addresses at once: its first address stays drained.
  for (let i = 0; i < 500; i++) budget.take(`10.0.${i >> 8}.${i & 255}`);
  assert.equal(budget.take('attacker'), false, 'still drained');
  assert.ok(budget.size <= 100, `bounded: ${budget.size}`);
  // It refills at its rate, no faster.
  now = 1_000;
  assert.equal(budget.take('attacker'), true);
  assert.equal(budget.take('attacker'), false);
});

test('a source full again is forgotten first, oldest first; one still drawing is kept', () => {
  let now = 0;
  const budget = tokenBuckets(rate, 3, () => now);
  budget.take('a');
  budget.take('b');
  budget.take('platform');
  // The table is full and nobody is full again yet: a new source waits, and is not remembered.
  assert.equal(budget.take('new'), false);
  assert.equal(budget.size, 3);
  // 'platform' drains its budget just before 'a' and 'b' are full again (3 s after their one push).
  now = 2_000;
  for (let i = 0; i < 3; i++) budget.take('platform');
  now = 3_000;
  assert.equal(budget.take('new'), true, "room made by forgetting 'a'");
  assert.equal(budget.take('newer'), true, "and 'b'");
  assert.equal(budget.size, 3);
  assert.equal(budget.take('platform'), true, 'one token back after 1 s, not a full budget');
  assert.equal(budget.take('platform'), false);
});
