import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { SOUND_TONE_HZ, type MediaSimulator } from '../emulators/media/simulator';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { MemoryVault, tempDir } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';

// Playback plays sound (issue 57 §3): the media simulator's recordings carry a 1-kHz tone in AAC
// (cloud HLS) and, from a G.711 camera's device, in G.711 (device FLV, Tencent IVC E37). A pane's
// speaker turns its sound on, one pane at a time; an AnalyserNode on its <video> hears the tone;
// at 2× it is muted. An export of the G.711 camera's device clip has a sound stream that decodes
// to the tone.

let browser: Browser;
let host: WebHost;
let sim: MediaSimulator;
let stack: Stack;
const exportDir = tempDir();
before(async () => {
  stack = await startStack({
    media: {
      // One GB28181 camera behind every Tencent channel: recordings in AAC, its device's in G.711.
      channels: [{ id: 'g1', name: 'G711 camera', audio: true, audioCodec: 'alaw' }],
      recordingsPerChannel: 3,
      recordingMinutes: 1,
      recordingEveryMinutes: 5,
    },
    ivc: { media: true },
    core: { vault: new MemoryVault(), exportDir },
  });
  ({ host, browser } = stack);
  sim = stack.sim!;
  for (const r of sim.recordings('g1')) await sim.prepareRecording('g1', r.start);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** The playback page with `channels[i]` (a tree search text) in pane i. */
async function openPlayback(channels: string[], layout: 1 | 4 = 1): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 850 }, locale: 'en-US' })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Playback|录像回放/ }).click();
  await page.getByTestId('playback-page').waitFor();
  if (layout !== 1) await pickOption(page, page.getByTestId('playback-layout'), new RegExp(`^${layout}$`));
  for (const [i, name] of channels.entries()) {
    await page.getByTestId(`playback-pane-${i}`).click();
    await page.locator('[data-testid="device-tree"] input').first().fill(name);
    await page.locator('[data-testid="node-channel"]').first().dblclick();
  }
  return page;
}

/** Cursor 10 s into the second recording, then play until pane 0 (and the others given) play. */
async function playSecondRecording(page: Page, panes = [0]): Promise<void> {
  const recs = sim.recordings('g1');
  await page.getByTestId('playback-next').click();
  const cursor = () =>
    page.evaluate(() => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')));
  await page.waitForFunction(
    (start) => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')) === start,
    recs[1]!.start,
  );
  await page.getByRole('button', { name: '+10s' }).click();
  await page.waitForFunction(
    (at) => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')) >= at,
    recs[1]!.start + 9_000,
  );
  assert.ok((await cursor()) < recs[1]!.end);
  await page.getByTestId('playback-play').click();
  for (const i of panes)
    await page.locator(`[data-testid="playback-pane-${i}"][data-status="playing"]`).waitFor({ timeout: 45_000 });
}

const video = (pane: number) => `[data-testid="playback-pane-${pane}"] video`;
const muted = (page: Page, pane: number) =>
  page.evaluate((sel) => document.querySelector<HTMLVideoElement>(sel)!.muted, video(pane));
const waitMuted = (page: Page, pane: number, value: boolean) =>
  page.waitForFunction(([sel, v]) => document.querySelector<HTMLVideoElement>(sel as string)?.muted === v, [
    video(pane),
    value,
  ] as const);

/** The pane's sound through an AnalyserNode: the level at `hz` and the median level, in dB. */
function listen(page: Page, pane: number, hz: number): Promise<{ toneDb: number; medianDb: number }> {
  return page.evaluate(
    async ({ sel, hz }) => {
      const v = document.querySelector<HTMLVideoElement>(sel)!;
      const ctx = new AudioContext();
      await ctx.resume();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 4096;
      analyser.smoothingTimeConstant = 0.5;
      ctx.createMediaElementSource(v).connect(analyser);
      analyser.connect(ctx.destination);
      await new Promise((r) => setTimeout(r, 1500));
      const bins = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(bins);
      const at = Math.round((hz * analyser.fftSize) / ctx.sampleRate);
      const toneDb = Math.max(...bins.subarray(at - 2, at + 3));
      const sorted = [...bins].filter(Number.isFinite).sort((a, b) => a - b);
      const medianDb = sorted.length ? sorted[sorted.length >> 1]! : -Infinity;
      void ctx.close();
      return { toneDb, medianDb };
    },
    { sel: video(pane), hz },
  );
}

function assertTone(heard: { toneDb: number; medianDb: number }, what: string): void {
  assert.ok(
    heard.toneDb > -60 && heard.toneDb - heard.medianDb > 30,
    `${what}: ${heard.toneDb.toFixed(1)} dB at ${SOUND_TONE_HZ} Hz, median ${heard.medianDb.toFixed(1)} dB`,
  );
}

test('a cloud recording (HLS, AAC) plays its sound: muted by default, one pane heard at a time, muted at 2×', async (t) => {
  const page = await openPlayback(['大门', '大门'], 4);
  await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
  await playSecondRecording(page, [0, 1]);
  assert.equal(await muted(page, 0), true, 'muted by default');
  assert.equal(await muted(page, 1), true);
  const speaker = (pane: number) => page.getByTestId(`playback-pane-${pane}`).getByTestId('playback-sound');
  await speaker(0).click();
  await waitMuted(page, 0, false);
  assert.equal(await speaker(0).getAttribute('aria-pressed'), 'true');
  const heard = await listen(page, 0, SOUND_TONE_HZ);
  t.diagnostic(`${heard.toneDb.toFixed(1)} dB at ${SOUND_TONE_HZ} Hz, median ${heard.medianDb.toFixed(1)} dB`);
  assertTone(heard, 'the recording’s tone');
  // The other pane's speaker: it is heard, the first goes quiet.
  await speaker(1).click();
  await waitMuted(page, 1, false);
  await waitMuted(page, 0, true);
  assert.equal(await speaker(0).getAttribute('aria-pressed'), 'false');
  // At 2× the sound is off (heard at 1× only), and the speaker says why; back at 1×, heard again.
  await pickOption(page, page.getByTestId('playback-speed'), /^2×$/);
  await waitMuted(page, 1, true);
  assert.match((await speaker(1).getAttribute('title')) ?? '', /1×/);
  // (The 2× dropdown gone first: an option of it while it fades out is not the one to click.)
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.ant-select-dropdown')].every(
      (d) => d.classList.contains('ant-select-dropdown-hidden') || getComputedStyle(d).display === 'none',
    ),
  );
  await pickOption(page, page.getByTestId('playback-speed'), /^1×$/);
  await waitMuted(page, 1, false);
});

test('a G.711 camera’s device recording (FLV) plays its sound; its export has a sound stream that decodes to the tone', async (t) => {
  // Not in a cloud plan: device-side recordings only, played as FLV with a session (E37), in G.711.
  const page = await openPlayback(['收银台']);
  await page.locator('[data-testid="segment-device"]').first().waitFor({ timeout: 20_000 });
  await playSecondRecording(page);
  const speaker = page.getByTestId('playback-pane-0').getByTestId('playback-sound');
  await speaker.click();
  await waitMuted(page, 0, false);
  assert.equal(await speaker.getAttribute('data-sound'), 'playable', 'G.711, played as FLAC');
  const heard = await listen(page, 0, SOUND_TONE_HZ);
  t.diagnostic(`${heard.toneDb.toFixed(1)} dB at ${SOUND_TONE_HZ} Hz, median ${heard.medianDb.toFixed(1)} dB`);
  assertTone(heard, 'the device’s G.711 tone');

  // Export 4 s of it: the device's FLV is read by main, its G.711 encoded to AAC in the MP4.
  await page.getByTestId('playback-play').click(); // pause
  await page.getByTestId('export-open').click();
  // (antd puts the test id on the <input> itself; a wrapper's input in other versions)
  await page.locator('input[data-testid="export-seconds"], [data-testid="export-seconds"] input').first().fill('4');
  await page.getByTestId('export-start').click();
  await page.locator('[data-testid="export-job"][data-state="done"]').waitFor({ timeout: 60_000 });
  const file = (await page.getByTestId('export-job').first().getByTestId('export-file').textContent())!.trim();
  assert.ok(file.startsWith(exportDir), file);
  const info = spawnSync(ffmpegPath(), ['-hide_banner', '-i', file], { encoding: 'utf8' }).stderr;
  assert.match(info, /Audio: aac/, info);
  const pcm = spawnSync(ffmpegPath(), [
    '-v',
    'error',
    '-i',
    file,
    '-map',
    '0:a',
    '-f',
    's16le',
    '-ac',
    '1',
    '-ar',
    '8000',
    'pipe:1',
  ]);
  const samples = new Int16Array(new Uint8Array(pcm.stdout).buffer, 0, pcm.stdout.length >> 1);
  const seconds = samples.length / 8000;
  assert.ok(seconds > 3 && seconds < 5, `${seconds} s of sound`);
  const rms = Math.sqrt(samples.reduce((n, x) => n + x * x, 0) / samples.length);
  assert.ok(rms > 500, `not silent: RMS ${rms.toFixed(0)}`);
  const share = toneShare(samples.subarray(800), 8000, SOUND_TONE_HZ);
  t.diagnostic(`${seconds.toFixed(2)} s of sound, RMS ${rms.toFixed(0)}, ${(share * 100).toFixed(0)} % at 1 kHz`);
  assert.ok(share > 0.5, `the tone is ${(share * 100).toFixed(0)} % of the sound`);
});

/** Goertzel: the power of `freq` in `pcm` against the whole signal's (0–1). */
function toneShare(pcm: Int16Array, rate: number, freq: number): number {
  const w = (2 * Math.PI * freq) / rate;
  let [s1, s2, energy] = [0, 0, 0];
  for (const x of pcm) {
    const s0 = x + 2 * Math.cos(w) * s1 - s2;
    [s2, s1] = [s1, s0];
    energy += x * x;
  }
  const power = s1 * s1 + s2 * s2 - 2 * Math.cos(w) * s1 * s2;
  return energy ? (2 * power) / (pcm.length * energy) : 0;
}
