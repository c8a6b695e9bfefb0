import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { closePagesAfterEach } from '../helpers/browser';
import { waitAllDecoding } from '../helpers/media';
import { startStack, type Stack } from '../helpers/stack';

// Maps: a supervisor adds a site, a building and a floor with its plan (an SVG carrying a script,
// kept sanitised), drags two IVM cameras from the tree onto it, an alarm the platform pushes makes
// its camera's pin flash until acknowledged from the pin, and a click on a pin plays that camera in
// the wall's selected pane or, with Pop-up on, in a pop-up player; with bring forward on, the alarm
// takes an operator away on the Live wall to the map holding the camera. Huawei IVM emulator with
// real video, in Chromium.

let stack: Stack;
before(async () => {
  stack = await startStack({
    media: {
      channels: [
        { id: 'i1', name: 'IVM 1' },
        { id: 'i2', name: 'IVM 2' },
        { id: 'i3', name: 'IVM 3' },
      ],
      sharedSubEncoder: true,
    },
    ivm: { media: true },
  });
});
closePagesAfterEach(() => stack?.browser);
after(() => stack?.stop());

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

/** `yyyy-MM-ddTHH:mm:ss+08:00` as the platform writes alarm times. */
const beijing = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

const PLAN = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500" viewBox="0 0 800 500" onload="window.__pwned = 1">
  <script>window.__pwned = 2</script>
  <rect x="10" y="10" width="780" height="480" fill="#f5f5f5" stroke="#333" stroke-width="4"/>
  <line x1="400" y1="10" x2="400" y2="490" stroke="#333" stroke-width="2"/>
  <text x="200" y="250" font-size="24">Lobby</text><text x="600" y="250" font-size="24">Gate</text>
</svg>`;

async function addNode(page: Page, button: string, name: string): Promise<void> {
  await page.getByTestId(button).click();
  await page.getByTestId('maps-name').fill(name);
  await page.getByTestId('maps-name-ok').click();
  try {
    await page.locator('[data-testid="map-node"]').filter({ hasText: name }).waitFor();
    await page.getByTestId('maps-name').waitFor({ state: 'hidden' });
  } catch (e) {
    // What main keeps, what the page shows and says: a failure here reads where the map went.
    const kept = stack.core.maps.get().doc.nodes.map((n) => n.name);
    const shown = await page.locator('[data-testid="map-node"]').allTextContents();
    const said = await page.locator('.ant-message, .ant-alert').allTextContents();
    throw new Error(
      `${name}: ${(e as Error).message.split('\n')[0]}; main keeps ${JSON.stringify(kept)}, the tree shows ${JSON.stringify(shown)}, the page says ${JSON.stringify(said)}`,
    );
  }
}

/** Finds a camera in the tree and drops it on the plan at (fx, fy) of its size. */
async function dropCamera(page: Page, name: string, fx: number, fy: number): Promise<void> {
  await page.locator('[data-testid="device-tree"] input').first().fill(name);
  const node = page.locator('[data-testid="node-channel"]').filter({ hasText: name }).first();
  await node.waitFor();
  const plan = page.getByTestId('map-plan');
  const box = (await plan.boundingBox())!;
  await node.dragTo(plan, { targetPosition: { x: box.width * fx, y: box.height * fy } });
}

test('maps: a plan added, two cameras pinned, a pushed alarm flashes its pin until acknowledged there, a click plays the camera, picked pins fill the wall', async () => {
  const { core, host, browser, ivm } = stack as Required<Stack>;
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /\bMaps$|电子地图/ }).click();
  await page.getByTestId('maps-page').waitFor();
  await page.locator('[data-testid="node-account"]').first().waitFor();

  await addNode(page, 'maps-add-site', 'HQ');
  await addNode(page, 'maps-add-child', 'Block A');
  await addNode(page, 'maps-add-child', 'Floor 1');
  const file = path.join(stack.dataDir, 'floor-1.svg');
  fs.writeFileSync(file, PLAN);
  await page.getByTestId('maps-plan-file').setInputFiles(file);
  await page.getByTestId('map-plan').locator('img').waitFor();
  await page.waitForFunction(
    () => document.querySelector<HTMLImageElement>('[data-testid="map-plan"] img')?.naturalWidth === 800,
  );
  const floor = core.maps.get().doc.nodes.find((n) => n.name === 'Floor 1')!;
  assert.equal(floor.image?.type, 'image/svg+xml');
  const kept = Buffer.from(core.maps.image(floor.id).data, 'base64').toString();
  assert.ok(!/script|onload|__pwned/.test(kept), 'the plan is kept sanitised');
  assert.equal(await page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);

  await dropCamera(page, '大门球机', 0.75, 0.4);
  await dropCamera(page, '大厅', 0.25, 0.6);
  const pins = page.getByTestId('map-pin');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="map-pin"]').length === 2);
  const placed = core.maps.get().doc.pins;
  assert.deepEqual(placed.map((p) => p.name).sort(), ['大厅', '大门球机'].sort());
  const gate = placed.find((p) => p.name === '大门球机')!;
  assert.ok(
    Math.abs(gate.x - 0.75) < 0.03 && Math.abs(gate.y - 0.4) < 0.03,
    `dropped where aimed: ${gate.x}, ${gate.y}`,
  );
  assert.equal(await page.locator('[data-testid="map-pin"][data-alarm]').count(), 0);

  // Bring forward on; another map shown and the operator away on the Live wall: the alarm brings
  // the map that holds the camera forward.
  await page.getByTestId('maps-settings').click();
  await page.getByTestId('maps-bring-forward').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="maps-bring-forward"][aria-checked="true"]'));
  assert.equal(core.maps.get().prefs.bringForward, true, 'kept by main');
  await page
    .locator('.ant-modal')
    .filter({ has: page.getByTestId('maps-bring-forward') })
    .locator('.ant-modal-close')
    .click();
  await page.getByTestId('maps-bring-forward').waitFor({ state: 'hidden' });
  await addNode(page, 'maps-add-child', 'Mezzanine');
  await page.locator('.ant-tree-node-selected').filter({ hasText: 'Mezzanine' }).waitFor();
  await page.getByRole('menuitem', { name: /Live wall|实况墙/ }).click();
  await page.getByTestId('maps-page').waitFor({ state: 'detached' });

  // An alarm on 大门球机 (device 21A0123456SMY01, channel 0), pushed by the platform as §10.1.4.2 says.
  const port = await freePort();
  const started = await core.call('alarms:start', {
    accountId: stack.accounts.ivm!,
    publicUrl: `http://127.0.0.1:${port}/vigil/ivm`,
    port,
  });
  assert.ok(started.ok, JSON.stringify(started));
  const at = Date.now() - 30_000;
  const status = await ivm.dataflow.push('DEVICE_ALARM', {
    device_id: '21A0123456SMY01',
    device_name: '大门球机',
    channel_type: 'video_input',
    channel_id: '0',
    channel_name: '大门球机',
    classification: 'PERIMETER',
    alarm_type: 'over_line_alarm',
    alarm_status: 'pulse',
    alarm_time: beijing(at),
    alarm_uuid: `21A0123456SMY01_0_over_line_alarm_${beijing(at).slice(0, 19).replace(/\D/g, '')}_1`,
  });
  assert.equal(status, 200);
  await page.getByTestId('maps-page').waitFor({ timeout: 15_000 });
  await page.locator('.ant-tree-node-selected').filter({ hasText: 'Floor 1' }).waitFor();
  const flashing = page.locator('[data-testid="map-pin"][data-alarm]');
  await flashing.waitFor({ timeout: 15_000 });
  assert.equal(await flashing.count(), 1);
  assert.equal(await flashing.getAttribute('data-channel-id'), gate.channelId);
  assert.match(await flashing.evaluate((el) => getComputedStyle(el).animationName), /vigil-pin-flash/);
  // Acknowledged from the pin, as from the alarm list: main records it, the pin stops flashing.
  await flashing.getByTestId('map-pin-ack').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="map-pin"][data-alarm]'));
  assert.ok(core.alarms.list().alarms[0]!.acknowledgedAt, 'main recorded the acknowledgement');

  // A click plays the pin's camera in the wall's selected pane beside the plan.
  await page.getByTestId('wall-pane-1').click();
  await pins.filter({ hasText: '大厅' }).click();
  await waitAllDecoding(page, [1], 30_000);
  const hall = placed.find((p) => p.name === '大厅')!;
  assert.equal(await page.getByTestId('wall-pane-1').getAttribute('data-channel'), hall.channelId);

  // Pop-up on: a click plays the pin's camera in the pop-up player (the wall's panes keep theirs); Esc closes it.
  await page.getByTestId('maps-pop-out').click();
  await pins.filter({ hasText: '大门球机' }).click();
  await page.waitForFunction(
    () =>
      (document.querySelector<HTMLVideoElement>('[data-testid="map-popup-pane"] video')?.getVideoPlaybackQuality()
        .totalVideoFrames ?? 0) > 10,
    null,
    { timeout: 30_000 },
  );
  assert.match((await page.getByTestId('map-popup').textContent()) ?? '', /大门球机/);
  assert.equal(await page.getByTestId('wall-pane-1').getAttribute('data-channel'), hall.channelId);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[data-testid="map-popup-pane"]'));
  await page.getByTestId('maps-pop-out').click();

  // Two pins picked (Ctrl+click) and one of them dragged onto a pane: both fill the wall from there.
  await pins.filter({ hasText: '大门球机' }).click({ modifiers: ['Control'] });
  await pins.filter({ hasText: '大厅' }).click({ modifiers: ['Control'] });
  await page.locator('[data-testid="map-pin"][data-picked]').nth(1).waitFor();
  await pins.filter({ hasText: '大厅' }).dragTo(page.getByTestId('wall-pane-2'));
  await page.waitForFunction(
    () => !!document.querySelector('[data-testid="wall-pane-3"]')?.getAttribute('data-channel'),
  );
  const filled = await page.evaluate(() =>
    [2, 3].map((i) => document.querySelector(`[data-testid="wall-pane-${i}"]`)!.getAttribute('data-channel')),
  );
  assert.deepEqual(filled.sort(), [gate.channelId, hall.channelId].sort());
  await page.context().close();
});
