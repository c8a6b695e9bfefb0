import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { SOUND_TONE_HZ } from '../emulators/media/simulator';
import { closePagesAfterEach, turnSoundOn } from '../helpers/browser';
import { settledPaneStates, waitAllDecoding } from '../helpers/media';
import { startStack, type Stack } from '../helpers/stack';

// GB28181 cameras send G.711 sound (FLV SoundFormat 7/8), which mpegts.js refused: the stream
// failed outright. The page's FLV loader now hands it to the MediaSource as FLAC (common/flv-sound.ts).
// A Huawei IVM camera with a 1-kHz A-law tone plays, and with its sound on, an AnalyserNode on its
// <video> hears the tone; a camera sending Speex (nothing here plays it) plays its pictures and
// shows a muted speaker that says why.

let browser: Browser;
let host: WebHost;
let stack: Stack;
before(async () => {
  stack = await startStack({
    media: {
      channels: [
        { id: 'i1', name: 'IVM G.711', audio: true, audioCodec: 'alaw' },
        { id: 'i2', name: 'IVM Speex', audio: true, audioCodec: 'speex' },
        { id: 'i3', name: 'IVM 3' },
      ],
    },
    ivm: { media: true },
  });
  ({ host, browser } = stack);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** 大门球机 (the simulator's i1: G.711) in pane 0, 大厅 (i2: Speex) in pane 1. */
async function twoPanes(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(host.url);
  await page.getByTestId('wall-page').waitFor();
  const search = page.locator('[data-testid="device-tree"] input').first();
  for (const [pane, name] of [
    [0, '大门球机'],
    [1, '大厅'],
  ] as const) {
    await search.fill(name);
    const node = page.locator('[data-testid="node-channel"]').filter({ hasText: name }).first();
    await node.waitFor();
    await page.getByTestId(`wall-pane-${pane}`).click();
    await node.dblclick();
  }
  await waitAllDecoding(page, [0, 1], 30_000);
  // A pane may be opened once more right after its first pictures (a stall on a loaded machine, a
  // stream opened again without its sound): both settle playing before the badges are read.
  assert.deepEqual(await settledPaneStates(page, 2), ['playing', 'playing']);
  return page;
}

/** The pane's sound through an AnalyserNode: the level at `hz` and the median level, in dB. */
function listen(page: Page, pane: number, hz: number): Promise<{ toneDb: number; medianDb: number; rate: number }> {
  return page.evaluate(
    async ({ pane, hz }) => {
      const video = document.querySelector<HTMLVideoElement>(`[data-testid="pane-${pane}"] video`)!;
      const ctx = new AudioContext();
      await ctx.resume();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 4096;
      analyser.smoothingTimeConstant = 0.5;
      ctx.createMediaElementSource(video).connect(analyser);
      analyser.connect(ctx.destination);
      await new Promise((r) => setTimeout(r, 1500));
      const bins = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(bins);
      const at = Math.round((hz * analyser.fftSize) / ctx.sampleRate);
      const toneDb = Math.max(...bins.subarray(at - 2, at + 3));
      const sorted = [...bins].filter(Number.isFinite).sort((a, b) => a - b);
      const medianDb = sorted.length ? sorted[sorted.length >> 1]! : -Infinity;
      void ctx.close();
      return { toneDb, medianDb, rate: ctx.sampleRate };
    },
    { pane, hz },
  );
}

test('a G.711 camera plays with its sound: unmuted, an AnalyserNode hears its 1-kHz tone', async (t) => {
  const page = await twoPanes();
  const pane = page.getByTestId('pane-0');
  assert.equal(await pane.getAttribute('data-state'), 'playing', 'G.711 no longer fails the stream');
  assert.equal(await pane.getAttribute('data-sound'), 'playable');
  assert.equal(await pane.getByTestId('pane-sound-muted').count(), 0, 'no muted speaker: its sound plays');
  await turnSoundOn(page, 0);
  const heard = await listen(page, 0, SOUND_TONE_HZ);
  t.diagnostic(`${heard.toneDb.toFixed(1)} dB at ${SOUND_TONE_HZ} Hz, median ${heard.medianDb.toFixed(1)} dB`);
  assert.ok(
    heard.toneDb > -60 && heard.toneDb - heard.medianDb > 30,
    `the tone stands out: ${heard.toneDb.toFixed(1)} dB at ${SOUND_TONE_HZ} Hz, median ${heard.medianDb.toFixed(1)} dB`,
  );
  // Still playing with its sound on (the sound runs in the same MediaSource as the pictures).
  await waitAllDecoding(page, [0], 10_000);
});

test('a camera whose sound cannot be played plays its pictures and shows a muted speaker saying why', async () => {
  const page = await twoPanes();
  const pane = page.getByTestId('pane-1');
  assert.equal(await pane.getAttribute('data-state'), 'playing');
  assert.equal(await pane.getAttribute('data-sound'), 'unplayable');
  const badge = pane.getByTestId('pane-sound-muted');
  await badge.waitFor();
  assert.match((await badge.getAttribute('title')) ?? '', /Speex/);
  assert.equal(await pane.locator('video').evaluate((v: HTMLVideoElement) => v.muted), true);
});
