import { z } from 'zod';
import { registerSecret } from '../../log';
import { itemError, type IvmClient } from './client';

/**
 * Huawei IVM endpoints used so far (spec huawei-ivm-part1.md): organizations (§5.1, §5.2), PTZ
 * (§8), unified live/record/playback (§9.1–§9.4), presets and cruise tracks (§15). Field names are the documents'; integers that
 * the examples print as strings are parsed leniently (A.4).
 */

const int = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const Result = z.looseObject({ code: z.string(), msg: z.string().optional() });

export const Org = z.looseObject({
  device_org_id: z.string(),
  device_org_name: z.string(),
  device_org_level: int.optional(),
  is_leaf: int.optional(),
  camera_count: int.optional(),
  channel_count: int.optional(),
});
export type Org = z.infer<typeof Org>;

export const Channel = z.looseObject({
  channel_id: z.string(),
  channel_name: z.string().default(''),
  channel_state: z.string().optional(),
  channel_system_state: z.string().optional(),
  /** An array in examples, a comma-separated String in some tables (F.13): both read as a list. */
  channel_resource_state: z
    .union([
      z.array(z.string()),
      z.string().transform((v) =>
        v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
    .nullish(),
  channel_ability: z.string().nullish(),
});
export const Device = z.looseObject({
  device_id: z.string(),
  device_name: z.string().default(''),
  device_state: z.string().optional(),
  device_type: z.string().optional(),
  access_protocol: z.string().optional(),
  device_ability: z.string().nullish(),
  channel_total: int.optional(),
  channels: z.array(Channel).nullish(),
});
export type Device = z.infer<typeof Device>;

export type StreamType = 'PRIMARY_STREAM' | 'SECONDARY_STREAM_1' | 'SECONDARY_STREAM_2';
export type LiveProtocol = 'HOLO' | 'HTTP_HLS' | 'HTTPS_HLS' | 'HTTP_FLV' | 'HTTPS_FLV' | 'RTSP';
export type PtzDirection =
  | 'LEFT'
  | 'UP'
  | 'RIGHT'
  | 'DOWN'
  | 'UPPER_LEFT'
  | 'UPPER_RIGHT'
  | 'LOWER_LEFT'
  | 'LOWER_RIGHT'
  | 'STOP'
  | 'IN'
  | 'OUT'
  | 'ZOOM_STOP'
  | 'FOCUS_FAR'
  | 'FOCUS_NEAR'
  | 'AUTO_FOCUS'
  | 'IRIS_OPEN'
  | 'IRIS_CLOSE'
  | 'FI_STOP';

const LiveConnection = z.looseObject({
  device_id: z.string(),
  channel_id: z.string(),
  cloud_trans_connections: z.looseObject({ live_url: z.string().optional() }).nullish(),
  result: Result.optional(),
});
/** §9.1 P2PMTSListResp inside P2PDevicesResp (§9.11/§9.12). */
const P2pDevice = z.looseObject({
  device_id: z.string(),
  token: z.string().optional(),
  device_state: z.string().optional(),
  p2p_nodes: z
    .array(
      z.looseObject({
        node_type: z.string().optional(),
        address_type: z.string().optional(),
        address: z.array(z.string()).default([]),
        tcp_port: int.optional(),
        udp_port: int.optional(),
      }),
    )
    .default([]),
  result: Result.optional(),
});
export const Record = z.looseObject({
  record_id: z.string().optional(),
  record_name: z.string().optional(),
  record_type: z.string().optional(),
  storage_state: int.optional(),
  start_time: z.string(),
  end_time: z.string(),
});

export type CruiseTrack = {
  name: string;
  points: Array<{ preset_index: number; dwell_time: number; speed_level: number }>;
};

function cruiseBody(t: CruiseTrack) {
  return {
    cruise_type: 'CRUISE_TRACK', // the only type devices implement (§15.0)
    cruise_name: t.name,
    cruise_points: t.points.map((p) => ({
      preset_index: p.preset_index,
      dwel_time: p.dwell_time,
      dwell_time: p.dwell_time,
      speed_level: p.speed_level,
      speedLevel: p.speed_level,
    })),
  };
}

const path = (deviceId: string, channelId: string) =>
  `devices/${encodeURIComponent(deviceId)}/channels/${encodeURIComponent(channelId)}`;

export class IvmApi {
  constructor(readonly client: IvmClient) {}

  /** §5.1: direct children of an organization (root = "0"). */
  subOrgs(orgId: string) {
    return this.client
      .call(z.looseObject({ orgs: z.array(Org).nullish() }), {
        method: 'GET',
        path: `/v1/device-orgs/${encodeURIComponent(orgId)}/sub-orgs`,
        what: 'organizations',
      })
      .then((r) => r.orgs ?? []);
  }

  /** §5.4: a new group under `parentId` (names 1–50, a Chinese character counting 2). */
  createOrg(name: string, parentId: string) {
    return this.client
      .call(z.looseObject({ device_org_id: z.string() }), {
        method: 'POST',
        path: '/v1/device-orgs',
        body: { device_org_name: name, parent_org_id: parentId },
        what: 'create group',
      })
      .then((r) => r.device_org_id);
  }

  /** §5.3 (never the root). */
  async renameOrg(orgId: string, name: string) {
    await this.client.call(z.looseObject({}), {
      method: 'PUT',
      path: `/v1/device-orgs/${encodeURIComponent(orgId)}`,
      body: { device_org_name: name },
      what: 'rename group',
    });
  }

  /** §5.5: the group must hold no devices. */
  async deleteOrg(orgId: string) {
    await this.client.call(z.looseObject({}), {
      method: 'DELETE',
      path: `/v1/device-orgs/${encodeURIComponent(orgId)}`,
      what: 'delete group',
    });
  }

  /** §5.6: 1–100 devices; per-device results. */
  moveDevices(orgId: string, deviceIds: string[]) {
    const Item = z.looseObject({ device_id: z.string(), result: Result });
    return this.client.call(z.looseObject({ failed_num: int.optional(), results: z.array(Item).default([]) }), {
      method: 'POST',
      path: `/v1/device-orgs/${encodeURIComponent(orgId)}/move-devices`,
      body: { device_ids: deviceIds },
      what: 'move devices',
    });
  }

  /** §5.7: fuzzy search by group name; hits inside their ancestry (`is_result` marks the hits). */
  searchOrgs(name: string) {
    type Node = { device_org_id: string; device_org_name: string; is_result?: number; children: Node[] };
    const NodeSchema: z.ZodType<Node> = z.lazy(() =>
      z.looseObject({
        device_org_id: z.string(),
        device_org_name: z.string(),
        is_result: int.optional(),
        children: z.array(NodeSchema).default([]),
      }),
    ) as z.ZodType<Node>;
    return this.client
      .call(z.looseObject({ result: z.array(NodeSchema).default([]) }), {
        method: 'GET',
        path: '/v1/device-orgs/tree',
        query: { device_org_name: name },
        what: 'search groups',
      })
      .then((r) => r.result);
  }

  /** §5.2: devices (with channels) of an organization; `offset` is a page index. */
  orgDevices(
    orgId: string,
    q: {
      limit: number;
      offset: number;
      is_current_org?: '0' | '1' | '2';
      device_state?: string;
      device_type?: string;
      direction?: 'ASC' | 'DESC';
    },
  ) {
    return this.client.call(
      z.looseObject({ devices: z.array(Device).nullish(), total: int.optional(), device_total: int.optional() }),
      { method: 'GET', path: `/v1/device-orgs/${encodeURIComponent(orgId)}/devices`, query: q, what: 'devices' },
    );
  }

  // ——— §6 devices, §7 channels ———

  /** §6.1. */
  device(deviceId: string) {
    return this.client.call(
      Device.and(
        z.looseObject({
          device_org_id: z.string().optional(),
          model: z.string().optional(),
          firmware: z.string().optional(),
          device_ip: z.string().optional(),
        }),
      ),
      { method: 'GET', path: `/v1/devices/${encodeURIComponent(deviceId)}`, what: 'device' },
    );
  }

  /** §6.2: `offset` is a page index; DESC by default. */
  devices(q: {
    limit: number;
    offset: number;
    device_state?: string;
    device_type?: string;
    access_protocol?: string;
    device_name?: string;
    direction?: 'ASC' | 'DESC';
  }) {
    return this.client.call(z.looseObject({ devices: z.array(Device).nullish(), total: int.optional() }), {
      method: 'GET',
      path: '/v1/devices',
      query: q,
      what: 'devices',
    });
  }

  /** §6.4: HOLO renames; GB sets name and/or the first OSD line per `modify_type`. */
  updateDevice(
    deviceId: string,
    body: {
      device_name?: string;
      description?: string;
      modify_type?: 'DEFAULT' | 'OSD' | 'DEVICE_NAME' | 'ALL';
      osd?: string;
    },
  ) {
    return this.client.call(
      z.looseObject({ device_id: z.string(), device_name: z.string().optional(), osd: z.string().nullish() }),
      { method: 'PUT', path: `/v1/devices/${encodeURIComponent(deviceId)}`, body, what: 'update device' },
    );
  }

  /** §6.5: a GB device's registration user/password, only while it is offline. */
  async setGbAccount(deviceId: string, body: { device_username?: string; device_password?: string }) {
    if (body.device_password) registerSecret(body.device_password);
    await this.client.call(z.looseObject({}), {
      method: 'PUT',
      path: `/v1/devices/${encodeURIComponent(deviceId)}/gb-account`,
      body,
      what: 'GB account',
    });
  }

  /** §6.6: bind a HOLO device with its 8-character verification code. */
  addHoloDevice(deviceId: string, verificationCode: string, description?: string) {
    return this.client.call(Device, {
      method: 'POST',
      path: '/v1/devices/holosens',
      body: { device_id: deviceId, verification_code: verificationCode, ...(description ? { description } : {}) },
      what: 'add device',
    });
  }

  /** §7.1: HOLO channels only. */
  async renameChannel(deviceId: string, channelId: string, name: string) {
    await this.client.call(z.looseObject({}), {
      method: 'PUT',
      path: `/v1/${path(deviceId, channelId)}`,
      body: { channel_name: name },
      what: 'rename channel',
    });
  }

  /** §6.3: the SIP values an installer types into a GB device. */
  gateway(deviceId: string) {
    const Gateway = z.looseObject({
      device_username: z.string().optional(),
      sip_server_id: z.string(),
      sip_server_domain: z.string(),
      sip_server_host: z.string(),
      sip_server_port: z.union([z.string(), z.number().transform(String)]),
      device_id: z.string(),
    });
    return this.client.call(Gateway, {
      method: 'GET',
      path: `/v1/devices/${encodeURIComponent(deviceId)}/gateway`,
      what: 'GB gateway',
    });
  }

  /** §6.7: pre-register up to 100 GB devices; per-device results with the SIP values. */
  addGbDevices(
    devices: Array<{
      device_id: string;
      device_name: string;
      device_password: string;
      device_username?: string;
      description?: string;
      algorithm: 'MD5' | 'SHA256';
    }>,
  ) {
    const Item = z.looseObject({
      device_id: z.string(),
      sip_server_id: z.string().optional(),
      sip_server_domain: z.string().optional(),
      sip_server_host: z.string().optional(),
      sip_server_port: z.union([z.string(), z.number().transform(String)]).optional(),
      result: Result,
    });
    return this.client.call(z.looseObject({ failed_num: int.optional(), devices: z.array(Item).default([]) }), {
      method: 'POST',
      path: '/v1/devices/gb/batch-add',
      body: { devices },
      what: 'add GB devices',
    });
  }

  /** §6.8: up to 100 devices; per-device results. */
  deleteDevices(deviceIds: string[]) {
    const Item = z.looseObject({ device_id: z.string(), result: Result });
    return this.client.call(z.looseObject({ failed_num: int.optional(), devices: z.array(Item).default([]) }), {
      method: 'POST',
      path: '/v1/devices/batch-delete',
      body: { devices: deviceIds },
      what: 'delete devices',
    });
  }

  /** §7.2: `offset` is a row offset here; ASC by default; channel_ability is an array here. */
  channels(q: {
    limit: number;
    offset: number;
    device_id?: string;
    channel_state?: 'ONLINE' | 'OFFLINE' | 'UNALLOCATED';
    access_protocol?: string;
    direction?: 'ASC' | 'DESC';
  }) {
    const Row = Channel.omit({ channel_ability: true }).extend({
      device_id: z.string(),
      channel_ability: z
        .union([z.array(z.string()), z.string().transform((v) => v.split(',').filter(Boolean))])
        .nullish(),
    });
    return this.client.call(z.looseObject({ channels: z.array(Row).nullish(), total: int.optional() }), {
      method: 'GET',
      path: '/v1/channels',
      query: q,
      what: 'channels',
    });
  }

  /** §7.3. */
  channel(deviceId: string, channelId: string) {
    return this.client.call(
      Channel.extend({ device_id: z.string(), sn: z.string().optional(), firmware: z.string().optional() }),
      { method: 'GET', path: `/v1/${path(deviceId, channelId)}`, what: 'channel' },
    );
  }

  /** §8.1: a PTZ control token, valid 2 minutes, renewed by each §8.3 call. */
  controlLock(deviceId: string, channelId: string) {
    return this.client
      .call(z.looseObject({ control_token: z.string().min(1) }), {
        method: 'GET',
        path: `/v1/${path(deviceId, channelId)}/control-lock`,
        what: 'PTZ control',
      })
      .then((r) => r.control_token);
  }

  /** §8.2. */
  async releaseLock(deviceId: string, channelId: string) {
    await this.client.call(z.looseObject({}), {
      method: 'POST',
      path: `/v1/${path(deviceId, channelId)}/control-lock`,
      body: {},
      what: 'PTZ release',
    });
  }

  /** §8.3: POINT moves a step; NON_POINT moves until STOP/ZOOM_STOP/FI_STOP. Speed 1–10. */
  async ptz(
    deviceId: string,
    channelId: string,
    body: { direction: PtzDirection; control_lock: string; speed?: number; mode?: 'POINT' | 'NON_POINT' },
  ) {
    await this.client.call(z.looseObject({}), {
      method: 'POST',
      path: `/v1/${path(deviceId, channelId)}/ptz/angle-spin`,
      body,
      what: 'PTZ',
    });
  }

  /** §9.1: live URLs for several channels; each item has its own result. */
  liveConnections(
    body: {
      channels: Array<{ device_id: string; channel_id: string; live_protocol: LiveProtocol; stream_type: StreamType }>;
      expire_time?: number;
      use_times?: 0 | 1;
    },
    options: { timeoutMs?: number } = {},
  ) {
    return this.client.call(
      z.looseObject({ fail_num: int.optional(), live_connections: z.array(LiveConnection).default([]) }),
      { method: 'POST', path: '/v2/devices/channels/media/live-connections', body, what: 'live URL', ...options },
    );
  }

  /** §9.2: recordings in a range (Beijing time strings); `offset` is a page index here. */
  records(
    deviceId: string,
    channelId: string,
    q: {
      start_time: string;
      end_time: string;
      record_position: 'CLOUD' | 'DEVICE';
      record_type?: 'ALL_RECORD' | 'NORMAL_RECORD' | 'MOTION_RECORD';
      limit: number;
      offset: number;
    },
  ) {
    return this.client.call(z.looseObject({ total: int.optional(), records: z.array(Record).nullish() }), {
      method: 'GET',
      path: `/v2/${path(deviceId, channelId)}/media/records`,
      query: q,
      what: 'recordings',
    });
  }

  /** §9.3: a playback URL covering a time range (no FLV for playback). */
  playbackConnection(
    deviceId: string,
    channelId: string,
    q: {
      playback_protocol: 'HOLO' | 'HTTP_HLS' | 'HTTPS_HLS' | 'RTSP';
      start_time: string;
      end_time: string;
      record_position: 'CLOUD' | 'DEVICE';
      stream_type?: StreamType;
      expire_time?: number;
      use_times?: 0 | 1;
    },
  ) {
    const Reply = z.looseObject({
      playback_connections: z.looseObject({
        cloud_trans_connections: z.looseObject({ playback_url: z.string().optional() }).nullish(),
      }),
    });
    return this.client.call(Reply, {
      method: 'GET',
      path: `/v2/${path(deviceId, channelId)}/media/playback-connections`,
      query: q,
      what: 'playback URL',
    });
  }

  // ——— §15 presets and cruise tracks (HOLO PTZ channels) ———

  /** §15.1. */
  presets(deviceId: string, channelId: string) {
    const Preset = z.looseObject({ preset_index: int, preset_name: z.string(), jpg_base64: z.string().nullish() });
    return this.client
      .call(z.looseObject({ preset_positions: z.array(Preset).nullish() }), {
        method: 'GET',
        path: `/v1/${path(deviceId, channelId)}/preset-position`,
        what: 'presets',
      })
      .then((r) => r.preset_positions ?? []);
  }

  /** §15.2: stores the current position; `index` only for direct-connected cameras (else the device picks). */
  addPreset(deviceId: string, channelId: string, name: string, index?: number) {
    return this.client
      .call(z.looseObject({ preset_index: int }), {
        method: 'POST',
        path: `/v1/${path(deviceId, channelId)}/preset-position`,
        body: { preset_name: name, ...(index !== undefined ? { index } : {}) },
        what: 'add preset',
      })
      .then((r) => r.preset_index);
  }

  /** §15.4. */
  async renamePreset(deviceId: string, channelId: string, index: number, name: string) {
    await this.client.call(z.looseObject({}), {
      method: 'PUT',
      path: `/v1/${path(deviceId, channelId)}/preset-position`,
      body: { preset_index: index, preset_name: name },
      what: 'rename preset',
    });
  }

  /** §15.3: DELETE with a JSON body. */
  async deletePreset(deviceId: string, channelId: string, index: number) {
    await this.client.call(z.looseObject({}), {
      method: 'DELETE',
      path: `/v1/${path(deviceId, channelId)}/preset-position`,
      body: { preset_index: index },
      what: 'delete preset',
    });
  }

  /** §15.5: needs the PTZ control token (§8.1). */
  async moveToPreset(deviceId: string, channelId: string, index: number, controlToken: string) {
    await this.client.call(z.looseObject({}), {
      method: 'POST',
      path: `/v1/${path(deviceId, channelId)}/preset-position/move`,
      body: { control_token: controlToken, preset_index: index },
      what: 'go to preset',
    });
  }

  /** §15.6 (note the keys `cruises_ids`/`cruises_name`). */
  cruises(deviceId: string, channelId: string) {
    const Item = z.looseObject({
      cruises_id: int,
      cruises_name: z.string().optional(),
      enable_cruise: z.enum(['OPEN', 'CLOSE']).optional(),
    });
    return this.client
      .call(z.looseObject({ cruises_ids: z.array(Item).nullish() }), {
        method: 'GET',
        path: `/v1/${path(deviceId, channelId)}/cruise-track/list`,
        what: 'cruise tracks',
      })
      .then((r) => r.cruises_ids ?? []);
  }

  /** §15.7. */
  cruise(deviceId: string, channelId: string, id: number) {
    const Point = z
      .looseObject({
        preset_index: int,
        dwell_time: int.optional(),
        dwel_time: int.optional(),
        speed_level: int.optional(),
      })
      .transform((p) => ({
        preset_index: p.preset_index,
        dwell_time: p.dwell_time ?? p.dwel_time ?? 30,
        speed_level: p.speed_level ?? 5,
      }));
    const Track = z.looseObject({
      cruises_id: int,
      cruise_type: z.string(),
      cruise_name: z.string(),
      cruise_points: z.array(Point).default([]),
    });
    return this.client.call(Track, {
      method: 'GET',
      path: `/v1/${path(deviceId, channelId)}/cruise-track`,
      query: { cruises_id: id },
      what: 'cruise track',
    });
  }

  /** §15.8; the write tables spell `dwel_time`/`speedLevel`, the examples `dwell_time`/`speed_level`: both are sent. */
  addCruise(deviceId: string, channelId: string, track: CruiseTrack) {
    return this.client
      .call(z.looseObject({ cruises_id: int }), {
        method: 'POST',
        path: `/v1/${path(deviceId, channelId)}/cruise-track`,
        body: cruiseBody(track),
        what: 'add cruise track',
      })
      .then((r) => r.cruises_id);
  }

  /** §15.10: replaces type, name and the whole point list. */
  async updateCruise(deviceId: string, channelId: string, id: number, track: CruiseTrack) {
    await this.client.call(z.looseObject({}), {
      method: 'PUT',
      path: `/v1/${path(deviceId, channelId)}/cruise-track`,
      body: { cruises_id: id, ...cruiseBody(track) },
      what: 'update cruise track',
    });
  }

  /** §15.9. */
  async deleteCruise(deviceId: string, channelId: string, id: number) {
    await this.client.call(z.looseObject({}), {
      method: 'DELETE',
      path: `/v1/${path(deviceId, channelId)}/cruise-track`,
      body: { cruises_id: id },
      what: 'delete cruise track',
    });
  }

  /** §15.11. */
  async enableCruise(deviceId: string, channelId: string, id: number, on: boolean) {
    await this.client.call(z.looseObject({}), {
      method: 'PUT',
      path: `/v1/${path(deviceId, channelId)}/cruise-track/enable`,
      body: { cruises_id: id, enable_cruise: on ? 'OPEN' : 'CLOSE' },
      what: 'start/stop cruise',
    });
  }

  // ——— legacy media (§9.5–9.10), kept for services that predate the unified v2 endpoints ———

  /** §9.5 / §9.7: cloud or device-side recording list (v1). */
  legacyRecords(
    where: 'cloud' | 'device',
    deviceId: string,
    channelId: string,
    q: {
      start_time: string;
      end_time: string;
      limit?: number;
      offset?: number;
      record_type?: 'NORMAL_RECORD' | 'MOTION_RECORD';
    },
  ) {
    return this.client.call(z.looseObject({ total: int.optional(), records: z.array(Record).nullish() }), {
      method: 'GET',
      path: `/v1/${path(deviceId, channelId)}/${where}-records`,
      query: q,
      what: 'recordings',
    });
  }

  /** §9.6 (cloud: HOLO, HLS, HLS_HTTPS, RTSP), §9.8 (GB device: HOLO only), §9.9 (device web: *_DEV protocols). */
  legacyPlaybackUrl(
    kind: 'cloud' | 'device' | 'device-web',
    deviceId: string,
    channelId: string,
    q: {
      protocol: string;
      start_time: string;
      end_time: string;
      stream_type?: StreamType;
      trans_protocol?: 'TCP' | 'UDP';
      expire_time?: number;
      use_times?: 0 | 1;
    },
  ) {
    const { protocol, ...rest } = q;
    const sub =
      kind === 'cloud'
        ? 'cloud-records/playback-url'
        : kind === 'device'
          ? 'device-records/playback-url'
          : 'device-records/web-playback-url';
    // §9.9's table names the parameter `protocol` but its examples send `playback_protocol`: send both there.
    const query = {
      ...rest,
      ...(kind === 'device-web' ? { protocol, playback_protocol: protocol } : { playback_protocol: protocol }),
    };
    return this.client
      .call(z.looseObject({ playback_url: z.string() }), {
        method: 'GET',
        path: `/v1/${path(deviceId, channelId)}/${sub}`,
        query,
        what: 'playback URL',
      })
      .then((r) => r.playback_url);
  }

  /** §9.10: batch live URLs with the old protocol names (HLS, HLS_HTTPS, HTTP_FLV, HTTPS_FLV, HOLO, RTSP). */
  legacyLiveUrls(
    channels: Array<{
      device_id: string;
      channel_id: string;
      live_protocol: string;
      stream_type: StreamType;
      forbid_audio?: 0 | 1;
    }>,
    options: { expire_time?: number; use_times?: 0 | 1 } = {},
  ) {
    const Item = z.looseObject({
      device_id: z.string(),
      channel_id: z.string(),
      live_url: z.string().nullish(),
      result: Result.optional(),
    });
    return this.client.call(
      z.looseObject({
        fail_num: int.optional(),
        request_id: z.string().optional(),
        channels: z.array(Item).default([]),
      }),
      {
        method: 'POST',
        path: '/v1/devices/channels/cloud-live/url',
        body: { channels, ...options },
        what: 'live URLs',
      },
    );
  }

  /**
   * §9.11 (legacy, HOLO only): P2P connection data per device plus relay URLs per channel. Vigil
   * cannot play P2P without Huawei's SDK; the data is read for diagnostics and completeness.
   */
  p2pLive(
    channels: Array<{ device_id: string; channel_id: string; stream_type: StreamType }>,
    options: { expire_time?: number; use_times?: 0 | 1 } = {},
  ) {
    const Url = z.looseObject({
      device_id: z.string(),
      channel_id: z.string(),
      live_url: z.string().nullish(),
      result: Result.optional(),
    });
    return this.client.call(
      z.looseObject({
        fail_num: int.optional(),
        p2p_connections: z.array(P2pDevice).default([]),
        live_urls: z.array(Url).default([]),
        request_id: z.string().optional(),
      }),
      {
        method: 'POST',
        path: '/v1/devices/channels/p2p-connect/live',
        body: { channels, ...options },
        what: 'P2P live',
      },
    );
  }

  /** §9.12 (legacy, HOLO only): P2P playback data per channel (1–1000), in request order; note `failNum`. */
  p2pPlayback(
    channels: Array<{
      device_id: string;
      channel_id: string;
      stream_type: StreamType;
      start_time?: string;
      end_time?: string;
    }>,
  ) {
    return this.client.call(
      z.looseObject({
        failNum: int.optional(),
        p2p_connections: z
          .array(P2pDevice.extend({ start_time: z.string().optional(), end_time: z.string().optional() }))
          .default([]),
      }),
      { method: 'POST', path: '/v1/devices/channels/p2p-connect/playback', body: { channels }, what: 'P2P playback' },
    );
  }

  // ——— §16 device password (HOLO SDC direct-connected), §18 target authorization ———

  /** §16.1: `SET` (no password yet) or `MODIFY`. */
  securityKeyState(deviceId: string, channelId = '0') {
    return this.client
      .call(z.looseObject({ security_key_state: z.enum(['SET', 'MODIFY']) }), {
        method: 'GET',
        path: `/v1/${path(deviceId, channelId)}/security-key`,
        what: 'device password state',
      })
      .then((r) => r.security_key_state);
  }

  /** §16.2: 8–20 characters, two classes at least; the current one is needed once a password exists. */
  async setSecurityKey(deviceId: string, next: string, current?: string, channelId = '0') {
    registerSecret(next);
    if (current) registerSecret(current);
    await this.client.call(z.looseObject({}), {
      method: 'PUT',
      path: `/v1/${path(deviceId, channelId)}/security-key`,
      body: { new_security_key: next, ...(current ? { current_security_key: current } : {}) },
      what: 'device password',
    });
  }

  /** §18.1: channel IDs 1–65, `-1` the device itself; results "0" success / "1" failure. */
  setTargetAuthorization(deviceId: string, state: 'OPENED' | 'CLOSED', channels: string[]) {
    const R = z.looseObject({
      device_id: z.string(),
      device_result: z.string(),
      channels_result: z.array(z.looseObject({ channel_id: z.string(), channel_result: z.string() })).nullish(),
    });
    return this.client.call(R, {
      method: 'PUT',
      path: `/v1/devices/${encodeURIComponent(deviceId)}/channels/targets/authorization`,
      body: { state, channels },
      what: 'target authorization',
    });
  }

  /** §18.2. */
  targetAuthorization(deviceId: string, channelId: string) {
    const State = z.enum(['OPENED', 'CLOSED']);
    return this.client.call(z.looseObject({ device_state: State, channel_state: State.optional() }), {
      method: 'GET',
      path: `/v1/${path(deviceId, channelId)}/targets/authorization`,
      what: 'target authorization',
    });
  }

  /** §19.1: capability specifications per device version (type, model, firmware from §6.1). */
  versionAbilities(
    versions: Array<{ device_type: string; model: string; firmware: string }>,
    ability?: string[],
    needSpecification = false,
  ) {
    const Entry = z.looseObject({
      device_type: z.string(),
      model: z.string(),
      firmware: z.string(),
      abilities: z
        .record(
          z.string(),
          z.looseObject({ support: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]) }),
        )
        .default({}),
    });
    return this.client
      .call(z.looseObject({ abilities: z.array(Entry).default([]) }), {
        method: 'POST',
        path: '/v1/devices/ability',
        body: { versions, need_specification: needSpecification, ...(ability ? { ability } : {}) },
        what: 'capability sets',
      })
      .then((r) => r.abilities);
  }

  /** §9.4: revoke URLs that were handed out (not RTSP); a 200 body still carries error_code. */
  async revokeUrls(urls: string[]) {
    const r = await this.client.call(
      z.looseObject({ error_code: z.string().optional(), error_msg: z.string().optional() }),
      {
        method: 'POST',
        path: '/v1/media/urls/batch-delete',
        body: { urls: urls.map((url) => ({ url })) },
        what: 'revoke URLs',
      },
    );
    const failure = itemError(r.error_code ? { code: r.error_code, msg: r.error_msg ?? '' } : undefined, 'revoke URLs');
    if (failure) throw failure;
  }
}
