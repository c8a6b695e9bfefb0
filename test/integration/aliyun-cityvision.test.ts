import assert from 'node:assert/strict';
import { rejectsWithCode } from '../helpers/platform';
import { after, before, describe, test } from 'node:test';
import { CityVisionApi } from '../../main/platforms/aliyun-vcs/api-cityvision';
import { VcsClient, type VcsConfig } from '../../main/platforms/aliyun-vcs/client';
import { rpcTimestamp, signedQuery } from '../../main/platforms/aliyun-vcs/sign';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';

// City Visual Intelligence Engine (Version 2018-10-30) against the shared Alibaba emulator: every
// Action group with one documented error each, the version split and the flat list envelopes.

let emu: VcsEmulator;
let cv: CityVisionApi;
const INSTANCE = 'cityvisual-demo0001';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  emu = await new VcsEmulator({ transitionMs: 50 }).start();
  const config: VcsConfig = {
    platform: 'aliyun-vcs',
    regionId: 'cn-shanghai',
    endpoint: emu.baseUrl,
    accessKeyId: emu.credentials.accessKeyId,
  };
  cv = new CityVisionApi(new VcsClient(config, emu.credentials.accessKeySecret), 'cn-shanghai');
});
after(() => emu.stop());

const rejects = rejectsWithCode;

describe('City Visual Intelligence', () => {
  test('the Action decides the family: 2018-10-30 for City Visual, VCS versions refused there; XML errors use <Error>', async () => {
    const sign = (action: string, version: string, nonce: string, extra: Record<string, string> = {}) =>
      signedQuery({
        method: 'GET',
        accessKeySecret: emu.credentials.accessKeySecret,
        params: {
          Action: action,
          Format: 'JSON',
          Version: version,
          AccessKeyId: emu.credentials.accessKeyId,
          SignatureMethod: 'HMAC-SHA1',
          SignatureVersion: '1.0',
          SignatureNonce: nonce,
          Timestamp: rpcTimestamp(new Date()),
          ...extra,
        },
      });
    assert.equal((await fetch(`${emu.baseUrl}/?${sign('DescribeRegions', '2018-10-30', 'c1')}`)).status, 200);
    const wrong = await (await fetch(`${emu.baseUrl}/?${sign('DescribeRegions', '2020-05-15', 'c2')}`)).json();
    assert.equal((wrong as { Code: string }).Code, 'InvalidVersion');
    const vcsWithCv = await (
      await fetch(`${emu.baseUrl}/?${sign('ListCorps', '2018-10-30', 'c3', { PageNumber: '1', PageSize: '1' })}`)
    ).json();
    assert.equal((vcsWithCv as { Code: string }).Code, 'InvalidVersion');
    const xml = await (
      await fetch(
        `${emu.baseUrl}/?${sign('DeleteCapability', '2018-10-30', 'c4', { Format: 'XML', CapabilityId: '99999' })}`,
      )
    ).text();
    assert.match(
      xml,
      /<Error><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><Code>InvalidCapabilityId.NotFound<\/Code>/,
    );
  });

  test('regions and instances: DescribeRegions lists the endpoint; create, wildcard search, modify, delete', async () => {
    const [region] = await cv.regions('en-US');
    assert.equal(region?.RegionEndpoint, 'cityvisual.cn-shanghai.aliyuncs.com');
    const id = await cv.createInstance({
      InstanceCapacity: 20,
      InstanceName: 'ShangHaiTest',
      Description: 'SHInstance',
    });
    assert.match(id, /^cityvisual-[0-9a-z]+$/);
    assert.deepEqual(
      (await cv.instances({ InstanceName: '*HaiTest' })).items.map((i) => i.InstanceId),
      [id],
    );
    await cv.modifyInstance({ InstanceId: id, Status: 'Stopped' });
    assert.equal((await cv.instances({ ids: [id] })).items[0]?.Status, 'Stopped');
    await rejects(cv.modifyInstance({ InstanceId: id, Status: 'Paused' as never }), 'InvalidStatus.ValueNotSupported');
    await cv.deleteInstance(id);
    assert.equal((await cv.instances({ ids: [id] })).total, 0);
  });

  test('work groups and cameras: tree data, duplicate names, bulk status within a work group, mq streams', async () => {
    assert.ok((await cv.protocols()).includes('GB28181'));
    const wg = await cv.createWorkGroup(INSTANCE, {
      WorkGroupName: 'RTMP源',
      Description: '描述信息',
      Protocol: 'RTMP',
      Ip: '192.168.122.78',
      Port: 1935,
      Account: 'a',
      Password: 'upstream-pw',
      JobNum: 10,
      TheoryCutStatus: 'True',
      TopicNum: 2,
      TopicPrefix: 'ipc',
    });
    await rejects(
      cv.createWorkGroup(INSTANCE, {
        WorkGroupName: 'RTMP源',
        Description: 'd',
        Protocol: 'RTMP',
        Ip: '1.1.1.1',
        Port: 1,
        Account: 'a',
        Password: 'p',
        JobNum: 1,
        TheoryCutStatus: 'True',
        TopicNum: 1,
        TopicPrefix: 'x',
      }),
      'InvalidName.Duplicate',
      400,
    );
    const listed = (await cv.workGroups(INSTANCE, { WorkGroupId: wg })).items[0]!;
    assert.equal(listed.Protocol, 'RTMP');
    assert.ok(!JSON.stringify(listed).includes('upstream-pw'));
    const cam = await cv.createCamera(INSTANCE, {
      CameraId: '901_1',
      CameraName: 'Gate',
      InviteUri: '901_1',
      location: { latitude: '30.245853', longitude: '120.209947' },
      WorkGroupId: wg,
    });
    await rejects(
      cv.createCamera(INSTANCE, {
        CameraId: '902_1',
        CameraName: '1bad',
        InviteUri: 'x',
        location: { latitude: '1', longitude: '2' },
        WorkGroupId: wg,
      }),
      'InvalidName.Malformed',
    );
    assert.equal(
      (await cv.cameras(INSTANCE, { PageNumber: 1, PageSize: 10, CameraId: cam })).items[0]?.StreamStatus,
      'OFF_LINE',
    );
    await cv.setCameraStatus(wg, [cam], 'ON_LINE');
    const online = (
      await cv.cameras(INSTANCE, { PageNumber: 1, PageSize: 10, WorkGroupId: wg, StreamStatus: 'ON_LINE' })
    ).items;
    assert.deepEqual(
      online.map((c) => c.CameraId),
      [cam],
    );
    assert.equal(typeof online[0]!.Location, 'string');
    await rejects(cv.setCameraStatus(wg, ['001_1'], 'ON_LINE'), 'InvalidCameraId.NotFound', 404);
    await rejects(
      cv.cameras(INSTANCE, { PageNumber: 1, PageSize: 10, StreamStatus: 'ONLINE' as never }),
      'InvalidStreamStatus.NotFound',
    );
    assert.deepEqual(await cv.streamsForCameras(INSTANCE, [cam]), [
      { StreamName: `ipc_${cam}`, StreamUrl: `mq://ipc_${cam}` },
    ]);
    await rejects(cv.streamsForCameras(INSTANCE, ['nope']), 'InvalidCameraIds.NotFound');
    await cv.modifyCamera({
      CameraId: cam,
      CameraName: 'GateEast',
      InviteUri: '320599500@xxx',
      location: { latitude: '30.2', longitude: '120.2' },
    });
    await cv.deleteCamera(cam);
    await cv.modifyWorkGroup(wg, '新描述');
    await cv.deleteWorkGroup(wg);
    await rejects(cv.deleteWorkGroup(wg), 'InvalidGroupId.NotFound', 404);
  });

  test('capabilities, resource profiles and algorithm libraries with their documented errors; secrets never returned', async () => {
    const capId = await cv.createCapability(INSTANCE, 'BICYCLE');
    await rejects(cv.createCapability(INSTANCE, 'BICYCLE'), 'InvalidCapabilityName.Duplicate');
    await rejects(cv.createCapability(INSTANCE, '_bad'), 'InvalidCapabilityName.Malformed');
    await cv.modifyCapability(capId, 'BIKE');
    assert.ok((await cv.capabilities(INSTANCE)).items.some((c) => c.CapabilityName === 'BIKE'));
    await rejects(
      cv.createResourceProfile(INSTANCE, 'rp1', [{ Key: 'NOT_A_KEY', Value: 'x' }]),
      'InvalidParameter.KeyNotSupported',
      403,
    );
    const rp = await cv.createResourceProfile(INSTANCE, 'rp1', [
      { Key: 'OSS_BUCKET', Value: 'bucket' },
      { Key: 'RDS_PASSWORD', Value: 'rds-pw' },
    ]);
    await cv.modifyResourceProfile(rp, 'rp1', [{ Key: 'OSS_BUCKET', Value: 'bucket2' }]);
    assert.deepEqual((await cv.resourceProfiles(INSTANCE, { PageNumber: 1, ResourceProfileId: rp })).items[0]?.params, [
      { Key: 'OSS_BUCKET', Value: 'bucket2' },
    ]);
    await rejects(cv.modifyResourceProfile('nope', 'rp1', []), 'InvalidResourceProfileId.NotFound', 404);
    const lib = {
      AlgoLibName: 'personFace',
      AlgoLibVersion: '1.0.0',
      CapabilityNames: ['PERSON', 'FACE'],
      Capacity: 30,
      JsonText: '{"a":1}',
      Text: 'xxx',
      OssEndpoint: 'oss-cn-shanghai-internal.aliyuncs.com',
      OssBucket: 'bucket',
      OssPath: 'library/x.tar.gz',
      OssAccessKeyId: 'LTAIoss',
      OssAccessKeySecret: 'oss-secret-value',
    };
    await rejects(cv.createAlgoLib(INSTANCE, { ...lib, Capacity: 51 }), 'InvalidCapacity.ValueNotSupported');
    await rejects(
      cv.createAlgoLib(INSTANCE, { ...lib, CapabilityNames: ['UNKNOWN'] }),
      'InvalidCapabilities.ValueNotSupported',
    );
    const libId = await cv.createAlgoLib(INSTANCE, lib);
    const described = await cv.algoLibs(INSTANCE, { capabilities: ['PERSON'] });
    assert.equal(described.items.find((l) => l.AlgoLibId === libId)?.Capacity, 30);
    assert.ok(!JSON.stringify(described).includes('oss-secret-value'));
    const jg = await cv.createJobGroup(INSTANCE, {
      AlgoLibId: libId,
      JobGroupName: 'jg1',
      ResourceProfileId: rp,
      PlannedJobCount: 2,
      StreamPerJob: 2,
    });
    await rejects(cv.deleteAlgoLib(libId), 'DependencyViolation', 403);
    await cv.deleteJobGroup(jg);
    await cv.deleteAlgoLib(libId);
    await rejects(cv.deleteAlgoLib(libId), 'InvalidAlgoLibId.NotFound', 404);
    await cv.deleteResourceProfile(rp);
    await cv.deleteCapability(capId);
  });

  test('job groups: streams attach uniquely, start/stop settle, compute jobs follow streams, logs readable', async () => {
    const rp = await cv.createResourceProfile(INSTANCE, 'rp2', [{ Key: 'MQ_TOPIC', Value: 't' }]);
    const lib = await cv.createAlgoLib(INSTANCE, {
      AlgoLibName: 'veh',
      AlgoLibVersion: '1',
      CapabilityNames: ['VEHICLE'],
      Capacity: 10,
      JsonText: '{}',
      Text: 't',
      OssEndpoint: 'oss-cn-shanghai.aliyuncs.com',
      OssBucket: 'bucket',
      OssPath: 'p',
      OssAccessKeyId: 'k',
      OssAccessKeySecret: 's',
    });
    await rejects(
      cv.createJobGroup(INSTANCE, {
        AlgoLibId: '99999',
        JobGroupName: 'x1',
        ResourceProfileId: rp,
        PlannedJobCount: 1,
        StreamPerJob: 1,
      }),
      'InvalidAlgoLibId.NotFound',
    );
    await rejects(
      cv.createJobGroup(INSTANCE, {
        AlgoLibId: lib,
        JobGroupName: 'x1',
        ResourceProfileId: rp,
        PlannedJobCount: 1,
        StreamPerJob: 1,
        params: [{ Key: 'NOPE', Value: 'True' }],
      }),
      'InvalidParameter.KeyNotSupported',
    );
    const jg = await cv.createJobGroup(INSTANCE, {
      AlgoLibId: lib,
      JobGroupName: 'vehicles',
      ResourceProfileId: rp,
      PlannedJobCount: 3,
      StreamPerJob: 2,
      params: [{ Key: 'ES_ENABLE', Value: 'True' }],
    });
    await cv.attachStreams(
      jg,
      [1, 2, 3].map((i) => ({ StreamName: `ipc_00${i}`, StreamURL: `mq://ipc_00${i}` })),
    );
    await rejects(
      cv.attachStreams(jg, [{ StreamName: 'ipc_001', StreamURL: 'mq://ipc_001' }]),
      'InvalidName.Duplicate',
    );
    await rejects(
      cv.attachStreams(jg, [{ StreamName: 'ipc_009', StreamURL: 'not a url' }]),
      'InvalidStreamURL.Malformed',
    );
    await cv.startJobGroup(jg);
    let group = (await cv.jobGroups(INSTANCE, { PageNumber: 1, PageSize: 10, JobGroupId: jg })).items[0]!;
    assert.equal(group.Status, 'starting');
    await wait(80);
    group = (await cv.jobGroups(INSTANCE, { PageNumber: 1, PageSize: 10, JobGroupId: jg })).items[0]!;
    assert.equal(group.Status, 'running');
    assert.equal(group.jobs.length, 2);
    assert.deepEqual(group.params, [{ Key: 'ES_ENABLE', Value: 'True' }]);
    const streams = await cv.streams(jg);
    assert.equal(streams.total, 3);
    assert.ok(streams.items.every((s) => s.ComputeJobId && s.StreamURL?.startsWith('mq://')));
    const [logName] = await cv.jobLogs(jg, group.jobs[0]!.ComputeJobId);
    assert.match(await cv.jobLog(jg, group.jobs[0]!.ComputeJobId, logName!), /stream ipc_00\d decoded/);
    await cv.detachStreams(jg, ['ipc_003']);
    assert.equal((await cv.streams(jg)).total, 2);
    await cv.stopJobGroup(jg);
    await wait(80);
    assert.equal(
      (await cv.jobGroups(INSTANCE, { PageNumber: 1, PageSize: 10, JobGroupId: jg })).items[0]?.Status,
      'stopped',
    );
    await cv.modifyJobGroup(jg, {
      AlgoLibId: lib,
      JobGroupName: 'vehicles2',
      ResourceProfileId: rp,
      Status: 'Running',
    });
    await rejects(
      cv.modifyJobGroup(jg, {
        AlgoLibId: lib,
        JobGroupName: 'vehicles2',
        ResourceProfileId: rp,
        Status: 'Paused' as never,
      }),
      'InvalidStatus.ValueNotSupported',
    );
    await cv.deleteJobGroup(jg);
    await rejects(cv.startJobGroup(jg), 'InvalidJobGroupId.NotFound', 404);
  });

  test('SearchImages: attributes, image similarity (POST), progressive by ImageIds, and the documented errors', async () => {
    const since = Date.now() - 24 * 3600_000;
    const women = await cv.searchImages({
      InstanceId: INSTANCE,
      startMs: since,
      From: 0,
      Size: 100,
      type: 'person',
      attributes: [{ Key: 'Sex', Value: 'Female' }],
    });
    assert.ok(women.total > 0 && women.items.every((i) => i.ObjType === 'Person'));
    const byImage = await cv.searchImages({
      InstanceId: INSTANCE,
      startMs: since,
      From: 0,
      Size: 5,
      images: [Buffer.from('query').toString('base64')],
    });
    assert.equal(byImage.items.length, 5);
    assert.ok(byImage.items.every((x, i) => i === 0 || (x.Score ?? 0) <= (byImage.items[i - 1]!.Score ?? 0)));
    assert.equal(emu.calls.at(-1)?.method, 'POST');
    const crop = await fetch(byImage.items[0]!.CropImage!);
    assert.equal(crop.headers.get('content-type'), 'image/jpeg');
    const again = await cv.searchImages({
      InstanceId: INSTANCE,
      startMs: since,
      From: 0,
      Size: 3,
      imageIds: [byImage.items[0]!.ImageId],
    });
    assert.equal(again.items[0]?.ImageId, byImage.items[0]!.ImageId);
    await rejects(
      cv.searchImages({ InstanceId: INSTANCE, startMs: since, From: 0, Size: 10, imageIds: ['nope'] }),
      'InvalidImageIds.NotFound',
      404,
    );
    await rejects(
      cv.searchImages({ InstanceId: INSTANCE, startMs: since, From: 0, Size: 10, type: 'boat' as never }),
      'InvalidType.ValueNotSupported',
    );
    await rejects(
      cv.searchImages({
        InstanceId: INSTANCE,
        startMs: since,
        From: 0,
        Size: 10,
        type: 'vehicle',
        attributes: [{ Key: 'Sex', Value: 'Male' }],
      }),
      'InvalidAttribute.KeyNotSupported',
    );
    await rejects(
      cv.searchImages({
        InstanceId: INSTANCE,
        startMs: since,
        From: 0,
        Size: 10,
        type: 'person',
        attributes: [{ Key: 'ClothColor', Value: 'Plaid' }],
      }),
      'InvalidAttribute.ValueNotSupported',
    );
    await rejects(
      cv.searchImages({ InstanceId: INSTANCE, startMs: since, From: 0, Size: 101 }),
      'InvalidSize.ValueNotSupported',
    );
    await rejects(
      cv.searchImages({ InstanceId: INSTANCE, startMs: since, From: 0, Size: 10, cameraIds: ['nope'] }),
      'InvalidCameraIds.NotFound',
    );
    await rejects(
      cv.searchImages({ InstanceId: INSTANCE, startMs: since, From: 0, Size: 10, images: ['***'] }),
      'InvalidContents.Malformed',
    );
  });
  test("the listings as the documents' examples print them: ComputeJobs a bare array, the examples' field names beside the tables'; Age=12 searchable", async () => {
    let nonce = 0;
    const raw = async (action: string, extra: Record<string, string>, format = 'JSON') => {
      const q = signedQuery({
        method: 'GET',
        accessKeySecret: emu.credentials.accessKeySecret,
        params: {
          Action: action,
          Format: format,
          Version: '2018-10-30',
          AccessKeyId: emu.credentials.accessKeyId,
          SignatureMethod: 'HMAC-SHA1',
          SignatureVersion: '1.0',
          SignatureNonce: `listing-${process.pid}-${++nonce}`,
          Timestamp: rpcTimestamp(new Date()),
          ...extra,
        },
      });
      const res = await fetch(`${emu.baseUrl}/?${q}`);
      assert.equal(res.status, 200, action);
      return format === 'JSON' ? ((await res.json()) as unknown) : await res.text();
    };
    const rp = await cv.createResourceProfile(INSTANCE, 'rp-listing', [{ Key: 'MQ_TOPIC', Value: 't' }]);
    const lib = await cv.createAlgoLib(INSTANCE, {
      AlgoLibName: 'listing',
      AlgoLibVersion: '1',
      CapabilityNames: ['PERSON'],
      Capacity: 10,
      JsonText: '{}',
      Text: 't',
      OssEndpoint: 'oss-cn-shanghai.aliyuncs.com',
      OssBucket: 'bucket',
      OssPath: 'p',
      OssAccessKeyId: 'k',
      OssAccessKeySecret: 's',
    });
    const jg = await cv.createJobGroup(INSTANCE, {
      AlgoLibId: lib,
      JobGroupName: 'listing',
      ResourceProfileId: rp,
      PlannedJobCount: 1,
      StreamPerJob: 2,
    });
    await cv.attachStreams(jg, [{ StreamName: 'ipc_list', StreamURL: 'mq://ipc_list' }]);
    const paged = { InstanceId: INSTANCE, PageNumber: '1', PageSize: '10' };
    // seed 000 13.5, JSON l.2539 and XML l.2508: ComputeJobs is a bare array, repeated elements in XML.
    const groups = (await raw('DescribeJobGroups', { ...paged, JobGroupId: jg })) as {
      JobGroups: {
        JobGroup: Array<{ ComputeJobs: Array<{ ComputeJobId: string }>; Name: string; JobGroupName: string }>;
      };
    };
    const group = groups.JobGroups.JobGroup[0]!;
    assert.ok(Array.isArray(group.ComputeJobs) && group.ComputeJobs[0]?.ComputeJobId);
    assert.equal(group.Name, 'listing');
    assert.equal(group.JobGroupName, 'listing');
    const xml = (await raw('DescribeJobGroups', { ...paged, JobGroupId: jg }, 'XML')) as string;
    assert.match(xml, /<ComputeJobs><ComputeJobId>/);
    assert.doesNotMatch(xml, /<ComputeJob>/);
    // DescribeStreams l.742 JobId; DescribeCameras l.2836 Name, l.2838 UpdationTime; DescribeWorkGroups l.3364 ProtocolType.
    const streams = (await raw('DescribeStreams', { JobGroupId: jg, PageNumber: '1', PageSize: '10' })) as {
      Streams: { Stream: Array<{ JobId: string; ComputeJobId: string }> };
    };
    const stream = streams.Streams.Stream[0]!;
    assert.equal(stream.JobId, stream.ComputeJobId);
    const cameras = (await raw('DescribeCameras', paged)) as {
      Cameras: { Camera: Array<{ Name: string; CameraName: string; UpdationTime: string; UpdateTime: string }> };
    };
    const camera = cameras.Cameras.Camera[0]!;
    assert.ok(camera.Name && camera.Name === camera.CameraName);
    assert.ok(camera.UpdationTime && camera.UpdationTime === camera.UpdateTime);
    const work = (await raw('DescribeWorkGroups', { InstanceId: INSTANCE })) as {
      WorkGroups: { WorkGroup: Array<{ ProtocolType: string; Protocol: string }> };
    };
    const wg = work.WorkGroups.WorkGroup[0]!;
    assert.ok(wg.ProtocolType && wg.ProtocolType === wg.Protocol);
    // seed 000 9.1 l.853-854: the example asks Attribute Age = 12 (replies carry numeric codes, l.1032).
    await raw('SearchImages', {
      InstanceId: INSTANCE,
      From: '0',
      Size: '10',
      StartTime: String(Date.now() - 3600_000),
      NoFeature: 'True',
      'Attribute.1.Key': 'Age',
      'Attribute.1.Value': '12',
    });
  });
});
