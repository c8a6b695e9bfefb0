import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relayout } from '../../renderer/stores/wall/store';

// A smaller wall layout parks the panes past it; a larger one brings them back to their panes.

const cam = (id: string) => ({ accountId: 'a', channelId: id, name: id });

test('shrinking parks the panes past the new count and says how many; growing restores them', () => {
  const four = [cam('1'), null, cam('3'), cam('4')];
  const one = relayout(four, {}, 1);
  assert.deepEqual(one.panes, [cam('1')]);
  assert.equal(one.hidden, 2, 'two cameras hidden (the empty pane does not count)');
  assert.deepEqual(one.parked, { 2: cam('3'), 3: cam('4') });
  const back = relayout(one.panes, one.parked, 4);
  assert.deepEqual(back.panes, four);
  assert.equal(back.hidden, 0);
  assert.deepEqual(back.parked, {});
  // Part way: 2 panes still park the 4th.
  const two = relayout([cam('1'), cam('2')], { 3: cam('4') }, 3);
  assert.deepEqual(two.panes, [cam('1'), cam('2'), null]);
  assert.deepEqual(two.parked, { 3: cam('4') });
  assert.equal(two.hidden, 0, 'already parked: not hidden again');
});
