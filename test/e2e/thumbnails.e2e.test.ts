import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import type { MediaSimulator } from '../emulators/media/simulator';
import { closePagesAfterEach } from '../helpers/browser';
import { MemoryVault } from '../helpers/core';
import { walkCursorTo } from '../helpers/playback';
import { startStack, type Stack } from '../helpers/stack';
import { openPlayback } from './playback-page';

// Timeline thumbnails in the browser host against the emulators: hovering a timeline row shows
// the recording's picture at that moment (Huawei IVM and Tencent IVC cloud and device recordings;
// Alibaba VCS, which lists none); at 10 minutes of zoom or closer a filmstrip runs under the
// timeline. Huawei VIS has no recordings.

let sim: MediaSimulator;
let browser: Browser;
let host: WebHost;
let stack: Stack;

before(async () => {
  stack = await startStack({
    media: {
      channels: [{ id: 'p1', name: 'Play 1' }],
      recordingsPerChannel: 2,
      recordingMinutes: 1,
      recordingEveryMinutes: 5,
    },
    ivm: { media: true },
    ivc: { media: true },
    vcs: { warmupMs: 100, media: true },
    core: { vault: new MemoryVault() },
  });
  ({ host, browser } = stack);
  ({ sim } = stack as Required<Stack>);
  for (const r of sim.recordings('p1')) await sim.prepareRecording('p1', r.start);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** Rests the pointer on `segment`'s middle (on its own half of the row) and waits for the picture. */
async function hoverPicture(page: Page, x: number, y: number): Promise<void> {
  await page.mouse.move(x - 3, y);
  await page.mouse.move(x, y);
  const hover = page.getByTestId('thumb-hover');
  await hover.waitFor({ timeout: 10_000 });
  await page
    .locator('[data-testid="thumb-hover"]:not([data-state="loading"])')
    .waitFor({ timeout: 30_000 })
    .catch(() => undefined);
  const state = await hover.getAttribute('data-state');
  assert.equal(state, 'ok', `the picture (${state}: ${await hover.innerText()})`);
  const size = await page
    .getByTestId('thumb-hover')
    .getByTestId('thumb-image')
    .evaluate((img: HTMLImageElement) => (img.complete ? [img.naturalWidth, img.naturalHeight] : [0, 0]));
  assert.ok(size[0]! >= 160 && size[1]! >= 80, `a decoded picture (${size.join('×')})`);
}

test('Tencent IVC: hovering a cloud and a device recording shows their pictures; the filmstrip shows at ≤ 10 minutes', async () => {
  const page = await openPlayback(browser, host.url, '大门');
  for (const kind of ['cloud', 'device'] as const) {
    const seg = page.locator(`[data-testid="segment-${kind}"]`).first();
    await seg.waitFor({ timeout: 20_000 });
    const box = (await seg.boundingBox())!;
    await hoverPicture(page, box.x + box.width / 2, box.y + box.height / 2);
  }
  // Off the recordings: no picture asked, and it says so.
  const timeline = (await page.getByTestId('timeline').boundingBox())!;
  const taken = await page
    .locator('[data-testid^="segment-"]')
    .evaluateAll((els) => els.map((e) => [e.getBoundingClientRect().left, e.getBoundingClientRect().right]));
  const free = Array.from({ length: Math.floor(timeline.width) - 20 }, (_, i) => timeline.x + 10 + i).find((x) =>
    taken.every(([l, r]) => x < l! - 12 || x > r! + 12),
  );
  assert.ok(free !== undefined, 'a gap between recordings');
  await page.mouse.move(free, timeline.y + 20 + 5);
  await page.locator('[data-testid="thumb-hover"][data-state="none"]').waitFor({ timeout: 5000 });
  assert.match(await page.getByTestId('thumb-hover').innerText(), /No recording here/);
  await page.mouse.move(timeline.x + timeline.width / 2, timeline.y - 40);
  await page.getByTestId('thumb-hover').waitFor({ state: 'detached', timeout: 5000 });

  // Into the first recording, then zoom in about the cursor until the view is 10 minutes or less.
  assert.equal(await page.getByTestId('timeline-filmstrip').count(), 0, 'no filmstrip at a whole day');
  const first = sim.recordings('p1')[0]!;
  await walkCursorTo(page, first.start + 30_000);
  for (let i = 0; i < 8; i++) await page.getByTestId('timeline-zoom-in').click();
  const strip = page.getByTestId('timeline-filmstrip');
  await strip.waitFor({ timeout: 10_000 });
  await page.locator('[data-testid="filmstrip-slot"][data-state="ok"]').first().waitFor({ timeout: 45_000 });
  const slots = await page
    .locator('[data-testid="filmstrip-slot"]')
    .evaluateAll((els) =>
      els.map((e) => ({ at: Number(e.getAttribute('data-at')), state: e.getAttribute('data-state') })),
    );
  assert.ok(slots.length >= 5, `pictures across the view (${slots.length})`);
  const inRecording = slots.filter((s) => s.at >= first.start && s.at < first.end);
  assert.ok(
    inRecording.some((s) => s.state === 'ok'),
    JSON.stringify(slots),
  );
  assert.ok(
    slots.filter((s) => s.at < first.start - 60_000 || s.at > first.end + 60_000).every((s) => s.state !== 'ok'),
    'no picture where nothing was recorded',
  );
  // Zoomed out past 10 minutes: it goes.
  await page.getByTestId('timeline-zoom-out').click();
  await page.getByTestId('timeline-zoom-out').click();
  await strip.waitFor({ state: 'detached', timeout: 5000 });
});

test('Alibaba VCS (lists no recordings): hovering the hatched row at a recorded moment shows its picture', async () => {
  const page = await openPlayback(browser, host.url, '南门', 'unlisted');
  const rec = sim.recordings('p1')[1]!;
  await walkCursorTo(page, rec.start + 20_000);
  const cursor = (await page.getByTestId('timeline-cursor').boundingBox())!;
  const row = (await page.getByTestId('track-unlisted').boundingBox())!;
  await hoverPicture(page, cursor.x + 1, row.y + row.height / 2);
});

test('Huawei IVM: hovering a cloud and a device recording shows their pictures', async () => {
  const page = await openPlayback(browser, host.url, '大厅');
  for (const kind of ['cloud', 'device'] as const) {
    const seg = page.locator(`[data-testid="segment-${kind}"]`).first();
    await seg.waitFor({ timeout: 20_000 });
    const box = (await seg.boundingBox())!;
    await hoverPicture(page, box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y - 60); // off the timeline: the picture goes
    await page.getByTestId('thumb-hover').waitFor({ state: 'detached', timeout: 5000 });
  }
});
