import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closePagesAfterEach } from '../helpers/browser';
import { paneFrames, waitAllDecoding } from '../helpers/media';
import type { Stack } from '../helpers/stack';
import { expandAll, openWall, restartHost, startWallStack } from '../helpers/wall';

// Wall layouts and views: digits switch layouts, a saved start-up view survives a restart, a second wall window. Against the Tencent IVC emulator with real video, in Chromium.

let stack: Stack;
before(async () => {
  stack = await startWallStack();
});
closePagesAfterEach(() => stack?.browser);
after(() => stack?.stop());

test('keyboard digits switch layouts; a saved start-up view survives a host restart and plays', async () => {
  const page = await openWall(stack);
  await page.keyboard.press('5');
  assert.equal(await page.locator('[data-testid^="wall-pane-"]').count(), 9);
  await page.keyboard.press('3');
  assert.equal(await page.locator('[data-testid^="wall-pane-"]').count(), 6);
  await page.keyboard.press('2');
  await expandAll(page, '停车场NVR-通道');
  await page.locator('[data-testid="node-device"]').first().dblclick(); // a whole device fills free panes
  await waitAllDecoding(page, [0, 1, 2, 3], 25_000);
  await page.getByTestId('wall-save-view').click();
  await page.getByTestId('view-name').fill('停车场');
  await page.getByTestId('view-save-ok').click();
  await page.getByTestId('view-name').waitFor({ state: 'hidden' }); // saved: the dialog is gone
  await page.getByTestId('wall-views').hover();
  await page.getByTestId('view-停车场').hover();
  await page.getByText(/Open at start-up|启动时打开/).click();
  await page.context().close();

  // restart the host on the same settings folder
  await restartHost(stack);
  const again = await openWall(stack);
  await waitAllDecoding(again, [0, 1, 2, 3], 30_000);
  assert.equal(await again.locator('[data-testid^="wall-pane-"]').count(), 4);
  assert.ok((await paneFrames(again, 4)).every((f) => f > 0));
  await again.context().close();
});

test('another wall window: the browser host opens a second tab of the same app, with its own wall', async () => {
  const page = await openWall(stack);
  const popup = page.context().waitForEvent('page');
  await page.getByTestId('wall-new-window').click();
  const second = await popup;
  await second.getByTestId('wall-page').waitFor();
  await second.locator('[data-testid="node-account"]').first().waitFor();
  assert.notEqual(second, page);
  await page.context().close();
});
