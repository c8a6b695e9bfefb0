import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import type { AppUpdater } from 'electron-updater';
import type { UpdateStatus } from '../../preload/contract';
import { describeUpdateError, feedProblem, Updater, updateFeedUrl } from '../../main/host/updater';
import { tempDir } from '../helpers/core';
// @ts-expect-error: the stand-in is plain JavaScript
import { standInForRequire } from '../electron/stand-in/require.mjs';

// The desktop app's update path as it ships: the `Updater` production uses, driving
// electron-updater's own AppImageUpdater (what `autoUpdater` is on Linux) through the stand-in
// `electron`, whose net.request is Node's http, against a feed served on loopback the way
// electron-builder publishes one (latest-linux.yml: version, files with their real sha512).
// electron-updater reads the feed, downloads, checks the sha512 and arms the install on quit.

const require = createRequire(import.meta.url);
const current = (
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as {
    version: string;
  }
).version;
const next = '0.2.0';
// The "AppImage" is a shell script: installing on quit runs the new file (APPIMAGE_EXIT_AFTER_INSTALL),
// and it leaves a mark that it ran.
const installer = Buffer.from(
  `#!/bin/sh\n${'# Vigil 0.2.0 AppImage (stand-in bytes)\n'.repeat(4000)}echo "$APPIMAGE_SILENT_INSTALL" > "$VIGIL_INSTALLED_MARK"\n`,
);
const sha512 = createHash('sha512').update(installer).digest('base64');
const yml = (version: string, file: string, sum = sha512) =>
  `version: ${version}\nfiles:\n  - url: ${file}\n    sha512: ${sum}\n    size: ${installer.length}\npath: ${file}\nsha512: ${sum}\nreleaseDate: '2026-11-20T10:00:00.000Z'\n`;

let server: http.Server;
let base: string;
let closedPort: number;
let standIn: {
  app: { listenerCount(event: string): number };
};
let rec: {
  netRequests: Array<{ url: string; redirect: string; session?: { partition: string } }>;
  ready(): void;
};
let undoRequire: () => void;
let AppImageUpdater: new () => AppUpdater;
let cacheDir: string;
let running: string;

before(async () => {
  server = http.createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0]!;
    const routes: Record<string, () => void> = {
      // The installer is behind a redirect, as on most download hosts (Electron's 'manual' redirect).
      '/good/latest-linux.yml': () => res.end(yml(next, `download/Vigil-${next}.AppImage`)),
      [`/good/download/Vigil-${next}.AppImage`]: () =>
        res.writeHead(302, { Location: `/files/Vigil-${next}.AppImage` }).end(),
      [`/files/Vigil-${next}.AppImage`]: () =>
        res.writeHead(200, { 'Content-Length': installer.length }).end(installer),
      '/tampered/latest-linux.yml': () => res.end(yml(next, `Vigil-${next}.AppImage`)),
      [`/tampered/Vigil-${next}.AppImage`]: () => res.end(Buffer.concat([installer.subarray(0, -1), Buffer.from('X')])),
      '/same/latest-linux.yml': () => res.end(yml(current, `Vigil-${current}.AppImage`)),
      // A feed that moved: the metadata request follows the redirect.
      '/moved/latest-linux.yml': () => res.writeHead(301, { Location: '/same/latest-linux.yml' }).end(),
      '/broken/latest-linux.yml': () => res.end('version: [\n  nope'),
    };
    const route = routes[url];
    if (route) route();
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gone = http.createServer();
  await new Promise<void>((ok) => gone.listen(0, '127.0.0.1', ok));
  closedPort = (gone.address() as AddressInfo).port;
  await new Promise((ok) => gone.close(ok));

  // What an installed AppImage has: electron-builder's app-update.yml in resources (the publish
  // entry of electron-builder.yml, updaterCacheDirName), APPIMAGE naming the running file, a
  // user-data folder, and a cache folder (XDG_CACHE_HOME), all throwaway.
  const resources = tempDir('vigil-resources-');
  fs.writeFileSync(
    path.join(resources, 'app-update.yml'),
    'provider: generic\nurl: https://updates.invalid/vigil/\nupdaterCacheDirName: vigil-updater\n',
  );
  (process as { resourcesPath?: string }).resourcesPath = resources;
  running = path.join(tempDir('vigil-appimage-'), `Vigil-${current}.AppImage`);
  fs.writeFileSync(running, 'the running AppImage');
  process.env.APPIMAGE = running;
  process.env.VIGIL_DATA_DIR = tempDir('vigil-userdata-');

  undoRequire = standInForRequire('electron-updater') as () => void;
  standIn = require('electron') as typeof standIn; // the stand-in, as electron-updater gets it
  rec = (globalThis as unknown as { __electronStandIn: typeof rec }).__electronStandIn;
  rec.ready(); // electron-updater waits for app.whenReady()
  AppImageUpdater = (require('electron-updater') as { AppImageUpdater: new () => AppUpdater }).AppImageUpdater;
});

after(() => {
  undoRequire?.();
  server?.close();
});

beforeEach(() => {
  cacheDir = tempDir('vigil-cache-');
  process.env.XDG_CACHE_HOME = cacheDir;
});

/** A fresh electron-updater updater (as `autoUpdater` is built: no options, Electron's app and net) under the Updater. */
function desktopUpdater(feed: string) {
  const statuses: UpdateStatus[] = [];
  const notices: Array<{ level: string; code: string; message: string }> = [];
  const engine = new AppImageUpdater();
  const updater = new Updater({
    engine,
    feed: () => feed,
    install: true,
    onStatus: (s) => statuses.push(s),
    onNotice: (level, code, message) => notices.push({ level, code, message }),
  });
  const settled = () =>
    new Promise<UpdateStatus>((resolve, reject) => {
      const end = Date.now() + 15_000;
      const poll = () => {
        const s = updater.current;
        if (s.state === 'ready' || s.state === 'error') resolve(s);
        else if (Date.now() > end) reject(new Error(`download never settled: ${JSON.stringify(s)}`));
        else setTimeout(poll, 20);
      };
      poll();
    });
  return { engine, updater, statuses, notices, settled };
}

const pending = () => path.join(cacheDir, 'vigil-updater', 'pending');
const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

test('a newer version is found, downloaded through a redirect, its sha512 checked by electron-updater, and installs on quit', async () => {
  const { engine, updater, statuses, notices, settled } = desktopUpdater(`${base}/good/`);
  const quitHandlers = standIn.app.listenerCount('quit');
  try {
    const answer = await updater.checkNow();
    assert.equal(answer.state, 'downloading', answer.message);
    assert.equal(answer.message, `Vigil ${next} is downloading.`);
    const done = await settled();
    assert.equal(done.state, 'ready', done.message);
    assert.equal(done.message, `Vigil ${next} will install when you quit (now ${current}).`);
    assert.equal(done.version, next);
    // The verified file, where electron-updater installs it from.
    const file = path.join(pending(), `Vigil-${next}.AppImage`);
    assert.ok(fs.existsSync(file), `downloaded file in ${filesIn(pending()).join(', ')}`);
    assert.equal(createHash('sha512').update(fs.readFileSync(file)).digest('base64'), sha512);
    assert.equal(fs.statSync(file).mode & 0o111, 0o111, 'made executable, as an AppImage');
    assert.equal(standIn.app.listenerCount('quit'), quitHandlers + 1, 'install armed for quit');
    assert.deepEqual(
      notices.map((n) => n.code),
      ['notice.updateReady'],
    );
    assert.ok(statuses.some((s) => s.state === 'checking'));
    assert.ok(
      statuses.some((s) => s.state === 'downloading' && s.percent === 100),
      'progress reached 100 %',
    );
    // Through Electron's net in the updater's own session, the installer after a held ('manual') redirect.
    const ours = rec.netRequests.filter((r) => r.url.startsWith(`${base}/`));
    assert.ok(ours.every((r) => r.session?.partition === 'electron-updater'));
    assert.ok(ours.some((r) => r.url.includes('/good/download/') && r.redirect === 'manual'));
    assert.ok(ours.some((r) => r.url.includes('/files/')));
    // Checking again: electron-updater finds the verified file in its cache; still "installs on quit", no second notice.
    const again = await updater.checkNow();
    assert.ok(['ready', 'downloading'].includes(again.state), again.message);
    assert.equal((await settled()).state, 'ready');
    assert.equal(notices.length, 1);

    // Quitting installs it, as electron-updater does for an AppImage: the new file takes the old
    // one's place (named by its version) and runs once to finish.
    const mark = path.join(tempDir('vigil-mark-'), 'installed');
    process.env.VIGIL_INSTALLED_MARK = mark;
    (standIn.app as unknown as { emit(e: string, ...a: unknown[]): boolean }).emit('quit', {}, 0);
    const installed = path.join(path.dirname(running), `Vigil-${next}.AppImage`);
    assert.equal(fs.existsSync(running), false, 'the old AppImage replaced');
    assert.equal(createHash('sha512').update(fs.readFileSync(installed)).digest('base64'), sha512);
    assert.equal(fs.readFileSync(mark, 'utf8').trim(), 'true', 'the new AppImage ran its silent install');
  } finally {
    updater.dispose();
  }
  assert.equal(engine.listenerCount('update-downloaded'), 0, 'dispose removes the listeners');
});

test("a download that does not match the feed's sha512: nothing kept, nothing armed, the reason in words", async () => {
  const { updater, notices, settled } = desktopUpdater(`${base}/tampered/`);
  const quitHandlers = standIn.app.listenerCount('quit');
  try {
    assert.equal((await updater.checkNow()).state, 'downloading');
    const done = await settled();
    assert.equal(done.state, 'error');
    assert.equal(
      done.message,
      'The downloaded update does not match the sha512 in the update feed; it was discarded and nothing was installed.',
    );
    assert.deepEqual(filesIn(pending()), [], 'no file left to install');
    assert.equal(standIn.app.listenerCount('quit'), quitHandlers, 'nothing armed for quit');
    assert.deepEqual(
      notices.map((n) => [n.level, n.code, n.message]),
      [['warning', 'notice.updateFailed', done.message]],
    );
  } finally {
    updater.dispose();
  }
});

test('an unreachable feed, a missing and a broken one: the reason in words, nothing downloaded', async () => {
  for (const [feed, reason] of [
    [
      `http://127.0.0.1:${closedPort}/vigil/`,
      'The update server cannot be reached (ERR_CONNECTION_REFUSED); nothing was installed.',
    ],
    [
      `${base}/missing/`,
      'The update feed has no latest-linux.yml (HTTP 404): check the feed address; nothing was installed.',
    ],
    [`${base}/broken/`, "The update feed's metadata is not valid; nothing was downloaded."],
  ] as const) {
    const { updater, notices } = desktopUpdater(feed);
    try {
      const answer = await updater.checkNow();
      assert.equal(answer.state, 'error', feed);
      assert.equal(answer.message, reason, feed);
      assert.deepEqual(notices, [], 'a check answers in Settings; no banner');
      assert.deepEqual(filesIn(pending()), []);
    } finally {
      updater.dispose();
    }
  }
});

test('the same version: up to date (also from a feed that moved)', async () => {
  for (const feed of [`${base}/same/`, `${base}/moved/`]) {
    const { updater } = desktopUpdater(feed);
    try {
      const answer = await updater.checkNow();
      assert.equal(answer.state, 'up-to-date', answer.message);
      assert.equal(answer.message, `Vigil is up to date (${current}).`);
      assert.equal(answer.version, current);
      assert.deepEqual(filesIn(pending()), []);
    } finally {
      updater.dispose();
    }
  }
});

test('no feed, or one Vigil refuses: said, and nothing asked of the network', async () => {
  const before = rec.netRequests.length;
  for (const [feed, state] of [
    ['', 'off'],
    ['http://updates.example.com/vigil/', 'invalid'],
  ] as const) {
    const { updater } = desktopUpdater(feed);
    try {
      const answer = await updater.checkNow();
      assert.equal(answer.state, state);
      if (state === 'invalid') assert.match(answer.message, /must be an https:\/\/ address/);
    } finally {
      updater.dispose();
    }
  }
  assert.equal(rec.netRequests.length, before);
});

test('feed URL rules: none by default; https, or http only on loopback; no credentials', () => {
  assert.equal(updateFeedUrl(null), null);
  assert.equal(updateFeedUrl(''), null);
  assert.equal(updateFeedUrl('http://updates.example.com/vigil/'), null, 'plain http off loopback');
  assert.equal(updateFeedUrl('ftp://updates.example.com/'), null);
  assert.equal(updateFeedUrl('https://user:pw@updates.example.com/'), null);
  assert.equal(updateFeedUrl('not a url'), null);
  assert.equal(updateFeedUrl('https://updates.example.com/vigil')?.href, 'https://updates.example.com/vigil/');
  assert.equal(updateFeedUrl(`${base}/good/`)?.href, `${base}/good/`);
  assert.equal(feedProblem(''), null);
  assert.equal(feedProblem('https://updates.example.com/vigil/'), null);
  assert.match(feedProblem('http://updates.example.com/')!, /https:\/\//);
});

test("electron-updater's own errors become one sentence that says nothing was installed", () => {
  const runtime = createRequire(require.resolve('electron-updater'))('builder-util-runtime') as {
    newError(message: string, code: string): Error;
    HttpError: new (status: number, description?: string) => Error;
  };
  assert.match(
    describeUpdateError(runtime.newError('sha512 checksum mismatch, expected abc, got def', 'ERR_CHECKSUM_MISMATCH')),
    /does not match the sha512.*nothing was installed/,
  );
  assert.match(
    describeUpdateError(
      runtime.newError(
        'New version 0.2.0 is not signed by the application owner: publisherNames: Vigil',
        'ERR_UPDATER_INVALID_SIGNATURE',
      ),
    ),
    /not signed by Vigil's publisher.*nothing was installed/,
  );
  assert.match(describeUpdateError(new runtime.HttpError(503, 'Unavailable')), /HTTP 503; nothing was installed/);
  assert.match(
    describeUpdateError(new Error('net::ERR_INTERNET_DISCONNECTED')),
    /cannot be reached \(ERR_INTERNET_DISCONNECTED\)/,
  );
  assert.match(
    describeUpdateError(Object.assign(new Error('getaddrinfo ENOTFOUND updates.example.com'), { code: 'ENOTFOUND' })),
    /cannot be reached \(ENOTFOUND\)/,
  );
  const odd = describeUpdateError(new Error('something odd at https://updates.example.com/x?token=SECRET123'));
  assert.match(odd, /^Updating failed: something odd at <url>$/);
});
