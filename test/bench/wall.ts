import type { Core } from '../../main/core';
import type { MotionSearchJob, MotionSearchUpdate } from '../../preload/contract';
import { MOTION_REGION } from '../emulators/media/motion-cameras';
import { platformMedia } from '../emulators/media/platform-media';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount } from '../helpers/accounts';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type WebHost } from '../../main/host/web';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import { MediaSimulator } from '../emulators/media/simulator';
import { launchChromium } from '../helpers/browser';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';

import { chromiumThreadCpuSeconds, machineCpuPct, machineCpuSeconds, rendererCpuSeconds, threadCpuPct } from './cpu';
import {
  dropTimes,
  firstFrames,
  heapMb,
  longTasks,
  samplePanes,
  seeks,
  startDropTimes,
  startFirstFrameWatch,
  startLongTaskWatch,
  type PaneSample,
} from './page-probes';
import { addPacer, pacerClip } from './pacer';

/**
 * `npm run bench -- wall [--panes 4,9,16,25,36,49,64] [--mode flv|hls] [--stalls] [--soak MINUTES] [--side vigil] [--drop-times] [--headful] [--pacer]`
 * N panes of 360p sub-streams through Vigil's player (its stream-test page, relay included) and,
 * in the same run, a naive page with N default mpegts.js (or hls.js) players — the baseline a web
 * console would be. Prints one JSON line; progress goes to stderr. Past 25 panes Vigil's decode
 * budget shows some panes key frames only; the run pins 9 (36 panes) or 4 (more) to full rate.
 * `latency_p95_s` is over full-rate panes, `frame_age_p95_s` over all; `dropped_pct` counts the
 * frames Vigil meant to show: its panes' seconds at full rate (key-frame panes apart, in
 * `reduced_dropped_pct`). `--soak` keeps Vigil's wall playing that many minutes after the
 * window, reading latency, frame age and the JS heap (after a forced GC) each minute; the summary
 * gives the heap's first, last and slope, and the dropped share over the whole soak and, apart,
 * over the minutes' quiet parts (without the read-outs and forced GCs only the bench does).
 */
export interface WallOptions {
  panes: number[];
  mode: 'flv' | 'hls';
  /** h265: every camera sends H.265; Chromium here cannot decode it, so main transcodes each pane (issue 24). */
  codec?: 'h264' | 'h265';
  stalls: boolean;
  soakMinutes: number;
  warmupS: number;
  /** which sides to run (default both: the baseline belongs in the same run) */
  sides?: Array<'vigil' | 'baseline'>;
  /** --profile: after the measuring windows, a 5-s JS profile of the page's main thread (top functions to stderr) */
  profile?: boolean;
  /** --trace: after the measuring windows, a 3-s Chromium trace: busiest events per thread (to stderr) */
  trace?: boolean;
  /** --key-phases N: the simulator encodes the sub picture N times with key frames 25/N frames apart (default 1) */
  keyPhases?: number;
  /** --viewport WxH: the page's size (default 1600x900), to see what the display compositor's pixels cost */
  viewport?: { width: number; height: number };
  /** --drop-times: when full-rate panes drop in the counters window, next to key-frame panes' seeks (stderr) */
  dropTimes?: boolean;
  /**
   * --headful: both sides in a real Chromium window on an Xvfb display the run starts and stops
   * (still no GPU), as Electron always shows one: headless output may redraw the whole viewport
   * each frame where a window redraws only what changed.
   */
  headful?: boolean;
  /** --pacer: a 2×2 60-fps video beside the wall (experiment: lifts Chromium's display to 60 Hz) */
  pacer?: boolean;
  /**
   * --sim-nice N: the simulator's cameras and media server at nice N — in the field they are other
   * machines; here they share the two cores with the client measured (default 0, as they were).
   */
  simNice?: number;
  /** --motion: motion searches through the core's service (its queue, niceness, relay) loop over a recording while each count is measured */
  motion?: boolean;
}

interface Result {
  panes: number;
  side: 'vigil' | 'baseline';
  mode: string;
  /** where Chromium drew: headless (the default) or a window on the run's Xvfb display (--headful) */
  display: 'headless' | 'xvfb-window';
  playing: number;
  ttff_p50_ms: number | null;
  ttff_p95_ms: number | null;
  /** glass-to-glass over full-rate panes */
  latency_p50_s: number | null;
  latency_p95_s: number | null;
  /** panes decoding every frame / key frames only (Vigil's decode budget), at the end of the window */
  full_rate_panes: number;
  reduced_panes: number;
  /** age of the picture on screen (glass-to-glass read off the clock strip), p95 over all panes */
  frame_age_p95_s: number | null;
  /** panes the run pinned to full rate (the operator's "selected" panes of a big wall) */
  pinned_panes: number;
  /** key-frame panes: share of their decoded frames Chromium counted dropped (see measure) */
  reduced_dropped_pct: number;
  buffer_latency_p50_s: number | null;
  /**
   * Rebuffers: 'waiting' events (a playing video out of data) of the panes at full rate at both
   * ends of the 20 s of the two windows, and how many of those panes had one.
   */
  stalls: number;
  stalled_panes: number;
  dropped_pct: number;
  cpu_pct: number;
  heap_mb: number;
  /** each minute of the soak; `dropped_pct` over that minute (intended frames, as the window's) */
  soak?: Array<{
    minute: number;
    latency_p95_s: number | null;
    frame_age_p95_s: number | null;
    heap_mb: number;
    dropped_pct: number;
    /** over the minute before its read-outs: without the clock reads and the forced GC, which only the bench does */
    quiet_dropped_pct: number;
  }>;
  /** the soak's JS heap (after a forced GC each minute): first and last minute, least-squares slope, and dropped over it */
  soak_summary?: {
    minutes: number;
    /** wall-clock length of the soak (each read-out takes a little under a minute) */
    elapsed_min: number;
    heap_first_mb: number;
    heap_last_mb: number;
    heap_max_mb: number;
    heap_slope_mb_per_min: number;
    latency_p95_max_s: number | null;
    frame_age_p95_max_s: number | null;
    dropped_pct: number;
    /** over the minutes' quiet parts (the soak's figure without what the bench's own read-outs and GCs cost) */
    quiet_dropped_pct: number;
  };
  /** --sim-nice: the nice value the simulator's cameras and media server ran at (absent: 0) */
  sim_nice?: number;
  codec?: 'h264' | 'h265';
  /** --codec h265: panes main transcodes at the end of the window, and its ffmpeg CPU per transcode (% of one core) */
  transcodes?: number;
  transcode_cpu_pct?: number | null;
  /**
   * Diagnostics of the counters window (not goals): the page's long tasks (main-thread tasks over
   * 50 ms) and CPU per Chromium thread, % of a core (renderer:CrRendererMain is the page's main thread).
   */
  diag?: {
    long_tasks: number;
    long_task_ms: number;
    thread_cpu_pct: Record<string, number>;
    /** CPU of every process on the machine by what it is (% of a core; 200 = both cores) */
    machine_cpu_pct: Record<string, number>;
    load_avg_1m: number;
    /** the page's animation frames a second: the display's begin-frame rate */
    raf_per_s: number;
  };
}

const log = (msg: string) => process.stderr.write(`[bench wall] ${msg}\n`);
/** The run's transcoder (--codec h265), for its count and CPU per transcode. */
let transcoderOf: Transcoder | null = null;

// --stalls: every stream freezes STALL_MS in every STALL_PERIOD_MS, from `stallsFrom` on.
const STALL_PERIOD_MS = 20_000;
const STALL_MS = 2000;
let stallsFrom = 0;

/** Panes a run pins to full rate, as an operator would select them: 4 on a 64-pane wall, 9 on a 36-pane one. */
export function pinnedFor(n: number): number {
  return n > 36 ? 4 : n > 25 ? 9 : 0;
}

/**
 * With stalls on, wait until 8 s after a freeze ended: latency is read where the player should
 * have caught up again (during a freeze every player shows an old frame; what differs is whether
 * it comes back to live or drifts). Without stalls, no wait.
 */
async function quietPhase(page: Page): Promise<void> {
  if (!stallsFrom) return;
  const phase = (Date.now() - stallsFrom) % STALL_PERIOD_MS;
  await page.waitForTimeout((STALL_MS + 8000 - phase + STALL_PERIOD_MS) % STALL_PERIOD_MS);
}

export async function runWall(o: WallOptions): Promise<{ bench: 'wall'; results: Result[] }> {
  const max = Math.max(...o.panes);
  stallsFrom = 0;
  const sim = await MediaSimulator.start({
    channels: [
      ...Array.from({ length: max }, (_, i) => ({
        id: `c${String(i + 1).padStart(2, '0')}`,
        name: `Cam ${i + 1}`,
        ...(o.codec === 'h265' ? { codec: 'h265' as const } : {}),
      })),
      ...(o.motion ? [{ id: 'motion', name: 'Motion', motion: {} }] : []),
    ],
    sharedSubEncoder: true,
    // No recordings encoded in the background: this bench plays live only, and a (niced) encoder
    // taking whatever CPU is left made up to 73 % of a core of a wall run's machine load.
    prepareRecordings: false,
    // --key-phases N: the cameras' key frames N phases apart (independent cameras), not all at one instant
    subKeyPhases: o.keyPhases ?? 1,
    ...(o.simNice ? { nice: o.simNice } : {}),
  });
  const { core } = makeCore({ vault: new MemoryVault(), relayLoopbackUrls: true });
  transcoderOf = core.transcoder;
  const motion = o.motion ? await motionCamera(sim, core) : null;
  const host = await startWebHost({ core, port: 0 });
  const baseline = await startBaselineServer();
  const viewport = o.viewport ?? { width: 1600, height: 900 };
  const xvfb = o.headful ? await startXvfb() : null;
  // the window a little taller than the page, for Chromium's own bars
  const browser = await launchChromium(
    xvfb ? { display: xvfb.display, windowSize: { width: viewport.width, height: viewport.height + 140 } } : {},
  ).catch(async (e: unknown) => {
    xvfb?.stop();
    throw e;
  });
  const results: Result[] = [];
  try {
    if (o.stalls) {
      sim.stallEvery(STALL_PERIOD_MS, STALL_MS);
      stallsFrom = Date.now();
    }
    // Every camera of the run streams before the first count is timed: publishers still starting
    // for the larger counts would load the machine while the first one is measured.
    const id = (i: number) => `c${String(i + 1).padStart(2, '0')}`;
    if (o.mode === 'flv') await Promise.all(Array.from({ length: max }, (_, i) => publishing(sim.flv(id(i), 'sub'))));
    for (const n of o.panes) {
      const urls = Array.from({ length: n }, (_, i) =>
        o.mode === 'hls' ? sim.hls(id(i), 'sub') : sim.flv(id(i), 'sub'),
      );
      if (o.mode === 'hls')
        await new Promise((r) => setTimeout(r, 4000)); // first live segments
      else await Promise.all(urls.map(publishing)); // cameras stream all the time: TTFF is the player's, not ffmpeg's start-up
      for (const side of o.sides ?? (['vigil', 'baseline'] as const)) {
        log(`${n} panes, ${side}, ${o.mode}${o.stalls ? ', stalls' : ''}`);
        const search = motion ? motionLoop(core, motion) : null;
        results.push(await measure(browser, side, n, urls, o, host, baseline.url));
        if (search) log(`  motion search alongside: ${await search.stop()}`);
      }
    }
  } finally {
    await browser.close();
    xvfb?.stop();
    await host.close();
    await baseline.close();
    await motion?.ivc.stop();
    await sim.stop();
  }
  return { bench: 'wall', results };
}

interface MotionCamera {
  ivc: IvcEmulator;
  accountId: string;
  channel: { id: string; name: string };
  rec: { start: number; end: number };
}

/** The motion camera's recording, served by a Tencent IVC emulator added to the core as an account. */
async function motionCamera(sim: MediaSimulator, core: Core): Promise<MotionCamera> {
  const rec = sim.recordings('motion')[0]!;
  await sim.prepareRecording('motion', rec.start);
  const ivc = await new IvcEmulator({ media: platformMedia(sim, ['motion']) }).start();
  const accountId = await addAccount(core, 'Motion search', ivcAccount(ivc));
  const channel = (await (await core.accounts.platform(accountId)).tree()).find((n) => n.kind === 'channel')!;
  return { ivc, accountId, channel, rec };
}

/**
 * Motion searches one after another until stopped, asked of the core as the playback page asks
 * (`motion:start`): what ships runs them, with its queue, niceness and relay.
 */
function motionLoop(core: Core, cam: MotionCamera): { stop(): Promise<string> } {
  let stopped = false;
  let current: string | null = null;
  let seconds = 0;
  const t0 = Date.now();
  const search = () =>
    new Promise<void>((resolve, reject) => {
      const off = core.events.subscribe((event, payload) => {
        const u = payload as MotionSearchUpdate;
        if (event !== 'main:motion' || u.job.id !== current) return;
        if (u.job.state !== 'done' && u.job.state !== 'failed' && u.job.state !== 'cancelled') return;
        off();
        if (u.job.state === 'done') seconds += u.job.recordedMs / 1000;
        resolve();
      });
      void core
        .call('motion:start', {
          accountId: cam.accountId,
          channelId: cam.channel.id,
          name: cam.channel.name,
          kind: 'cloud',
          startMs: cam.rec.start,
          endMs: cam.rec.end,
          regions: [MOTION_REGION],
          sensitivity: 50,
        })
        .then((r) => {
          if (r.ok) current = (r.result as MotionSearchJob).id;
          else {
            off();
            reject(new Error(`motion search refused: ${JSON.stringify(r.error)}`));
          }
        });
    });
  const loop = (async () => {
    while (!stopped) await search();
  })();
  return {
    stop: async () => {
      stopped = true;
      if (current) await core.call('motion:cancel', { id: current });
      await loop;
      return `${seconds} s of recording searched in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    },
  };
}

/** An Xvfb on the first free display from :99 (its lock file absent), once it accepts connections. */
async function startXvfb(): Promise<{ display: string; stop(): void }> {
  let n = 99;
  while (fs.existsSync(`/tmp/.X${n}-lock`)) n++;
  const proc: ChildProcess = spawn('Xvfb', [`:${n}`, '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  const failed = new Promise<never>((_, reject) => {
    proc.once('error', (e) => reject(new Error(`--headful needs Xvfb (apt-get install xvfb): ${e.message}`)));
    proc.once('exit', (code) => reject(new Error(`Xvfb :${n} exited (${code}) before it accepted connections`)));
  });
  const ready = (async () => {
    for (let i = 0; i < 100 && !fs.existsSync(`/tmp/.X11-unix/X${n}`); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!fs.existsSync(`/tmp/.X11-unix/X${n}`)) throw new Error(`Xvfb :${n} did not start in 10 s`);
  })();
  try {
    await Promise.race([ready, failed]);
  } catch (e) {
    proc.kill();
    throw e;
  }
  failed.catch(() => {}); // its later exit (our stop) is no error
  log(`Xvfb on :${n} (headful window, no GPU)`);
  return { display: `:${n}`, stop: () => proc.kill() };
}

let pacerBytes: Buffer | undefined;

async function measure(
  browser: Browser,
  side: 'vigil' | 'baseline',
  n: number,
  urls: string[],
  o: WallOptions,
  host: WebHost,
  baselineUrl: string,
): Promise<Result> {
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1600, height: 900 } });
  const page = await context.newPage();
  const selector = side === 'vigil' ? '[data-testid^="pane-"] video' : 'video:not([data-pacer])';
  let clickAt: () => Promise<void>;
  if (side === 'vigil') {
    await page.goto(host.url);
    await page.getByRole('menuitem', { name: /Stream test|流测试/ }).click();
    await page.getByTestId('streamtest-page').waitFor();
    await page.getByTestId('streamtest-urls').fill(urls.join('\n'));
    // The wall shows no stats overlay unless asked: neither does the bench (64 overlays' text
    // changing every second kept the main thread repainting).
    await page.getByTestId('streamtest-page').getByRole('switch').click();
    clickAt = () => page.getByTestId('streamtest-play').click();
  } else {
    await page.goto(`${baselineUrl}/?mode=${o.mode}`);
    clickAt = () => page.evaluate((list) => (window as unknown as { start(u: string[]): void }).start(list), urls);
  }
  // The vigil panes exist only after play: watch once they do.
  if (side === 'baseline') await startFirstFrameWatch(page, selector);
  await clickAt();
  const pinned = side === 'vigil' ? pinnedFor(n) : 0;
  if (side === 'vigil') {
    await startFirstFrameWatch(page, selector);
    // Ctrl+click pins a pane to full rate; the last ones, so it is the pin and not wall order that keeps them full.
    for (let i = n - pinned; i < n; i++)
      await page.getByTestId(`streamtest-cell-${i}`).click({ modifiers: ['Control'] });
    await page.mouse.move(0, 0); // a pane under the pointer decodes every frame: move it off the wall
  }
  if (o.pacer) await addPacer(page, (pacerBytes ??= pacerClip()));
  await page.waitForTimeout(o.warmupS * 1000);
  log(`  measuring`);

  // Two windows of 10 s. First the counters alone (frames, drops, CPU): reading a clock strip means
  // taking each video's current frame, which costs the renderer enough to drop frames of its own
  // at 25 panes. Then the clock strips, once a second, for glass-to-glass latency.
  await startLongTaskWatch(page);
  if (o.dropTimes) await startDropTimes(page, selector);
  const threads0 = chromiumThreadCpuSeconds();
  const machine0 = machineCpuSeconds();
  const cpu0 = rendererCpuSeconds();
  const transcodeCpu: number[] = [];
  const t0 = Date.now();
  const before = await samplePanes(page, selector, false);
  const seeks0 = await seeks(page);
  await page.waitForTimeout(10_000);
  const after = await samplePanes(page, selector, false);
  if (o.dropTimes) log(`  drop times (full-rate panes): ${JSON.stringify(await dropTimes(page))}`);
  // main measures each transcode's ffmpeg every 2 s: the last measure of the window
  if (o.codec === 'h265' && side === 'vigil')
    for (const t of transcoderOf?.list().transcodes ?? []) if (t.cpuPct !== null) transcodeCpu.push(t.cpuPct);
  const transcodes = transcoderOf?.list().transcodes.length ?? 0;
  const seeksInWindow = (await seeks(page)) - seeks0;
  const cpuPct = (100 * (rendererCpuSeconds() - cpu0)) / ((Date.now() - t0) / 1000);
  const threadPct = threadCpuPct(threads0, chromiumThreadCpuSeconds(), (Date.now() - t0) / 1000);
  const machinePct = machineCpuPct(machine0, machineCpuSeconds(), (Date.now() - t0) / 1000);
  const load = os.loadavg()[0]!;
  // The display's begin-frame rate, as the page's animation frames see it (Chromium's frame-interval policy sets it).
  const rafPerS = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let n = 0;
        const from = performance.now();
        const tick = () => (performance.now() - from < 2000 ? (n++, requestAnimationFrame(tick)) : resolve(n / 2));
        requestAnimationFrame(tick);
      }),
  );
  log(`  CPU by process (% of a core): ${JSON.stringify(machinePct)}; load ${load.toFixed(1)}`);
  const long = await longTasks(page);
  log(`  long tasks ${long.n}, ${long.ms} ms; CPU by thread (% of a core): ${JSON.stringify(threadPct)}`);
  const samples: PaneSample[][] = [];
  for (let i = 0; i < 10; i++) {
    samples.push(await samplePanes(page, selector));
    await page.waitForTimeout(1000);
  }

  // Soak: about each minute (between freezes with --stalls), five read-outs a second apart (p95
  // over every pane's) and the JS heap after a forced garbage collection, so the heap compares
  // what is kept, not when GC last ran.
  const soak: Result['soak'] = [];
  let soakSummary: Result['soak_summary'];
  if ((o.soakMinutes > 0 && side === 'vigil') || o.stalls) {
    const minutes = o.soakMinutes > 0 ? o.soakMinutes : 3;
    const cdp = await context.newCDPSession(page);
    const soak0 = await samplePanes(page, selector, false);
    let minuteStart = soak0;
    let quietStart = soak0;
    const quiet = { frames: 0, dropped: 0 };
    const soakStart = Date.now();
    for (let m = 1; m <= minutes; m++) {
      // read-outs end about a minute apart, whatever they take
      await page.waitForTimeout(Math.max(1000, soakStart + m * 60_000 - 6000 - Date.now()));
      await quietPhase(page);
      const quietDrops = intendedDrops(quietStart, await samplePanes(page, selector, false));
      quiet.frames += quietDrops.frames;
      quiet.dropped += quietDrops.dropped;
      const reads: PaneSample[] = [];
      for (let i = 0; i < 5; i++) {
        reads.push(...(await samplePanes(page, selector)));
        await page.waitForTimeout(1000);
      }
      await cdp.send('HeapProfiler.collectGarbage');
      const minuteEnd = await samplePanes(page, selector, false);
      soak.push({
        minute: m,
        latency_p95_s: pct(
          reads
            .filter((x) => x.decodeRate === 'full')
            .map((x) => x.latencyMs)
            .filter(isNum),
          95,
          1000,
        ),
        frame_age_p95_s: pct(reads.map((x) => x.latencyMs).filter(isNum), 95, 1000),
        heap_mb: round(await heapMb(page)),
        dropped_pct: intendedDrops(minuteStart, minuteEnd).pct,
        quiet_dropped_pct: quietDrops.pct,
      });
      minuteStart = minuteEnd;
      // (the quiet part starts once the forced GC's pause is over and its drops are counted)
      await page.waitForTimeout(2000);
      quietStart = await samplePanes(page, selector, false);
      const now = soak[soak.length - 1]!;
      log(
        `  minute ${m}: latency p95 ${now.latency_p95_s} s, frame age p95 ${now.frame_age_p95_s} s, heap ${now.heap_mb} MB, dropped ${now.dropped_pct} % (${now.quiet_dropped_pct} % before the read-outs)`,
      );
    }
    const soak1 = await samplePanes(page, selector, false);
    const heaps = soak.map((x) => x.heap_mb);
    const maxOf = (v: Array<number | null>) => (v.some(isNum) ? Math.max(...v.filter(isNum)) : null);
    soakSummary = {
      minutes,
      elapsed_min: round((Date.now() - soakStart) / 60_000),
      heap_first_mb: heaps[0]!,
      heap_last_mb: heaps[heaps.length - 1]!,
      heap_max_mb: Math.max(...heaps),
      heap_slope_mb_per_min: round(slope(heaps), 3),
      latency_p95_max_s: maxOf(soak.map((x) => x.latency_p95_s)),
      frame_age_p95_max_s: maxOf(soak.map((x) => x.frame_age_p95_s)),
      dropped_pct: intendedDrops(soak0, soak1).pct,
      quiet_dropped_pct: round(quiet.frames > 0 ? (100 * quiet.dropped) / quiet.frames : 0),
    };
    log(`  soak: ${JSON.stringify(soakSummary)}`);
  }

  // Per pane (in pane order; Vigil's first 5 are direct, the rest relayed): where latency builds.
  log(
    `  glass-to-glass / buffered by pane (s, * = key frames only): ${samples[samples.length - 1]!.map((x) => `${x.latencyMs === null ? '-' : (x.latencyMs / 1000).toFixed(2)}/${x.bufferLatencyS.toFixed(1)}${x.decodeRate === 'key' ? '*' : ''}`).join(' ')}`,
  );
  const flat = samples.flat();
  log(
    `  dropped by pane: ${after.map((s, i) => s.dropped - (before[i]?.dropped ?? 0)).join(' ')}; seeks in the 10 s: ${seeksInWindow}; samples catching up (rate > 1): ${flat.filter((s) => s.rate > 1).length}/${flat.length}; clock read off the frame ${flat.filter((s) => s.via === 'frame').length}, the canvas ${flat.filter((s) => s.via === 'canvas').length}, a key-frame pane's picture ${flat.filter((s) => s.via === 'picture').length}`,
  );
  if (o.profile) await profileMainThread(page);
  if (o.trace) await traceThreads(page);
  log(`  collecting`);
  const ttff = await firstFrames(page);
  const playing = playingPanes(before, after);
  const read = o.stalls && soak.length ? await samplesAfter(page, selector) : samples.flat();
  const latencies = read
    .filter((s) => s.decodeRate === 'full')
    .map((s) => s.latencyMs)
    .filter(isNum);
  const ages = read.map((s) => s.latencyMs).filter(isNum);
  const last = samples[samples.length - 1]!;
  // Dropped frames over the frames Vigil meant to show: each Vigil pane counts the seconds it was
  // at full rate throughout (its data-full-* attributes); a key-frame pane decodes two frames a GOP
  // to show the key frame (the second only pushes it out of the decoder, and Chromium counts it
  // dropped when the next key frame replaces it) — reported apart. The baseline shows every frame.
  const drops = intendedDrops(before, after);
  const stalls = rebuffers(before, last);
  const result: Result = {
    panes: n,
    side,
    mode: o.mode,
    display: o.headful ? 'xvfb-window' : 'headless',
    playing,
    ttff_p50_ms: pct(ttff, 50),
    ttff_p95_ms: n === ttff.length ? pct(ttff, 95) : null,
    latency_p50_s: pct(latencies, 50, 1000),
    latency_p95_s: pct(latencies, 95, 1000),
    full_rate_panes: last.filter((s) => s.frames > 0 && s.decodeRate === 'full').length,
    reduced_panes: last.filter((s) => s.frames > 0 && s.decodeRate === 'key').length,
    frame_age_p95_s: pct(ages, 95, 1000),
    pinned_panes: pinned,
    buffer_latency_p50_s: pct(
      samples.flat().map((s) => s.bufferLatencyS),
      50,
      1,
    ),
    stalls: stalls.stalls,
    stalled_panes: stalls.stalledPanes,
    dropped_pct: drops.pct,
    reduced_dropped_pct: drops.reducedPct,
    cpu_pct: round(cpuPct),
    heap_mb: round(await heapMb(page)),
    diag: {
      long_tasks: long.n,
      long_task_ms: long.ms,
      thread_cpu_pct: threadPct,
      machine_cpu_pct: machinePct,
      load_avg_1m: round(load),
      raf_per_s: rafPerS,
    },
    ...(o.simNice ? { sim_nice: o.simNice } : {}),
    ...(soak.length ? { soak } : {}),
    ...(soakSummary ? { soak_summary: soakSummary } : {}),
    ...(o.codec === 'h265'
      ? {
          codec: 'h265' as const,
          transcodes: side === 'vigil' ? transcodes : 0,
          transcode_cpu_pct: transcodeCpu.length
            ? round(transcodeCpu.reduce((a, b) => a + b, 0) / transcodeCpu.length)
            : null,
        }
      : {}),
  };
  log(`  done: ${JSON.stringify(result)}`);
  await context.close();
  return result;
}

/** Panes that showed new frames between the two samples: their video's, or the worker's pictures (a key-frame HLS pane's video may not move at all: hls-key-refresh.ts). */
export function playingPanes(before: PaneSample[], after: PaneSample[]): number {
  const shown = (s: PaneSample | undefined) => (s ? s.frames + s.pictures : 0);
  return after.filter((s, i) => shown(s) > shown(before[i])).length;
}

/**
 * Dropped share of the frames meant to show between two samples of every pane: a Vigil pane's
 * full-rate counters, the baseline's raw counters (a connection that restarted counts from zero).
 */
export function intendedDrops(
  before: PaneSample[],
  after: PaneSample[],
): { pct: number; reducedPct: number; frames: number; dropped: number } {
  let frames = 0;
  let dropped = 0;
  let reducedFrames = 0;
  let reducedDropped = 0;
  after.forEach((s, i) => {
    const b = before[i];
    const restarted = !b || s.frames < b.frames;
    const allFrames = s.frames - (restarted ? 0 : b.frames);
    const allDropped = s.dropped - (restarted ? 0 : b.dropped);
    if (s.fullFrames === null || s.fullDropped === null) {
      frames += allFrames;
      dropped += allDropped;
      return;
    }
    const fresh = restarted || b.fullFrames === null || s.fullFrames < b.fullFrames;
    const f = s.fullFrames - (fresh ? 0 : b.fullFrames!);
    const d = s.fullDropped - (fresh ? 0 : b.fullDropped!);
    frames += f;
    dropped += d;
    // (and the pictures the worker decoded for it: a key-frame HLS pane's video may decode none)
    // (the pane's picture count lives as long as the pane, not its connection)
    reducedFrames += Math.max(0, allFrames - f) + Math.max(0, s.pictures - (b?.pictures ?? 0));
    reducedDropped += Math.max(0, allDropped - d);
  });
  return {
    pct: round(frames > 0 ? (100 * dropped) / frames : 0),
    reducedPct: round(reducedFrames > 0 ? (100 * reducedDropped) / reducedFrames : 0),
    frames,
    dropped,
  };
}

/** 'waiting' events between two samples of the panes at full rate in both (a key-frame pane is paused by design). */
export function rebuffers(before: PaneSample[], after: PaneSample[]): { stalls: number; stalledPanes: number } {
  const waits = after.flatMap((s, i) => {
    const b = before[i];
    return b && s.decodeRate === 'full' && b.decodeRate === 'full' ? [Math.max(0, s.waits - b.waits)] : [];
  });
  return { stalls: waits.reduce((a, w) => a + w, 0), stalledPanes: waits.filter((w) => w > 0).length };
}

/** 5 s of the page's JS on a sampling profile: self time by function and by script, busiest first, to stderr. */
async function profileMainThread(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  await page.waitForTimeout(5000);
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const dt = new Map<number, number>();
  profile.samples?.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000));
  const byFn = new Map<string, number>();
  const byScript = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = dt.get(node.id) ?? 0;
    if (!ms) continue;
    const f = node.callFrame;
    const script = f.url ? (f.url.split('/').pop() ?? f.url) : '(native)';
    const name = `${f.functionName || '(anonymous)'} ${script}:${f.lineNumber + 1}`;
    byFn.set(name, (byFn.get(name) ?? 0) + ms);
    byScript.set(script, (byScript.get(script) ?? 0) + ms);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${Math.round(v)} ms ${k}`)
      .join('\n    ');
  log(`  profile (5 s, self time) by script:\n    ${top(byScript, 8)}\n  by function:\n    ${top(byFn, 25)}`);
}

/**
 * 3 s of a Chromium trace (renderer, GPU and media categories): per thread, the events taking the
 * most time (inclusive, so nested ones count in their parents too) and how many there were, to stderr.
 */
async function traceThreads(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const events: Array<{
    name: string;
    ph: string;
    dur?: number;
    pid: number;
    tid: number;
    args?: { name?: string; data?: { type?: string } };
  }> = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)));
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: [
        'toplevel',
        'media',
        'blink',
        'cc',
        'viz',
        'gpu',
        'devtools.timeline',
        'v8',
        'blink.user_timing',
      ],
    },
  });
  await page.waitForTimeout(3000);
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  const byThread = new Map<string, Map<string, { ms: number; n: number }>>();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const thread = threadName.get(`${e.pid}:${e.tid}`) ?? `${e.tid}`;
    const name = e.name === 'EventDispatch' && e.args?.data?.type ? `EventDispatch ${e.args.data.type}` : e.name;
    const m = byThread.get(thread) ?? new Map<string, { ms: number; n: number }>();
    byThread.set(thread, m);
    const v = m.get(name) ?? { ms: 0, n: 0 };
    v.ms += e.dur / 1000;
    v.n++;
    m.set(name, v);
  }
  const lines: string[] = [];
  for (const [thread, m] of byThread) {
    const rows = [...m].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14);
    if (!rows.length || rows[0]![1].ms < 30) continue;
    lines.push(`${thread}: ${rows.map(([k, v]) => `${k} ${Math.round(v.ms)} ms/${v.n}`).join('; ')}`);
  }
  log(`  trace (3 s, inclusive ms/count):\n    ${lines.join('\n    ')}`);
}

/** Least-squares slope of evenly spaced values (per step). */
export function slope(values: number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

async function samplesAfter(page: Page, selector: string): Promise<PaneSample[]> {
  await quietPhase(page);
  const out: PaneSample[] = [];
  for (let i = 0; i < 10; i++) {
    out.push(...(await samplePanes(page, selector)));
    await page.waitForTimeout(200);
  }
  return out;
}

/** Resolves once the stream's first media bytes arrive (the publisher is up). */
export async function publishing(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(url).catch(() => null);
    const reader = res?.ok ? res.body?.getReader() : undefined;
    const first = await reader?.read();
    const second = first && !first.done ? await reader!.read() : undefined; // past the header: frames flow
    await reader?.cancel();
    if (second && !second.done) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never started`);
}

function isNum(v: number | null): v is number {
  return v !== null && Number.isFinite(v);
}

function pct(values: number[], p: number, divisor = 1): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return round(v / divisor, divisor === 1 ? 1 : 3);
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** The baseline page: N <video>s with default mpegts.js / hls.js players, nothing tuned. */
async function startBaselineServer(): Promise<{ url: string; close(): Promise<void> }> {
  const root = path.resolve('node_modules');
  const page = `<!doctype html><html><body style="margin:0;background:#000">
<div id="grid" style="display:grid;gap:2px;height:100vh"></div>
<script src="/mpegts.js"></script><script src="/hls.js"></script>
<script>
window.start = function (urls) {
  var mode = new URLSearchParams(location.search).get('mode');
  var grid = document.getElementById('grid');
  var cols = Math.ceil(Math.sqrt(urls.length));
  grid.style.gridTemplateColumns = 'repeat(' + cols + ', 1fr)';
  urls.forEach(function (u) {
    var v = document.createElement('video');
    v.muted = true; v.autoplay = true; v.style.width = '100%'; v.style.height = '100%';
    grid.appendChild(v);
    if (mode === 'hls') { var h = new Hls(); h.attachMedia(v); h.loadSource(u); }
    else { /* told there is no audio: cameras mostly have none */ var p = mpegts.createPlayer({ type: 'flv', isLive: true, hasAudio: false, url: u }); p.attachMediaElement(v); p.load(); p.play(); }
  });
};
</script></body></html>`;
  const server = http.createServer((req, res) => {
    const files: Record<string, string> = {
      '/mpegts.js': path.join(root, 'mpegts.js/dist/mpegts.js'),
      '/hls.js': path.join(root, 'hls.js/dist/hls.min.js'),
    };
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (file) {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(page);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
