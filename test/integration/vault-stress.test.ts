import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import { KeyringVault } from '../../main/vault/vault';
import { addAccount, makeCore } from '../helpers/core';

// The audit's hang: every keychain read opened a Secret Service connection that only GC closed,
// so a burst of hundreds of reads passed 1,024 descriptors and the host stopped answering.
// Here: the real keychain, 100 accounts, 600 concurrent calls over the contract while the host
// is asked over HTTP and the WebSocket. Descriptors must stay bounded and the host answering.

const ACCOUNTS = 100;
const fds = () => fs.readdirSync('/proc/self/fd').length;
let host: WebHost;
let core: Core;
let ids: string[] = [];

before(async () => {
  core = makeCore({ vault: new KeyringVault(`vigil-stress-${process.pid}`) }).core;
  host = await startWebHost({ core, port: 0 });
  // Unreachable loopback endpoints: tree loads and tests fail fast, after reading the secret.
  for (let i = 0; i < ACCOUNTS; i++) {
    ids.push(
      await addAccount(core, `stress ${i}`, {
        config: { platform: 'tencent-ivc', endpoint: 'http://127.0.0.1:9', appId: '1250000000', secretId: `AKID${i}` },
        secret: `stress-secret-${i}`,
      }),
    );
  }
});
after(async () => {
  for (const id of ids) await core.call('accounts:remove', { id });
  ids = [];
  await host.close();
});

test(
  'hundreds of concurrent lists, tree loads and tests keep descriptors bounded and the host answering',
  { skip: process.platform !== 'linux' && 'counts /proc/self/fd', timeout: 60_000 },
  async (t) => {
    const before = fds();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) calls.push(core.call('accounts:list', {}));
    for (let i = 0; i < 200; i++)
      calls.push(core.call('tree:load', { accountId: ids[i % ids.length]!, refresh: true }));
    for (let i = 0; i < 200; i++) calls.push(core.call('accounts:test', { id: ids[i % ids.length]! }));
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, fds())), 20);
    // The host answers while the burst runs: an HTTP request and a contract call over the socket.
    const started = Date.now();
    const http = await fetch(`${host.origin}/`);
    const httpMs = Date.now() - started;
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ws?token=${host.token}`, {
      headers: { Origin: host.origin },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ id: 1, channel: 'app:info', payload: {} }));
    const reply = await new Promise<{ ok: boolean }>((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse(String(d)))),
    );
    ws.close();
    const results = await Promise.all(calls);
    clearInterval(sampler);
    assert.equal(http.status, 401, 'the HTTP host answered (401 without the token)');
    assert.ok(httpMs < 5_000, `HTTP answered in ${httpMs} ms`);
    assert.equal(reply.ok, true, 'a contract call over the socket answered during the burst');
    const lists = results.slice(0, 200) as { ok: boolean; result?: { accounts: { secretConfigured: boolean }[] } }[];
    assert.ok(
      lists.every((r) => r.ok && r.result!.accounts.filter((a) => a.secretConfigured).length >= ACCOUNTS),
      'every list saw every secret',
    );
    t.diagnostic(`descriptors ${before} → peak ${peak}; HTTP answered in ${httpMs} ms during the burst`);
    assert.ok(peak - before < 100, `descriptors grew by ${peak - before} (from ${before} to a peak of ${peak})`);
  },
);
