import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { clickMenuItem, closePagesAfterEach, pickOption } from '../helpers/browser';
import { MemoryVault } from '../helpers/core';
import {
  clockInPng,
  clockOn,
  installClockReader,
  paneFrames,
  playUrls,
  setPageHidden,
  settledPaneStates,
  waitAllDecoding,
} from '../helpers/media';
import { startStack, type Stack } from '../helpers/stack';
import { LONG_GOP_MS } from '../../renderer/media/budget/decode-budget';

// The decode budget on a big wall (issue 26), against the Tencent IVC emulator with real video in
// Chromium: past 25 panes the low-priority ones show key frames only, a selected one decodes every
// frame within a GOP, a hidden window decodes nothing and comes back at live, and a pane switching
// between sub and main stream keeps a picture throughout.

let stack: Stack;

before(async () => {
  // 40 extra cameras (8 of them offline): more online channels than a 36-pane wall.
  stack = await startStack({
    media: {
      channels: Array.from({ length: 6 }, (_, i) => ({ id: `b${i + 1}`, name: `Big ${i + 1}` })),
      sharedSubEncoder: true,
    },
    ivc: { media: true, scale: 40 },
    // developer mode: the stream test page, to play typed HLS addresses beside FLV ones
    core: { vault: new MemoryVault(), relayLoopbackUrls: true },
  });
});

closePagesAfterEach(() => stack?.browser);
after(() => stack?.stop());

/**
 * A page whose renderer believes it runs on 2 logical processors (review R2): the budget's start
 * counts scale with them, and on a bigger CI runner every pane would start at full rate and the
 * behaviour these tests check would not be exercised.
 */
async function twoCorePage(): Promise<Page> {
  const page = await (await stack.browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => 2 }));
  await installClockReader(page);
  return page;
}

/** How long a hidden window keeps its live streams, typed in Settings as an operator would (null: emptied, the default). */
async function setHiddenHold(seconds: number | null): Promise<void> {
  const page = await (await stack.browser.newContext()).newPage();
  await page.goto(stack.host.url);
  await clickMenuItem(page, /Settings|设置/);
  const field = page.getByTestId('settings-hidden-hold');
  await field.fill(seconds === null ? '' : String(seconds));
  await field.blur();
  for (let i = 0; i < 50 && (stack.core.settings.get().preferences.hiddenHoldS ?? null) !== seconds; i++)
    await page.waitForTimeout(100);
  assert.equal(stack.core.settings.get().preferences.hiddenHoldS ?? null, seconds);
  await page.context().close();
}

async function openWall(layout: RegExp, panes: number): Promise<Page> {
  const page = await twoCorePage();
  await page.goto(stack.host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.locator('[data-testid="node-account"]').first().waitFor();
  await pickOption(page, page.getByTestId('wall-layout'), layout);
  await page.getByTestId(`wall-pane-${panes - 1}`).waitFor();
  await page.getByTestId('wall-pane-0').click();
  await page.locator('[data-testid="node-account"]').first().dblclick(); // fills the panes with online channels
  await page.mouse.move(5, 5); // a pane under the pointer decodes every frame
  return page;
}

const rates = (page: Page, n: number) =>
  page.evaluate(
    (count) =>
      Array.from(
        { length: count },
        (_, i) => document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-rate') ?? 'missing',
      ),
    n,
  );

/** Each pane's GOP as its FLV filter timed it (ms; 0 while unknown). */
const gopsOf = (page: Page, n: number) =>
  page.evaluate(
    (count) =>
      Array.from({ length: count }, (_, i) =>
        Number(document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-gop-ms') ?? 0),
      ),
    n,
  );

/** Glass-to-glass of the picture pane `i` shows, from the simulator's clock strip (ms). */
async function age(page: Page, i: number): Promise<number> {
  const now = await page.evaluate(() => Date.now());
  const shown = await clockOn(page, `[data-testid="pane-${i}"] video`);
  return (((now - shown) % 2 ** 24) + 2 ** 24) % 2 ** 24;
}

/**
 * The age of key-frame pane `i`'s picture: the median of five reads half a second apart (one read may
 * fall just before a picture is due, or on a moment the cameras' encoders on this loaded machine fell
 * behind: full-rate pane `full`, read beside it, says how old the stream itself is).
 */
async function keyPaneAge(page: Page, i: number, full: number): Promise<{ lag: number; ageText: string }> {
  const ages: { key: number; full: number }[] = [];
  for (let k = 0; k < 5; k++) {
    ages.push({ key: await age(page, i), full: await age(page, full) });
    await page.waitForTimeout(500);
  }
  const lag = ages.map((a) => a.key).sort((a, b) => a - b)[2]!;
  // What was read: the picture (its size) or, too small to read there, the hidden video (its size).
  const what = await page.evaluate((n) => {
    const pane = document.querySelector(`[data-testid="pane-${n}"]`)!;
    const c = pane.querySelector<HTMLCanvasElement>('[data-testid="pane-key-picture"]')!;
    const v = pane.querySelector('video')!;
    return `picture ${c.width}×${c.height} (${c.dataset.source}, ${c.dataset.pictures} shown), video ${v.videoWidth}×${v.videoHeight}`;
  }, i);
  return { lag, ageText: `${ages.map((a) => `${a.key} (full-rate pane ${a.full})`).join(', ')}; ${what}` };
}

/** Waits (5 s at most) until pane `i` says it is in `state` (its data-state). */
function waitPaneState(page: Page, i: number, state: string): Promise<unknown> {
  return page.waitForFunction(
    ([n, s]) => document.querySelector(`[data-testid="pane-${n}"]`)?.getAttribute('data-state') === s,
    [i, state] as const,
    { timeout: 5000 },
  );
}

/** Frames pane `i` decodes in `ms`: its video's, and the key-frame pictures a worker decoded for it (key-frame-decoder.ts). */
async function framesIn(page: Page, i: number, ms: number): Promise<number> {
  const count = async () => (await paneFrames(page, i + 1))[i]!;
  const a = await count();
  await page.waitForTimeout(ms);
  return (await count()) - a;
}

/** What made pane `i`'s key-frame pictures ('decoder': a worker, from the key frames; 'video': its video) and how many were shown. */
function keyPictures(page: Page, i: number): Promise<{ source: string; pictures: number }> {
  return page.evaluate((n) => {
    const c = document.querySelector<HTMLCanvasElement>(`[data-testid="pane-${n}"] [data-testid="pane-key-picture"]`);
    return { source: c?.dataset.source ?? '', pictures: Number(c?.dataset.pictures ?? 0) };
  }, i);
}

/** What pane `i` shows: its video, or (key frames only) the picture drawn from it (key-picture.ts). */
function shownBy(page: Page, i: number): Promise<'video' | 'picture' | 'both' | 'neither'> {
  return page.evaluate((n) => {
    const pane = document.querySelector(`[data-testid="pane-${n}"]`)!;
    const video = getComputedStyle(pane.querySelector('video')!).visibility !== 'hidden';
    const canvas = pane.querySelector<HTMLCanvasElement>('[data-testid="pane-key-picture"]')!;
    const picture = getComputedStyle(canvas).display !== 'none' && canvas.width > 1; // a picture, not a 1×1 stand-in
    return video && picture ? 'both' : video ? 'video' : picture ? 'picture' : 'neither';
  }, i);
}

/**
 * Waits until pane `i` shows `what`. A picture is shown once made: from the video, within half a
 * second; decoded by the worker, with the next key frame after the cut (an HLS pane's next segment
 * comes 1 s + 0.25–0.65 s later) and the decoder's first decode (2.5 s in all, seen on this machine).
 */
async function waitShownBy(page: Page, i: number, what: 'video' | 'picture'): Promise<void> {
  let now = await shownBy(page, i);
  for (const until = Date.now() + 5000; now !== what && Date.now() < until; now = await shownBy(page, i))
    await page.waitForTimeout(100);
  assert.equal(now, what, `pane ${i} shows its ${what}`);
}

test('a 36-pane wall: low-priority panes show key frames only; a selected pane goes to full rate at its next key frame (within 3 s on a loaded machine), and back', async (t) => {
  const page = await openWall(/^36$/, 36);
  const all = Array.from({ length: 36 }, (_, i) => i);
  await waitAllDecoding(page, all, 60_000, 2);
  assert.deepEqual(
    await settledPaneStates(page, 36),
    all.map(() => 'playing'),
  );
  // On 2 cores a 36-pane wall starts with 9 panes at full rate, the first ones (pane 0 is selected);
  // on a busy machine the budget may have taken some away since, on a quiet one each quiet spell
  // adds one: the budget's allowance now is on the document (a pane's data-rate changes at its
  // next key frame, so the count of full-rate panes reaches the allowance a moment later).
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid^="pane-"][data-rate="full"]').length <=
      Math.max(1, Number(document.documentElement.dataset.fullRateAllowance)),
    undefined,
    { timeout: 10_000 },
  );
  const before = await rates(page, 36);
  const fullBefore = before.filter((r) => r === 'full').length;
  assert.ok(fullBefore >= 1 && fullBefore < 36, before.join(' '));
  // Full-rate places go in wall order, except to cameras whose key frames come over 2 s apart, which
  // take them first (the simulator's GOP is 1 s; an encoder falling behind on a loaded machine is slower).
  // The budget reads each pane's GOP as it is, the page's attribute once a second: panes near the
  // line are left out of the order check.
  const gops = await gopsOf(page, 36);
  const short = before.filter((_, i) => gops[i]! <= 0.75 * LONG_GOP_MS);
  const fullShort = short.filter((r) => r === 'full').length;
  assert.deepEqual(
    short.slice(0, fullShort),
    Array(fullShort).fill('full'),
    `wall order: ${before.join(' ')}; GOPs ${gops.join(' ')}`,
  );
  assert.equal(await page.getByTestId('pane-35').getByTestId('pane-reduced').count(), 1, 'a badge says so');
  await page.waitForTimeout(2000); // past the burst a connection starts with (the server's GOP cache, decoded in full)
  const cutInPage = () => page.getByTestId('pane-35').getAttribute('data-cut-in-page').then(Number);
  const cutBefore = await cutInPage();
  const reduced = await framesIn(page, 35, 3000);
  const cutDuring = (await cutInPage()) - cutBefore;
  // Timings on a loaded 2-core CI machine vary: the bench measures them; here only the behaviour (far fewer
  // frames than 75 at full rate, yet alive) is asserted.
  assert.ok(reduced >= 1 && reduced <= 15, `key frames only: ${reduced} frames in 3 s`);
  // A key-frame pane shows a picture drawn from its hidden video, with the others' (one compositor
  // redraw for all, key-picture.ts); what it shows is what the age below reads.
  await waitShownBy(page, 35, 'picture');
  // Chromium has WebCodecs: the pictures are decoded from the key frames in a worker, not made on the page's main thread.
  assert.equal((await keyPictures(page, 35)).source, 'decoder');
  // …and its hidden video is given none of them (flv-rate.ts): it decodes nothing.
  const videoFrames = () =>
    page.$eval(
      '[data-testid="pane-35"] video',
      (v) => (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames,
    );
  const videoBefore = await videoFrames();
  await page.waitForTimeout(3000);
  const videoDecoded = (await videoFrames()) - videoBefore;
  assert.ok(videoDecoded <= 2, `its video decoded ${videoDecoded} frames in 3 s`);
  // Nothing a low-priority pane was meant to decode is dropped, and its picture stays current.
  const { lag, ageText } = await keyPaneAge(page, 35, 0);
  assert.ok(lag < 4000, `the key-frame pane shows a picture ${lag} ms old (median of ${ageText})`);
  // Main's relay cut that pane's stream: over those 3 s the page's own filter, which would otherwise
  // throw away 23 frames a second, found nothing left to throw. (What the connection's first burst,
  // the server's GOP cache, brought before main heard of the rate the page threw away itself.)
  assert.ok(cutDuring < 12, `the page threw away ${cutDuring} frames in 3 s of a key-frame pane that main should cut`);
  // Each pane timed its camera's GOP (1 s) from when key frames arrived, full-rate and key-frame ones alike.
  const timed = (await gopsOf(page, 36)).filter((g) => g > 0).sort((a, b) => a - b);
  const median = timed[timed.length >> 1] ?? 0;
  assert.ok(timed.length >= 18 && median >= 700 && median <= 1500, `GOPs timed: ${timed.join(' ')}`);

  // A snapshot of it: its menu brings it to full rate (the operator is at it), and the snapshot
  // waits for its video to show what comes now — not the frame the video held while the worker
  // made the pane's pictures (as old as the reduction, 15 s and more here) — at the video's size,
  // not the pane-sized picture's.
  const download = page.waitForEvent('download');
  await page.getByTestId('wall-pane-35').click({ button: 'right' });
  await clickMenuItem(page, /^(Snapshot|抓图)/);
  const png = await readFile((await (await download).path())!);
  const takenAt = await page.evaluate(() => Date.now());
  const shotAge = (((takenAt - (await clockInPng(page, png))) % 2 ** 24) + 2 ** 24) % 2 ** 24;
  const [shotWidth, shotHeight] = [png.readUInt32BE(16), png.readUInt32BE(20)]; // IHDR
  const video35 = await page.$eval('[data-testid="pane-35"] video', (v) => [
    (v as HTMLVideoElement).videoWidth,
    (v as HTMLVideoElement).videoHeight,
  ]);
  // (its size: the video's once it caught up, the pane-sized picture's if it did not within the
  // snapshot's wait — the diagnostic says which; never the video's old frame)
  const shotOf = shotWidth === video35[0] && shotHeight === video35[1] ? 'the video' : 'the key picture';
  // (the video's old frame would be as old as the reduction, 16 s on the CI run that caught it; the
  // stream itself reads up to 3 s old on a loaded runner)
  assert.ok(shotAge < 8000, `the snapshot (${shotOf}, ${shotWidth}×${shotHeight}) shows a frame ${shotAge} ms old`);
  await page.keyboard.press('Escape');
  // Restored, it is the pane the operator looked at last: cut last. Looking at as many others as
  // the allowance has places makes it the least recently used, back to key frames.
  await lookAtOthers(page, 35);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="pane-35"]')?.getAttribute('data-rate') === 'key',
    undefined,
    { timeout: 5000 },
  );

  // Point at it and select it: every frame again, within one GOP (1 s here) of the pointer reaching
  // it (a hovered pane is already one the operator looks at). At that instant the number of
  // full-rate panes is what it was, the selected one counted: another pane made room (a quiet-spell
  // raise happens on the budget's own tick, never inside this replan).
  await page.evaluate(() => {
    const w = window as unknown as {
      __atPane: number | null;
      __fullAt: number | null;
      __fullThen: number;
      __allowanceThen: number;
    };
    w.__atPane = null;
    w.__fullAt = null;
    const pane = document.querySelector('[data-testid="pane-35"]')!;
    new MutationObserver(() => {
      if (pane.getAttribute('data-rate') !== 'full' || w.__fullAt !== null) return;
      w.__fullAt = performance.now();
      w.__fullThen = document.querySelectorAll('[data-testid^="pane-"][data-rate="full"]').length;
      w.__allowanceThen = Number(document.documentElement.dataset.fullRateAllowance);
    }).observe(pane, { attributes: true, attributeFilter: ['data-rate'] });
    pane.addEventListener('mouseover', () => (w.__atPane ??= performance.now()), { capture: true });
  });
  const fullAtPointer = (await rates(page, 36)).filter((r) => r === 'full').length;
  await page.getByTestId('wall-pane-35').click();
  await page.mouse.move(5, 5); // selected, not hovered
  await page.waitForFunction(() => (window as unknown as { __fullAt: number | null }).__fullAt !== null, undefined, {
    timeout: 3000,
  });
  const { took, fullThen, allowanceThen } = await page.evaluate(() => {
    const w = window as unknown as { __atPane: number; __fullAt: number; __fullThen: number; __allowanceThen: number };
    return { took: w.__fullAt - w.__atPane, fullThen: w.__fullThen, allowanceThen: w.__allowanceThen };
  });
  t.diagnostic(
    `key frames only: ${reduced} frames in 3 s (${cutDuring} thrown away in the page), picture ages ${ageText} ms; full rate ${Math.round(took)} ms after the pointer reached it; GOP timed by ${timed.length} panes, median ${median} ms`,
  );
  // A pane can only resume full rate at a key frame (the frames between need the ones cut before
  // them): up to a GOP (1 s here) after main's relay and the page's filter hear of it. That is the
  // goal, read in the diagnostic above; on a loaded machine the replan, the relay's round trip and
  // the page's busy main thread add up to about 2 s more (2.8 s seen on 2 busy cores), so 3 s is
  // what is asserted.
  assert.ok(took >= 0 && took <= 3000, `full rate ${Math.round(took)} ms after the pointer reached it`);
  // It took one of the allowance's places (pane 0, selected, stays full beside it: with an allowance
  // under 2 the two still are) — not a place on top; the allowance is read at the same instant, so
  // a quiet-spell raise meanwhile is counted (review R13).
  assert.ok(
    fullThen <= Math.max(allowanceThen, 2),
    `another pane made room: ${fullThen} full, allowance ${allowanceThen} (${fullAtPointer} before)`,
  );
  const full = await framesIn(page, 35, 2000);
  assert.ok(full >= 20, `full rate: ${full} frames in 2 s`);
  assert.equal(await page.getByTestId('pane-35').getByTestId('pane-reduced').count(), 0);
  await waitShownBy(page, 35, 'video');
  // Shown again, the video plays what comes now, not the frame it held while the worker made the
  // pane's pictures (as old as the reduction).
  const [liveAge, fullAge] = [await age(page, 35), await age(page, 0)];
  assert.ok(liveAge < 2500, `its video shows a frame ${liveAge} ms old (full-rate pane 0: ${fullAge} ms)`);

  // Other panes looked at since: back to key frames.
  await lookAtOthers(page, 35);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="pane-35"]')?.getAttribute('data-rate') === 'key',
    undefined,
    { timeout: 5000 },
  );
  const again = await framesIn(page, 35, 3000);
  assert.ok(again <= 15, `back to key frames: ${again} frames in 3 s`);
  await waitShownBy(page, 35, 'picture');
  // Chromium has WebCodecs: the pictures are decoded from the key frames in a worker, not made on the page's main thread.
  assert.equal((await keyPictures(page, 35)).source, 'decoder');
  const again35 = await keyPaneAge(page, 35, 0);
  assert.ok(
    again35.lag < 4000,
    `back on key frames, the pane shows a picture ${again35.lag} ms old (median of ${again35.ageText})`,
  );

  // Hidden a moment, the key-frame pane holds its stream with its picture up (its video's frame is as
  // old as the reduction: shown, it would pass for live until the next key frame); seen again, it
  // goes on with pictures of what comes now.
  await setPageHidden(page, true);
  await waitPaneState(page, 35, 'held');
  assert.equal(await shownBy(page, 35), 'picture', 'held: its picture stays');
  await page.waitForTimeout(2000);
  await setPageHidden(page, false);
  await waitPaneState(page, 35, 'playing');
  assert.equal(await shownBy(page, 35), 'picture', 'seen again: its picture, not the old frame of its video');
  const back35 = await keyPaneAge(page, 35, 0);
  assert.ok(
    // (as for the snapshot: the video's old frame would be as old as the pane's time at key frames, 30 s and more)
    back35.lag < 8000,
    `seen again, the pane shows a picture ${back35.lag} ms old (median of ${back35.ageText})`,
  );
  t.diagnostic(
    `snapshot of a key-frame pane: ${shotOf}, ${shotWidth}×${shotHeight}, ${shotAge} ms old; seen again after a hold: ${back35.ageText} ms`,
  );
});

test('a hidden window decodes nothing: hidden a moment, its panes are back within a GOP on the same streams; hidden longer than the hold set in Settings, the streams close and reopen at live', async (t) => {
  // The default hold is 2 minutes; an operator sets 15 s (the window reads it at start).
  await setHiddenHold(15);
  t.after(() => setHiddenHold(null));
  const page = await openWall(/^4$/, 4);
  await waitAllDecoding(page, [0, 1, 2, 3], 30_000);
  const setHidden = (hidden: boolean) => setPageHidden(page, hidden);
  const states = (want: string, timeout: number) =>
    page.waitForFunction(
      (s) =>
        [0, 1, 2, 3].every(
          (i) => document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-state') === s,
        ),
      want,
      { timeout },
    );
  // Each connection has its own MediaSource, so its own object URL on the <video>.
  const sources = () =>
    page.evaluate(() =>
      [0, 1, 2, 3].map((i) => document.querySelector<HTMLVideoElement>(`[data-testid="pane-${i}"] video`)?.src ?? ''),
    );

  // A moment (an operator switching windows): the streams stay open, cut to nothing. (Only a pane
  // that plays is held: one reconnecting just then would be closed.)
  await states('playing', 10_000);
  const before = await sources();
  assert.ok(
    before.every((src) => src.startsWith('blob:')),
    'every pane plays a stream',
  );
  await setHidden(true);
  await states('held', 3000);
  await page.waitForTimeout(1000); // what was buffered when the window hid (~0.3 s) plays out unseen
  const held = await paneFrames(page, 4);
  await page.waitForTimeout(4000); // a buffer, had one been kept decoding, would now be 4 s old
  assert.deepEqual(await paneFrames(page, 4), held, 'no frame decoded while hidden');
  const shownAt = Date.now();
  await setHidden(false);
  await waitAllDecoding(page, [0, 1, 2, 3], 10_000, 3);
  const backMs = Date.now() - shownAt;
  assert.deepEqual(await sources(), before, 'the same connections, no new play address asked for');
  // Decoded is not yet shown: the <video> waiting at the end of its buffer takes a moment to play
  // again, and until then shows its last picture from before the hold (6.2 s old once, read the
  // instant 3 new frames had decoded). What counts is how soon each pane shows a live picture.
  const lags: number[] = [];
  for (let i = 0; i < 4; i++) {
    let lag = await age(page, i);
    while (lag >= 2000 && Date.now() - shownAt < 4000) lag = await age(page, i);
    lags.push(lag);
    assert.ok(
      lag < 2000,
      `pane ${i} ${Date.now() - shownAt} ms after showing still ${lag} ms behind the glass (at live, not from the 4-s-old buffer)`,
    );
  }
  const liveMs = Date.now() - shownAt;
  assert.ok(backMs < 4000, `decoding again ${backMs} ms after the window showed (a GOP is 1 s)`);
  t.diagnostic(
    `held 5 s: every pane decoding again ${backMs} ms after the window showed, all live by ${liveMs} ms, pictures ${lags.join('/')} ms old`,
  );

  // Longer than the hold (15 s, as set): the streams close, and open afresh when the window shows again.
  const hiddenAt = Date.now();
  await setHidden(true);
  await states('held', 3000);
  await states('idle', 25_000);
  const closedAfter = Date.now() - hiddenAt;
  assert.ok(closedAfter >= 14_000, `closed ${closedAfter} ms after hiding, not before the hold ends`);
  assert.ok(closedAfter < 22_000, `closed ${closedAfter} ms after hiding: the hold set in Settings, not the default`);
  assert.equal(
    await page.evaluate(() => document.querySelectorAll('video[src]').length),
    0,
    'no stream attached once the hold ended',
  );
  const shownAgain = Date.now();
  await setHidden(false);
  await waitAllDecoding(page, [0, 1, 2, 3], 20_000, 3);
  const after = await sources();
  assert.ok(
    after.every((src, i) => src.startsWith('blob:') && src !== before[i]),
    'new connections',
  );
  const reopenedMs = Date.now() - shownAgain;
  const fresh: number[] = [];
  for (let i = 0; i < 4; i++) {
    const lag = await age(page, i);
    fresh.push(lag);
    assert.ok(lag < 3500, `pane ${i} came back ${lag} ms behind the glass, not from a stale buffer`);
  }
  t.diagnostic(
    `closed ${closedAfter} ms after hiding; reopened, decoding ${reopenedMs} ms after showing, ${fresh.join('/')} ms old`,
  );
});

/**
 * Watches what pane `i` shows on every animation frame until stopped: the video's own frame, or a
 * canvas kept over it (the picture kept through a switch, or the dimmed last frame while
 * reconnecting). A pane showing none of these is black. (A string: it runs in the page as written.)
 */
const WATCH_PICTURE = (i: number) => `(() => {
  const pane = document.querySelector('[data-testid="pane-${i}"]');
  const probe = document.createElement('canvas');
  probe.width = 16;
  probe.height = 9;
  const ctx = probe.getContext('2d', { willReadFrequently: true });
  const w = (window.__picture = { probes: 0, black: 0, kept: 0, stop: false });
  const luma = (src) => {
    ctx.clearRect(0, 0, 16, 9);
    ctx.drawImage(src, 0, 0, 16, 9);
    const d = ctx.getImageData(0, 0, 16, 9).data;
    let sum = 0;
    for (let k = 0; k < d.length; k += 4) sum += 0.299 * d[k] + 0.587 * d[k + 1] + 0.114 * d[k + 2];
    return sum / (d.length / 4);
  };
  const tick = () => {
    if (w.stop) return;
    const shown = [...pane.querySelectorAll('canvas')].find((c) => c.style.display !== 'none' && c.width > 0);
    const video = pane.querySelector('video');
    let y = 0;
    if (shown) {
      w.kept++;
      y = luma(shown);
    } else if (video && video.readyState >= 2 && video.videoWidth > 0) y = luma(video);
    w.probes++;
    if (y < 8) w.black++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

async function finishWatch(page: Page, width: number): Promise<{ probes: number; black: number; kept: number }> {
  await page.waitForFunction(
    (w) => {
      const pane = document.querySelector('[data-testid="pane-0"]');
      return pane?.querySelector('video')?.videoWidth === w && !pane.hasAttribute('data-handover');
    },
    width,
    { timeout: 20_000 },
  );
  await page.waitForTimeout(300); // a few frames of the new stream
  return page.evaluate(() => {
    const w = (window as unknown as { __picture: { probes: number; black: number; kept: number; stop: boolean } })
      .__picture;
    w.stop = true;
    return { probes: w.probes, black: w.black, kept: w.kept };
  });
}

test('switching sub ↔ main keeps a picture in the pane: no black frame while the new stream starts', async (t) => {
  const page = await openWall(/^4$/, 4);
  await waitAllDecoding(page, [0], 30_000);
  await page.waitForFunction(
    () => document.querySelector<HTMLVideoElement>('[data-testid="pane-0"] video')?.videoWidth === 640,
  );
  // Maximize: the pane asks for the main stream (720p).
  await page.evaluate(WATCH_PICTURE(0));
  await page.getByTestId('wall-pane-0').dblclick();
  const up = await finishWatch(page, 1280);
  assert.equal(await page.getByTestId('wall-pane-0').getAttribute('data-stream'), 'main');
  // Back to the sub stream.
  await page.evaluate(WATCH_PICTURE(0));
  await page.keyboard.press('Escape');
  const down = await finishWatch(page, 640);
  t.diagnostic(`sub→main ${JSON.stringify(up)}; main→sub ${JSON.stringify(down)}`);
  for (const [name, w] of [
    ['sub→main', up],
    ['main→sub', down],
  ] as const) {
    assert.ok(w.probes >= 3, `${name}: the pane was looked at (${w.probes} probes)`);
    assert.equal(w.black, 0, `${name}: ${w.black} of ${w.probes} probes showed a black pane`);
  }
});

/**
 * In the page: once every pane plays and as many are at full rate as the allowance says, each pane's
 * rate and the allowance; null before. (Passed whole to the page: it names nothing outside itself.)
 */
function settledRates(count: number): { rates: string[]; allowance: number } | null {
  const rates = Array.from({ length: count }, (_, i) => {
    const p = document.querySelector(`[data-testid="pane-${i}"]`);
    return p?.getAttribute('data-state') === 'playing' ? (p.getAttribute('data-rate') ?? 'missing') : 'not playing';
  });
  const allowance = Number(document.documentElement.dataset.fullRateAllowance);
  const settled = rates.filter((x) => x === 'full').length === allowance && !rates.includes('not playing');
  return settled ? { rates, allowance } : null;
}

test('a wall of 12 live HLS panes starts every pane at full rate, as an FLV wall does (cuts come only from measured drops)', async (t) => {
  const page = await twoCorePage();
  await page.goto(stack.host.url);
  const hls = [stack.sim!.hls('b3', 'sub'), stack.sim!.hls('b4', 'sub')];
  const n = 12;
  const t0 = Date.now();
  await playUrls(
    page,
    Array.from({ length: n }, (_, i) => hls[i % 2]!),
  );
  await page.mouse.move(5, 5);
  await page.waitForFunction((n) => document.documentElement.dataset.fullRateAllowance === String(n), n, {
    timeout: 8000,
  });
  const at = Date.now() - t0;
  // Every pane playing, with a rate; a machine that drops frames may have cut some by now, never
  // more full-rate panes than the allowance (the two the operator uses most kept beside it).
  const r = (await (await page.waitForFunction(settledRates, n, { timeout: 20_000 })).jsonValue())!;
  t.diagnostic(`allowance ${n} ${at} ms after the play click; then ${r.allowance}: ${r.rates.join(' ')}`);
  const full = r.rates.filter((x) => x === 'full').length;
  assert.ok(r.allowance >= 1 && r.allowance <= n, `allowance ${r.allowance}`);
  assert.ok(full <= Math.max(r.allowance, 2), `${full} full-rate panes, allowance ${r.allowance}`);
});

test('a hidden window holds its live HLS panes: nothing loaded or decoded while hidden; seen again, the same streams come back at live', async (t) => {
  const page = await twoCorePage();
  await page.goto(stack.host.url);
  const url = stack.sim!.hls('b5', 'sub');
  const panes = [0, 1, 2, 3];
  await playUrls(page, [url, url, url, url]);
  await waitAllDecoding(page, panes, 30_000);
  await page.waitForFunction(
    () =>
      [0, 1, 2, 3].every(
        (i) => document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-state') === 'playing',
      ),
    undefined,
    { timeout: 10_000 },
  );
  const sources = () =>
    page.evaluate(() =>
      [0, 1, 2, 3].map((i) => document.querySelector<HTMLVideoElement>(`[data-testid="pane-${i}"] video`)?.src ?? ''),
    );
  const before = await sources();

  await setPageHidden(page, true);
  for (const i of panes) await waitPaneState(page, i, 'held');
  await page.waitForTimeout(500); // a request hls.js had under way when it stopped
  const served = { ...stack.sim!.hlsServed('b5') };
  const held = await paneFrames(page, 4);
  // Longer than the playlist's six segments: hls.js must not resume from the playlist it had.
  await page.waitForTimeout(8000);
  assert.deepEqual(await paneFrames(page, 4), held, 'no frame decoded while hidden');
  assert.deepEqual(stack.sim!.hlsServed('b5'), served, 'no playlist or segment loaded while hidden');

  const shownAt = Date.now();
  await setPageHidden(page, false);
  await waitAllDecoding(page, panes, 10_000, 3);
  const backMs = Date.now() - shownAt;
  assert.deepEqual(await sources(), before, 'the same streams (MediaSource), no new play address asked for');
  const lags: number[] = [];
  for (const i of panes) {
    let lag = await age(page, i);
    while (lag >= 2500 && Date.now() - shownAt < 6000) lag = await age(page, i);
    lags.push(lag);
    assert.ok(lag < 2500, `pane ${i} ${Date.now() - shownAt} ms after showing still ${lag} ms behind the glass`);
  }
  t.diagnostic(`held 8.5 s: decoding again ${backMs} ms after showing, pictures ${lags.join('/')} ms old`);
});

test('a live HLS pane held while its camera stopped and started again comes back at the live picture, not where the clock alone says', async (t) => {
  const page = await twoCorePage();
  await page.goto(stack.host.url);
  const url = stack.sim!.hls('b6', 'sub');
  await playUrls(page, [url, url]);
  await waitAllDecoding(page, [0, 1], 30_000);
  await setPageHidden(page, true);
  for (const i of [0, 1]) await waitPaneState(page, i, 'held');
  // The camera's encoder stops and starts again: its stream's media time starts afresh.
  await stack.sim!.stopStream('b6', 'sub');
  await page.waitForTimeout(4000);
  stack.sim!.restartStream('b6', 'sub');
  stack.sim!.hls('b6', 'sub');
  await page.waitForTimeout(8000);
  const shownAt = Date.now();
  await setPageHidden(page, false);
  await waitAllDecoding(page, [0, 1], 15_000, 3);
  const lags: number[] = [];
  for (const i of [0, 1]) {
    let lag = await age(page, i);
    while (lag >= 3000 && Date.now() - shownAt < 8000) lag = await age(page, i);
    lags.push(lag);
    assert.ok(lag < 3000, `pane ${i} ${Date.now() - shownAt} ms after showing still ${lag} ms behind the glass`);
  }
  t.diagnostic(
    `camera restarted while held: live again ${Date.now() - shownAt} ms after showing, ${lags.join('/')} ms old`,
  );
});

test('a reduced live HLS pane stays on a recent frame and steps with the segments; selected, it plays every frame', async (t) => {
  const page = await twoCorePage();
  await page.goto(stack.host.url);
  assert.equal(await page.evaluate(() => navigator.hardwareConcurrency), 2);
  // 26 panes (past 25: the budget reduces the last ones): 24 FLV, then two live HLS panes, last in wall order.
  const flv = stack.sim!.flv('b1', 'sub');
  const hls = stack.sim!.hls('b2', 'sub');
  await playUrls(page, [...Array<string>(24).fill(flv), hls, hls]);
  await page.mouse.move(5, 5); // a pane under the pointer decodes every frame
  const hlsPane = 25;
  await page.waitForFunction(
    (i) => {
      const pane = document.querySelector(`[data-testid="pane-${i}"]`);
      return pane?.getAttribute('data-state') === 'playing' && pane.getAttribute('data-rate') === 'key';
    },
    hlsPane,
    { timeout: 30_000 },
  );
  const video = `[data-testid="pane-${hlsPane}"] video`;
  assert.equal(await page.getByTestId(`pane-${hlsPane}`).getByTestId('pane-reduced').count(), 1, 'a badge says so');
  // Shown as a picture drawn with the wall's other key-frame panes (key-picture.ts), its video hidden.
  await waitShownBy(page, hlsPane, 'picture');
  // Chromium has WebCodecs: each segment's first frame is decoded in a worker, first from what hls.js
  // appends, then, hls.js stopped, from the newest segment the player fetches itself (hls-key-refresh.ts).
  assert.equal((await keyPictures(page, hlsPane)).source, 'decoder');
  // Reduced: the <video> stays paused; the picture moves on as segments come (1-s segments).
  // Its first picture is from the first segment it loaded (6.4 s old once, on a loaded machine), and its
  // first step may be to the next segment already buffered behind it (8.3 s once): the ages are read
  // from its second step on.
  for (let step = 0; step < 2; step++) {
    const was = await clockOn(page, video);
    for (let until = Date.now() + 5000; Date.now() < until && (await clockOn(page, video)) === was; )
      await page.waitForTimeout(100);
  }
  const shown: number[] = [];
  const ages: number[] = [];
  const frames0 = (await paneFrames(page, hlsPane + 1))[hlsPane]!;
  const served0 = { ...stack.sim!.hlsServed('b2') };
  const at0 = await page.$eval(video, (v) => (v as HTMLVideoElement).currentTime);
  for (let k = 0; k < 6; k++) {
    assert.equal(await page.$eval(video, (v) => (v as HTMLVideoElement).paused), true, 'paused between segments');
    shown.push(await clockOn(page, video));
    ages.push(await age(page, hlsPane));
    await page.waitForTimeout(1000);
  }
  const decoded = (await paneFrames(page, hlsPane + 1))[hlsPane]! - frames0;
  const served1 = stack.sim!.hlsServed('b2');
  const at1 = await page.$eval(video, (v) => (v as HTMLVideoElement).currentTime);
  const [ranged, rangedBytes] = [served1.ranged - served0.ranged, served1.rangedBytes - served0.rangedBytes];
  t.diagnostic(
    `reduced HLS pane: ${decoded} frames decoded in 6 s; picture ages ${ages.join(' ')} ms; ${ranged} segment openings fetched, ${Math.round(rangedBytes / Math.max(1, ranged))} bytes each`,
  );
  // Only each segment's opening is fetched, through the relay (a byte range): its key frame is ~10 KB
  // of a ~70-KB segment here. (hls.js, for the other pane on this stream, fetches whole segments.)
  assert.ok(ranged >= 3, `segment openings fetched by range: ${ranged} in 6 s`);
  assert.ok(rangedBytes / ranged < 35_000, `a part of each segment: ${Math.round(rangedBytes / ranged)} bytes`);
  // hls.js loads nothing meanwhile (a playlist two or three times a segment, each segment, appended):
  // the video is not moved on.
  assert.equal(at1, at0, 'its video stays where hls.js stopped');
  assert.ok(new Set(shown).size >= 3, `the picture steps with the segments: ${shown.join(' ')}`);
  // The first frame of the newest segment: a segment and its fetch old when shown, a segment more
  // when the next comes (2.4–2.8 s median, 3.1–4.7 s p90 in probes on this machine, the video's or the
  // worker's pictures alike; 5.3 s once).
  const median = [...ages].sort((a, b) => a - b)[3]!;
  assert.ok(median < 4000 && Math.max(...ages) < 6000, `a recent frame: ${ages.join(' ')} ms old`);
  // Full rate is 150 in 6 s; a video stepped to every segment decoded 32–40 (63 once on a loaded
  // machine); the worker's pictures, one a segment, and a video step every 5 s decoded 12; the
  // worker's pictures alone 6.
  assert.ok(decoded <= 30, `a picture a segment, not 25 frames a second: ${decoded} in 6 s`);

  // Selected: it plays on, every frame, at the live position (its target latency behind the edge,
  // never before the frame its picture showed): the picture stays up until its video is there (not
  // the frame hls.js stopped on, seconds older).
  // (read off the picture, not the video behind it: the clock reader falls back to the video where
  // the picture is too small to read)
  const pictureReadable = await page.$eval(`[data-testid="pane-${hlsPane}"]`, (pane) => {
    const v = pane.querySelector('video')!;
    const c = pane.querySelector<HTMLCanvasElement>('[data-testid="pane-key-picture"]')!;
    return c.style.display === 'block' && (c.width / v.videoWidth) * 16 >= 4;
  });
  assert.ok(pictureReadable, 'the clock is read off the picture');
  const before = await clockOn(page, video);
  await page.getByTestId(`streamtest-cell-${hlsPane}`).click();
  await page.mouse.move(5, 5);
  const since: number[] = [];
  // (past the 3 s the picture is kept at most while the video is moved)
  for (let until = Date.now() + 3500; Date.now() < until; await page.waitForTimeout(100))
    since.push((((((await clockOn(page, video)) - before + 2 ** 23) % 2 ** 24) + 2 ** 24) % 2 ** 24) - 2 ** 23);
  t.diagnostic(`to full rate, the shown frame against the last picture's: ${since.join(' ')} ms`);
  assert.ok(Math.min(...since) > -1000, `never an older frame: ${since.join(' ')} ms`);
  await page.waitForFunction(
    (i) => document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-rate') === 'full',
    hlsPane,
    { timeout: 3000 },
  );
  assert.equal(await page.$eval(video, (v) => (v as HTMLVideoElement).paused), false, 'playing');
  await waitShownBy(page, hlsPane, 'video');
  const full = await framesIn(page, hlsPane, 2000);
  assert.ok(full >= 30, `full rate: ${full} frames in 2 s`);
  assert.equal(await page.getByTestId(`pane-${hlsPane}`).getByTestId('pane-reduced').count(), 0);
  const lag = await age(page, hlsPane);
  assert.ok(lag < 5000, `full rate, ${lag} ms behind the glass`);

  // Other panes looked at since: back to the key-frame refresh.
  await lookAtOthers(page, hlsPane, 26, (i) => `streamtest-cell-${i}`);
  await page.waitForFunction(
    (i) => document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-rate') === 'key',
    hlsPane,
    { timeout: 5000 },
  );
  assert.equal(await page.$eval(video, (v) => (v as HTMLVideoElement).paused), true, 'paused again');
  await waitShownBy(page, hlsPane, 'picture');

  // Hidden a moment, the key-frame pane holds its stream, its picture up; seen again, it goes on
  // with pictures of what comes now (the refresh from the live position, not where it stopped).
  await setPageHidden(page, true);
  await waitPaneState(page, hlsPane, 'held');
  assert.equal(await shownBy(page, hlsPane), 'picture', 'held: its picture stays');
  await page.waitForTimeout(8000);
  await setPageHidden(page, false);
  await waitPaneState(page, hlsPane, 'playing');
  const back = await keyPaneAge(page, hlsPane, 0);
  assert.ok(back.lag < 5000, `seen again, the pane shows a picture ${back.lag} ms old (median of ${back.ageText})`);
  t.diagnostic(`a key-frame HLS pane seen again after an 8-s hold: ${back.ageText}`);
});

/**
 * Selects, in turn, as many panes other than `pane` as the wall's allowance has places (and one
 * more), then takes the pointer away: they are the panes the operator used most recently now.
 */
async function lookAtOthers(
  page: Page,
  pane: number,
  panes = 36,
  cell = (i: number) => `wall-pane-${i}`,
): Promise<void> {
  const allowance = Number(await page.evaluate(() => document.documentElement.dataset.fullRateAllowance));
  const others = Array.from({ length: panes }, (_, i) => i).filter((i) => i !== pane);
  for (const i of others.slice(0, Math.max(1, allowance) + 1)) await page.getByTestId(cell(i)).click();
  await page.mouse.move(5, 5);
}
