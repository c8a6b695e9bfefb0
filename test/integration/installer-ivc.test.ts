import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IvcApi } from '../../main/platforms/tencent-ivc/api';
import { IvcClient } from '../../main/platforms/tencent-ivc/client';
import { IvcDeviceAdmin } from '../../main/platforms/tencent-ivc/device-admin';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';

// Tencent IVC single add against its emulator: E15 creates the device (names may repeat, so a
// second Create is a second device), then E18 reads its SIP values. When that read fails, the
// created device still comes back, with what is known and a warning, instead of an error.

let emu: IvcEmulator;
let api: IvcApi;
let admin: IvcDeviceAdmin;

before(async () => {
  emu = await new IvcEmulator().start();
  api = new IvcApi(
    new IvcClient(
      {
        platform: 'tencent-ivc',
        endpoint: emu.baseUrl,
        appId: emu.credentials.appId,
        secretId: emu.credentials.secretId,
      },
      emu.credentials.secretKey,
    ),
  );
  admin = new IvcDeviceAdmin(api);
});
after(() => emu.stop());

test('E18 failing after E15 created the device: the device comes back with its code and a warning, not an error', async () => {
  const { organizations, clusters } = await admin.options();
  // The platform goes down right after it created the device: E18 then fails after its retries.
  const add = api.addDevice;
  api.addDevice = async (b) => {
    const d = await add(b);
    emu.faults.fail5xx = 1e9;
    return d;
  };
  const before = emu.devices.size;
  try {
    const { results } = await admin.addGeneratedCode({
      registration: 'generatedCode',
      accountId: 'acc_000000000001',
      name: '北门球机',
      type: 'IPC',
      transport: 'UDP',
      password: '12345678',
      organizationId: organizations[0]!.id,
      clusterId: clusters[0]!.id,
    });
    emu.faults.fail5xx = 0;
    const created = [...emu.devices.values()].find((d) => d.Name === '北门球机')!;
    assert.equal(emu.devices.size, before + 1);
    assert.equal(results.length, 1);
    const r = results[0]!;
    assert.equal(r.ok, true);
    assert.equal(r.deviceId, created.Id, 'what installer:status takes');
    assert.equal(r.settings?.deviceId, created.Code);
    assert.equal(r.settings?.username, created.Code);
    assert.equal(r.settings?.sipServerId, null, 'not read: unknown rather than guessed');
    assert.match(r.warning ?? '', new RegExp(`${created.Code}.*created.*Do not add it again`, 's'));
  } finally {
    emu.faults.fail5xx = 0;
    api.addDevice = add;
  }
});
