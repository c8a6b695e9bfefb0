import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountConfig, Capability } from '../../preload/contract';
import { capabilitiesOf, type PlatformOperations } from '../../main/platforms/platform';
import { capabilitiesFor, platformFactories } from '../../main/platforms/registry';
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
    'deviceAdmin.move',
    'deviceAdmin.remove',
    'deviceAdmin.rename',
    'deviceAdmin.streams',
    'deviceAdmin.password',
    'deviceAdmin.services',
    'deviceAdmin.holo',
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
