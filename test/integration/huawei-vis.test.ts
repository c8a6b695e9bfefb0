import assert from 'node:assert/strict';
import { rejectsWithCode } from '../helpers/platform';
import { after, before, describe, test } from 'node:test';
import { type AppError } from '../../main/errors';
import { VisApi, deviceStatisticsLists } from '../../main/platforms/huawei-vis/api';
import { VisClient, type VisConfig } from '../../main/platforms/huawei-vis/client';
import { HuaweiVisPlatform } from '../../main/platforms/huawei-vis';
import { VisDeviceAdmin } from '../../main/platforms/huawei-vis/device-admin';
import { liveSourceFromEndpoint, packetRate } from '../../main/platforms/huawei-vis/map';
import { sdkDate, sign } from '../../main/platforms/huawei-vis/sign';
import { VisEmulator } from '../emulators/huawei-vis/emulator';

// Huawei VIS client against its emulator over real HTTP on loopback.

let emu: VisEmulator;
let tokenApi: VisApi;
let akskApi: VisApi;
let tokenConfig: VisConfig;
let akskConfig: VisConfig;

before(async () => {
  emu = await new VisEmulator({ registerAfterMs: 50, inviteAfterMs: 30, refreshAfterMs: 30 }).start();
  const c = emu.credentials;
  tokenConfig = {
    platform: 'huawei-vis',
    region: 'cn-north-4',
    projectId: c.projectId,
    authMode: 'token',
    domain: c.domain,
    user: c.user,
    endpoint: emu.baseUrl,
    iamEndpoint: emu.iamBaseUrl,
  };
  akskConfig = {
    platform: 'huawei-vis',
    region: 'cn-north-4',
    projectId: c.projectId,
    authMode: 'aksk',
    ak: c.ak,
    endpoint: emu.baseUrl,
  };
  tokenApi = new VisApi(new VisClient(tokenConfig, c.password));
  akskApi = new VisApi(new VisClient(akskConfig, c.sk));
});
after(() => emu.stop());

const rejects = rejectsWithCode;

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('auth', () => {
  test('token mode: IAM password token (201, X-Subject-Token), then subscription', async () => {
    const s = await tokenApi.getSubscription();
    assert.equal(s.is_subscribed, true);
    assert.equal(s.sip_port, '5080');
    assert.equal(emu.iam.callsTo('POST', /\/v3\/auth\/tokens$/).length, 1);
  });

  test('AK/SK mode: signed requests pass; the same request with a wrong SK is refused', async () => {
    const s = await akskApi.getSubscription();
    assert.ok(s.quota?.device);
    const bad = new VisApi(new VisClient(akskConfig, 'wrong-secret'));
    await rejects(bad.getSubscription(), 'APIGW.0301', 401);
  });

  test('test connection works in both modes and reports a wrong password clearly', async () => {
    const ok = await new HuaweiVisPlatform(tokenConfig, emu.credentials.password).testConnection();
    assert.equal(ok.status, 'ok', ok.message);
    const aksk = await new HuaweiVisPlatform(akskConfig, emu.credentials.sk).testConnection();
    assert.equal(aksk.status, 'ok', aksk.message);
    const bad = await new HuaweiVisPlatform(tokenConfig, 'nope').testConnection();
    assert.equal(bad.status, 'failed');
    assert.match(bad.message, /password/i);
    assert.doesNotMatch(bad.message, /nope/);
  });

  test('concurrent callers share one token fetch; an expired token is refreshed once and the call retried', async () => {
    const api = new VisApi(new VisClient(tokenConfig, emu.credentials.password));
    const before = emu.iam.callsTo('POST', /tokens$/).length;
    await Promise.all([api.listStreams(), api.listDevices(), api.getSubscription(), api.listGbCredentials()]);
    assert.equal(emu.iam.callsTo('POST', /tokens$/).length, before + 1);
    await fetch(`${emu.baseUrl}/__emulator/expireTokens`, { method: 'POST' });
    const streams = await api.listStreams();
    assert.ok(streams.items.length > 0);
    assert.equal(emu.iam.callsTo('POST', /tokens$/).length, before + 2);
  });

  test('a signature dated more than 15 minutes away is refused; any SignedHeaders subset is verified', async () => {
    const url = new URL(`${emu.baseUrl}/v1/${emu.projectId}/subscription`);
    const call = async (date: Date, headers: Record<string, string>) => {
      const h = { ...headers, 'X-Sdk-Date': sdkDate(date) };
      const signed = sign({
        method: 'GET',
        path: url.pathname,
        query: [],
        headers: h,
        body: '',
        ak: emu.credentials.ak,
        sk: emu.credentials.sk,
      });
      const { Host: _host, ...sent } = h as Record<string, string>;
      return fetch(url, { headers: { ...sent, Authorization: signed.authorization } });
    };
    assert.equal((await call(new Date(), { Host: url.host })).status, 200);
    assert.equal((await call(new Date(), {})).status, 200, 'signing only x-sdk-date is allowed');
    assert.equal((await call(new Date(), { Host: url.host, 'Content-Type': 'application/json' })).status, 200);
    const skewed = await call(new Date(Date.now() - 16 * 60_000), { Host: url.host });
    assert.equal(skewed.status, 401);
    assert.equal(((await skewed.json()) as { error_code: string }).error_code, 'APIGW.0301');
  });

  test('§2.3.2 X-Sdk-Content-Sha256 (e.g. UNSIGNED-PAYLOAD) is the payload hash the emulator verifies', async () => {
    const url = new URL(`${emu.baseUrl}/v1/${emu.projectId}/credentials/aksks`);
    const body = JSON.stringify({ name: 'unsigned_payload', description: '' });
    const headers = {
      'Content-Type': 'application/json',
      'X-Sdk-Date': sdkDate(new Date()),
      'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD',
    };
    const signed = sign({ method: 'POST', path: url.pathname, query: [], headers, body, ...emu.credentials });
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...headers, Authorization: signed.authorization },
      body,
    });
    assert.equal(res.status, 200, await res.clone().text());
    const created = (await res.json()) as { access_key: string };
    await akskApi.deletePushKey(created.access_key);
  });

  test('§3.1 IAM issues a domain-scoped token (201); VIS needs a project-scoped one and refuses it with VIS.0001 (403)', async () => {
    const c = emu.credentials;
    const res = await fetch(`${emu.iamBaseUrl}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: c.user, password: c.password, domain: { name: c.domain } } },
          },
          scope: { domain: { name: c.domain } },
        },
      }),
    });
    assert.equal(res.status, 201);
    const token = res.headers.get('x-subject-token')!;
    assert.ok(token);
    const vis = await fetch(`${emu.baseUrl}/v1/${emu.projectId}/subscription`, { headers: { 'X-Auth-Token': token } });
    assert.equal(vis.status, 403);
    assert.equal(((await vis.json()) as { error_code: string }).error_code, 'VIS.0001');
    const projects = await fetch(`${emu.iamBaseUrl}/v3/auth/projects`, { headers: { 'X-Auth-Token': token } });
    assert.equal(projects.status, 200);
  });

  test('no credentials → VIS.0001 (403); wrong project → VIS.0002', async () => {
    const none = await fetch(`${emu.baseUrl}/v1/${emu.projectId}/streams`);
    assert.equal(none.status, 403);
    assert.equal(((await none.json()) as { error_code: string }).error_code, 'VIS.0001');
    const other = new VisApi(new VisClient({ ...tokenConfig, projectId: '0'.repeat(32) }, emu.credentials.password));
    await assert.rejects(other.getSubscription());
  });

  test('IAM lists projects for a token; the region name maps to the project id', async () => {
    const client = new VisClient(tokenConfig, emu.credentials.password);
    const token = await client.accessToken();
    const res = await fetch(`${emu.iamBaseUrl}/v3/auth/projects`, { headers: { 'X-Auth-Token': token } });
    const body = (await res.json()) as { projects: Array<{ id: string; name: string }> };
    assert.equal(body.projects.find((p) => p.name === 'cn-north-4')?.id, emu.projectId);
  });
});

describe('subscription', () => {
  test('subscribe twice → VIS.0018; an unsubscribed project reads as VIS.0015', async () => {
    await rejects(tokenApi.subscribe(), 'VIS.0018', 400);
    const fresh = await new VisEmulator({ subscribed: false, seed: false }).start();
    try {
      const api = new VisApi(new VisClient({ ...akskConfig, endpoint: fresh.baseUrl }, fresh.credentials.sk));
      await rejects(api.getSubscription(), 'VIS.0015', 404);
      await rejects(api.listStreams(), 'VIS.0004', 403);
      const s = await api.subscribe();
      assert.equal(s.is_subscribed, true);
      assert.equal(s.quota?.password?.total, 10);
    } finally {
      await fresh.stop();
    }
  });
});

describe('streams', () => {
  test('create, read, list with filters and paging, activate, endpoint, retention, delete', async () => {
    const created = await akskApi.createStream({
      name: 'cam_test_1',
      access_type: 'RTMP',
      encode_type: 'H264',
      share_type: 'PUBLIC',
      tag: [{ key: 'site', value: 'B1' }],
    });
    assert.equal(created.state, 'STOPPED');
    assert.equal(created.share_type, 'PUBLIC');
    await rejects(
      akskApi.createStream({ name: 'cam_test_1', access_type: 'RTMP', encode_type: 'H264' }),
      'VIS.0201',
      409,
    );
    await rejects(
      akskApi.createStream({ name: 'public_demo', access_type: 'RTMP', encode_type: 'H264' }),
      'VIS.0201',
      409,
    );
    await rejects(
      akskApi.createStream({ name: 'bad name!', access_type: 'RTMP', encode_type: 'H264' }),
      'VIS.0005',
      404,
    );
    await rejects(
      akskApi.createStream({ name: 'h265', access_type: 'RTMP', encode_type: 'H265' as 'H264' }),
      'VIS.0213',
      400,
    );
    await rejects(
      akskApi.createStream({ name: 'pull1', access_type: 'HTTP-FLV', encode_type: 'H264', url: 'ftp://x' }),
      'VIS.0207',
      400,
    );
    await rejects(akskApi.getStreamEndpoint('cam_test_1'), 'VIS.0204', 400);

    const found = await akskApi.listStreams({ name: 'cam_test', stream_state: 'stopped' });
    assert.deepEqual(
      found.items.map((s) => s.name),
      ['cam_test_1'],
    );
    const page1 = await akskApi.listStreams({ offset: 1, limit: 2, order_by: 'name' });
    const page2 = await akskApi.listStreams({ offset: 3, limit: 2, order_by: 'name' });
    assert.equal(page1.items.length, 2);
    assert.ok(page1.total >= 4);
    assert.notDeepEqual(
      page1.items.map((s) => s.name),
      page2.items.map((s) => s.name),
    );
    await rejects(akskApi.listStreams({ offset: 0, limit: 10 }), 'VIS.0005', 404);

    await akskApi.updateStream('cam_test_1', { state: 'ACTIVE' });
    await rejects(akskApi.updateStream('cam_test_1', { access_type: 'HTTP-FLV', url: 'http://x/y' }), 'VIS.0206', 400);
    const ep = await akskApi.getStreamEndpoint('cam_test_1');
    assert.match(ep.pull_flow_address!, /\/live\/work001\?app=vis&stream=cam_test_1$/);
    assert.equal(ep.push_flow_protocol, 'RTMP');
    assert.equal(liveSourceFromEndpoint(ep)?.protocol, 'flv');

    await akskApi.updateRetention('cam_test_1', {
      timezone: 'GMT+8:00',
      retention_in_hour: 24,
      store_type: 'obs',
      bucket: 'vigil-bucket',
      path: 'video/',
      state: 'ACTIVE',
    });
    await rejects(
      akskApi.updateRetention('cam_test_1', { timezone: 'GMT+8:00', slice_in_minute: 10 }),
      'VIS.0205',
      400,
    );
    await akskApi.updateRetention('cam_test_1', { timezone: 'GMT+8:00', state: 'STOPPED' });
    const detail = await akskApi.getStream('cam_test_1');
    assert.equal(detail.retention?.store_type, 'OBS');
    assert.equal(detail.retention?.timezone, 'GMT+08:00');
    assert.equal(detail.stream_flow_info?.is_publishing, false);

    await akskApi.deleteStream('cam_test_1');
    await rejects(akskApi.getStream('cam_test_1'), 'VIS.0202', 400);
  });

  test('GB28181 streams cannot be updated or deleted through the stream API', async () => {
    const gb = (await akskApi.listStreams()).items.find((s) => s.access_type === 'GB28181')!;
    await rejects(akskApi.updateStream(gb.name, { description: 'x' }), 'VIS.0005');
    await rejects(akskApi.deleteStream(gb.name), 'VIS.0005');
  });
});

describe('devices', () => {
  test('create an IPC, watch it register, invite video, play address, cancel, schedule, delete', async () => {
    await rejects(akskApi.createDevices({ type: 'IPC', username: 'nobody' }), 'VIS.0102', 404);
    const { device_id_list: ids } = await akskApi.createDevices({
      type: 'IPC',
      username: 'site01',
      quantity: 1,
      suffix: 'lab',
    });
    assert.equal(ids.length, 1);
    const id = ids[0]!;
    assert.match(id, /^\d{10}132\d{7}$/);
    assert.equal((await akskApi.getDevice(id)).state, 'UNREGISTERED');
    await wait(120);
    const online = await akskApi.getDevice(id);
    assert.equal(online.state, 'ONLINE');
    const ch = online.channels[0]!;
    assert.equal(ch.channel_id, id);
    assert.equal(ch.invitation_status, 'ONLINE');
    await rejects(akskApi.updateChannel(id, id, { state: 'STOPPED' }), 'VIS.0309', 400);
    await akskApi.updateChannel(id, id, { state: 'ACTIVE', tcp_priority: 'TRUE' });
    await rejects(akskApi.updateChannel(id, id, { state: 'ACTIVE' }), 'VIS.0308', 400);
    await wait(80);
    const invited = await akskApi.getDevice(id);
    assert.equal(invited.channels[0]!.invitation_status, 'INVITE_SUCCESS');
    const ep = await akskApi.getStreamEndpoint(invited.channels[0]!.stream_name!);
    assert.ok(ep.pull_flow_address);
    await akskApi.updateChannel(id, id, { state: 'STOPPED' });
    await wait(80);
    assert.equal((await akskApi.getDevice(id)).channels[0]!.invitation_status, 'ONLINE');

    await rejects(akskApi.updateAccessStrategy(id, id, { start_time: '10:05', total_length: 30 }), 'VIS.0005');
    await rejects(
      akskApi.updateAccessStrategy(id, id, {
        start_time: '10:00',
        end_time: '10:20',
        total_length: 30,
        random_strategy: 'RANDOM',
      }),
      'VIS.0005',
    );
    await akskApi.updateAccessStrategy(id, id, {
      start_time: '10:00',
      end_time: '18:00',
      total_length: 240,
      random_strategy: 'RANDOM',
      state: 'ACTIVE',
    });
    await rejects(akskApi.updateChannel(id, id, { state: 'ACTIVE' }), 'VIS.0310', 400);
    assert.equal((await akskApi.getDevice(id)).channels[0]!.access_strategy?.total_length, 240);

    await rejects(akskApi.deleteDevice(id), 'VIS.0303', 400);
    await fetch(`${emu.baseUrl}/__emulator/dropDevice`, { method: 'POST', body: JSON.stringify({ device_id: id }) });
    await akskApi.deleteDevice(id);
    await rejects(akskApi.getDevice(id), 'VIS.0302', 404);
  });

  test('§4.3.4 CONSECUTIVE ignores end_time (any value); RANDOM still checks it', async () => {
    const [id] = (await akskApi.createDevices({ type: 'IPC', username: 'site01' })).device_id_list;
    await akskApi.updateAccessStrategy(id!, id!, {
      start_time: '10:00',
      end_time: '25:99',
      total_length: 60,
      random_strategy: 'CONSECUTIVE',
    });
    await akskApi.updateAccessStrategy(id!, id!, {
      start_time: '22:00',
      end_time: '09:00',
      total_length: 120,
      random_strategy: 'CONSECUTIVE',
    });
    await rejects(
      akskApi.updateAccessStrategy(id!, id!, {
        start_time: '10:00',
        end_time: '25:99',
        total_length: 60,
        random_strategy: 'RANDOM',
      }),
      'VIS.0005',
      404,
    );
    await wait(120); // let it register (registerAfterMs 50) before dropping it, so the delete is not raced
    await fetch(`${emu.baseUrl}/__emulator/dropDevice`, { method: 'POST', body: JSON.stringify({ device_id: id }) });
    await akskApi.deleteDevice(id!);
  });

  test('NVR channel refresh: not an NVR → VIS.0311; an online NVR fills QUERIED channels; TCP priority refused', async () => {
    const list = await akskApi.listDevices({ type: 'NVR', state: 'ONLINE' });
    const nvr = list.items[0]!;
    await rejects(
      akskApi.refreshNvrChannels((await akskApi.listDevices({ type: 'IPC' })).items[0]!.device_id),
      'VIS.0311',
      400,
    );
    await akskApi.refreshNvrChannels(nvr.device_id);
    await rejects(akskApi.refreshNvrChannels(nvr.device_id), 'VIS.0311');
    await wait(80);
    const after = await akskApi.getDevice(nvr.device_id);
    assert.equal(after.channels_query, 'QUERIED');
    assert.ok(after.channels.length >= 4);
    await rejects(
      akskApi.updateChannel(nvr.device_id, after.channels[0]!.channel_id, { state: 'STOPPED', tcp_priority: 'TRUE' }),
      'VIS.0313',
      400,
    );
    await rejects(akskApi.updateChannel(nvr.device_id, 'nope', { state: 'ACTIVE' }), 'VIS.0304', 404);

    // The installer's view: the NVR's catalogue state and count; IPCs have none.
    const installer = new VisDeviceAdmin(akskApi);
    emu.devices.get(nvr.device_id)!.nvrChannelCount = after.channels.length + 2;
    await installer.refreshChannels(nvr.device_id);
    assert.deepEqual((await installer.status(nvr.device_id)).channels?.query, 'querying');
    await wait(80);
    assert.deepEqual((await installer.status(nvr.device_id)).channels, {
      query: 'queried',
      count: after.channels.length + 2,
    });
    assert.equal(
      (await installer.status((await akskApi.listDevices({ type: 'IPC' })).items[0]!.device_id)).channels,
      undefined,
    );
  });

  test('device list: filters, management paging from 1, sorted', async () => {
    const all = await akskApi.listDevices();
    const page = await akskApi.listDevices({ offset: 1, limit: 3, order_by: 'device_id', sort: 'DESC' });
    assert.equal(page.items.length, 3);
    assert.equal(page.total, all.items.length);
    const sorted = [...all.items.map((d) => d.device_id)].sort().reverse().slice(0, 3);
    assert.deepEqual(
      page.items.map((d) => d.device_id),
      sorted,
    );
    await rejects(akskApi.listDevices({ offset: 1, limit: 1001 }), 'VIS.0005');
  });
});

describe('credentials', () => {
  test('GB28181 credentials: password rules, duplicate, wrong old password, in use', async () => {
    await rejects(akskApi.createGbCredential({ username: 'jack01', password: 'short' }), 'VIS.0005');
    await rejects(akskApi.createGbCredential({ username: 'Abc12345', password: '54321cbA' }), 'VIS.0105', 400);
    const c = await akskApi.createGbCredential({
      username: 'jack01',
      password: 'Jack#2024x',
      type: 'NORMAL',
      description: 'lab',
    });
    assert.equal(c.type, 'normal');
    await rejects(akskApi.createGbCredential({ username: 'jack01', password: 'Jack#2024x' }), 'VIS.0101', 409);
    await rejects(
      akskApi.updateGbCredential('jack01', { password: 'wrong', new_password: 'new-pass1' }),
      'VIS.0106',
      403,
    );
    await akskApi.updateGbCredential('jack01', { password: 'Jack#2024x', new_password: 'new-pass1' });
    const listed = await akskApi.listGbCredentials({ username: 'jack' });
    assert.deepEqual(
      listed.items.map((x) => x.username),
      ['jack01'],
    );
    await akskApi.deleteGbCredential('jack01');
    await rejects(akskApi.deleteGbCredential('jack01'), 'VIS.0102', 404);
    await rejects(akskApi.deleteGbCredential('site01'), 'VIS.0108', 400);
  });

  test('push keys: secret returned once, list without it (epoch-ms times), rename by name, delete 204, in use', async () => {
    const k = await akskApi.createPushKey({ name: 'aksk_1', description: 'this is for device.' });
    assert.match(k.access_key, /^[A-Z0-9]{32}$/);
    assert.match(k.secret_key!, /^[A-Z0-9]{64}$/);
    await rejects(akskApi.createPushKey({ name: 'aksk_1' }), 'VIS.0103', 409);
    const listed = await akskApi.listPushKeys({ name: 'aksk_1' });
    assert.equal(listed.items[0]!.secret_key, undefined);
    assert.match(String(listed.items[0]!.created_at), /^\d{13}$/);
    await akskApi.updatePushKey('aksk_1', { name: 'aksk_2' });
    await rejects(akskApi.updatePushKey('nope', { name: 'x' }), 'VIS.0104', 404);
    assert.equal(await akskApi.deletePushKey(k.access_key), undefined);
    const used = (await akskApi.listPushKeys()).items.find((x) => x.name === 'push_key_1')!;
    await rejects(akskApi.deletePushKey(used.access_key), 'VIS.0107', 400);
  });
});

describe('statistics', () => {
  test('every device list answers; offsets count from 0; packet rates parse', async () => {
    for (const list of deviceStatisticsLists) {
      const r = await akskApi.deviceStatistics(list);
      assert.ok(r.items.length >= 1, `${list} is empty`);
    }
    const longOffline = await akskApi.deviceStatistics('longTermOfflineDeviceList');
    assert.ok(longOffline.items.every((d) => d.state === 'OFFLINE'));
    const zero = await akskApi.deviceStatistics('pastOnlineDeviceList', { offset: 0, limit: 2 });
    assert.equal(zero.items.length, 2);
    const rates = await akskApi.packetReceivedRates();
    assert.ok(rates.items.length >= 1);
    const r = packetRate(rates.items[0]!.packet_received_rate);
    assert.ok(r.rate !== null && r.rate > 0.9 && r.rate <= 1);
  });
});

describe('statistics filters', () => {
  test('§4.5.7 packet reception rates honour the device_id / type / state filters', async () => {
    const all = await akskApi.packetReceivedRates();
    const id = all.items[0]!.device_id;
    const one = await akskApi.packetReceivedRates({ device_id: id });
    assert.ok(one.items.length >= 1 && one.items.every((e) => e.device_id === id));
    assert.equal((await akskApi.packetReceivedRates({ device_id: '99999999999999999999' })).items.length, 0);
    const offline = await akskApi.packetReceivedRates({ state: 'offline' });
    assert.ok(offline.items.every((e) => e.state === 'OFFLINE'));
    assert.ok(offline.items.length < all.items.length);
    await rejects(akskApi.packetReceivedRates({ state: 'SLEEPING' }), 'VIS.0005', 404);
  });
});

describe('faults', () => {
  test('5xx on reads is retried; malformed JSON is a clear error naming the call; a dropped connection is NETWORK', async () => {
    emu.api.faults.fail5xx = 1;
    assert.ok((await akskApi.listStreams()).items.length > 0);
    emu.api.faults.malformed = 1;
    await assert.rejects(akskApi.getSubscription(), /invalid reply to read the subscription/);
    emu.api.faults.drop = 5;
    await assert.rejects(akskApi.getSubscription(), (e: AppError) => e.code === 'NETWORK');
    emu.api.resetFaults();
  });

  test('a reply with a wrong type names the field', async () => {
    const fakeFetch: typeof fetch = async () => new Response(JSON.stringify({ is_subscribed: 'yes' }), { status: 200 });
    const api = new VisApi(new VisClient(akskConfig, 'x', fakeFetch));
    await assert.rejects(api.getSubscription(), /is_subscribed/);
  });

  test('writes are not retried on 5xx', async () => {
    emu.api.faults.fail5xx = 1;
    const before = emu.api.calls.length;
    await rejects(akskApi.createPushKey({ name: 'retry_check' }), 'VIS.0008', 503);
    assert.equal(emu.api.calls.length, before + 1);
    emu.api.resetFaults();
  });
});
