import type { VisClient } from './client';
import * as S from './schemas';

/**
 * Every VIS endpoint (spec huawei-vis.md Appendix A, #1–#31), one method each. Paths are under
 * /v1/{project_id}; list calls take the doc's query options and return `{total, items}`.
 */
export interface ListOptions {
  offset?: number;
  limit?: number;
  sort?: 'ASC' | 'DESC';
  order_by?: string;
  [filter: string]: string | number | undefined;
}

function query(o: ListOptions = {}): Array<[string, string]> {
  if ((o.offset === undefined) !== (o.limit === undefined)) throw new Error('offset and limit must be given together');
  return Object.entries(o)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => [k, String(v)]);
}

const seg = encodeURIComponent;

export class VisApi {
  constructor(readonly client: VisClient) {}

  // §4.1 subscription
  subscribe() {
    return this.client.call(S.Subscription, { method: 'POST', path: '/subscription', what: 'subscribe to VIS' });
  }
  getSubscription() {
    return this.client.call(S.Subscription, { method: 'GET', path: '/subscription', what: 'read the subscription' });
  }

  // §4.2 streams
  createStream(body: {
    name: string;
    access_type: 'RTMP' | 'HTTP-FLV';
    encode_type: 'H264';
    share_type?: 'PRIVATE' | 'PUBLIC';
    url?: string;
    access_key?: string;
    description?: string;
    tag?: Array<{ key: string; value: string }>;
  }) {
    return this.client.call(S.Stream, { method: 'POST', path: '/streams', body, what: 'create a stream' });
  }
  updateStream(
    name: string,
    body: Partial<{
      access_type: string;
      encode_type: string;
      access_key: string;
      url: string;
      description: string;
      share_type: string;
      tag: Array<{ key: string; value: string }>;
      state: 'ACTIVE' | 'STOPPED';
    }>,
  ) {
    return this.client.call(S.Result, {
      method: 'PUT',
      path: `/streams/${seg(name)}`,
      body,
      what: `update stream ${name}`,
    });
  }
  deleteStream(name: string) {
    return this.client.call(S.Result, {
      method: 'DELETE',
      path: `/streams/${seg(name)}`,
      what: `delete stream ${name}`,
    });
  }
  updateRetention(
    name: string,
    body: {
      timezone: string;
      retention_in_hour?: number;
      retention_forever?: boolean;
      store_type?: 'obs';
      bucket?: string;
      path?: string;
      slice_in_minute?: number;
      state?: 'ACTIVE' | 'STOPPED';
    },
  ) {
    return this.client.call(S.Result, {
      method: 'PUT',
      path: `/streams/${seg(name)}/retention`,
      body,
      what: `update the dump of ${name}`,
    });
  }
  getStream(name: string) {
    return this.client.call(S.Stream, { method: 'GET', path: `/streams/${seg(name)}`, what: `read stream ${name}` });
  }
  listStreams(o?: ListOptions & { name?: string; stream_state?: string; retention_state?: string }) {
    return this.client.call(S.listOf(S.Stream), {
      method: 'GET',
      path: '/streams',
      query: query(o),
      what: 'list streams',
    });
  }
  getStreamEndpoint(name: string) {
    return this.client.call(S.StreamEndpoint, {
      method: 'GET',
      path: `/streams/${seg(name)}/endpoint`,
      what: `get the play address of ${name}`,
    });
  }

  // §4.3 devices
  createDevices(body: {
    type: 'IPC' | 'NVR';
    username: string;
    quantity?: number;
    description?: string;
    suffix?: string;
  }) {
    return this.client.call(S.CreatedDevices, {
      method: 'POST',
      path: '/devices',
      body,
      what: 'create GB28181 devices',
    });
  }
  updateChannel(
    deviceId: string,
    channelId: string,
    body: { state: 'ACTIVE' | 'STOPPED'; tcp_priority?: 'TRUE' | 'FALSE'; suffix?: string },
  ) {
    return this.client.call(S.Result, {
      method: 'PUT',
      path: `/devices/${seg(deviceId)}/channels/${seg(channelId)}`,
      body,
      what: `update channel ${channelId}`,
    });
  }
  listDevices(o?: ListOptions & { device_id?: string; type?: string; state?: string }) {
    return this.client.call(S.listOf(S.Device), {
      method: 'GET',
      path: '/devices',
      query: query(o),
      what: 'list devices',
    });
  }
  updateAccessStrategy(
    deviceId: string,
    channelId: string,
    body: {
      random_strategy?: 'RANDOM' | 'CONSECUTIVE';
      start_time?: string;
      end_time?: string;
      total_length?: number;
      periodicity?: 'ONCE' | 'DAY';
      state?: 'ACTIVE' | 'STOPPED';
    },
  ) {
    return this.client.call(S.Result, {
      method: 'PUT',
      path: `/devices/${seg(deviceId)}/channels/${seg(channelId)}/access-strategy`,
      body,
      what: `set the access strategy of ${channelId}`,
    });
  }
  getDevice(deviceId: string) {
    return this.client.call(S.Device, {
      method: 'GET',
      path: `/devices/${seg(deviceId)}`,
      what: `read device ${deviceId}`,
    });
  }
  refreshNvrChannels(deviceId: string) {
    return this.client.call(S.Result, {
      method: 'PUT',
      path: `/devices/${seg(deviceId)}/channel-refresh`,
      what: `refresh the channels of ${deviceId}`,
    });
  }
  deleteDevice(deviceId: string) {
    return this.client.call(S.Result, {
      method: 'DELETE',
      path: `/devices/${seg(deviceId)}`,
      what: `delete device ${deviceId}`,
    });
  }

  // §4.4 credentials
  createGbCredential(body: {
    username?: string;
    type?: 'NORMAL' | 'ANONYMOUS';
    password: string;
    description?: string;
  }) {
    return this.client.call(S.GbCredential, {
      method: 'POST',
      path: '/credentials/codes',
      body,
      what: 'create a GB28181 credential',
    });
  }
  listGbCredentials(o?: ListOptions & { username?: string; type?: string }) {
    return this.client.call(S.listOf(S.GbCredential), {
      method: 'GET',
      path: '/credentials/codes',
      query: query(o),
      what: 'list GB28181 credentials',
    });
  }
  deleteGbCredential(username: string) {
    return this.client.call(S.Result, {
      method: 'DELETE',
      path: `/credentials/codes/${seg(username)}`,
      what: `delete credential ${username}`,
    });
  }
  updateGbCredential(username: string, body: { password?: string; new_password?: string; description?: string }) {
    return this.client.call(S.Result, {
      method: 'PUT',
      path: `/credentials/codes/${seg(username)}`,
      body,
      what: `update credential ${username}`,
    });
  }
  createPushKey(body: { name: string; description?: string }) {
    return this.client.call(S.PushKey, { method: 'POST', path: '/credentials/aksks', body, what: 'create a push key' });
  }
  updatePushKey(accessKey: string, body: { name?: string; description?: string }) {
    return this.client.call(S.Result, {
      method: 'PUT',
      path: `/credentials/aksks/${seg(accessKey)}`,
      body,
      what: 'update a push key',
    });
  }
  listPushKeys(o?: ListOptions & { name?: string; access_key?: string }) {
    return this.client.call(S.listOf(S.PushKey), {
      method: 'GET',
      path: '/credentials/aksks',
      query: query(o),
      what: 'list push keys',
    });
  }
  deletePushKey(accessKey: string) {
    return this.client.call(S.ResultOrEmpty, {
      method: 'DELETE',
      path: `/credentials/aksks/${seg(accessKey)}`,
      what: 'delete a push key',
    });
  }

  // §4.5 statistics (offset counts from 0 here)
  deviceStatistics(
    list: DeviceStatisticsList,
    o?: ListOptions & { device_id?: string; type?: string; state?: string },
  ) {
    return this.client.call(S.listOf(S.Device), {
      method: 'GET',
      path: `/operation/${list}`,
      query: query(o),
      what: `read ${list}`,
    });
  }
  /** §4.5.7: the same device_id (fuzzy) / type / state filters as the other statistics lists. */
  packetReceivedRates(o?: ListOptions & { device_id?: string; type?: string; state?: string }) {
    return this.client.call(S.listOf(S.PacketRate), {
      method: 'GET',
      path: '/operation/todayPacketReceivedRateDeviceList',
      query: query(o),
      what: 'read packet reception rates',
    });
  }
}

export const deviceStatisticsLists = [
  'pastOnlineDeviceList',
  'todayNewOnlineDeviceList',
  'todayDroppedDeviceList',
  'longTermOfflineDeviceList',
  'shortTermOfflineDeviceList',
  'notSendDataDeviceList',
] as const;
export type DeviceStatisticsList = (typeof deviceStatisticsLists)[number];
