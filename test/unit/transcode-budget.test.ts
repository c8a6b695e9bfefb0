import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metadataTag } from '../../main/media/flv-hevc';
import { boxWithin, costCores, defaultBudgetCores, floorBox } from '../../main/media/transcode/budget';
import { flvMetaSize } from '../../main/media/transcode/flv-output';
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

test("the output's size is read from ffmpeg's onMetaData, whole or not yet", () => {
  const header = Buffer.from([0x46, 0x4c, 0x56, 1, 1, 0, 0, 0, 9, 0, 0, 0, 0]);
  const meta = Buffer.from(metadataTag({ width: 640, height: 360, fps: 25, form: 'legacy' }));
  const head = Buffer.concat([header, Buffer.from([18, 0, 0, meta.length, 0, 0, 0, 0, 0, 0, 0]), meta]);
  assert.deepEqual(flvMetaSize(head), { width: 640, height: 360 });
  // Cut inside the height's number: not yet.
  const cut = head.indexOf(Buffer.from('height')) + 'height'.length + 4;
  assert.equal(flvMetaSize(head.subarray(0, cut)), null);
  assert.equal(flvMetaSize(Buffer.alloc(100)), null);
});

test('a box larger than the room is made smaller down to a sub stream’s size, its shape kept', () => {
  assert.deepEqual(boxWithin({ width: 1920, height: 1080 }, 2), { width: 1920, height: 1080 });
  const fit = boxWithin({ width: 1920, height: 1080 }, 1)!;
  assert.deepEqual(fit, { width: 1652, height: 928 });
  assert.ok(costCores(fit.width, fit.height) <= 1);
  assert.deepEqual(boxWithin({ width: 960, height: 540 }, 0.2), { width: 736, height: 414 });
  assert.equal(boxWithin({ width: 960, height: 540 }, 0.1), null, 'below 640×360: refused');
  assert.deepEqual(boxWithin({ width: 320, height: 180 }, 0.04), { width: 320, height: 180 });
  assert.equal(boxWithin({ width: 320, height: 180 }, 0.03), null, 'a small pane is not made smaller still');
  assert.equal(boxWithin({ width: 640, height: 360 }, -0.1), null);
});

test('a refusal names what the smallest box needs: with that much room the pane fits (review-6 R5)', () => {
  for (const wanted of [
    { width: 540, height: 960 }, // a 2×2 wall on a portrait 1080p monitor
    { width: 300, height: 1000 },
    { width: 1920, height: 400 },
    { width: 1920, height: 1080 },
  ]) {
    const floor = floorBox(wanted);
    const need = costCores(floor.width, floor.height);
    assert.ok(boxWithin(wanted, need), `${wanted.width}×${wanted.height} fits in the ${need} it was told it needs`);
    assert.equal(boxWithin(wanted, need - 0.01), null);
  }
});
