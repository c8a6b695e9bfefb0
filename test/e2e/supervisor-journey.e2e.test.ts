import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { parseManifest } from '../../main/evidence/manifest';
import { scoreMoments } from '../../main/media/motion/detect';
import type { MediaSimulator } from '../emulators/media/simulator';
import { closePagesAfterEach } from '../helpers/browser';
import { MemoryVault, tempDir } from '../helpers/core';
import { runVerifier } from '../helpers/evidence';
import { cursorOf } from '../helpers/playback';
import { startStack, type Stack } from '../helpers/stack';

// A supervisor's journey in the browser host against the Tencent IVC emulator and the media
// simulator's motion camera: bookmark a moment in playback → draw a region on the pane and run a
// motion search (moments stream in with thumbnails, match the camera's ground truth, and mark
// the timeline) → one click plays a moment with its range selected → evidence export of that
// range → `verify-evidence` accepts the folder, and refuses it once a clip is tampered with.

let sim: MediaSimulator;
let browser: Browser;
let host: WebHost;
let stack: Stack;
const exportDir = tempDir();

before(async () => {
  stack = await startStack({
    media: {
      channels: [{ id: 'mot', name: 'Motion', motion: { seed: 21 } }],
      recordingsPerChannel: 2,
      recordingMinutes: 1,
      recordingEveryMinutes: 5,
    },
    ivc: { media: true },
    core: { vault: new MemoryVault(), exportDir },
  });
  ({ host, browser } = stack);
  ({ sim } = stack as Required<Stack>);
  for (const r of sim.recordings('mot')) await sim.prepareRecording('mot', r.start);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

async function openPlayback(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 850 }, locale: 'en-US' })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Playback|录像回放/ }).click();
  await page.getByTestId('playback-page').waitFor();
  await page.getByTestId('playback-pane-0').click();
  await page.locator('[data-testid="device-tree"] input').first().fill('大门球机');
  await page.locator('[data-testid="node-channel"]').first().dblclick();
  await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
  return page;
}

/** Drags a rectangle on pane 0's picture (16:9, letterboxed in the pane) between two normalised points. */
async function drawRegion(page: Page, r: { x: number; y: number; w: number; h: number }): Promise<void> {
  const pane = (await page.getByTestId('motion-overlay').boundingBox())!;
  const pw = Math.min(pane.width, (pane.height * 16) / 9);
  const ph = (pw * 9) / 16;
  const left = pane.x + (pane.width - pw) / 2;
  const top = pane.y + (pane.height - ph) / 2;
  await page.mouse.move(left + r.x * pw, top + r.y * ph);
  await page.mouse.down();
  await page.mouse.move(left + (r.x + r.w / 2) * pw, top + (r.y + r.h / 2) * ph, { steps: 4 });
  await page.mouse.move(left + (r.x + r.w) * pw, top + (r.y + r.h) * ph, { steps: 4 });
  await page.mouse.up();
}

test('bookmark → motion search → a moment opened → evidence export that verify-evidence accepts, and refuses once tampered with', async () => {
  const recs = sim.recordings('mot');
  const page = await openPlayback();

  // 1. A bookmark at the start of the second recording.
  await page.getByTestId('playback-next').click();
  await page.waitForFunction(
    (s) => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')) === s,
    recs[1]!.start,
  );
  await page.keyboard.press('b');
  await page.getByTestId('bookmark-dialog').waitFor();
  await page.getByPlaceholder('What happened').fill('Shift handover at the yard');
  await page.getByTestId('bookmark-save').click();
  await page.getByTestId('bookmark-dialog').waitFor({ state: 'detached' });
  await page.locator('[data-testid="timeline-mark-moment"]').first().waitFor();

  // 2. Motion search: a region drawn where the camera's script moves an object, the day shown.
  await page.getByTestId('motion-open').click();
  await page.getByTestId('motion-draw').click();
  await page.getByTestId('motion-overlay').waitFor();
  const script = sim.motionScript('mot', recs[0]!.start);
  await drawRegion(page, script.region);
  await page.getByTestId('motion-region').waitFor();
  assert.equal(await page.getByTestId('motion-region').count(), 1);
  await page.getByTestId('motion-start').click();
  await page.locator('[data-testid="motion-job"][data-state="done"]').waitFor({ timeout: 120_000 });
  const rows = page.getByTestId('motion-moment');
  const found = await rows.evaluateAll((els) =>
    els.map((e) => ({ startMs: Number(e.getAttribute('data-start')), endMs: Number(e.getAttribute('data-end')) })),
  );
  const truth = recs.flatMap((r) =>
    sim
      .motionScript('mot', r.start)
      .events.map((e) => ({ startMs: r.start + e.startS * 1000, endMs: r.start + e.endS * 1000 })),
  );
  const score = scoreMoments(truth, found);
  assert.ok(score.events_true >= 2 && score.recall >= 0.95 && score.precision >= 0.9, JSON.stringify(score));
  // Each with its picture, and each a mark on the timeline.
  assert.equal(await rows.locator('img').count(), found.length);
  assert.equal(await page.locator('[data-testid="timeline-mark-range"][data-id^="motion:"]').count(), found.length);

  // 3. One click plays a moment (inside the second recording) with its range selected.
  const pick = found.findIndex((m) => m.startMs >= recs[1]!.start);
  assert.ok(pick >= 0, 'a moment in the second recording');
  await rows.nth(pick).click();
  await page.waitForFunction(
    (s) => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')) >= s,
    found[pick]!.startMs,
  );
  assert.ok(Math.abs((await cursorOf(page)) - found[pick]!.startMs) < 1500);
  const band = page.getByTestId('timeline-range');
  assert.equal(Number(await band.getAttribute('data-start')), found[pick]!.startMs);
  assert.equal(Number(await band.getAttribute('data-end')), found[pick]!.endMs);
  await page.locator('.ant-drawer-close').click();

  // 4. Evidence of that range.
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-range').waitFor();
  await page.getByTestId('evidence-open').click();
  await page.getByTestId('evidence-dialog').waitFor();
  await page.getByTestId('evidence-case').fill('CASE-52 yard');
  await page.getByTestId('evidence-note').fill('Motion in the yard during the handover');
  await page.getByTestId('evidence-start').click();
  const job = page.locator('[data-testid="evidence-job"]').first();
  await page.locator('[data-testid="evidence-job"][data-state="done"]').waitFor({ timeout: 60_000 });
  const folder = (await job.getByTestId('evidence-folder').textContent())!.trim();
  const manifest = parseManifest(fs.readFileSync(path.join(folder, 'manifest.json')));
  const clip = manifest.files.find((f) => f.name.endsWith('.mp4'))!;
  assert.equal(new Date(clip.start).getTime(), found[pick]!.startMs);
  assert.equal(new Date(clip.end).getTime(), found[pick]!.endMs);

  // 5. The receiver's check passes; one byte of the clip changed, it fails naming the clip.
  let r = runVerifier([folder], true);
  assert.equal(r.code, 0, r.out);
  const file = path.join(folder, clip.name);
  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
  fs.writeFileSync(file, bytes);
  r = runVerifier([folder]);
  assert.equal(r.code, 1, r.out);
  assert.ok(r.out.includes(`MISMATCH ${clip.name}`), r.out);
});
