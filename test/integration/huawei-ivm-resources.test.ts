import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IvmApi } from '../../main/platforms/huawei-ivm/api';
import { IvmClient, type IvmConfig } from '../../main/platforms/huawei-ivm/client';
import { IvmRecordingApi } from '../../main/platforms/huawei-ivm/api-recording';
import {
  ChannelResources,
  IvmResourcesApi,
  ResourceChannels,
  ResourcePage,
} from '../../main/platforms/huawei-ivm/api-resources';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { resourceId } from '../emulators/huawei-ivm/services';
import { rejectsWithCode as rejects } from '../helpers/platform';

// Huawei IVM chapters 12 (enable/disable services on channels) and 13 (resources) against the
// emulator: binding rules, storage_day rules, quotas, the MANAGE-last order, paging.

let emu: IvmEmulator;
let api: IvmResourcesApi;
let channels: IvmApi;
let client: IvmClient;
const GATE = { device_id: '21A0123456SMY01', channel_id: '0' }; // MANAGE, NORMAL, MOTION on demand
const CAM = (i: number) => ({ device_id: `21B${String(i).padStart(9, '0')}`, channel_id: '0' }); // MANAGE, NORMAL on demand
const NVR4 = { device_id: '34020000001180000001', channel_id: '34020000001320000004' }; // nothing bound
const PACKAGE = resourceId('pkgnormal90d');
const FROZEN = resourceId('pkgmotion30d');

before(async () => {
  emu = await new IvmEmulator().start();
  const config: IvmConfig = {
    platform: 'huawei-ivm',
    endpoint: emu.baseUrl,
    userId: emu.credentials.userId,
    ak: emu.credentials.ak,
  };
  client = new IvmClient(config, emu.credentials.sk);
  api = new IvmResourcesApi(client);
  channels = new IvmApi(client);
});
after(() => emu.stop());

const onDemand = async (type: 'MANAGE' | 'NORMAL' | 'MOTION' | 'DATAFLOW') =>
  (await api.allResources(type)).find((r) => r.mode === 'ONDEMAND')!.resource_id;
const grants = async (c: { device_id: string; channel_id: string }) =>
  (await channels.channel(c.device_id, c.channel_id)).channel_resource_state ?? [];

test('13.1 resources: one on-demand resource per type plus packages; filters, paging by record offset, limits', async () => {
  const all = await api.resources({ limit: 300 });
  assert.equal(all.total, 6);
  for (const t of ['MANAGE', 'NORMAL', 'MOTION', 'DATAFLOW'])
    assert.ok(
      all.resources.some((r) => r.resource_type_code === t && r.mode === 'ONDEMAND' && r.total_num === -1),
      t,
    );
  const pkg = all.resources.find((r) => r.resource_id === PACKAGE)!;
  assert.deepEqual(
    [pkg.mode, pkg.total_num, pkg.usage_num, pkg.resource_state],
    ['PACKAGE', 5, 1, 'NORMAL'],
    'the branch camera uses the package',
  );
  assert.match(pkg.Exp_time!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const motion = await api.resources({ resource_type_code: 'MOTION' });
  assert.deepEqual(
    motion.resources.map((r) => r.resource_type_code),
    ['MOTION', 'MOTION'],
  );
  assert.deepEqual(
    (await api.resources({ resource_id: PACKAGE })).resources.map((r) => r.resource_id),
    [PACKAGE],
  );
  const page = await api.resources({ limit: 2, offset: 1 });
  assert.deepEqual(
    page.resources.map((r) => r.resource_id),
    all.resources.slice(1, 3).map((r) => r.resource_id),
    'offset counts records',
  );
  assert.deepEqual(
    (await api.allResources(undefined, 4)).map((r) => r.resource_id),
    all.resources.map((r) => r.resource_id),
    'every page, offset learnt by probing',
  );
  await rejects(api.resources({ limit: 301 }), 'IVM.10020009', 400);
  await rejects(api.resources({ limit: 0 }), 'IVM.10020009', 400);
  await rejects(api.resources({ offset: -1 }), 'IVM.10020010', 400);
  await rejects(api.resources({ resource_id: 'short' }), 'IVM.20060013', 400);
  await rejects(api.resources({ resource_type_code: 'RECORD' as never }), 'IVM.20060014', 400);
});

test('13.3 and 12.1: a channel binds one resource per type; storage_day required on demand, taken for MANAGE, refused for packages', async () => {
  const bound = await api.channelResources(GATE.device_id, GATE.channel_id);
  assert.deepEqual(bound.map((r) => r.resource_type_code).sort(), ['MANAGE', 'MOTION', 'NORMAL']);
  const dataflow = await onDemand('DATAFLOW');
  await rejects(api.enable(dataflow, [GATE]), 'IVM.20060017', 400, 'on-demand data stream needs storage_day');
  await rejects(api.enable(dataflow, [GATE], 366), 'IVM.20060017', 400);
  // §12.1's own example binds on-demand MANAGE with "storage_day": 7: taken, not refused (GATE has it: an item result).
  const manage = await api.enable(await onDemand('MANAGE'), [GATE], 7);
  assert.deepEqual([manage.failed, manage.channels[0]!.result.code], [1, 'IVM.20060007']);
  await rejects(api.enable(PACKAGE, [GATE], 30), 'IVM.20060018', 400, 'a package takes no storage_day');
  const r = await api.enable(dataflow, [GATE], 30);
  assert.deepEqual([r.failed, r.channels[0]!.result.code], [0, 'IVM.0']);
  assert.ok((await grants(GATE)).includes('INDUSTRY_DATA_GRANT'), 'the channel list shows the new grant');
  const again = await api.enable(dataflow, [GATE], 30);
  assert.deepEqual(
    [again.failed, again.channels[0]!.result.code],
    [1, 'IVM.20060007'],
    'already bound: an item result, HTTP 200',
  );
  const of = await api.resourceChannels(dataflow);
  const gate = of.channels.find((c) => c.device_id === GATE.device_id)!;
  assert.deepEqual(gate.attrs, [{ attr_code: 'storage_day', attr_value: 30 }]);
  assert.equal(gate.channel_state, 'ONLINE');
});

test('12.1 batches and rules: 1–100 distinct channels, MANAGE first, package quota, frozen resources, unknown resources', async () => {
  const normal = await onDemand('NORMAL');
  await rejects(api.enable(normal, [], 7), 'IVM.20060016', 400);
  await rejects(
    api.enable(
      normal,
      Array.from({ length: 101 }, (_, i) => CAM(i + 1)),
      7,
    ),
    'IVM.20060015',
    400,
  );
  await rejects(api.enable(normal, [GATE, GATE], 7), 'IVM.20060022', 400);
  await rejects(api.enable(normal, [NVR4], 7), 'IVM.20060026', 400, 'MANAGE must come first');
  await rejects(api.enable('x'.repeat(31), [GATE]), 'IVM.20060013', 400);
  await rejects(api.enable(resourceId('nosuchresource'), [GATE]), 'IVM.20060001', 400);
  await rejects(api.enable(FROZEN, [GATE]), 'IVM.20060005', 400);
  await rejects(api.enable(PACKAGE, [1, 2, 3, 4, 6].map(CAM)), 'IVM.20060004', 400, '1 used + 5 > 5');
  const r = await api.enable(PACKAGE, [1, 2].map(CAM));
  assert.equal(r.failed, 0, 'on demand → package switches');
  assert.equal((await api.resources({ resource_id: PACKAGE })).resources[0]!.usage_num, 3);
  const rec = new IvmRecordingApi(client);
  const ret = await rec.setTimePolicies([
    { ...CAM(1), time_policies: [{ storage_days: 30, storage_type: 'PLAN_RECORD' }] },
  ]);
  assert.equal(ret.channels[0]!.result.code, 'IVM.20010009', 'package storage has a fixed retention (11.7)');
  const manage = await onDemand('MANAGE');
  const on = await api.enable(manage, [NVR4]);
  assert.equal(on.failed, 0);
  assert.ok((await grants(NVR4)).includes('MANAGEMENT_GRANT'));
});

test('12.2: RECORD not NORMAL; MANAGE only after the storage and data services; an unbound type is not an error', async () => {
  const cam = CAM(3);
  await rejects(api.disable('NORMAL' as never, [cam]), 'IVM.20060014', 400);
  await rejects(api.disable('MANAGE', [cam]), 'IVM.20060023', 400);
  const motion = await api.disable('MOTION', [cam]);
  assert.deepEqual([motion.failed, motion.channels[0]!.result.code], [0, 'IVM.0'], 'motion was never bound');
  assert.equal((await api.disable('RECORD', [cam])).failed, 0);
  assert.ok((await grants(cam)).includes('FULL_RECORD_CLOSED'));
  assert.equal((await api.disable('MANAGE', [cam])).failed, 0);
  assert.ok((await grants(cam)).includes('MANAGEMENT_CLOSED'));
  assert.deepEqual(await api.channelResources(cam.device_id, cam.channel_id), []);
  await rejects(api.channelResources('21A0123456XXXX', '0'), 'IVM.10022002', 400);
});

test('13.2 channels of a resource are paged; the total counts them all', async () => {
  const manage = await onDemand('MANAGE');
  const first = await api.resourceChannels(manage, { limit: 2, offset: 0 });
  const second = await api.resourceChannels(manage, { limit: 2, offset: 2 });
  assert.equal(first.channels.length, 2);
  assert.ok(first.total > 20);
  assert.equal(first.manage_num, first.total);
  assert.notDeepEqual(
    first.channels.map((c) => c.device_id),
    second.channels.map((c) => c.device_id),
  );
  assert.deepEqual(first.channels[0]!.attrs, [], 'MANAGE has no storage days');
  await rejects(api.resourceChannels(resourceId('nosuchresource')), 'IVM.20060001', 400);
});

test('the spec examples of 13.1–13.3 parse (mode values with a trailing space are trimmed)', () => {
  const list = ResourcePage.parse({
    total: 2,
    resources: [
      {
        resource_id: '156',
        resource_type_code: 'MOTION',
        resource_name: '设备按需动检收录套餐',
        resource_state: 'NORMAL',
        total_num: 1,
        usage_num: 0,
        version: 'ENTERPRISE',
        mode: 'PACKAGE ',
        Exp_time: '2023-09-22 02:22:00',
      },
      {
        resource_id: '157',
        resource_type_code: 'MOTION',
        resource_name: '90天动检云存储月套餐',
        resource_state: 'NORMAL',
        total_num: 1,
        usage_num: 0,
        version: 'ADVANCED',
        mode: 'ONDEMAND ',
        Exp_time: '2023-08-15 14:24:33',
      },
    ],
  });
  assert.deepEqual(
    list.resources!.map((r) => r.mode),
    ['PACKAGE', 'ONDEMAND'],
  );
  const ch = ResourceChannels.parse({
    channels: [
      {
        attrs: [{ attr_code: 'storage_day', attr_value: 90 }],
        device_name: 'HoloSens IPC',
        device_id: 'testwl000****',
        channel_id: '0',
        channel_state: 'OFFLINE',
        channel_name: 'HoloSens IPC',
        bind_state: 'NORMAL',
      },
    ],
    resource_type_code: 'NORMAL',
    resource_name: '90天连续云存储月套餐',
    resource_id: '321456789012345678901234567*****',
    resource_state: 'NORMAL',
    mode: 'PACKAGE',
    total: 12,
    invalid_num: 0,
    manage_num: 0,
  });
  assert.equal(ch.total, 12);
  const res = ChannelResources.parse({
    device_id: '5648781****',
    channel_id: '666',
    resources: [
      {
        resource_id: 'c0d3c9f9b70b4c3599fe4a98eb2a****',
        resource_name: '90天动检云存储月套餐',
        resource_type_code: 'MOTION',
        resource_state: 'NORMAL',
      },
    ],
  });
  assert.equal(res.resources![0]!.resource_type_code, 'MOTION');
});
