import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import type { MediaSimulator } from '../emulators/media/simulator';
import type { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { cursorOf, walkCursorTo } from '../helpers/playback';
import { clockOn, installClockReader } from '../helpers/media';
import { probeSeconds } from '../helpers/probe';
import { MemoryVault, tempDir } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';
import { zoomAtCursor } from './playback-page';

// Playback against the Tencent IVC emulator: cloud and device recordings on one timeline, real
// recorded video whose burned-in clock must match the timeline cursor.

let sim: MediaSimulator;
let ivc: IvcEmulator;
let browser: Browser;
let host: WebHost;
const exportDir = tempDir();

let stack: Stack;
before(async () => {
  stack = await startStack({
    media: {
      channels: [{ id: 'p1', name: 'Play 1' }],
      recordingsPerChannel: 3,
      recordingMinutes: 1,
      recordingEveryMinutes: 5,
    },
    ivc: { media: true },
    vcs: { warmupMs: 100, media: true },
    core: { vault: new MemoryVault(), exportDir },
  });
  ({ host, browser } = stack);
  ({ sim, ivc } = stack as Required<Stack>);
  // Encoded ahead, so a test's deadlines cover playback, not the simulator's encoder.
  for (const r of sim.recordings('p1')) await sim.prepareRecording('p1', r.start);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** The strip value on pane `index` (the wall clock burned into the recorded frame on screen). */
const clockOf = (page: Page, index = 0) => clockOn(page, `[data-testid="playback-pane-${index}"] video`);

/** Opens the playback page; `channels[i]` (a tree search text) goes to pane i; `clockAt` sets the page's clock. */
async function openPlayback(channels: string[], layout: 1 | 4 | 9 = 1, clockAt?: number): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1500, height: 850 }, locale: 'en-US' })).newPage();
  if (clockAt !== undefined) await page.clock.install({ time: clockAt });
  await installClockReader(page);
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Playback|录像回放/ }).click();
  await page.getByTestId('playback-page').waitFor();
  if (layout !== 1) {
    await pickOption(page, page.getByTestId('playback-layout'), new RegExp(`^${layout}$`));
  }
  for (const [i, name] of channels.entries()) {
    await page.getByTestId(`playback-pane-${i}`).click();
    await page.locator('[data-testid="device-tree"] input').first().fill(name);
    await page.locator('[data-testid="node-channel"]').first().dblclick();
  }
  return page;
}

/** Cursor to the start of the second recording, then `seconds` into it (+10 s steps). */
async function toSecondRecording(page: Page, seconds: number) {
  const recs = sim.recordings('p1');
  await page.getByTestId('playback-next').click();
  await page.waitForFunction(
    (start) => Number(document.querySelector('[data-testid="playback-cursor"]')!.getAttribute('data-ms')) === start,
    recs[1]!.start,
  );
  // Each step is waited for: a test that reads the cursor's place at once could aim at the old one
  // (CI once saw a range start 3 s into the recording, not 10).
  const cursor = '[data-testid="playback-cursor"]';
  for (let s = 0; s < seconds; s += 10) {
    const before = await page.evaluate((sel) => Number(document.querySelector(sel)!.getAttribute('data-ms')), cursor);
    await page.getByRole('button', { name: '+10s' }).click();
    await page.waitForFunction(
      ([sel, b]) => Number(document.querySelector(sel as string)!.getAttribute('data-ms')) >= (b as number) + 9_000,
      [cursor, before] as const,
      { polling: 50, timeout: 5000 },
    );
  }
  return recs;
}

test('a channel’s cloud and device recordings show on one timeline; seeking into the second recording shows that time', async () => {
  const page = await openPlayback(['大门']);
  await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
  assert.ok(
    (await page.locator('[data-testid="segment-device"]').count()) >= 1,
    'device-side recordings in the other colour',
  );
  const recs = await toSecondRecording(page, 20);
  // Opened while playback is paused, the pane shows the cursor's picture and stays on it (its video
  // used to run on while ▶, the cursor and the timeline stood still).
  const paneVideo = '[data-testid="playback-pane-0"] video';
  await page.waitForFunction(
    (sel) => (document.querySelector<HTMLVideoElement>(sel)?.readyState ?? 0) >= 2,
    paneVideo,
    {
      timeout: 45_000,
    },
  );
  await page.waitForTimeout(2000);
  assert.equal(await page.evaluate((sel) => document.querySelector<HTMLVideoElement>(sel)!.paused, paneVideo), true);
  const still = Math.abs((await clockOf(page)) - ((await cursorOf(page)) % 2 ** 24));
  assert.ok(still < 2000, `paused, the picture is the cursor's time (Δ ${still} ms)`);
  await page.getByTestId('playback-play').click();
  await page.locator('[data-testid="playback-pane-0"][data-status="playing"]').waitFor({ timeout: 45_000 });
  await page.waitForTimeout(1500);
  await page.getByTestId('playback-play').click(); // pause, then compare the picture with the cursor
  await page.waitForTimeout(400);
  const value = await clockOf(page);
  const cursor = await cursorOf(page);
  const diff = Math.abs(value - (cursor % 2 ** 24));
  // The cursor reads the same in every language and system locale: 24-hour, year first.
  assert.match(await page.getByTestId('playback-cursor').innerText(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.ok(cursor >= recs[1]!.start && cursor < recs[1]!.end, `cursor ${cursor} is in the second recording`);
  assert.ok(diff < 2000, `burned-in clock ${value} vs cursor ${cursor % 2 ** 24} (Δ ${diff} ms)`);
  // A snapshot is named after the channel and the recorded time, not the time it was taken.
  const shot = page.waitForEvent('download');
  await page.getByTestId('playback-snapshot').click();
  const d = new Date(cursor);
  const pad = (n: number) => String(n).padStart(2, '0');
  assert.equal(
    (await shot).suggestedFilename(),
    `大门球机_${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}_${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}.png`,
  );

  // Export 30 s from here: Tencent's own clip download, saved under a name with channel and time.
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-start').click();
  await page.locator('[data-testid="export-job"][data-state="done"]').waitFor({ timeout: 30_000 });
  const file = (await page.getByTestId('export-job').first().getByTestId('export-file').textContent())!.trim();
  assert.ok(file.startsWith(exportDir) && /大门球机_[^/]+_\d{8}_\d{6}-\d{6}\.mp4$/.test(file), file);
  const { duration, decoded } = probeSeconds(file);
  // The second recording is a minute long and the export starts 20 s in: 30 s fit.
  assert.ok(
    Math.abs((duration ?? 0) - 30) <= 2 && Math.abs(decoded - 30) <= 2,
    `duration ${duration} s, plays ${decoded} s`,
  );
  assert.ok(fs.statSync(file).size > 10_000);
});

test('SYNC: four panes follow one cursor; each shows the cursor’s time, a channel without recordings says so', async () => {
  // Three planned cameras record to the cloud; the unregistered one has no recordings at all.
  const page = await openPlayback(['大门球机', '大堂枪机', '电梯厅', '未注册摄像机'], 4);
  await page.locator('[data-testid="playback-pane-3"][data-status="gap"]').waitFor({ timeout: 20_000 });
  const recs = await toSecondRecording(page, 10);
  await page.getByTestId('playback-play').click();
  for (const i of [0, 1, 2])
    await page.locator(`[data-testid="playback-pane-${i}"][data-status="playing"]`).waitFor({ timeout: 45_000 });
  await page.waitForTimeout(2000);
  await page.getByTestId('playback-play').click();
  await page.waitForTimeout(500);
  const cursor = await cursorOf(page);
  assert.ok(
    cursor >= recs[1]!.start + 10_000 && cursor < recs[1]!.start + 30_000,
    `the cursor moved on from 10 s in (${cursor - recs[1]!.start} ms)`,
  );
  for (const i of [0, 1, 2]) {
    const diff = Math.abs((await clockOf(page, i)) - (cursor % 2 ** 24));
    assert.ok(diff < 2000, `pane ${i}: burned-in clock is ${diff} ms from the cursor`);
  }
  assert.match(await page.getByTestId('playback-pane-3').innerText(), /No recording|没有录像/);
  // A gap between recordings: every pane says so, and they rejoin when the next one starts.
  await page.getByRole('button', { name: '+1m' }).click();
  for (const i of [0, 1, 2])
    await page.locator(`[data-testid="playback-pane-${i}"][data-status="gap"]`).waitFor({ timeout: 10_000 });
  await page.getByTestId('playback-next').click();
  for (const i of [0, 1, 2])
    await page.locator(`[data-testid="playback-pane-${i}"]:not([data-status="gap"])`).waitFor({ timeout: 10_000 });
});

/** YYYY-MM-DD of the local day holding `ms` (the date picker's format). */
const ymd = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** The day in the date picker. */
const shownDay = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid="playback-day"]')!;
    return (el.matches('input') ? (el as HTMLInputElement) : el.querySelector('input')!).value;
  });

// The page's clock is set around the midnight after the simulator's recordings (which are at the
// real time of the run), so these hold at any hour: the day shown and the cursor agree, the day's
// recordings are on the timeline and the pane plays, where it said "Loading…" for good.
for (const [when, offsetMs] of [
  ['just after midnight', 5 * 60_000],
  ['just before midnight', -5 * 60_000],
] as const) {
  test(`opened ${when}: the day shown holds the cursor, its recordings are on the timeline and the pane plays`, async () => {
    const recs = sim.recordings('p1');
    const last = recs.at(-1)!;
    const day = new Date(last.start);
    const midnight = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime();
    const page = await openPlayback(['大门球机'], 1, midnight + offsetMs);
    assert.equal(
      await page.evaluate(() => new Date().getHours()),
      offsetMs > 0 ? 0 : 23,
      'the page runs on the set clock',
    );
    await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
    assert.equal(await shownDay(page), ymd(last.start), 'the day with the recordings is shown');
    const cursor = await cursorOf(page);
    assert.equal(ymd(cursor), ymd(last.start), `the cursor (${new Date(cursor).toString()}) is on the shown day`);
    assert.ok(
      recs.some((r) => r.start <= cursor && cursor < r.end),
      'the cursor opens on a recording',
    );
    await page.locator('[data-testid="playback-pane-0"][data-status="playing"]').waitFor({ timeout: 45_000 });
    // Playing on keeps day and cursor together.
    await page.getByTestId('playback-play').click();
    await page.waitForTimeout(1000);
    assert.equal(ymd(await cursorOf(page)), await shownDay(page));
  });
}

test('a platform answering 404 at first: the pane says why, tries again with backoff and plays', async () => {
  ivc.faults.notFoundFirst = 2; // each playback address answers 404 twice, then the recording
  try {
    const page = await openPlayback(['大门球机']);
    const pane = page.getByTestId('playback-pane-0');
    await page.locator('[data-testid="playback-pane-0"][data-status="retrying"]').waitFor({ timeout: 20_000 });
    assert.match(await pane.innerText(), /HTTP 404/);
    assert.match(await pane.innerText(), /1 s|1 秒/, 'the first retry comes after 1 s');
    await page.locator('[data-testid="playback-pane-0"][data-status="playing"]').waitFor({ timeout: 30_000 });
  } finally {
    ivc.faults.notFoundFirst = 0;
  }
});

test('a recording that keeps failing: after five tries the pane says why and offers Retry; a seek in the same recording tries again', async () => {
  ivc.faults.notFoundFirst = 1000;
  try {
    const page = await openPlayback(['大门球机']);
    const pane = page.getByTestId('playback-pane-0');
    await page.locator('[data-testid="playback-pane-0"][data-status="error"]').waitFor({ timeout: 45_000 });
    const text = await pane.innerText();
    assert.match(text, /5/);
    assert.match(text, /HTTP 404/);
    await page.getByTestId('playback-retry').waitFor();
    ivc.faults.notFoundFirst = 0;
    await page.getByRole('button', { name: '+10s' }).click();
    await page.locator('[data-testid="playback-pane-0"][data-status="playing"]').waitFor({ timeout: 30_000 });
  } finally {
    ivc.faults.notFoundFirst = 0;
  }
});

test('the timeline labels each row with its pane and camera, draws a 1-minute recording visibly in the whole-day view, and has zoom buttons', async () => {
  const page = await openPlayback(['大门球机']);
  const segment = page.locator('[data-testid="segment-cloud"]').first();
  await segment.waitFor({ timeout: 20_000 });
  assert.match(await page.getByTestId('track-label-0').innerText(), /^1 · 大门球机/);
  const dayWidth = (await segment.boundingBox())!.width;
  assert.ok(dayWidth >= 6, `a 1-minute recording is ${dayWidth} px wide in the whole day`);
  // Zoom in about the cursor with the buttons: the recording widens and the cursor stays in view.
  for (let i = 0; i < 6; i++) await page.getByTestId('timeline-zoom-in').click();
  const zoomed = (await segment.boundingBox())!.width;
  assert.ok(zoomed > dayWidth * 4, `zoomed in: ${zoomed} px (was ${dayWidth})`);
  const timeline = (await page.getByTestId('timeline').boundingBox())!;
  const cursor = (await page.getByTestId('timeline-cursor').boundingBox())!;
  assert.ok(cursor.x >= timeline.x && cursor.x <= timeline.x + timeline.width, 'the cursor is still in view');
  await page.getByTestId('timeline-zoom-out').click();
  assert.ok((await segment.boundingBox())!.width < zoomed);
  await page.getByTestId('timeline-zoom-day').click();
  assert.equal((await segment.boundingBox())!.width, dayWidth, 'back to the whole day');
});

test('the calendar marks the days with recordings; a day without any is not marked', async () => {
  const page = await openPlayback(['大门球机']);
  await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
  await page.getByTestId('playback-day').click();
  const fmt = (ms: number) => {
    const d = new Date(ms);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };
  const withRecordings = new Set(sim.recordings('p1').flatMap((r) => [fmt(r.start), fmt(r.end - 1)]));
  const today = fmt(Date.now());
  const month = today.slice(0, 8);
  for (const day of withRecordings)
    if (day.startsWith(month))
      await page
        .locator(`[data-testid="calendar-day"][data-day="${day}"][data-mark="yes"]`)
        .waitFor({ timeout: 30_000 });
  // Every other day of this month up to today was read and is not marked.
  const others = Array.from(
    { length: Number(today.slice(8)) },
    (_, i) => `${month}${String(i + 1).padStart(2, '0')}`,
  ).filter((d) => !withRecordings.has(d));
  for (const day of others)
    await page.locator(`[data-testid="calendar-day"][data-day="${day}"][data-mark="no"]`).waitFor({ timeout: 30_000 });
  assert.ok(withRecordings.size >= 1);
});

test('a range drag that ends off the timeline (over its zoom buttons) selects up to its edge; the buttons still zoom', async () => {
  const page = await openPlayback(['大门球机']);
  await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
  // The buttons used to sit over the timeline's right end and swallow its mouse events: from about
  // 21:30 the cursor of a whole-day view sits there, and a drag there or onto them was lost. They
  // now sit beside it; a drag holds the pointer wherever it goes and stops at the edge shown.
  const timeline = (await page.getByTestId('timeline').boundingBox())!;
  const button = (await page.getByTestId('timeline-zoom-in').boundingBox())!;
  assert.ok(button.x >= timeline.x + timeline.width, 'the buttons are beside the timeline, not over it');
  const y = timeline.y + 10;
  const from = timeline.x + timeline.width - 120;
  await page.keyboard.down('Shift');
  await page.mouse.move(from, y);
  await page.mouse.down();
  await page.mouse.move(from + 60, y, { steps: 3 });
  await page.mouse.move(button.x + button.width / 2, button.y + button.height / 2, { steps: 3 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const band = page.getByTestId('timeline-range');
  await band.waitFor({ timeout: 5000 });
  const start = Number(await band.getAttribute('data-start'));
  const end = Number(await band.getAttribute('data-end'));
  // 120 px of a whole day, to the timeline's right end: the range stops where the view does.
  const expected = (120 / timeline.width) * 24 * 3600_000;
  assert.ok(
    Math.abs(end - start - expected) < 5 * 60_000,
    `range ${(end - start) / 60_000} min, not ${expected / 60_000}`,
  );
  const before = await page.getByTestId('timeline').innerText();
  await page.getByTestId('timeline-zoom-in').click();
  await page.waitForFunction((b) => document.querySelector('[data-testid="timeline"]')!.textContent !== b, before);
});

test('dragging the cursor scrubs; Shift+drag selects a range and export writes exactly that range', async () => {
  const page = await openPlayback(['大门球机']);
  await page.locator('[data-testid="segment-cloud"]').first().waitFor({ timeout: 20_000 });
  const recs = await toSecondRecording(page, 10);
  // Zoom in around the cursor (wheel), to a few minutes across the timeline. The wheel keeps the
  // time under the pointer: aim at the cursor before each notch, since one pixel of the whole day
  // is 85 s, 270 px once zoomed (aimed once, the cursor left the view before about 06:15).
  const timeline = (await page.getByTestId('timeline').boundingBox())!;
  await zoomAtCursor(page, 25);
  // Late in the day the cursor sits near the right end, with no room for the drag: pan it to the
  // middle first (a plain drag away from the cursor line pans).
  const mid = timeline.x + timeline.width / 2;
  const zoomedAt = (await page.getByTestId('timeline-cursor').boundingBox())!.x;
  if (zoomedAt > mid) {
    await page.mouse.move(zoomedAt - 20, timeline.y + 10);
    await page.mouse.down();
    await page.mouse.move(mid - 20, timeline.y + 10, { steps: 5 });
    await page.mouse.up();
  }
  // Read once the view has settled (CI once saw a range start 2.2 s into the recording, not 10).
  let x = NaN;
  for (let i = 0; i < 20; i++) {
    const now = (await page.getByTestId('timeline-cursor').boundingBox())!.x + 1;
    if (now === x) break;
    x = now;
    await page.waitForTimeout(100);
  }
  assert.ok(x <= mid + 2, `the cursor is in the left half (${x - timeline.x} px of ${timeline.width})`);
  const atDrag = await cursorOf(page);
  assert.ok(
    Math.abs(atDrag - (recs[1]!.start + 10_000)) < 1000,
    `the cursor stayed 10 s into the recording (${atDrag - recs[1]!.start} ms in)`,
  );
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
  assert.ok(
    Math.abs(start - atDrag) < 3000,
    `the range starts at the cursor (${start - recs[1]!.start} ms in, the cursor ${atDrag - recs[1]!.start} ms in, its line at ${x - timeline.x} px)`,
  );
  assert.ok(end - start >= 5000 && end <= recs[1]!.end, `a range of ${end - start} ms inside the recording`);
  // Dragging the cursor line scrubs: the cursor follows the pointer (here a few minutes span the timeline).
  const line = (await page.getByTestId('timeline-cursor').boundingBox())!;
  const scrubFrom = await cursorOf(page);
  await page.mouse.move(line.x + 1, line.y + 10);
  await page.mouse.down();
  await page.mouse.move(line.x + 30, line.y + 10, { steps: 3 });
  await page.mouse.move(line.x + 60, line.y + 10, { steps: 3 });
  await page.mouse.up();
  const scrubbed = (await cursorOf(page)) - scrubFrom;
  assert.ok(scrubbed > 5000 && scrubbed < 60_000, `scrubbed ${scrubbed} ms for 60 px`);
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-range').waitFor();
  // Jobs live in main (the first test's export is listed too), newest first: wait for this one.
  const before = await page.getByTestId('export-job').count();
  await page.getByTestId('export-start').click();
  await page.waitForFunction(
    (n) => {
      const jobs = document.querySelectorAll('[data-testid="export-job"]');
      return jobs.length > n && jobs[0]!.getAttribute('data-state') === 'done';
    },
    before,
    { timeout: 30_000 },
  );
  const { decoded } = probeSeconds(
    (await page.getByTestId('export-job').first().getByTestId('export-file').textContent())!.trim(),
  );
  assert.ok(Math.abs(decoded - (end - start) / 1000) <= 2, `plays ${decoded} s for a ${(end - start) / 1000} s range`);
  // Esc closes the dialog (only: keys in a dialog are the dialog's); Esc again clears the selection.
  await page.keyboard.press('Escape');
  await page.getByTestId('export-range').waitFor({ state: 'hidden' });
  assert.ok(await band.isVisible(), 'closing the dialog keeps the selection');
  await page.keyboard.press('Escape');
  await band.waitFor({ state: 'detached' });
});

test('device-side playback at 2×: the device is told (E37 Scale), the picture keeps pace with the cursor, pause reaches it too', async () => {
  // Not in a cloud plan: this camera has device-side recordings only, played as FLV with a session.
  const page = await openPlayback(['收银台']);
  await page.locator('[data-testid="segment-device"]').first().waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid="segment-cloud"]').count(), 0);
  await toSecondRecording(page, 10);
  await pickOption(page, page.getByTestId('playback-speed'), /^2×$/);
  const logged = ivc.controlLog.length;
  await page.getByTestId('playback-play').click();
  await page.locator('[data-testid="playback-pane-0"][data-status="playing"]').waitFor({ timeout: 45_000 });
  // The SYNC clock holds while a pane rebuffers, so on a loaded machine 2× is not exactly 2×:
  // what must hold is that the recorded time outruns the wall clock while playing.
  const c0 = await cursorOf(page);
  const t0 = Date.now();
  while ((await cursorOf(page)) - c0 < 4000 && Date.now() - t0 < 12_000) await page.waitForTimeout(200);
  const ran = (await cursorOf(page)) - c0;
  const elapsed = Date.now() - t0;
  assert.ok(ran > elapsed * 1.15, `the cursor ran faster than real time at 2× (${ran} ms in ${elapsed} ms)`);
  await page.getByTestId('playback-play').click();
  await page.waitForTimeout(500);
  const cursor = await cursorOf(page);
  const diff = Math.abs((await clockOf(page)) - (cursor % 2 ** 24));
  assert.ok(diff < 2000, `burned-in clock is ${diff} ms from the cursor at 2×`);
  const bodies = ivc.controlLog.slice(logged).map((e) => e.body as { Action: string; Scale?: number; Session: string });
  assert.ok(
    bodies.some((b) => b.Action === 'play' && b.Scale === 2 && b.Session),
    JSON.stringify(bodies),
  );
  assert.ok(
    bodies.some((b) => b.Action === 'pause'),
    JSON.stringify(bodies),
  );
});

test('Alibaba VCS lists no recordings: a hatched track, and the pane plays the picked time (the platform dates its playlist)', async () => {
  const page = await openPlayback(['南门']);
  await page.getByTestId('track-unlisted').waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid^="segment-"]').count(), 0, 'no invented segments');
  // Walk the cursor into the second recording with the ±1 min / ±10 s buttons.
  await walkCursorTo(page, sim.recordings('p1')[1]!.start + 20_000);
  await page.getByTestId('playback-play').click();
  await page.locator('[data-testid="playback-pane-0"][data-status="playing"]').waitFor({ timeout: 45_000 });
  await page.waitForTimeout(1500);
  await page.getByTestId('playback-play').click();
  await page.waitForTimeout(500);
  const cursor = await cursorOf(page);
  const diff = Math.abs((await clockOf(page)) - (cursor % 2 ** 24));
  assert.ok(diff < 2000, `burned-in clock is ${diff} ms from the cursor`);
});
