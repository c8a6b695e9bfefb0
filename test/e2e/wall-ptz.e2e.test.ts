import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closePagesAfterEach } from '../helpers/browser';
import type { Stack } from '../helpers/stack';
import { expandAll, openWall, startWallStack } from '../helpers/wall';

// PTZ from the live wall: keys, the pad, the joystick and presets reach the platform; a small pane’s pad docks beside the wall. Against the Tencent IVC emulator with real video, in Chromium.

let stack: Stack;
before(async () => {
  stack = await startWallStack();
});
closePagesAfterEach(() => stack?.browser);
after(() => stack?.stop());

test('PTZ: arrow keys, the pad, lens buttons at the slider speed, the joystick and presets reach the platform', async () => {
  const page = await openWall(stack);
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.getByTestId('wall-pane-0').click();
  const before = stack.ivc!.controlLog.length;
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('+');
  for (let i = 0; i < 20 && stack.ivc!.controlLog.length < before + 2; i++) await page.waitForTimeout(100);
  const sent = stack.ivc!.controlLog.slice(before).map((c) => c.body.Type);
  assert.deepEqual(sent, ['left', 'zoomin']);
  // The pad on the selected PTZ pane: press and release.
  const beforePad = stack.ivc!.controlLog.length;
  await page.getByTestId('ptz-up').dispatchEvent('mousedown');
  await page.waitForTimeout(150);
  await page.getByTestId('ptz-up').dispatchEvent('mouseup');
  for (let i = 0; i < 20 && stack.ivc!.controlLog.length <= beforePad; i++) await page.waitForTimeout(100);
  assert.equal(stack.ivc!.controlLog[beforePad]?.body.Type, 'up');
  // Focus and iris buttons, at the speed the pad's slider sets (the keyboard uses it too).
  await page.getByTestId('ptz-speed').fill('7');
  const beforeLens = stack.ivc!.controlLog.length;
  for (const id of ['ptz-focusfar', 'ptz-irisopen']) {
    await page.getByTestId(id).dispatchEvent('mousedown');
    await page.getByTestId(id).dispatchEvent('mouseup');
  }
  await page.getByTestId('wall-pane-0').click({ position: { x: 20, y: 20 } }); // the slider lets go of the keyboard
  await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 20 && stack.ivc!.controlLog.length < beforeLens + 3; i++) await page.waitForTimeout(100);
  assert.deepEqual(
    stack.ivc!.controlLog.slice(beforeLens, beforeLens + 3).map((c) => [c.body.Type, c.body.Speed]),
    [
      ['focusfar', 7],
      ['irisin', 7],
      ['down', 7],
    ],
  );
  // The joystick: pulled right at the rim is "right" at full speed; pulled back to near the centre, slower.
  const stick = (await page.getByTestId('ptz-joystick').boundingBox())!;
  const cx = stick.x + stick.width / 2;
  const cy = stick.y + stick.height / 2;
  const beforeStick = stack.ivc!.controlLog.length;
  const onPane = await page.getByTestId('wall-pane-0').getAttribute('data-channel');
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + stick.width, cy, { steps: 4 });
  await page.waitForTimeout(100);
  await page.mouse.move(cx, cy - stick.height / 4, { steps: 2 });
  await page.waitForTimeout(100);
  await page.mouse.up();
  const steered = stack
    .ivc!.controlLog.slice(beforeStick)
    .map((c) => [c.body.Type, c.body.Speed] as [unknown, unknown]);
  assert.ok(
    steered.some(([type, speed]) => type === 'right' && speed === 8),
    JSON.stringify(steered),
  );
  const upward = steered.find(([type]) => type === 'up');
  assert.ok(upward && Number(upward[1]) < 8, JSON.stringify(steered));
  assert.equal(
    await page.getByTestId('wall-pane-0').getAttribute('data-channel'),
    onPane,
    'steering does not drag the pane away',
  );
  // Presets on the pad: store the current position, then go back to it from the list.
  const beforeSet = stack.ivc!.controlLog.length;
  await page.getByTestId('preset-add').click();
  await page.getByTestId('preset-name').fill('Gate');
  await page.getByTestId('preset-name').press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-add"]') !== null);
  // The store has reached the platform before the list is used (on a loaded machine it came after the go-to's mark once).
  const stored = () => stack.ivc!.controlLog.slice(beforeSet).some((c) => c.body.Cmd === 'set');
  for (let i = 0; i < 50 && !stored(); i++) await page.waitForTimeout(100);
  assert.ok(stored(), 'the preset was stored on the platform');
  const beforePreset = stack.ivc!.controlLog.length;
  await page.locator('[data-testid="preset-select"]').click();
  await page.locator('.ant-select-item-option').first().click();
  for (let i = 0; i < 20 && stack.ivc!.controlLog.length <= beforePreset; i++) await page.waitForTimeout(100);
  assert.deepEqual(
    stack.ivc!.controlLog.slice(beforePreset).map((c) => c.body.Cmd),
    ['goto'],
    'the preset list sends go-to',
  );
  await page.context().close();
});

test('a 16-layout pane’s PTZ pad docks under the tree, whole and off the picture (onto it when maximized) without giving the control lock back; its buttons name their keys, and going to or saving a preset is confirmed', async () => {
  // What the page asks main about PTZ (browser mode: the contract's calls cross a websocket).
  const calls: string[] = [];
  const page = await openWall(stack, (p) =>
    p.on('websocket', (ws) =>
      ws.on('framesent', (f) => {
        const channel = (JSON.parse(String(f.payload)) as { channel?: unknown }).channel;
        if (typeof channel === 'string' && channel.startsWith('ptz:')) calls.push(channel);
      }),
    ),
  );
  await page.keyboard.press('8');
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.getByTestId('wall-pane-0').click();
  // A 16-layout pane is too narrow to hold the pad over its picture: the pad docks under the
  // device tree, whole (24-px buttons), covering nothing of the camera it steers.
  const pad = page.locator('[data-testid="ptz-dock"] [data-testid="ptz-pad"]');
  await pad.waitFor();
  const p = (await pad.boundingBox())!;
  const pane = (await page.getByTestId('wall-pane-0').boundingBox())!;
  const apart = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
  assert.ok(apart(p, pane), `the pad (${JSON.stringify(p)}) does not cover the pane (${JSON.stringify(pane)})`);
  assert.equal(Math.round((await page.getByTestId('ptz-up').boundingBox())!.width), 24, 'whole-size buttons');
  const tree = (await page.getByTestId('device-tree').boundingBox())!;
  assert.ok(tree.y + tree.height <= p.y + 1, 'the tree gives the dock its room');
  assert.match((await page.getByTestId('ptz-up').getAttribute('title')) ?? '', /↑/);
  assert.match((await page.getByTestId('ptz-zoomin').getAttribute('title')) ?? '', /\+/);
  await page.getByTestId('preset-add').click();
  await page.getByTestId('preset-name').fill('Pad16');
  await page.getByTestId('preset-name').press('Enter');
  await page.getByTestId('ptz-confirm').filter({ hasText: /Pad16/ }).waitFor();
  await page.locator('[data-testid="preset-select"]').click();
  await page.locator('.ant-select-item-option').first().click();
  await page
    .getByTestId('ptz-confirm')
    .filter({ hasText: /preset|预置位/i })
    .waitFor();
  // With the preset editor open beside the wall (the wall narrows), the pad stays docked.
  await page.getByTestId('ptz-editor-open').click();
  await page.getByTestId('ptz-editor').waitFor();
  await page.waitForTimeout(300); // the wall's panes settle at their new width
  const narrowPane = (await page.getByTestId('wall-pane-0').boundingBox())!;
  assert.ok(narrowPane.width < pane.width, 'the editor took room from the wall');
  assert.ok(apart((await pad.boundingBox())!, narrowPane), 'the docked pad still covers nothing of the pane');
  // Steering from the dock takes the camera's control lock.
  await page.getByTestId('ptz-editor-close').click();
  await page.getByTestId('ptz-up').dispatchEvent('mousedown');
  await page.getByTestId('ptz-up').dispatchEvent('mouseup');
  for (let i = 0; i < 20 && !calls.includes('ptz:command'); i++) await page.waitForTimeout(100);
  assert.ok(calls.includes('ptz:command'), calls.join(','));
  // Maximized, the pane is wide enough: the pad moves onto its picture (bottom right).
  await page.getByTestId('wall-pane-0').dblclick();
  const inPane = page.locator('[data-testid="wall-pane-0"] [data-testid="ptz-pad"]');
  await inPane.waitFor();
  assert.equal(await page.locator('[data-testid="ptz-dock"] [data-testid="ptz-pad"]').count(), 0);
  await page.keyboard.press('Escape');
  // A fullscreen wall hides the dock: the small pane holds its pad again, until fullscreen ends.
  await pad.waitFor();
  await page.keyboard.press('F11');
  await inPane.waitFor();
  await page.keyboard.press('F11');
  await pad.waitFor();
  // Moving between the dock and the pane kept the lock (the pad used to remount and give it back)…
  await page.waitForTimeout(300);
  assert.ok(!calls.includes('ptz:release'), calls.join(','));
  // …which selecting another pane still does.
  await page.getByTestId('wall-pane-1').click();
  for (let i = 0; i < 20 && !calls.includes('ptz:release'); i++) await page.waitForTimeout(100);
  assert.ok(calls.includes('ptz:release'), calls.join(','));
  await page.context().close();
});

test('arrow keys steer from the wall only: held, the move is said again; released, the camera is told to stop; in the tree they move the tree', async () => {
  const page = await (await stack.browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  const commands: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const frame = JSON.parse(String(f.payload)) as { channel?: string; payload?: { command?: string } };
      if (frame.channel === 'ptz:command') commands.push(frame.payload!.command!);
    }),
  );
  await page.goto(stack.host.url);
  await page.getByTestId('wall-page').waitFor();
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.getByTestId('wall-pane-0').click();
  // Held a second: one move, said again every 400 ms as the pad does; the release stops it (IVM's
  // continuous move went on turning, and the keyboard's auto-repeat sent a command per repeat).
  await page.keyboard.down('ArrowRight');
  await page.waitForTimeout(1000);
  await page.keyboard.up('ArrowRight');
  for (let i = 0; i < 20 && !commands.includes('stop'); i++) await page.waitForTimeout(100);
  const rights = commands.filter((c) => c === 'right').length;
  assert.ok(rights >= 2 && rights <= 4, `${rights} moves in a held second: ${commands.join(',')}`);
  assert.equal(commands.at(-1), 'stop');
  // "+" is Shift+=: Shift let go first makes the key's release "=", and the zoom must stop all the same.
  const beforeZoom = commands.length;
  await page.keyboard.down('Shift');
  await page.keyboard.down('Equal');
  await page.keyboard.up('Shift');
  await page.keyboard.up('Equal');
  for (let i = 0; i < 20 && commands.at(-1) !== 'stop'; i++) await page.waitForTimeout(100);
  await page.waitForTimeout(600);
  assert.deepEqual(commands.slice(beforeZoom), ['zoomin', 'stop']);
  // In the device tree, arrows move the tree's selection and nothing reaches the camera.
  const sent = commands.length;
  await page.locator('[data-testid="node-channel"]').first().click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.waitForTimeout(600);
  assert.deepEqual(commands.slice(sent), []);
  await page.context().close();
});

test('in the light theme the docked pad and the wall’s split line follow the theme (they stayed dark under a white tree)', async () => {
  const page = await openWall(stack);
  const theme = async (name: RegExp) => {
    await page.getByRole('menuitem', { name: /Settings|设置/ }).click();
    await page.getByTestId('settings-page').waitFor();
    await page.getByText(name).click();
    await page.getByRole('menuitem', { name: /Live wall|实况|电视墙/ }).click();
    await page.getByTestId('wall-page').waitFor();
  };
  try {
    await theme(/^(Light|浅色)$/);
    await page.keyboard.press('8');
    await expandAll(page, '大门');
    await page.getByTestId('wall-pane-0').click();
    await page.locator('[data-testid="node-channel"]').first().dblclick();
    await page.getByTestId('wall-pane-0').click();
    const pad = page.locator('[data-testid="ptz-dock"] [data-testid="ptz-pad"]');
    await pad.waitFor();
    // Luminance 0 (black) … 255 (white) of a computed colour.
    const light = (css: string) => {
      const [r, g, b] = (css.match(/[\d.]+/g) ?? []).map(Number);
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const padBg = await pad.evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.ok(light(padBg) > 200, `the docked pad is light: ${padBg}`);
    const label = await page.getByTestId('ptz-speed-value').evaluate((el) => getComputedStyle(el).color);
    assert.ok(light(label) < 100, `its text is dark: ${label}`);
    const split = await page
      .getByTestId('ptz-dock')
      .evaluate((el) => getComputedStyle(el.parentElement!).borderRightColor);
    assert.ok(light(split) > 200, `the tree column's split line is a light rule: ${split}`);
  } finally {
    await theme(/^(Dark|深色)$/); // the theme is kept by main for the other tests
  }
  await page.context().close();
});

test('a half-typed preset name keeps its text and focus when the pad moves from the pane to the dock (the window narrowed)', async () => {
  const page = await openWall(stack);
  await page.keyboard.press('2'); // 2×2: at 1600 px a pane holds the pad
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="wall-pane-0"] [data-testid="ptz-pad"]').waitFor();
  await page.getByTestId('preset-add').click();
  await page.getByTestId('preset-name').pressSequentially('Half');
  // Narrower, the panes fall under 560 px: the pad docks under the tree, mid-word.
  await page.setViewportSize({ width: 1300, height: 900 });
  const field = page.locator('[data-testid="ptz-dock"] [data-testid="preset-name"]');
  await field.waitFor();
  assert.equal(await field.inputValue(), 'Half');
  assert.ok(await field.evaluate((el) => el === document.activeElement), 'the field keeps the focus');
  await page.keyboard.type(' gate');
  assert.equal(await field.inputValue(), 'Half gate');
  await page.context().close();
});
