import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Envelope, UpdateStatus, VigilApi } from '../../preload/contract';
import type { Core } from '../../main/core';
import { settingsPath } from '../../main/settings/settings';
import { makeCore, MemoryVault } from '../helpers/core';

// "Update feed" and "Check now" in Settings, on the browser host (there is no Electron updater
// there): the contract's handlers through the core, and the renderer's store over them. The check
// reads the feed with electron-updater's own provider and version comparison and says that
// installing needs the desktop app; nothing is downloaded.

const current = (
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }
).version;
const installer = Buffer.from('Vigil 0.2.0 AppImage (stand-in bytes)\n'.repeat(100));
const sha512 = createHash('sha512').update(installer).digest('base64');
const yml = (version: string) =>
  `version: ${version}\nfiles:\n  - url: Vigil-${version}.AppImage\n    sha512: ${sha512}\n    size: ${installer.length}\npath: Vigil-${version}.AppImage\nsha512: ${sha512}\nreleaseDate: '2026-11-20T10:00:00.000Z'\n`;

let server: http.Server;
let base: string;
let closedPort: number;
let core: Core;
let dataDir: string;
const served: string[] = [];
const events: UpdateStatus[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0]!;
    served.push(url);
    const routes: Record<string, () => void> = {
      '/newer/latest-linux.yml': () => res.end(yml('0.2.0')),
      '/newer/Vigil-0.2.0.AppImage': () => res.end(installer),
      '/same/latest-linux.yml': () => res.end(yml(current)),
      // A feed that sends its reader to plain http elsewhere: refused, not followed.
      '/downgrade/latest-linux.yml': () =>
        res.writeHead(302, { Location: 'http://updates.example.com/vigil/latest-linux.yml' }).end(),
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
  ({ core, dataDir } = makeCore({ vault: new MemoryVault() }));
  core.events.subscribe((event, payload) => {
    if (event === 'main:updates') events.push(payload as UpdateStatus);
  });
});

after(async () => {
  await core?.dispose();
  server?.close();
});

async function call(channel: 'updates:get' | 'updates:set' | 'updates:check', payload: object) {
  return (await core.call(channel, payload)) as Envelope<UpdateStatus>;
}
const ok = (e: Envelope<UpdateStatus>): UpdateStatus => {
  assert.ok(e.ok, JSON.stringify(e));
  return e.result;
};
const savedFeed = () =>
  (JSON.parse(fs.readFileSync(settingsPath(dataDir), 'utf8')) as { updateFeedUrl?: string }).updateFeedUrl;

test('no feed by default: off, and checking asks nobody', async () => {
  const status = ok(await call('updates:get', {}));
  assert.equal(status.state, 'off');
  assert.equal(status.feedUrl, null);
  assert.equal(status.canInstall, false, 'the browser host installs nothing');
  assert.equal(status.currentVersion, current);
  assert.equal(ok(await call('updates:check', {})).state, 'off');
  assert.deepEqual(served, []);
});

test('a feed that is not https (or http on this machine) is refused with the field named, and nothing is saved', async () => {
  for (const feedUrl of [
    'http://updates.example.com/vigil/',
    'https://user:pw@updates.example.com/',
    'ftp://x/',
    'not a url',
  ]) {
    const r = await call('updates:set', { feedUrl });
    assert.equal(r.ok, false, feedUrl);
    if (r.ok) continue;
    assert.equal(r.error.code, 'VALIDATION');
    assert.equal(r.error.details?.fields?.feedUrl?.key, 'updates.feedRefused');
    assert.match(r.error.message, /must be an https:\/\/ address/);
  }
  assert.equal(savedFeed(), undefined);
  assert.equal((await call('updates:set', { feedUrl: 'x'.repeat(3000) })).ok, false, 'too long for the contract');
});

test('saved, a newer version in the feed is "available; installing needs the desktop app", and nothing is downloaded', async () => {
  const saved = ok(await call('updates:set', { feedUrl: `  ${base}/newer  ` }));
  assert.equal(saved.feedUrl, `${base}/newer/`, 'trimmed, with the trailing slash a feed base needs');
  assert.equal(saved.state, 'idle');
  assert.equal(savedFeed(), `${base}/newer/`);
  events.length = 0;
  const status = ok(await call('updates:check', {}));
  assert.equal(status.state, 'available', status.message);
  assert.equal(status.version, '0.2.0');
  assert.equal(status.message, `Vigil 0.2.0 is available (this is ${current}); installing it needs the desktop app.`);
  assert.ok(status.checkedAt);
  assert.deepEqual(
    events.map((e) => e.state),
    ['checking', 'available'],
  );
  assert.ok(served.includes('/newer/latest-linux.yml'));
  assert.ok(!served.includes('/newer/Vigil-0.2.0.AppImage'), 'the browser host downloads nothing');
  assert.equal(ok(await call('updates:get', {})).state, 'available', 'the last answer is kept');
});

test('the same version is up to date; a refused redirect, a missing feed and a gone server say why', async () => {
  ok(await call('updates:set', { feedUrl: `${base}/same/` }));
  const same = ok(await call('updates:check', {}));
  assert.equal(same.state, 'up-to-date');
  assert.equal(same.message, `Vigil is up to date (${current}).`);

  ok(await call('updates:set', { feedUrl: `${base}/downgrade/` }));
  const refused = ok(await call('updates:check', {}));
  assert.equal(refused.state, 'error');
  assert.equal(refused.message, 'The update feed redirected to an address Vigil does not accept; nothing was read.');

  ok(await call('updates:set', { feedUrl: `${base}/missing/` }));
  assert.match(ok(await call('updates:check', {})).message, /has no latest-linux\.yml \(HTTP 404\)/);

  ok(await call('updates:set', { feedUrl: `http://127.0.0.1:${closedPort}/` }));
  const gone = ok(await call('updates:check', {}));
  assert.equal(gone.state, 'error');
  assert.equal(gone.message, 'The update server cannot be reached (ECONNREFUSED); nothing was installed.');

  const cleared = ok(await call('updates:set', { feedUrl: null }));
  assert.equal(cleared.state, 'off');
  assert.equal(savedFeed(), undefined, 'removed from the settings file');
});

test("the Settings store: loads, refuses a bad feed with the field's error, saves, checks, follows main's status", async () => {
  const bridge: VigilApi = {
    host: 'web',
    invoke: (async (channel: string, request: unknown) => {
      const r = (await core.call(channel, request)) as Envelope<unknown>;
      if (!r.ok) throw r.error;
      return r.result;
    }) as VigilApi['invoke'],
    on: ((event: string, listener: (payload: unknown) => void) =>
      core.events.subscribe((e, p) => {
        if (e === event) listener(p);
      })) as VigilApi['on'],
  };
  (globalThis as { window?: unknown }).window = { vigil: bridge };
  const { useUpdatesStore } = await import('../../renderer/stores/updates/store');
  const store = useUpdatesStore;
  const stop = store.getState().listen();
  try {
    await store.getState().load();
    assert.equal(store.getState().status?.state, 'off');
    assert.equal(store.getState().busy, null);

    assert.equal(await store.getState().setFeed('http://updates.example.com/'), false);
    assert.equal(store.getState().error?.code, 'VALIDATION');
    assert.equal(store.getState().error?.details?.fields?.feedUrl?.key, 'updates.feedRefused');
    assert.equal(store.getState().status?.state, 'off', 'the refused feed changed nothing');

    assert.equal(await store.getState().setFeed(`${base}/newer/`), true);
    assert.equal(store.getState().error, null, 'a success clears the error');
    assert.equal(store.getState().status?.feedUrl, `${base}/newer/`);

    const seen: string[] = [];
    const unsubscribe = store.subscribe((s) => seen.push(`${s.busy ?? '-'}:${s.status?.state}`));
    const checking = store.getState().check();
    assert.equal(store.getState().busy, 'check');
    await checking;
    unsubscribe();
    assert.equal(store.getState().busy, null);
    assert.equal(store.getState().status?.state, 'available');
    assert.ok(seen.includes('check:checking'), `main's status followed while the check ran: ${seen.join(' ')}`);

    await store.getState().setFeed('');
    assert.equal(store.getState().status?.state, 'off');
  } finally {
    stop();
  }
});
