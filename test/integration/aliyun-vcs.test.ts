import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { AppError } from '../../main/errors';
import { AliyunVcsPlatform } from '../../main/platforms/aliyun-vcs';
import { VcsApi } from '../../main/platforms/aliyun-vcs/api';
import { VcsClient, type VcsConfig } from '../../main/platforms/aliyun-vcs/client';
import { rpcTimestamp, signedQuery } from '../../main/platforms/aliyun-vcs/sign';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';

// Alibaba VCS client and adapter against the emulator over real HTTP on loopback.

let emu: VcsEmulator;
let config: VcsConfig;
let api: VcsApi;

before(async () => {
  emu = await new VcsEmulator({ warmupMs: 150 }).start();
  config = { platform: 'aliyun-vcs', regionId: 'cn-hangzhou', endpoint: emu.baseUrl, accessKeyId: emu.credentials.accessKeyId };
  api = new VcsApi(new VcsClient(config, emu.credentials.accessKeySecret));
});
after(() => emu.stop());

async function rejects(p: Promise<unknown>, code: string, status?: number): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.details?.vendorCode, code, e.message);
    if (status) assert.equal(e.details?.httpStatus, status);
    return true;
  });
}

/** A hand-signed request, to replay nonces and try other formats and versions. */
function signed(extra: Record<string, string>, nonce: string, method = 'GET'): string {
  const params = { Action: 'ListCorps', Format: 'JSON', Version: '2020-05-15', AccessKeyId: emu.credentials.accessKeyId, SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: nonce, Timestamp: rpcTimestamp(new Date()), PageNumber: '1', PageSize: '10', ...extra };
  return signedQuery({ method, params, accessKeySecret: emu.credentials.accessKeySecret });
}

describe('signature and common parameters', () => {
  test('a signed call passes; wrong secret, unknown key and a skewed clock fail with the platform codes', async () => {
    assert.ok((await api.listCorps({ PageNumber: 1, PageSize: 10 })).TotalCount >= 2);
    await rejects(new VcsApi(new VcsClient(config, 'wrong-secret')).listCorps({ PageNumber: 1, PageSize: 1 }), 'SignatureDoesNotMatch', 400);
    await rejects(new VcsApi(new VcsClient({ ...config, accessKeyId: 'LTAIunknown' }, emu.credentials.accessKeySecret)).listCorps({ PageNumber: 1, PageSize: 1 }), 'InvalidAccessKeyId.NotFound', 404);
    const skewed = new VcsApi(new VcsClient(config, emu.credentials.accessKeySecret, fetch, () => Date.now() - 16 * 60_000));
    await rejects(skewed.listCorps({ PageNumber: 1, PageSize: 1 }), 'InvalidTimeStamp.Expired', 400);
    const slightlyOff = new VcsApi(new VcsClient(config, emu.credentials.accessKeySecret, fetch, () => Date.now() - 10 * 60_000));
    assert.ok((await slightlyOff.listCorps({ PageNumber: 1, PageSize: 1 })).TotalCount >= 2);
  });

  test('a replayed SignatureNonce is refused', async () => {
    const q = signed({}, 'nonce-replay-1');
    assert.equal((await fetch(`${emu.baseUrl}/?${q}`)).status, 200);
    const again = await fetch(`${emu.baseUrl}/?${q}`);
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as { Code: string }).Code, 'SignatureNonceUsed');
  });

  test('both documented versions are accepted, others refused; XML and POST forms work', async () => {
    assert.equal((await fetch(`${emu.baseUrl}/?${signed({ Version: '2020-03-09' }, 'v1')}`)).status, 200);
    const bad = await fetch(`${emu.baseUrl}/?${signed({ Version: '2019-01-01' }, 'v2')}`);
    assert.equal(((await bad.json()) as { Code: string }).Code, 'InvalidVersion');
    const xml = await fetch(`${emu.baseUrl}/?${signed({ Format: 'XML' }, 'x1')}`);
    assert.match(xml.headers.get('content-type') ?? '', /xml/);
    assert.match(await xml.text(), /^<\?xml[^]*<ListCorpsResponse><RequestId>[^]*<Records><CorpId>100001<\/CorpId>/);
    const post = await fetch(`${emu.baseUrl}/`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: signed({}, 'p1', 'POST') });
    assert.equal(post.status, 200);
    const postSignedAsGet = await fetch(`${emu.baseUrl}/`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: signed({}, 'p2', 'GET') });
    assert.equal(((await postSignedAsGet.json()) as { Code: string }).Code, 'SignatureDoesNotMatch');
  });

  test('a missing parameter, an undocumented Action and a page too large are clear errors', async () => {
    await rejects(api.client.call(z.unknown(), { action: 'ListCorps', params: { PageSize: 1 }, read: true }), 'MissingParameter', 403);
    await rejects(api.client.call(z.unknown(), { action: 'DescribeRegions', read: true }), 'InvalidAction.NotFound', 404);
    await rejects(api.describeIpcs({ PageNum: 1, PageSize: 201 }), 'InvalidParameter', 400);
  });

  test('a malformed reply and a 5xx are reported, reads are retried', async () => {
    emu.faults.malformed = 1;
    await assert.rejects(api.listCorps({ PageNumber: 1, PageSize: 1 }), /invalid reply to ListCorps/);
    emu.faults.fail5xx = 1;
    assert.ok((await api.listCorps({ PageNumber: 1, PageSize: 1 })).TotalCount >= 2);
  });
});

describe('projects', () => {
  test('CreateCorp, fuzzy ListCorps and UpdateCorp round-trip; paging counts', async () => {
    const id = await api.createCorp({ CorpName: '测试项目 A', AppName: 'Vigil' });
    const found = await api.listCorps({ PageNumber: 1, PageSize: 10, CorpName: '测试项目' });
    assert.deepEqual(found.Records.map((c) => c.CorpId), [id]);
    await api.updateCorp({ CorpId: id, Description: '更新' });
    assert.equal((await api.listCorps({ PageNumber: 1, PageSize: 10, CorpName: '测试项目' })).Records[0]?.Description, '更新');
    const page2 = await api.listCorps({ PageNumber: 2, PageSize: 1 });
    assert.equal(page2.Records.length, 1);
    assert.ok(page2.TotalCount >= 3);
    await rejects(api.createCorp({ CorpName: 'x', AppName: '' }), 'MissingParameter');
  });
});

describe('devices and media', () => {
  test('the tree has corps, the NVR with its channels, and stand-alone IPCs with status', async () => {
    const vigil = new AliyunVcsPlatform(config, emu.credentials.accessKeySecret);
    const nodes = await vigil.tree();
    const nvr = nodes.find((n) => n.kind === 'device')!;
    assert.equal(nvr.name, '一号楼 NVR');
    assert.equal(nodes.filter((n) => n.parentId === nvr.id).length, 4);
    const corp = nodes.find((n) => n.name === '园区安防')!;
    const standalone = nodes.filter((n) => n.parentId === corp.id && n.kind === 'channel');
    assert.deepEqual(standalone.map((n) => n.status).sort(), ['offline', 'offline', 'online', 'online']);
    assert.equal(nodes.find((n) => n.name === '一号楼 通道1')?.ptz, true);
  });

  test('DescribeIpcs honours DeviceIdList > NvrIdList > CorpIdList and the ParentDeviceType filter', async () => {
    const nvr = (await api.describeNvrs({ PageNum: 1, PageSize: 10 })).Records[0]!;
    assert.equal(nvr.SubDeviceCount, '4');
    const channels = await api.describeIpcs({ PageNum: 1, PageSize: 10, NvrIdList: nvr.DeviceId, CorpIdList: '999' });
    assert.equal(channels.TotalCount, 4);
    const one = await api.describeIpcs({ PageNum: 1, PageSize: 10, DeviceIdList: channels.Records[0]!.DeviceId, NvrIdList: nvr.DeviceId });
    assert.equal(one.TotalCount, 1);
    const standalone = await api.describeIpcs({ PageNum: 1, PageSize: 10, ParentDeviceType: 'IPC', CorpIdList: nvr.CorpId });
    assert.ok(standalone.Records.every((d) => !d.ParentDeviceId));
  });

  test('live URLs: on-demand answers Retry until the pull is up (the adapter polls); continuous mode is immediate; offline fails', async () => {
    const vigil = new AliyunVcsPlatform(config, emu.credentials.accessKeySecret, fetch, (ms) => new Promise((r) => setTimeout(r, ms / 10)));
    const nodes = await vigil.tree();
    const south = nodes.find((n) => n.name === '南门')!;
    const deviceId = south.id.split(':')[2]!;
    await rejects(api.getDeviceLiveUrl({ DeviceId: deviceId, OutProtocol: 'httpsflv' }), 'Retry');
    const live = await vigil.liveSource(south.id, 'sub');
    assert.equal(live.protocol, 'flv');
    assert.match(live.url, /\.flv\?auth_key=\d+-0-0-/);
    const store = nodes.find((n) => n.name === '收银台')!;
    await api.setStreamMode({ DeviceIdList: store.id.split(':')[2]!, StreamMode: '1' });
    assert.ok((await api.getDeviceLiveUrl({ DeviceId: store.id.split(':')[2]!, OutProtocol: 'hls' })).Url.includes('.m3u8'));
    const offline = nodes.find((n) => n.name === '仓库')!;
    await rejects(vigil.liveSource(offline.id, 'sub'), 'Failed');
    await rejects(api.setStreamMode({ DeviceIdList: nodes.find((n) => n.kind === 'device')!.id.slice(4), StreamMode: '1' }), 'InvalidParameter');
  });

  test('recording URLs respect the storage/protocol table; snapshots are fetchable JPEGs', async () => {
    const vigil = new AliyunVcsPlatform(config, emu.credentials.accessKeySecret);
    const south = (await vigil.tree()).find((n) => n.name === '南门')!;
    const [, corpId, deviceId] = south.id.split(':') as [string, string, string];
    const now = Date.now();
    await rejects(api.getDeviceVideoUrl({ CorpId: corpId, DeviceId: deviceId, StorageType: '0', StartTime: now - 60_000, EndTime: now, OutProtocol: 'flv' }), 'InvalidParameter');
    const cloud = await vigil.playbackSource(south.id, 'cloud', now - 60_000, now);
    assert.equal(cloud.protocol, 'hls');
    const device = await api.getDeviceVideoUrl({ CorpId: corpId, DeviceId: deviceId, StorageType: '1', StartTime: now - 60_000, EndTime: now, OutProtocol: 'flv' });
    assert.match(device.Url, /\.flv\?/);
    const pic = await fetch(await vigil.snapshotUrl(south.id));
    assert.equal(pic.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual([...new Uint8Array(await pic.arrayBuffer()).slice(0, 2)], [0xff, 0xd8]);
  });

  test('DeleteDevices reports per device and takes channels with their NVR', async () => {
    const nvr = (await api.describeNvrs({ PageNum: 1, PageSize: 10 })).Records[0]!;
    const r = await api.deleteDevices([nvr.DeviceId, '00000000000000000000']);
    assert.deepEqual(r.map((d) => d.Code), ['200', 'DeviceNotFound']);
    assert.equal((await api.describeIpcs({ PageNum: 1, PageSize: 10, NvrIdList: nvr.DeviceId })).TotalCount, 0);
  });

  test('Test connection reports projects, and a wrong secret as a failure', async () => {
    const ok = await new AliyunVcsPlatform(config, emu.credentials.accessKeySecret).testConnection();
    assert.equal(ok.status, 'ok');
    const bad = await new AliyunVcsPlatform(config, 'nope').testConnection();
    assert.equal(bad.status, 'failed');
    assert.match(bad.message, /SignatureDoesNotMatch/);
    assert.ok(!bad.message.includes('nope'));
  });
});
