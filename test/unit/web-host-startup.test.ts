import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import WebSocket from 'ws';
import type { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import { savedTileSources } from '../../main/services/map-tiles';
import { SettingsStartupError } from '../../main/settings/startup-error';
import { addAccount, makeCore, MemoryVault, samples, tempDir } from '../helpers/core';

// The browser host listens before its core is made (main/host/web-cli.ts): the page is served at
// once, and what the page asks over its socket waits for the core on main's side.

const hosts: WebHost[] = [];
const cores: Core[] = [];
after(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await Promise.all(cores.map((c) => c.dispose()));
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** A renderer folder of one page and a preload script, as the build would leave them. */
function builtRenderer(): { rendererDir: string; preloadScript: string } {
  const dir = tempDir('vigil-renderer-');
  fs.mkdirSync(path.join(dir, 'renderer'));
  fs.writeFileSync(
    path.join(dir, 'renderer', 'index.html'),
    '<!doctype html><html><head></head><body>wall</body></html>',
  );
  fs.writeFileSync(path.join(dir, 'web.js'), 'window.vigil = {};');
  return { rendererDir: path.join(dir, 'renderer'), preloadScript: path.join(dir, 'web.js') };
}

async function start(core: Core | Promise<Core>): Promise<WebHost> {
  const host = await startWebHost({ core, port: 0, ...builtRenderer() });
  hosts.push(host);
  return host;
}

function socket(host: WebHost): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, {
      headers: { cookie: `vigil_token=${host.token}`, origin: host.origin },
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Every frame the socket receives, and a wait for the one that answers `id`. */
function frames(ws: WebSocket) {
  const got: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (d) => {
    got.push(JSON.parse(String(d)) as Record<string, unknown>);
    waiters.splice(0).forEach((w) => w());
  });
  const answer = async (id: number): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = got.find((m) => m.id === id);
      if (found) return found;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { got, answer };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the page is served and its socket accepted while the core is being made; its requests are answered by the core once made', async () => {
  const made = deferred<Core>();
  const host = await start(made.promise);
  const page = await fetch(`${host.origin}/`, { headers: { cookie: `vigil_token=${host.token}` } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /vigil-preload\.js/);

  const ws = await socket(host);
  const { got, answer } = frames(ws);
  ws.send(JSON.stringify({ id: 1, channel: 'app:info', payload: {} }));
  ws.send(JSON.stringify({ id: 2, channel: 'settings:get', payload: {} }));
  await sleep(150);
  assert.equal(got.length, 0, 'nothing is answered before the core is made');

  const { core } = makeCore({ vault: new MemoryVault() });
  cores.push(core);
  made.resolve(core);
  const info = await answer(1);
  assert.equal(info.ok, true, JSON.stringify(info));
  assert.equal((info.result as { host: string }).host, 'web');
  assert.equal((await answer(2)).ok, true);

  // The socket hears main's events from then on, and the relay serves this host's page.
  ws.send(JSON.stringify({ id: 3, channel: 'settings:set', payload: { theme: 'light' } }));
  await answer(3);
  assert.ok(got.some((m) => m.event === 'main:settings-changed'));
  ws.close();
});

test('a core that cannot start answers the waiting requests with why, in words', async () => {
  const made = deferred<Core>();
  const host = await start(made.promise);
  const ws = await socket(host);
  const { answer } = frames(ws);
  ws.send(JSON.stringify({ id: 7, channel: 'accounts:list', payload: {} }));
  await sleep(50);
  made.reject(new SettingsStartupError('SETTINGS_NEWER', 'The settings file was written by a newer Vigil'));
  const refused = await answer(7);
  assert.equal(refused.ok, false);
  assert.deepEqual(refused.error, {
    code: 'INTERNAL',
    message: 'Vigil did not start: The settings file was written by a newer Vigil',
  });
  ws.close();
  await host.close(); // closing a host whose core failed does not throw or hang
  hosts.splice(hosts.indexOf(host), 1);
});

/** A keychain whose listing has not answered yet (opening, unlocking) until `open()`. */
class OpeningVault extends MemoryVault {
  private gate: ReturnType<typeof deferred<void>> | null = null;
  reads = 0;
  close(): void {
    this.gate = deferred<void>();
  }
  open(): void {
    this.gate?.resolve();
    this.gate = null;
  }
  override async get(id: string) {
    this.reads++;
    await this.gate?.promise;
    return super.get(id);
  }
}

test('a request that comes before the keychain has answered waits for it and gets the accounts, not an error', async () => {
  const vault = new OpeningVault();
  const { core } = makeCore({ vault });
  cores.push(core);
  const id = await addAccount(core, 'Site A', { config: samples.ivm, secret: 'sk-site-a' });
  vault.close();
  const host = await start(core);
  core.warmUp(); // the host's start-up does this once the core is made
  const ws = await socket(host);
  const { got, answer } = frames(ws);
  ws.send(JSON.stringify({ id: 1, channel: 'accounts:list', payload: {} }));
  await sleep(100);
  assert.equal(got.length, 0, 'the keychain has not answered yet');
  vault.open();
  const list = await answer(1);
  assert.equal(list.ok, true, JSON.stringify(list));
  const result = list.result as { accounts: Array<{ id: string; secretConfigured: boolean }>; vault: { ok: boolean } };
  assert.deepEqual(result.vault, { ok: true });
  assert.deepEqual(
    result.accounts.map((a) => [a.id, a.secretConfigured]),
    [[id, true]],
  );
  ws.close();
});

test('first calls for an account at once (a start-up view’s panes) share one platform adapter, so one sign-in', async () => {
  const vault = new OpeningVault();
  const { core } = makeCore({ vault });
  cores.push(core);
  const id = await addAccount(core, 'Site B', { config: samples.ivm, secret: 'sk-site-b' });
  vault.close();
  vault.reads = 0;
  const asked = Array.from({ length: 4 }, () => core.accounts.platform(id));
  await sleep(20);
  vault.open();
  const adapters = await Promise.all(asked);
  assert.ok(
    adapters.every((a) => a === adapters[0]),
    'every pane got the same adapter',
  );
  assert.equal(vault.reads, 1, 'the secret was read once');
  assert.equal(await core.accounts.platform(id), adapters[0], 'and it is kept');

  // The account changes while its adapter is being made: that adapter is not kept for later calls.
  assert.equal((await core.call('accounts:update', { id, name: 'Site B2' })).ok, true); // the cache is dropped
  vault.close();
  const stale = core.accounts.platform(id);
  const changed = core.call('accounts:update', { id, name: 'Site B3' });
  vault.open();
  assert.equal((await changed).ok, true);
  const fresh = await core.accounts.platform(id);
  assert.notEqual(fresh, await stale);
  assert.notEqual(fresh, adapters[0]);
});

test('a page served before the core is made names the map tiles’ origin the data folder keeps; once made, the core’s', async () => {
  const dataDir = tempDir('vigil-tiles-');
  fs.mkdirSync(path.join(dataDir, 'maps'));
  fs.writeFileSync(
    path.join(dataDir, 'maps', 'maps.json'),
    JSON.stringify({ prefs: { tileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' } }),
  );
  assert.deepEqual(savedTileSources(dataDir), ['https://tiles.example.org']);
  assert.deepEqual(savedTileSources(tempDir('vigil-no-maps-')), [], 'no maps file: no tiles');

  const made = deferred<Core>();
  const host = await startWebHost({
    core: made.promise,
    port: 0,
    savedTileSources: () => savedTileSources(dataDir),
    ...builtRenderer(),
  });
  hosts.push(host);
  const page = () => fetch(`${host.origin}/`, { headers: { cookie: `vigil_token=${host.token}` } });
  assert.match(
    (await page()).headers.get('content-security-policy') ?? '',
    /img-src[^;]*https:\/\/tiles\.example\.org/,
  );

  const { core } = makeCore({ vault: new MemoryVault() });
  cores.push(core);
  made.resolve(core);
  const ws = await socket(host); // the socket's requests wait for the core: once one opens, it is made
  ws.close();
  await new Promise((r) => setTimeout(r, 50));
  assert.doesNotMatch(
    (await page()).headers.get('content-security-policy') ?? '',
    /tiles\.example\.org/,
    'the core’s maps set no tiles',
  );
});
