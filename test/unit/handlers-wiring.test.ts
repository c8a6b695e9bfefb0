import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channels } from '../../preload/contract';
import { handlerOwners, mergeHandlers } from '../../main/ipc/handlers';
import { makeCore, MemoryVault } from '../helpers/core';

test('every contract channel has exactly one handler among the services the core merges', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  try {
    const owners = handlerOwners(core.handlerSlices);
    for (const channel of Object.keys(channels)) assert.equal(owners.get(channel)?.length, 1, channel);
    assert.deepEqual([...owners.keys()].sort(), Object.keys(channels).sort());
    assert.deepEqual(Object.keys(core.handlers).sort(), Object.keys(channels).sort());
  } finally {
    await core.dispose();
  }
});

test('merging refuses a channel answered twice, one nobody answers and one the contract lacks', () => {
  const all = Object.fromEntries(Object.keys(channels).map((c) => [c, () => null]));
  assert.doesNotThrow(() => mergeHandlers({ all }));
  assert.throws(
    () => mergeHandlers({ all, views: { 'views:list': () => ({ views: [], startupId: null }) } as never }),
    /views:list is handled by all and views/,
  );
  const { ['views:list']: _dropped, ...rest } = all;
  assert.throws(() => mergeHandlers({ rest }), /views:list has no handler/);
  assert.throws(
    () => mergeHandlers({ all, extra: { 'views:nope': () => null } as never }),
    /views:nope is not a contract/,
  );
});
