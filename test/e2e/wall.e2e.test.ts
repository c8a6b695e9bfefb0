import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import { confBackend } from '../../main/settings/conf-backend';
import { KeyringVault } from '../../main/vault/vault';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { closePagesAfterEach, launchChromium, pickOption } from '../helpers/browser';
import { tempDir } from '../helpers/core';
import { paneFrames, settledPaneStates, waitAllDecoding } from '../helpers/media';

// The live wall against the Tencent IVC emulator with real video, in Chromium.

let sim: MediaSimulator;
let ivc: IvcEmulator;
let browser: Browser;
let host: WebHost;
let core: Core;
const dataDir = tempDir();

function startCore(): Core {
  return new Core({ host: 'web', dataDir, settingsBackend: confBackend, vault: new KeyringVault() });
}

before(async () => {
  sim = await MediaSimulator.start({
    channels: Array.from({ length: 6 }, (_, i) => ({ id: `w${i + 1}`, name: `Wall ${i + 1}` })),
    sharedSubEncoder: true,
  });
  // Ten extra cameras (two of them offline): the platform has more online channels than a 16-pane wall.
  ivc = await new IvcEmulator({ media: platformMedia(sim), scale: 10 }).start();
  core = startCore();
  const r = await core.call('accounts:add', {
    name: 'IVC',
    config: {
      platform: 'tencent-ivc',
      endpoint: ivc.baseUrl,
      appId: ivc.credentials.appId,
      secretId: ivc.credentials.secretId,
    },
    secret: ivc.credentials.secretKey,
  });
  assert.ok(r.ok, JSON.stringify(r));
  host = await startWebHost({ core, port: 0 });
  browser = await launchChromium();
});

closePagesAfterEach(() => browser);
after(async () => {
  await browser?.close();
  await host?.close();
  await ivc?.stop();
  await sim?.stop();
  for (const a of core.settings.get().accounts) await core.accounts.remove(a.id).catch(() => undefined);
});

async function openWall(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.locator('[data-testid="node-account"]').first().waitFor();
  return page;
}

async function expandAll(page: Page, query: string) {
  await page.locator('[data-testid="device-tree"] input').first().fill(query);
  await page.locator('[data-testid="node-channel"]').first().waitFor();
}

test('double-click and drag channels into a 4-pane wall: frames decode in each pane', async () => {
  const page = await openWall();
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
  const page = await openWall();
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
  const page = await openWall();
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

test('PTZ arrow keys on a PTZ channel reach the platform', async () => {
  const page = await openWall();
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.getByTestId('wall-pane-0').click();
  const before = ivc.controlLog.length;
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('+');
  for (let i = 0; i < 20 && ivc.controlLog.length < before + 2; i++) await page.waitForTimeout(100);
  const sent = ivc.controlLog.slice(before).map((c) => c.body.Type);
  assert.deepEqual(sent, ['left', 'zoomin']);
  // The pad on the selected PTZ pane: press and release.
  const beforePad = ivc.controlLog.length;
  await page.getByTestId('ptz-up').dispatchEvent('mousedown');
  await page.waitForTimeout(150);
  await page.getByTestId('ptz-up').dispatchEvent('mouseup');
  for (let i = 0; i < 20 && ivc.controlLog.length <= beforePad; i++) await page.waitForTimeout(100);
  assert.equal(ivc.controlLog[beforePad]?.body.Type, 'up');
  // Focus and iris buttons, at the speed the pad's slider sets (the keyboard uses it too).
  await page.getByTestId('ptz-speed').fill('7');
  const beforeLens = ivc.controlLog.length;
  for (const id of ['ptz-focusfar', 'ptz-irisopen']) {
    await page.getByTestId(id).dispatchEvent('mousedown');
    await page.getByTestId(id).dispatchEvent('mouseup');
  }
  await page.getByTestId('wall-pane-0').click({ position: { x: 20, y: 20 } }); // the slider lets go of the keyboard
  await page.keyboard.press('ArrowDown');
  for (let i = 0; i < 20 && ivc.controlLog.length < beforeLens + 3; i++) await page.waitForTimeout(100);
  assert.deepEqual(
    ivc.controlLog.slice(beforeLens, beforeLens + 3).map((c) => [c.body.Type, c.body.Speed]),
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
  const beforeStick = ivc.controlLog.length;
  const onPane = await page.getByTestId('wall-pane-0').getAttribute('data-channel');
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + stick.width, cy, { steps: 4 });
  await page.waitForTimeout(100);
  await page.mouse.move(cx, cy - stick.height / 4, { steps: 2 });
  await page.waitForTimeout(100);
  await page.mouse.up();
  const steered = ivc.controlLog.slice(beforeStick).map((c) => [c.body.Type, c.body.Speed] as [unknown, unknown]);
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
  await page.getByTestId('preset-add').click();
  await page.getByTestId('preset-name').fill('Gate');
  await page.getByTestId('preset-name').press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="preset-add"]') !== null);
  const beforePreset = ivc.controlLog.length;
  await page.locator('[data-testid="preset-select"]').click();
  await page.locator('.ant-select-item-option').first().click();
  for (let i = 0; i < 20 && ivc.controlLog.length <= beforePreset; i++) await page.waitForTimeout(100);
  assert.deepEqual(
    ivc.controlLog.slice(beforePreset).map((c) => c.body.Cmd),
    ['goto'],
    'the preset list sends go-to',
  );
  // A snapshot is a PNG named after the channel.
  await waitAllDecoding(page, [0], 20_000, 5);
  const download = page.waitForEvent('download');
  await page.getByTestId('wall-pane-0').click({ button: 'right' });
  await page.getByText(/Snapshot|抓图/).click();
  assert.match((await download).suggestedFilename(), /^大门球机_\d{8}_\d{6}\.png$/);
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
  await page.getByText(/Instant replay|即时回放/).click();
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

test('favourites: starred channels are pinned on top and kept by main; a pane tours through them until stopped', async () => {
  let page = await openWall();
  await expandAll(page, '停车场NVR-通道');
  const ids = (await page
    .locator('[data-testid="node-channel"]')
    .evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-node-id')))) as string[];
  for (const id of ids) await page.locator(`[data-node-id="${id}"] [data-testid="favourite-toggle"]`).first().click();
  await page.getByTestId('favourites-root').filter({ hasText: '(2)' }).waitFor();
  assert.deepEqual(
    core.settings.get().favourites.map((f) => f.channelId),
    ids,
    'kept in main’s settings, in the order starred',
  );
  // Another window (a fresh page) shows them on top without a search.
  await page.context().close();
  page = await openWall();
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
    core.settings.get().favourites.map((f) => f.channelId),
    [ids[1]],
  );
});

test('keyboard digits switch layouts; a saved start-up view survives a host restart and plays', async () => {
  const page = await openWall();
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
  await host.close();
  core = startCore();
  host = await startWebHost({ core, port: 0 });
  const again = await openWall();
  await waitAllDecoding(again, [0, 1, 2, 3], 30_000);
  assert.equal(await again.locator('[data-testid^="wall-pane-"]').count(), 4);
  assert.ok((await paneFrames(again, 4)).every((f) => f > 0));
  await again.context().close();
});

test('the PTZ pad fits a 16-layout pane, its buttons name their keys, and going to or saving a preset is confirmed', async () => {
  const page = await openWall();
  await page.keyboard.press('8');
  await expandAll(page, '大门');
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.getByTestId('wall-pane-0').click();
  const pad = page.getByTestId('ptz-pad');
  await pad.waitFor();
  const p = (await pad.boundingBox())!;
  const pane = (await page.getByTestId('wall-pane-0').boundingBox())!;
  assert.ok(
    p.x >= pane.x &&
      p.y >= pane.y &&
      p.x + p.width <= pane.x + pane.width + 1 &&
      p.y + p.height <= pane.y + pane.height + 1,
    'the pad stays inside its pane',
  );
  assert.ok(
    (p.width * p.height) / (pane.width * pane.height) < 0.25,
    `the pad covers ${Math.round(((p.width * p.height) / (pane.width * pane.height)) * 100)} % of the pane`,
  );
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
  // With the preset editor open beside the wall (the wall narrows), the pad still fits its pane.
  await page.getByTestId('ptz-editor-open').click();
  await page.getByTestId('ptz-editor').waitFor();
  await page.waitForTimeout(300); // the wall's panes settle at their new width
  const narrowPane = (await page.getByTestId('wall-pane-0').boundingBox())!;
  const narrowPad = (await pad.boundingBox())!;
  assert.ok(narrowPane.width < pane.width, 'the editor took room from the wall');
  assert.ok(
    narrowPad.x >= narrowPane.x &&
      narrowPad.y >= narrowPane.y &&
      narrowPad.x + narrowPad.width <= narrowPane.x + narrowPane.width + 1 &&
      narrowPad.y + narrowPad.height <= narrowPane.y + narrowPane.height + 1,
    `the pad stays inside its narrowed pane (pad ${JSON.stringify(narrowPad)}, pane ${JSON.stringify(narrowPane)})`,
  );
  await page.getByTestId('ptz-editor-close').click();
});

test('a smaller layout hides panes without losing them: they come back when it grows, and Undo restores at once; empty panes show a frame and a hint', async () => {
  const page = await openWall();
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

test('another wall window: the browser host opens a second tab of the same app, with its own wall', async () => {
  const page = await openWall();
  const popup = page.context().waitForEvent('page');
  await page.getByTestId('wall-new-window').click();
  const second = await popup;
  await second.getByTestId('wall-page').waitFor();
  await second.locator('[data-testid="node-account"]').first().waitFor();
  assert.notEqual(second, page);
  await page.context().close();
});
