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
  vault.failNext = new AppError('VAULT_UNAVAILABLE', 'The OS keychain could not store the secret: locked', { hint: 'unlock it' });
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
  const added = await core.call('accounts:add', { name: 'IVM', config: { ...samples.ivm, endpoint: 'http://127.0.0.1:9' }, secret: 'ivm-secret-k' });
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
  core.events.subscribe((e, p) => seen.push([e, p]));
  const r = await core.call('settings:set', { language: 'en' });
  assert.ok(r.ok);
  assert.deepEqual(seen, [['main:settings-changed', { language: 'en', theme: 'dark' }]]);
  const bad = await core.call('settings:set', { language: 'fr' });
  assert.equal(bad.ok ? null : bad.error.code, 'VALIDATION');
});
