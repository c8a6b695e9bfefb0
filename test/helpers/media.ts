import type { Page } from 'playwright-core';

/**
 * Frames decoded for each pane (index → frames): its <video>'s, and the key-frame pictures a worker
 * decoded for it (a pane the budget cut to key frames: its hidden video is only stepped now and then,
 * key-frame-decoder.ts). -1: no video.
 */
export function paneFrames(page: Page, count: number): Promise<number[]> {
  return page.evaluate((n) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = document.querySelector<HTMLVideoElement>(`[data-testid="pane-${i}"] video`);
      const c = document.querySelector<HTMLCanvasElement>(`[data-testid="pane-${i}"] [data-testid="pane-key-picture"]`);
      const decoded = c?.dataset.source === 'decoder' ? Number(c.dataset.pictures ?? 0) : 0;
      out.push(v ? v.getVideoPlaybackQuality().totalVideoFrames + decoded : -1);
    }
    return out;
  }, count);
}

/**
 * Tells the page its window is hidden or shown again, the way a browser does: document.hidden,
 * visibilityState and the event (headless Chromium keeps every page visible, minimized or not).
 * A string: the page runs it as written, without the bundler's helpers.
 */
export function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  return page.evaluate(`(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get() { return ${hidden}; } });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get() { return '${hidden ? 'hidden' : 'visible'}'; } });
    document.dispatchEvent(new Event('visibilitychange'));
  })()`);
}

/** Waits until every pane in `indexes` decodes new frames (its count rises by `by`). */
export async function waitAllDecoding(page: Page, indexes: number[], timeoutMs: number, by = 10): Promise<number[]> {
  const max = Math.max(...indexes) + 1;
  const start = await paneFrames(page, max);
  const until = Date.now() + timeoutMs;
  let now = start;
  while (Date.now() < until) {
    now = await paneFrames(page, max);
    if (indexes.every((i) => now[i]! - Math.max(0, start[i]!) >= by)) return now;
    await page.waitForTimeout(250);
  }
  throw new Error(
    `panes not decoding within ${timeoutMs} ms: start ${JSON.stringify(start)} now ${JSON.stringify(now)}`,
  );
}

export async function paneStates(page: Page, count: number): Promise<string[]> {
  return page.evaluate(
    (n) =>
      Array.from(
        { length: n },
        (_, i) => document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-state') ?? 'missing',
      ),
    count,
  );
}

/**
 * Pane states once all reach `playing`, or as they are after `timeoutMs` (the state follows the
 * first decoded frames). A pane that is not playing reads "state: reason" (the reason its title
 * gives), so a failing assertion says why. The wait polls on a timer: on a loaded machine a wall's
 * animation frames come late. 20 s by default: a pane that stalls on a loaded machine notices it
 * after 5 s and is back within a few seconds more, which is what an operator sees too.
 */
export async function settledPaneStates(page: Page, count: number, timeoutMs = 20_000): Promise<string[]> {
  await page
    .waitForFunction(
      (n) =>
        Array.from({ length: n }, (_, i) =>
          document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-state'),
        ).every((s) => s === 'playing'),
      count,
      { timeout: timeoutMs, polling: 100 },
    )
    .catch(() => undefined);
  return page.evaluate(
    (n) =>
      Array.from({ length: n }, (_, i) => {
        const pane = document.querySelector(`[data-testid="pane-${i}"]`);
        const state = pane?.getAttribute('data-state') ?? 'missing';
        const why = pane?.querySelector('[data-testid="pane-state"]')?.getAttribute('title');
        return state === 'playing' || !why ? state : `${state}: ${why}`;
      }),
    count,
  );
}

/** Opens the stream-test page and plays `urls`. */
export async function playUrls(page: Page, urls: string[]): Promise<void> {
  await page.getByRole('menuitem', { name: /Stream test|流测试/ }).click();
  await page.getByTestId('streamtest-page').waitFor();
  await page.getByTestId('streamtest-urls').fill(urls.join('\n'));
  await page.getByTestId('streamtest-play').click();
}

/**
 * In-page reader of the simulator's clock strip: `window.__vigilClock(selector)` draws the strip
 * of the <video> matching `selector` and returns its value (epoch ms mod 2^24). A string, so it
 * runs in the page as written (no bundler helpers); install before the page loads.
 */
const CLOCK_READER = `window.__vigilClock = (selector) => {
  const v = document.querySelector(selector);
  const c = document.createElement('canvas');
  c.width = 384;
  c.height = 16;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  // A key-frame pane shows its hidden video's picture on a pane-sized canvas: read what is shown,
  // unless the strip is too small there to read (a 720p picture in a small pane: under 4 px a bit),
  // then the video (a picture decoded from the key frames by a worker: its video is as old as the reduction).
  const shown = v.parentElement && v.parentElement.querySelector('[data-testid="pane-key-picture"]');
  const sc = shown && v.videoWidth ? shown.width / v.videoWidth : 0;
  if (shown && shown.style.display === 'block' && sc * 16 >= 4) ctx.drawImage(shown, 0, 0, 384 * sc, 16 * sc, 0, 0, 384, 16);
  else ctx.drawImage(v, 0, 0, 384, 16, 0, 0, 384, 16);
  const d = ctx.getImageData(0, 0, 384, 16).data;
  let value = 0;
  for (let k = 0; k < 24; k++) {
    const i = (8 * 384 + k * 16 + 8) * 4;
    if (0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2] >= 128) value += 2 ** k;
  }
  return value;
};`;

export async function installClockReader(page: Page): Promise<void> {
  await page.addInitScript(CLOCK_READER);
}

/** The burned-in clock on a PNG (a snapshot): read in the page as the clock reader reads a video. */
export function clockInPng(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    [c.width, c.height] = [384, 16];
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(img, 0, 0, 384, 16, 0, 0, 384, 16);
    const d = ctx.getImageData(0, 0, 384, 16).data;
    let value = 0;
    for (let k = 0; k < 24; k++) {
      const i = (8 * 384 + k * 16 + 8) * 4;
      if (0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]! >= 128) value += 2 ** k;
    }
    return value;
  }, png.toString('base64'));
}

/** The burned-in clock on the frame `video` (a selector) shows now. Needs installClockReader. */
export function clockOn(page: Page, video: string): Promise<number> {
  return page.evaluate((sel) => (window as unknown as { __vigilClock(s: string): number }).__vigilClock(sel), video);
}
