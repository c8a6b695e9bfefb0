import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as S from '../../main/platforms/huawei-vis/schemas';
import { channelStatus, liveSourceFromEndpoint, packetRate, quantity } from '../../main/platforms/huawei-vis/map';

// The doc's own example replies (spec huawei-vis.md §4, corrected forms where it notes defects).

const device = {
  channels_query: 'QUERIED',
  device_id: '23882527801180000011',
  updated_at: '2019-04-17T14:30:02Z',
  channels: [
    {
      device_id: '23882527801180000011',
      stream_name: 'channel_23882527801180000011_34020000001310000002_xc',
      updated_at: '2019-04-17T12:26:24Z',
      stream_id: 'stream-a54jwz94',
      invitation_status: 'OFFLINE',
      tcp_priority: 'FALSE',
      tcp_support: 'FALSE',
      access_strategy: {
        start_time: '10:40',
        periodicity: 'DAY',
        end_time: '12:00',
        total_length: 10,
        state: 'STOPPED',
        random_strategy: 'RANDOM',
      },
      created_at: '2019-04-16T01:43:11Z',
      suffix: 'xc',
      channel_id: '34020000001310000002',
    },
  ],
  created_at: '2019-04-15T09:37:58Z',
  description: null,
  state: 'OFFLINE',
  type: 'NVR',
  suffix: null,
  username: '23882527801180000011',
};

test('subscription example (§4.1.2) parses; sip_port stays a string', () => {
  const s = S.Subscription.parse({
    user_id: '422b1f6045184a8194e021113e87d898',
    sip_ip: '10.95.144.196',
    sip_port: '5080',
    quota: {
      consecutive_access_time: { total: 120, used: 120 },
      password: { total: 10, used: 2 },
      aksk: { total: 10, used: 6 },
    },
    created_at: '2018-10-25T03:06:10Z',
    is_subscribed: true,
  });
  assert.equal(s.sip_port, '5080');
  assert.equal(s.quota?.aksk?.used, 6);
});

test('stream detail example (§4.2.5) with the "hieght" typo and string counts parses', () => {
  const s = S.Stream.parse({
    access_type: 'RTMP',
    updated_at: '2018-12-25T12:59:37Z',
    share_type: 'PUBLIC',
    stream_id: 'stream-qGjdxQZM',
    access_key: 'xxxxxx',
    name: 'stream1',
    created_at: '2018-12-25T12:59:37Z',
    description: '',
    state: 'ACTIVE',
    tag: [{ key: 'group', value: 'number1' }],
    retention: {
      bucket: 'iva-lyest',
      path: 'estRetention/',
      timezone: 'GMT+08:00',
      retention_in_hour: 1,
      retention_forever: false,
      store_type: 'OBS',
      state: 'ACTIVE',
      slice_in_minute: 5,
    },
    stream_flow_info: {
      bw_out: '100 Kb/s',
      bw_in: '100 Kb/s',
      bytes_out: '131.469 MB',
      bw_video: '100 Kb/s',
      bytes_in: '110.28 MB',
      num_play_clients: '2',
      bw_audio: '100 Kb/s',
      is_publishing: true,
      meta: { video: { codec: 'H264', width: '400', hieght: '600' } },
    },
    encode_type: 'H264',
  });
  assert.equal(s.stream_flow_info?.num_play_clients, 2);
  assert.equal(s.stream_flow_info?.meta?.video?.hieght, 600);
});

test('the four list shapes normalise: array, [[…]], single object, {total, entries}', () => {
  const list = S.listOf(S.Device);
  assert.equal(list.parse([device]).items.length, 1);
  assert.equal(list.parse([[device]]).items.length, 1);
  assert.equal(list.parse(device).items[0]!.device_id, '23882527801180000011');
  const paged = list.parse({ total: 7, entries: [device] });
  assert.equal(paged.total, 7);
  assert.equal(list.safeParse('nope').success, false);
  const bad = list.safeParse([{ ...device, state: 3 }]);
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error!.issues[0]!.path, [0, 'state']);
});

test('credential list with doubled brackets and epoch-ms times (§4.4.7)', () => {
  const r = S.listOf(S.PushKey).parse([
    [
      {
        name: 'userJack',
        access_key: 'xxxxxx',
        description: ' this is for device.',
        created_at: '1530587861001',
        updated_at: '1530587861001',
      },
    ],
  ]);
  assert.equal(r.items[0]!.description, ' this is for device.');
});

test('endpoint examples (§4.2.7): FLV for H.264, HLS for H.265, the table’s plural key too', () => {
  assert.deepEqual(
    liveSourceFromEndpoint({
      pull_flow_address: 'http://cecb3f14149xxxxxx437e92f26ca72c.apigw.com/live/work001?app=vis&stream=estRTMP1013',
      push_flow_protocol: 'RTMP',
      push_flow_address: 'rtmp://10.104.xx.xx:64/vis/estRTMP1013',
    }),
    {
      protocol: 'flv',
      url: 'http://cecb3f14149xxxxxx437e92f26ca72c.apigw.com/live/work001?app=vis&stream=estRTMP1013',
      refetchOnError: true,
    },
  );
  assert.equal(
    liveSourceFromEndpoint({
      push_flow_protocol: 'GB28181',
      push_flow_address: '10.154.xx.xx',
      hls_pull_flow_address:
        'https://c5648d9ee6b14xxxxxxe6fc594e55df.apigw.com/hls/work001/channel_98123990461320078446.m3u8',
    })?.protocol,
    'hls',
  );
  assert.equal(liveSourceFromEndpoint({ pull_flow_addresses: 'http://h/live' })?.protocol, 'flv');
  assert.equal(liveSourceFromEndpoint({}), null);
});

test('packet rates, quantities and statuses', () => {
  assert.deepEqual(packetRate('4511/4511'), { received: 4511, expected: 4511, rate: 1, suspicious: false });
  assert.equal(packetRate('3/0').rate, null);
  assert.equal(packetRate('5/4').suspicious, true);
  assert.equal(quantity('102.883 Kb/s'), 102883);
  assert.equal(quantity('15.775 GB'), 15.775e9);
  assert.equal(quantity('fast'), null);
  assert.equal(channelStatus('INVITE_SUCCESS'), 'streaming');
  assert.equal(channelStatus('TEMPORARY_OFFLINE'), 'reconnecting');
  assert.equal(channelStatus('UNREGISTERED'), 'offline');
});
