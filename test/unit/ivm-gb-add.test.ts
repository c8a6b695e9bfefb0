import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact } from '../../main/log';
import type { IvmApi } from '../../main/platforms/huawei-ivm/api';
import type { IvmClient } from '../../main/platforms/huawei-ivm/client';
import { IvmDeviceAdmin } from '../../main/platforms/huawei-ivm/device-admin';

// The IVM adapter's own checks of a GB batch (the installer service no longer branches on the
// vendor): a device listed twice is refused before anything is sent, and every password is kept
// out of logs from the moment the request arrives.

const device = (deviceId: string, password: string) => ({
  deviceId,
  name: deviceId.slice(-4),
  password,
  algorithm: 'SHA256' as const,
});

test('a device listed twice is refused before the platform is asked; passwords never reach a log line', async () => {
  const sent: unknown[] = [];
  const api = {
    addGbDevices: async (devices: unknown[]) => (sent.push(devices), { devices: [] }),
  } as unknown as IvmApi;
  const installer = new IvmDeviceAdmin(api, {} as IvmClient);
  await assert.rejects(
    installer.addInstallerIds({
      registration: 'installerIds',
      accountId: 'acc_0000000000000001',
      devices: [device('34020000001320000777', 'Gate-pass-0001'), device('34020000001320000777', 'Gate-pass-0002')],
    }),
    { code: 'VALIDATION', message: 'Device 34020000001320000777 is listed twice' },
  );
  assert.deepEqual(sent, []);
  assert.equal(redact('sent Gate-pass-0001 and Gate-pass-0002'), 'sent *** and ***');
});
