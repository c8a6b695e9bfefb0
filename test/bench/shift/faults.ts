import { execFile, spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import type { Core } from '../../../main/core';
import type { ExportJob } from '../../../preload/contract';
import type { VcsEmulator } from '../../emulators/aliyun-vcs/emulator';
import type { IvmEmulator } from '../../emulators/huawei-ivm/emulator';
import type { VisEmulator } from '../../emulators/huawei-vis/emulator';
import type { MediaSimulator } from '../../emulators/media/simulator';
import type { IvcEmulator } from '../../emulators/tencent-ivc/emulator';
import type { Broker } from '../../helpers/mosquitto';
import type { FaultKind, PlatformKey, ScheduledFault } from './schedule';

/**
 * One object per fault kind: start() puts the fault in, stop() takes it out (both idempotent
 * enough to be called once each). They drive the emulators through their test-only controls,
 * the broker and keychain through their own tools, the page through its visibility.
 */
export interface Fault {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** panes whose seconds do not count while it runs (the camera it took offline), by pane index */
  excludes?: number[];
  /** what it did, for the run's log */
  note?: string;
}

export interface FaultWorld {
  sim: MediaSimulator;
  ivm: IvmEmulator;
  vis: VisEmulator;
  ivc: IvcEmulator;
  vcs: VcsEmulator;
  core: Core;
  broker: Broker;
  page: Page;
  /** the wall's panes: account platform and channel id, by index */
  panes: Array<{ platform: PlatformKey; accountId: string; channelId: string }>;
  log(msg: string): void;
}

/**
 * The camera behind a wall pane, as its platform's emulator names it, and its switch: what each
 * platform does with a camera offline is its emulator's (IVM IVM.20000043; IVC 41634 通道离线;
 * VCS `Failed` "Device is offline."; VIS a GB channel TEMPORARY_OFFLINE or an RTMP stream not
 * publishing). Vigil's node ids: IVM and IVC `ch:<device>:<channel>`, VCS `ch:<corp>:<device>`,
 * VIS `ch:<device>:<channel>` (a GB channel) or `stream:<name>`.
 */
export function cameraOf(
  w: Pick<FaultWorld, 'ivm' | 'vis' | 'ivc' | 'vcs'>,
  platform: PlatformKey,
  nodeId: string,
): { name: string; set(online: boolean): void } {
  const [, a, b] = nodeId.split(':');
  switch (platform) {
    case 'ivm':
      return { name: `${a}/${b}`, set: (on) => w.ivm.setChannelOnline(a!, b!, on) };
    case 'ivc':
      return { name: b!, set: (on) => void w.ivc.setChannelOnline(b!, on) };
    case 'vcs':
      return { name: b!, set: (on) => void w.vcs.setCameraOnline(b!, on) };
    case 'vis': {
      const stream = nodeId.startsWith('stream:')
        ? nodeId.slice('stream:'.length)
        : w.vis.devices.get(a!)?.channels.find((c) => c.channel_id === b)?.stream_name;
      if (!stream) throw new Error(`no VIS stream behind ${nodeId}`);
      return { name: stream, set: (on) => void w.vis.setCameraOnline(stream, on) };
    }
  }
}

/**
 * Every play URL a platform handed out stops working, each as its platform's do: IVM's expire or
 * are used up (single-use, §9.1) and its HLS sessions close; IVC's and VCS's signed URLs expire
 * (IVC with pull authentication on, which the bench sets); VIS' media node moves (§4.2.7: addresses
 * fetched before are invalid, open playback ends).
 */
export function lapsePlayUrls(w: Pick<FaultWorld, 'ivm' | 'vis' | 'ivc' | 'vcs'>, platform: PlatformKey): string {
  switch (platform) {
    case 'ivm': {
      const n = w.ivm.lapsePlayUrls();
      return `lapsed ${n.tickets} IVM play URLs, ${n.sessions} HLS sessions`;
    }
    case 'ivc': {
      const n = w.ivc.lapsePlayUrls();
      return n.lapsed ? `IVC play URLs expired (${n.open} streams open)` : 'IVC: pull auth off, nothing lapses';
    }
    case 'vcs':
      return `VCS live URLs expired (${w.vcs.lapsePlayUrls().open} streams open)`;
    case 'vis': {
      const n = w.vis.relocateMedia();
      return `VIS media moved to ${n.node} (${n.closed} playbacks ended)`;
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function emulator(w: FaultWorld, p: PlatformKey): { faults: { fail5xx: number; latencyMs: number; paused: number } } {
  return w[p];
}

function run(cmd: string, args: string[], input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 15_000 }, (e) => (e ? reject(e) : resolve()));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The password test/with-keyring.sh unlocks the bench's private keyring with. */
const KEYRING_PASSWORD = 'vigil-test-keyring';

export function makeFault(f: ScheduledFault, w: FaultWorld, index: number): Fault {
  const kind: FaultKind = f.kind;
  switch (kind) {
    case 'ivm_token_expiry':
      return { start: async () => w.ivm.expireTokens(), stop: async () => undefined };
    case 'vis_token_expiry':
      return {
        start: async () => {
          await fetch(`${w.vis.baseUrl}/__emulator/expireTokens`, { method: 'POST', body: '{}' });
        },
        stop: async () => undefined,
      };
    case 'play_url_lapse':
      return {
        note: f.platform ?? 'ivm',
        start: async () => w.log(lapsePlayUrls(w, f.platform ?? 'ivm')),
        stop: async () => undefined,
      };
    case 'camera_offline': {
      const platform = f.platform ?? 'ivm';
      const own = w.panes.map((p, i) => ({ ...p, i })).filter((p) => p.platform === platform);
      const pane = own[index % own.length]!;
      const cam = cameraOf(w, platform, pane.channelId);
      return {
        excludes: [pane.i],
        note: `${platform} pane ${pane.i} (${cam.name})`,
        start: async () => cam.set(false),
        stop: async () => cam.set(true),
      };
    }
    case 'platform_5xx':
      return {
        note: f.platform,
        start: async () => void (emulator(w, f.platform!).faults.fail5xx = 1e9),
        stop: async () => void (emulator(w, f.platform!).faults.fail5xx = 0),
      };
    case 'platform_hold':
      return {
        note: f.platform,
        start: async () => void (emulator(w, f.platform!).faults.latencyMs = 20_000),
        stop: async () => void (emulator(w, f.platform!).faults.latencyMs = 0),
      };
    case 'host_paused':
      return {
        note: f.platform,
        start: async () => void (emulator(w, f.platform!).faults.paused = 1),
        stop: async () => void (emulator(w, f.platform!).faults.paused = 0),
      };
    case 'media_server_restart':
      return {
        start: async () => {
          await w.sim.restartServer(f.duration_s * 1000);
          w.log('media server listening again');
          // The fault lasts until its cameras publish again: till then none exists for any client.
          w.log(`cameras publishing again ${await w.sim.camerasBack()} ms after`);
        },
        stop: async () => undefined,
      };
    case 'relay_lane_closed':
      return {
        start: async () => {
          // A lane's connections cut under its panes, as a crashed or reset socket would.
          const lanes = (w.core.relay as unknown as { lanes: Array<{ server: { closeAllConnections(): void } }> })
            .lanes;
          const lane = lanes[index % Math.max(1, lanes.length)];
          lane?.server.closeAllConnections();
          w.log(`closed lane ${index % Math.max(1, lanes.length)} of ${lanes.length}`);
        },
        stop: async () => undefined,
      };
    case 'broker_restart':
      return {
        start: async () => {
          await w.broker.stop();
          await sleep(f.duration_s * 1000);
          await w.broker.start();
        },
        stop: async () => undefined,
      };
    case 'keychain_locked':
      return {
        // Debian's secret-tool locks the collection and then crashes on its way out: whether the
        // keychain is locked is asked of the Secret Service itself.
        start: async () => {
          await run('secret-tool', ['lock', '--collection=login']).catch(() => undefined);
          if (!(await keychainLocked())) throw new Error('the keychain did not lock');
        },
        // gnome-keyring unlocks only through a prompt; a new daemon unlocked with the password
        // takes over the same bus name and keyring files, as logging in again does.
        stop: async () => {
          await new Promise<void>((resolve, reject) => {
            const child = spawn('gnome-keyring-daemon', ['--replace', '--unlock', '--components=secrets'], {
              stdio: ['pipe', 'ignore', 'ignore'],
              detached: true,
            });
            child.once('error', reject);
            child.stdin.end(KEYRING_PASSWORD);
            child.unref();
            setTimeout(resolve, 1000);
          });
          if (await keychainLocked()) throw new Error('the keychain is still locked');
        },
      };
    case 'window_hidden':
      return {
        start: () => setVisibility(w.page, 'hidden'),
        stop: () => setVisibility(w.page, 'visible'),
      };
    case 'export_while_failing': {
      const paneOf = w.panes.find((p) => p.platform === f.platform) ?? w.panes[0]!;
      return {
        note: `${paneOf.platform} ${paneOf.channelId}`,
        start: async () => {
          // A minute of the camera's newest whole recording (every simulated camera records at the same times).
          const rec = w.sim
            .recordings([...w.sim.channels.keys()][0]!)
            .filter((r) => r.end < Date.now())
            .at(-1)!;
          const r = await w.core.call('export:start', {
            accountId: paneOf.accountId,
            channelId: paneOf.channelId,
            name: `shift-${index}`,
            kind: 'cloud',
            startMs: rec.start + 10_000,
            endMs: rec.start + 70_000,
          });
          w.log(`export: ${r.ok ? 'started' : `refused: ${r.error.message}`}`);
          emulator(w, paneOf.platform).faults.fail5xx = 1e9;
          if (r.ok) void exportOutcome(w, (r.result as ExportJob).id);
        },
        stop: async () => void (emulator(w, paneOf.platform).faults.fail5xx = 0),
      };
    }
  }
}

/** How the fault's export ended (it waits out the platform's failure), said on the run's log. */
async function exportOutcome(w: FaultWorld, id: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const r = await w.core.call('export:list', {});
    const job = r.ok ? (r.result as { jobs: ExportJob[] }).jobs.find((j) => j.id === id) : undefined;
    if (job && job.state !== 'queued' && job.state !== 'running')
      return w.log(`export ${job.state}${job.message ? `: ${job.message}` : ''}`);
  }
  w.log('export still running after 5 minutes');
}

/** Whether the Secret Service's login collection is locked (its Locked property). */
function keychainLocked(): Promise<boolean> {
  return new Promise((resolve) =>
    execFile(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets/collection/login',
        'org.freedesktop.DBus.Properties.Get',
        'string:org.freedesktop.Secret.Collection',
        'string:Locked',
      ],
      { timeout: 10_000 },
      (e, out) => resolve(!e && /boolean true/.test(out)),
    ),
  );
}

/**
 * The window hidden and shown again, as minimising it does: the page's visibility is what Vigil
 * reacts to (headless Chromium has no window to minimise).
 */
export async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => s === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}
