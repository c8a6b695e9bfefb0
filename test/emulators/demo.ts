import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Core } from '../../main/core';
import { defaultDataDir } from '../../main/host/paths';
import { startWebHost } from '../../main/host/web';
import { findElectronBinary } from '../../main/launcher';
import { fileBackend } from '../../main/settings/file-backend';
import { KeyringVault } from '../../main/vault/vault';
import type { TreeNode } from '../../preload/contract';
import { VcsEmulator } from './aliyun-vcs/emulator';
import { IvmEmulator } from './huawei-ivm/emulator';
import { VisEmulator } from './huawei-vis/emulator';
import { platformMedia } from './media/platform-media';
import { MediaSimulator } from './media/simulator';
import { IvcEmulator } from './tencent-ivc/emulator';
import { DemoMemoryVault } from './demo-vault';
import { addDemoAccounts } from './demo-accounts';
import { mosquittoBinary, startMosquitto } from '../helpers/mosquitto';

/**
 * `npm run demo [-- --web] [--port N] [--seats N]`: the media simulator and every landed platform
 * emulator, one account per platform (secrets into the OS keychain like any account), a 9-pane
 * start-up view, and Vigil opened on it — Electron where a binary exists, else the browser host.
 * `--seats 3`: a control room of three seats (browser hosts with their own data folders) on one
 * broker — Debian's mosquitto when installed, else Aedes in this process — and their URLs.
 */
const log = (m: string) => process.stderr.write(`[demo] ${m}\n`);

/** Whether the OS keychain answers (on Linux: a Secret Service on this D-Bus session). */
async function keychainAnswers(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new KeyringVault().has('vigil-demo-probe'),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer in 5 s')), 5000))),
    ]);
    return true;
  } catch (e) {
    log(`the OS keychain does not answer: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const onPath = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Runs this demo again inside its own D-Bus session with a private, unlocked gnome-keyring (as `npm test` does). */
function inPrivateKeyring(): void {
  const args = [
    '--',
    'bash',
    path.resolve('test/with-keyring.sh'),
    process.execPath,
    ...process.execArgv,
    process.argv[1]!,
    ...process.argv.slice(2),
  ];
  const child = spawn('dbus-run-session', args, {
    stdio: 'inherit',
    env: { ...process.env, VIGIL_DEMO_KEYRING: 'private' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { web: { type: 'boolean' }, port: { type: 'string' }, seats: { type: 'string' } },
  });
  const seats = Number(values.seats ?? 1);
  if (!Number.isInteger(seats) || seats < 1 || seats > 8) throw new Error('--seats takes a number 1–8');
  // Without a Secret Service (a fresh Linux box, a container, SSH): a private keyring session where
  // gnome-keyring is installed, else the demo's own emulator secrets in memory, said in a banner.
  // VIGIL_DEMO_KEYRING=memory asks for the latter directly (its test).
  let memory = process.env.VIGIL_DEMO_KEYRING === 'memory';
  if (!memory && !(await keychainAnswers())) {
    if (
      process.platform === 'linux' &&
      process.env.VIGIL_DEMO_KEYRING !== 'private' &&
      onPath('gnome-keyring-daemon') &&
      onPath('dbus-run-session')
    ) {
      log('running the demo in a private keyring session (gnome-keyring); its secrets are gone when it stops');
      return inPrivateKeyring();
    }
    memory = true;
  }
  const sim = await MediaSimulator.start({
    channels: Array.from({ length: 12 }, (_, i) => ({
      id: `cam${String(i + 1).padStart(2, '0')}`,
      name: `Camera ${i + 1}`,
      audio: i % 4 === 1,
      ...(i === 5 ? { audioCodec: 'alaw' as const } : {}), // a GB28181 camera's G.711 sound (a 1-kHz tone)
    })),
    // The demo's cameras are loops encoded once and sent by copy (their picture shows the loop's
    // time, not the true time): live encoders beside the wall on a 2-core machine cut its panes.
    liveLoopS: 20,
  });
  const simChannels = [...sim.channels.keys()];
  const pick = (key: string) =>
    simChannels[[...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % simChannels.length]!;
  const ivc = await new IvcEmulator({
    media: platformMedia(sim),
  }).start();
  const ivm = await new IvmEmulator({
    media: platformMedia(sim),
  }).start();
  const vcs = await new VcsEmulator({
    media: platformMedia(sim),
  }).start();
  const vis = await new VisEmulator({
    media: { flv: (ch) => sim.flv(pick(ch), 'sub'), hls: (ch) => sim.hls(pick(ch), 'sub') },
  }).start();
  log(
    `media simulator rtmp:${sim.rtmpPort} http:${sim.httpPort}; Tencent IVC ${ivc.baseUrl}; Huawei VIS ${vis.baseUrl} (IAM ${vis.iamBaseUrl}); Alibaba VCS ${vcs.baseUrl}; Huawei IVM ${ivm.baseUrl}`,
  );

  const dataDir = process.env.VIGIL_DATA_DIR ?? `${defaultDataDir()}-demo`;
  const own = new Set([
    ivc.credentials.secretKey,
    vis.credentials.sk,
    ivm.credentials.sk,
    vcs.credentials.accessKeySecret,
  ]);
  const core = new Core({
    host: 'web',
    dataDir,
    settingsBackend: fileBackend,
    vault: memory ? new DemoMemoryVault(own) : new KeyringVault(),
    // The stream-test page plays the simulator's addresses typed in (developer mode: loopback only).
    relayLoopbackUrls: true,
  });
  if (memory) {
    log(
      'no OS keychain: the demo accounts’ secrets are held in memory for this run only; accounts you add need the keychain',
    );
    core.addNotice(
      'warning',
      'notice.demoMemoryVault',
      'No OS keychain (Secret Service) is running: the demo accounts’ secrets are held in memory for this run only. Accounts you add need the keychain — start gnome-keyring (or another Secret Service) and run the demo again.',
    );
  }
  const ids = await addDemoAccounts(core, { ivc, vis, ivm, vcs });
  const ivcId = ids.ivc;
  const visId = ids.vis;

  // A 9-pane start-up view: online channels of both platforms.
  const channels = async (id: string) =>
    ((await core.wall.tree(id, true)).nodes as TreeNode[]).filter((n) => n.kind === 'channel' && n.status === 'online');
  const picks = [...(await channels(ivcId)).slice(0, 7), ...(await channels(visId)).slice(0, 2)];
  const view = core.views.save({
    id: core.settings.get().views.find((v) => v.name === '演示 9 画面')?.id,
    name: '演示 9 画面',
    layout: '9',
    panes: picks.map((n) => ({ accountId: n.accountId, channelId: n.id, name: n.name })),
  } as never);
  core.views.setStartup(view.id);

  // Several seats are browser hosts (one page per seat, side by side).
  const electron = values.web || seats > 1 ? null : findElectronBinary();
  const stops: Array<() => Promise<unknown>> = [];
  if (seats > 1) stops.push(...(await controlRoom(core, dataDir, seats, memory ? new DemoMemoryVault(own) : null)));
  if (electron) {
    const child = spawn(electron, [path.resolve('dist/main/index.mjs')], {
      stdio: 'inherit',
      env: { ...process.env, VIGIL_DATA_DIR: dataDir },
    });
    child.on('exit', () => void shutdown());
    log('Vigil (Electron) opened on the demo');
  } else {
    if (!values.web) log('Electron binary not available: opening the browser host instead.');
    const host = await startWebHost({ core, port: values.port ? Number(values.port) : 0 });
    process.stdout.write(`Vigil demo: ${host.url}\n`);
    if (seats > 1) process.stdout.write(`Vigil demo seat A: ${host.url}\n`);
  }

  const shutdown = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await Promise.allSettled([ivc.stop(), vis.stop(), vcs.stop(), ivm.stop(), sim.stop()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

/**
 * The control room of `--seats N`: a broker (mosquitto if installed, else Aedes in this process;
 * VIGIL_DEMO_BROKER=aedes asks for Aedes), seat A on the demo's core and seats B, C, … each on a
 * core and browser host of its own with its own data folder. Prints each seat's URL; answers
 * what stops them.
 */
async function controlRoom(
  core: Core,
  dataDir: string,
  count: number,
  vault: DemoMemoryVault | null,
): Promise<Array<() => Promise<unknown>>> {
  const stops: Array<() => Promise<unknown>> = [];
  let url: string;
  if (process.env.VIGIL_DEMO_BROKER !== 'aedes' && mosquittoBinary()) {
    const broker = await startMosquitto({ persistence: false });
    stops.push(() => broker.stop());
    url = broker.url;
    log(`control room: mosquitto on ${url}`);
  } else {
    const { Aedes } = await import('aedes');
    const aedes = await Aedes.createBroker();
    const server = net.createServer(aedes.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    stops.push(async () => {
      server.close();
      await new Promise((resolve) => aedes.close(() => resolve(null)));
    });
    log(`control room: an in-process broker (Aedes) on ${url} (mosquitto is not installed)`);
  }
  const join = async (seatCore: Core, seat: string) => {
    const r = await seatCore.call('controlRoom:set', {
      enabled: true,
      brokerUrl: url,
      site: 'demo',
      seat,
      user: `operator ${seat}`,
      escalateAfterSec: 120,
    });
    if (!r.ok) throw new Error(`seat ${seat}: ${r.error.message}`);
  };
  await join(core, 'A');
  for (let i = 1; i < count; i++) {
    const seat = String.fromCharCode(65 + i);
    const seatCore = new Core({
      host: 'web',
      dataDir: `${dataDir}-seat-${seat}`,
      settingsBackend: fileBackend,
      vault: vault ?? new KeyringVault(),
    });
    await join(seatCore, seat);
    const host = await startWebHost({ core: seatCore, port: 0 });
    stops.push(async () => {
      await host.close();
      await seatCore.dispose();
    });
    process.stdout.write(`Vigil demo seat ${seat}: ${host.url}\n`);
  }
  return stops;
}

main().catch((e: unknown) => {
  log(`failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
