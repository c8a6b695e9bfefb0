import type { Page } from 'playwright-core';

/**
 * In-page measurement for the wall benchmark, identical for Vigil's page and the baseline page:
 * both expose their panes' <video> elements in document order.
 */

/** Installs a 20-ms poller recording, per video, when its first frame decoded (ms since `t0`). */
export async function startFirstFrameWatch(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const w = window as unknown as { __ttff: Record<number, number>; __t0: number; __seeks: number };
    w.__ttff = {};
    // Seeks of any video (a player jumping to the live edge), counted from the capture phase.
    w.__seeks = 0;
    document.addEventListener('seeking', () => w.__seeks++, true);
    // Rebuffers: a playing video that ran out of data ('waiting'), counted per video.
    document.addEventListener(
      'waiting',
      (e) => {
        const v = e.target as HTMLVideoElement & { __waits?: number };
        v.__waits = (v.__waits ?? 0) + 1;
      },
      true,
    );
    w.__t0 = performance.now();
    const timer = setInterval(() => {
      const videos = [...document.querySelectorAll<HTMLVideoElement>(sel)];
      videos.forEach((v, i) => {
        if (w.__ttff[i] === undefined && v.getVideoPlaybackQuality().totalVideoFrames > 0)
          w.__ttff[i] = performance.now() - w.__t0;
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
  /** pictures of a key-frame pane decoded by the worker (key-frame-decoder.ts), not by its video */
  pictures: number;
  dropped: number;
  bufferLatencyS: number;
  /** playbackRate: above 1 while the player catches up with the live edge */
  rate: number;
  /** how the clock strip was read: the frame's own pixels, the canvas fallback, a key-frame pane's picture, or not at all */
  via: 'frame' | 'canvas' | 'picture' | null;
  /** glass-to-glass from the clock strip, ms; null if unreadable */
  latencyMs: number | null;
  /** the rate Vigil's pane decodes at (its data-rate: key frames only or every frame); 'full' on the baseline */
  decodeRate: 'full' | 'key';
  /** Vigil's panes: frames decoded and dropped in the seconds the pane was at full rate (null on the baseline) */
  fullFrames: number | null;
  fullDropped: number | null;
  /** 'waiting' events of this video since the first-frame watch (it ran out of data while playing) */
  waits: number;
}

/**
 * One sample per video: frame counters, buffer latency and the clock strip read off the frame.
 * The strip is read from the frame's own luma plane (WebCodecs `VideoFrame.copyTo` of the 384×16
 * corner): drawing a video into a canvas converts the whole frame in software, and at 25 panes
 * that instrument alone cost the renderer a fifth of a core per read-out and dropped frames.
 * The canvas remains the fallback where a frame has no readable pixel format. Even so, taking a
 * video's current frame 25 times a second costs Chromium ~15 % of a core here, so the bench reads
 * the counters (frames, drops, CPU) in a window of their own with `readClock` false.
 */
export function samplePanes(page: Page, selector: string, readClock = true): Promise<PaneSample[]> {
  return page.evaluate(
    async ({ sel, readClock }) => {
      // tsx names the helpers below with esbuild's __name(), which the page does not have.
      (globalThis as { __name?: unknown }).__name ??= (f: unknown) => f;
      const W = 384;
      const H = 16;
      const mod = 2 ** 24;
      let ctx: CanvasRenderingContext2D | null = null;
      const num = (a: string | null | undefined) => (a === null || a === undefined || a === '' ? null : Number(a));
      /** Luma (0–255) at the centre of block k of the strip, from a frame or the canvas. */
      /**
       * A key-frame pane shows a bitmap of its hidden video on a canvas (key-picture.ts): what the
       * operator sees is that bitmap, as large as the pane, so the strip is read off it, scaled.
       */
      const pictureLuma = (
        v: HTMLVideoElement,
        shown: HTMLCanvasElement,
      ): { at: number; luma: number[]; via: 'picture' } => {
        const copy = document.createElement('canvas');
        [copy.width, copy.height] = [shown.width, shown.height];
        const c = copy.getContext('2d', { willReadFrequently: true })!;
        c.drawImage(shown, 0, 0);
        const at = Date.now();
        // the strip's scale in the video (below), then the video's in the bitmap
        const sc = (v.videoWidth < 640 ? v.videoWidth / 640 : 1) * (shown.width / v.videoWidth);
        const d = c.getImageData(0, 0, copy.width, Math.max(1, Math.ceil(16 * sc))).data;
        const i = (k: number) => (Math.floor(8 * sc) * copy.width + Math.floor((k * 16 + 8) * sc)) * 4;
        return {
          at,
          via: 'picture',
          luma: Array.from({ length: 24 }, (_, k) => 0.299 * d[i(k)]! + 0.587 * d[i(k) + 1]! + 0.114 * d[i(k) + 2]!),
        };
      };
      const lumaAt = async (
        v: HTMLVideoElement,
      ): Promise<{ at: number; luma: number[]; via: 'frame' | 'canvas' | 'picture' } | null> => {
        const shown = v.parentElement?.querySelector<HTMLCanvasElement>('[data-testid="pane-key-picture"]');
        if (shown && shown.style.display === 'block' && shown.width > 1) return pictureLuma(v, shown);
        // A pane main transcodes (H.265, issue 24) may be scaled down from the simulator's 640-wide
        // sub stream: read the strip's blocks where the scaling put them.
        const sc = v.videoWidth > 0 && v.videoWidth < 640 ? v.videoWidth / 640 : 1;
        const bx = (k: number) => Math.floor((k * 16 + 8) * sc);
        const by = Math.floor(8 * sc);
        if (typeof VideoFrame !== 'undefined') {
          let frame: VideoFrame | null = null;
          try {
            frame = new VideoFrame(v);
            const at = Date.now();
            const format = frame.format;
            const rect = { x: frame.visibleRect?.x ?? 0, y: frame.visibleRect?.y ?? 0, width: W, height: H };
            if (format && /^(I4|NV12)/.test(format)) {
              const buf = new Uint8Array(frame.allocationSize({ rect }));
              const [y] = await frame.copyTo(buf, { rect });
              return {
                at,
                via: 'frame',
                luma: Array.from({ length: 24 }, (_, k) => buf[y!.offset + by * y!.stride + bx(k)]!),
              };
            }
            if (format && /^(RGB|BGR)/.test(format)) {
              const buf = new Uint8Array(frame.allocationSize({ rect }));
              const [p] = await frame.copyTo(buf, { rect });
              const rgb = format.startsWith('RGB') ? [0, 1, 2] : [2, 1, 0];
              return {
                at,
                via: 'frame',
                luma: Array.from({ length: 24 }, (_, k) => {
                  const i = p!.offset + by * p!.stride + bx(k) * 4;
                  return 0.299 * buf[i + rgb[0]!]! + 0.587 * buf[i + rgb[1]!]! + 0.114 * buf[i + rgb[2]!]!;
                }),
              };
            }
          } catch {
            // fall through to the canvas
          } finally {
            frame?.close();
          }
        }
        if (!ctx) {
          const canvas = document.createElement('canvas');
          canvas.width = W;
          canvas.height = H;
          ctx = canvas.getContext('2d', { willReadFrequently: true })!;
        }
        ctx.drawImage(v, 0, 0, W, H, 0, 0, W, H);
        const at = Date.now();
        const d = ctx.getImageData(0, 0, W, H).data;
        return {
          at,
          via: 'canvas',
          luma: Array.from({ length: 24 }, (_, k) =>
            ((i) => 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!)((by * W + bx(k)) * 4),
          ),
        };
      };
      const out: Array<{
        frames: number;
        pictures: number;
        dropped: number;
        bufferLatencyS: number;
        rate: number;
        latencyMs: number | null;
        via: 'frame' | 'canvas' | 'picture' | null;
        decodeRate: 'full' | 'key';
        fullFrames: number | null;
        fullDropped: number | null;
        waits: number;
      }> = [];
      for (const v of document.querySelectorAll<HTMLVideoElement>(sel)) {
        const q = v.getVideoPlaybackQuality();
        const buffered = v.buffered.length ? Math.max(0, v.buffered.end(v.buffered.length - 1) - v.currentTime) : 0;
        let latencyMs: number | null = null;
        const read = readClock && v.videoWidth ? await lumaAt(v) : null;
        if (read) {
          let value = 0;
          let ok = true;
          read.luma.forEach((y, k) => {
            if (y > 80 && y < 175) ok = false; // grey: a block between two frames' values, or no strip
            if (y >= 175) value += 2 ** k;
          });
          if (ok) latencyMs = ((((read.at % mod) - value) % mod) + mod) % mod;
          if (latencyMs !== null && latencyMs > 60_000) latencyMs = null;
        }
        const picture = v.parentElement?.querySelector<HTMLCanvasElement>('[data-testid="pane-key-picture"]');
        out.push({
          frames: q.totalVideoFrames,
          pictures: picture?.dataset.source === 'decoder' ? Number(picture.dataset.pictures ?? 0) : 0,
          dropped: q.droppedVideoFrames,
          bufferLatencyS: buffered,
          rate: v.playbackRate,
          latencyMs,
          via: read?.via ?? null,
          decodeRate: v.closest('[data-rate]')?.getAttribute('data-rate') === 'key' ? 'key' : 'full',
          fullFrames: num(v.closest('[data-full-frames]')?.getAttribute('data-full-frames')),
          fullDropped: num(v.closest('[data-full-dropped]')?.getAttribute('data-full-dropped')),
          waits: (v as HTMLVideoElement & { __waits?: number }).__waits ?? 0,
        });
      }
      return out;
    },
    { sel: selector, readClock },
  );
}

/** Seeks of the page's videos since the first-frame watch was installed. */
export async function seeks(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __seeks?: number }).__seeks ?? 0);
}

export async function heapMb(page: Page): Promise<number> {
  return page.evaluate(
    () => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1048576,
  );
}

/** Starts summing the page's long tasks (main-thread tasks over 50 ms, PerformanceObserver 'longtask'). */
export async function startLongTaskWatch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longMs: number; __longN: number; __longObs?: PerformanceObserver };
    w.__longMs = 0;
    w.__longN = 0;
    if (w.__longObs) return;
    w.__longObs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__longMs += e.duration;
        w.__longN++;
      }
    });
    w.__longObs.observe({ type: 'longtask' });
  });
}

/** Long tasks since the watch started: their count and total ms. */
export async function longTasks(page: Page): Promise<{ n: number; ms: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { __longMs?: number; __longN?: number };
    return { n: w.__longN ?? 0, ms: Math.round(w.__longMs ?? 0) };
  });
}

/**
 * --drop-times (diagnostic): when, in the window, full-rate panes dropped frames, next to when
 * key-frame panes seeked (their refresh: a new segment's first frame). A 50-ms poller over the
 * full-rate panes' counters; seeks from a capture-phase listener.
 */
export async function startDropTimes(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    (globalThis as { __name?: unknown }).__name ??= (f: unknown) => f; // tsx's esbuild names helpers with __name()
    const w = window as unknown as {
      __dropAt: Array<{ t: number; pane: number; n: number; rate: number }>;
      __keySeekAt: number[];
      __dropTimer?: ReturnType<typeof setInterval>;
      __dropT0: number;
      __offRateMs: number;
      __states: string[];
      __stateObs?: MutationObserver;
      __roundAt: number[];
      __roundObs?: MutationObserver;
      __gapAt: Array<{ t: number; ms: number }>;
      __rafOn: boolean;
    };
    w.__dropAt = [];
    w.__states = [];
    // Key-picture rounds (key-picture.ts sets data-pictures on each canvas it shows a picture on):
    // one time per round, and the page's animation frames that came late (a missed 33-ms tick).
    w.__roundAt = [];
    w.__roundObs?.disconnect();
    w.__roundObs = new MutationObserver(() => {
      const t = performance.now();
      if (t - (w.__roundAt[w.__roundAt.length - 1] ?? -1e9) > 20) w.__roundAt.push(t);
    });
    w.__roundObs.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-pictures'] });
    w.__gapAt = [];
    w.__rafOn = true;
    let lastRaf = performance.now();
    const raf = (t: number) => {
      if (t - lastRaf > 50) w.__gapAt.push({ t, ms: Math.round(t - lastRaf) });
      lastRaf = t;
      if (w.__rafOn) requestAnimationFrame(raf);
    };
    requestAnimationFrame(raf);
    // Panes leaving 'playing' in the window (a reconnect), with what the pane said.
    w.__stateObs?.disconnect();
    w.__stateObs = new MutationObserver((records) => {
      for (const r of records) {
        const pane = r.target as HTMLElement;
        const state = pane.getAttribute('data-state');
        if (r.oldValue === 'playing' && state !== 'playing')
          setTimeout(() => w.__states.push(`${state}: ${pane.innerText.replace(/\s+/g, ' ').slice(0, 160)}`), 30);
      }
    });
    w.__stateObs.observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-state'],
      attributeOldValue: true,
    });
    w.__keySeekAt = [];
    w.__dropT0 = performance.now();
    w.__offRateMs = 0;
    const rateOf = (v: Element) => v.closest('[data-rate]')?.getAttribute('data-rate');
    document.addEventListener(
      'seeking',
      (e) => {
        if (rateOf(e.target as Element) === 'key') w.__keySeekAt.push(performance.now());
      },
      true,
    );
    const last = new Map<HTMLVideoElement, number>();
    w.__dropTimer = setInterval(() => {
      [...document.querySelectorAll<HTMLVideoElement>(sel)].forEach((v, pane) => {
        const d = v.getVideoPlaybackQuality().droppedVideoFrames;
        const before = last.get(v);
        last.set(v, d);
        if (rateOf(v) === 'key') return;
        if (v.playbackRate !== 1) w.__offRateMs += 50;
        if (before !== undefined && d > before)
          w.__dropAt.push({ t: performance.now(), pane, n: d - before, rate: v.playbackRate });
      });
    }, 50);
  }, selector);
}

/**
 * The drop moments since startDropTimes by pane, and by phase of the wall-clock second (ten 100-ms
 * bins: the simulator's cameras cut their segments at one phase) beside the key-frame panes' seeks.
 */
export async function dropTimes(page: Page): Promise<{
  drops: number;
  /** drops while the pane played faster or slower than 1× (latency chasing), and pane-seconds spent so */
  dropsOffRate: number;
  offRatePaneS: number;
  /** panes that left 'playing' in the window, with what they said */
  leftPlaying: string[];
  byPane: Record<number, number>;
  dropsByPhase: number[];
  keySeeksByPhase: number[];
  /** key-picture rounds in the window */
  rounds: number;
  /** drop moments (drops within 60 ms of each other) by time since the last round: 100-ms bins, the last ≥ 1 s */
  momentsAfterRound: number[];
  /** animation frames more than 50 ms after the previous one, and how many drop moments came within 100 ms after one */
  lateFrames: number;
  momentsAfterLateFrame: number;
  moments: number;
}> {
  return page.evaluate(() => {
    (globalThis as { __name?: unknown }).__name ??= (f: unknown) => f;
    const w = window as unknown as {
      __dropAt: Array<{ t: number; pane: number; n: number; rate: number }>;
      __keySeekAt: number[];
      __dropTimer?: ReturnType<typeof setInterval>;
      __offRateMs: number;
      __states: string[];
      __stateObs?: MutationObserver;
      __roundAt: number[];
      __roundObs?: MutationObserver;
      __gapAt: Array<{ t: number; ms: number }>;
      __rafOn: boolean;
    };
    clearInterval(w.__dropTimer);
    w.__stateObs?.disconnect();
    w.__roundObs?.disconnect();
    w.__rafOn = false;
    const bin = (t: number) => Math.floor(((performance.timeOrigin + t) % 1000) / 100);
    const dropsByPhase = Array<number>(10).fill(0);
    const keySeeksByPhase = Array<number>(10).fill(0);
    const byPane: Record<number, number> = {};
    let drops = 0;
    let dropsOffRate = 0;
    for (const d of w.__dropAt) {
      drops += d.n;
      if (d.rate !== 1) dropsOffRate += d.n;
      byPane[d.pane] = (byPane[d.pane] ?? 0) + d.n;
      dropsByPhase[bin(d.t)]! += d.n;
    }
    for (const t of w.__keySeekAt) keySeeksByPhase[bin(t)]!++;
    const moments: number[] = [];
    for (const d of w.__dropAt) if (!moments.length || d.t - moments[moments.length - 1]! > 60) moments.push(d.t);
    const momentsAfterRound = Array<number>(11).fill(0);
    let momentsAfterLateFrame = 0;
    for (const t of moments) {
      const round = w.__roundAt.filter((r) => r <= t).pop();
      if (round !== undefined) momentsAfterRound[Math.min(10, Math.floor((t - round) / 100))]!++;
      // (the poller sees a drop up to 50 ms late; a late frame's time is when it finally came)
      if (w.__gapAt.some((g) => t - g.t >= -50 && t - g.t <= 100)) momentsAfterLateFrame++;
    }
    return {
      drops,
      dropsOffRate,
      offRatePaneS: w.__offRateMs / 1000,
      leftPlaying: w.__states,
      byPane,
      dropsByPhase,
      keySeeksByPhase,
      rounds: w.__roundAt.length,
      momentsAfterRound,
      lateFrames: w.__gapAt.length,
      momentsAfterLateFrame,
      moments: moments.length,
    };
  });
}
