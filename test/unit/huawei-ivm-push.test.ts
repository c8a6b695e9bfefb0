import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  decodeHeatmap,
  heatColour,
  PeopleFlow,
  Snapshot,
  SpaceHeatmap,
  TimeHeatmap,
  AlarmPictures,
  CallbackQuery,
} from '../../main/platforms/huawei-ivm/api-dataflow';
import { checkSignature, parseExact, readPush } from '../../main/platforms/huawei-ivm/push';

// Huawei IVM 10.1.4 pushes and the chapter-10 replies, with the document's own examples.

test('64-bit integers survive parsing as decimal strings; short numbers, strings and escapes are untouched', () => {
  const v = parseExact(
    '{"message_id": 1676021851965927899, "n": 12, "f": -1.5e3, "s": "1676021851965927899 \\" 123", "u": [18446744073696131378, -9223372036854775808], "t": true}',
  ) as Record<string, unknown>;
  assert.equal(v.message_id, '1676021851965927899');
  assert.equal(v.n, 12);
  assert.equal(v.f, -1500);
  assert.equal(v.s, '1676021851965927899 " 123');
  assert.deepEqual(v.u, ['18446744073696131378', '-9223372036854775808']);
  assert.equal(v.t, true);
  assert.throws(() => parseExact('{"a": -}'));
});

test('10.1.4.2 example 1 (target alarm) and example 3 (IO alarm with a display name) read as alarms', () => {
  const ex1 = `{
  "message_id": 1676021851965927899,
  "message_type": "device_alarm",
  "data": {
    "device_id": "219123456CYP***", "device_name": "test-NVR B16", "channel_type": "video_input", "channel_id": "0",
    "channel_name": "107 IO告警灯设备", "classification": "TARGET_DET", "alarm_type": "mask_alarm", "alarm_status": "pulse",
    "alarm_time": "2023-02-10T17:37:30+08:00", "alarm_uuid": "219123456CYP***_0_mask_alarm_20230210173730_148",
    "target": { "target_id": "-1", "name": "", "gender": "male", "organization": "陌生人", "age": 50, "age_group": "MIDDLE_AGE",
      "similarity": 0, "target_alarm_type": "陌生人", "group_id": 4, "appear_cnt": 21, "frequency_id": "666", "targetgroup_name": "" }
  },
  "test": false
}`;
  const r = readPush(ex1);
  assert.equal(r.kind, 'alarm');
  if (r.kind !== 'alarm') return;
  assert.equal(r.alarm.messageId, '1676021851965927899', 'not rounded to 1676021851965927700');
  assert.equal(r.alarm.at, Date.UTC(2023, 1, 10, 9, 37, 30));
  assert.deepEqual(
    [r.alarm.type, r.alarm.classification, r.alarm.status, r.alarm.uuid],
    ['mask_alarm', 'TARGET_DET', 'pulse', '219123456CYP***_0_mask_alarm_20230210173730_148'],
  );
  assert.deepEqual(r.alarm.target, { id: '-1', similarity: 0, group: '陌生人' });
  const ex3 = readPush(
    '{"message_id": 1676280114005072883, "message_type": "device_alarm", "data": {"device_id": "TEST123***", "device_name": "NVR800", "channel_type": "video_input", "channel_id": "2", "channel_name": "qqqq", "classification": "ALARM", "alarm_type": "io_event", "alarm_status": "start", "alarm_time": "2023-02-13T17:21:52+08:00", "alarm_uuid": "TEST123456_2_io_event_20230213172152_201", "alarm_type_name": "Local<-3"}, "test": false}',
  );
  assert.equal(ex3.kind === 'alarm' && ex3.alarm.typeName, 'Local<-3');
});

test('the registration test message, other message types and garbage', () => {
  assert.deepEqual(readPush('{"message_id": 1676021851965927899, "test": true}'), {
    kind: 'test',
    messageId: '1676021851965927899',
  });
  const other = readPush(
    '{"message_id": 1676823431359004104, "message_type": "head_shoulder_data", "data": {"device_id": "x", "human_time_start": 18446744073696131378}, "test": false}',
  );
  assert.equal(other.kind, 'other');
  assert.equal(other.kind === 'other' && other.data.human_time_start, '18446744073696131378');
  assert.equal(readPush('not json').kind, 'invalid');
  assert.equal(readPush('{"hello": 1}').kind, 'invalid');
  assert.equal(
    readPush('{"message_id": 1, "message_type": "device_alarm", "data": {"device_id": "x"}, "test": false}').kind,
    'invalid',
  );
});

test('10.1.4.1 message_type and data "可能为空" (may be empty): a test call or a push carrying them as null still reads', () => {
  assert.deepEqual(readPush('{"message_id": 1614936351275468803, "message_type": null, "data": null, "test": true}'), {
    kind: 'test',
    messageId: '1614936351275468803',
  });
  const other = readPush(
    '{"message_id": 1614936351275468804, "message_type": "device_unbind", "data": null, "test": false}',
  );
  assert.deepEqual(other.kind === 'other' && [other.messageType, other.data], ['device_unbind', {}]);
});

test('10.1.4.2 optional alarm fields (target 非必填, alarm_type_name, alarm_attr 暂时取值为空…) may come as null: the alarm still reads', () => {
  const read = readPush(
    '{"message_id": 1676010011579800635, "message_type": "device_alarm", "data": {"device_id": "219123456CYP***", "device_name": null, "channel_type": null, "channel_id": "0", "channel_name": null, "classification": "ALARM", "alarm_type": "abandon_alarm", "alarm_type_name": null, "alarm_status": "start", "alarm_time": "2023-02-10T14:20:11+08:00", "alarm_uuid": "219123456CYP***_0_abandon_alarm_20230210142011_162", "target": null, "alarm_attr": null, "enter_count": null}, "test": false}',
  );
  assert.equal(read.kind, 'alarm', JSON.stringify(read));
  assert.equal(read.kind === 'alarm' && read.alarm.channelName, '');
  assert.equal(read.kind === 'alarm' && 'target' in read.alarm, false);
  assert.equal(read.kind === 'alarm' && 'typeName' in read.alarm, false);
});

test('10.1.4.1 signature: sha256(url|timestamp|auth_key), hex in any case or base64, either header spelling, ±300 s', () => {
  const url = 'http://www.xxxx.xxx/dsfa';
  const key = 'test123456';
  const ts = '1676021851';
  const now = 1676021851_000;
  const digest = createHash('sha256').update(`${url}|${ts}|${key}`).digest();
  assert.deepEqual(
    checkSignature({ 'x-ivm-timestamp': ts, 'x-ivm-signature': digest.toString('hex') }, url, key, now),
    { ok: true, signed: true },
  );
  assert.deepEqual(
    checkSignature({ 'x-lvm-timestamp': ts, 'x-lvm-signature': digest.toString('hex').toUpperCase() }, url, key, now),
    { ok: true, signed: true },
  );
  assert.deepEqual(
    checkSignature({ 'x-ivm-timestamp': ts, 'x-ivm-signature': digest.toString('base64') }, url, key, now),
    { ok: true, signed: true },
  );
  assert.equal(
    checkSignature({ 'x-ivm-timestamp': ts, 'x-ivm-signature': digest.toString('hex') }, url, 'otherkey', now).ok,
    false,
  );
  assert.equal(
    checkSignature({ 'x-ivm-timestamp': ts, 'x-ivm-signature': digest.toString('hex') }, url, key, now + 301_000).ok,
    false,
    'replay',
  );
  assert.equal(checkSignature({}, url, key, now).ok, false, 'unsigned while a key is set');
  assert.deepEqual(checkSignature({}, url, undefined, now), { ok: true, signed: false });
});

test('chapter-10 replies: the document examples parse (10.1.3, 10.2.2, 10.3.1, 10.4.x)', () => {
  assert.deepEqual(CallbackQuery.parse({}), {});
  assert.equal(
    CallbackQuery.parse({
      callback_url: 'http://xxxxxx:xx',
      subscription_type: 'DEVICE_ALARM',
      create_time: '2021-03-30 14:34:50',
      update_time: '2021-03-30 15:34:50',
      auth_key: 'xxxxxxx',
    }).callback_url,
    'http://xxxxxx:xx',
  );
  const pics = AlarmPictures.parse({
    failed_num: 0,
    alarms: [
      {
        alarm_uuid: 'HOLOIPCALARM53200_0_people_count_line_alarm_20230220201831_17',
        url: 'http://123.123.123.123:31012/v1/holo/HOLOIPCALARM53200_0_people_count_line_alarm_20230220201831_17.jav?secret=lln7Rnpg6sS%2BvUp%2BD%2FPHKCpbsVhg&type=0&expire=1676926267&extend=0',
        targetgroup_url: '',
        result: { code: 'IVM.0', msg: 'success' },
      },
    ],
  });
  assert.equal(pics.alarms![0]!.result.code, 'IVM.0');
  assert.deepEqual(
    Snapshot.parse({ pic_url: 'http://api-ivm.myhuaweicloud.com/v1/holo/219123456CYP***_0_210/static', pic_data: '' })
      .pic_data,
    '',
  );
  assert.equal(
    PeopleFlow.parse({
      in: [100, 200, 100, 100, 100, 100, 200, 100, 100, 100, 100, 100],
      out: [100, 200, 200, 100, 100, 100, 200, 100, 100, 100, 100, 100],
    }).in.length,
    12,
  );
  assert.deepEqual(TimeHeatmap.parse({ data: [1, 2, 3] }).data, [1, 2, 3]);
  const space = SpaceHeatmap.parse({ width: 12, height: 15, rawbase64: 'rawbase64' });
  const map = decodeHeatmap(space.width, space.height, space.rawbase64);
  assert.equal(map.cells.length, 180);
  assert.equal(map.complete, false, 'the placeholder is not 180 bytes: drawn as far as it goes, flagged');
  assert.throws(() => decodeHeatmap(0, 15, ''), /not a size/);
  assert.throws(() => decodeHeatmap(2, 2, '%%%'), /not base64/);
});

test('§20.3 heat colours: 0–11 transparent, then blue → cyan → green → yellow → red, alpha 0x55', () => {
  assert.equal(heatColour(0), 0);
  assert.equal(heatColour(11), 0);
  assert.equal(heatColour(12), 0x55000000 + 255, 'blue');
  assert.equal(heatColour(70), 0x55000000 + 255 * 256 + 255, 'cyan');
  assert.equal(heatColour(128), 0x55000000 + 255 * 256, 'green');
  assert.equal(heatColour(186), 0x55000000 + 255 * 65536 + 255 * 256, 'yellow');
  assert.equal(heatColour(255), 0x55000000 + 255 * 65536, 'red');
});
