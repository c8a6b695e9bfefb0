import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import type { Stack } from '../helpers/stack';
import { waitAllDecoding } from '../helpers/media';
import { expandAll, startWallStack } from '../helpers/wall';

// Issue 57 §1: a gamepad steers the selected pane's camera. `navigator.getGamepads` is stubbed
// with a standard-mapping pad the test moves; the Tencent IVC emulator logs what reaches it.

let stack: Stack;
before(async () => {
  stack = await startWallStack();
});
closePagesAfterEach(() => stack?.browser);
after(() => stack?.stop());

/** Moves the stubbed pad: `change` is a statement on `p` (its axes and buttons), run in the page. */
const setPad = (page: Page, change: string) => page.evaluate(`((p) => { ${change}; })(window.__pad)`);
const log = () => stack.ivc!.controlLog;
async function waitForLog(page: Page, from: number, ok: (entries: ReturnType<typeof log>) => boolean) {
  for (let i = 0; i < 40 && !ok(log().slice(from)); i++) await page.waitForTimeout(100);
  assert.ok(
    ok(log().slice(from)),
    JSON.stringify(
      log()
        .slice(from)
        .map((c) => c.body),
    ),
  );
}

const PAD_ID = 'Test pad (STANDARD GAMEPAD Vendor: 045e Product: 028e)';

/** A standard-mapping pad the test moves (`window.__pad`), as `navigator.getGamepads` reports it. */
async function stubPad(page: Page) {
  // A string, not a function: the test runner's transform would wrap a function's inner functions in a helper the page lacks.
  await page.addInitScript(`
    const pad = {
      id: ${JSON.stringify(PAD_ID)},
      index: 0,
      mapping: 'standard',
      connected: true,
      timestamp: 0,
      axes: [0, 0, 0, 0],
      buttons: Array.from({ length: 17 }, () => ({ pressed: false, value: 0, touched: false })),
    };
    window.__pad = pad;
    Object.defineProperty(Navigator.prototype, 'getGamepads', { configurable: true, value: () => [pad] });
  `);
}
const press = (page: Page, button: number, down: boolean) =>
  setPad(page, `p.buttons[${button}] = { pressed: ${down}, value: ${down ? 1 : 0}, touched: ${down} }`);

test('a gamepad pans at the stick’s speed without a command storm, zooms with a trigger and goes to a preset', async () => {
  const page = await (await stack.browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await stubPad(page);
  await page.goto(stack.host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.locator('[data-testid="node-account"]').first().waitFor();
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.getByTestId('wall-pane-0').click();
  await page.getByTestId('ptz-joystick').waitFor();

  // Full right on the left stick: "right" at speed 8; held for a second, the move is only repeated (no storm).
  const start = log().length;
  await setPad(page, 'p.axes[0] = 1');
  await waitForLog(page, start, (e) => e.some((c) => c.body.Type === 'right' && c.body.Speed === 8));
  const first = log().length;
  await page.waitForTimeout(1000);
  const held = log().length - first;
  assert.ok(held <= 4, `${held} commands while the stick was held still for a second`);
  // A light push: slower.
  await setPad(page, 'p.axes[0] = 0.4');
  await waitForLog(page, first, (e) => e.some((c) => c.body.Type === 'right' && Number(c.body.Speed) < 4));
  // Let go: nothing more is sent while the stick rests.
  await setPad(page, 'p.axes[0] = 0');
  await page.waitForTimeout(300);
  const rested = log().length;
  await page.waitForTimeout(800);
  assert.equal(log().length, rested, 'a stick at rest sends nothing');

  // The right trigger zooms in.
  const zoomFrom = log().length;
  await setPad(page, 'p.buttons[7] = { pressed: true, value: 1, touched: true }');
  await waitForLog(page, zoomFrom, (e) => e.some((c) => c.body.Type === 'zoomin' && c.body.Speed === 8));
  await setPad(page, 'p.buttons[7] = { pressed: false, value: 0, touched: false }');

  // A preset stored from the pad, then its button on the gamepad goes to it.
  const setFrom = log().length;
  await page.getByTestId('preset-add').click();
  await page.getByTestId('preset-name').fill('Gate');
  await page.getByTestId('preset-name').press('Enter');
  await waitForLog(page, setFrom, (e) => e.some((c) => c.body.Cmd === 'set'));
  const index = Number(
    log()
      .slice(setFrom)
      .find((c) => c.body.Cmd === 'set')!.body.Index,
  );
  // Standard mapping: A, B, X, Y are presets 1–4, the d-pad 5–8, the home button 9.
  const button = [0, 1, 2, 3, 12, 13, 14, 15, 16][index - 1]!;
  const gotoFrom = log().length;
  await setPad(page, `p.buttons[${button}] = { pressed: true, value: 1, touched: true }`);
  await waitForLog(page, gotoFrom, (e) => e.some((c) => c.body.Cmd === 'goto' && Number(c.body.Index) === index));
  await page.waitForTimeout(300);
  assert.equal(
    log()
      .slice(gotoFrom)
      .filter((c) => c.body.Cmd === 'goto').length,
    1,
    'a held button goes to the preset once',
  );
  await page.context().close();
});

test('the Settings page shows the pad live; a button assigned there pins the selected pane, snapshot saves its frame; reset goes back to the ready-made mapping', async () => {
  const page = await (
    await stack.browser.newContext({ viewport: { width: 1600, height: 900 }, acceptDownloads: true })
  ).newPage();
  await stubPad(page);
  await page.goto(stack.host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.locator('[data-testid="node-account"]').first().waitFor();
  await page.getByRole('menuitem', { name: /Settings|设置/ }).click();
  const editor = page.getByTestId('gamepad-editor');
  await editor.waitFor();
  assert.equal(await editor.getAttribute('data-device'), PAD_ID);
  await page.getByTestId('gamepad-ready-made').waitFor();

  // Live: the stick's bar and the button's light follow the device.
  await setPad(page, 'p.axes[0] = 0.5');
  await page.waitForSelector('[data-testid="gamepad-axis-0"][data-value="0.5"]');
  await press(page, 4, true);
  await page.waitForSelector('[data-testid="gamepad-light-4"][data-pressed]');
  await press(page, 4, false);
  await setPad(page, 'p.axes[0] = 0');

  // Button 4 (left shoulder: previous pane, ready-made) pins the pane instead; kept by main for this device.
  await pickOption(page, page.getByTestId('gamepad-button-action-4'), /Pin to full rate|锁定全帧率/);
  await page.getByTestId('gamepad-save').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="gamepad-ready-made"]'));
  await page.waitForSelector('[data-testid="gamepad-save"]:disabled');
  const kept = () => stack.core.settings.get().gamepads.find((g) => g.deviceId === PAD_ID);
  for (let i = 0; i < 20 && !kept(); i++) await page.waitForTimeout(100);
  assert.equal(kept()?.mapping.buttons['4'], 'pinFullRate');
  assert.equal(kept()?.mapping.buttons['0'], 'preset1', 'the rest of the ready-made mapping is kept');

  // On the wall: the button pins the selected pane as its menu does, and a second press unpins it.
  await page.getByRole('menuitem', { name: /Live wall|实况墙/ }).click();
  await page.getByTestId('wall-page').waitFor();
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-1').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.getByTestId('wall-pane-1').click();
  await waitAllDecoding(page, [1], 20_000, 5);
  const pane = page.getByTestId('wall-pane-1');
  assert.equal(await pane.getAttribute('data-pinned'), null);
  await press(page, 4, true);
  await page.waitForSelector('[data-testid="wall-pane-1"][data-pinned]');
  await press(page, 4, false);
  await page.waitForTimeout(150);
  await press(page, 4, true);
  await page.waitForSelector('[data-testid="wall-pane-1"]:not([data-pinned])');
  await press(page, 4, false);

  // Button 9 (start, ready-made: snapshot) saves the selected pane's frame as its menu does.
  const download = page.waitForEvent('download', { timeout: 15_000 });
  await press(page, 9, true);
  const file = await download;
  await press(page, 9, false);
  assert.match(file.suggestedFilename(), /_\d{8}_\d{6}.*\.png$/);
  const png = fs.readFileSync((await file.path())!);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');

  // Reset: main forgets the mapping and the device is back on its ready-made one.
  await page.getByRole('menuitem', { name: /Settings|设置/ }).click();
  await page.getByTestId('gamepad-reset').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await page.getByTestId('gamepad-ready-made').waitFor();
  for (let i = 0; i < 20 && kept(); i++) await page.waitForTimeout(100);
  assert.equal(kept(), undefined);
  await page.context().close();
});
