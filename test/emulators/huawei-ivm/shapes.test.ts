import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { beijing } from '../../../main/platforms/huawei-ivm';
import { IvmClient, type IvmRequest } from '../../../main/platforms/huawei-ivm/client';
import { IvmEmulator } from './emulator';
import { png } from '../../helpers/images';

// The emulator is checked against the documents, not against Vigil's client: for each endpoint
// of spec part 1 with an example response, the emulator's own reply to a comparable request must
// carry every field the example shows (nested objects and the first element of arrays). Extra
// fields are allowed (tables list more than examples). Recording lists need the media simulator
// and are checked in media-platforms.test.ts.

const examples = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/huawei-ivm-examples.json'), 'utf8'),
) as Record<string, { body: unknown }>;

/** Field paths; `[]` marks array elements (the first one stands for all). Empty arrays are noted so their insides are not required. */
function fields(v: unknown, prefix = '', empty: string[] = []): string[] {
  if (Array.isArray(v)) {
    if (v.length === 0) empty.push(prefix);
    return v.length ? fields(v[0], `${prefix}[]`, empty) : [];
  }
  if (v && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => [prefix + k, ...fields(x, `${prefix}${k}.`, empty)]);
  return [];
}

let emu: IvmEmulator;
let client: IvmClient;
before(async () => {
  emu = await new IvmEmulator().start();
  client = new IvmClient(
    { platform: 'huawei-ivm', endpoint: emu.baseUrl, userId: emu.credentials.userId, ak: emu.credentials.ak },
    emu.credentials.sk,
  );
});
after(() => emu.stop());

const HOLO = '21A0123456SMY01';
const GB = '34020000001180000001';
const raw = (method: IvmRequest['method'], p: IvmRequest['path'], query?: IvmRequest['query'], body?: unknown) =>
  client.call(z.unknown(), {
    method,
    path: p,
    ...(query ? { query } : {}),
    ...(body !== undefined ? { body } : {}),
    what: 'shape',
  });
const range = () => ({ start_time: beijing(Date.now() - 3600_000), end_time: beijing(Date.now()) });

const cases: Array<[string, () => Promise<unknown>]> = [
  ['5.1', () => raw('GET', '/v1/device-orgs/1001/sub-orgs')],
  ['5.2', () => raw('GET', '/v1/device-orgs/1002/devices', { limit: 10, offset: 0 })],
  ['5.3', () => raw('PUT', '/v1/device-orgs/1004', undefined, { device_org_name: '三层' })],
  ['5.4', () => raw('POST', '/v1/device-orgs', undefined, { device_org_name: '新组', parent_org_id: '1001' })],
  [
    '5.6',
    () => raw('POST', '/v1/device-orgs/2001/move-devices', undefined, { device_ids: ['21B000000001', 'nosuch123'] }),
  ],
  ['5.7', () => raw('GET', '/v1/device-orgs/tree', { device_org_name: '三层' })],
  ['6.1', () => raw('GET', `/v1/devices/${HOLO}`, { need_cloud_ability: 'true' })],
  ['6.2', () => raw('GET', '/v1/devices', { limit: 10, offset: 0, need_cloud_ability: 'true' })],
  ['6.3', () => raw('GET', `/v1/devices/${GB}/gateway`)],
  ['6.4', () => raw('PUT', `/v1/devices/${HOLO}`, undefined, { device_name: '大门', description: 'x' })],
  ['7.1', () => raw('PUT', `/v1/devices/${HOLO}/channels/0`, undefined, { channel_name: 'hahaha' })],
  ['7.2', () => raw('GET', '/v1/channels', { limit: 2, offset: 0 })],
  ['7.3', () => raw('GET', `/v1/devices/${HOLO}/channels/0`, { need_cloud_ability: 'true' })],
  ['8.1', () => raw('GET', `/v1/devices/${HOLO}/channels/0/control-lock`)],
  [
    '9.1',
    () =>
      raw('POST', '/v2/devices/channels/media/live-connections', undefined, {
        channels: [
          { device_id: GB, channel_id: '34020000001320000004', live_protocol: 'HOLO', stream_type: 'PRIMARY_STREAM' },
          { device_id: HOLO, channel_id: '0', live_protocol: 'HOLO', stream_type: 'PRIMARY_STREAM' },
        ],
      }),
  ],
  [
    '9.3',
    () =>
      raw('GET', `/v2/devices/${HOLO}/channels/0/media/playback-connections`, {
        playback_protocol: 'HOLO',
        record_position: 'DEVICE',
        ...range(),
      }),
  ],
  [
    '9.4',
    () =>
      raw('POST', '/v1/media/urls/batch-delete', undefined, {
        urls: [{ url: 'https://127.0.0.1:20378/live/x.flv?token=1' }],
      }),
  ],
  [
    '9.6',
    () =>
      raw('GET', `/v1/devices/${HOLO}/channels/0/cloud-records/playback-url`, {
        playback_protocol: 'HOLO',
        ...range(),
      }),
  ],
  [
    '9.9',
    () =>
      raw('GET', `/v1/devices/${HOLO}/channels/0/device-records/web-playback-url`, { protocol: 'HLS_DEV', ...range() }),
  ],
  [
    '9.10',
    () =>
      raw('POST', '/v1/devices/channels/cloud-live/url', undefined, {
        channels: [{ device_id: HOLO, channel_id: '0', live_protocol: 'HOLO', stream_type: 'PRIMARY_STREAM' }],
      }),
  ],
  [
    '9.11',
    () =>
      raw('POST', '/v1/devices/channels/p2p-connect/live', undefined, {
        channels: [{ device_id: HOLO, channel_id: '0', stream_type: 'PRIMARY_STREAM' }],
      }),
  ],
  [
    '9.12',
    () =>
      raw('POST', '/v1/devices/channels/p2p-connect/playback', undefined, {
        channels: [{ device_id: HOLO, channel_id: '0', stream_type: 'PRIMARY_STREAM', ...range() }],
      }),
  ],
  ['16.1', () => raw('GET', `/v1/devices/${HOLO}/channels/0/security-key`)],
  ['17.2', () => raw('GET', `/v1/devices/${HOLO}/channels/0/stream-detail`)],
  ['18.2', () => raw('GET', '/v1/devices/21A0123456SMY02/channels/0/targets/authorization')],
  [
    '19.1',
    () =>
      raw('POST', '/v1/devices/ability', undefined, {
        versions: [{ device_type: 'IPC', model: 'C3050-10-LI-PV(3.6mm)', firmware: 'SDC 10.0.RC11' }],
        need_specification: true,
      }),
  ],
];

// Chapters 14–15 on the lobby SDC (its seeded visitor list) and the gate dome (presets, a cruise track).
const SDC = '21A0123456SMY02';
const NVR = '21A0123456NVR01';
const PTZ = `/v1/devices/${HOLO}/channels/0` as const;
const state: { group?: number; target?: string; nvrGroup?: number; cruise?: number } = {};
cases.push(
  ['14.1', () => raw('GET', '/v1/target-groups', { device_id: SDC })],
  [
    '14.2',
    async () =>
      raw('POST', '/v1/target-groups', undefined, { group_name: 'ssred', group_type: 'OTHER', device_id: SDC }),
  ],
  [
    '14.3',
    async () =>
      raw('POST', '/v2/target-groups', undefined, { group_name: 'ssred2', group_type: 'OTHER', device_id: SDC }),
  ],
  [
    '14.4',
    async () =>
      raw('PUT', '/v1/target-groups', undefined, {
        group_name: 'ssre223d',
        group_type: 'OTHER',
        device_id: SDC,
        group_id: await group(),
        enable: 'OPEN',
      }),
  ],
  [
    '14.5',
    async () =>
      raw('PUT', '/v2/target-groups', undefined, {
        group_name: 'ssre224d',
        group_type: 'OTHER',
        device_id: SDC,
        group_id: await group(),
        enable: 'OPEN',
      }),
  ],
  ['14.9', async () => raw('GET', '/v1/targets/ids', { device_id: SDC, group_id: await group() })],
  ['14.8', async () => raw('POST', '/v1/targets', undefined, { device_id: NVR, target_ids: [await nvrTarget()] })], // SDC answers IDs and pictures only
  ['14.11', async () => raw('GET', '/v1/targets/count', { device_id: SDC, group_id: await group() })],
  [
    '14.12',
    async () =>
      raw('POST', '/v1/targets/batch-add', undefined, {
        device_id: NVR,
        group_id: await nvrGroup(),
        targets: [{ name: 'mark', gender: 'male', age: 24, external_target_id: '10', jpegBase64: JPEG }],
      }),
  ],
  ['14.10', async () => raw('GET', '/v1/targets', { device_id: NVR, group_id: await nvrGroup() })],
  [
    '14.13',
    async () =>
      raw('PUT', '/v1/targets', undefined, {
        device_id: SDC,
        group_id: await group(),
        targets: [{ target_id: await target(), name: 'mark', gender: 'male', age: 24, jpegBase64: JPEG }],
      }),
  ],
  [
    '14.14',
    async () =>
      raw('POST', '/v1/target/batch-delete', undefined, {
        device_id: SDC,
        group_id: await group(),
        target_ids: [await target()],
      }),
  ],
  ['15.1', () => raw('GET', `${PTZ}/preset-position`)],
  ['15.2', () => raw('POST', `${PTZ}/preset-position`, undefined, { preset_name: '1234', index: 9 })], // a direct-connected camera names the slot
  ['15.4', () => raw('PUT', `${PTZ}/preset-position`, undefined, { preset_index: 1, preset_name: '大门' })],
  [
    '15.5',
    async () => raw('POST', `${PTZ}/preset-position/move`, undefined, { control_token: await lock(), preset_index: 1 }),
  ],
  ['15.6', () => raw('GET', `${PTZ}/cruise-track/list`)],
  ['15.7', () => raw('GET', `${PTZ}/cruise-track`, { cruises_id: 1 })],
  [
    '15.8',
    async () =>
      raw('POST', `${PTZ}/cruise-track`, undefined, {
        cruise_type: 'CRUISE_TRACK',
        cruise_name: '巡航二',
        cruise_points: [{ preset_index: 1, dwel_time: 30, speed_level: 2 }],
      }).then((r) => ((state.cruise = (r as { cruises_id: number }).cruises_id), r)),
  ],
  [
    '15.10',
    async () =>
      raw('PUT', `${PTZ}/cruise-track`, undefined, {
        cruises_id: state.cruise,
        cruise_type: 'CRUISE_TRACK',
        cruise_name: '巡航三',
        cruise_points: [{ preset_index: 2, dwell_time: 30, speed_level: 2 }],
      }),
  ],
  [
    '15.11',
    async () =>
      raw('PUT', `${PTZ}/cruise-track/enable`, undefined, { cruises_id: state.cruise, enable_cruise: 'OPEN' }),
  ],
  ['15.9', async () => raw('DELETE', `${PTZ}/cruise-track`, undefined, { cruises_id: state.cruise })],
  ['15.3', () => raw('DELETE', `${PTZ}/preset-position`, undefined, { preset_index: 3 })],
  ['11.1', () => raw('GET', `${PTZ}/record-config`)],
  ['11.2', () => raw('PUT', '/v1/devices/channels/record-config', undefined, exampleRequest('11.2'))],
  ['11.4', () => raw('PUT', '/v1/devices/channels/record-plan', undefined, exampleRequest('11.4'))],
  ['11.3', () => raw('GET', `${PTZ}/record-plan`)],
  ['11.7', () => raw('PUT', '/v1/devices/channels/time-policy', undefined, exampleRequest('11.7'))],
  ['11.6', () => raw('GET', `${PTZ}/time-policy`)],
  ['11.9', () => raw('PUT', '/v1/devices/channels/record-alarm-plan', undefined, exampleRequest('11.9'))],
  // all_day true (as 11.9's example sets) omits time_sections: read one with a schedule.
  [
    '11.8',
    async () => {
      await raw('PUT', '/v1/devices/channels/record-alarm-plan', undefined, {
        channels: [
          {
            device_id: HOLO,
            channel_id: '0',
            all_day: false,
            time_sections: [{ day_of_week: 1, start_time: '00:02:00', end_time: '00:05:00' }],
            plans: [{ alarm_type: 'motion_detection', advance_time: 30, after_time: 15 }],
          },
        ],
      });
      return raw('GET', `${PTZ}/record-alarm-plan`);
    },
  ],
  ['11.5', () => raw('POST', '/v1/devices/channels/record-plan', undefined, exampleRequest('11.5'))],
  [
    '14.6',
    async () => raw('DELETE', '/v1/target-groups', undefined, { device_id: SDC, group_id: await emptyGroup('ssred') }),
  ],
  [
    '14.7',
    async () => raw('DELETE', '/v2/target-groups', undefined, { device_id: SDC, group_id: await emptyGroup('ssred2') }),
  ],
);

/**
 * A request exactly as the spec's example writes it (fixture `_requests`), with the example's
 * masked device IDs mapped onto seeded channels that hold the recording services.
 */
function exampleRequest(section: string): unknown {
  const seeded: Record<string, [string, string]> = {
    '952352LWXT***/0': [HOLO, '0'],
    '952352LWXT***/1': [NVR, '1'],
    '952352DJNR***/0': ['21A0123456SMY04', '0'],
    '952352DJNR***/1': [NVR, '1'],
  };
  for (const [d, c] of Object.values(seeded)) {
    const ch = emu.devices.get(d)!.channels.find((x) => x.channel_id === c)!;
    for (const grant of ['FULL_RECORD_GRANT', 'EVENT_RECORD_GRANT'])
      if (!ch.resources.includes(grant)) ch.resources.push(grant);
  }
  const swap = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(swap);
    if (!v || typeof v !== 'object') return v;
    const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    const to = seeded[`${String(o.device_id)}/${String(o.channel_id)}`];
    return to ? { ...o, device_id: to[0], channel_id: to[1] } : o;
  };
  return swap((examples._requests as unknown as Record<string, unknown>)[section]);
}

/** Every attribute the examples show (§14.8 TargetDto). */
const PERSON = {
  gender: 'male',
  age: 24,
  country: '中国',
  nation: '汉',
  native: '杭州',
  occupation: '工人',
  work_no: '12400077',
  phone: '15900000061',
  email: 'mark@example.com',
  domicile: '杭州',
  remark: '无',
};
/** A small face picture within §14.0.6 (PNG or JPEG, ≤ 50 KB, ≤ 1200×1200). */
const JPEG = png(64, 64).toString('base64');
type Groups = { groups: Array<{ group_id: number | string; name: string }> };
async function group() {
  state.group ??= Number(
    ((await raw('GET', '/v1/target-groups', { device_id: SDC })) as Groups).groups.find((g) => g.name === '访客')!
      .group_id,
  );
  return state.group;
}
async function nvrGroup() {
  state.nvrGroup ??= Number(
    ((await raw('GET', '/v1/target-groups', { device_id: NVR })) as Groups).groups[0]!.group_id,
  );
  return state.nvrGroup;
}
async function target() {
  state.target ??= (
    (await raw('GET', '/v1/targets/ids', { device_id: SDC, group_id: await group() })) as { target_ids: string[] }
  ).target_ids[0]!;
  return state.target;
}
async function nvrTarget() {
  await raw('POST', '/v1/targets/batch-add', undefined, {
    device_id: NVR,
    group_id: await nvrGroup(),
    targets: [{ ...PERSON, name: 'anna', external_target_id: 'E7', jpegBase64: JPEG }],
  });
  return (
    (await raw('GET', '/v1/targets/ids', { device_id: NVR, group_id: await nvrGroup() })) as { target_ids: string[] }
  ).target_ids[0]!;
}
async function emptyGroup(name: string) {
  return Number(
    ((await raw('GET', '/v1/target-groups', { device_id: SDC })) as Groups).groups.find((g) => g.name === name)!
      .group_id,
  );
}
async function lock() {
  await raw('POST', `${PTZ}/control-lock`, undefined, {}); // §8.2: release the one §8.1 took above
  return ((await raw('GET', `${PTZ}/control-lock`)) as { control_token: string }).control_token;
}

const last = new Map<string, Promise<unknown>>();
for (const [section, call] of cases) {
  test(`§${section}: the emulator's reply has every field of the spec's example`, async () => {
    const empty: string[] = [];
    const reply = call();
    last.set(section, reply);
    const have = new Set(fields(await reply, '', empty));
    const want = fields(examples[section]!.body);
    const missing = want.filter((f) => !have.has(f) && !empty.some((e) => f.startsWith(`${e}[]`)));
    assert.deepEqual(missing, []);
    if (section.startsWith('11.') && examples._requests && section in (examples._requests as object)) {
      const reply = (await last.get(section)) as { channels: Array<{ result: { code: string } }> };
      assert.deepEqual(
        reply.channels.map((c) => c.result.code),
        reply.channels.map(() => 'IVM.0'),
        'the example request is taken, channel by channel',
      );
    }
  });
}
