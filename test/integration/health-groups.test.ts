import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Core } from '../../main/core';
import type { HealthSummary } from '../../preload/contract';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { VisEmulator } from '../emulators/huawei-vis/emulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount, ivmAccount, vcsAccount, visAccount } from '../helpers/accounts';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';

// Issue 20 (health): devices added through the installer, on every platform's emulator, placed
// where that platform puts them (Huawei IVM §6.7: the root organization). The group rows of the
// health summary must add up to its header totals, and no device becomes a "group" of its own.

const stops: Array<() => Promise<void>> = [];
after(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
});

async function call<T>(core: Core, channel: string, payload: unknown): Promise<T> {
  const r = await core.call(channel as never, payload as never);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.details ?? {})}`);
  return r.result as T;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !(await check()); ) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The health summary, checked: rows add up to the header, and no row is named after a device. */
async function checkedSummary(core: Core, accountId: string): Promise<HealthSummary> {
  const summary = await call<HealthSummary>(core, 'health:summary', { accountId });
  const tree = await call<{ nodes: Array<{ kind: string; name: string }> }>(core, 'tree:load', { accountId });
  const sum = (k: 'devices' | 'devicesOnline' | 'channels' | 'channelsOnline') =>
    summary.groups.reduce((a, g) => a + g[k], 0);
  const shown = (s: HealthSummary) =>
    `header ${s.total.devicesOnline}/${s.total.devices} devices, ${s.total.channelsOnline}/${s.total.channels} channels; rows ${JSON.stringify(s.groups)}`;
  assert.deepEqual(
    {
      devices: sum('devices'),
      devicesOnline: sum('devicesOnline'),
      channels: sum('channels'),
      channelsOnline: sum('channelsOnline'),
    },
    summary.total,
    shown(summary),
  );
  const deviceNames = new Set(tree.nodes.filter((n) => n.kind === 'device').map((n) => n.name));
  for (const g of summary.groups)
    assert.ok(g.ungrouped || !deviceNames.has(g.name), `a device shown as a group: ${g.name}`);
  return summary;
}

test('Huawei IVM: GB28181 devices added through the installer (root organization) count in the rows', async () => {
  const ivm = await new IvmEmulator({ gbRegisterAfterMs: 50 }).start();
  stops.push(() => ivm.stop());
  const { core } = makeCore({ vault: new MemoryVault() });
  const accountId = await addAccount(core, 'IVM', ivmAccount(ivm));
  const before = await checkedSummary(core, accountId);
  const devices = [
    { deviceId: '34020000001320000991', name: '新装 东门', password: 'Vigil-2026a', algorithm: 'SHA256' },
    { deviceId: '34020000001180000992', name: '新装 NVR', password: 'Vigil-2026b', algorithm: 'SHA256' },
  ];
  await call(core, 'installer:addGb', { registration: 'installerIds', accountId, devices });
  await until('the devices to register', () =>
    devices.every((d) => ivm.devices.get(d.deviceId)?.device_state === 'ONLINE'),
  );
  const summary = await checkedSummary(core, accountId);
  assert.equal(summary.total.devices, before.total.devices + 2);
  const root = summary.groups.find((g) => g.ungrouped);
  assert.ok(root, JSON.stringify(summary.groups));
  assert.equal(root.devices, 2);
  assert.equal(root.devicesOnline, 2);
  assert.equal(root.channels, 2);
});

test('Tencent IVC: a device added through the installer into an organization counts in that organization', async () => {
  const ivc = await new IvcEmulator({ registerAfterMs: 50 }).start();
  stops.push(() => ivc.stop());
  const { core } = makeCore({ vault: new MemoryVault() });
  const accountId = await addAccount(core, 'IVC', ivcAccount(ivc));
  const before = await checkedSummary(core, accountId);
  const options = await call<{ organizations: Array<{ id: string; name: string }>; clusters: Array<{ id: string }> }>(
    core,
    'installer:options',
    { accountId },
  );
  const org = options.organizations.at(-1)!;
  await call(core, 'installer:addGb', {
    registration: 'generatedCode',
    accountId,
    name: '新装摄像机',
    type: 'IPC',
    transport: 'TCP',
    password: '12345678',
    organizationId: org.id,
    clusterId: options.clusters[0]!.id,
  });
  const summary = await checkedSummary(core, accountId);
  assert.equal(summary.total.devices, before.total.devices + 1);
});

test('Huawei VIS: devices made from a GB28181 credential count in the GB28181 group', async () => {
  const vis = await new VisEmulator({ registerAfterMs: 50 }).start();
  stops.push(() => vis.stop());
  const { core } = makeCore({ vault: new MemoryVault() });
  const accountId = await addAccount(core, 'VIS', visAccount(vis));
  const before = await checkedSummary(core, accountId);
  let { credentials } = await call<{ credentials: Array<{ username: string }> }>(core, 'installer:credentials', {
    accountId,
  });
  if (!credentials.length) {
    await call(core, 'installer:createCredential', {
      accountId,
      type: 'NORMAL',
      username: 'vigilhealth',
      password: 'Vigil-2026c',
    });
    ({ credentials } = await call<{ credentials: Array<{ username: string }> }>(core, 'installer:credentials', {
      accountId,
    }));
  }
  await call(core, 'installer:addGb', {
    registration: 'credential',
    accountId,
    type: 'NVR',
    credential: credentials[0]!.username,
    quantity: 2,
  });
  const summary = await checkedSummary(core, accountId);
  assert.equal(summary.total.devices, before.total.devices + 2);
});

test('Alibaba VCS: an IPC and an NVR created through the installer count in their project', async () => {
  const vcs = await new VcsEmulator({ registerAfterMs: 50 }).start();
  stops.push(() => vcs.stop());
  const { core } = makeCore({ vault: new MemoryVault() });
  const accountId = await addAccount(core, 'VCS', vcsAccount(vcs));
  const before = await checkedSummary(core, accountId);
  const corpId = [...vcs.corps.keys()][0]!;
  await call(core, 'installer:addGb', {
    registration: 'projectDevice',
    accountId,
    corpId,
    type: 'IPC',
    name: '新装入口',
    address: '杭州市西湖区',
    channels: 1,
  });
  await call(core, 'installer:addGb', {
    registration: 'projectDevice',
    accountId,
    corpId,
    type: 'NVR',
    name: '新装NVR',
    address: '杭州市滨江区',
    channels: 3,
  });
  const summary = await checkedSummary(core, accountId);
  assert.equal(summary.total.channels, before.total.channels + 4);
});
