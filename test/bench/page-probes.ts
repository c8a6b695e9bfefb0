import type { Page } from 'playwright-core';

/**
 * In-page measurement for the wall benchmark, identical for Vigil's page and the baseline page:
 * both expose their panes' <video> elements in document order.
 */

/** Installs a 20-ms poller recording, per video, when its first frame decoded (ms since `t0`). */
export async function startFirstFrameWatch(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const w = window as unknown as { __ttff: Record<number, number>; __t0: number };
    w.__ttff = {};
    w.__t0 = performance.now();
    const timer = setInterval(() => {
      const videos = [...document.querySelectorAll<HTMLVideoElement>(sel)];
      videos.forEach((v, i) => {
        if (w.__ttff[i] === undefined && v.getVideoPlaybackQuality().totalVideoFrames > 0) w.__ttff[i] = performance.now() - w.__t0;
      });
      if (videos.length > 0 && Object.keys(w.__ttff).length >= videos.length) clearInterval(timer);
    }, 20);
  }, selector);
}

export async function firstFrames(page: Page): Promise<number[]> {
  return page.evaluate(() => Object.values((window as unknown as { __ttff: Record<number, number> }).__ttff));
}

export interface PaneSample {
  frames: number;
  dropped: number;
  bufferLatencyS: number;
  /** glass-to-glass from the clock strip, ms; null if unreadable */
  latencyMs: number | null;
}

/** One sample per video: frame counters, buffer latency and the clock strip read off the frame. */
export function samplePanes(page: Page, selector: string): Promise<PaneSample[]> {
  return page.evaluate((sel) => {
    const canvas = document.createElement('canvas');
    canvas.width = 384;
    canvas.height = 16;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    return [...document.querySelectorAll<HTMLVideoElement>(sel)].map((v) => {
      const q = v.getVideoPlaybackQuality();
      const buffered = v.buffered.length ? Math.max(0, v.buffered.end(v.buffered.length - 1) - v.currentTime) : 0;
      let latencyMs: number | null = null;
      if (v.videoWidth) {
        ctx.drawImage(v, 0, 0, 384, 16, 0, 0, 384, 16);
        const now = Date.now();
        const d = ctx.getImageData(0, 0, 384, 16).data;
        let value = 0;
        let ok = true;
        for (let k = 0; k < 24; k++) {
          const i = (8 * 384 + k * 16 + 8) * 4;
          const y = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
          if (y > 80 && y < 175) ok = false;
          if (y >= 175) value += 2 ** k;
        }
        const mod = 2 ** 24;
        if (ok) latencyMs = (((now % mod) - value) % mod + mod) % mod;
        if (latencyMs !== null && latencyMs > 60_000) latencyMs = null;
      }
      return { frames: q.totalVideoFrames, dropped: q.droppedVideoFrames, bufferLatencyS: buffered, latencyMs };
    });
  }, selector);
}

export async function heapMb(page: Page): Promise<number> {
  return page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1048576);
}
