import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { Core } from '../../main/core';
import { fileBackend } from '../../main/settings/file-backend';
import { KeyringVault } from '../../main/vault/vault';
import type { TreeNode } from '../../preload/contract';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { addDemoAccounts } from '../emulators/demo-accounts';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { VisEmulator } from '../emulators/huawei-vis/emulator';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { launchChromium } from '../helpers/browser';
import { publishing } from './wall';

/**
 * `npm run bench -- startup [--runs 3] [--panes 16]`: how long an operator waits from launch to a
 * playing wall. The browser host is started as its own process (`dist/main/host/web-cli.mjs`, as
 * `npm run start:web` does) on a data folder whose start-up view holds the panes, with Chromium
 * launched at the same moment (Electron starts its renderer with its main); every time is from
 * that spawn. UI: the wall's grid and the device tree's first node are on the page. A pane's first
 * frame: its video decoded one. Accounts on all four platform emulators; their secrets in the OS
 * keychain (a private gnome-keyring session when none runs).
 */
export interface StartupResult {
  bench: 'startup';
  panes: number;
  runs: number;
  /** medians over the runs */
  ui_ms: number;
  first_frame_p50_ms: number;
  all_panes_ms: number | null;
  /** the built renderer: every JS and CSS file */
  bundle_kb: number;
  /** JS the page had fetched when the UI was interactive (medians over runs) */
  initial_js_kb: number;
  /** per run: host ready (URL printed), UI, first frames, panes that showed a frame */
  each: Array<{
    host_ms: number;
    ui_ms: number;
    first_frame_p50_ms: number | null;
    all_panes_ms: number | null;
    playing: number;
    initial_js_kb: number;
    /** panes without a frame at the deadline, with the platform of their account */
    missing: string[];
    /**
     * Where the time goes, ms from the spawn: the host's own modules loaded, HTTP listening, core
     * made (marks the host prints: the core is made after the URL is printed), the URL read here,
     * Chromium launched, its page made, the page's HTML received, its scripts run
     * (DOMContentLoaded), the first pane connecting (its source asked for).
     */
    marks: Record<string, number | null>;
    /** The page's first request on each channel: ms from the spawn when sent and when answered. */
    requests: Record<string, [number, number | null]>;
  }>;
}

const log = (msg: string) => process.stderr.write(`[bench startup] ${msg}\n`);

/** Re-runs this process inside a private D-Bus session with an unlocked gnome-keyring, as `npm test` does. */
export function inPrivateKeyringIfNeeded(): number | null {
  if (process.platform !== 'linux' || process.env.VIGIL_TEST_KEYRING) return null;
  const r = spawnSync(
    'dbus-run-session',
    [
      '--',
      'bash',
      path.resolve('test/with-keyring.sh'),
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit' },
  );
  return r.status ?? 1;
}

export async function runStartup(o: { runs: number; panes: number }): Promise<StartupResult> {
  const sim = await MediaSimulator.start({
    channels: Array.from({ length: o.panes }, (_, i) => ({
      id: `s${String(i + 1).padStart(2, '0')}`,
      name: `Cam ${i + 1}`,
    })),
    sharedSubEncoder: true,
    prepareRecordings: false,
  });
  const media = platformMedia(sim);
  const simIds = [...sim.channels.keys()];
  const simFor = (channel: string) =>
    simIds[[...channel].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % simIds.length]!;
  const emulators = {
    ivc: await new IvcEmulator({ media }).start(),
    ivm: await new IvmEmulator({ media }).start(),
    vcs: await new VcsEmulator({ media }).start(),
    // VIS names its channels itself (GB28181 ids): each plays one of the simulator's cameras.
    vis: await new VisEmulator({
      media: { flv: (c) => sim.flv(simFor(c), 'sub'), hls: (c) => sim.hls(simFor(c), 'sub') },
    }).start(),
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-startup-'));
  try {
    await prepare(dataDir, emulators, o.panes);
    // The cameras stream all the time: a first frame is the client's, not the encoder's start-up.
    await Promise.all([...sim.channels.keys()].map((c) => publishing(sim.flv(c, 'sub'))));
    const each: StartupResult['each'] = [];
    for (let run = 0; run < o.runs; run++) {
      each.push(await launchOnce(dataDir, o.panes));
      log(`run ${run + 1}: ${JSON.stringify(each.at(-1))}`);
    }
    const med = (xs: Array<number | null>) => median(xs.filter((x): x is number => x !== null));
    return {
      bench: 'startup',
      panes: o.panes,
      runs: o.runs,
      ui_ms: med(each.map((r) => r.ui_ms)),
      first_frame_p50_ms: med(each.map((r) => r.first_frame_p50_ms)),
      all_panes_ms: each.every((r) => r.all_panes_ms !== null) ? med(each.map((r) => r.all_panes_ms)) : null,
      bundle_kb: bundleKb(),
      initial_js_kb: med(each.map((r) => r.initial_js_kb)),
      each,
    };
  } finally {
    await Promise.allSettled([...Object.values(emulators).map((e) => e.stop()), sim.stop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Accounts on every platform and a start-up view of `panes` online channels taken in turn from each. */
async function prepare(dataDir: string, emulators: Parameters<typeof addDemoAccounts>[1], panes: number) {
  const core = new Core({ host: 'web', dataDir, settingsBackend: fileBackend, vault: new KeyringVault() });
  try {
    const ids = await addDemoAccounts(core, emulators);
    const lists = await Promise.all(
      [ids.ivc, ids.ivm, ids.vis, ids.vcs].map(async (id) =>
        ((await core.wall.tree(id, true)).nodes as TreeNode[]).filter(
          (n) => n.kind === 'channel' && n.status === 'online',
        ),
      ),
    );
    const picks: TreeNode[] = [];
    for (let i = 0; picks.length < panes && lists.some((l) => l.length > i); i++)
      for (const l of lists) if (l[i] && picks.length < panes) picks.push(l[i]!);
    if (picks.length < panes) throw new Error(`only ${picks.length} online channels for ${panes} panes`);
    const view = core.views.save({
      name: 'startup bench',
      layout: String(panes),
      panes: picks.map((n) => ({ accountId: n.accountId, channelId: n.id, name: n.name })),
    } as never);
    core.views.setStartup(view.id);
    log(`start-up view: ${picks.map((p) => p.accountId.slice(0, 6)).join(' ')}`);
  } finally {
    await core.dispose();
  }
}

async function launchOnce(dataDir: string, panes: number): Promise<StartupResult['each'][number]> {
  const t0 = Date.now();
  const host = spawn(
    process.execPath,
    [
      // VIGIL_STARTUP_PROFILE: main's CPU profile too, written when the host exits.
      ...(process.env.VIGIL_STARTUP_PROFILE
        ? ['--cpu-prof', '--cpu-prof-interval', '500', '--cpu-prof-dir', process.env.VIGIL_STARTUP_PROFILE]
        : []),
      path.resolve('dist/main/host/web-cli.mjs'),
      ...['--data-dir', dataDir, '--port', '0'],
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, VIGIL_LOG_LEVEL: 'warn', VIGIL_STARTUP_MARKS: '1' },
    },
  );
  // The host prints its marks once its core is made, which may be after the page was asked for.
  const marksP = marksOf(host);
  let browserMs: number | null = null;
  const browserP = launchChromium().then((b) => {
    browserMs = Date.now() - t0;
    return b;
  });
  let browser: Browser | undefined;
  try {
    const url = await urlOf(host);
    const hostMs = Date.now() - t0;
    browser = await browserP;
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
    const pageMs = Date.now() - t0;
    await page.addInitScript(probe, panes);
    // VIGIL_STARTUP_PROFILE=<dir>: the page's CPU profile from navigation to the UI, per run, and
    // main's (CPU.*.cpuprofile; open them in Chromium's DevTools): where each side's time goes.
    const profileDir = process.env.VIGIL_STARTUP_PROFILE;
    const cdp = profileDir ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    await page.goto(url);
    const deadline = Date.now() + 30_000;
    let state: ProbeState;
    for (;;) {
      state = await page.evaluate(() => (window as unknown as { __startup: ProbeState }).__startup);
      if (Object.keys(state.frames).length >= panes || Date.now() > deadline) break;
      await page.waitForTimeout(100);
    }
    const frames = Object.values(state.frames).map((t) => t - t0);
    const hostMarks = await marksP;
    if (cdp && profileDir) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
      const file = path.join(profileDir, `startup-${process.pid}-${t0}.cpuprofile`);
      fs.mkdirSync(profileDir, { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      log(`page profile: ${file}`);
    }
    return {
      host_ms: hostMs,
      ui_ms: state.ui === null ? -1 : state.ui - t0,
      first_frame_p50_ms: frames.length ? median(frames) : null,
      all_panes_ms: frames.length >= panes ? Math.max(...frames) : null,
      playing: frames.length,
      initial_js_kb: Math.round(state.jsBytesAtUi / 1024),
      marks: {
        ...hostMarks,
        url_printed: hostMs,
        browser_launched: browserMs,
        page_made: pageMs,
        html: state.html === null ? null : Math.round(state.html - t0),
        scripts_run: state.scriptsRun === null ? null : Math.round(state.scriptsRun - t0),
        view_on_grid: state.viewOnGrid === null ? null : Math.round(state.viewOnGrid - t0),
        first_pane_connecting: state.firstConnecting === null ? null : Math.round(state.firstConnecting - t0),
      },
      requests: Object.fromEntries(
        Object.entries(state.requests).map(([channel, [sent, answered]]) => [
          channel,
          [Math.round(sent - t0), answered === null ? null : Math.round(answered - t0)],
        ]),
      ),
      missing: await page.evaluate(
        (seen) =>
          [...document.querySelectorAll<HTMLElement>('[data-testid^="wall-pane-"]')]
            .filter((p) => !seen.includes(p.dataset.testid!))
            .map(
              (p) => `${p.dataset.testid} ${p.dataset.channel ?? ''}: ${p.innerText.replace(/\s+/g, ' ').slice(0, 80)}`,
            ),
        Object.keys(state.frames),
      ),
    };
  } finally {
    await (browser ?? (await browserP.catch(() => undefined)))?.close();
    await stop(host);
  }
}

interface ProbeState {
  ui: number | null;
  frames: Record<string, number>;
  jsBytesAtUi: number;
  /**
   * epoch ms: the page's HTML received, its scripts run (DOMContentLoaded), the start-up view's
   * channels on the grid (every pane of the view names its channel), a pane first connecting
   */
  html: number | null;
  scriptsRun: number | null;
  viewOnGrid: number | null;
  firstConnecting: number | null;
  /** epoch ms: the first request on each channel sent over the host's socket (queued until it opens), and answered */
  requests: Record<string, [number, number | null]>;
}

/** In the page before any of its scripts: epoch times of the UI and of each pane's first frame. */
function probe(panes: number): void {
  const state: ProbeState = {
    ui: null,
    frames: {},
    jsBytesAtUi: 0,
    html: null,
    scriptsRun: null,
    viewOnGrid: null,
    firstConnecting: null,
    requests: {},
  };
  (window as unknown as { __startup: ProbeState }).__startup = state;
  // The page's requests to main, seen on its socket (the preload's WebSocket to the host's /ws).
  const ids = new Map<unknown, string>();
  const listened = new WeakSet<WebSocket>();
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
    if (typeof data === 'string' && this.url.endsWith('/ws')) {
      try {
        const { id, channel } = JSON.parse(data) as { id?: unknown; channel?: unknown };
        if (typeof channel === 'string' && !state.requests[channel]) {
          state.requests[channel] = [Date.now(), null];
          ids.set(id, channel);
        }
      } catch {
        // not a request frame
      }
      if (!listened.has(this)) {
        listened.add(this);
        this.addEventListener('message', (e: MessageEvent) => {
          try {
            const channel = ids.get((JSON.parse(String(e.data)) as { id?: unknown }).id);
            if (channel && state.requests[channel]![1] === null) state.requests[channel]![1] = Date.now();
          } catch {
            // not JSON
          }
        });
      }
    }
    return send.call(this, data);
  };
  const timer = setInterval(() => {
    const now = Date.now();
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    if (nav && state.html === null && nav.responseEnd > 0) state.html = performance.timeOrigin + nav.responseEnd;
    if (nav && state.scriptsRun === null && nav.domContentLoadedEventEnd > 0)
      state.scriptsRun = performance.timeOrigin + nav.domContentLoadedEventEnd;
    if (state.firstConnecting === null && document.querySelector('[data-state="connecting"], [data-state="playing"]'))
      state.firstConnecting = now;
    if (
      state.viewOnGrid === null &&
      document.querySelectorAll('[data-testid^="wall-pane-"][data-channel]:not([data-channel=""])').length >= panes
    )
      state.viewOnGrid = now;
    if (
      state.ui === null &&
      document.querySelector('[data-testid="wall-grid"]') &&
      document.querySelector('[data-testid="device-tree"] [data-testid^="node-"]')
    ) {
      state.ui = now;
      state.jsBytesAtUi = performance
        .getEntriesByType('resource')
        .filter((e) => /\.m?js(\?|$)/.test(e.name))
        .reduce((sum, e) => sum + ((e as PerformanceResourceTiming).decodedBodySize || 0), 0);
    }
    for (const pane of document.querySelectorAll<HTMLElement>('[data-testid^="wall-pane-"]')) {
      const id = pane.dataset.testid!;
      const video = pane.querySelector('video');
      if (state.frames[id] === undefined && video && video.getVideoPlaybackQuality().totalVideoFrames > 0)
        state.frames[id] = now;
    }
  }, 10);
  setTimeout(() => clearInterval(timer), 60_000);
}

function urlOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`browser host printed no URL in 30 s: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /Vigil browser host: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`browser host exited (${code}): ${out}`)));
  });
}

/** The host's start-up marks line (ms since its process started), printed right after its URL. */
function marksOf(child: ChildProcess): Promise<Record<string, number>> {
  return new Promise((resolve) => {
    let out = '';
    const done = (text: string) => {
      const m = /Vigil start-up marks: ([^\n]*)/.exec(text);
      if (!m) return false;
      resolve(Object.fromEntries(m[1]!.split(' ').map((kv) => [kv.split('=')[0]!, Number(kv.split('=')[1])])));
      return true;
    };
    const timer = setTimeout(() => resolve({}), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (done(out)) clearTimeout(timer);
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function bundleKb(): number {
  const dir = path.resolve('dist/renderer/assets');
  const bytes = fs
    .readdirSync(dir)
    .filter((f) => /\.(m?js|css)$/.test(f))
    .reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
  return Math.round(bytes / 1024);
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return Math.round(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}
