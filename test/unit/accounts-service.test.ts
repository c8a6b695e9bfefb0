import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { AppError } from '../../main/errors';
import { settingsPath } from '../../main/settings/settings';
import { makeCore, MemoryVault, samples } from '../helpers/core';

// Service logic with an in-memory vault; the real keychain is covered in test/integration.

test('add stores the secret in the vault and only non-secret fields in settings', async () => {
  const vault = new MemoryVault();
  const { core, dataDir } = makeCore({ vault });
  const r = await core.call('accounts:add', { name: 'HQ', config: samples.ivm, secret: 'SK-unit-1' });
  assert.ok(r.ok);
  const id = (r.result as { id: string }).id;
  assert.equal(vault.data.get(id), 'SK-unit-1');
  assert.doesNotMatch(fs.readFileSync(settingsPath(dataDir), 'utf8'), /SK-unit-1/);
  assert.doesNotMatch(JSON.stringify(r), /SK-unit-1/);
});

test('a vault failure on add saves nothing and says how to fix it', async () => {
  const vault = new MemoryVault();
  const { core } = makeCore({ vault });
  vault.failNext = new AppError('VAULT_UNAVAILABLE', 'The OS keychain could not store the secret: locked', {
    hint: 'unlock it',
  });
  const r = await core.call('accounts:add', { name: 'HQ', config: samples.tencent, secret: 'x1' });
  assert.equal(r.ok ? null : r.error.code, 'VAULT_UNAVAILABLE');
  assert.equal(r.ok ? null : r.error.details?.hint, 'unlock it');
  assert.equal(core.settings.get().accounts.length, 0);
});

test('changing VIS sign-in method requires a new secret; keeping it does not', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  const added = await core.call('accounts:add', { name: 'VIS', config: samples.visToken, secret: 'pw' });
  assert.ok(added.ok);
  const id = (added.result as { id: string }).id;
  const noSecret = await core.call('accounts:update', { id, config: samples.visAksk });
  assert.equal(noSecret.ok ? null : noSecret.error.code, 'VALIDATION');
  assert.ok(!noSecret.ok && noSecret.error.details?.fields?.secret);
  const rename = await core.call('accounts:update', { id, name: 'VIS Beijing' });
  assert.ok(rename.ok);
  assert.equal((rename.result as { secretConfigured: boolean }).secretConfigured, true);
  const switched = await core.call('accounts:update', { id, config: samples.visAksk, secret: 'sk' });
  assert.ok(switched.ok);
});

test('remove deletes the vault entry first; if the keychain refuses, the account stays', async () => {
  const vault = new MemoryVault();
  const { core } = makeCore({ vault });
  const added = await core.call('accounts:add', { name: 'A', config: samples.aliyun, secret: 'aks' });
  const id = (added as { result: { id: string } }).result.id;
  vault.failNext = new AppError('VAULT_UNAVAILABLE', 'locked');
  const refused = await core.call('accounts:remove', { id });
  assert.equal(refused.ok, false);
  assert.equal(core.settings.get().accounts.length, 1);
  const removed = await core.call('accounts:remove', { id });
  assert.ok(removed.ok);
  assert.equal(vault.data.size, 0);
  assert.equal(core.settings.get().accounts.length, 0);
});

test('a connection test against an unreachable platform fails with a clear message and no secret in it', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  const added = await core.call('accounts:add', {
    name: 'IVM',
    config: { ...samples.ivm, endpoint: 'http://127.0.0.1:9' },
    secret: 'ivm-secret-k',
  });
  const id = (added as { result: { id: string } }).result.id;
  const r = await core.call('accounts:test', { id });
  assert.ok(r.ok);
  const result = r.result as { status: string; message: string };
  assert.equal(result.status, 'failed');
  assert.match(result.message, /Huawei IVM/);
  assert.ok(!result.message.includes('ivm-secret-k'));
});

test('unknown ids are NOT_FOUND; list reports a locked vault without failing', async () => {
  const vault = new MemoryVault();
  const { core } = makeCore({ vault });
  const r = await core.call('accounts:remove', { id: 'acc_ffffffffffffffff' });
  assert.equal(r.ok ? null : r.error.code, 'NOT_FOUND');
  await core.call('accounts:add', { name: 'A', config: samples.ivm, secret: 'x' });
  vault.failNext = new AppError('VAULT_UNAVAILABLE', 'locked');
  const list = await core.call('accounts:list', {});
  assert.ok(list.ok);
  const result = list.result as { accounts: unknown[]; vault: { ok: boolean } };
  assert.equal(result.accounts.length, 1);
  assert.equal(result.vault.ok, false);
});

test('settings:set changes preferences and emits main:settings-changed', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  const seen: unknown[] = [];
  // (The control room reports its own state on main:controlRoom as it starts: not this test's concern.)
  core.events.subscribe((e, p) => e === 'main:settings-changed' && seen.push([e, p]));
  const r = await core.call('settings:set', { language: 'en' });
  assert.ok(r.ok);
  assert.deepEqual(seen, [['main:settings-changed', { language: 'en', theme: 'dark' }]]);
  const bad = await core.call('settings:set', { language: 'fr' });
  assert.equal(bad.ok ? null : bad.error.code, 'VALIDATION');
  assert.equal(seen.length, 1, 'a refused change emits nothing');
  await core.dispose();
});

test('a stored secret is never sent to a new server: every platform and sign-in method needs it typed again', async () => {
  const http = await import('node:http');
  let hits = 0;
  const trap = http.createServer((_req, res) => {
    hits++;
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', () => r()));
  const elsewhere = `http://127.0.0.1:${(trap.address() as { port: number }).port}`;
  try {
    const { core } = makeCore({ vault: new MemoryVault() });
    // The accounts start on a loopback port nothing listens on, so the connection tests stay here.
    const nowhere = 'http://127.0.0.1:9';
    const ivm = { ...samples.ivm, endpoint: nowhere };
    const visToken = { ...samples.visToken, endpoint: nowhere, iamEndpoint: 'http://127.0.0.1:7' };
    const visAksk = { ...samples.visAksk, endpoint: nowhere };
    const tencent = { ...samples.tencent, endpoint: nowhere };
    const aliyun = { ...samples.aliyun, endpoint: nowhere };
    const moves: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['IVM endpoint', ivm, { ...ivm, endpoint: elsewhere }],
      ['VIS token: IAM endpoint', visToken, { ...visToken, iamEndpoint: elsewhere }],
      ['VIS token: VIS endpoint', visToken, { ...visToken, endpoint: elsewhere }],
      [
        'VIS token: VIS and IAM hosts swapped',
        visToken,
        { ...visToken, endpoint: visToken.iamEndpoint, iamEndpoint: visToken.endpoint },
      ],
      ['VIS token: region (default hosts)', { ...samples.visToken }, { ...samples.visToken, region: 'cn-east-3' }],
      ['VIS AK/SK: endpoint', visAksk, { ...visAksk, endpoint: elsewhere }],
      ['Tencent endpoint', tencent, { ...tencent, endpoint: elsewhere }],
      ['Alibaba endpoint', aliyun, { ...aliyun, endpoint: elsewhere }],
    ];
    for (const [what, from, to] of moves) {
      const added = await core.call('accounts:add', { name: what, config: from, secret: `secret of ${what}` });
      assert.ok(added.ok, what);
      const id = (added.result as { id: string }).id;
      const moved = await core.call('accounts:update', { id, config: to });
      assert.equal(moved.ok ? null : moved.error.code, 'VALIDATION', what);
      assert.ok(!moved.ok && moved.error.details?.fields?.secret, `${what}: the form is told which field`);
      if (!what.includes('default hosts')) await core.call('accounts:test', { id });
      assert.equal(hits, 0, `${what}: nothing reached the new server`);
      const confirmed = await core.call('accounts:update', { id, config: to, secret: `secret of ${what}` });
      assert.ok(confirmed.ok, `${what}: with the secret typed again the change is kept`);
      const renamed = await core.call('accounts:update', { id, name: `${what} (renamed)`, config: to });
      assert.ok(renamed.ok, `${what}: same servers, no secret needed`);
    }
  } finally {
    trap.close();
  }
});

test('plain http endpoints are refused except for this computer', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  for (const endpoint of ['http://api-ivm.myhuaweicloud.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.example.com']) {
    const r = await core.call('accounts:add', { name: 'x', config: { ...samples.ivm, endpoint }, secret: 's' });
    assert.equal(r.ok ? null : r.error.code, 'VALIDATION', endpoint);
    assert.match(JSON.stringify(r), /https:\/\//, `${endpoint}: the message says to use https`);
  }
  const vis = await core.call('accounts:add', {
    name: 'v',
    config: { ...samples.visToken, iamEndpoint: 'http://iam.example.com' },
    secret: 's',
  });
  assert.equal(vis.ok, false);
  for (const endpoint of [
    'http://127.0.0.1:9000',
    'http://localhost:9000',
    'http://[::1]:9000',
    'https://ivm.example.com',
  ]) {
    const r = await core.call('accounts:add', { name: 'ok', config: { ...samples.ivm, endpoint }, secret: 's' });
    assert.ok(r.ok, endpoint);
  }
});
