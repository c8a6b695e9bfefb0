import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount } from '../helpers/accounts';
import { closePagesAfterEach, launchChromium } from '../helpers/browser';
import { addAccount, makeCore } from '../helpers/core';
import { waitAllDecoding } from '../helpers/media';

// Issue 24 in Chromium here, which has no H.265 decoder: a platform whose cameras all send H.265
// (HTTP-FLV, legacy codec id 12 and Enhanced RTMP) plays through main's transcoder with the
// badge; the transcode budget refuses the pane past it and says why; the operator moves the
// transcode to that pane; and where the runtime says it decodes H.265 (isTypeSupported stubbed
// to yes) the native path is taken and nothing is transcoded.

let sim: MediaSimulator;
let ivc: IvcEmulator;
let browser: Browser;
let host: WebHost;
let core: Core;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [
      { id: 'h1', name: 'HEVC 1', codec: 'h265' },
      { id: 'h2', name: 'HEVC 2', codec: 'h265', flvForm: 'enhanced' },
    ],
    recordingsPerChannel: 2,
    recordingMinutes: 0.5,
    prepareRecordings: false,
    sharedSubEncoder: true,
  });
  ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  ({ core } = makeCore());
  await addAccount(core, 'IVC H.265', ivcAccount(ivc));
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

async function openWall(init?: () => void): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByTestId('wall-page').waitFor();
  return page;
}

/** Puts the channel named `name` into pane `pane` (select the pane, double-click the channel). */
async function play(page: Page, pane: number, name: string): Promise<void> {
  await page.locator('[data-testid="device-tree"] input').first().fill(name);
  const node = page.locator('[data-testid="node-channel"]').filter({ hasText: name }).first();
  await node.waitFor();
  await page.getByTestId(`wall-pane-${pane}`).click();
  await node.dblclick();
}

const setBudget = (cores: number | null) =>
  core.settings.update((s) => ({ ...s, preferences: { ...s.preferences, transcodeCores: cores } }));

test('H.265 plays through the transcode with its badge; the budget refuses the next pane and says why; a swap moves the transcode', async () => {
  setBudget(null);
  const page = await openWall();
  await play(page, 0, '大门球机');
  await waitAllDecoding(page, [0], 40_000);
  const badge = page.getByTestId('pane-0').getByTestId('pane-transcode');
  await badge.waitFor();
  assert.match(await badge.innerText(), /H\.265 → H\.264 · (\d+(\.\d+)? core|\d+ % CPU)/);
  assert.match((await badge.getAttribute('title')) ?? '', /hvc1\.|hev1\./, 'the detected codec string');
  const first = core.transcoder.list().transcodes;
  assert.equal(first.length, 1);
  assert.equal(first[0]!.label, '大门球机');
  // The pane plays H.264 now (what mpegts.js reports for the transcoded stream).
  const codec = await page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="pane-0"] video')!;
    return { w: v.videoWidth, h: v.videoHeight };
  });
  assert.ok(codec.w > 0 && codec.h > 0);

  // A budget with room for this one transcode only: the second H.265 pane is refused, with why.
  setBudget(first[0]!.costCores * 1.5);
  await play(page, 1, '大堂枪机');
  const refused = page.getByTestId('pane-1').getByTestId('pane-transcode-refused');
  await refused.waitFor({ timeout: 30_000 });
  assert.match(await refused.innerText(), /H\.265 \((hvc1|hev1)[^)]*\) cannot be decoded on this computer/);
  assert.match(await refused.innerText(), /transcode budget \([\d.]+ cores, Settings\) is in use/);
  assert.equal(core.transcoder.list().transcodes.length, 1, 'nothing past the budget was started');
  const take = page.getByTestId('pane-1').getByTestId('pane-transcode-take');
  assert.match(await take.innerText(), /Take it from 大门球机/);

  // The operator moves the transcode: pane 1 plays it, pane 0 is refused in turn (and offers it back).
  await take.click();
  await waitAllDecoding(page, [1], 40_000);
  await page.getByTestId('pane-1').getByTestId('pane-transcode').waitFor();
  await page.getByTestId('pane-0').getByTestId('pane-transcode-refused').waitFor({ timeout: 30_000 });
  assert.deepEqual(
    core.transcoder.list().transcodes.map((t) => t.label),
    ['大堂枪机'],
  );
  assert.match(await page.getByTestId('pane-0').getByTestId('pane-transcode-take').innerText(), /大堂枪机/);

  // Closing the page ends its transcodes (the connection goes, main stops ffmpeg and frees the budget).
  await page.context().close();
  for (let i = 0; i < 40 && core.transcoder.list().transcodes.length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(core.transcoder.list().transcodes.length, 0);
  setBudget(null);
});

test('a runtime that says it decodes H.265 (isTypeSupported stubbed to yes) plays natively: no transcode starts', async () => {
  const page = await openWall(() => {
    const real = MediaSource.isTypeSupported.bind(MediaSource);
    const asked: string[] = [];
    (window as unknown as { __asked: string[] }).__asked = asked;
    MediaSource.isTypeSupported = (type: string) => {
      asked.push(type);
      return /hvc1|hev1/.test(type) || real(type);
    };
  });
  const transcodeCalls: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      if (typeof f.payload === 'string' && f.payload.includes('media:transcode')) transcodeCalls.push(f.payload);
    }),
  );
  await play(page, 0, '电梯厅');
  // mpegts.js read the stream's HEVC configuration and the player asked for that exact codec string.
  await page.waitForFunction(
    () => (window as unknown as { __asked: string[] }).__asked.some((t) => /codecs="(hvc1|hev1)\.\d/.test(t)),
    undefined,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(3000);
  assert.deepEqual(transcodeCalls, [], 'the renderer never asked main to transcode');
  assert.equal(core.transcoder.list().transcodes.length, 0);
  assert.equal(await page.getByTestId('pane-transcode').count(), 0, 'no badge');
  const asked = await page.evaluate(() => (window as unknown as { __asked: string[] }).__asked);
  assert.ok(
    asked.some((t) => /^video\/mp4; codecs="(hvc1|hev1)\.\d+\.[0-9A-F]+\.[LH]\d+/.test(t)),
    asked.join('\n'),
  );
});

test('an H.265 recording plays in playback through the transcode', async () => {
  for (const id of ['h1', 'h2']) for (const r of sim.recordings(id)) await sim.prepareRecording(id, r.start);
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 850 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Playback|录像回放/ }).click();
  await page.getByTestId('playback-page').waitFor();
  await page.getByTestId('playback-pane-0').click();
  await page.locator('[data-testid="device-tree"] input').first().fill('大门球机');
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
  await page.getByTestId('playback-next').click();
  await page.getByTestId('playback-play').click();
  await page
    .locator('[data-testid="playback-pane-0"][data-status="playing"]')
    .waitFor({ timeout: 60_000 })
    .catch(async (e: Error) => {
      const pane = page.getByTestId('playback-pane-0');
      throw new Error(
        `${e.message}\nstatus ${await pane.getAttribute('data-status')}: ${await pane.innerText()}\ntranscodes ${JSON.stringify(core.transcoder.list())}`,
      );
    });
  const transcodes = core.transcoder.list().transcodes;
  assert.equal(transcodes.length, 1, 'the recording is transcoded');
  assert.equal(transcodes[0]!.label, '大门球机');
  const frames = () =>
    page.evaluate(
      () =>
        document.querySelector<HTMLVideoElement>('[data-testid="playback-pane-0"] video')!.getVideoPlaybackQuality()
          .totalVideoFrames,
    );
  const first = await frames();
  await page.waitForTimeout(2000);
  assert.ok((await frames()) > first + 20, 'frames keep decoding');
  await page.context().close();
});
