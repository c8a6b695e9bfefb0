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
import { cursorOf, walkCursorTo } from '../helpers/playback';
import { startStack, type Stack } from '../helpers/stack';
import { openPlayback } from './playback-page';

// A supervisor's journey in the browser host against the media simulator's motion camera, on
// Tencent IVC and on Alibaba VCS (which lists no recordings, §4.2: the operator walks the cursor
// along its hatched track, and main finds the recordings by the dates of the range's playlist):
// bookmark a moment in playback → draw a region on the pane and run a motion search (moments
// stream in with thumbnails, match the camera's ground truth, and mark the timeline) → one click
// plays a moment with its range selected → evidence export of that range → `verify-evidence`
// accepts the folder, and refuses it once a clip is tampered with.

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
    vcs: { warmupMs: 100, media: true },
    core: { vault: new MemoryVault(), exportDir },
  });
  ({ host, browser } = stack);
  ({ sim } = stack as Required<Stack>);
  for (const r of sim.recordings('mot')) await sim.prepareRecording('mot', r.start);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

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

const PLATFORMS = [
  { name: 'Tencent IVC', camera: '大门球机', listed: true },
  { name: 'Alibaba VCS (lists no recordings)', camera: '南门', listed: false },
] as const;

for (const platform of PLATFORMS)
  test(`${platform.name}: bookmark → motion search → a moment opened → evidence export that verify-evidence accepts, and refuses once tampered with`, async () => {
    await journey(platform);
  });

async function journey(platform: (typeof PLATFORMS)[number]): Promise<void> {
  const recs = sim.recordings('mot');
  const page = await openPlayback(browser, host.url, platform.camera, platform.listed ? 'cloud' : 'unlisted');

  // 1. A bookmark at the start of the second recording: jumped to where the platform lists
  // recordings, walked to on the hatched track where it lists none.
  if (platform.listed) {
    await page.getByTestId('playback-next').click();
    await page.waitForFunction(
      (s) => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')) === s,
      recs[1]!.start,
    );
  } else await walkCursorTo(page, recs[1]!.start + 5_000);
  await page.keyboard.press('b');
  await page.getByTestId('bookmark-dialog').waitFor();
  await page.getByPlaceholder('What happened').fill('Shift handover at the yard');
  await page.getByTestId('bookmark-save').click();
  await page.getByTestId('bookmark-dialog').waitFor({ state: 'detached' });
  await page.locator('[data-testid="timeline-mark-moment"]').first().waitFor();

  // 2. Motion search: a region drawn where the camera's script moves an object, the day shown.
  await page.getByTestId('motion-open').click();
  // The panel covers the device tree, not the timeline beside it (measured once it has slid in).
  let panel = { x: NaN, width: 0 };
  for (let i = 0; i < 30; i++) {
    const now = (await page.locator('.ant-drawer-content-wrapper').boundingBox())!;
    if (now.x === panel.x) break;
    panel = now;
    await page.waitForTimeout(100);
  }
  const timeline = (await page.getByTestId('timeline').boundingBox())!;
  assert.ok(
    panel.x + panel.width <= timeline.x + 1,
    `the panel ends at ${panel.x + panel.width}, the timeline starts at ${timeline.x}`,
  );
  await page.getByTestId('motion-draw').click();
  await page.getByTestId('motion-overlay').waitFor();
  const script = sim.motionScript('mot', recs[0]!.start);
  await drawRegion(page, script.region);
  await page.getByTestId('motion-region').waitFor();
  assert.equal(await page.getByTestId('motion-region').count(), 1);
  // The panel shows the newest search main has until this one is started: wait for this one's end.
  const previous = await page
    .getByTestId('motion-job')
    .getAttribute('data-id', { timeout: 1000 })
    .catch(() => null);
  await page.getByTestId('motion-start').click();
  await page
    .locator(`[data-testid="motion-job"][data-state="done"]${previous ? `:not([data-id="${previous}"])` : ''}`)
    .waitFor({ timeout: 120_000 });
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
  // Each platform's case by its own name: the dialog lists the jobs of earlier journeys too.
  const caseName = `CASE-52 yard ${platform.listed ? 'IVC' : 'VCS'}`;
  await page.getByTestId('evidence-case').fill(caseName);
  await page.getByTestId('evidence-note').fill('Motion in the yard during the handover');
  await page.getByTestId('evidence-start').click();
  const job = page.locator('[data-testid="evidence-job"][data-state="done"]', { hasText: caseName });
  await job.waitFor({ timeout: 60_000 });
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
}
