import type { Page } from 'playwright-core';

/**
 * The shift bench's eyes on the wall: once a second, in the page, each pane's picture age read
 * off the simulator's clock strip (the frame's own pixels, or the key picture a key-frame pane
 * shows), a letter per pane: F fresh (≤ 2 s old), S anything else. Runs in the page so a busy
 * bench process does not skip seconds; the bench collects and clears what it gathered.
 */
export const FRESH_MS = 2000;

interface ProbeWindow {
  /** [epoch second, F/S per pane, why per pane: - fresh, 2–9 age in s, v no video, p not playing, u/k unread] */
  __shift: Array<[number, string, string]>;
  __shiftTimer?: number;
  /** The strips read as neither black nor white (u): [epoch second, pane, each bit's luma], the last 40. */
  __shiftUnread: Array<[number, number, number[]]>;
}

/**
 * What the probe watches: the live wall (`wall-pane-i`, age from the wall clock), or the playback
 * page (`playback-pane-i`, a pane `playing` whose picture is within FRESH_MS of the page's cursor:
 * the recording's burned-in clock is the time it was recorded at).
 */
export type ProbeTarget = 'wall' | 'playback';

export async function startPaneProbe(page: Page, panes: number, target: ProbeTarget = 'wall'): Promise<void> {
  await page.evaluate(
    ({ panes, freshMs, target }) => {
      // tsx names helpers with esbuild's __name(), which the page does not have.
      (globalThis as { __name?: unknown }).__name ??= (f: unknown) => f;
      const w = window as unknown as ProbeWindow;
      w.__shift = [];
      w.__shiftUnread = [];
      let lumas: number[] = [];
      const W = 384;
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      /**
       * The strip's value from an image source `sc` times the simulator's size, or null. One bit
       * cell mid-grey is the encoder caught between two clock values (a bit changing): both are
       * returned. More than one is no reading.
       */
      const strip = (src: CanvasImageSource, sc: number): number[] | null => {
        const w2 = Math.ceil(W * sc);
        const h2 = Math.max(1, Math.ceil(16 * sc));
        canvas.width = w2;
        canvas.height = h2;
        ctx.drawImage(src, 0, 0, w2, h2, 0, 0, w2, h2);
        const d = ctx.getImageData(0, 0, w2, h2).data;
        let value = 0;
        lumas = [];
        for (let k = 0; k < 24; k++) {
          const i = (Math.floor(8 * sc) * w2 + Math.floor((k * 16 + 8) * sc)) * 4;
          lumas.push(Math.round(0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!));
        }
        let unsure = -1;
        for (const [k, y] of lumas.entries()) {
          if (y > 80 && y < 175) {
            if (unsure >= 0) return null;
            unsure = k;
          } else if (y >= 175) value += 2 ** k;
        }
        return unsure < 0 ? [value] : [value, value + 2 ** unsure];
      };
      /** The picture's age in ms, or why there is none: v no video, p not playing, u/k no strip read off the video/key picture. */
      const ageOf = (pane: Element): number | 'v' | 'p' | 'u' | 'k' => {
        const v = pane.querySelector('video');
        if (!v || !v.videoWidth) return 'v';
        const state =
          target === 'playback'
            ? pane.getAttribute('data-status')
            : pane.querySelector('[data-state]')?.getAttribute('data-state');
        if (state && state !== 'playing') return 'p';
        const vs = v.videoWidth < 640 ? v.videoWidth / 640 : 1;
        const shown = pane.querySelector<HTMLCanvasElement>('[data-testid="pane-key-picture"]');
        const keyPicture = !!shown && shown.style.display === 'block' && shown.width > 1;
        const values = keyPicture ? strip(shown, vs * (shown.width / v.videoWidth)) : strip(v, vs);
        if (values === null) return keyPicture ? 'k' : 'u';
        const mod = 2 ** 24;
        const ages = values.map((value) => {
          if (target === 'wall') return ((((Date.now() % mod) - value) % mod) + mod) % mod;
          // A recording: how far its picture is from the cursor, either way.
          const cursor = Number(document.querySelector('[data-testid="playback-cursor"]')?.getAttribute('data-ms'));
          const d = ((((cursor % mod) - value) % mod) + mod) % mod;
          return Math.min(d, mod - d);
        });
        return Math.min(...ages);
      };
      if (w.__shiftTimer) clearInterval(w.__shiftTimer);
      // Ticks every 200 ms, samples once per wall-clock second: a 1-s interval drifts and skips
      // seconds, which would count as seconds without a picture.
      let second = 0;
      w.__shiftTimer = window.setInterval(() => {
        const now = Math.floor(Date.now() / 1000);
        if (now === second) return;
        second = now;
        let line = '';
        let why = '';
        for (let i = 0; i < panes; i++) {
          const pane = document.querySelector(`[data-testid="${target}-pane-${i}"]`);
          let age: number | 'v' | 'p' | 'u' | 'k';
          try {
            age = pane ? ageOf(pane) : 'v';
          } catch {
            age = 'u';
          }
          if ((age === 'u' || age === 'k') && lumas.length)
            w.__shiftUnread = [...w.__shiftUnread.slice(-39), [now, i, lumas]];
          lumas = [];
          const fresh = typeof age === 'number' && age <= freshMs;
          line += fresh ? 'F' : 'S';
          why += fresh ? '-' : typeof age === 'number' ? String(Math.min(9, Math.floor(age / 1000))) : age;
        }
        w.__shift.push([now, line, why]);
      }, 200);
    },
    { panes, freshMs: FRESH_MS, target },
  );
}

/** What the probe gathered since the last call: [epoch second, a letter per pane, why per pane]. */
export function takePaneSeconds(page: Page): Promise<Array<[number, string, string]>> {
  return page.evaluate(() => {
    const w = window as unknown as ProbeWindow;
    return w.__shift.splice(0);
  });
}

/**
 * Error banners and pane errors shown now: antd error alerts, messages and notifications, panes
 * in error or showing no picture with the reason given (still trying after many attempts).
 */
export function errorsShown(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const visible = (e: Element) => (e as HTMLElement).offsetParent !== null || e.getClientRects().length > 0;
    for (const e of document.querySelectorAll(
      '.ant-alert-error, .ant-message-error, .ant-notification-notice-error, .ant-result-error',
    ))
      if (visible(e)) out.push(`banner: ${(e as HTMLElement).innerText.replace(/\s+/g, ' ').slice(0, 120)}`);
    for (const e of document.querySelectorAll('[data-testid^="wall-pane-"] [data-state]')) {
      const s = e.getAttribute('data-state');
      if (s === 'error' || s === 'unsupported-codec' || s === 'transcode-refused' || s === 'reconnecting') {
        const pane = e.closest('[data-testid^="wall-pane-"]')!;
        out.push(
          `${pane.getAttribute('data-testid')} ${s}: ${(e as HTMLElement).innerText.replace(/\s+/g, ' ').slice(0, 120)}`,
        );
      }
    }
    return out;
  });
}

/** The page's JS heap after a forced GC, MB. */
export async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usedSize / 1048576;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** The strips the probe could not read off a video (u), with each bit's luma: why a pane was unreadable. */
export function unreadStrips(page: Page): Promise<Array<[number, number, number[]]>> {
  return page.evaluate(() => (window as unknown as ProbeWindow).__shiftUnread ?? []);
}

/**
 * What a pane showed while its strip could not be read (u, k): its state, rate and stream, its key
 * picture's source and count, its video's frame and buffer — for the log beside a screenshot.
 */
export function describePane(page: Page, pane: number): Promise<string> {
  return page.evaluate((i) => {
    const box = document.querySelector(`[data-testid="wall-pane-${i}"]`);
    if (!box) return 'no such pane';
    const attrs = (e: Element | null) =>
      e
        ? [...e.attributes]
            .filter((a) => a.name.startsWith('data-') && a.name !== 'data-testid')
            .map((a) => `${a.name.slice(5)}=${a.value}`)
            .join(' ')
        : '-';
    const v = box.querySelector('video');
    const q = v?.getVideoPlaybackQuality();
    const ranges = v
      ? Array.from(
          { length: v.buffered.length },
          (_, k) => `${v.buffered.start(k).toFixed(1)}-${v.buffered.end(k).toFixed(1)}`,
        )
      : [];
    const video = v
      ? `video ${v.videoWidth}x${v.videoHeight} ready ${v.readyState} at ${v.currentTime.toFixed(1)} buffered ${ranges.join(',')} frames ${q?.totalVideoFrames}/${q?.droppedVideoFrames} visibility ${getComputedStyle(v).visibility}`
      : 'no video';
    const canvas = box.querySelector('[data-testid="pane-key-picture"]');
    return `pane [${attrs(box)}] state [${attrs(box.querySelector('[data-state]'))}] key picture [${attrs(canvas)}] ${video}; text: ${(box as HTMLElement).innerText.replace(/\s+/g, ' ').slice(0, 160)}`;
  }, pane);
}
