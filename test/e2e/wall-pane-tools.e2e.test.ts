import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clickMenuItem, closePagesAfterEach } from '../helpers/browser';
import { waitAllDecoding } from '../helpers/media';
import type { Stack } from '../helpers/stack';
import { expandAll, openWall, startWallStack } from '../helpers/wall';

// A live pane's tools: snapshot, digital zoom, instant replay, the shortcuts sheet. Against the Tencent IVC emulator with real video, in Chromium.

let stack: Stack;
before(async () => {
  stack = await startWallStack();
});
closePagesAfterEach(() => stack?.browser);
after(() => stack?.stop());

test('pane tools: a snapshot is a PNG named after the channel, the wheel zooms digitally, instant replay opens playback 30 s ago, ? shows the shortcuts', async () => {
  const page = await openWall(stack);
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  // A snapshot is a PNG named after the channel.
  await waitAllDecoding(page, [0], 20_000, 5);
  const download = page.waitForEvent('download');
  await page.getByTestId('wall-pane-0').click({ button: 'right' });
  await clickMenuItem(page, /^(Snapshot|抓图)/);
  // A pane without a picture at that instant says so instead of downloading: fail with its words
  // (that warning only: an earlier one may still be showing).
  const refusal = page.locator('.ant-message-warning', {
    hasText: /No picture to capture|could not be encoded|无法抓图|未能抓图/,
  });
  const refused = refusal.waitFor({ timeout: 30_000 }).then(
    () => null,
    () => new Promise<never>(() => undefined),
  ); // no warning: the download decides
  const saved = await Promise.race([download, refused]);
  download.catch(() => undefined); // refused: the download's own timeout is not a second failure
  if (!saved) assert.fail(`no snapshot: ${await refusal.first().textContent()}`);
  assert.match(saved.suggestedFilename(), /^大门球机_\d{8}_\d{6}\.png$/);
  // Digital zoom: the wheel zooms the picture about the pointer; the video element is scaled.
  await page.keyboard.press('Escape');
  const box = (await page.getByTestId('wall-pane-0').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -200);
  await page.mouse.wheel(0, -200);
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="wall-pane-0"]')?.getAttribute('data-zoom')) > 1.5,
  );
  const transform = await page.evaluate(
    () => getComputedStyle(document.querySelector('[data-testid="wall-pane-0"] video')!).transform,
  );
  assert.match(transform, /^matrix\(1\.5/, transform);
  await page.getByTestId('zoom-0').waitFor();
  // Instant replay: the playback page opens on the same channel, 30 s ago.
  const before30 = Date.now() - 30_000;
  await page.getByTestId('wall-pane-0').click({ button: 'right' });
  await clickMenuItem(page, /Instant replay|即时回放/);
  await page.getByTestId('playback-page').waitFor();
  const cursor = await page.evaluate(() =>
    Number(document.querySelector('[data-testid="playback-cursor"]')?.getAttribute('data-ms') ?? 'NaN'),
  );
  assert.ok(
    Math.abs(cursor - before30) < 10_000,
    `cursor ${new Date(cursor).toISOString()} vs ${new Date(before30).toISOString()}`,
  );
  await page.getByRole('menuitem', { name: /Live wall|实况墙/ }).click();
  // The shortcuts sheet.
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts').waitFor();
  await page.context().close();
});
