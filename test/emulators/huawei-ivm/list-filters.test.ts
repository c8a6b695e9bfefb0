import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawIvm } from './raw';

// The list queries' filters against the document (seed 003 §5.2 table 5-6/5-9, §6.2 table 6-6,
// §7.2 table 7-6, and the §20.2 codes for each filter), over plain HTTP so nothing of Vigil's
// client shapes the requests.

const ivm = rawIvm();

const get = (path: string, query: Record<string, string> = {}) =>
  ivm.call('GET', `${path}?${new URLSearchParams(query)}`);
type Row = Record<string, unknown> & { channels?: Array<Record<string, unknown>> };
const rows = (b: Record<string, unknown>, key: string) => b[key] as Row[];

test('§5.2 filters: access_protocol, channel_resource_state, ability, device_id, device_system_state, group_ids, manufactures narrow the list', async () => {
  const all = { limit: '1000' };
  const gb = await get('/device-orgs/0/devices', { ...all, access_protocol: 'GB28181' });
  assert.equal(gb.status, 200);
  assert.ok(rows(gb.body, 'devices').length > 0);
  assert.ok(rows(gb.body, 'devices').every((d) => d.access_protocol === 'GB28181'));
  const closed = await get('/device-orgs/0/devices', { ...all, channel_resource_state: 'MANAGEMENT_CLOSED' });
  assert.deepEqual(
    rows(closed.body, 'devices').map((d) => d.device_id),
    ['34020000001180000001'],
  );
  const ptz = await get('/device-orgs/0/devices', { ...all, ability: 'ptz' });
  assert.ok(rows(ptz.body, 'devices').length > 0);
  assert.ok(rows(ptz.body, 'devices').every((d) => String(d.device_ability).split(',').includes('ptz')));
  const one = await get('/device-orgs/0/devices', { ...all, device_id: '21A0123456SMY02' });
  assert.deepEqual(
    rows(one.body, 'devices').map((d) => d.device_id),
    ['21A0123456SMY02'],
  );
  const frozen = await get('/device-orgs/0/devices', { ...all, device_system_state: 'UNAVAILABLE_FROZEN' });
  assert.equal(rows(frozen.body, 'devices').length, 0);
  const group = await get('/device-orgs/0/devices', { ...all, group_ids: '2001' });
  assert.ok(rows(group.body, 'devices').length > 0);
  assert.ok(rows(group.body, 'devices').every((d) => d.device_org_name === '分公司'));
  const other = await get('/device-orgs/0/devices', { ...all, manufactures: 'Acme' });
  assert.equal(rows(other.body, 'devices').length, 0);
  const huawei = await get('/device-orgs/0/devices', { ...all, manufactures: 'HUAWEI' });
  assert.equal(huawei.body.total, (await get('/device-orgs/0/devices', all)).body.total);
});

test('§5.2 bad filter values answer their §20.2 codes (IVM.10022013/22/11/15/14/12/00/26, IVM.10020012)', async () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ access_protocol: 'ONVIF' }, 'IVM.10022013'],
    [{ channel_resource_state: 'MANAGEMENT_GRANT,NOPE' }, 'IVM.10022022'],
    [{ device_state: 'ONLINE,SLEEPING' }, 'IVM.10022011'],
    [{ device_system_state: 'FROZEN' }, 'IVM.10022015'],
    [{ device_type: 'IPDOME' }, 'IVM.10022014'],
    [{ device_name: 'x'.repeat(129) }, 'IVM.10022012'],
    [{ device_name: '名'.repeat(65) }, 'IVM.10022012'],
    [{ device_id: 'bad!' }, 'IVM.10022000'],
    [{ group_ids: '1001,abc' }, 'IVM.10022026'],
    [{ sort_by: 'device_name' }, 'IVM.10020012'],
  ];
  for (const [query, code] of cases) {
    const r = await get('/device-orgs/0/devices', query);
    assert.equal(r.status, 400, JSON.stringify(query));
    assert.equal(r.body.error_code, code, JSON.stringify(query));
  }
  // The documented sort fields are accepted.
  for (const sort_by of ['create_time', 'update_time', 'operator_total'])
    assert.equal((await get('/device-orgs/0/devices', { sort_by })).status, 200);
});

test('§5.2 table 5-9 fields beyond the example: firmware, channel counts, audio counts, GB access state; channel model, SD card, mask mode', async () => {
  const r = await get('/device-orgs/1003/devices', { is_current_org: '1' });
  const d = rows(r.body, 'devices')[0]!;
  assert.equal(d.manufacture, 'HUAWEI');
  for (const k of [
    'firmware',
    'channel_allocated_total',
    'channel_online_count',
    'audio_input_count',
    'audio_output_count',
    'gb_access_state',
  ])
    assert.ok(k in d, k);
  for (const k of ['channel_model', 'storage_card_status', 'mask_mode']) assert.ok(k in d.channels![0]!, k);
});

test('§6.2 bad filter values answer their §20.2 codes; device_name may be empty ([0,128])', async () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ access_protocol: 'HOLO,RTMP' }, 'IVM.10022013'],
    [{ device_state: 'BROKEN' }, 'IVM.10022011'],
    [{ device_system_state: 'NORMAL,X' }, 'IVM.10022015'],
    [{ device_type: 'IPC-BULLET' }, 'IVM.10022014'],
    [{ device_name: 'a'.repeat(129) }, 'IVM.10022012'],
    [{ sort_by: 'operator_total' }, 'IVM.10020012'],
  ];
  for (const [query, code] of cases) {
    const r = await get('/devices', query);
    assert.equal(r.status, 400, JSON.stringify(query));
    assert.equal(r.body.error_code, code, JSON.stringify(query));
  }
  assert.equal((await get('/devices', { device_name: '' })).status, 200);
  const frozen = await get('/devices', { device_system_state: 'UNAVAILABLE_FROZEN' });
  assert.equal(frozen.body.total, 0);
});

test('§7.2 filters: channel_name, channel_resource_state (with CUSTOMER_GROUP_*), channel_system_state narrow the list; bad values answer IVM.10022020/21/22/23/13/00, IVM.10020012', async () => {
  const named = await get('/channels', { channel_name: '停车场', limit: '1000' });
  assert.equal(named.body.total, 4);
  assert.ok(rows(named.body, 'channels').every((c) => String(c.channel_name).includes('停车场')));
  const closed = await get('/channels', { channel_resource_state: 'MANAGEMENT_CLOSED', limit: '1000' });
  assert.deepEqual(
    rows(closed.body, 'channels').map((c) => c.channel_id),
    ['34020000001320000004'],
  );
  const customer = await get('/channels', { channel_resource_state: 'CUSTOMER_GROUP_GRANT' });
  assert.equal(customer.status, 200);
  assert.equal(customer.body.total, 0);
  assert.equal((await get('/channels', { channel_system_state: 'UNAVAILABLE_FROZEN' })).body.total, 0);
  const cases: Array<[Record<string, string>, string]> = [
    [{ channel_state: 'UNREGISTERED' }, 'IVM.10022020'],
    [{ channel_state: 'ONLINE,OFFLINE' }, 'IVM.10022020'],
    [{ channel_system_state: 'NORMAL,UNAVAILABLE_FROZEN' }, 'IVM.10022021'],
    [{ channel_resource_state: 'FREE' }, 'IVM.10022022'],
    [{ channel_name: 'bad/name' }, 'IVM.10022023'],
    [{ channel_name: '' }, 'IVM.10022023'],
    [{ access_protocol: 'SIP' }, 'IVM.10022013'],
    [{ device_id: 'short' }, 'IVM.10022000'],
    [{ sort_by: 'channel_name' }, 'IVM.10020012'],
  ];
  for (const [query, code] of cases) {
    const r = await get('/channels', query);
    assert.equal(r.status, 400, JSON.stringify(query));
    assert.equal(r.body.error_code, code, JSON.stringify(query));
  }
});
