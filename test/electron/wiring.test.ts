import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { register } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { channelNames } from '../../preload/contract';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { ivmAccount } from '../helpers/accounts';
import { tempDir } from '../helpers/core';
// @ts-expect-error: the stand-in is plain JavaScript
import { standInForRequire } from './stand-in/require.mjs';

// The built Electron entry (dist/main/index.mjs) loaded under plain Node, with `electron`
// replaced by a recording stand-in through a module loader hook (no production code knows).
// The build is copied into a folder of its own that stands for an installed app, and the test
// runs from another working directory: every path main uses must come from the app's location.

interface StandInContents {
  id: number;
  url: string;
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null;
  sent: Array<{ channel: string; payload: unknown }>;
  emit(event: string, ...args: unknown[]): boolean;
  listenerCount(event: string): number;
}
interface StandInWindow {
  options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>;
  webContents: StandInContents;
  loadedUrl?: string;
  focusCount: number;
  close(): boolean;
}
interface MenuItem {
  label?: string;
  role?: string;
  submenu?: MenuItem[];
  click?: () => void;
}
interface StandIn {
  calls: Array<{ name: string; args: unknown[] }>;
  handles: Map<
    string,
    (
      event: unknown,
      payload: unknown,
    ) => Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }>
  >;
  handleCounts: Map<string, number>;
  windows: StandInWindow[];
  contents: StandInContents[];
  schemes: Array<{ schemes: Array<{ scheme: string }>; ready: boolean }>;
  protocolHandlers: Map<string, (r: Request) => Promise<Response>>;
  permissionRequest:
    | ((wc: unknown, permission: string, cb: (ok: boolean) => void, details: { requestingUrl?: string }) => void)
    | null;
  permissionCheck: ((wc: unknown, permission: string, origin: string) => boolean) | null;
  openedExternal: string[];
  openedPaths: string[];
  menus: Array<{ template: MenuItem[] }>;
  badge: number[];
  dialogs: unknown[];
  dialogAnswer: number;
  quitState: string;
  Event: new (extra?: object) => { defaultPrevented: boolean };
  ready(): void;
}

const root = path.resolve(import.meta.dirname, '../..');
const built = path.join(root, 'dist/main/index.mjs');
let appDir: string;
let rec: StandIn;
let ivm: IvmEmulator;
let ffmpegPidFile: string;
let win: StandInWindow;
let electron: { app: { emit(event: string, ...args: unknown[]): boolean; quit(): void } };

/** Polls until `check` holds (or fails with `what` after `ms`). */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

before(async () => {
  assert.ok(fs.existsSync(built), 'dist/main/index.mjs missing: run npm run build first');
  // An "installed" app: the build and package.json in a folder of their own (node_modules linked).
  appDir = tempDir('vigil-app-');
  fs.cpSync(path.join(root, 'dist'), path.join(appDir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(appDir, 'package.json'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(appDir, 'node_modules'), 'dir');
  // A symlink inside the renderer folder that leads out of it, for the protocol handler to refuse.
  fs.writeFileSync(path.join(appDir, 'outside-secret.txt'), 'not for the renderer');
  fs.symlinkSync(path.join(appDir, 'outside-secret.txt'), path.join(appDir, 'dist/renderer/escape.txt'));

  // An ffmpeg stand-in that runs until killed, so quitting must end it.
  const home = tempDir('vigil-home-');
  ffmpegPidFile = path.join(home, 'ffmpeg.pid');
  const ffmpeg = path.join(home, 'ffmpeg-stand-in.sh');
  fs.writeFileSync(
    ffmpeg,
    `#!/bin/sh\n[ "$1" = "-version" ] && exit 0\necho $$ > '${ffmpegPidFile}'\nexec sleep 600\n`,
    { mode: 0o755 },
  );

  const now = Date.now();
  ivm = await new IvmEmulator({
    media: {
      channels: ['m'],
      flv: () => 'http://127.0.0.1:9/live.flv',
      hls: () => 'http://127.0.0.1:9/live.m3u8',
      recordings: () => [{ start: now - 3600_000, end: now + 3600_000, url: 'http://127.0.0.1:9/rec.m3u8' }],
    },
  }).start();

  process.env.VIGIL_DATA_DIR = tempDir('vigil-data-');
  process.env.VIGIL_LOG_LEVEL = 'error'; // the refusals below are logged as warnings, hundreds of them
  process.env.VIGIL_FFMPEG = ffmpeg;
  process.env.HOME = home; // exports go to ~/Downloads/Vigil
  delete process.env.VIGIL_DIST;
  process.chdir(tempDir('vigil-cwd-'));

  register(pathToFileURL(path.join(root, 'test/electron/stand-in/hooks.mjs')));
  // electron-updater (CommonJS) asks require() for electron; an installed AppImage sets APPIMAGE.
  standInForRequire('electron-updater');
  process.env.APPIMAGE = path.join(home, 'Vigil.AppImage');
  (process as { resourcesPath?: string }).resourcesPath = path.join(appDir, 'resources');
  electron = (await import(
    pathToFileURL(path.join(root, 'test/electron/stand-in/electron.mjs')).href
  )) as typeof electron;
  rec = (globalThis as unknown as { __electronStandIn: StandIn }).__electronStandIn;
  await import(pathToFileURL(path.join(appDir, 'dist/main/index.mjs')).href);
  rec.ready();
  await until(() => rec.windows.length === 1, 'the first window');
  win = rec.windows[0]!;
});

after(async () => {
  await ivm?.stop();
  if (appDir) fs.rmSync(appDir, { recursive: true, force: true });
  // Main never quit (a failed test above): its servers would keep this process alive for good.
  if (rec?.quitState !== 'quit') setTimeout(() => process.exit(1), 500).unref();
});

test('before ready: single-instance lock taken, sandbox enabled for every renderer, vigil:// registered as privileged', async () => {
  const names = rec.calls.map((c) => c.name);
  assert.equal(names.filter((n) => n === 'requestSingleInstanceLock').length, 1);
  // The data folder's own lock too (VIGIL_DATA_DIR, or a browser host on the same folder).
  const lock = JSON.parse(fs.readFileSync(path.join(process.env.VIGIL_DATA_DIR!, 'vigil.lock'), 'utf8')) as {
    pid: number;
    host: string;
  };
  assert.deepEqual({ pid: lock.pid, host: lock.host }, { pid: process.pid, host: 'electron' });
  const sandbox = rec.calls.find((c) => c.name === 'enableSandbox');
  assert.ok(sandbox, 'app.enableSandbox() called');
  assert.deepEqual(sandbox.args[0], { ready: false }, 'enableSandbox before ready');
  assert.equal(rec.schemes.length, 1);
  assert.equal(rec.schemes[0]!.ready, false);
  assert.equal(rec.schemes[0]!.schemes[0]!.scheme, 'vigil');
});

test('every BrowserWindow is hardened, its preload exists on disk in the app folder, and it loads vigil://app/', () => {
  const prefs = win.options.webPreferences!;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.devTools, false, 'no DevTools in a packaged build');
  assert.equal(
    prefs.preload,
    path.join(appDir, 'dist/preload/index.cjs'),
    'preload from the app folder, not the working directory',
  );
  assert.ok(fs.existsSync(prefs.preload as string));
  assert.equal(win.loadedUrl, 'vigil://app/index.html');
});

test('every contract channel has exactly one ipcMain.handle, and nothing else is handled', () => {
  assert.deepEqual([...rec.handleCounts.keys()].sort(), [...channelNames].sort());
  for (const [channel, n] of rec.handleCounts) assert.equal(n, 1, channel);
});

test('IPC: the app frame is served; foreign frames, look-alike origins and unknown senders are refused on every channel; malformed payloads are refused', async () => {
  const appFrame = { sender: win.webContents, senderFrame: { url: 'vigil://app/index.html#/wall' } };
  const info = await rec.handles.get('app:info')!(appFrame, {});
  assert.ok(info.ok, JSON.stringify(info));
  assert.equal((info.result as { host: string }).host, 'electron');
  assert.equal(
    (info.result as { exportFormat: string }).exportFormat,
    'mp4',
    'ffmpeg found: the UI can say MP4 before an export starts',
  );

  const other = rec.contents.find((c) => c !== win.webContents) ?? { id: -1 };
  const foreign = [
    { sender: win.webContents, senderFrame: { url: 'https://evil.example/' } },
    { sender: win.webContents, senderFrame: { url: 'vigil://app.x/index.html' } },
    { sender: win.webContents, senderFrame: { url: 'vigil://app@evil/index.html' } },
    { sender: win.webContents, senderFrame: { url: 'vigil://app:8080/index.html' } },
    { sender: win.webContents, senderFrame: null },
    { sender: other, senderFrame: { url: 'vigil://app/index.html' } },
  ];
  for (const channel of channelNames) {
    const handler = rec.handles.get(channel)!;
    for (const event of foreign) {
      const r = await handler(event, {});
      assert.equal(r.error?.code, 'UNAUTHORIZED', `${channel} from ${JSON.stringify(event.senderFrame)}`);
    }
    const bad = await handler(appFrame, 'not a request object');
    assert.equal(bad.ok, false, channel);
    assert.notEqual(bad.error?.code, 'UNAUTHORIZED', channel);
    assert.match(bad.error!.message, /Invalid request/, channel);
  }
});

test('vigil:// serves index.html with a CSP and refuses traversal (.., encoded %2e%2e, absolute paths, symlinks), other hosts and methods', async () => {
  const handler = rec.protocolHandlers.get('vigil')!;
  const ok = await handler(new Request('vigil://app/index.html'));
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get('Content-Type')!, /^text\/html/);
  assert.match(await ok.text(), /<div id="root">|<script/);
  const csp = ok.headers.get('Content-Security-Policy')!;
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
  assert.doesNotMatch(scriptSrc, /unsafe-inline|unsafe-eval/);
  // Every stream comes through main's relay: the page connects to itself and loopback only.
  const connectSrc = csp.split(';').find((d) => d.trim().startsWith('connect-src'))!;
  for (const source of connectSrc.trim().split(/\s+/).slice(1))
    assert.match(source, /^'self'$|^(http|ws):\/\/(127\.0\.0\.1|localhost):\*$/, `connect-src ${source}`);
  assert.equal((await handler(new Request('vigil://app/'))).status, 200);
  // The key-frame decoder's module worker (its own file in the bundle) is served as JavaScript:
  // a module worker of another MIME type is refused, and the pane would fall back to its video.
  const worker = fs
    .readdirSync(path.join(appDir, 'dist/renderer/assets'))
    .find((f) => /^key-frame\.worker-.*\.js$/.test(f));
  assert.ok(worker, 'the worker is bundled');
  const served = await handler(new Request(`vigil://app/assets/${worker}`));
  assert.equal(served.status, 200);
  assert.match(served.headers.get('Content-Type')!, /^text\/javascript/);
  assert.match(csp, /worker-src 'self'/);

  fs.writeFileSync(path.join(appDir, 'dist/secret.txt'), 'outside the renderer folder');
  const refused = [
    'vigil://app/..%2fsecret.txt',
    'vigil://app/..%2f..%2fpackage.json',
    'vigil://app/%2e%2e%2fsecret.txt',
    'vigil://app/%2E%2E/%2E%2E/package.json',
    'vigil://app/..%5csecret.txt',
    `vigil://app/${encodeURIComponent(path.join(appDir, 'package.json'))}`,
    `vigil://app//${path.join(appDir, 'package.json')}`,
    'vigil://app/escape.txt',
    'vigil://app/%00index.html',
    'vigil://other/index.html',
    'vigil://app.x/index.html',
  ];
  for (const url of refused) {
    const r = await handler(new Request(url));
    assert.equal(r.status, 404, url);
    assert.doesNotMatch(await r.text(), /outside|"name"/, url);
  }
  assert.equal((await handler(new Request('vigil://app/index.html', { method: 'POST', body: 'x' }))).status, 404);
});

test('navigation, redirects, frames, webviews and window.open are denied app-wide; only allowed https pages open in the system browser', () => {
  // Every web contents gets the guards, including ones main did not create itself.
  const extra = new (win.webContents.constructor as new () => StandInContents)();
  return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    for (const wc of [win.webContents, extra]) {
      const nav = (event: string, url: string) => {
        const e = new rec.Event({ url });
        wc.emit(event, e, url);
        return e.defaultPrevented;
      };
      for (const url of [
        'https://evil.example/',
        'vigil://app.x/index.html',
        'vigil://app@evil/',
        'file:///etc/passwd',
        'http://127.0.0.1:1/',
      ]) {
        assert.ok(nav('will-navigate', url), `will-navigate ${url}`);
        assert.ok(nav('will-frame-navigate', url), `will-frame-navigate ${url}`);
        assert.ok(nav('will-redirect', url), `will-redirect ${url}`);
      }
      assert.equal(nav('will-navigate', 'vigil://app/index.html#/wall'), false, 'in-app navigation allowed');
      const webview = new rec.Event();
      wc.emit('will-attach-webview', webview, {}, {});
      assert.ok(webview.defaultPrevented, 'webviews refused');
      assert.ok(wc.windowOpenHandler, 'window open handler set');
      for (const url of [
        'https://evil.example/',
        'http://support.huaweicloud.com/',
        'https://support.huaweicloud.com.evil.example/',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'vigil://app/index.html',
      ]) {
        assert.deepEqual(wc.windowOpenHandler!({ url }), { action: 'deny' });
        assert.ok(!rec.openedExternal.includes(url), `${url} not opened`);
      }
      assert.deepEqual(wc.windowOpenHandler!({ url: 'https://support.huaweicloud.com/usermanual-ivm/' }), {
        action: 'deny',
      });
    }
    assert.deepEqual(rec.openedExternal, [
      'https://support.huaweicloud.com/usermanual-ivm/',
      'https://support.huaweicloud.com/usermanual-ivm/',
    ]);
  });
});

test('permission requests and checks are denied, except full screen for the app itself', () => {
  const decide = (permission: string, requestingUrl: string) => {
    let answer: boolean | undefined;
    rec.permissionRequest!(win.webContents, permission, (ok) => (answer = ok), { requestingUrl });
    return answer;
  };
  for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'midi', 'pointerLock'])
    assert.equal(decide(p, 'vigil://app/index.html'), false, p);
  assert.equal(decide('fullscreen', 'vigil://app/index.html'), true);
  assert.equal(decide('fullscreen', 'https://evil.example/'), false);
  assert.equal(rec.permissionCheck!(win.webContents, 'media', 'vigil://app'), false);
  assert.equal(rec.permissionCheck!(win.webContents, 'notifications', 'vigil://app'), false);
});

test('a second launch focuses the first window; the menu has Vigil commands in the UI language and no DevTools when packaged', async () => {
  electron.app.emit('second-instance', {}, ['vigil'], '/');
  assert.equal(win.focusCount, 1);

  const menu = rec.menus.at(-1)!.template;
  const flat = (items: MenuItem[]): MenuItem[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
  const labels = flat(menu).map((i) => i.label);
  assert.ok(
    labels.includes('新建监控墙窗口') && labels.includes('打开数据文件夹') && labels.includes('关于 Vigil'),
    String(labels),
  );
  assert.ok(
    !flat(menu).some((i) => i.role === 'toggleDevTools' || i.role === 'reload'),
    'no DevTools or reload in a packaged app',
  );
  flat(menu).find((i) => i.label === '打开数据文件夹')!.click!();
  assert.deepEqual(rec.openedPaths, [process.env.VIGIL_DATA_DIR]);

  const set = await rec.handles.get('settings:set')!(
    { sender: win.webContents, senderFrame: { url: 'vigil://app/index.html' } },
    { language: 'en' },
  );
  assert.ok(set.ok);
  assert.ok(
    flat(rec.menus.at(-1)!.template).some((i) => i.label === 'New Wall Window'),
    'menu follows the UI language',
  );
  flat(rec.menus.at(-1)!.template).find((i) => i.label === 'New Wall Window')!.click!();
  assert.equal(rec.windows.length, 2, 'New Wall Window opens a window');
  assert.equal(rec.windows[1]!.options.webPreferences!.sandbox, true);
});

test("updates: Settings saves the feed, Check now runs electron-updater's autoUpdater over Electron's net and answers in words", async () => {
  const appFrame = { sender: win.webContents, senderFrame: { url: 'vigil://app/index.html' } };
  const call = async (channel: string, payload: object) => {
    const r = await rec.handles.get(channel)!(appFrame, payload);
    assert.ok(r.ok, `${channel}: ${JSON.stringify(r.error)}`);
    return r.result as { state: string; message: string; canInstall: boolean };
  };
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const sum = 'A'.repeat(86) + '==';
  const feed = http.createServer((req, res) => {
    if (req.url?.startsWith('/vigil/latest-linux.yml'))
      res.end(
        `version: ${version}\nfiles:\n  - url: Vigil-${version}.AppImage\n    sha512: ${sum}\npath: Vigil-${version}.AppImage\nsha512: ${sum}\n`,
      );
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => feed.listen(0, '127.0.0.1', ok));
  try {
    const off = await call('updates:get', {});
    assert.equal(off.state, 'off');
    assert.equal(off.canInstall, true, 'the desktop app installs');
    const refused = await rec.handles.get('updates:set')!(appFrame, { feedUrl: 'http://updates.example.com/' });
    assert.equal(refused.error?.code, 'VALIDATION');
    await call('updates:set', { feedUrl: `http://127.0.0.1:${(feed.address() as net.AddressInfo).port}/vigil/` });
    const checked = await call('updates:check', {});
    assert.equal(checked.state, 'up-to-date', checked.message);
    assert.equal(checked.message, `Vigil is up to date (${version}).`);
    assert.ok(
      win.webContents.sent.some((m) => m.channel === 'main:updates'),
      'every window hears the status',
    );
  } finally {
    await call('updates:set', { feedUrl: null });
    feed.close();
  }
});

test('quit: asks while an export runs; then closes relay lanes, alarm receivers, the print server and ffmpeg', async () => {
  const appFrame = { sender: win.webContents, senderFrame: { url: 'vigil://app/index.html' } };
  const call = async (channel: string, payload: object) => {
    const r = await rec.handles.get(channel)!(appFrame, payload);
    assert.ok(r.ok, `${channel}: ${JSON.stringify(r.error)}`);
    return r.result as Record<string, unknown>;
  };
  const { id: accountId } = (await call('accounts:add', { name: 'IVM', ...ivmAccount(ivm) })) as { id: string };
  try {
    // A play URL the platform handed out, then relayed: a loopback lane opens.
    const live = (await call('live:source', { accountId, channelId: 'ch:21A0123456SMY02:0', stream: 'main' })) as {
      protocol: string;
      url: string;
      relayed?: boolean;
    };
    assert.equal(live.protocol, 'flv', JSON.stringify(live));
    assert.equal(live.relayed, true, 'every play URL comes through the relay');
    const relay = new URL(live.url);
    // The relay answers the app's own origin (vigil://app) and refuses others.
    const relayUrl = async () => {
      const l = (await call('live:source', { accountId, channelId: 'ch:21A0123456SMY02:0', stream: 'main' })) as {
        url: string;
        relayed?: boolean;
      };
      return l.relayed ? l.url : String((await call('media:relay', { url: l.url })).url);
    };
    const foreign = await fetch(await relayUrl(), { headers: { Origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    await foreign.body?.cancel();
    const ours = await fetch(await relayUrl(), { headers: { Origin: 'vigil://app' } });
    assert.equal(
      ours.headers.get('access-control-allow-origin'),
      'vigil://app',
      `relay answered ${ours.status} to the app's origin`,
    );
    await ours.body?.cancel();
    const receiverPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await call('alarms:start', {
      accountId,
      publicUrl: `http://127.0.0.1:${receiverPort}/vigil/ivm`,
      port: receiverPort,
    });
    // The dock/launcher badge counts unacknowledged alarms.
    const at = Date.now() - 60_000;
    const beijing = `${new Date(at + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
    const pushed = await ivm.dataflow.push('DEVICE_ALARM', {
      device_id: '21A0123456SMY01',
      device_name: '大门球机',
      channel_type: 'video_input',
      channel_id: '0',
      channel_name: '大门球机',
      classification: 'PERIMETER',
      alarm_type: 'over_line_alarm',
      alarm_status: 'pulse',
      alarm_time: beijing,
      alarm_uuid: `21A0123456SMY01_0_over_line_alarm_${beijing.slice(0, 19).replace(/\D/g, '')}_1`,
    });
    assert.equal(pushed, 200);
    await until(() => rec.badge.at(-1) === 1, 'badge shows one unacknowledged alarm');
    const { alarms } = (await call('alarms:list', {})) as { alarms: Array<{ id: string }> };
    await call('alarms:acknowledge', { id: alarms[0]!.id });
    assert.equal(rec.badge.at(-1), 0, 'acknowledged: the badge clears');
    const channelId = 'ch:21A0123456SMY02:0';
    const startMs = Date.now() - 600_000;
    await call('export:start', {
      accountId,
      channelId,
      name: 'quit test',
      kind: 'cloud',
      startMs,
      endMs: startMs + 60_000,
    });
    await until(
      () => fs.existsSync(ffmpegPidFile) && fs.readFileSync(ffmpegPidFile, 'utf8').trim() !== '',
      'ffmpeg started by the export',
    );
    const ffmpegPid = Number(fs.readFileSync(ffmpegPidFile, 'utf8').trim());
    assert.ok(alive(ffmpegPid));
    assert.ok(await listening(Number(relay.port)), 'relay lane listening');
    assert.ok(await listening(receiverPort), 'alarm receiver listening');

    // Cancel at the question: nothing closes.
    rec.dialogAnswer = 1;
    const { app } = electron;
    app.quit();
    assert.equal(rec.dialogs.length, 1, 'asked before quitting during an export');
    assert.equal(rec.quitState, 'running');
    assert.ok(alive(ffmpegPid) && (await listening(receiverPort)));
    // Closing the last window asks too (Windows/Linux quit with it).
    assert.equal(rec.windows[1]!.close(), true, 'a window that is not the last closes without asking');
    assert.equal(win.close(), false, 'the last window stays while an export runs and the user cancels');
    assert.equal(rec.dialogs.length, 2);

    rec.dialogAnswer = 0;
    app.quit();
    assert.equal(rec.quitState, 'held', 'will-quit waits for main to close everything');
    await until(() => rec.quitState === 'quit', 'quit completes after closing');
    await until(() => !alive(ffmpegPid), 'ffmpeg killed');
    assert.equal(await listening(Number(relay.port)), false, 'relay lane closed');
    assert.equal(await listening(receiverPort), false, 'alarm receiver closed');
    const exportsLeft = fs
      .readdirSync(path.join(process.env.HOME!, 'Downloads', 'Vigil'))
      .filter((f) => f.endsWith('.part'));
    assert.deepEqual(exportsLeft, [], 'no partial export left behind');
    assert.equal(
      fs.existsSync(path.join(process.env.VIGIL_DATA_DIR!, 'vigil.lock')),
      false,
      'the data folder is free again',
    );
    // The print server too: main's only other listener.
    const open = (process as unknown as { getActiveResourcesInfo(): string[] })
      .getActiveResourcesInfo()
      .filter((r) => r === 'TCPServerWrap');
    // (The IVM emulator listens twice: its API and its media host.)
    assert.equal(open.length, 2, `only the test's IVM emulator still listens (${open.length})`);
  } finally {
    await call('accounts:remove', { id: accountId }).catch(() => undefined);
  }
});
