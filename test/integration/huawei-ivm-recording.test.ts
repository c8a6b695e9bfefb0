import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IvmClient, type IvmConfig } from '../../main/platforms/huawei-ivm/client';
import { IvmRecordingApi } from '../../main/platforms/huawei-ivm/api-recording';
import { IvmApi } from '../../main/platforms/huawei-ivm/api';
import { channelNodeId } from '../../main/platforms/huawei-ivm/map';
import { IvmRecordingPlans } from '../../main/platforms/huawei-ivm/recording-plans';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { rejectsWithCode as rejects } from '../helpers/platform';

// Huawei IVM chapter 11 (recording configuration) against the emulator: TimeSection rules,
// batch limits, per-channel service results, retention and motion-plan ranges.

let emu: IvmEmulator;
let api: IvmRecordingApi;
let client: IvmClient;
const GATE = { device_id: '21A0123456SMY01', channel_id: '0' }; // continuous and motion storage
const HALL = { device_id: '21A0123456SMY02', channel_id: '0' }; // continuous only
const BRANCH = { device_id: '21A0123456SMY04', channel_id: '0' }; // package storage
const NVR4 = { device_id: '34020000001180000001', channel_id: '34020000001320000004' }; // no recording service

before(async () => {
  emu = await new IvmEmulator().start();
  const config: IvmConfig = {
    platform: 'huawei-ivm',
    endpoint: emu.baseUrl,
    userId: emu.credentials.userId,
    ak: emu.credentials.ak,
  };
  client = new IvmClient(config, emu.credentials.sk);
  api = new IvmRecordingApi(client);
});
after(() => emu.stop());

const weekdays = [1, 2, 3, 4, 5].map((day_of_week) => ({ day_of_week, start_time: '08:00:00', end_time: '18:00:00' }));

test('continuous plan: set for two channels, read back; all-day omits sections; delete; services answer per channel', async () => {
  assert.deepEqual(
    await api.recordPlan(GATE.device_id, GATE.channel_id),
    { allDay: false, uploadAfterOutage: false, sections: [] },
    'no plan yet',
  );
  const r = await api.setRecordPlans([
    { ...GATE, all_day: false, time_sections: weekdays },
    { ...NVR4, all_day: true },
  ]);
  assert.equal(r.failed, 1);
  assert.deepEqual(
    r.channels.map((c) => c.result.code),
    ['IVM.0', 'IVM.20010011'],
    'the NVR channel has no continuous storage',
  );
  assert.deepEqual((await api.recordPlan(GATE.device_id, GATE.channel_id)).sections, weekdays);
  await api.setRecordPlans([{ ...HALL, all_day: true }]);
  assert.deepEqual(await api.recordPlan(HALL.device_id, HALL.channel_id), {
    allDay: true,
    uploadAfterOutage: false,
    sections: [],
  });
  const del = await api.deleteRecordPlans([{ ...HALL, record_type: 'normal' }]);
  assert.equal(del.failed, 0);
  assert.equal((await api.recordPlan(HALL.device_id, HALL.channel_id)).allDay, false);
  const alarmDel = await api.deleteRecordPlans([{ ...HALL, record_type: 'alarm' }]);
  assert.equal(alarmDel.channels[0]!.result.code, 'IVM.20010026', 'no motion storage on the hall camera');
});

test('TimeSection rules: day 1–7, HH:mm:ss, start before end, no overlap on a day, non-empty unless all day', async () => {
  const plan = (time_sections: Array<Record<string, unknown>>) =>
    api.setRecordPlans([{ ...GATE, all_day: false, time_sections: time_sections as never }]);
  await rejects(plan([{ day_of_week: 0, start_time: '08:00:00', end_time: '09:00:00' }]), 'IVM.10024003');
  await rejects(plan([{ day_of_week: null, start_time: '08:00:00', end_time: '09:00:00' }]), 'IVM.10024012');
  await rejects(plan([{ day_of_week: 1, start_time: '24:00:00', end_time: '23:59:59' }]), 'IVM.10024007');
  await rejects(plan([{ day_of_week: 1, start_time: '10:00:00', end_time: '09:00:00' }]), 'IVM.10024007');
  await rejects(
    plan([
      { day_of_week: 1, start_time: '08:00:00', end_time: '12:00:00' },
      { day_of_week: 1, start_time: '11:00:00', end_time: '13:00:00' },
    ]),
    'IVM.10024004',
  );
  await rejects(plan([]), 'IVM.10024009');
  await plan([
    { day_of_week: 7, start_time: '00:00:00', end_time: '23:59:59' },
    { day_of_week: 1, start_time: '08:00:00', end_time: '12:00:00' },
    { day_of_week: 1, start_time: '12:00:00', end_time: '13:00:00' },
  ]);
});

test('batches: 1–100 distinct channels', async () => {
  await rejects(api.setRecordPlans([]), 'IVM.10024002');
  await rejects(
    api.setRecordPlans(
      Array.from({ length: 101 }, (_, i) => ({
        device_id: `21B${String(i).padStart(9, '0')}`,
        channel_id: '0',
        all_day: true,
      })),
    ),
    'IVM.10024000',
  );
  await rejects(
    api.setRecordPlans([
      { ...GATE, all_day: true },
      { ...GATE, all_day: true },
    ]),
    'IVM.10024001',
  );
});

test('recorded stream and retention: on-demand only, 1–365 days; motion types need motion storage', async () => {
  assert.equal(await api.recordConfig(GATE.device_id, GATE.channel_id), 'PRIMARY_STREAM');
  await api.setRecordConfig([{ ...GATE, stream_type: 'SECONDARY_STREAM_1' }]);
  assert.equal(await api.recordConfig(GATE.device_id, GATE.channel_id), 'SECONDARY_STREAM_1');
  await rejects(api.setRecordConfig([{ ...GATE, stream_type: 'FOURTH' as never }]), 'IVM.10026000');
  assert.deepEqual(
    await api.timePolicy(GATE.device_id, GATE.channel_id),
    [
      { storage_days: 0, storage_type: 'PLAN_RECORD' },
      { storage_days: 0, storage_type: 'MOTION_RECORD' },
    ],
    '0 = permanent/unset',
  );
  const set = await api.setTimePolicies([
    {
      ...GATE,
      time_policies: [
        { storage_days: 30, storage_type: 'PLAN_RECORD' },
        { storage_days: 7, storage_type: 'MOTION_RECORD' },
      ],
    },
    { ...BRANCH, time_policies: [{ storage_days: 30, storage_type: 'PLAN_RECORD' }] },
    { ...HALL, time_policies: [{ storage_days: 30, storage_type: 'MOTION_RECORD' }] },
  ]);
  assert.deepEqual(
    set.channels.map((c) => c.result.code),
    ['IVM.0', 'IVM.20010009', 'IVM.20010030'],
  );
  assert.deepEqual(await api.timePolicy(GATE.device_id, GATE.channel_id, 'alarm'), [
    { storage_days: 7, storage_type: 'MOTION_RECORD' },
  ]);
  await rejects(
    api.setTimePolicies([{ ...GATE, time_policies: [{ storage_days: 0, storage_type: 'PLAN_RECORD' }] }]),
    'IVM.10024005',
  );
  await rejects(
    api.setTimePolicies([{ ...GATE, time_policies: [{ storage_days: 3, storage_type: 'ALL' as never }] }]),
    'IVM.10024006',
  );
  await rejects(api.setTimePolicies([{ ...GATE, time_policies: [] }]), 'IVM.10024010');
});

test('§11.6 record_type "默认为normal" vs the example answering both: the plan editor reads each retention by asking for it', async () => {
  const plans = new IvmRecordingPlans(client, new IvmApi(client));
  const node = channelNodeId(GATE.device_id, GATE.channel_id);
  await api.setTimePolicies([
    {
      ...GATE,
      time_policies: [
        { storage_days: 30, storage_type: 'PLAN_RECORD' },
        { storage_days: 7, storage_type: 'MOTION_RECORD' },
      ],
    },
  ]);
  try {
    for (const reading of ['both', 'normal'] as const) {
      emu.recording.timePolicyDefault = reading;
      assert.deepEqual(
        (await plans.get(node)).retention,
        { continuousDays: 30, motionDays: 7 },
        `the motion retention is read when an omitted record_type means ${reading}`,
      );
    }
  } finally {
    emu.recording.timePolicyDefault = 'both';
  }
});

test('motion plan: listed types on, pre/post 1–59 s and together ≤ 60; unknown types refused', async () => {
  const r = await api.setAlarmPlans([
    {
      ...GATE,
      plans: [
        { alarm_type: 'motion_detection', advance_time: 30, after_time: 15 },
        { alarm_type: 'face_alarm', advance_time: 5, after_time: 55 },
      ],
      all_day: true,
    },
    { ...HALL, plans: [{ alarm_type: 'motion_detection', advance_time: 5, after_time: 5 }], all_day: true },
  ]);
  assert.deepEqual(
    r.channels.map((c) => c.result.code),
    ['IVM.0', 'IVM.20010024'],
  );
  const plan = await api.alarmPlan(GATE.device_id, GATE.channel_id);
  assert.equal(plan.allDay, true);
  assert.deepEqual(
    plan.plans.map((p) => p.alarm_type),
    ['motion_detection', 'face_alarm'],
  );
  await api.setAlarmPlans([
    {
      ...GATE,
      plans: [{ alarm_type: 'over_line_alarm', advance_time: 10, after_time: 10 }],
      all_day: false,
      time_sections: weekdays,
    },
  ]);
  assert.deepEqual(
    (await api.alarmPlan(GATE.device_id, GATE.channel_id)).plans.map((p) => p.alarm_type),
    ['over_line_alarm'],
    'full replacement',
  );
  await rejects(
    api.setAlarmPlans([
      { ...GATE, plans: [{ alarm_type: 'ufo_alarm', advance_time: 10, after_time: 10 }], all_day: true },
    ]),
    'IVM.20010027',
  );
  await rejects(
    api.setAlarmPlans([
      { ...GATE, plans: [{ alarm_type: 'io_event', advance_time: 0, after_time: 10 }], all_day: true },
    ]),
    'IVM.20010028',
  );
  await rejects(
    api.setAlarmPlans([
      { ...GATE, plans: [{ alarm_type: 'io_event', advance_time: 31, after_time: 30 }], all_day: true },
    ]),
    'IVM.20010029',
  );
});
