import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { beijing } from '../../main/platforms/huawei-ivm';
import { IvmClient, type IvmRequest } from '../../main/platforms/huawei-ivm/client';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';

// The emulator is checked against the documents, not against Vigil's client: for each endpoint
// of spec part 1 with an example response, the emulator's own reply to a comparable request must
// carry every field the example shows (nested objects and the first element of arrays). Extra
// fields are allowed (tables list more than examples). Recording lists need the media simulator
// and are checked in media-platforms.test.ts.

const examples = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/huawei-ivm-examples.json'), 'utf8')) as Record<string, { body: unknown }>;

/** Field paths; `[]` marks array elements (the first one stands for all). Empty arrays are noted so their insides are not required. */
function fields(v: unknown, prefix = '', empty: string[] = []): string[] {
  if (Array.isArray(v)) {
    if (v.length === 0) empty.push(prefix);
    return v.length ? fields(v[0], `${prefix}[]`, empty) : [];
  }
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [prefix + k, ...fields(x, `${prefix}${k}.`, empty)]);
  return [];
}

let emu: IvmEmulator;
let client: IvmClient;
before(async () => {
  emu = await new IvmEmulator().start();
  client = new IvmClient({ platform: 'huawei-ivm', endpoint: emu.baseUrl, userId: emu.credentials.userId, ak: emu.credentials.ak }, emu.credentials.sk);
});
after(() => emu.stop());

const HOLO = '21A0123456SMY01';
const GB = '34020000001180000001';
const raw = (method: IvmRequest['method'], p: IvmRequest['path'], query?: IvmRequest['query'], body?: unknown) => client.call(z.unknown(), { method, path: p, ...(query ? { query } : {}), ...(body !== undefined ? { body } : {}), what: 'shape' });
const range = () => ({ start_time: beijing(Date.now() - 3600_000), end_time: beijing(Date.now()) });

const cases: Array<[string, () => Promise<unknown>]> = [
  ['5.1', () => raw('GET', '/v1/device-orgs/1001/sub-orgs')],
  ['5.2', () => raw('GET', '/v1/device-orgs/1002/devices', { limit: 10, offset: 0 })],
  ['5.3', () => raw('PUT', '/v1/device-orgs/1004', undefined, { device_org_name: '三层' })],
  ['5.4', () => raw('POST', '/v1/device-orgs', undefined, { device_org_name: '新组', parent_org_id: '1001' })],
  ['5.6', () => raw('POST', '/v1/device-orgs/2001/move-devices', undefined, { device_ids: ['21B000000001', 'nosuch123'] })],
  ['5.7', () => raw('GET', '/v1/device-orgs/tree', { device_org_name: '三层' })],
  ['6.1', () => raw('GET', `/v1/devices/${HOLO}`, { need_cloud_ability: 'true' })],
  ['6.2', () => raw('GET', '/v1/devices', { limit: 10, offset: 0, need_cloud_ability: 'true' })],
  ['6.3', () => raw('GET', `/v1/devices/${GB}/gateway`)],
  ['6.4', () => raw('PUT', `/v1/devices/${HOLO}`, undefined, { device_name: '大门', description: 'x' })],
  ['7.1', () => raw('PUT', `/v1/devices/${HOLO}/channels/0`, undefined, { channel_name: 'hahaha' })],
  ['7.2', () => raw('GET', '/v1/channels', { limit: 2, offset: 0 })],
  ['7.3', () => raw('GET', `/v1/devices/${HOLO}/channels/0`, { need_cloud_ability: 'true' })],
  ['8.1', () => raw('GET', `/v1/devices/${HOLO}/channels/0/control-lock`)],
  ['9.1', () => raw('POST', '/v2/devices/channels/media/live-connections', undefined, { channels: [{ device_id: GB, channel_id: '34020000001320000004', live_protocol: 'HOLO', stream_type: 'PRIMARY_STREAM' }, { device_id: HOLO, channel_id: '0', live_protocol: 'HOLO', stream_type: 'PRIMARY_STREAM' }] })],
  ['9.3', () => raw('GET', `/v2/devices/${HOLO}/channels/0/media/playback-connections`, { playback_protocol: 'HOLO', record_position: 'DEVICE', ...range() })],
  ['9.4', () => raw('POST', '/v1/media/urls/batch-delete', undefined, { urls: [{ url: 'https://127.0.0.1:20378/live/x.flv?token=1' }] })],
  ['9.6', () => raw('GET', `/v1/devices/${HOLO}/channels/0/cloud-records/playback-url`, { playback_protocol: 'HOLO', ...range() })],
  ['9.9', () => raw('GET', `/v1/devices/${HOLO}/channels/0/device-records/web-playback-url`, { protocol: 'HLS_DEV', ...range() })],
  ['9.10', () => raw('POST', '/v1/devices/channels/cloud-live/url', undefined, { channels: [{ device_id: HOLO, channel_id: '0', live_protocol: 'HOLO', stream_type: 'PRIMARY_STREAM' }] })],
  ['9.11', () => raw('POST', '/v1/devices/channels/p2p-connect/live', undefined, { channels: [{ device_id: HOLO, channel_id: '0', stream_type: 'PRIMARY_STREAM' }] })],
  ['9.12', () => raw('POST', '/v1/devices/channels/p2p-connect/playback', undefined, { channels: [{ device_id: HOLO, channel_id: '0', stream_type: 'PRIMARY_STREAM', ...range() }] })],
  ['16.1', () => raw('GET', `/v1/devices/${HOLO}/channels/0/security-key`)],
  ['17.2', () => raw('GET', `/v1/devices/${HOLO}/channels/0/stream-detail`)],
  ['18.2', () => raw('GET', '/v1/devices/21A0123456SMY02/channels/0/targets/authorization')],
  ['19.1', () => raw('POST', '/v1/devices/ability', undefined, { versions: [{ device_type: 'IPC', model: 'C3050-10-LI-PV(3.6mm)', firmware: 'SDC 10.0.RC11' }], need_specification: true })],
];

for (const [section, call] of cases) {
  test(`§${section}: the emulator's reply has every field of the spec's example`, async () => {
    const empty: string[] = [];
    const have = new Set(fields(await call(), '', empty));
    const want = fields(examples[section]!.body);
    const missing = want.filter((f) => !have.has(f) && !empty.some((e) => f.startsWith(`${e}[]`)));
    assert.deepEqual(missing, []);
  });
}
