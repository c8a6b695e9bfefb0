import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultBudgetCores } from '../../main/media/transcoder';
import { makeCore, MemoryVault } from '../helpers/core';

// Issue 24: the transcode budget is the operator's preference (Settings), half the machine's cores
// when unset; the contract refuses values outside 0.1–256 cores.
test('the transcode budget follows the preference; null brings back the default; nonsense is refused', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  try {
    assert.equal(core.transcoder.list().budgetCores, defaultBudgetCores());
    const set = await core.call('settings:set', { transcodeCores: 0.5 });
    assert.ok(set.ok, JSON.stringify(set));
    assert.equal(core.transcoder.list().budgetCores, 0.5);
    assert.equal((await core.call('settings:get', {})).ok, true);
    assert.ok((await core.call('settings:set', { transcodeCores: null })).ok);
    assert.equal(core.transcoder.list().budgetCores, defaultBudgetCores());
    const bad = await core.call('settings:set', { transcodeCores: -1 });
    assert.equal(bad.ok, false);
    assert.equal(core.transcoder.list().budgetCores, defaultBudgetCores());
  } finally {
    await core.dispose();
  }
});
