import assert from 'node:assert/strict';
import type { AppError } from '../../main/errors';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';
import { rejectsWithCode } from '../helpers/platform';
import { after, before, describe, test } from 'node:test';
import { HuaweiIvmPlatform, beijing, fromBeijing } from '../../main/platforms/huawei-ivm';
import { IvmApi } from '../../main/platforms/huawei-ivm/api';
import { IvmClient, type IvmConfig } from '../../main/platforms/huawei-ivm/client';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';

// Huawei IVM client and adapter against the emulator over loopback HTTP (no media here; the
// media-backed paths run in media-platforms.test.ts).

let emu: IvmEmulator;
let config: IvmConfig;
let api: IvmApi;

before(async () => {
  emu = await new IvmEmulator().start();
  config = { platform: 'huawei-ivm', endpoint: emu.baseUrl, userId: emu.credentials.userId, ak: emu.credentials.ak };
  api = new IvmApi(new IvmClient(config, emu.credentials.sk));
});
after(() => emu.stop());

const rejects = rejectsWithCode;

describe('AccessToken', () => {
  test('one token is fetched and reused; wrong AK/SK and a wrong user_id are the documented errors; a missing header is IVM.10000004', async () => {
    await api.subOrgs('0');
    await api.subOrgs('0');
    assert.equal(emu.calls.filter((c) => c.path.endsWith('/enterprises/access-token')).length, 1);
    await rejects(new IvmApi(new IvmClient(config, 'wrong-sk')).subOrgs('0'), 'IVM.10020022', 400);
    await rejects(
      new IvmApi(new IvmClient({ ...config, userId: '999999999999999999' }, emu.credentials.sk)).subOrgs('0'),
      'IVM.10020048',
      400,
    );
    const bare = await fetch(`${emu.baseUrl}/v1/${emu.credentials.userId}/device-orgs/0/sub-orgs`);
    assert.equal(bare.status, 401);
    assert.deepEqual(await bare.json(), { error_code: 'IVM.10000004', error_msg: 'token is null.' });
  });

  test('an expired token is replaced once and the call retried; the v1 token path answers too; at most two tokens per AK', async () => {
    const client = new IvmClient(config, emu.credentials.sk);
    const first = await client.accessToken();
    emu.expireTokens();
    assert.ok((await new IvmApi(client).subOrgs('0')).length > 0);
    assert.notEqual(await client.accessToken(), first);
    const v1 = await fetch(`${emu.baseUrl}/v1/${emu.credentials.userId}/enterprises/access-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ak: emu.credentials.ak, sk: emu.credentials.sk }),
    });
    assert.equal(v1.status, 200);
    // force_update gives a second token only when the one held has ≤ 2 days left.
    const again = await (
      await fetch(`${emu.baseUrl}/v2/${emu.credentials.userId}/enterprises/access-token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ak: emu.credentials.ak, sk: emu.credentials.sk, force_update: true }),
      })
    ).json();
    assert.equal((again as { expire_time: string }).expire_time.length > 0, true);
    assert.equal(emu.tokenCount, 1);
    await fetch(`${emu.baseUrl}/__emulator/setTokenRemaining`, {
      method: 'POST',
      body: JSON.stringify({ seconds: 3600 }),
    });
    const forced = new IvmClient(config, emu.credentials.sk);
    await forced.accessToken();
    assert.equal(emu.tokenCount, 1, 'a client takes the existing token');
    await forced.accessToken(); // ≤ 2 days left → force_update → a second token
    assert.equal(emu.tokenCount, 2);
  });
});

describe('organizations, devices and channels', () => {
  test('the tree walks organizations from the root and lists each one’s own devices with channels and PTZ', async () => {
    const nodes = await new HuaweiIvmPlatform(config, emu.credentials.sk).tree();
    const hq = nodes.find((n) => n.name === '总部园区')!;
    assert.equal(hq.parentId, null);
    assert.deepEqual(
      nodes
        .filter((n) => n.parentId === hq.id && n.kind === 'group')
        .map((n) => n.name)
        .sort(),
      ['一号楼', '停车场'].sort(),
    );
    const floor = nodes.find((n) => n.name === '一号楼 三层')!;
    assert.equal(floor.parentId, nodes.find((n) => n.name === '一号楼')!.id, 'three levels of organizations');
    assert.equal(nodes.filter((n) => n.kind === 'device').length, emu.devices.size);
    const nvr = nodes.find((n) => n.name === '停车场 NVR')!;
    assert.equal(nodes.filter((n) => n.parentId === nvr.id).length, 4);
    assert.equal(nodes.find((n) => n.name === '大门球机' && n.kind === 'channel')?.ptz, true);
    assert.equal(nodes.find((n) => n.name === '后门' && n.kind === 'channel')?.status, 'offline');
  });

  test('§5.2 paging uses a page index; bad limits and directions are the documented errors', async () => {
    const page0 = await api.orgDevices('0', { limit: 2, offset: 0 });
    const page1 = await api.orgDevices('0', { limit: 2, offset: 1 });
    assert.equal(page0.total, emu.devices.size);
    assert.notDeepEqual(
      page0.devices?.map((d) => d.device_id),
      page1.devices?.map((d) => d.device_id),
    );
    await rejects(api.orgDevices('0', { limit: 1001, offset: 0 }), 'IVM.10020009');
    await rejects(api.orgDevices('0', { limit: 10, offset: 0, direction: 'UP' as never }), 'IVM.10020011');
  });
});

describe('PTZ', () => {
  test('moves take the control lock, renew it, stop with the matching stop, keep 300 ms apart; another holder is refused', async () => {
    const vigil = new HuaweiIvmPlatform(config, emu.credentials.sk);
    const node = 'ch:21A0123456SMY01:0';
    const started = Date.now();
    await vigil.ptz(node, 'zoomin', 8);
    await vigil.ptz(node, 'stop', 8);
    await vigil.ptz(node, 'left', 4);
    await vigil.ptz(node, 'stop', 4);
    const log = emu.ptzLog.filter((l) => l.device === '21A0123456SMY01');
    assert.deepEqual(
      log.map((l) => l.direction),
      ['IN', 'ZOOM_STOP', 'LEFT', 'STOP'],
    );
    assert.ok(log.every((l) => l.mode === 'NON_POINT'));
    assert.deepEqual([log[0]!.speed, log[2]!.speed], [10, 5]);
    assert.ok(
      log.every((l, i) => i === 0 || l.at - log[i - 1]!.at >= 250),
      'commands ≥ 300 ms apart when sent (arrival jitter allowed)',
    );
    assert.ok(Date.now() - started >= 850);
    // A second operator (another client) cannot take the lock while it is held.
    await rejects(
      new IvmApi(new IvmClient(config, emu.credentials.sk)).controlLock('21A0123456SMY01', '0'),
      'IVM.20000029',
      500,
    );
    // …and the operator is told what the platform can tell: not who, but when it frees.
    await assert.rejects(
      new HuaweiIvmPlatform(config, emu.credentials.sk).ptz(node, 'left', 5),
      /another operator controls this camera’s PTZ .*2 minutes after their last command/,
    );
    // A lapsed lock is taken again transparently.
    await fetch(`${emu.baseUrl}/__emulator/expireLocks`, { method: 'POST', body: '{}' });
    await vigil.ptz(node, 'up', 8);
    await vigil.releasePtz(node);
    assert.equal(emu.locks.has('21A0123456SMY01/0'), false);
    await rejects(
      api.ptz('21A0123456SMY01', '0', { direction: 'SIDEWAYS' as never, control_lock: 'x' }),
      'IVM.20002002',
    );
  });
});

/** A test of its own emulator (a clock, a changed device) and the account on it; stopped after. */
async function withOwnEmulator(
  options: ConstructorParameters<typeof IvmEmulator>[0],
  run: (own: IvmEmulator, cfg: IvmConfig) => Promise<void>,
): Promise<void> {
  const own = await new IvmEmulator(options).start();
  try {
    await run(own, { ...config, endpoint: own.baseUrl, userId: own.credentials.userId, ak: own.credentials.ak });
  } finally {
    await own.stop();
  }
}

describe('PTZ as the pad, joystick and gamepad send it: without waiting for answers', () => {
  test('a quick tap on a camera not yet held: one lock, the move and its stop 300 ms apart', async () => {
    await withOwnEmulator({}, async (own, cfg) => {
      const vigil = new HuaweiIvmPlatform(cfg, own.credentials.sk);
      const node = 'ch:21A0123456SMY01:0';
      const tap = vigil.ptz(node, 'left', 4);
      await new Promise((r) => setTimeout(r, 20));
      await Promise.all([tap, vigil.ptz(node, 'stop', 4)]);
      assert.deepEqual(
        own.ptzLog.map((l) => l.direction),
        ['LEFT', 'STOP'],
      );
      assert.equal(own.calls.filter((c) => c.path.endsWith('/control-lock') && c.method === 'GET').length, 1);
      assert.ok(own.ptzLog[1]!.at - own.ptzLog[0]!.at >= 250, 'the stop waits its 300 ms (arrival jitter allowed)');
    });
  });

  test('a burst of moves collapses into its last one; a pan then a zoom are each stopped by their own stop', async () => {
    await withOwnEmulator({}, async (own, cfg) => {
      const vigil = new HuaweiIvmPlatform(cfg, own.credentials.sk);
      const node = 'ch:21A0123456SMY01:0';
      // A joystick pulled outward: four speeds in a few milliseconds.
      await Promise.all([1, 3, 5, 8].map((speed) => vigil.ptz(node, 'left', speed)));
      // A gamepad: the zoom axis pressed while panning, then both released.
      await vigil.ptz(node, 'zoomin', 8);
      await Promise.all([vigil.ptz(node, 'stop', 8), vigil.ptz(node, 'stop', 8)]);
      await vigil.releasePtz(node);
      assert.deepEqual(
        own.ptzLog.map((l) => [l.direction, l.speed]),
        [
          ['LEFT', 10],
          ['IN', 10],
          ['STOP', 10],
          ['ZOOM_STOP', 10],
          ['STOP', 10],
        ],
      );
      assert.ok(own.ptzLog.every((l, i) => i === 0 || l.at - own.ptzLog[i - 1]!.at >= 250));
      assert.equal(own.locks.has('21A0123456SMY01/0'), false, 'released after the stops');
    });
  });
});

describe('presets on cameras behind a recorder (§15.2: index "直连设备必传，非直连场景不传")', () => {
  test('an IVS1800 (MEdge) channel, like an NVR one, lets the device pick the slot; a direct camera names it', async () => {
    await withOwnEmulator({}, async (own, cfg) => {
      // This site's recorder is an IVS1800 (§5: device_type MEdge), its channel a PTZ dome.
      const edge = own.devices.get('21A0123456NVR01')!;
      edge.device_type = 'MEdge';
      edge.channels[0]!.ptz = true;
      const vigil = new HuaweiIvmPlatform(cfg, own.credentials.sk);
      const ownApi = new IvmApi(new IvmClient(cfg, own.credentials.sk));
      await vigil.tree();
      await vigil.presets.set('ch:21A0123456NVR01:1', 5, '卸货区');
      assert.deepEqual(
        (await vigil.presets.list('ch:21A0123456NVR01:1')).map((p) => p.name),
        ['卸货区'],
      );
      await rejects(ownApi.addPreset('21A0123456NVR01', '1', 'with a slot', 6), 'IVM.10020001');
      await rejects(ownApi.addPreset('21A0123456SMY01', '0', 'no slot'), 'IVM.10020001');
    });
  });
});

describe('PTZ control token lifetime (§8.1: 2 minutes from the last use; §8.3: each command renews it)', () => {
  test('a pause of 105 s keeps the token (no second lock asked for); after 2 minutes unused it is taken again', async () => {
    let now = Date.now();
    const clock = () => now;
    await withOwnEmulator({ clock }, async (own, cfg) => {
      const vigil = new HuaweiIvmPlatform(cfg, own.credentials.sk, undefined, clock, async (ms) => {
        now += ms;
      });
      const node = 'ch:21A0123456SMY01:0';
      const locksAsked = () => own.calls.filter((c) => c.path.includes('control-lock') && c.method === 'GET').length;
      await vigil.ptz(node, 'left', 4);
      await vigil.ptz(node, 'stop', 4);
      now += 105_000;
      await vigil.ptz(node, 'left', 4);
      await vigil.ptz(node, 'stop', 4);
      now += 105_000;
      await vigil.presets.goTo(node, 1);
      assert.equal(locksAsked(), 1, 'the held token was used each time');
      now += 121_000;
      await vigil.ptz(node, 'right', 4);
      assert.equal(locksAsked(), 2, 'a token unused for 2 minutes is taken again');
      assert.deepEqual(
        own.ptzLog.map((l) => l.direction),
        ['LEFT', 'STOP', 'LEFT', 'STOP', 'PRESET_1', 'RIGHT'],
      );
    });
  });
});

describe('media URLs', () => {
  test('§9.1 per-item results: a channel without the management package and an offline one fail, others get URLs', async () => {
    const r = await api.liveConnections({
      channels: [
        {
          device_id: '21A0123456SMY02',
          channel_id: '0',
          live_protocol: 'HTTPS_FLV',
          stream_type: 'SECONDARY_STREAM_1',
        },
        {
          device_id: '34020000001180000001',
          channel_id: '34020000001320000004',
          live_protocol: 'HTTPS_FLV',
          stream_type: 'PRIMARY_STREAM',
        },
        { device_id: '21A0123456SMY03', channel_id: '0', live_protocol: 'HTTP_HLS', stream_type: 'PRIMARY_STREAM' },
        {
          device_id: '21A0123456SMY02',
          channel_id: '0',
          live_protocol: 'WEBRTC' as never,
          stream_type: 'PRIMARY_STREAM',
        },
      ],
    });
    assert.equal(r.fail_num, 3);
    assert.deepEqual(
      r.live_connections.map((c) => c.result?.code),
      ['IVM.0', 'IVM.20020008', 'IVM.20000043', 'IVM.10026003'],
    );
    assert.match(r.live_connections[0]!.cloud_trans_connections!.live_url!, /token=/);
    const vigil = new HuaweiIvmPlatform(config, emu.credentials.sk);
    await rejects(vigil.liveSource('ch:34020000001180000001:34020000001320000004', 'sub'), 'IVM.20020008');
  });

  test('§9.2/§9.3 validate times (Beijing), positions and protocols; URLs can be revoked (§9.4)', async () => {
    const now = Date.now();
    await rejects(
      api.records('21A0123456SMY01', '0', {
        start_time: beijing(now),
        end_time: beijing(now - 60_000),
        record_position: 'CLOUD',
        limit: 10,
        offset: 0,
      }),
      'IVM.10020007',
    );
    await rejects(
      api.records('21A0123456SMY01', '0', {
        start_time: '2023/03/20',
        end_time: beijing(now),
        record_position: 'CLOUD',
        limit: 10,
        offset: 0,
      }),
      'IVM.10020005',
    );
    await rejects(
      api.playbackConnection('21A0123456SMY01', '0', {
        playback_protocol: 'HTTP_FLV' as never,
        start_time: beijing(now - 60_000),
        end_time: beijing(now),
        record_position: 'CLOUD',
      }),
      'IVM.10026001',
    );
    await rejects(
      api.records('21A0123456SMY03', '0', {
        start_time: beijing(now - 60_000),
        end_time: beijing(now),
        record_position: 'DEVICE',
        limit: 10,
        offset: 0,
      }),
      'IVM.20000036',
    );
    const pb = await api.playbackConnection('21A0123456SMY01', '0', {
      playback_protocol: 'HTTPS_HLS',
      start_time: beijing(now - 60_000),
      end_time: beijing(now),
      record_position: 'CLOUD',
    });
    const url = pb.playback_connections.cloud_trans_connections!.playback_url!;
    await api.revokeUrls([url]);
    assert.ok(emu.isRevoked(url));
    await rejects(api.revokeUrls(['rtsp://x/y']), 'IVM.10020001');
  });

  test('P2P (SDK) data: §9.1/§9.3 only for HOLO on HOLO devices (playback: device-side), §9.11 per device, §9.12 per channel with the range', async () => {
    const live = await api.liveConnections({
      channels: [
        { device_id: '21A0123456SMY01', channel_id: '0', live_protocol: 'HOLO', stream_type: 'PRIMARY_STREAM' },
        { device_id: '21A0123456SMY01', channel_id: '0', live_protocol: 'HTTPS_FLV', stream_type: 'PRIMARY_STREAM' },
        {
          device_id: '34020000001180000001',
          channel_id: '34020000001320000001',
          live_protocol: 'HOLO',
          stream_type: 'PRIMARY_STREAM',
        },
      ],
    });
    const p2p = live.live_connections.map(
      (c) => (c as { p2p_connections?: { token?: string; p2p_nodes?: unknown[] } }).p2p_connections,
    );
    assert.ok(p2p[0]!.token && p2p[0]!.p2p_nodes!.length === 1, 'HOLO on a HOLO device');
    assert.deepEqual([p2p[1], p2p[2]], [{}, {}], 'FLV, and a GB device');
    const now = Date.now();
    const range = { start_time: beijing(now - 600_000), end_time: beijing(now) };
    const device = await api.playbackConnection('21A0123456SMY01', '0', {
      playback_protocol: 'HOLO',
      record_position: 'DEVICE',
      ...range,
    });
    const devP2p = (device.playback_connections as { p2p_connections?: Record<string, unknown> }).p2p_connections!;
    assert.deepEqual([devP2p.start_time, (devP2p.result as { code: string }).code], [range.start_time, 'IVM.0']);
    const cloud = await api.playbackConnection('21A0123456SMY01', '0', {
      playback_protocol: 'HOLO',
      record_position: 'CLOUD',
      ...range,
    });
    assert.deepEqual((cloud.playback_connections as { p2p_connections?: unknown }).p2p_connections, {});

    const legacy = await api.p2pLive([
      { device_id: '21A0123456SMY01', channel_id: '0', stream_type: 'PRIMARY_STREAM' },
      { device_id: '21A0123456SMY01', channel_id: '0', stream_type: 'SECONDARY_STREAM_1' },
      { device_id: '34020000001180000001', channel_id: '34020000001320000001', stream_type: 'PRIMARY_STREAM' },
    ]);
    assert.deepEqual(
      legacy.p2p_connections.map((c) => [c.device_id, c.result?.code]),
      [
        ['21A0123456SMY01', 'IVM.0'],
        ['34020000001180000001', 'IVM.20020011'],
      ],
      'one entry per device; GB has no P2P',
    );
    assert.equal(legacy.live_urls.length, 3);
    assert.match(legacy.live_urls[0]!.live_url!, /^jvmp:\/\//);
    const pb = await api.p2pPlayback([
      { device_id: '21A0123456SMY01', channel_id: '0', stream_type: 'PRIMARY_STREAM' },
      { device_id: '21A0123456SMY02', channel_id: '0', stream_type: 'SECONDARY_STREAM_1', ...range },
    ]);
    assert.equal(pb.failNum, 0);
    assert.deepEqual(
      pb.p2p_connections.map((c) => c.start_time ?? null),
      [null, range.start_time],
    );
    await rejects(
      api.p2pPlayback([
        { device_id: '21A0123456SMY01', channel_id: '0', stream_type: 'PRIMARY_STREAM', start_time: range.start_time },
      ]),
      'IVM.10020001',
    );
  });

  test('Beijing time strings round-trip whatever this computer’s zone', () => {
    const ms = Date.UTC(2023, 2, 20, 1, 30, 0);
    assert.equal(beijing(ms), '2023-03-20 09:30:00');
    assert.equal(fromBeijing('2023-03-20 09:30:00'), ms);
    assert.equal(fromBeijing('2020-06-26 20:42:16.0'), Date.UTC(2020, 5, 26, 12, 42, 16));
  });

  test('Test connection signs in and counts; a wrong SK fails without leaking it', async () => {
    assert.equal((await new HuaweiIvmPlatform(config, emu.credentials.sk).testConnection()).status, 'ok');
    const bad = await new HuaweiIvmPlatform(config, 'WRONG-sk-123').testConnection();
    assert.equal(bad.status, 'failed');
    assert.match(bad.message, /IVM.10020022/);
    assert.ok(!bad.message.includes('WRONG-sk-123'));
  });
});

describe('presets and cruise tracks (§15)', () => {
  const dev = '21A0123456SMY01';
  test('presets: list the seeded ones, add at a slot (direct-connected), rename, go to with the control lock, delete; non-PTZ and GB channels refused', async () => {
    const vigil = new HuaweiIvmPlatform(config, emu.credentials.sk);
    const node = `ch:${dev}:0`;
    assert.deepEqual(
      (await vigil.presets.list(node)).map((p) => p.index),
      [1, 2, 3],
    );
    await vigil.presets.set(node, 7, '卸货区');
    await vigil.presets.set(node, 7, '卸货区 东');
    assert.equal((await vigil.presets.list(node)).find((p) => p.index === 7)?.name, '卸货区 东');
    await vigil.presets.goTo(node, 7);
    assert.equal(emu.ptzLog.at(-1)?.direction, 'PRESET_7');
    await vigil.presets.remove(node, 7);
    assert.ok(!(await vigil.presets.list(node)).some((p) => p.index === 7));
    await vigil.releasePtz(node);
    // A direct-connected camera needs the slot (§15.2).
    await rejects(api.addPreset(dev, '0', 'no slot'), 'IVM.10020001');
    await rejects(api.presets('21A0123456SMY02', '0'), 'IVM.20002008', 500);
    await rejects(api.presets('34020000001180000001', '0'), 'IVM.20020011');
    const preview = (await api.presets(dev, '0'))[0]!.jpg_base64!;
    assert.deepEqual([...Buffer.from(preview, 'base64').subarray(0, 2)], [0xff, 0xd8]);
  });

  test('cruise tracks: add over existing presets, read back (either dwell spelling), replace, start one at a time, delete; bad points refused', async () => {
    const tracks = await api.cruises(dev, '0');
    assert.deepEqual(
      tracks.map((t) => [t.cruises_id, t.cruises_name, t.enable_cruise]),
      [[1, '大门巡航', 'CLOSE']],
    );
    const id = await api.addCruise(dev, '0', {
      name: '夜间巡航',
      points: [
        { preset_index: 2, dwell_time: 60, speed_level: 3 },
        { preset_index: 1, dwell_time: 30, speed_level: 10 },
      ],
    });
    assert.equal(id, 2);
    const detail = await api.cruise(dev, '0', id);
    assert.deepEqual(
      detail.cruise_points.map((p) => [p.preset_index, p.dwell_time, p.speed_level]),
      [
        [2, 60, 3],
        [1, 30, 10],
      ],
    );
    await api.updateCruise(dev, '0', id, {
      name: '夜间巡航',
      points: [{ preset_index: 3, dwell_time: 45, speed_level: 5 }],
    });
    assert.deepEqual(
      (await api.cruise(dev, '0', id)).cruise_points.map((p) => p.preset_index),
      [3],
    );
    await api.enableCruise(dev, '0', 1, true);
    await api.enableCruise(dev, '0', id, true);
    assert.deepEqual(
      (await api.cruises(dev, '0')).map((t) => t.enable_cruise),
      ['CLOSE', 'OPEN'],
    );
    await rejects(
      api.addCruise(dev, '0', { name: 'bad', points: [{ preset_index: 99, dwell_time: 30, speed_level: 1 }] }),
      'IVM.10020001',
    );
    await rejects(
      api.addCruise(dev, '0', { name: 'bad', points: [{ preset_index: 1, dwell_time: 10, speed_level: 1 }] }),
      'IVM.10020001',
    );
    await api.deleteCruise(dev, '0', id);
    assert.equal((await api.cruises(dev, '0')).length, 1);
  });
});

describe('presets through the wall service', () => {
  test('save picks the lowest free slot within the platform limits, go-to and remove answer the list', async () => {
    const { core } = makeCore({ vault: new MemoryVault() });
    const accountId = await addAccount(core, 'IVM', { config, secret: emu.credentials.sk });
    const channelId = 'ch:21A0123456SMY01:0';
    const saved = await core.call('presets:save', { accountId, channelId, name: '西侧' });
    assert.ok(saved.ok, JSON.stringify(saved));
    const list = (saved.result as { presets: Array<{ index: number; name: string }> }).presets;
    const slot = list.find((p) => p.name === '西侧')!.index;
    assert.equal(slot, 4, 'seeded presets hold 1–3, so the lowest free slot is 4');
    assert.ok((await core.call('presets:goto', { accountId, channelId, index: slot })).ok);
    const removed = await core.call('presets:remove', { accountId, channelId, index: slot });
    assert.ok(
      removed.ok && !(removed.result as { presets: Array<{ index: number }> }).presets.some((p) => p.index === slot),
    );
    const bad = await core.call('presets:goto', { accountId, channelId, index: 600 });
    assert.equal(bad.ok ? null : bad.error.code, 'VALIDATION');
    const badName = await core.call('presets:save', { accountId, channelId, name: '<script>' });
    assert.equal(badName.ok ? null : badName.error.code, 'VALIDATION');
  });
});

describe('cruise tracks through the presets service (issue 10)', () => {
  test('a track is checked against the documented ranges and the camera’s presets before sending, saved, re-read, started and stopped; a running track is restarted after an edit', async () => {
    const { core } = makeCore({ vault: new MemoryVault() });
    const accountId = await addAccount(core, 'IVM cruise', { config, secret: emu.credentials.sk });
    const channelId = 'ch:21A0123456SMY01:0';
    const sentBefore = emu.calls.length;
    const bad = await core.call('cruise:save', {
      accountId,
      channelId,
      name: '测试',
      points: [
        { presetIndex: 1, dwellSeconds: 10, speed: 3 },
        { presetIndex: 99, dwellSeconds: 30, speed: 11 },
      ],
    });
    assert.equal(bad.ok ? null : bad.error.code, 'VALIDATION');
    const fields = bad.ok ? {} : (bad.error.details?.fields ?? {});
    assert.deepEqual(Object.keys(fields).sort(), ['points.0.dwellSeconds', 'points.1.presetIndex', 'points.1.speed']);
    assert.ok(
      !emu.calls.slice(sentBefore).some((c) => c.method !== 'GET' && !c.path.endsWith('/access-token')),
      'nothing was written',
    );

    const points = [1, 2, 3].map((presetIndex, i) => ({ presetIndex, dwellSeconds: 30 + i * 15, speed: 2 + i * 4 }));
    const saved = await core.call('cruise:save', { accountId, channelId, name: '周界巡航', points });
    assert.ok(saved.ok, JSON.stringify(saved));
    const { id, state } = saved.result as {
      id: number;
      state: { tracks: Array<{ id: number; name: string; running: boolean; points: unknown[] }> };
    };
    assert.deepEqual(state.tracks.find((t) => t.id === id)?.points, points, 'the answer is the camera’s own copy');
    assert.deepEqual(
      (await api.cruise('21A0123456SMY01', '0', id)).cruise_points.map((p) => [
        p.preset_index,
        p.dwell_time,
        p.speed_level,
      ]),
      [
        [1, 30, 2],
        [2, 45, 6],
        [3, 60, 10],
      ],
    );

    const run = await core.call('cruise:run', { accountId, channelId, id, on: true });
    assert.ok(run.ok);
    assert.equal((await api.cruises('21A0123456SMY01', '0')).find((t) => t.cruises_id === id)?.enable_cruise, 'OPEN');
    const enables = () => emu.calls.filter((c) => c.path.endsWith('/cruise-track/enable')).length;
    const before = enables();
    const edited = await core.call('cruise:save', {
      accountId,
      channelId,
      id,
      name: '周界巡航',
      points: points.slice(0, 2),
    });
    assert.ok(edited.ok);
    assert.equal(enables() - before, 2, 'CLOSE then OPEN after editing a running track');
    assert.equal(
      (edited.result as { state: { tracks: Array<{ id: number; running: boolean }> } }).state.tracks.find(
        (t) => t.id === id,
      )?.running,
      true,
    );

    // Copy to another PTZ camera: its missing presets are reported first.
    const other = 'ch:21B000000004:0';
    const copy = await core.call('cruise:copy', { accountId, channelId, id, toChannelId: other });
    assert.deepEqual(copy.ok && copy.result, { copied: false, id: null, missing: [1, 2] });
    assert.ok((await core.call('presets:save', { accountId, channelId: other, index: 2, name: '车道' })).ok);
    const forced = await core.call('cruise:copy', { accountId, channelId, id, toChannelId: other, skipMissing: true });
    assert.ok(forced.ok && (forced.result as { copied: boolean }).copied);
    const copied = await core.call('cruise:list', { accountId, channelId: other });
    assert.deepEqual(
      copied.ok &&
        (copied.result as { tracks: Array<{ points: Array<{ presetIndex: number }> }> }).tracks.map((t) =>
          t.points.map((p) => p.presetIndex),
        ),
      [[2]],
    );

    const removed = await core.call('cruise:remove', { accountId, channelId, id });
    assert.ok(removed.ok && !(removed.result as { tracks: Array<{ id: number }> }).tracks.some((t) => t.id === id));
    assert.equal((await core.call('presets:rename', { accountId, channelId, index: 2, name: '车道 北' })).ok, true);
    assert.equal((await api.presets('21A0123456SMY01', '0')).find((p) => p.preset_index === 2)?.preset_name, '车道 北');
  });

  test('a platform error keeps its code and gains an English explanation', async () => {
    const { core } = makeCore({ vault: new MemoryVault() });
    const accountId = await addAccount(core, 'IVM errors', { config, secret: emu.credentials.sk });
    const notPtz = await core.call('cruise:list', { accountId, channelId: 'ch:21A0123456SMY02:0' });
    assert.equal(notPtz.ok ? null : notPtz.error.details?.vendorCode, 'IVM.20002008');
    assert.match(notPtz.ok ? '' : notPtz.error.message, /IVM\.20002008/);
  });
});

describe('devices and channels (§6, §7)', () => {
  test('device detail and enterprise list (page index, DESC); GB gateway only for GB devices', async () => {
    const d = await api.device('21A0123456SMY01');
    assert.equal(d.device_name, '大门球机');
    assert.equal(d.device_org_id, '1002');
    const p0 = await api.devices({ limit: 10, offset: 0 });
    const p1 = await api.devices({ limit: 10, offset: 1 });
    assert.equal(p0.total, emu.devices.size);
    assert.equal(
      new Set([...(p0.devices ?? []), ...(p1.devices ?? [])].map((x) => x.device_id)).size,
      20,
      'two distinct pages',
    );
    const gw = await api.gateway('34020000001180000001');
    assert.equal(gw.sip_server_port, '5060');
    await rejects(api.gateway('21A0123456SMY01'), 'IVM.10022027');
    await rejects(api.device('bad id!'), 'IVM.10022000');
  });

  test('GB batch add gives SIP values per device and refuses weak passwords and duplicates item by item; batch delete reports per device', async () => {
    const r = await api.addGbDevices([
      {
        device_id: '34020000001320000777',
        device_name: '新增 摄像机',
        device_password: 'Cam-pass-2024',
        algorithm: 'SHA256',
      },
      { device_id: '34020000001320000778', device_name: 'weak', device_password: 'password', algorithm: 'MD5' },
      { device_id: '34020000001180000001', device_name: 'dup', device_password: 'Cam-pass-2024', algorithm: 'MD5' },
      { device_id: '3402000000999', device_name: 'short', device_password: 'Cam-pass-2024', algorithm: 'MD5' },
      {
        device_id: '34020000001320000779',
        device_name: 'no digest',
        device_password: 'Cam-pass-2024',
        algorithm: 'SHA1' as never,
      },
    ]);
    assert.equal(r.failed_num, 4);
    assert.deepEqual(
      r.devices.map((d) => d.result.code),
      ['IVM.0', 'IVM.10022009', 'IVM.20000001', 'IVM.10022024', 'IVM.10020051'],
      'the SIP digest is required: MD5 or SHA256 (§6.7)',
    );
    assert.equal(r.devices[0]!.sip_server_port, '5060');
    assert.equal((await api.device('34020000001320000777')).device_state, 'UNREGISTERED');
    const del = await api.deleteDevices(['34020000001320000777', '34020000001320000999']);
    assert.deepEqual(
      del.devices.map((d) => d.result.code),
      ['IVM.0', 'IVM.10022002'],
    );
    await rejects(api.deleteDevices([]), 'IVM.10022017');
    await rejects(
      api.deleteDevices(Array.from({ length: 101 }, (_, i) => `21B${String(i).padStart(9, '0')}`)),
      'IVM.10022016',
    );
  });

  test('channel list uses a row offset and ASC; channel detail has its ability as a string', async () => {
    const all = await api.channels({ limit: 1000, offset: 0 });
    const rows = await api.channels({ limit: 3, offset: 2 });
    assert.deepEqual(
      rows.channels?.map((c) => `${c.device_id}/${c.channel_id}`),
      all.channels?.slice(2, 5).map((c) => `${c.device_id}/${c.channel_id}`),
    );
    const nvr = await api.channels({ limit: 10, offset: 0, device_id: '34020000001180000001' });
    assert.equal(nvr.total, 4);
    assert.ok(all.channels?.find((c) => c.device_id === '21A0123456SMY01')?.channel_ability?.includes('ptz'));
    const detail = await api.channel('21A0123456SMY01', '0');
    assert.equal(detail.channel_ability, 'ptz,preset,cruise');
    // §20.2: IVM.10022020 "The channel state is illegal." (allowed: UNALLOCATED, ONLINE, OFFLINE).
    await rejects(api.channels({ limit: 10, offset: 0, channel_state: 'BROKEN' as never }), 'IVM.10022020');
  });
});

describe('device groups (§5.3–5.7)', () => {
  test('create, rename, search, move devices in, refuse deleting a non-empty or root group, delete when empty', async () => {
    const id = await api.createOrg('仓库区', '1001');
    await rejects(api.createOrg('仓库区', '1001'), 'IVM.20001004');
    await rejects(api.createOrg('x'.repeat(51), '1001'), 'IVM.20001005');
    await rejects(api.createOrg('孤儿', '424242'), 'IVM.20001006');
    await api.renameOrg(id, '仓库区 A');
    await rejects(api.renameOrg('0', 'root'), 'IVM.20001003');
    const found = await api.searchOrgs('仓库');
    assert.equal(found[0]?.device_org_name, '总部园区', 'hits come inside their ancestry');
    assert.equal(found[0]?.children.find((c) => c.device_org_id === id)?.is_result, 1);
    const moved = await api.moveDevices(id, ['21B000000001', '21B999999999']);
    assert.deepEqual(
      moved.results.map((r) => r.result.code),
      ['IVM.0', 'IVM.10022035'],
    );
    assert.equal(moved.failed_num, 1);
    await rejects(api.deleteOrg(id), 'IVM.20001008');
    await rejects(api.deleteOrg('0'), 'IVM.20001009');
    await api.moveDevices('1002', ['21B000000001']);
    await api.deleteOrg(id);
    await rejects(api.renameOrg(id, 'gone'), 'IVM.20001001');
  });
});

describe('device edits (§6.4–6.6, §7.1)', () => {
  test('rename a HOLO device and channel; GB OSD needs the device online; GB account only while offline; bind a HOLO device by verification code', async () => {
    assert.equal((await api.updateDevice('21A0123456SMY02', { device_name: '大厅 东' })).device_name, '大厅 东');
    const osd = await api.updateDevice('34020000001180000001', { modify_type: 'OSD', osd: '停车场入口' });
    assert.equal(osd.osd, '停车场入口');
    await rejects(
      api.updateDevice('34020000001180000001', { modify_type: 'OSD', osd: '长'.repeat(22) }),
      'IVM.10020001',
    );
    await rejects(api.updateDevice('21A0123456SMY02', {}), 'IVM.10022010');
    await rejects(api.setGbAccount('34020000001180000001', { device_password: 'Cam-pass-2024' }), 'IVM.20000031');
    await rejects(api.setGbAccount('34020000001180000001', { device_password: 'weakweak' }), 'IVM.10022009');
    await api.renameChannel('21A0123456SMY02', '0', '大厅 主镜头');
    assert.equal((await api.channel('21A0123456SMY02', '0')).channel_name, '大厅 主镜头');
    await rejects(api.addHoloDevice('21C0000000NEW1', 'WRONG123'), 'IVM.20000003', 500);
    await rejects(api.addHoloDevice('21C0000000NEW1', 'short'), 'IVM.10022033');
    const added = await api.addHoloDevice('21C0000000NEW1', '0000NEW1');
    assert.equal(added.device_id, '21C0000000NEW1');
    await rejects(api.addHoloDevice('21C0000000NEW1', '0000NEW1'), 'IVM.20000001');
  });
});

describe('§6.4 modify types (seed table 6-16)', () => {
  test('§6.4 GB ALL sets the name and the OSD and needs both; HOLO renames need the device online; a bad description is IVM.10020004', async () => {
    const gb = '34020000001180000001';
    const all = await api.updateDevice(gb, { modify_type: 'ALL', device_name: '停车场 NVR', osd: '停车场 出口' });
    assert.equal(all.device_name, '停车场 NVR');
    assert.equal(all.osd, '停车场 出口');
    await rejects(api.updateDevice(gb, { modify_type: 'ALL', device_name: '停车场 NVR' }), 'IVM.10020001');
    await rejects(api.updateDevice(gb, { modify_type: 'ALL', osd: '出口' }), 'IVM.10020001');
    // "设备处于上线状态才可以修改设备名称": the back door (SMY03) is offline.
    await rejects(api.updateDevice('21A0123456SMY03', { device_name: '后门 2' }), 'IVM.20000036');
    await rejects(api.updateDevice('21A0123456SMY02', { description: 'bad/描述' }), 'IVM.10020004');
  });
});

describe('legacy media (§9.5–9.10)', () => {
  test('old names map onto the same behaviour; GB-only and protocol rules hold', async () => {
    const now = Date.now();
    const range = { start_time: beijing(now - 3600_000), end_time: beijing(now) };
    assert.ok((await api.legacyRecords('cloud', '21A0123456SMY01', '0', range)).total !== undefined);
    const url = await api.legacyPlaybackUrl('cloud', '21A0123456SMY01', '0', { protocol: 'HLS_HTTPS', ...range });
    assert.match(url, /token=/);
    await rejects(
      api.legacyPlaybackUrl('cloud', '21A0123456SMY01', '0', { protocol: 'HTTPS_HLS', ...range }),
      'IVM.10026001',
    );
    await rejects(
      api.legacyPlaybackUrl('device', '21A0123456SMY01', '0', { protocol: 'HOLO', ...range }),
      'IVM.10022027',
    );
    assert.match(
      await api.legacyPlaybackUrl('device', '34020000001180000001', '34020000001320000001', {
        protocol: 'HOLO',
        ...range,
      }),
      /^jvmp:\/\//,
    );
    await rejects(
      api.legacyPlaybackUrl('device-web', '21A0123456SMY01', '0', { protocol: 'HTTP_FLV_DEV', ...range }),
      'IVM.10022027',
    );
    const live = await api.legacyLiveUrls([
      { device_id: '21A0123456SMY01', channel_id: '0', live_protocol: 'HLS', stream_type: 'PRIMARY_STREAM' },
      { device_id: '21A0123456SMY01', channel_id: '0', live_protocol: 'HTTP_HLS', stream_type: 'PRIMARY_STREAM' },
    ]);
    assert.deepEqual(
      live.channels.map((c) => c.result?.code),
      ['IVM.0', 'IVM.10026003'],
      'v1 names only',
    );
    assert.match(live.request_id ?? '', /^[0-9a-f-]{36}$/);
  });
});

describe('device password (§16) and target authorization (§18)', () => {
  test('a password is first SET, then MODIFY with the current one; weak, same and wrong are refused; NVRs are not SDCs', async () => {
    const dev = '21A0123456SMY04';
    assert.equal(await api.securityKeyState(dev), 'SET');
    await rejects(api.setSecurityKey(dev, 'weakpass'), 'IVM.20140004');
    await api.setSecurityKey(dev, 'Sdc-Pass-01');
    assert.equal(await api.securityKeyState(dev), 'MODIFY');
    await rejects(api.setSecurityKey(dev, 'Sdc-Pass-02', 'wrong-current'), 'IVM.20140006');
    await rejects(api.setSecurityKey(dev, 'Sdc-Pass-01', 'Sdc-Pass-01'), 'IVM.20140005');
    await api.setSecurityKey(dev, 'Sdc-Pass-02', 'Sdc-Pass-01');
    await rejects(api.securityKeyState('34020000001180000001'), 'IVM.20140008');
  });

  test('target authorization per channel and for the device (-1), with per-channel results', async () => {
    const r = await api.setTargetAuthorization('21A0123456SMY02', 'OPENED', ['-1', '0', '7']);
    assert.equal(r.device_result, '0');
    assert.deepEqual(
      r.channels_result?.map((c) => [c.channel_id, c.channel_result]),
      [
        ['0', '0'],
        ['7', '1'],
      ],
    );
    assert.deepEqual(await api.targetAuthorization('21A0123456SMY02', '0'), {
      device_state: 'OPENED',
      channel_state: 'OPENED',
    });
    assert.deepEqual(await api.targetAuthorization('21A0123456SMY02', '-1'), { device_state: 'OPENED' });
    await rejects(
      api.setTargetAuthorization(
        '21A0123456SMY02',
        'OPENED',
        Array.from({ length: 66 }, () => '0'),
      ),
      'IVM.10027006',
    ); // §18.1 [1,65]: §20.2's array-over-limit code (the channel-ID code is for a malformed ID)
  });
});

describe('capability sets (§19)', () => {
  test('abilities per device version (only those asked for); unknown capability names refused', async () => {
    const r = await api.versionAbilities(
      [
        { device_type: 'IPC', model: 'C3050-10-LI-PV(3.6mm)', firmware: 'SDC 10.0.RC11' },
        { device_type: 'IPDOME', model: 'D3250', firmware: 'SDC 10.0.0' },
      ],
      ['ptz', 'soundlightalarm'],
      true,
    );
    assert.deepEqual(
      r.map((e) => e.abilities.ptz?.support),
      [false, true],
    );
    assert.equal(Object.keys(r[0]!.abilities).sort().join(), 'ptz,soundlightalarm');
    await rejects(
      api.versionAbilities([{ device_type: 'IPC', model: 'x', firmware: 'y' }], ['teleport']),
      'IVM.10020001',
    );
  });
});

describe('faults', () => {
  test('5xx on a read is retried; malformed and oversized replies are clear errors naming the call; a dropped write is NETWORK; the client recovers', async () => {
    const fresh = new IvmApi(new IvmClient(config, emu.credentials.sk));
    await fresh.subOrgs('0'); // token first, so the faults meet the calls under test
    emu.faults.fail5xx = 1;
    assert.ok((await fresh.subOrgs('0')).length > 0, 'a read survives one 5xx');
    emu.faults.malformed = 1;
    await assert.rejects(fresh.subOrgs('0'), /invalid reply to organizations/);
    emu.faults.oversized = 1;
    await assert.rejects(
      fresh.subOrgs('0'),
      (e: AppError) => e.details?.vendorCode === 'OVERSIZED_REPLY' && /larger than 32 MB/.test(e.message),
    );
    emu.faults.drop = 1;
    await assert.rejects(fresh.createOrg('掉线', '1001'), (e: AppError) => e.code === 'NETWORK');
    emu.faults.latencyMs = 50;
    assert.ok((await fresh.subOrgs('0')).length > 0, 'slow but answered');
    emu.faults.latencyMs = 0;
    assert.ok((await fresh.subOrgs('1001')).length > 0);
  });
});
