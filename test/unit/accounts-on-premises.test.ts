import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { onPremisesOffers } from '../../main/services/accounts';
import { settingsPath } from '../../main/settings/settings';
import { makeCore, MemoryVault, tempDir } from '../helpers/core';

const lanAccount = {
  id: 'acc_0123456789abcdef',
  name: 'Depot NVR',
  config: { platform: 'huawei-ivm', endpoint: 'http://192.168.40.2:8080', userId: '123456789012345', ak: 'AK' },
  createdAt: '2026-01-01T00:00:00.000Z',
};

test('offers: an entry the choice makes valid, once, not one set aside for another reason or already back', () => {
  const valid = {
    ...lanAccount,
    id: 'acc_1111111111111111',
    config: { ...lanAccount.config, endpoint: 'https://x.example' },
  };
  const broken = { ...lanAccount, id: 'acc_2222222222222222', config: { ...lanAccount.config, userId: 'abc' } };
  const offers = onPremisesOffers([lanAccount, lanAccount, valid, broken, null, 'x', { config: 3 }], []);
  assert.deepEqual(
    offers.map((o) => [o.id, o.config.onPremises]),
    [[lanAccount.id, true]],
  );
  assert.deepEqual(onPremisesOffers([lanAccount], [lanAccount.id]), [], 'already an account');
});

test('an account set aside on upgrade for its LAN http address is offered back with the choice and restored', async () => {
  const dataDir = tempDir();
  fs.writeFileSync(settingsPath(dataDir), JSON.stringify({ version: 1, preferences: {}, accounts: [lanAccount] }));
  const vault = new MemoryVault();
  vault.data.set(lanAccount.id, 'SK-depot');
  const { core } = makeCore({ dataDir, vault });
  assert.equal(core.settings.get().accounts.length, 0, 'set aside on start');
  assert.ok(fs.readdirSync(dataDir).some((n) => n.startsWith('config.quarantine-')));

  const listed = await core.call('accounts:list', {});
  assert.ok(listed.ok);
  const { setAside } = listed.result as { setAside: Array<{ id: string; name: string }> };
  assert.deepEqual(
    setAside.map((a) => [a.id, a.name]),
    [[lanAccount.id, 'Depot NVR']],
  );

  const restored = await core.call('accounts:restore', { id: lanAccount.id });
  assert.ok(restored.ok, JSON.stringify(restored));
  const account = restored.result as { config: { onPremises?: boolean; endpoint: string }; secretConfigured: boolean };
  assert.equal(account.config.onPremises, true);
  assert.equal(account.config.endpoint, 'http://192.168.40.2:8080');
  assert.equal(account.secretConfigured, true, 'its secret stayed in the keychain');
  const setAsideNow = async () => {
    const r = await core.call('accounts:list', {});
    assert.ok(r.ok);
    return (r.result as { setAside: unknown[] }).setAside;
  };
  assert.deepEqual(await setAsideNow(), [], 'offered once');
  const stored = JSON.parse(fs.readFileSync(settingsPath(dataDir), 'utf8')) as { accounts: Array<{ config: object }> };
  assert.equal((stored.accounts[0]!.config as { onPremises?: boolean }).onPremises, true);

  // Removed again (its secret with it): not offered a second time; an unknown id is a clear error.
  assert.ok((await core.call('accounts:remove', { id: lanAccount.id })).ok);
  assert.deepEqual(await setAsideNow(), []);
  const unknown = await core.call('accounts:restore', { id: lanAccount.id });
  assert.equal(unknown.ok ? null : unknown.error.code, 'NOT_FOUND');
});

test('the choice is saved with the account; plain http to a LAN host without it is refused with the field named', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  const config = {
    platform: 'tencent-ivc',
    endpoint: 'http://10.0.0.8',
    appId: '1250000000',
    secretId: 'AKID',
  } as const;
  const refused = await core.call('accounts:add', { name: 'Site', config, secret: 's' });
  assert.equal(refused.ok ? null : refused.error.code, 'VALIDATION');
  assert.match(JSON.stringify(refused), /httpsOrOnPremises/);
  const added = await core.call('accounts:add', { name: 'Site', config: { ...config, onPremises: true }, secret: 's' });
  assert.ok(added.ok);
  assert.equal(core.settings.get().accounts[0]!.config.onPremises, true);
});
