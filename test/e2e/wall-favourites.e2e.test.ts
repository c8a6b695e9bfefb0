import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { waitAllDecoding } from '../helpers/media';
import type { Stack } from '../helpers/stack';
import { expandAll, openWall, startWallStack } from '../helpers/wall';

// Favourite channels on the live wall: pinned in the tree, kept by main, toured through a pane. Against the Tencent IVC emulator with real video, in Chromium.

let stack: Stack;
before(async () => {
  stack = await startWallStack();
});
closePagesAfterEach(() => stack?.browser);
after(() => stack?.stop());

test('favourites: starred channels are pinned on top and kept by main; a pane tours through them until stopped', async () => {
  let page = await openWall(stack);
  await expandAll(page, '停车场NVR-通道');
  const ids = (await page
    .locator('[data-testid="node-channel"]')
    .evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-node-id')))) as string[];
  for (const id of ids) await page.locator(`[data-node-id="${id}"] [data-testid="favourite-toggle"]`).first().click();
  await page.getByTestId('favourites-root').filter({ hasText: '(2)' }).waitFor();
  assert.deepEqual(
    stack.core.settings.get().favourites.map((f) => f.channelId),
    ids,
    'kept in main’s settings, in the order starred',
  );
  // Another window (a fresh page) shows them on top without a search.
  await page.context().close();
  page = await openWall(stack);
  await page.getByTestId('favourites-root').filter({ hasText: '(2)' }).waitFor();
  const first = page
    .locator('[data-testid="device-tree"] :is([data-testid="favourites-root"], [data-testid="node-account"])')
    .first();
  assert.equal(await first.getAttribute('data-testid'), 'favourites-root', 'favourites come first');
  // A pane tour over the favourites: 5 s per channel, a badge says where it is, a choice of the operator ends it.
  await pickOption(page, page.getByTestId('wall-layout'), /^4$/);
  await page.getByTestId('wall-pane-2').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^(本窗格轮巡|Tour in this pane)/ }).hover();
  await page.getByRole('menuitem', { name: /收藏（2）|Favourites \(2\)/ }).hover();
  await page.getByRole('menuitem', { name: /^5 s$/ }).click();
  await page.getByTestId('tour-2').filter({ hasText: '1/2' }).waitFor();
  assert.equal(await page.getByTestId('wall-pane-2').getAttribute('data-channel'), ids[0]);
  await page.getByTestId('tour-2').filter({ hasText: '2/2' }).waitFor({ timeout: 8000 });
  assert.equal(await page.getByTestId('wall-pane-2').getAttribute('data-channel'), ids[1]);
  await waitAllDecoding(page, [2], 20_000);
  // A channel's own group is offered too.
  await page.getByTestId('wall-pane-2').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^(本窗格轮巡|Tour in this pane)/ }).hover();
  await page.getByRole('menuitem', { name: /下的通道|Channels of/ }).waitFor();
  await page.getByRole('menuitem', { name: /停止本窗格轮巡|Stop this pane’s tour/ }).click();
  await page.getByTestId('tour-2').waitFor({ state: 'detached' });
  await page.waitForTimeout(5500);
  assert.equal(await page.getByTestId('wall-pane-2').getAttribute('data-channel'), ids[1], 'stopped: the pane stays');
  // Un-starring from the favourites section.
  await page.locator(`[data-node-id="${ids[0]}"] [data-testid="favourite-toggle"]`).first().click();
  await page.getByTestId('favourites-root').filter({ hasText: '(1)' }).waitFor();
  assert.deepEqual(
    stack.core.settings.get().favourites.map((f) => f.channelId),
    [ids[1]],
  );
});
