import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../main/host/web';
import { makeCore, MemoryVault } from '../helpers/core';

let host: WebHost;

before(async () => {
  host = await startWebHost({ core: makeCore({ vault: new MemoryVault() }).core, port: 0 });
});
after(() => host.close());

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function next(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
}

test('the host binds 127.0.0.1 and prints a tokened URL', () => {
  assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
});

test('HTTP without the token is 401; with it, a cookie is set and the token leaves the URL', async () => {
  const bare = await fetch(`${host.origin}/`);
  assert.equal(bare.status, 401);
  const wrong = await fetch(`${host.origin}/?token=${'0'.repeat(48)}`, { redirect: 'manual' });
  assert.equal(wrong.status, 401);
  const ok = await fetch(host.url, { redirect: 'manual' });
  assert.equal(ok.status, 302);
  assert.equal(ok.headers.get('location'), '/');
  const cookie = ok.headers.get('set-cookie') ?? '';
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const page = await fetch(`${host.origin}/`, { headers: { cookie: cookie.split(';')[0]! } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.match(await page.text(), /vigil-preload\.js/);
});

test('a foreign Host header is refused (DNS rebinding)', async () => {
  const http = await import('node:http');
  const status = await new Promise<number>((resolve) => {
    http.get(
      { host: '127.0.0.1', port: host.port, path: `/?token=${host.token}`, headers: { host: 'evil.example:80' } },
      (res) => resolve(res.statusCode ?? 0),
    );
  });
  assert.equal(status, 403);
});

test('a WebSocket without the token is refused', async () => {
  await assert.rejects(open(`ws://127.0.0.1:${host.port}/ws`), /401/);
  await assert.rejects(open(`ws://127.0.0.1:${host.port}/ws?token=nope`), /401/);
});

test('a WebSocket from a foreign origin is refused even with the token', async () => {
  await assert.rejects(
    open(`ws://127.0.0.1:${host.port}/ws`, { cookie: `vigil_token=${host.token}`, origin: 'http://evil.example' }),
    /403/,
  );
});

test('calls over the socket follow the contract; malformed frames get an error and the socket stays up', async () => {
  const ws = await open(`ws://127.0.0.1:${host.port}/ws`, { cookie: `vigil_token=${host.token}`, origin: host.origin });
  ws.send('this is not json');
  assert.deepEqual((await next(ws)).error, { code: 'BAD_REQUEST', message: 'Frame is not a JSON request' });
  ws.send(JSON.stringify({ channel: 'app:info' }));
  assert.equal(((await next(ws)).error as { code: string }).code, 'BAD_REQUEST');
  ws.send(JSON.stringify({ id: 1, channel: 'nope:nope', payload: {} }));
  assert.equal(((await next(ws)).error as { code: string }).code, 'BAD_REQUEST');
  ws.send(JSON.stringify({ id: 2, channel: 'accounts:add', payload: { name: 'x' } }));
  const invalid = await next(ws);
  assert.equal(invalid.id, 2);
  assert.equal((invalid.error as { code: string }).code, 'VALIDATION');
  ws.send(JSON.stringify({ id: 3, channel: 'app:info', payload: {} }));
  const info = await next(ws);
  assert.equal(info.ok, true);
  assert.equal((info.result as { host: string }).host, 'web');
  ws.close();
});

test('events from main reach connected sockets', async () => {
  const ws = await open(`ws://127.0.0.1:${host.port}/ws`, { cookie: `vigil_token=${host.token}`, origin: host.origin });
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  ws.send(JSON.stringify({ id: 9, channel: 'settings:set', payload: { theme: 'light' } }));
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(messages.some((m) => m.event === 'main:settings-changed'));
  assert.ok(messages.some((m) => m.id === 9 && m.ok === true));
  ws.close();
});

test('paths outside the renderer folder are never served', async () => {
  const res = await fetch(`${host.origin}/..%2f..%2fpackage.json`, {
    headers: { cookie: `vigil_token=${host.token}` },
  });
  const text = await res.text();
  assert.doesNotMatch(text, /"devDependencies"/);
});

test('plain HTTP from another site (or another port of this host) is refused even with the cookie', async () => {
  const cookie = (await fetch(host.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
  const get = (headers: Record<string, string>) => fetch(`${host.origin}/`, { headers: { cookie, ...headers } });
  assert.equal((await get({})).status, 200, 'the app itself');
  assert.equal((await get({ 'Sec-Fetch-Site': 'same-origin', Origin: host.origin })).status, 200);
  assert.equal((await get({ 'Sec-Fetch-Site': 'none' })).status, 200, 'the operator opening the URL');
  assert.equal((await get({ Origin: 'https://evil.example' })).status, 403);
  assert.equal((await get({ 'Sec-Fetch-Site': 'cross-site' })).status, 403);
  assert.equal((await get({ 'Sec-Fetch-Site': 'same-site' })).status, 403, 'a page on another loopback port');
  assert.equal((await get({ Origin: 'http://127.0.0.1:1' })).status, 403);
});

test('the largest requests the contract allows cross the socket, and a call beside them still answers', async () => {
  const { base64Length, MAX_FRAME_BYTES, MAX_PICTURE_BYTES } = await import('../../preload/contract/limits');
  const ws = await open(`${host.origin.replace('http', 'ws')}/ws?token=${host.token}`, { Origin: host.origin });
  const replies = new Map<number, Record<string, unknown>>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { id?: number };
    if (typeof m.id === 'number') replies.set(m.id, m);
  });
  const picture = 'A'.repeat(base64Length(MAX_PICTURE_BYTES));
  const sheet = JSON.stringify({ id: 1, channel: 'installer:readSheet', payload: { data: 'A'.repeat(14_000_000) } });
  const targets = Array.from({ length: 20 }, (_, i) => ({
    name: `target ${i}`,
    gender: 'male',
    picture,
    remark: '备'.repeat(512),
  }));
  const pictures = JSON.stringify({
    id: 2,
    channel: 'targets:add',
    payload: { accountId: 'acc_0000000000000000', deviceId: 'd', groupId: '1', targets },
  });
  assert.ok(
    Buffer.byteLength(sheet) < MAX_FRAME_BYTES && Buffer.byteLength(pictures) < MAX_FRAME_BYTES,
    'both fit one frame',
  );
  ws.send(sheet);
  ws.send(pictures);
  ws.send(JSON.stringify({ id: 3, channel: 'app:info', payload: {} }));
  for (let i = 0; i < 300 && replies.size < 3; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(ws.readyState, ws.OPEN, 'the connection stays up');
  assert.notEqual(
    (replies.get(1)?.error as { code?: string } | undefined)?.code,
    'BAD_REQUEST',
    'the sheet reached main',
  );
  assert.equal(
    (replies.get(2)?.error as { code?: string } | undefined)?.code,
    'NOT_FOUND',
    'the pictures reached main (no such account)',
  );
  assert.equal(replies.get(3)?.ok, true);
  ws.close();
});
