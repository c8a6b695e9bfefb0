import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';
import { rejectsWithCode } from '../helpers/platform';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { AppError } from '../../main/errors';
import { AliyunVcsPlatform } from '../../main/platforms/aliyun-vcs';
import { VcsAnalysisApi } from '../../main/platforms/aliyun-vcs/api-analysis';
import { VcsApi } from '../../main/platforms/aliyun-vcs/api';
import { VcsClient, type VcsConfig } from '../../main/platforms/aliyun-vcs/client';
import { VcsDataServiceApi } from '../../main/platforms/aliyun-vcs/api-dataservice';
import { rpcTimestamp, signedQuery } from '../../main/platforms/aliyun-vcs/sign';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';

// Alibaba VCS client and adapter against the emulator over real HTTP on loopback.

let emu: VcsEmulator;
let config: VcsConfig;
let api: VcsApi;

before(async () => {
  emu = await new VcsEmulator({ warmupMs: 150 }).start();
  config = {
    platform: 'aliyun-vcs',
    regionId: 'cn-hangzhou',
    endpoint: emu.baseUrl,
    accessKeyId: emu.credentials.accessKeyId,
  };
  api = new VcsApi(new VcsClient(config, emu.credentials.accessKeySecret));
});
after(() => emu.stop());

const rejects = rejectsWithCode;

/** A hand-signed request, to replay nonces and try other formats and versions. */
function signed(extra: Record<string, string>, nonce: string, method = 'GET'): string {
  const params = {
    Action: 'ListCorps',
    Format: 'JSON',
    Version: '2020-05-15',
    AccessKeyId: emu.credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce,
    Timestamp: rpcTimestamp(new Date()),
    PageNumber: '1',
    PageSize: '10',
    ...extra,
  };
  return signedQuery({ method, params, accessKeySecret: emu.credentials.accessKeySecret });
}

describe('signature and common parameters', () => {
  test('a signed call passes; wrong secret, unknown key and a skewed clock fail with the platform codes', async () => {
    assert.ok((await api.listCorps({ PageNumber: 1, PageSize: 10 })).TotalCount >= 2);
    await rejects(
      new VcsApi(new VcsClient(config, 'wrong-secret')).listCorps({ PageNumber: 1, PageSize: 1 }),
      'SignatureDoesNotMatch',
      400,
    );
    await rejects(
      new VcsApi(new VcsClient({ ...config, accessKeyId: 'LTAIunknown' }, emu.credentials.accessKeySecret)).listCorps({
        PageNumber: 1,
        PageSize: 1,
      }),
      'InvalidAccessKeyId.NotFound',
      404,
    );
    const skewed = new VcsApi(
      new VcsClient(config, emu.credentials.accessKeySecret, fetch, () => Date.now() - 16 * 60_000),
    );
    await rejects(skewed.listCorps({ PageNumber: 1, PageSize: 1 }), 'InvalidTimeStamp.Expired', 400);
    const slightlyOff = new VcsApi(
      new VcsClient(config, emu.credentials.accessKeySecret, fetch, () => Date.now() - 10 * 60_000),
    );
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
    const post = await fetch(`${emu.baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: signed({}, 'p1', 'POST'),
    });
    assert.equal(post.status, 200);
    const postSignedAsGet = await fetch(`${emu.baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: signed({}, 'p2', 'GET'),
    });
    assert.equal(((await postSignedAsGet.json()) as { Code: string }).Code, 'SignatureDoesNotMatch');
  });

  test('a missing parameter, an undocumented Action and a page too large are clear errors', async () => {
    await rejects(
      api.client.call(z.unknown(), { action: 'ListCorps', params: { PageSize: 1 }, read: true }),
      'MissingParameter',
      403,
    );
    await rejects(
      api.client.call(z.unknown(), { action: 'DescribeUnicorns', read: true }),
      'InvalidAction.NotFound',
      404,
    );
    await rejects(api.describeIpcs({ PageNum: 1, PageSize: 201 }), 'InvalidParameter', 400);
  });

  test('a malformed reply and a 5xx are reported, reads are retried', async () => {
    emu.faults.malformed = 1;
    await assert.rejects(api.listCorps({ PageNumber: 1, PageSize: 1 }), /invalid reply to ListCorps/);
    emu.faults.fail5xx = 1;
    assert.ok((await api.listCorps({ PageNumber: 1, PageSize: 1 })).TotalCount >= 2);
  });

  test('a retried read is signed anew: fresh SignatureNonce and Timestamp (seed 000 签名机制: 在不同请求间要使用不同的随机数值)', async () => {
    // The platform took the request (and its nonce) but the answer was lost as a 503: the retry must not replay it.
    const seen: string[] = [];
    let lost = 1;
    const flaky = (async (input: string | URL | Request, init?: RequestInit) => {
      const res = await fetch(input, init);
      const url = new URL(String(input));
      seen.push(url.searchParams.get('SignatureNonce') ?? '');
      if (lost-- > 0) return new Response('{"Code":"ServiceUnavailable"}', { status: 503 });
      return res;
    }) as typeof fetch;
    const r = await new VcsApi(new VcsClient(config, emu.credentials.accessKeySecret, flaky)).listCorps({
      PageNumber: 1,
      PageSize: 1,
    });
    assert.ok(r.TotalCount >= 2);
    assert.equal(seen.length, 2);
    assert.notEqual(seen[0], seen[1]);
  });
});

describe('projects', () => {
  test('CreateCorp, fuzzy ListCorps and UpdateCorp round-trip; paging counts', async () => {
    const id = await api.createCorp({ CorpName: '测试项目 A', AppName: 'Vigil' });
    const found = await api.listCorps({ PageNumber: 1, PageSize: 10, CorpName: '测试项目' });
    assert.deepEqual(
      found.Records.map((c) => c.CorpId),
      [id],
    );
    await api.updateCorp({ CorpId: id, Description: '更新' });
    assert.equal(
      (await api.listCorps({ PageNumber: 1, PageSize: 10, CorpName: '测试项目' })).Records[0]?.Description,
      '更新',
    );
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
    const one = await api.describeIpcs({
      PageNum: 1,
      PageSize: 10,
      DeviceIdList: channels.Records[0]!.DeviceId,
      NvrIdList: nvr.DeviceId,
    });
    assert.equal(one.TotalCount, 1);
    const standalone = await api.describeIpcs({
      PageNum: 1,
      PageSize: 10,
      ParentDeviceType: 'IPC',
      CorpIdList: nvr.CorpId,
    });
    assert.ok(standalone.Records.every((d) => !d.ParentDeviceId));
  });

  test('live URLs: on-demand answers Retry until the pull is up (the adapter polls); continuous mode is immediate; offline fails', async () => {
    const vigil = new AliyunVcsPlatform(
      config,
      emu.credentials.accessKeySecret,
      fetch,
      (ms) => new Promise((r) => setTimeout(r, ms / 10)),
    );
    const nodes = await vigil.tree();
    const south = nodes.find((n) => n.name === '南门')!;
    const deviceId = south.id.split(':')[2]!;
    await rejects(api.getDeviceLiveUrl({ DeviceId: deviceId, OutProtocol: 'httpsflv' }), 'Retry');
    const live = await vigil.liveSource(south.id, 'sub');
    assert.equal(live.protocol, 'flv');
    assert.match(live.url, /\.flv\?auth_key=\d+-0-0-/);
    const store = nodes.find((n) => n.name === '收银台')!;
    await api.setStreamMode({ DeviceIdList: store.id.split(':')[2]!, StreamMode: '1' });
    assert.ok(
      (await api.getDeviceLiveUrl({ DeviceId: store.id.split(':')[2]!, OutProtocol: 'hls' })).Url.includes('.m3u8'),
    );
    const offline = nodes.find((n) => n.name === '仓库')!;
    await rejects(vigil.liveSource(offline.id, 'sub'), 'Failed');
    await rejects(
      api.setStreamMode({ DeviceIdList: nodes.find((n) => n.kind === 'device')!.id.slice(4), StreamMode: '1' }),
      'InvalidParameter',
    );
  });

  test('recording URLs respect the storage/protocol table; snapshots are fetchable JPEGs', async () => {
    const vigil = new AliyunVcsPlatform(config, emu.credentials.accessKeySecret);
    const south = (await vigil.tree()).find((n) => n.name === '南门')!;
    const [, corpId, deviceId] = south.id.split(':') as [string, string, string];
    const now = Date.now();
    await rejects(
      api.getDeviceVideoUrl({
        CorpId: corpId,
        DeviceId: deviceId,
        StorageType: '0',
        StartTime: now - 60_000,
        EndTime: now,
        OutProtocol: 'flv',
      }),
      'InvalidParameter',
    );
    const cloud = await vigil.playbackSource(south.id, 'cloud', now - 60_000, now);
    assert.equal(cloud.protocol, 'hls');
    const device = await api.getDeviceVideoUrl({
      CorpId: corpId,
      DeviceId: deviceId,
      StorageType: '1',
      StartTime: now - 60_000,
      EndTime: now,
      OutProtocol: 'flv',
    });
    assert.match(device.Url, /\.flv\?/);
    const pic = await fetch(await vigil.snapshotUrl(south.id));
    assert.equal(pic.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual([...new Uint8Array(await pic.arrayBuffer()).slice(0, 2)], [0xff, 0xd8]);
  });

  test('DeleteDevices reports per device and takes channels with their NVR', async () => {
    const nvr = (await api.describeNvrs({ PageNum: 1, PageSize: 10 })).Records[0]!;
    const r = await api.deleteDevices([nvr.DeviceId, '00000000000000000000']);
    assert.deepEqual(
      r.map((d) => d.Code),
      ['200', 'DeviceNotFound'],
    );
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

describe('device administration (§3.2.1–3)', () => {
  test('CreateDevice: an NVR with channels returns the GB28181 registration values; channels wait for registration', async () => {
    const corp = await api.createCorp({ CorpName: '安装测试', AppName: 'Vigil' });
    const reg = await api.createDevice({
      CorpId: corp,
      DeviceType: 'NVR',
      DataSourceType: 'VIDEO',
      DeviceName: '新 NVR',
      DeviceAddress: '浙江省杭州市',
      SubDeviceCount: 3,
    });
    assert.match(reg.DeviceId, /^\d{20}$/);
    assert.ok(reg.ServerId && reg.ServerIp && reg.ServerPort && reg.ServerRealm && reg.Password);
    assert.equal(reg.SubDeviceInfo.length, 3);
    const channels = await api.describeIpcs({ PageNum: 1, PageSize: 10, NvrIdList: reg.DeviceId });
    assert.deepEqual(
      channels.Records.map((c) => c.DeviceStatus),
      ['2', '2', '2'],
    );
    const more = await api.createDevice({
      CorpId: corp,
      DeviceType: 'IPC',
      DataSourceType: 'VIDEO',
      DeviceName: '扩展',
      DeviceAddress: '浙江省杭州市',
      ParentDeviceId: reg.DeviceId,
      SubDeviceCount: 2,
      SubDeviceIdList: '33011000001320000901, 33011000001320000902',
    });
    assert.deepEqual(
      more.SubDeviceInfo.map((s) => s.SubDeviceId),
      ['33011000001320000901', '33011000001320000902'],
    );
    assert.equal(
      (await api.describeNvrs({ PageNum: 1, PageSize: 10, NvrDeviceIdList: reg.DeviceId })).Records[0]?.SubDeviceCount,
      '5',
    );
    await rejects(
      api.createDevice({
        CorpId: corp,
        DeviceType: 'NVR',
        DataSourceType: 'VIDEO',
        DeviceName: 'x',
        DeviceAddress: 'y',
      }),
      'MissingParameter',
      403,
    );
    await rejects(
      api.createDevice({
        CorpId: corp,
        DeviceType: 'IPC',
        DataSourceType: 'VIDEO',
        DeviceName: 'x',
        DeviceAddress: 'y',
        InProtocol: 'SAPI',
      }),
      'MissingParameter',
    );
    await rejects(
      api.createDevice({
        CorpId: corp,
        DeviceType: 'IPC',
        DataSourceType: 'VIDEO',
        DeviceName: 'x',
        DeviceAddress: 'y',
        Longitude: '200',
      }),
      'InvalidParameter',
    );
  });

  test('ModifyDevice patches attributes; bad values are refused', async () => {
    const cam = (await api.describeIpcs({ PageNum: 1, PageSize: 1, ParentDeviceType: 'IPC' })).Records[0]!;
    await api.modifyDevice({ DeviceId: cam.DeviceId, DeviceName: '改名', FrameRate: '15', DeviceSite: '东门门口' });
    const after = (await api.describeIpcs({ PageNum: 1, PageSize: 1, DeviceIdList: cam.DeviceId })).Records[0]!;
    assert.equal(after.DeviceName, '改名');
    assert.equal(after.FrameRate, '15');
    await rejects(api.modifyDevice({ DeviceId: cam.DeviceId, EncodeFormat: '7' }), 'InvalidParameter');
    await rejects(api.modifyDevice({ DeviceId: cam.DeviceId, DeviceName: 'x'.repeat(65) }), 'InvalidParameter');
  });
});

describe('analysis and data sources (§3.3, §3.4)', () => {
  let analysis: VcsAnalysisApi;
  before(() => {
    analysis = new VcsAnalysisApi(new VcsClient(config, emu.credentials.accessKeySecret));
  });

  test('newer instances: create, describe with merged periods, cameras add/remove idempotently, bound devices cannot be deleted, delete all-or-nothing', async () => {
    const corp = (await api.listCorps({ PageNumber: 1, PageSize: 1 })).Records[0]!.CorpId;
    const { InstanceId } = await analysis.createAIInstance({
      InstanceName: '人脸 抓拍_1',
      ProjectId: corp,
      AlgorithmId: '1',
      AlgorithmName: '人脸图片算法',
      InstanceType: 'Normal',
      Spf: 5,
      schedule: {
        ScheduleType: 'EVERY_WEEK',
        days: [1, 4, 6],
        ScheduleTimes: [
          { StartTime: '10:00:00', EndTime: '12:00:00' },
          { StartTime: '11:00:00', EndTime: '14:00:00' },
        ],
      },
    });
    const found = await analysis.describeAIInstances({ PageNumber: 1, PageSize: 10, InstanceId });
    assert.equal(found.TotalCount, 1);
    assert.deepEqual(found.Records[0]!.ScheduleTimes, [{ StartTime: '10:00:00', EndTime: '14:00:00' }]);
    assert.deepEqual(found.Records[0]!.ScheduleCycleDates, [1, 4, 6]);
    const cams = (
      await api.describeIpcs({ PageNum: 1, PageSize: 2, ParentDeviceType: 'IPC', CorpIdList: corp })
    ).Records.map((d) => d.DeviceId);
    await analysis.addCameras(InstanceId, cams);
    await analysis.addCameras(InstanceId, cams.slice(0, 1));
    assert.equal((await analysis.cameras({ InstanceId, PageNumber: 1, PageSize: 10 })).TotalCount, 2);
    await rejects(analysis.addCameras(InstanceId, ['00000000000000000000']), 'InvalidParameter');
    const [bound] = await api.deleteDevices([cams[0]!]);
    assert.equal(bound?.Code, 'InstanceAlreadyBind');
    await analysis.removeCameras(InstanceId, [cams[0]!, '00000000000000000000']);
    assert.equal((await analysis.cameras({ InstanceId, PageNumber: 1, PageSize: 10 })).TotalCount, 1);
    await rejects(analysis.describeAIInstances({ PageNumber: 1, PageSize: 10 }), 'MissingParameter');
    await rejects(
      analysis.createAIInstance({
        InstanceName: 'x',
        ProjectId: corp,
        AlgorithmId: '1',
        AlgorithmName: 'a',
        InstanceType: 'Normal',
        Spf: 5,
        Fps: 5,
        schedule: { ScheduleType: 'LONG_RUNNING' },
      }),
      'InvalidParameter',
    );
    await rejects(analysis.deleteAIInstances([InstanceId, '999999']), 'InvalidParameter');
    assert.equal((await analysis.describeAIInstances({ PageNumber: 1, PageSize: 10, InstanceId })).TotalCount, 1);
    await analysis.deleteAIInstances([InstanceId]);
    assert.equal((await analysis.describeAIInstances({ PageNumber: 1, PageSize: 10, InstanceId })).TotalCount, 0);
  });

  test('older instances: create, list with CurrentPage, overlapping periods refused, delete needs the project', async () => {
    const { InstanceId } = await analysis.createComputeInstance({
      InstanceName: '这是一个任务',
      AlgorithmType: 'REALTIME_STREAM',
      ProjectId: '100001',
      Devices: [{ DeviceId: '1', StartStream: true }],
      Algorithms: [{ AlgorithmId: '1', AlgorithmName: '人脸算法' }],
      schedule: { ScheduleType: 'EVERYDAY', ScheduleTimes: [{ StartTime: '10:00:00', EndTime: '11:00:00' }] },
    });
    const list = await analysis.listInstances({ ProjectId: '100001', CurrentPage: 1, PageSize: 10 });
    assert.equal(list.Items.find((i) => i.InstanceId === InstanceId)?.Status, 'APPROVED');
    await rejects(
      analysis.createComputeInstance({
        InstanceName: 'x',
        AlgorithmType: 'PICTURE',
        Devices: [{ DeviceId: '1', StartStream: false }],
        Algorithms: [{ AlgorithmId: '1', AlgorithmName: 'a' }],
        schedule: {
          ScheduleType: 'EVERYDAY',
          ScheduleTimes: [
            { StartTime: '10:00:00', EndTime: '12:00:00' },
            { StartTime: '11:00:00', EndTime: '13:00:00' },
          ],
        },
      }),
      'InvalidParameter',
    );
    await rejects(analysis.batchDeleteInstance('999', [InstanceId]), 'InvalidParameter');
    await analysis.batchDeleteInstance('100001', [InstanceId]);
    assert.equal(
      (await analysis.listInstances({ ProjectId: '100001' })).Items.some((i) => i.InstanceId === InstanceId),
      false,
    );
  });

  test('data sources: URL rules, upload by Base64 (MD5 checked, sent as POST) or OSS path, storage Data=false for unknown devices', async () => {
    const corp = (await api.listCorps({ PageNumber: 1, PageSize: 1 })).Records[0]!.CorpId;
    await rejects(
      analysis.addDataSource({ CorpId: corp, DataSourceName: 'v', DataSourceType: 'VIDEO' }),
      'MissingParameter',
    );
    await rejects(
      analysis.addDataSource({ CorpId: corp, DataSourceName: 'v', DataSourceType: 'VIDEO', Url: 'ftp://x/y.mp4' }),
      'InvalidParameter',
    );
    const video = await analysis.addDataSource({
      CorpId: corp,
      DataSourceName: 'v',
      DataSourceType: 'VIDEO',
      Url: 'rtmp://vec.example.cn/live/test1?auth_key=1640232029-0-0-d92f910ad2ce84c0e96e266584d5bb20',
    });
    assert.match(video.DataSourceId, /^ds_/);
    await analysis.updateDataSource({
      DataSourceId: video.DataSourceId,
      DataSourceName: 'v2',
      Url: 'https://vec.example.cn/live/test1.m3u8?auth_key=1',
    });
    const pics = await analysis.addDataSource({ CorpId: corp, DataSourceName: 'p', DataSourceType: 'PIC' });
    const content = Buffer.from('not really a jpeg').toString('base64');
    const md5 = createHash('md5').update('not really a jpeg').digest('hex').toUpperCase();
    const [rec] = await analysis.uploadFile({
      DataSourceId: pics.DataSourceId,
      FileType: 'PIC',
      FileName: 'a.jpeg',
      FileContent: content,
      MD5: md5,
    });
    assert.match(rec!.SourceId, /^dsf_/);
    assert.equal(emu.calls.at(-1)?.method, 'POST');
    await rejects(
      analysis.uploadFile({
        DataSourceId: pics.DataSourceId,
        FileType: 'PIC',
        FileName: 'a.jpeg',
        FileContent: content,
        MD5: '00',
      }),
      'InvalidParameter',
    );
    const [oss] = await analysis.uploadFile({
      DataSourceId: pics.DataSourceId,
      FileType: 'PIC',
      FileName: 'b.jpeg',
      FilePath: 'http://vcs-dev.oss-cn-hangzhou.aliyuncs.com/pic_algo1344371/12',
    });
    assert.equal(oss!.OssPath, 'vcs-dev/pic_algo1344371/12');
    const cam = (await api.describeIpcs({ PageNum: 1, PageSize: 1, ParentDeviceType: 'IPC' })).Records[0]!.DeviceId;
    assert.equal(
      await analysis.updateDevicesStorage([
        { DeviceIds: [cam], StorageDays: [{ StorageType: 'VIDEO', StorageDays: 30 }] },
      ]),
      true,
    );
    assert.equal(emu.analysis.storage.get(`${cam}/VIDEO`), 30);
    assert.equal(
      await analysis.updateDevicesStorage([
        { DeviceIds: ['00000000000000000000'], StorageDays: [{ StorageType: 'VIDEO', StorageDays: 7 }] },
      ]),
      false,
    );
  });
});

describe('data service (§3.5)', () => {
  let data: VcsDataServiceApi;
  let corp: string;
  before(async () => {
    data = new VcsDataServiceApi(new VcsClient(config, emu.credentials.accessKeySecret));
    corp = (await api.listCorps({ PageNumber: 1, PageSize: 1 })).Records[0]!.CorpId;
  });

  test('SearchTarget by attributes (AND, only named attributes returned, ordered) and by image (similarity, threshold, POST for Base64)', async () => {
    const all = await data.search({ CorpId: corp, TargetType: 'Face', PageNumber: 1, PageSize: 100 });
    assert.ok(all.TotalCount > 0);
    const women = await data.search({
      CorpId: corp,
      TargetType: 'Face',
      PageNumber: 1,
      PageSize: 100,
      attributes: [{ Key: 'GenderCode', Value: ['2'], Score: 0.5 }],
      order: 'Asc',
    });
    assert.ok(women.TotalCount > 0 && women.TotalCount < all.TotalCount);
    const hit = women.Records[0]!;
    assert.deepEqual(Array.isArray(hit.TargetAttributes) ? hit.TargetAttributes.map((a) => a.Key) : [], ['GenderCode']);
    assert.ok(women.Records.every((r, i) => i === 0 || r.Timestamp >= women.Records[i - 1]!.Timestamp));
    const byImage = await data.search({
      CorpId: corp,
      TargetType: 'Face',
      PageNumber: 1,
      PageSize: 100,
      imageBase64: Buffer.from('face').toString('base64'),
      similarity: 0.8,
    });
    assert.ok(byImage.Records.every((r) => (r.TargetImageSimilarity ?? 0) >= 0.8));
    assert.equal(emu.calls.at(-1)?.method, 'POST');
    const pic = await fetch(byImage.Records[0]?.TargetImageUrl ?? all.Records[0]!.TargetImageUrl!);
    assert.equal(pic.headers.get('content-type'), 'image/jpeg');
    await rejects(data.search({ CorpId: corp, TargetType: 'Face', PageNumber: 101, PageSize: 10 }), 'InvalidParameter');
    await rejects(
      data.search({
        CorpId: corp,
        TargetType: 'Face',
        PageNumber: 1,
        PageSize: 10,
        imageUrl: `http://x/${'a'.repeat(1100)}`,
      }),
      'InvalidParameter',
    );
    await rejects(
      data.search({
        CorpId: corp,
        TargetType: 'Face',
        PageNumber: 1,
        PageSize: 10,
        imageBase64: Buffer.alloc(600 * 1024).toString('base64'),
      }),
      'InvalidParameter',
    );
    await rejects(
      data.search({
        CorpId: corp,
        TargetType: 'Face',
        PageNumber: 1,
        PageSize: 10,
        attributes: Array.from({ length: 21 }, () => ({ Key: 'GenderCode', Value: ['1'] })),
      }),
      'InvalidParameter',
    );
  });

  test('watch policies and items: create, update, describe; seeded items removed (unknown IDs count as removed)', async () => {
    const id = await data.createWatchPolicy({
      WatchPolicyName: '黑名单',
      WatchMode: 'NotifyIfInList',
      TargetType: 'Face',
      SimilarityThreshold: 0.92,
      ItemMatchType: 'ByImage',
    });
    await data.updateWatchPolicy({ WatchPolicyId: id, WatchMode: 'NotifyAnyway' });
    assert.equal(
      (await data.describeWatchPolicies({ PageNumber: 1, PageSize: 10, ids: [id] })).Records[0]?.WatchMode,
      'NotifyAnyway',
    );
    await rejects(data.updateWatchPolicy({ WatchPolicyId: id, SimilarityThreshold: 1 }), 'InvalidParameter');
    const seeded = (await data.describeWatchPolicies({ PageNumber: 1, PageSize: 100 })).Records.find(
      (p) => p.WatchPolicyName === '重点人员',
    )!;
    const items = await data.describeWatchItems({ WatchPolicyId: seeded.WatchPolicyId, PageNumber: 1, PageSize: 10 });
    assert.equal(items.TotalCount, 3);
    const removed = await data.removeWatchItems(seeded.WatchPolicyId, [items.Records[0]!.WatchItemId, 'nope']);
    assert.deepEqual(removed, { deleted: [items.Records[0]!.WatchItemId, 'nope'], failed: [] });
    assert.equal(
      (await data.describeWatchItems({ WatchPolicyId: seeded.WatchPolicyId, PageNumber: 1, PageSize: 10 })).TotalCount,
      2,
    );
    await data.deleteWatchPolicies([id]);
    assert.equal((await data.describeWatchPolicies({ PageNumber: 1, PageSize: 10, ids: [id] })).TotalCount, 0);
  });

  test('watch tasks: devices must belong to the project, periods must not overlap, the Kafka password is never returned', async () => {
    const policy = (await data.describeWatchPolicies({ PageNumber: 1, PageSize: 1 })).Records[0]!.WatchPolicyId;
    const devices = (await api.describeIpcs({ PageNum: 1, PageSize: 2, CorpIdList: corp })).Records.map(
      (d) => d.DeviceId,
    );
    const receiver = {
      MessageQueue: 'Kafka' as const,
      Config: {
        BootstrapServers: '127.0.0.1:9092,127.0.0.2:9092',
        Topic: 'topic_for_put_message',
        Authorization: 'SASL' as const,
        SASL: { Type: 'PLAIN' as const, Username: 'u', Password: 'kafka-secret-pw' },
      },
    };
    const id = await data.createWatchTask(corp, {
      TaskName: '入侵',
      DeviceList: devices,
      ScheduleType: 'EVERY_WEEK',
      ScheduleCycleDates: [1, 4, 6],
      ScheduleTimes: [
        { StartTime: '10:00:00', EndTime: '11:00:00' },
        { StartTime: '12:00:00', EndTime: '12:00:00' },
      ],
      WatchPolicyIds: [policy],
      MessageReceiver: receiver,
    });
    const task = (await data.describeWatchTasks({ PageNumber: 1, PageSize: 10, ids: [id] })).Records[0]!;
    assert.deepEqual(task.DeviceList, devices);
    assert.deepEqual(task.ScheduleCycleDates, [1, 4, 6]);
    assert.ok(!JSON.stringify(task).includes('kafka-secret-pw'));
    const other = (await api.listCorps({ PageNumber: 1, PageSize: 10 })).Records.find(
      (c) => c.CorpName === '门店',
    )!.CorpId;
    const stranger = (await api.describeIpcs({ PageNum: 1, PageSize: 1, CorpIdList: other })).Records[0]!.DeviceId;
    await rejects(data.updateWatchTask(id, { DeviceList: [stranger] }), 'InvalidParameter');
    await rejects(
      data.updateWatchTask(id, {
        ScheduleTimes: [
          { StartTime: '10:00:00', EndTime: '11:00:00' },
          { StartTime: '10:30:00', EndTime: '11:30:00' },
        ],
      }),
      'InvalidParameter',
    );
    await rejects(
      data.createWatchTask(corp, {
        ScheduleType: 'LONG_RUNNING',
        WatchPolicyIds: Array.from({ length: 11 }, () => policy),
        MessageReceiver: receiver,
      }),
      'InvalidParameter',
    );
    await data.updateWatchTask(id, { DeviceList: 'ALL', TaskName: '全部' });
    assert.equal(
      (await data.describeWatchTasks({ PageNumber: 1, PageSize: 10, ids: [id] })).Records[0]?.DeviceList,
      'ALL',
    );
    await data.deleteWatchTasks([id]);
    assert.equal((await data.describeWatchTasks({ PageNumber: 1, PageSize: 10, ids: [id] })).TotalCount, 0);
  });
});

describe('XML replies', () => {
  test('an XML error (as gateways send) is read into Code/Message/RequestId; an XML success is reported as unexpected', async () => {
    const xmlFetch =
      (status: number, body: string): typeof fetch =>
      async () =>
        new Response(body, { status, headers: { 'Content-Type': 'application/xml' } });
    const error = new VcsApi(
      new VcsClient(
        config,
        's',
        xmlFetch(
          400,
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><RequestId>R-1</RequestId><HostId>vcs</HostId><Code>Throttling.User</Code><Message>Request was denied due to user flow control.</Message></Error>',
        ),
      ),
    );
    await assert.rejects(
      error.listCorps({ PageNumber: 1, PageSize: 1 }),
      (e: unknown) =>
        e instanceof AppError &&
        e.details?.vendorCode === 'Throttling.User' &&
        e.details.requestId === 'R-1' &&
        /flow control/.test(e.message),
    );
    const ok = new VcsApi(
      new VcsClient(
        config,
        's',
        xmlFetch(200, '<ListCorpsResponse><RequestId>R-2</RequestId><Code>200</Code></ListCorpsResponse>'),
      ),
    );
    await assert.rejects(ok.listCorps({ PageNumber: 1, PageSize: 1 }), /XML reply where JSON was asked for/);
  });
});

describe('watch lists in the target-library editor (issue 11)', () => {
  test('one account-wide scope; policies are groups with item counts; items list with pictures fetched by main or attributes as text; remove only', async () => {
    const { core } = makeCore({ vault: new MemoryVault() });
    const accountId = await addAccount(core, 'VCS lists', { config, secret: emu.credentials.accessKeySecret });
    const scopes = await core.call('targets:scopes', { accountId });
    assert.deepEqual(scopes.ok && scopes.result, { scopes: [{ id: 'account', name: 'Watch policies' }] });
    type State = {
      family: string;
      actions: { addTargets: boolean };
      groups: Array<{ id: string; name: string; count: number }>;
    };
    const state = await core.call('targets:groups', { accountId, deviceId: 'account' });
    assert.ok(state.ok, JSON.stringify(state));
    const s = state.result as State;
    assert.equal(s.family, 'VCS');
    assert.equal(s.actions.addTargets, false);
    const group = s.groups.find((g) => g.name === '重点人员')!;
    assert.ok(group.count >= 2);
    const list = await core.call('targets:list', {
      accountId,
      deviceId: 'account',
      groupId: group.id,
      start: 0,
      count: 20,
    });
    const targets =
      (list.ok &&
        (
          list.result as {
            targets: Array<{ id: string; name: string; picture?: string; details?: string }>;
            total: number;
          }
        ).targets) ||
      [];
    assert.equal(targets.length, group.count);
    assert.ok(
      targets.some((t) => t.picture?.startsWith('data:image/jpeg;base64,')),
      'pictures are fetched by main',
    );
    assert.ok(
      targets.some((t) => t.details === 'GenderCode=1'),
      'attribute items read as text',
    );
    const add = await core.call('targets:add', {
      accountId,
      deviceId: 'account',
      groupId: group.id,
      targets: [{ name: 'x', gender: 'male', picture: 'AAAA' }],
    });
    assert.equal(add.ok ? null : add.error.code, 'NOT_AVAILABLE');
    const removed = await core.call('targets:delete', {
      accountId,
      deviceId: 'account',
      groupId: group.id,
      ids: [targets[0]!.id],
    });
    assert.ok(removed.ok && (removed.result as { results: Array<{ ok: boolean }> }).results[0]!.ok);
    const after = await core.call('targets:groups', { accountId, deviceId: 'account' });
    assert.equal(after.ok && (after.result as State).groups.find((g) => g.id === group.id)!.count, group.count - 1);
    const created = await core.call('targets:createGroup', {
      accountId,
      deviceId: 'account',
      name: '新策略',
      type: 'Body',
    });
    const made = (created.ok && (created.result as State).groups.find((g) => g.name === '新策略')) || null;
    assert.ok(made);
    const renamed = await core.call('targets:updateGroup', {
      accountId,
      deviceId: 'account',
      groupId: made.id,
      name: '新策略_2',
      enabled: false,
    });
    assert.ok(
      renamed.ok && (renamed.result as State).groups.some((g) => g.name === '新策略_2'),
      JSON.stringify(renamed),
    );
    const gone = await core.call('targets:deleteGroup', { accountId, deviceId: 'account', groupId: made.id });
    assert.ok(gone.ok && !(gone.result as State).groups.some((g) => g.id === made.id));
  });

  test('policy names: 64 characters are allowed (seed 001 CreateWatchPolicy: 0~64), and two policies may share a name', async () => {
    const { core } = makeCore({ vault: new MemoryVault() });
    const accountId = await addAccount(core, 'VCS names', { config, secret: emu.credentials.accessKeySecret });
    type State = { maxGroupName: number; groups: Array<{ id: string; name: string }> };
    const name = '策'.repeat(64);
    const long = await core.call('targets:createGroup', { accountId, deviceId: 'account', name });
    assert.ok(long.ok, JSON.stringify(long));
    assert.equal((long.result as State).maxGroupName, 64);
    const again = await core.call('targets:createGroup', { accountId, deviceId: 'account', name });
    assert.ok(again.ok, JSON.stringify(again));
    const alike = (again.result as State).groups.filter((g) => g.name === name);
    assert.equal(alike.length, 2);
    const tooLong = await core.call('targets:createGroup', { accountId, deviceId: 'account', name: `${name}策` });
    assert.equal(tooLong.ok ? null : tooLong.error.code, 'VALIDATION');
    for (const g of alike) await core.call('targets:deleteGroup', { accountId, deviceId: 'account', groupId: g.id });
  });
});
