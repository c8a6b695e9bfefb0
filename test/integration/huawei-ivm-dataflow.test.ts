import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { IvmClient, type IvmConfig } from '../../main/platforms/huawei-ivm/client';
import { IvmDataFlowApi } from '../../main/platforms/huawei-ivm/api-dataflow';
import { checkSignature, readPush } from '../../main/platforms/huawei-ivm/push';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { rejectsWithCode as rejects } from '../helpers/platform';

// Huawei IVM chapter 10 against the emulator: callbacks with the registration test and signed
// pushes to a real receiver, the breaker, alarm and TLV picture URLs, the cloud snapshot in both
// download formats and its rate limit, and the statistics' bucketing rules.

let emu: IvmEmulator;
let client: IvmClient;
let api: IvmDataFlowApi;
let receiver: http.Server;
let receiverUrl: string;
let answer = 200;
const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
const GATE = ['21A0123456SMY01', '0'] as const;
const HALL = ['21A0123456SMY02', '0'] as const;
const NVR1 = ['34020000001180000001', '34020000001320000001'] as const;

before(async () => {
  emu = await new IvmEmulator().start();
  const config: IvmConfig = {
    platform: 'huawei-ivm',
    endpoint: emu.baseUrl,
    userId: emu.credentials.userId,
    ak: emu.credentials.ak,
  };
  client = new IvmClient(config, emu.credentials.sk);
  api = new IvmDataFlowApi(client);
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ivm/push`;
});
after(async () => {
  await emu.stop();
  await new Promise((ok) => receiver.close(ok));
});

test('10.1.1–10.1.3: register (the receiver gets the test call), query without leaking the key, delete; documented errors', async () => {
  assert.equal(await api.callback('DEVICE_ALARM'), null, 'nothing configured reads as {} → null');
  const set = await api.setCallback('DEVICE_ALARM', receiverUrl, 'secret-key-1');
  assert.equal(set.callback_url, receiverUrl);
  assert.match(set.create_time!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const test = received.at(-1)!;
  assert.equal(readPush(test.body).kind, 'test');
  assert.match(test.body, /"message_id":\d{19},/, 'a 19-digit message id, written as a JSON number');
  assert.deepEqual(checkSignature(test.headers, receiverUrl, 'secret-key-1', Date.now()), { ok: true, signed: true });
  // §10.1.4.1 prints X-lvm-* (lower-case L), the spec X-Ivm-*: the emulator sends both, alike.
  const ts = test.headers['x-lvm-timestamp'];
  assert.match(String(ts), /^\d{10}$/, '§10.1.4.1 X-lvm-Timestamp: 10 digits of epoch seconds');
  assert.match(String(test.headers['x-lvm-signature']), /^[0-9a-f]{64}$/, '§10.1.4.1 X-lvm-Signature: sha256');
  assert.equal(test.headers['x-ivm-timestamp'], ts);
  assert.equal(test.headers['x-ivm-signature'], test.headers['x-lvm-signature']);
  const q = await api.callback('DEVICE_ALARM');
  assert.deepEqual(
    { ...q, createTime: '', updateTime: '' },
    { callbackUrl: receiverUrl, subscription: 'DEVICE_ALARM', createTime: '', updateTime: '', authKeySet: true },
  );
  assert.ok(!JSON.stringify(q).includes('secret-key-1'));
  await rejects(api.setCallback('DEVICE_ALARM', 'ftp://example.com/x'), 'IVM.20050003', 400);
  await rejects(api.setCallback('DEVICE_ALARM', `http://example.com/${'x'.repeat(256)}`), 'IVM.20050003', 400);
  await rejects(api.setCallback('NOT_A_TYPE' as never, receiverUrl), 'IVM.10027022', 400);
  await rejects(api.setCallback('DEVICE_ALARM', receiverUrl, 'short'), 'IVM.10027061', 400);
  const closed = http.createServer();
  await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise((ok) => closed.close(ok));
  await rejects(api.setCallback('DEVICE_EXCEPTION', deadUrl), 'IVM.20050005', 400);
  await api.setCallback('DEVICE_UNBIND', receiverUrl);
  await api.deleteCallback('DEVICE_UNBIND');
  assert.equal(await api.callback('DEVICE_UNBIND'), null);
  await rejects(api.deleteCallback('DEVICE_UNBIND'), 'IVM.20050004', 400);
});

test('pushes: signed, 64-bit ids intact; six failures open the 10-minute breaker; re-registering closes it', async () => {
  await api.setCallback('DEVICE_ALARM', receiverUrl, 'secret-key-1');
  const uuid = `${GATE[0]}_0_over_line_alarm_20261122080000_1`;
  assert.equal(
    await emu.dataflow.push('DEVICE_ALARM', {
      device_id: GATE[0],
      device_name: '大门球机',
      channel_type: 'video_input',
      channel_id: '0',
      channel_name: '大门球机',
      classification: 'PERIMETER',
      alarm_type: 'over_line_alarm',
      alarm_status: 'pulse',
      alarm_time: '2026-11-22T08:00:00+08:00',
      alarm_uuid: uuid,
    }),
    200,
  );
  const push = received.at(-1)!;
  const id = /"message_id":(\d+)/.exec(push.body)![1]!;
  const read = readPush(push.body);
  assert.equal(read.kind === 'alarm' && read.alarm.messageId, id, 'the id beyond 2^53 is exact');
  assert.equal(read.kind === 'alarm' && read.alarm.uuid, uuid);
  assert.ok(checkSignature(push.headers, receiverUrl, 'secret-key-1', Date.now()).ok);
  answer = 500;
  for (let i = 0; i < 6; i++) assert.equal(await emu.dataflow.push('DEVICE_ALARM', { alarm_uuid: `x_${i}` }), 500);
  assert.equal(await emu.dataflow.push('DEVICE_ALARM', { alarm_uuid: 'x_7' }), 'breaker', 'no push for 10 minutes');
  answer = 200;
  await api.setCallback('DEVICE_ALARM', receiverUrl, 'secret-key-1');
  assert.equal(await emu.dataflow.push('DEVICE_ALARM', { alarm_uuid: 'x_8' }), 200, 're-registering lifts the breaker');
});

test('10.2: picture URLs of pushed alarms and TLV records; unknown ids per item; limits', async () => {
  const uuid = `${GATE[0]}_0_over_line_alarm_20261122080000_1`;
  const [hit, miss] = await api.alarmPictures([uuid, 'nosuch_0_x_20260101000000_1']);
  assert.equal(hit!.result.code, 'IVM.0');
  assert.match(hit!.url, /\.jav\?secret=.+&expire=\d{10}/);
  const pic = await client.download(hit!.url, 'alarm picture');
  assert.deepEqual([...pic.bytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  assert.equal(miss!.result.code, 'IVM.10027007');
  await rejects(api.alarmPictures(Array.from({ length: 101 }, (_, i) => `a_${i}`)), 'IVM.10027006', 400);
  await rejects(api.alarmPictures(['x'.repeat(129)]), 'IVM.10020014', 400);
  await emu.dataflow.push('TARGET_DATA', {
    device_id: HALL[0],
    channel_id: '0',
    data_id: '167651219912500100070000kcxdq120',
    itgt_type: 2,
  });
  const [all] = await api.tlvPictures('TARGET', 'ALL', ['167651219912500100070000kcxdq120']);
  assert.deepEqual(all!.urls!.map((u) => u.type).sort(), ['BACKGROUND', 'BODY', 'TARGET']);
  const [wrong] = await api.tlvPictures('VEHICLE', 'VEHICLE', ['167651219912500100070000kcxdq120']);
  assert.equal(wrong!.result.code, 'IVM.10027009', 'a face record is not vehicle data');
  await rejects(api.tlvPictures('TARGET', 'PLATE', ['167651219912500100070000kcxdq120']), 'IVM.10027010', 400);
  await rejects(api.tlvPictures('PERSON' as never, 'ALL', ['1']), 'IVM.10027005', 400);
});

test('10.3.1 cloud snapshot: both download formats, one per channel per 10 s, offline and failed captures', async () => {
  const first = await api.snapshot(...GATE);
  assert.equal(first.contentType, 'image/jpeg');
  await rejects(api.snapshot(...GATE), 'IVM.20040009', 400, 'again within 10 s');
  const second = await api.snapshot(...HALL);
  assert.deepEqual(second.bytes, first.bytes, 'the binary format gives the same picture as the JSON one');
  const dl = emu.calls.filter((c) => c.path.startsWith('/v1/holo/') && c.path.endsWith('/static'));
  assert.equal(dl.length, 2);
  await rejects(api.snapshot('21A0123456SMY03', '0'), 'IVM.20000036', 400, 'device offline');
  emu.dataflow.failNextSnapshot = true;
  await rejects(api.snapshot(...NVR1), 'IVM.20040011', 400, 'the URL was handed out, the capture failed');
  await rejects(
    client.call(z.looseObject({}), {
      method: 'GET',
      path: '/v1/devices/snap',
      query: { device_id: '21B000000001', channel_id: '0', storage: 'yes' },
      what: 'snap',
    }),
    'IVM.20040012',
    400,
  );
  const inline = await client.call(z.looseObject({ pic_url: z.string(), pic_data: z.string() }), {
    method: 'GET',
    path: '/v1/devices/snap',
    query: { device_id: '21B000000002', channel_id: '0', storage: 'false' },
    what: 'snap',
  });
  assert.equal(inline.pic_url, '');
  assert.ok(Buffer.from(inline.pic_data, 'base64').length > 100);
});

test('10.4 statistics: buckets per period, WEEK ↔ MONTH by span, HOLO only, date checks', async () => {
  const day = await api.peopleFlow(...GATE, 'DAY', '20261122');
  assert.deepEqual([day.in.length, day.out.length], [24, 24]);
  assert.deepEqual(await api.peopleFlow(...GATE, 'DAY', '20261122'), day, 'the same question gets the same answer');
  assert.equal((await api.peopleFlow(...GATE, 'YEAR', '20260101')).in.length, 12);
  assert.equal(
    (await api.peopleFlow(...GATE, 'WEEK', '20240201', '20240215')).in.length,
    29,
    'a 14-day WEEK is answered as MONTH (Feb 2024)',
  );
  assert.equal(
    (await api.peopleFlow(...GATE, 'MONTH', '20240201', '20240203')).in.length,
    7,
    'a 2-day MONTH is answered as WEEK',
  );
  await rejects(api.peopleFlow(...GATE, 'HOUR' as never, '20261122'), 'IVM.20090019', 400);
  await rejects(api.peopleFlow(...GATE, 'DAY', '2026-11-22'), 'IVM.10020005', 400);
  await rejects(api.peopleFlow(...GATE, 'WEEK', '20261122', '20261101'), 'IVM.10020007', 400);
  await rejects(api.peopleFlow(...NVR1, 'DAY', '20261122'), 'IVM.20020011', 400);
  assert.equal((await api.timeHeatmap(...GATE, 'MONTH', '2024-02-10 08:00:00')).length, 29);
  await rejects(api.timeHeatmap(...NVR1, 'DAY', '2026-11-22 08:00:00'), 'IVM.20090022', 400);
  // §10.4.2/§10.4.3 start_time is `yyyy-MM-dd HH:mm:ss`: no 13th month, no 25th hour, no Feb 30.
  for (const bad of ['2026-13-01 08:00:00', '2026-11-22 25:00:00', '2026-11-22 08:61:00', '2026-02-30 08:00:00'])
    await rejects(api.spaceHeatmap(...GATE, 'DAY', bad), 'IVM.10020005', 400, bad);
  const space = await api.spaceHeatmap(...GATE, 'DAY', '2026-11-22 08:00:00');
  assert.deepEqual([space.width, space.height, space.cells.length, space.complete], [32, 18, 576, true]);
});
