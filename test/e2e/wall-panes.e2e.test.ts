import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { settledPaneStates, waitAllDecoding } from '../helpers/media';
import type { Stack } from '../helpers/stack';
import { expandAll, openWall, startWallStack } from '../helpers/wall';

// The live wall's panes: channels go into panes by double-click and drag, an account fills a 16-pane wall, a maximized pane plays the main stream, and a smaller layout hides panes without losing them. Against the Tencent IVC emulator with real video, in Chromium.

let stack: Stack;
before(async () => {
  stack = await startWallStack();
});
closePagesAfterEach(() => stack?.browser);
after(() => stack?.stop());

test('double-click and drag channels into a 4-pane wall: frames decode in each pane', async () => {
  const page = await openWall(stack);
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await expandAll(page, '停车场NVR-通道');
  const channels = page.locator('[data-testid="node-channel"]');
  for (let i = 0; i < 3; i++) await channels.nth(i).dragTo(page.getByTestId(`wall-pane-${i + 1}`));
  await waitAllDecoding(page, [0, 1, 2, 3], 25_000);
  const streams = await page.evaluate(() =>
    [0, 1, 2, 3].map((i) => document.querySelector(`[data-testid="wall-pane-${i}"]`)!.getAttribute('data-stream')),
  );
  assert.deepEqual(streams, ['sub', 'sub', 'sub', 'sub'], 'small panes play the sub stream');
  await page.context().close();
});

test('maximize switches the pane to the main stream (720p) and Esc brings the sub stream back', async () => {
  const page = await openWall(stack);
  await pickOption(page, page.getByTestId('wall-layout'), /^4$/);
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await waitAllDecoding(page, [0], 20_000);
  await page.getByTestId('wall-pane-0').dblclick();
  await page.waitForFunction(
    () => document.querySelector<HTMLVideoElement>('[data-testid="pane-0"] video')?.videoWidth === 1280,
    undefined,
    { timeout: 20_000 },
  );
  assert.equal(await page.getByTestId('wall-pane-0').getAttribute('data-stream'), 'main');
  await page.keyboard.press('Escape');
  await page.waitForFunction(
    () => document.querySelector<HTMLVideoElement>('[data-testid="pane-0"] video')?.videoWidth === 640,
    undefined,
    { timeout: 20_000 },
  );
  await page.context().close();
});

test('a 16-pane wall of one platform plays all 16: a double-clicked account fills the panes with its online channels', async () => {
  const page = await openWall(stack);
  await pickOption(page, page.getByTestId('wall-layout'), /^16$/);
  await page.getByTestId('wall-pane-15').waitFor();
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-account"]').first().dblclick();
  const all = Array.from({ length: 16 }, (_, i) => i);
  await waitAllDecoding(page, all, 45_000);
  assert.deepEqual(
    await settledPaneStates(page, 16),
    all.map(() => 'playing'),
  );
  // Offline cameras were left out (Scale-1 and Scale-6 are offline; 仓库 too).
  const names = await page.evaluate(() =>
    Array.from({ length: 16 }, (_, i) => document.querySelector(`[data-testid="wall-pane-${i}"]`)?.textContent ?? ''),
  );
  assert.ok(!names.some((n) => /仓库|Scale-1\b|Scale-6\b/.test(n)), names.join(' | '));
});

test('a smaller layout hides panes without losing them: they come back when it grows, and Undo restores at once; empty panes show a frame and a hint', async () => {
  const page = await openWall(stack);
  await expandAll(page, '停车场NVR-通道');
  await page.locator('[data-testid="node-device"]').first().dblclick(); // fills the 4 panes
  const channels = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-testid^="wall-pane-"]'), (e) => e.getAttribute('data-channel') ?? ''),
    );
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('[data-testid^="wall-pane-"]')).every((e) => e.getAttribute('data-channel')),
  );
  const four = await channels();
  assert.equal(four.length, 4);
  await page.keyboard.press('1');
  assert.deepEqual(await channels(), four.slice(0, 1));
  await page.getByTestId('layout-hidden').waitFor();
  assert.match(await page.getByTestId('layout-hidden').innerText(), /3/);
  // The message sits over the toolbar: its text lets a click through to what is under it (only its
  // Undo button takes clicks), so the next click on the toolbar is not lost.
  // Hit-tested once in place: it slides in from above the window (a check during that read -27 px).
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="layout-hidden"]');
      return !!el && el.getBoundingClientRect().top >= 0 && !el.closest('[class*="-enter"], [class*="-appear"]');
    },
    undefined,
    { timeout: 5000, polling: 50 },
  );
  const through = await page.getByTestId('layout-hidden').evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
    const what = hit
      ? `${hit.tagName.toLowerCase()}.${String(hit.className)} "${(hit.textContent ?? '').slice(0, 40)}" (pointer-events ${getComputedStyle(hit).pointerEvents})`
      : 'nothing';
    return {
      ok: !!hit && !hit.closest('.ant-message'),
      what,
      at: `${Math.round(r.left + 4)},${Math.round(r.top + r.height / 2)}`,
    };
  });
  assert.equal(
    through.ok,
    true,
    `a click on the message's text reaches what is under it, not ${through.what} at ${through.at}`,
  );
  await page.keyboard.press('2'); // grows back: the three come back to their panes
  assert.deepEqual(await channels(), four);
  await page.keyboard.press('1');
  await page.getByTestId('layout-undo').last().click();
  assert.deepEqual(await channels(), four, 'Undo brings the 4 layout back with its channels');
  // 16 panes: the 12 empty ones are visible drop targets with a hint.
  await page.keyboard.press('8');
  const hint = page.getByTestId('pane-hint-9');
  await hint.waitFor();
  assert.match(await hint.innerText(), /Drag a camera|拖到此处/);
  assert.equal(await page.getByTestId('wall-pane-9').evaluate((e) => getComputedStyle(e).outlineStyle), 'dashed');
  assert.equal(await page.getByTestId('pane-hint-0').count(), 0, 'a pane with a camera has no hint');
});
