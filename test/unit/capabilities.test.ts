import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountConfig, Capability, RegistrationModel } from '../../preload/contract';
import { capabilitiesOf, registrationModelsOf, type PlatformOperations } from '../../main/platforms/platform';
import { capabilitiesFor, platformFactories, registrationModelsFor } from '../../main/platforms/registry';
import { makeCore, MemoryVault, samples } from '../helpers/core';

// Capabilities are read off the operations each adapter implements; the renderer gates on them.

const expected: Record<string, Capability[]> = {
  ivm: [
    'live',
    'playback.cloud',
    'playback.device',
    'ptz',
    'presets',
    'cruise',
    'targets',
    'deviceAdmin',
    'alarms',
    'snapshot',
    'recordingPlans',
    'statistics',
    'deviceAdmin.move',
    'deviceAdmin.remove',
    'deviceAdmin.rename',
    'deviceAdmin.streams',
    'deviceAdmin.password',
    'deviceAdmin.services',
  ],
  visToken: ['live', 'deviceAdmin', 'health', 'deviceAdmin.credentials', 'deviceAdmin.refreshChannels'],
  visAksk: ['live', 'deviceAdmin', 'health', 'deviceAdmin.credentials', 'deviceAdmin.refreshChannels'],
  tencent: [
    'live',
    'playback.cloud',
    'playback.device',
    'ptz',
    'presets',
    'deviceAdmin',
    'cloudPlans',
    'deviceAdmin.move',
    'deviceAdmin.remove',
    'deviceAdmin.import',
  ],
  aliyun: ['live', 'playback.cloud', 'playback.device', 'targets', 'deviceAdmin', 'snapshot', 'imageSearch'],
};

for (const [name, config] of Object.entries(samples)) {
  test(`${config.platform} (${name}): the capabilities of the operations its adapter implements`, () => {
    assert.deepEqual([...capabilitiesFor(config as AccountConfig)].sort(), [...expected[name]!].sort());
    // The adapter answers the same set its services check.
    const adapter = platformFactories[config.platform](config as AccountConfig, 'unused');
    assert.deepEqual([...adapter.capabilities].sort(), [...expected[name]!].sort());
  });
}

test('an operation an adapter lacks is a capability it does not have', () => {
  const base = {
    id: 'tencent-ivc',
    testConnection: async () => ({ status: 'ok' }),
    tree: async () => [],
    liveSource: async () => ({}),
  } as unknown as PlatformOperations;
  assert.deepEqual(capabilitiesOf(base), ['live']);
  const withPtz = { ...base, ptz: async () => undefined } as unknown as PlatformOperations;
  assert.deepEqual(capabilitiesOf(withPtz), ['live', 'ptz']);
  // Half of a pair is not the capability: streams without setStreams cannot be configured.
  const halfAdmin = {
    ...base,
    deviceAdmin: { status: async () => ({}), streams: async () => ({}) },
  } as unknown as PlatformOperations;
  assert.deepEqual(capabilitiesOf(halfAdmin), ['live', 'deviceAdmin']);
});

test('the accounts list carries each account’s capabilities across the contract', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  assert.ok((await core.call('accounts:add', { name: 'VIS', config: samples.visToken, secret: 's' })).ok);
  assert.ok((await core.call('accounts:add', { name: 'VCS', config: samples.aliyun, secret: 's' })).ok);
  const r = await core.call('accounts:list', {});
  assert.ok(r.ok);
  const { accounts } = r.result as { accounts: Array<{ name: string; capabilities: Capability[] }> };
  assert.deepEqual(
    accounts.map((a) => [a.name, [...a.capabilities].sort()]),
    [
      ['VIS', [...expected.visToken!].sort()],
      ['VCS', [...expected.aliyun!].sort()],
    ],
  );
});

// How an account adds devices (which add form the renderer shows) is read off its adapter's add
// operations too: the renderer picks the form by registration model, never by platform id.

const registration: Record<string, RegistrationModel[]> = {
  ivm: ['installerIds', 'labelCode'],
  visToken: ['credential'],
  visAksk: ['credential'],
  tencent: ['generatedCode'],
  aliyun: ['projectDevice'],
};

for (const [name, config] of Object.entries(samples)) {
  test(`${config.platform} (${name}): the registration models of the add operations its adapter implements`, () => {
    assert.deepEqual(registrationModelsFor(config as AccountConfig), registration[name]);
  });
}

test('a registration model is the add operation an adapter has (with what its form needs), whatever the platform', () => {
  const base = {
    id: 'aliyun-vcs',
    testConnection: async () => ({ status: 'ok' }),
    tree: async () => [],
    liveSource: async () => ({}),
  } as unknown as PlatformOperations;
  const admin = (ops: object) =>
    ({ ...base, deviceAdmin: { status: async () => ({}), ...ops } }) as unknown as PlatformOperations;
  const op = async () => ({ results: [] });
  assert.deepEqual(registrationModelsOf(base), []);
  assert.deepEqual(registrationModelsOf(admin({})), [], 'device admin alone adds nothing');
  // An 'aliyun-vcs' adapter that takes the installer's own IDs gets that form, not the project form.
  assert.deepEqual(registrationModelsOf(admin({ addInstallerIds: op })), ['installerIds']);
  // A credential model needs the credentials to pick from; the generated-code and project models
  // need the organizations or projects to put the device in.
  assert.deepEqual(registrationModelsOf(admin({ addWithCredential: op })), []);
  assert.deepEqual(registrationModelsOf(admin({ addWithCredential: op, credentials: async () => [] })), ['credential']);
  assert.deepEqual(registrationModelsOf(admin({ addGeneratedCode: op })), []);
  assert.deepEqual(registrationModelsOf(admin({ addGeneratedCode: op, options: op })), ['generatedCode']);
  assert.deepEqual(registrationModelsOf(admin({ addProjectDevice: op, options: op })), ['projectDevice']);
  assert.deepEqual(registrationModelsOf(admin({ addHolo: op, addInstallerIds: op })), ['installerIds', 'labelCode']);
});

test('the accounts list carries each account’s registration models; an add names a model its account offers', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  assert.ok((await core.call('accounts:add', { name: 'IVM', config: samples.ivm, secret: 's' })).ok);
  assert.ok((await core.call('accounts:add', { name: 'VCS', config: samples.aliyun, secret: 's' })).ok);
  const r = await core.call('accounts:list', {});
  assert.ok(r.ok);
  const { accounts } = r.result as { accounts: Array<{ id: string; name: string; registrationModels: string[] }> };
  assert.deepEqual(
    accounts.map((a) => [a.name, a.registrationModels]),
    [
      ['IVM', ['installerIds', 'labelCode']],
      ['VCS', ['projectDevice']],
    ],
  );
  // Installer IDs on an account whose platform assigns them: refused by main before any call.
  const vcs = accounts.find((a) => a.name === 'VCS')!.id;
  const refused = await core.call('installer:addGb', {
    registration: 'installerIds',
    accountId: vcs,
    devices: [{ deviceId: '34020000001320000777', name: 'Gate', password: 'Gate-pass-0001', algorithm: 'SHA256' }],
  });
  assert.equal(refused.ok ? null : refused.error.code, 'NOT_AVAILABLE');
  assert.match(refused.ok ? '' : refused.error.message, /installerIds/);
  // A platform id where the model goes is not a request any more.
  const old = await core.call('installer:addGb', { platform: 'aliyun-vcs', accountId: vcs, corpId: 'c', type: 'IPC' });
  assert.equal(old.ok ? null : old.error.code, 'VALIDATION');
});
