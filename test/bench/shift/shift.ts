import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Core } from '../../../main/core';
import { startWebHost, type WebHost } from '../../../main/host/web';
import type { Alarm, TreeNode } from '../../../preload/contract';
import { VcsEmulator } from '../../emulators/aliyun-vcs/emulator';
import { IvmEmulator } from '../../emulators/huawei-ivm/emulator';
import { VisEmulator } from '../../emulators/huawei-vis/emulator';
import { platformMedia } from '../../emulators/media/platform-media';
import { freePort, MediaSimulator } from '../../emulators/media/simulator';
import { IvcEmulator } from '../../emulators/tencent-ivc/emulator';
import { ivcAccount, ivmAccount, vcsAccount } from '../../helpers/accounts';
import { launchChromium } from '../../helpers/browser';
import { addAccount, makeCore, MemoryVault } from '../../helpers/core';
import { startMosquitto, type Broker } from '../../helpers/mosquitto';
import { makeFault, type Fault, type FaultWorld } from './faults';
import { LOOP_GRACE_S, PLAYBACK_CAMERAS, startPlaybackWindow } from './playback-window';
import { describePane, errorsShown, heapAfterGc, startPaneProbe, takePaneSeconds, unreadStrips } from './probe';
import { availabilityPct, losses, recoveries, shiftReport, type PaneSeconds, type ShiftReport } from './report';
import { faultSchedule, PLATFORMS, type PlatformKey, type ScheduledFault } from './schedule';

/**
 * `npm run bench -- shift [--minutes N] [--panes 16] [--chaos] [--seed S]`: an operator's shift.
 * A wall of all four platforms (one H.265 camera) in the browser host, a second window playing
 * four IVC recordings in sync over and over (playback-window.ts), two control-room seats on
 * mosquitto taking IVM alarm pushes at 60 a minute (the second seat acknowledging every fourth),
 * and with --chaos the faults of schedule.ts at their times. One JSON line at the end (report.ts),
 * one on stderr every 10 minutes. Main's RSS and descriptors are this process's: the core and the
 * emulators share it (ffmpeg, mosquitto and Chromium are processes of their own).
 */
export interface ShiftOptions {
  minutes: number;
  panes: number;
  chaos: boolean;
  seed: number;
}

const log = (msg: string) => process.stderr.write(`[bench shift] ${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ALARMS_PER_MIN = 60;
const ACK_EVERY = 4;

export async function runShift(o: ShiftOptions): Promise<ShiftReport> {
  const stops: Array<() => Promise<unknown> | unknown> = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch((e: unknown) => log(`stop: ${String(e)}`));
  };
  try {
    const broker = await startMosquitto();
    stops.push(() => broker.stop());
    const sim = await MediaSimulator.start({
      channels: Array.from({ length: o.panes }, (_, i) => ({
        id: `s${String(i + 1).padStart(2, '0')}`,
        name: `Cam ${i + 1}`,
        // one H.265 camera: main transcodes it for Chromium
        ...(i === o.panes - 1 ? { codec: 'h265' as const } : {}),
      })),
      sharedSubEncoder: true,
      prepareRecordings: false,
      // When the cameras are back after a restart, beside when the panes are: what is whose.
      onPublish: (streamPath) => log(`camera publishing: ${streamPath}`),
      // A recording (or its segments) asked for before it is made is the platform's work, not the
      // client's: an export of a recording not yet made costs the simulator two cores of libx265.
      // Lowest priority; whole recordings are said on the log with how long they took.
      recordingNice: 19,
      onRecording: (e) =>
        e.urgent &&
        log(
          `recording ${e.channel}/${e.start} ${e.ok ? 'encoded' : 'not made'} when asked for, in ${e.seconds.toFixed(1)} s`,
        ),
    });
    stops.push(() => sim.stop());
    const media = platformMedia(sim);
    const simIds = [...sim.channels.keys()];
    const simFor = (c: string) =>
      simIds[[...c].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % simIds.length]!;
    const ivm = await new IvmEmulator({ media }).start();
    const vis = await new VisEmulator({
      media: { flv: (c) => sim.flv(simFor(c), 'sub'), hls: (c) => sim.hls(simFor(c), 'sub') },
    }).start();
    const ivc = await new IvcEmulator({ media }).start();
    // Pull authentication on (E08), so IVC's play URLs expire and a lapse of them can be a fault.
    Object.assign(ivc.authStream, { PullState: 1, PullSecret: 'shift', PullExpired: 30 });
    const vcs = await new VcsEmulator({ media }).start();
    for (const e of [ivm, vis, ivc, vcs]) stops.push(() => e.stop());

    // Seat A: the operator's Vigil, secrets in the OS keychain; seat B: a second desk.
    const { core } = makeCore({});
    stops.push(async () => {
      for (const a of core.settings.get().accounts) await core.accounts.remove(a.id).catch(() => undefined);
      await core.dispose();
    });
    const seatB = makeCore({ vault: new MemoryVault() }).core;
    stops.push(() => seatB.dispose());
    const accounts: Record<PlatformKey, string> = {
      ivm: await addAccount(core, 'IVM', ivmAccount(ivm)),
      // VIS by IAM token (user and password), so its token can expire under the wall
      vis: await addAccount(core, 'VIS', {
        config: {
          platform: 'huawei-vis',
          region: 'cn-north-4',
          projectId: vis.credentials.projectId,
          authMode: 'token',
          iamEndpoint: vis.iamBaseUrl,
          domain: vis.credentials.domain,
          user: vis.credentials.user,
          endpoint: vis.baseUrl,
        },
        secret: vis.credentials.password,
      } as never),
      ivc: await addAccount(core, 'IVC', ivcAccount(ivc)),
      vcs: await addAccount(core, 'VCS', vcsAccount(vcs)),
    };
    const panes = await pickPanes(core, accounts, o.panes);
    const view = core.views.save({
      name: 'shift',
      layout: String(o.panes),
      panes: panes.map((p) => ({ accountId: p.accountId, channelId: p.channelId, name: p.name })),
    } as never);
    core.views.setStartup(view.id);
    log(`wall: ${panes.map((p) => p.platform).join(' ')}`);
    const platformOf = Object.fromEntries(panes.map((p, i) => [`pane-${i}`, p.platform]));

    const host: WebHost = await startWebHost({ core, port: 0 });
    stops.push(() => host.close());
    const browser = await launchChromium();
    stops.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByTestId('wall-page').waitFor();
    // The second window (same session, as Vigil's second window is): synced playback on a loop.
    const playback = await startPlaybackWindow({
      page: await context.newPage(),
      url: host.url,
      core,
      ivcAccount: accounts.ivc,
      ivc,
      sim,
      log,
    });
    stops.push(() => playback.stop());
    // The operator watches the wall: Chromium runs the focused window's renderer at normal priority
    // and every other one at nice 5 (Linux), and a page opened later takes the focus.
    await page.bringToFront();

    const alarms = await startAlarms(core, seatB, broker, ivm, accounts.ivm);
    stops.push(() => alarms.stop());

    await startPaneProbe(page, o.panes);
    // Warm-up: every pane fresh, or 90 s (the figures then say which were not).
    const warmEnd = Date.now() + 90_000;
    for (;;) {
      const s = await takePaneSeconds(page);
      if ((s.at(-1)?.[1] ?? '').replace(/F/g, '') === '' && s.length) break;
      if (Date.now() > warmEnd) {
        log(`warm-up: not every pane fresh: ${s.at(-1)?.[1] ?? 'nothing'}`);
        break;
      }
      await sleep(1000);
    }
    await takePaneSeconds(page);
    log(
      `panes: ${(
        await page.evaluate(() =>
          [...document.querySelectorAll('[data-testid^="wall-pane-"]')].map(
            (p) =>
              `${p.getAttribute('data-testid')!.slice(10)}:${p.getAttribute('data-stream')}` +
              `${p.querySelector('[data-testid="pane-transcode"]') ? ':h265' : ''}` +
              `:${p.querySelector('[data-rate]')?.getAttribute('data-rate') ?? ''}` +
              // frames decoded/dropped since the pane's connection: which pane drops, if the budget cut
              `:${((q) => (q ? `${q.totalVideoFrames}/${q.droppedVideoFrames}` : '-'))(p.querySelector('video')?.getVideoPlaybackQuality())}`,
          ),
        )
      ).join(' ')}`,
    );
    await wallShot(page, 'start');
    alarms.begin();
    const t0 = Math.floor(Date.now() / 1000);
    const schedule = o.chaos ? faultSchedule(o.minutes, o.seed) : [];
    if (o.chaos) log(`faults (seed ${o.seed}): ${JSON.stringify(schedule)}`);
    const world: FaultWorld = {
      sim,
      ivm,
      vis,
      ivc,
      vcs,
      core,
      broker,
      page,
      panes,
      log,
    };
    const faults = schedule.map((f, i) => makeFault(f, world, i));
    // The faults as they happened: each one's duration runs until what it broke is back.
    const asRun = schedule.map((f) => ({ ...f }));
    const lines: Array<[number, string, string?]> = [];
    const played: Array<[number, string, string?]> = [];
    await playback.take();
    const heap: Array<[number, number]> = [];
    const rss: Array<[number, number]> = [];
    const fds: Array<[number, number]> = [];
    const sample = async () => {
      const t = Math.floor(Date.now() / 1000) - t0;
      heap.push([t, await heapAfterGc(page)]);
      rss.push([t, process.memoryUsage().rss / 1048576]);
      fds.push([t, fs.readdirSync('/proc/self/fd').length]);
    };
    await sample();
    /** The report over the pane-seconds so far, at `minutes`, with `errorsLeft` in red. */
    const reportAt = (minutes: number, errorsLeft: number): ShiftReport =>
      shiftReport({
        platformOf,
        minutes,
        seed: o.seed,
        faults: asRun,
        seconds: paneSeconds(lines, t0, o.panes, asRun, faults),
        alarms: alarms.counts(),
        errorsLeft,
        heap,
        rss,
        fds,
      });
    const running = runSchedule(schedule, faults, t0, asRun);
    const endAt = (t0 + o.minutes * 60) * 1000;
    let nextMinute = Date.now() + 60_000;
    const unread = new UnreadWatch(page, t0);
    while (Date.now() < endAt) {
      await sleep(Math.min(5000, Math.max(0, endAt - Date.now())));
      const taken = await takePaneSeconds(page);
      lines.push(...taken);
      await unread.look(taken);
      played.push(...(await playback.take()));
      if (Date.now() >= nextMinute) {
        nextMinute += 60_000;
        await sample();
        const minute = Math.round((Date.now() / 1000 - t0) / 60);
        if (minute % 10 === 0) {
          const r = reportAt(minute, 0);
          const pb = playbackSeconds(played, t0, playback.loops);
          process.stderr.write(`${JSON.stringify({ ...r, ...playbackFigures(pb, playback.loops.length) })}\n`);
          // Where the process's RSS is: V8's heap (core and emulators, JS) or outside it (SQLite, buffers, code).
          const m = process.memoryUsage();
          const mb = (n: number) => (n / 1048576).toFixed(1);
          log(
            `memory: rss ${mb(m.rss)} MB, heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)}`,
          );
        }
      }
    }
    await running;
    await sample();
    lines.push(...(await takePaneSeconds(page)));
    played.push(...(await playback.take()));
    // Alarms in flight at the end: the last pushes get a few seconds to reach both seats.
    await alarms.settle();
    await wallShot(page, 'end');
    const shown = await errorsShown(page);
    if (shown.length) log(`left in red: ${shown.join(' | ')}`);
    const result = reportAt(o.minutes, shown.length);
    logPanes(lines, t0);
    for (const [at, pane, lumas] of await unreadStrips(page))
      log(`t=${at - t0}s pane ${pane} strip unread, bit lumas ${lumas.join(' ')}`);
    logRecoveries(asRun, paneSeconds(lines, t0, o.panes, asRun, faults), platformOf);
    const pb = playbackFigures(playbackSeconds(played, t0, playback.loops), playback.loops.length);
    log(
      `playback window: ${pb.playback_availability_pct} % of pane-seconds in step with the cursor, ${pb.playback_loops} loops`,
    );
    logPanes(played, t0, 'playback ');
    return { ...result, ...pb };
  } finally {
    await stopAll();
  }
}

/** Faults during which no pane counts: the window hidden, the media server down. */
const EVERY_PANE: ReadonlyArray<ScheduledFault['kind']> = ['window_hidden', 'media_server_restart'];

/**
 * The probe's lines as a letter per pane per second from t0: a second the probe missed (the
 * page too busy to run its timer) is S, as the operator saw a frozen page; the seconds a fault
 * excludes are X (its camera offline; every pane while the window is hidden or the media server is
 * down, as run — from its kill until its cameras publish again: every camera it carries is offline
 * then, and no client could show one).
 */
export function paneSeconds(
  lines: Array<[number, string, string?]>,
  t0: number,
  panes: number,
  schedule: ScheduledFault[],
  faults: Fault[],
): PaneSeconds {
  const last = lines.reduce((m, [t]) => Math.max(m, t - t0), -1);
  const grid = Array.from({ length: panes }, () => Array<string>(last + 1).fill('S'));
  for (const [t, line] of lines) {
    const s = t - t0;
    if (s < 0) continue;
    for (let p = 0; p < panes; p++) grid[p]![s] = line[p] ?? 'S';
  }
  schedule.forEach((f, i) => {
    const who = EVERY_PANE.includes(f.kind) ? grid.map((_, p) => p) : (faults[i]?.excludes ?? []);
    for (const p of who) for (let s = f.at_s; s < f.at_s + f.duration_s && s <= last; s++) grid[p]![s] = 'X';
  });
  return Object.fromEntries(grid.map((g, p) => [`pane-${p}`, g.join('')]));
}

/**
 * A pane whose strip stays unreadable (u: off its video, k: off its key picture) for UNREAD_S
 * seconds in a row is shown as it was: a screenshot and the pane's state on the log, a few times a
 * run: what the pane was doing, beside what it showed (it found the transcode's grey pictures).
 */
const UNREAD_S = 5;
class UnreadWatch {
  private readonly run = new Map<number, number>();
  private shots = 0;
  constructor(
    private readonly page: Page,
    private readonly t0: number,
  ) {}

  async look(lines: Array<[number, string, string?]>): Promise<void> {
    for (const [t, , why = ''] of lines)
      for (let p = 0; p < why.length; p++) {
        const n = why[p] === 'u' || why[p] === 'k' ? (this.run.get(p) ?? 0) + 1 : 0;
        this.run.set(p, n);
        if (n !== UNREAD_S || this.shots >= 4) continue;
        this.shots++;
        log(`t=${t - this.t0}s pane ${p} unreadable (${why[p]}) ${UNREAD_S} s: ${await describePane(this.page, p)}`);
        await wallShot(this.page, `unread-${p}-${t - this.t0}`);
      }
  }
}

/** The wall as the operator saw it, to a file named on stderr: what a stuck or unread pane showed. */
async function wallShot(page: Page, when: string): Promise<void> {
  const file = path.join(os.tmpdir(), `vigil-shift-${process.pid}-${when}.png`);
  await page
    .screenshot({ path: file })
    .then(() => log(`wall at ${when}: ${file}`))
    .catch((e: unknown) => log(`wall at ${when}: no screenshot (${String(e)})`));
}

/**
 * Per fault, the panes it hurt, how long they took to come back and the pane-seconds it cost; then
 * the cost by kind of fault: what to look at first.
 */
function logRecoveries(
  schedule: ScheduledFault[],
  seconds: PaneSeconds,
  platformOf: Record<string, PlatformKey>,
): void {
  const lost = losses(schedule, seconds, platformOf);
  recoveries(schedule, seconds, platformOf).forEach((r, i) => {
    if (r.panes.length)
      log(
        `recovery ${r.recovery_s ?? 'never'} s: ${r.fault.kind}${r.fault.platform ? ` (${r.fault.platform})` : ''} ` +
          `at ${r.fault.at_s} s for ${r.fault.duration_s} s, hurt ${r.panes.map((p) => p.slice(5)).join(' ')}, ` +
          `lost ${lost.byFault[i]} pane-s`,
      );
  });
  const byKind = new Map<string, number>();
  schedule.forEach((f, i) => byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + lost.byFault[i]!));
  const worst = [...byKind].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  log(
    `pane-seconds lost: ${worst.map(([k, n]) => `${k} ${n}`).join(', ')}${worst.length ? ', ' : ''}no fault ${lost.unexplained}`,
  );
}

/** The seconds some pane was not fresh, to stderr: where the holes were, and why per pane. */
function logPanes(lines: Array<[number, string, string?]>, t0: number, what = ''): void {
  const bad = lines.filter(([, l]) => l.includes('S'));
  for (const [t, , why] of bad.slice(0, 5000)) log(`${what}t=${t - t0}s ${why}`);
}

/**
 * The playback window's probe lines as a letter per pane per second from t0, as paneSeconds does
 * for the wall: a second not sampled is S; the LOOP_GRACE_S seconds from each loop's jump back
 * (the bench's own seek) are X.
 */
export function playbackSeconds(
  lines: Array<[number, string, string?]>,
  t0: number,
  loops: number[],
  panes = PLAYBACK_CAMERAS.length,
): PaneSeconds {
  const seconds = paneSeconds(lines, t0, panes, [], []);
  const out: PaneSeconds = {};
  for (const [pane, s] of Object.entries(seconds)) {
    const g = [...s];
    for (const at of loops)
      for (let t = at - t0; t < at - t0 + LOOP_GRACE_S && t < g.length; t++) if (t >= 0) g[t] = 'X';
    out[pane] = g.join('');
  }
  return out;
}

/** The playback window's figures, added to the report's JSON (its own fields stay as they are). */
function playbackFigures(
  seconds: PaneSeconds,
  loops: number,
): { playback_availability_pct: number; playback_loops: number } {
  return { playback_availability_pct: availabilityPct(seconds), playback_loops: loops };
}

/**
 * Starts and stops each fault at its time. A fault ends when what it broke is back, not at its
 * scheduled end: a media server told to stay down 3 s listens again only once its process has
 * stopped and started (seconds more on a loaded machine), and recovery is measured from then.
 * `asRun[i].duration_s` becomes the whole seconds from its start to that moment.
 */
export async function runSchedule(
  schedule: ScheduledFault[],
  faults: Fault[],
  t0: number,
  asRun: ScheduledFault[],
): Promise<void> {
  const running: Array<Promise<void>> = [];
  for (const [i, f] of schedule.entries()) {
    const wait = (t0 + f.at_s) * 1000 - Date.now();
    if (wait > 0) await sleep(wait);
    const fault = faults[i]!;
    running.push(
      (async () => {
        log(`fault ${f.kind}${fault.note ? ` (${fault.note})` : ''} for ${f.duration_s} s`);
        await fault.start().catch((e: unknown) => log(`fault ${f.kind} start failed: ${String(e)}`));
        const until = (t0 + f.at_s + f.duration_s) * 1000 - Date.now();
        if (until > 0) await sleep(until);
        await fault.stop().catch((e: unknown) => log(`fault ${f.kind} stop failed: ${String(e)}`));
        const lasted = Math.max(f.duration_s, Math.floor(Date.now() / 1000 - t0 - f.at_s));
        asRun[i] = { ...f, duration_s: lasted };
        log(`fault ${f.kind} over${lasted > f.duration_s ? ` after ${lasted} s` : ''}`);
      })(),
    );
  }
  await Promise.all(running);
}

/** `panes` online channels taken in turn from each platform (the wall an operator would set up). */
export async function pickPanes(
  core: Core,
  accounts: Partial<Record<PlatformKey, string>>,
  n: number,
  platforms: readonly PlatformKey[] = PLATFORMS,
): Promise<Array<{ platform: PlatformKey; accountId: string; channelId: string; name: string }>> {
  const lists = await Promise.all(
    platforms.map(async (p) =>
      ((await core.wall.tree(accounts[p]!, true)).nodes as TreeNode[])
        .filter((c) => c.kind === 'channel' && c.status === 'online')
        .map((c) => ({ platform: p, accountId: c.accountId, channelId: c.id, name: c.name })),
    ),
  );
  const picks: Array<{ platform: PlatformKey; accountId: string; channelId: string; name: string }> = [];
  for (let i = 0; picks.length < n && lists.some((l) => l.length > i); i++)
    for (const l of lists) if (l[i] && picks.length < n) picks.push(l[i]!);
  if (picks.length < n) throw new Error(`only ${picks.length} online channels for ${n} panes`);
  return picks;
}

/**
 * The control room: seats A (the wall's core) and B on the broker, IVM pushing ALARMS_PER_MIN
 * signed alarms a minute to A's receiver. A push the receiver does not take (not 200) is pushed
 * again a few seconds later, as the platform retries; `sent` counts the alarms taken. Each seat
 * counts the new alarms its main announces: lost, never announced; duplicated, announced twice.
 */
async function startAlarms(core: Core, seatB: Core, broker: Broker, ivm: IvmEmulator, ivmAccount: string) {
  const seats = [core, seatB];
  const seen = seats.map(() => new Map<string, number>());
  let counting = false;
  const unsubscribe = seats.map((c, i) =>
    c.events.subscribe((event, payload) => {
      if (event !== 'main:alarm' || !counting) return;
      const a = payload as Alarm;
      if (a.state !== 'new' && a.state !== undefined) return;
      seen[i]!.set(a.id, (seen[i]!.get(a.id) ?? 0) + 1);
      // B acknowledges every ACK_EVERY-th alarm it gets, a moment later, as an operator would.
      if (i === 1 && seen[1]!.size % ACK_EVERY === 0)
        setTimeout(() => void seatB.call('alarms:acknowledge', { id: a.id }).catch(() => undefined), 2000);
    }),
  );
  for (const [i, c] of seats.entries()) {
    const name = String.fromCharCode(65 + i);
    const r = await c.call('controlRoom:set', {
      enabled: true,
      brokerUrl: broker.url,
      site: 'shift',
      seat: name,
      user: `op-${name}`,
      escalateAfterSec: 3600,
    });
    if (!r.ok) throw new Error(`seat ${name}: ${JSON.stringify(r.error)}`);
  }
  const port = await freePort();
  await core.alarms.start(ivmAccount, `http://127.0.0.1:${port}/ivm`, port);
  const beijing = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
  const taken = new Set<string>();
  const retry: Array<{ uuid: string; at: number; tries: number }> = [];
  let n = 0;
  let timer: NodeJS.Timeout | null = null;
  const push = async (uuid: string, tries: number) => {
    const status = await ivm.dataflow
      .push('DEVICE_ALARM', {
        device_id: '21A0123456SMY01',
        device_name: 'Gate',
        channel_type: 'video_input',
        channel_id: '0',
        channel_name: `Gate ${uuid.slice(-6)}`,
        alarm_type: 'over_line_alarm',
        alarm_time: beijing(Date.now()),
        alarm_uuid: uuid,
      })
      .catch(() => 0);
    if (status === 200) taken.add(uuid);
    else if (tries < 20) retry.push({ uuid, at: Date.now() + 5000, tries: tries + 1 });
  };
  return {
    begin() {
      counting = true;
      timer = setInterval(() => {
        void push(`21A0123456SMY01_0_over_line_alarm_shift_${String(n++).padStart(6, '0')}`, 0);
        const due = retry.filter((r) => r.at <= Date.now());
        for (const r of due) {
          retry.splice(retry.indexOf(r), 1);
          void push(r.uuid, r.tries);
        }
      }, 60_000 / ALARMS_PER_MIN);
    },
    async settle() {
      if (timer) clearInterval(timer);
      timer = null;
      const until = Date.now() + 30_000;
      const ids = () => [...taken].map((u) => u);
      while (Date.now() < until && seen.some((m) => m.size < ids().length)) await sleep(500);
    },
    counts() {
      // Alarm ids are Vigil's; the receiver's ids carry the platform's uuid.
      const sent = taken.size;
      return {
        sent,
        lost: seen.reduce((s, m) => s + Math.max(0, sent - m.size), 0),
        duplicated: seen.reduce((s, m) => s + [...m.values()].filter((c) => c > 1).length, 0),
      };
    },
    async stop() {
      if (timer) clearInterval(timer);
      for (const u of unsubscribe) u?.();
    },
  };
}

export type { Page };
