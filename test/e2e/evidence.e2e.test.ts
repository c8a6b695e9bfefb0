import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { fingerprint } from '../../main/evidence/signing';
import { parseManifest } from '../../main/evidence/manifest';
import type { MediaSimulator } from '../emulators/media/simulator';
import { closePagesAfterEach } from '../helpers/browser';
import { MemoryVault, tempDir } from '../helpers/core';
import { runVerifier } from '../helpers/evidence';
import { cursorOf } from '../helpers/playback';
import { probeSeconds } from '../helpers/probe';
import { startStack, type Stack } from '../helpers/stack';
import { openPlayback, zoomAtCursor } from './playback-page';

// A supervisor's evidence export in the browser host: a range selected on a playback timeline
// (Tencent IVC emulator, real recorded video) → Export evidence → a signed folder that
// verify-evidence and the folder's own verify.html accept, and reject once a clip is tampered
// with; Settings shows the same key fingerprint the folder holds.

let sim: MediaSimulator;
let browser: Browser;
let host: WebHost;
let stack: Stack;
const exportDir = tempDir();

before(async () => {
  stack = await startStack({
    media: {
      channels: [{ id: 'p1', name: 'Play 1' }],
      recordingsPerChannel: 3,
      recordingMinutes: 1,
      recordingEveryMinutes: 5,
    },
    ivc: { media: true },
    core: { vault: new MemoryVault(), exportDir },
  });
  ({ host, browser } = stack);
  ({ sim } = stack as Required<Stack>);
  for (const r of sim.recordings('p1')) await sim.prepareRecording('p1', r.start);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** The cursor 10 s into the second recording, the timeline zoomed to minutes, then Shift+drag 80 px: the range. */
async function selectRange(page: Page): Promise<{ start: number; end: number }> {
  const recs = sim.recordings('p1');
  await page.getByTestId('playback-next').click();
  await page.waitForFunction(
    (s) => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')) === s,
    recs[1]!.start,
  );
  await page.getByRole('button', { name: '+10s' }).click();
  await page.waitForFunction(
    (s) => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')) >= s + 9_000,
    recs[1]!.start,
  );
  const timeline = (await page.getByTestId('timeline').boundingBox())!;
  await zoomAtCursor(page, 25);
  const mid = timeline.x + timeline.width / 2;
  const zoomedAt = (await page.getByTestId('timeline-cursor').boundingBox())!.x;
  if (zoomedAt > mid) {
    await page.mouse.move(zoomedAt - 20, timeline.y + 10);
    await page.mouse.down();
    await page.mouse.move(mid - 20, timeline.y + 10, { steps: 5 });
    await page.mouse.up();
  }
  let x = NaN;
  for (let i = 0; i < 20; i++) {
    const now = (await page.getByTestId('timeline-cursor').boundingBox())!.x + 1;
    if (now === x) break;
    x = now;
    await page.waitForTimeout(100);
  }
  const atDrag = await cursorOf(page);
  await page.keyboard.down('Shift');
  await page.mouse.move(x, timeline.y + 10);
  await page.mouse.down();
  await page.mouse.move(x + 40, timeline.y + 10, { steps: 4 });
  await page.mouse.move(x + 80, timeline.y + 10, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const band = page.getByTestId('timeline-range');
  const start = Number(await band.getAttribute('data-start'));
  const end = Number(await band.getAttribute('data-end'));
  assert.ok(Math.abs(start - atDrag) < 3000, `the range starts at the cursor (${start - atDrag} ms off)`);
  assert.ok(end - start >= 5000 && end <= recs[1]!.end, `a range of ${end - start} ms inside the recording`);
  return { start, end };
}

/** verify.html opened from the folder (file://, no network), given the folder's files; its verdict and rows. */
async function verifyInPage(
  folder: string,
  stream = false,
): Promise<{ ok: string | null; signature: string | null; rows: Record<string, string>; fp: string }> {
  const page = await (await browser.newContext({ offline: true })).newPage();
  // #stream: every file through the page's incremental SHA-256, the path of files over 64 MB.
  await page.goto(`${pathToFileURL(path.join(folder, 'verify.html')).href}${stream ? '#stream' : ''}`);
  await page.locator('#pick').setInputFiles(fs.readdirSync(folder).map((f) => path.join(folder, f)));
  await page.waitForFunction(() => document.getElementById('verdict')!.hasAttribute('data-ok'), undefined, {
    timeout: 20_000,
  });
  const rows = Object.fromEntries(
    await page
      .locator('#files tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-name'), tr.getAttribute('data-status')])),
  ) as Record<string, string>;
  const out = {
    ok: await page.locator('#verdict').getAttribute('data-ok'),
    signature: await page.locator('#signature').getAttribute('data-valid'),
    rows,
    fp: (await page.locator('#fingerprint').getAttribute('data-hex')) ?? '',
  };
  await page.context().close();
  return out;
}

test('evidence from a timeline selection: a signed folder that verify-evidence and verify.html accept, and reject once tampered with', async () => {
  const page = await openPlayback(browser, host.url, '大门球机', 'cloud');
  const { start, end } = await selectRange(page);

  await page.getByTestId('export-open').click();
  await page.getByTestId('export-range').waitFor();
  await page.getByTestId('evidence-open').click();
  await page.getByTestId('evidence-dialog').waitFor();
  assert.equal(await page.getByTestId('evidence-item').count(), 1);
  // No case, no export.
  assert.equal(await page.getByTestId('evidence-start').isDisabled(), true);
  await page.getByTestId('evidence-case').fill('CASE-7 东门');
  await page.getByTestId('evidence-note').fill('Gate incident, night shift');
  await page.getByTestId('evidence-item').first().locator('input').fill('Person climbs the gate');
  await page.getByTestId('evidence-zip').click();
  await page.getByTestId('evidence-snapshots').click();
  await page
    .getByTestId('evidence-key')
    .getByText(/fingerprint/)
    .waitFor();
  await page.getByTestId('evidence-start').click();
  const job = page.locator('[data-testid="evidence-job"]').first();
  await page.locator('[data-testid="evidence-job"][data-state="done"]').waitFor({ timeout: 60_000 });
  const folder = (await job.getByTestId('evidence-folder').textContent())!.trim();
  assert.ok(folder.startsWith(path.join(exportDir, 'evidence', 'CASE-7 东门_')), folder);
  assert.ok(fs.existsSync(`${folder}.zip`), 'the zip beside the folder');

  const manifest = parseManifest(fs.readFileSync(path.join(folder, 'manifest.json')));
  assert.equal(manifest.case, 'CASE-7 东门');
  assert.equal(manifest.note, 'Gate incident, night shift');
  const clip = manifest.files.find((f) => f.name.endsWith('.mp4'))!;
  assert.match(clip.name, /^大门球机_[^/]+_\d{8}_\d{6}-\d{6}\.mp4$/);
  assert.equal(new Date(clip.start).getTime(), start);
  assert.equal(new Date(clip.end).getTime(), end);
  assert.equal(clip.camera.platform, 'tencent-ivc');
  const { decoded } = probeSeconds(path.join(folder, clip.name));
  assert.ok(Math.abs(decoded - (end - start) / 1000) <= 2, `plays ${decoded} s for a ${(end - start) / 1000} s range`);
  assert.ok(manifest.files.some((f) => f.name.endsWith('.note.txt')));
  assert.ok(
    manifest.files.some((f) => f.name.endsWith('.snapshot.jpg') && f.start === clip.start && f.end === f.start),
  );

  let r = runVerifier([folder], true);
  assert.equal(r.code, 0, r.out);
  let inPage = await verifyInPage(folder);
  assert.equal(inPage.ok, 'true', JSON.stringify(inPage));
  assert.ok(
    Object.values(inPage.rows).every((s) => s === 'OK') && Object.keys(inPage.rows).length === manifest.files.length,
  );
  const folderKey = fingerprint(fs.readFileSync(path.join(folder, 'public-key.pem'), 'utf8'));
  assert.equal(inPage.fp, folderKey);

  // Settings shows the same fingerprint (grouped by four) and exports that public key.
  // Both dialogs closed (the evidence dialog on top of the export dialog), each waited for.
  const shownDialogs = () =>
    page.evaluate(
      () =>
        [...document.querySelectorAll<HTMLElement>('.ant-modal-wrap')].filter((w) => w.style.display !== 'none').length,
    );
  for (let open = await shownDialogs(); open > 0; open--) {
    await page.locator('.ant-modal-close:visible').last().click();
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll<HTMLElement>('.ant-modal-wrap')].filter((w) => w.style.display !== 'none')
          .length < n,
      open,
    );
  }
  await page.getByRole('menuitem', { name: /Settings|设置/ }).click();
  const shown = (await page.getByTestId('settings-evidence-fingerprint').textContent())!.replace(/\s/g, '');
  assert.equal(shown, folderKey);
  const download = page.waitForEvent('download');
  await page.getByTestId('settings-evidence-export-key').click();
  const saved = await (await download).path();
  assert.equal(fs.readFileSync(saved!, 'utf8'), fs.readFileSync(path.join(folder, 'public-key.pem'), 'utf8'));

  // One byte of the clip changed: both verifiers name it.
  const file = path.join(folder, clip.name);
  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
  fs.writeFileSync(file, bytes);
  r = runVerifier([folder]);
  assert.equal(r.code, 1, r.out);
  assert.ok(r.out.includes(`MISMATCH ${clip.name}`), r.out);
  inPage = await verifyInPage(folder, true);
  assert.equal(inPage.ok, 'false');
  assert.equal(inPage.signature, 'true');
  assert.deepEqual(
    Object.entries(inPage.rows).filter(([, status]) => status !== 'OK'),
    [[clip.name, 'MISMATCH']],
    'only the changed clip, by the streamed hash too',
  );
  assert.equal(inPage.rows[clip.name], 'MISMATCH');

  // One character of the manifest changed: the signature fails, in both.
  const m = path.join(folder, 'manifest.json');
  fs.writeFileSync(m, fs.readFileSync(m, 'utf8').replace('night shift', 'night shifT'));
  r = runVerifier([folder]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /manifest signature invalid/);
  inPage = await verifyInPage(folder);
  assert.equal(inPage.signature, 'false');
  assert.equal(inPage.ok, 'false');
});
