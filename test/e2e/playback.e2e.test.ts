import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import { confBackend } from '../../main/settings/conf-backend';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { closePagesAfterEach, launchChromium } from '../helpers/browser';
import { probeSeconds } from '../helpers/probe';
import { MemoryVault, tempDir } from '../helpers/core';

// Playback against the Tencent IVC emulator: cloud and device recordings on one timeline, real
// recorded video whose burned-in clock must match the timeline cursor.

let sim: MediaSimulator;
let ivc: IvcEmulator;
let browser: Browser;
let host: WebHost;
const exportDir = tempDir();

before(async () => {
  sim = await MediaSimulator.start({ channels: [{ id: 'p1', name: 'Play 1' }], recordingsPerChannel: 3, recordingMinutes: 1, recordingEveryMinutes: 5 });
  ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  const core = new Core({ host: 'web', dataDir: tempDir(), settingsBackend: confBackend, vault: new MemoryVault(), exportDir });
  const r = await core.call('accounts:add', { name: 'IVC', config: { platform: 'tencent-ivc', endpoint: ivc.baseUrl, appId: ivc.credentials.appId, secretId: ivc.credentials.secretId }, secret: ivc.credentials.secretKey });
  assert.ok(r.ok);
  host = await startWebHost({ core, port: 0 });
  browser = await launchChromium();
});
closePagesAfterEach(() => browser);
after(async () => {
  await browser?.close();
  await host?.close();
  await ivc?.stop();
  await sim?.stop();
});

/** The strip value on pane `index` and the cursor (ms) shown at the same moment. */
function clockAndCursor(page: Page) {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="playback-pane-0"] video')!;
    const c = document.createElement('canvas');
    c.width = 384;
    c.height = 16;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(v, 0, 0, 384, 16, 0, 0, 384, 16);
    const d = ctx.getImageData(0, 0, 384, 16).data;
    let value = 0;
    for (let k = 0; k < 24; k++) {
      const i = (8 * 384 + k * 16 + 8) * 4;
      if (0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]! >= 128) value += 2 ** k;
    }
    return { value, frames: v.getVideoPlaybackQuality().totalVideoFrames };
  });
}

test('a channel’s cloud and device recordings show on one timeline; seeking into the second recording shows that time', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 850 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Playback|录像回放/ }).click();
  await page.getByTestId('playback-page').waitFor();
  await page.locator('[data-testid="device-tree"] input').first().fill('大门');
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
  assert.ok((await page.locator('[data-testid="segment-device"]').count()) >= 1, 'device-side recordings in the other colour');
  const recs = sim.recordings('p1');
  // Jump to the next recording, then 20 s into it.
  await page.getByTestId('playback-next').click();
  await page.waitForFunction((start) => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')) === start, recs[1]!.start);
  // 20 s into it: +10 s twice.
  await page.getByRole('button', { name: '+10s' }).click();
  await page.getByRole('button', { name: '+10s' }).click();
  await page.getByTestId('playback-play').click();
  await page.locator('[data-testid="playback-pane-0"][data-status="playing"]').waitFor({ timeout: 45_000 });
  await page.waitForTimeout(1500);
  await page.getByTestId('playback-play').click(); // pause, then compare the picture with the cursor
  await page.waitForTimeout(400);
  const { value } = await clockAndCursor(page);
  const cursorText = await page.getByTestId('playback-cursor').getAttribute('data-ms');
  const cursor = Number(cursorText);
  const diff = Math.abs(value - (cursor % 2 ** 24));
  assert.ok(cursor >= recs[1]!.start && cursor < recs[1]!.end, `cursor ${cursor} is in the second recording`);
  assert.ok(diff < 2000, `burned-in clock ${value} vs cursor ${cursor % 2 ** 24} (Δ ${diff} ms)`);

  // Export 30 s from here: Tencent's own clip download, saved under a name with channel and time.
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-start').click();
  await page.locator('[data-testid="export-job"][data-state="done"]').waitFor({ timeout: 30_000 });
  const file = (await page.getByTestId('export-file').first().textContent())!.trim();
  assert.ok(file.startsWith(exportDir) && /大门球机_\d{8}_\d{6}-\d{6}\.mp4$/.test(file), file);
  const { duration, decoded } = probeSeconds(file);
  // The second recording is a minute long and the export starts 20 s in: 30 s fit.
  assert.ok(Math.abs((duration ?? 0) - 30) <= 2 && Math.abs(decoded - 30) <= 2, `duration ${duration} s, plays ${decoded} s`);
  assert.ok(fs.statSync(file).size > 10_000);
  await page.context().close();
});
