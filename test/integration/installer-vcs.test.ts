import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import { KeyringVault, devicePasswordsKey } from '../../main/vault/vault';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { vcsAccount } from '../helpers/accounts';
import { addAccount, makeCore } from '../helpers/core';

// Alibaba VCS CreateDevice through the installer (issue 12): the platform generates the GB
// password; it goes to the OS keychain (real Secret Service) and to a one-time printed page main
// serves, never into a reply the renderer sees.

let emu: VcsEmulator;
let core: Core;
let host: WebHost;
let accountId: string;
let corpId: string;
const vault = new KeyringVault();

before(async () => {
  emu = await new VcsEmulator({ registerAfterMs: 300 }).start();
  ({ core } = makeCore({ vault }));
  accountId = await addAccount(core, 'VCS', vcsAccount(emu));
  host = await startWebHost({ core, port: 0 });
  corpId = [...emu.corps.keys()][0]!;
});
after(async () => {
  await host?.close();
  await emu?.stop();
  for (const a of core.settings.get().accounts) await core.accounts.remove(a.id).catch(() => undefined);
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const r = await core.call(channel as never, payload as never);
  if (!r.ok)
    throw Object.assign(new Error(`${r.error.message} ${JSON.stringify(r.error.details ?? {})}`), {
      code: r.error.code,
    });
  return r.result as T;
}

type Added = {
  results: Array<{
    deviceId: string;
    ok: boolean;
    settings?: {
      deviceId: string;
      sipServerId: string | null;
      sipHost: string | null;
      sipPort: string | null;
      sipDomain: string | null;
      passwordSheet?: boolean;
      channelIds?: string[];
    };
    warning?: string;
  }>;
};

test('an IPC: SIP values and no password in the reply; the password in the keychain; the camera comes online', async () => {
  const added = await call<Added>('installer:addGb', {
    registration: 'projectDevice',
    accountId,
    corpId,
    type: 'IPC',
    name: '北门入口',
    address: '杭州市西湖区',
    channels: 1,
  });
  const r = added.results[0]!;
  const device = emu.devices.get(r.deviceId)!;
  assert.ok(device, 'the emulator has the device');
  assert.deepEqual(
    {
      id: r.settings!.sipServerId,
      host: r.settings!.sipHost,
      port: r.settings!.sipPort,
      sheet: r.settings!.passwordSheet,
    },
    { id: '33010099012000000001', host: '127.0.0.1', port: '5060', sheet: true },
  );
  assert.ok(!JSON.stringify(added).includes(device.Password), 'the generated password is not in the reply');
  const kept = JSON.parse((await vault.get(devicePasswordsKey(accountId)))!) as Record<string, { password: string }>;
  assert.equal(kept[r.deviceId]!.password, device.Password);

  assert.equal(
    (await call<{ state: string }>('installer:status', { accountId, deviceId: r.deviceId })).state,
    'unregistered',
  );
  await new Promise((done) => setTimeout(done, 400));
  assert.equal(
    (await call<{ state: string }>('installer:status', { accountId, deviceId: r.deviceId })).state,
    'online',
  );
});

test('an NVR gets its channel IDs; the printed sheet is served once, to the tokened browser only, without scripts', async () => {
  const added = await call<Added>('installer:addGb', {
    registration: 'projectDevice',
    accountId,
    corpId,
    type: 'NVR',
    name: '地库NVR',
    address: '杭州市滨江区',
    channels: 3,
    vendor: '海康',
    cityCode: '330108',
  });
  const r = added.results[0]!;
  assert.equal(r.settings!.channelIds!.length, 3);
  assert.ok(r.settings!.channelIds!.every((c) => emu.devices.get(c)?.ParentDeviceId === r.deviceId));

  const { url } = await call<{ url: string }>('installer:gbSheet', { accountId, deviceId: r.deviceId });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/print\/[0-9a-f]{32}$/);
  assert.notEqual(new URL(url).origin, host.origin, 'another origin than the app: its scripts cannot read the sheet');
  assert.equal((await fetch(url)).status, 401, 'a browser without the session cookie gets nothing');
  const cookie = (await fetch(host.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
  const onApp = await (await fetch(`${host.origin}${new URL(url).pathname}`, { headers: { cookie } })).text();
  assert.ok(!onApp.includes(emu.devices.get(r.deviceId)!.Password), 'the app origin does not serve sheets');
  assert.equal((await fetch(url, { method: 'HEAD', headers: { cookie } })).status, 405, 'HEAD is refused…');
  const page = await fetch(url, { headers: { cookie } });
  assert.equal(page.status, 200, '…and did not spend the ticket');
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const html = await page.text();
  assert.ok(html.includes(emu.devices.get(r.deviceId)!.Password), 'the sheet carries the password');
  for (const c of r.settings!.channelIds!) assert.ok(html.includes(c));
  assert.ok(!/<script/i.test(html));
  assert.equal((await fetch(url, { headers: { cookie } })).status, 404, 'opened once');

  // A device added elsewhere: the platform lists its password (§3.2.4), so the sheet still prints.
  const seeded = [...emu.devices.values()].find(
    (d) => d.DeviceType === 'IPC' && !d.ParentDeviceId && d.DeviceId !== r.deviceId,
  )!;
  const other = await call<{ url: string }>('installer:gbSheet', { accountId, deviceId: seeded.DeviceId });
  assert.ok((await (await fetch(other.url, { headers: { cookie } })).text()).includes(seeded.Password));
  await assert.rejects(
    call('installer:gbSheet', { accountId, deviceId: '33010000001320009999' }),
    /No password is known/,
  );
  await assert.rejects(
    call('installer:addGb', {
      registration: 'projectDevice',
      accountId,
      corpId,
      type: 'NVR',
      name: 'x',
      address: 'y',
      channels: 0,
    }),
    /1–256/,
  );
  await assert.rejects(
    call('installer:addGb', {
      registration: 'projectDevice',
      accountId,
      corpId,
      type: 'IPC',
      name: 'x',
      address: 'y',
      channels: 1,
      cityCode: '33',
    }),
    /Six digits/,
  );
});

test('removing the account removes its kept device passwords', async () => {
  const id = await addAccount(core, 'VCS2', vcsAccount(emu));
  await call('installer:addGb', {
    registration: 'projectDevice',
    accountId: id,
    corpId,
    type: 'IPC',
    name: '临时',
    address: '杭州市',
    channels: 1,
  });
  assert.ok(await vault.get(devicePasswordsKey(id)));
  await core.accounts.remove(id);
  assert.equal(await vault.get(devicePasswordsKey(id)), null);
});

test('the keychain failing after CreateDevice: the device still comes back (IDs, SIP values) with a warning; its sheet reads the password from the platform', async () => {
  const id = await addAccount(core, 'VCS3', vcsAccount(emu));
  // An entry the keychain cannot give back as kept passwords: the write after CreateDevice fails.
  await vault.set(devicePasswordsKey(id), 'not the kept passwords');
  const added = await call<Added>('installer:addGb', {
    registration: 'projectDevice',
    accountId: id,
    corpId,
    type: 'NVR',
    name: '南门NVR',
    address: '杭州市上城区',
    channels: 2,
  });
  const r = added.results[0]!;
  const device = emu.devices.get(r.deviceId)!;
  assert.ok(device, 'the emulator has the device');
  assert.equal(r.ok, true);
  assert.equal(r.settings!.sipServerId, '33010099012000000001');
  assert.equal(r.settings!.channelIds!.length, 2);
  assert.match(r.warning ?? '', /created, but its generated password could not be kept.*unreadable/);
  assert.ok(!JSON.stringify(added).includes(device.Password), 'the generated password is not in the reply');

  const { url } = await call<{ url: string }>('installer:gbSheet', { accountId: id, deviceId: r.deviceId });
  const cookie = (await fetch(host.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
  assert.ok((await (await fetch(url, { headers: { cookie } })).text()).includes(device.Password));
  await core.accounts.remove(id);
});
