/**
 * Huawei VIS emulator state: streams, GB28181 devices and channels, credentials, subscription,
 * and the device history the statistics endpoints report on (spec huawei-vis.md §3, §3.13).
 */

export interface Tag {
  key: string;
  value: string;
}

export interface Retention {
  retention_in_hour: number;
  retention_forever: boolean;
  store_type: string;
  bucket: string;
  path: string;
  timezone: string;
  slice_in_minute: number;
  state: 'ACTIVE' | 'STOPPED';
}

export interface Stream {
  stream_id: string;
  name: string;
  access_type: 'RTMP' | 'HTTP-FLV' | 'GB28181';
  encode_type: string;
  access_key?: string;
  url?: string;
  transfer_protocol?: 'TCP' | 'UDP';
  share_type: 'PRIVATE' | 'PUBLIC';
  state: 'ACTIVE' | 'STOPPED';
  created: number;
  updated: number;
  description: string;
  tag: Tag[];
  retention?: Retention;
  /** which token's user created it (PRIVATE playback needs that user's token) */
  owner: string;
  deleting: boolean;
  /** bytes counters for stream_flow_info */
  bytesIn: number;
  bytesOut: number;
  /** media simulator channel this stream plays (FLV/HLS) */
  mediaChannel?: string;
}

export type InvitationStatus =
  | 'UNREGISTERED'
  | 'ONLINE'
  | 'INVITING'
  | 'INVITE_SUCCESS'
  | 'CANCELING'
  | 'TEMPORARY_OFFLINE'
  | 'OFFLINE';

export interface AccessStrategy {
  start_time: string;
  end_time: string;
  periodicity: 'ONCE' | 'DAY';
  total_length: number;
  state: 'ACTIVE' | 'STOPPED';
  random_strategy: 'RANDOM' | 'CONSECUTIVE';
}

export interface Channel {
  device_id: string;
  channel_id: string;
  stream_name: string;
  suffix: string;
  invitation_status: InvitationStatus;
  tcp_priority: 'TRUE' | 'FALSE';
  tcp_support: 'TRUE' | 'FALSE';
  access_strategy?: AccessStrategy;
  created: number;
  updated: number;
  /** packets today, for todayPacketReceivedRateDeviceList */
  packetsReceived: number;
  packetsExpected: number;
  deliveredToday: boolean;
}

export interface Device {
  device_id: string;
  type: 'IPC' | 'NVR';
  /** the SIP user name shown: the credential's name, or the device ID for an ANONYMOUS credential */
  username: string;
  /** the GB28181 credential the device was created with (the VIS.0108 / VIS.0109 guards look at it) */
  credential: string;
  suffix: string | null;
  description: string | null;
  state: 'UNREGISTERED' | 'ONLINE' | 'OFFLINE';
  channels_query: 'IDEL' | 'QUERYING' | 'QUERIED';
  channels: Channel[];
  created: number;
  updated: number;
  /** history for the §4.5 statistics */
  firstOnlineAt: number | null;
  lastOnlineAt: number | null;
  lastOfflineAt: number | null;
  everSentData: boolean;
  /** simulated NVR catalogue size */
  nvrChannelCount: number;
  encode: 'H264' | 'H265';
}

export interface GbCredential {
  username: string;
  password: string;
  type: 'NORMAL' | 'ANONYMOUS';
  description: string;
  created: number;
  updated: number;
}

export interface AkskCredential {
  name: string;
  access_key: string;
  secret_key: string;
  description: string;
  created: number;
  updated: number;
}

export interface QuotaEntry {
  total: number;
  used: number;
}

export interface Subscription {
  is_subscribed: boolean;
  created: number;
  user_id: string;
  sip_ip: string;
  sip_port: string;
  quota: Record<
    'password' | 'consecutive_access_time' | 'random_access_time' | 'stream' | 'active_stream' | 'device' | 'aksk',
    QuotaEntry
  >;
}

export function defaultQuota(): Subscription['quota'] {
  return {
    password: { total: 10, used: 0 },
    consecutive_access_time: { total: 120, used: 0 },
    random_access_time: { total: 240, used: 0 },
    stream: { total: 100000, used: 0 },
    active_stream: { total: 200, used: 0 },
    device: { total: 100000, used: 0 },
    aksk: { total: 10, used: 0 },
  };
}
