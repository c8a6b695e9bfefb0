import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawIvm } from './raw';

// The IVM emulator's batch limits and codes against the document (seed 003 §5.6, §6.3, §6.7,
// §6.8, §9.12, §14.8, §14.14, §18.1 and the §20.2 table), over plain HTTP so nothing of Vigil's
// client shapes the requests.

const ivm = rawIvm();
const { call } = ivm;

const gbId = (n: number) => `3402000000132${String(n).padStart(7, '0')}`;
const gbItem = (n: number, extra: Record<string, unknown> = {}) => ({
  device_id: gbId(n),
  device_name: `cam ${n}`,
  device_password: 'Passw0rd!x',
  algorithm: 'SHA256',
  ...extra,
});
const codes = (list: unknown) => (list as Array<{ result: { code: string } }>).map((i) => i.result.code);

test('§6.3 gateway answers the user name registered at batch add (§6.7) and changed by §6.5, not the device ID', async () => {
  const added = await call('POST', '/devices/gb/batch-add', {
    devices: [gbItem(1, { device_username: 'gate-keeper' }), gbItem(2)],
  });
  assert.deepEqual(codes(added.body.devices), ['IVM.0', 'IVM.0']);
  assert.equal((await call('GET', `/devices/${gbId(1)}/gateway`)).body.device_username, 'gate-keeper');
  // None registered: the service's SIP user name is the device ID.
  assert.equal((await call('GET', `/devices/${gbId(2)}/gateway`)).body.device_username, gbId(2));
  const changed = await call('PUT', `/devices/${gbId(1)}/gb-account`, { device_username: 'night-shift' });
  assert.equal(changed.body.device_username, 'night-shift');
  assert.equal((await call('GET', `/devices/${gbId(1)}/gateway`)).body.device_username, 'night-shift');
});

test('§6.7 batch add: 1–100 devices (IVM.10022003 empty, IVM.10022004 over 100); per item IVM.10022008 user name, IVM.10020004 description over 128 bytes, IVM.20000051 repeated ID', async () => {
  const over = await call('POST', '/devices/gb/batch-add', {
    devices: Array.from({ length: 101 }, (_, i) => gbItem(100 + i)),
  });
  assert.equal(over.status, 400);
  assert.equal(over.body.error_code, 'IVM.10022004');
  assert.equal(
    (await call('GET', `/devices/${gbId(100)}`)).body.error_code,
    'IVM.10022002',
    'nothing of the refused batch was added',
  );
  assert.equal((await call('POST', '/devices/gb/batch-add', { devices: [] })).body.error_code, 'IVM.10022003');
  const hundred = await call('POST', '/devices/gb/batch-add', {
    devices: Array.from({ length: 100 }, (_, i) => gbItem(300 + i)),
  });
  assert.equal(hundred.body.failed_num, 0);
  const items = await call('POST', '/devices/gb/batch-add', {
    devices: [
      gbItem(500, { device_username: '9starts-with-digit' }),
      gbItem(501, { description: '描'.repeat(43) }),
      gbItem(502),
      gbItem(502),
      gbItem(503, { description: '描'.repeat(42) }),
    ],
  });
  assert.deepEqual(codes(items.body.devices), ['IVM.10022008', 'IVM.10020004', 'IVM.0', 'IVM.20000051', 'IVM.0']);
  assert.equal(items.body.failed_num, 3);
});

test('§6.8 batch delete: IVM.10022017 empty, IVM.10022016 over 100', async () => {
  assert.equal((await call('POST', '/devices/batch-delete', { devices: [] })).body.error_code, 'IVM.10022017');
  const over = await call('POST', '/devices/batch-delete', {
    devices: Array.from({ length: 101 }, (_, i) => gbId(300 + i)),
  });
  assert.equal(over.body.error_code, 'IVM.10022016');
  assert.equal((await call('GET', `/devices/${gbId(300)}`)).status, 200, 'nothing of the refused batch was deleted');
});

test('§5.6 move devices: IVM.10022034 none to move, IVM.10027006 over 100; per item IVM.10022035 unknown, IVM.20000050 already in that group', async () => {
  assert.equal(
    (await call('POST', '/device-orgs/2001/move-devices', { device_ids: [] })).body.error_code,
    'IVM.10022034',
  );
  const over = await call('POST', '/device-orgs/2001/move-devices', {
    device_ids: Array.from({ length: 101 }, (_, i) => gbId(300 + i)),
  });
  assert.equal(over.status, 400);
  assert.equal(over.body.error_code, 'IVM.10027006');
  const moved = await call('POST', '/device-orgs/2001/move-devices', {
    device_ids: ['21B000000001', '21B999999999', '21A0123456SMY04'],
  });
  assert.deepEqual(codes(moved.body.results), ['IVM.0', 'IVM.10022035', 'IVM.20000050']);
  assert.equal(moved.body.failed_num, 2);
});

test('§14.8 / §14.14 target IDs, §9.12 P2P channels and §18.1 authorization channels over their printed limits answer §20.2 IVM.10027006', async () => {
  const ids = Array.from({ length: 101 }, (_, i) => String(i + 1));
  assert.equal(
    (await call('POST', '/targets', { device_id: '21A0123456NVR01', target_ids: ids })).body.error_code,
    'IVM.10027006',
  );
  const nvrGroups = await call('GET', '/target-groups?device_id=21A0123456NVR01');
  const groupId = (nvrGroups.body.groups as Array<{ group_id: number }>)[0]!.group_id;
  assert.equal(
    (await call('POST', '/target/batch-delete', { device_id: '21A0123456NVR01', group_id: groupId, target_ids: ids }))
      .body.error_code,
    'IVM.10027006',
  );
  const p2p = Array.from({ length: 1001 }, () => ({
    device_id: '21A0123456SMY01',
    channel_id: '0',
    stream_type: 'PRIMARY_STREAM',
  }));
  assert.equal(
    (await call('POST', '/devices/channels/p2p-connect/playback', { channels: p2p })).body.error_code,
    'IVM.10027006',
  );
  assert.equal(
    (
      await call('PUT', '/devices/21A0123456SMY02/channels/targets/authorization', {
        state: 'OPENED',
        channels: Array.from({ length: 66 }, () => '0'),
      })
    ).body.error_code,
    'IVM.10027006',
  );
});

test('§6.7/§6.5 password specials include the table’s `.` and `"` (`~!@#$%^&*()-_+= [{}];:",<.>/? and space): lower+upper+`.` is strong enough', async () => {
  const added = await call('POST', '/devices/gb/batch-add', {
    devices: [gbItem(600, { device_password: 'password.X' }), gbItem(601, { device_password: 'password"X' })],
  });
  assert.deepEqual(codes(added.body.devices), ['IVM.0', 'IVM.0']);
  // Two classes only (lower + digit) stays weak.
  const weak = await call('POST', '/devices/gb/batch-add', {
    devices: [gbItem(602, { device_password: 'password1' })],
  });
  assert.deepEqual(codes(weak.body.devices), ['IVM.10022009']);
  // §6.5 on the (offline, pre-registered) device.
  assert.equal((await call('PUT', `/devices/${gbId(600)}/gb-account`, { device_password: 'NEWPASS.x' })).status, 200);
});
