import { randomBytes, randomUUID } from 'node:crypto';
import { VcsError } from './common';

/**
 * City Visual Intelligence Engine (seed 000, Version 2018-10-30; spec aliyun-cityvision.md) on
 * the same emulator as VCS: instances, ingest work groups and cameras, capability sets, algorithm
 * libraries, resource profiles, job groups with their compute jobs and streams, and SearchImages.
 * Replies are flat (fields beside RequestId, no Code/Data) and lists use `{"Things":{"Thing":[]}}`.
 * Error codes and messages are the source's own (§1.7).
 */
type Params = Map<string, string>;
type Reply = Record<string, unknown>;

export const CITYVISION_ACTIONS = new Set(
  'AttachStream DetachStream DescribeStreams DescribeRegions SearchImages CreateCapability DescribeCapabilities DeleteCapability ModifyCapability DescribeResourceProfiles CreateResourceProfile DeleteResourceProfile ModifyResourceProfile ModifyAlgoLib DescribeAlgoLibs DeleteAlgoLib CreateAlgoLib StopJobGroup ListComputeJobLogs CreateJobGroup ModifyJobGroup DescribeJobGroups StartJobGroup DeleteJobGroup GetComputeJobLog DescribeCameras CreateCamera BatchModifyCameraStatus ModifyCamera GetStreamsForCameras DeleteCamera DeleteWorkGroup DescribeWorkGroups CreateWorkGroup ModifyWorkGroup DescribeProtocols ModifyInstance DescribeInstances DeleteInstance CreateInstance'.split(
    ' ',
  ),
);

/** §1.7, verbatim. */
const E = {
  jobGroup: () => new VcsError(404, 'InvalidJobGroupId.NotFound', 'The specified job group does not exist.'),
  nameMalformed: () => new VcsError(400, 'InvalidName.Malformed', 'The specified Name is incorrectly formatted.'),
  nameDuplicate: () => new VcsError(400, 'InvalidName.Duplicate', 'The specified name already exists.'),
  streamUrl: () => new VcsError(400, 'InvalidStreamURL.Malformed', 'The specified StreamURL is incorrectly formatted.'),
  cameraIds: () => new VcsError(404, 'InvalidCameraIds.NotFound', 'The specified CameraIds does not exist.'),
  imageIds: () => new VcsError(404, 'InvalidImageIds.NotFound', 'The specified image does not exist.'),
  type: () => new VcsError(400, 'InvalidType.ValueNotSupported', 'The specified Type is invalid.'),
  attrKey: () => new VcsError(400, 'InvalidAttribute.KeyNotSupported', 'The specified Attribute.n.Key is invalid.'),
  attrEmpty: () => new VcsError(400, 'InvalidAttribute.KeyIsEmpty', 'You must specify Attribute.n.Key.'),
  attrValue: () =>
    new VcsError(400, 'InvalidAttribute.ValueNotSupported', 'The specified Attribute.n.Value is invalid.'),
  from: () => new VcsError(400, 'InvalidFrom.ValueNotSupported', 'The specified From is invalid.'),
  size: () => new VcsError(400, 'InvalidSize.ValueNotSupported', 'The specified Size is invalid.'),
  contents: () => new VcsError(400, 'InvalidContents.Malformed', 'The specified Contents is incorrectly formatted.'),
  capName: () =>
    new VcsError(400, 'InvalidCapabilityName.Malformed', 'The specified Capability Name is incorrectly formatted.'),
  capDuplicate: () =>
    new VcsError(400, 'InvalidCapabilityName.Duplicate', 'The specified Capability Name already exists.'),
  capId: () => new VcsError(404, 'InvalidCapabilityId.NotFound', 'The specified CapabilityId does not exist.'),
  keyNotSupported: () =>
    new VcsError(403, 'InvalidParameter.KeyNotSupported', 'One or more parameter keys are not supported.'),
  missing: () => new VcsError(403, 'MissingParameter', 'You must specify the required resource parameters.'),
  profile: () =>
    new VcsError(404, 'InvalidResourceProfileId.NotFound', 'The specified resource profile does not exist.'),
  algoLib: (forJobGroup: boolean) =>
    new VcsError(
      404,
      'InvalidAlgoLibId.NotFound',
      forJobGroup ? 'The specified algorithm library does not exist.' : 'The specified AlgoLibId does not exist.',
    ),
  capabilities: () =>
    new VcsError(400, 'InvalidCapabilities.ValueNotSupported', 'The specified Capabilities is invalid.'),
  capacity: () => new VcsError(400, 'InvalidCapacity.ValueNotSupported', 'The specified Capacity is invalid.'),
  bucket: () => new VcsError(404, 'InvalidOssBucket.NotFound', 'The specified OssBucket does not exist.'),
  endpoint: () => new VcsError(404, 'InvalidOssEndpoint.NotFound', 'The specified OssEndpoint does not exist.'),
  inUse: () => new VcsError(403, 'DependencyViolation', 'The specified algorithm library is still in use.'),
  status: () => new VcsError(400, 'InvalidStatus.ValueNotSupported', 'The specified status is invalid.'),
  streamStatus: () => new VcsError(404, 'InvalidStreamStatus.NotFound', 'The specified StreamStatus does not exist.'),
  camera: () => new VcsError(404, 'InvalidCameraId.NotFound', 'The specified camera does not exist.'),
  group: () => new VcsError(404, 'InvalidGroupId.NotFound', 'The specified group ID does not exist.'),
};

/** NAME-RULE: 2–128 characters, first a letter or Chinese character, then also digits : _ -. */
const NAME_RULE = /^[A-Za-z\p{Script=Han}][A-Za-z0-9\p{Script=Han}:_-]{1,127}$/u;
const RP_KEYS = new Set([
  'MQ_NAMESERVERS',
  'MQ_TOPIC',
  'MQ_GROUP',
  'MQ_TIMESTAMP_PRE_SEC',
  'OSS_ENDPOINT',
  'OSS_PUB_ENDPOINT',
  'OSS_ACCESSKEYID',
  'OSS_ACCESSKEYSECRET',
  'OSS_BUCKET',
  'ES_ADDRESS',
  'ES_CLUSTERNAME',
  'ES_PERSON_INDEX',
  'ES_NOVEHICLE_INDEX',
  'ES_VEHICLE_INDEX',
  'RDS_HOSTNAME',
  'RDS_DBNAME',
  'RDS_PERSON_TABLE',
  'RDS_NOVEHICLE_TABLE',
  'RDS_VEHICLE_TABLE',
  'RDS_USER',
  'RDS_PASSWORD',
]);
const JG_PARAMS: Record<string, string[]> = {
  ES_ENABLE: ['True', 'False'],
  RDS_ENABLE: ['True', 'False'],
  OUT_MQ_ENABLE: ['True', 'False'],
  DATAHUB_ENABLE: ['True', 'False'],
  SCHEDULE_FLOW_START_TIME: ['Latest', 'Oldest'],
};
const PROTOCOLS = [
  'ONVIF',
  'TRANSFER_TOPIC_DATA',
  'VIDEO_RECORDS',
  'GB28181',
  'FILE',
  'HK_IVMS_8700',
  'DAHUA_VCLOUD_1',
  'VIDEO_CLIPS_OSS',
  'RTMP',
  'RTSP',
  'VIDEO_CLIPS_CEPH',
];
const COLORS = [
  'Black',
  'White',
  'Gray',
  'Red',
  'Blue',
  'Yellow',
  'Orange',
  'Brown',
  'Green',
  'Purple',
  'Cyan',
  'Pink',
  'Transparent',
  'Other',
];
/** Attribute keys per search Type and, where the source enumerates them, their values (§3.3.1). */
const ATTRIBUTES: Record<string, Record<string, { field: string; values?: string[] }>> = {
  person: {
    Sex: { field: 'SexType', values: ['Male', 'Female', 'Uncertain'] },
    Age: { field: 'AgeType', values: ['Youth', 'Midlife', 'OldAge', 'Uncertain'] },
    Hair: { field: 'HairType' },
    Pose: {
      field: 'PoseType',
      values: ['Stand', 'Squat', 'LieDown', 'Lie', 'Sit', 'Walk', 'Run', 'Jump', 'Climb', 'Crawl', 'Other'],
    },
    ClothType: { field: 'ClothType', values: ['ShortSleeve', 'MiddleSleeve', 'Sleeveless', 'Other'] },
    ClothColor: { field: 'ClothColor', values: COLORS },
    TrouserType: { field: 'TrouserType', values: ['Trousers', 'Shorts', 'Longuette', 'ShortSkirt', 'Other'] },
    TrouserColor: { field: 'TrouserColor', values: COLORS },
  },
  vehicle: {
    PlateNumber: { field: 'PlateNumber' },
    VehicleColor: { field: 'VehicleColor', values: COLORS },
    VehicleType: {
      field: 'VehicleType',
      values: ['SUV', 'Car', 'Truck', 'Van', 'Taxi', 'Bus', 'Minibus', 'Machinshop'],
    },
    Brand: { field: 'Brand' },
  },
  bicycle: {
    Sex: { field: 'SexType', values: ['Male', 'Female', 'Uncertain'] },
    Age: { field: 'AgeType', values: ['Youth', 'Midlife', 'OldAge', 'Uncertain'] },
    HeadWear: { field: 'HeadWear', values: ['None', 'Hat', 'Helmet', 'Scarf', 'Other'] },
    NonVehicleType: {
      field: 'NonVehicleType',
      values: ['Bicycle', 'ElectricVehicle', 'ClosedTricycle', 'OpenedTricycle', 'Other'],
    },
  },
};
const OBJ_TYPE: Record<string, string> = { person: 'Person', vehicle: 'Vehicle', bicycle: 'NonVehicle' };

interface Instance {
  InstanceId: string;
  InstanceName: string;
  Description: string;
  InstanceCapacity: number;
  RegionId: string;
  Status: string;
  CreateTime: string;
}
interface WorkGroup {
  WorkGroupId: string;
  WorkGroupName: string;
  Description: string;
  Protocol: string;
  TheoryCutStatus: string;
  InstanceId: string;
  CreateTime: string;
  UpdateTime: string;
  secret: {
    Ip: string;
    Port: number;
    Account: string;
    Password: string;
    JobNum: number;
    TopicNum: number;
    TopicPrefix: string;
  };
}
interface Camera {
  CameraId: string;
  CameraName: string;
  InstanceId: string;
  InviteUri: string;
  Location: string;
  WorkGroupId: string;
  OssPath: string;
  StreamStatus: string;
  UpdateTime: string;
}
interface AlgoLib {
  AlgoLibId: string;
  InstanceId: string;
  AlgoLibName: string;
  AlgoLibVersion: string;
  CapabilityNames: string;
  Capacity: number;
  JsonText: string;
  Text: string;
  OssEndpoint: string;
  OssBucket: string;
  OssPath: string;
  OssAccessKeyId: string;
  ossSecret: string;
  UploadTime: string;
}
interface JobGroup {
  JobGroupId: string;
  InstanceId: string;
  JobGroupName: string;
  AlgoLibId: string;
  ResourceProfileId: string;
  PlannedJobCount: number;
  JobCount: number;
  StreamPerJob: number;
  params: Array<{ Key: string; Value: string }>;
  Status: string;
  startedAt: number | null;
  stoppedAt: number | null;
  streams: Map<string, string>;
}
interface Hit {
  ImageId: string;
  CameraId: string;
  InstanceId: string;
  type: string;
  at: number;
  attrs: Record<string, string>;
  fingerprint: number;
}

export class CityVision {
  readonly instances = new Map<string, Instance>();
  readonly workGroups = new Map<string, WorkGroup>();
  readonly cameras = new Map<string, Camera>();
  readonly capabilities = new Map<string, { CapabilityId: string; CapabilityName: string; InstanceId: string }>();
  readonly algoLibs = new Map<string, AlgoLib>();
  readonly profiles = new Map<
    string,
    {
      ResourceProfileId: string;
      InstanceId: string;
      ResourceProfileName: string;
      params: Array<{ Key: string; Value: string }>;
    }
  >();
  readonly jobGroups = new Map<string, JobGroup>();
  readonly hits: Hit[] = [];
  private next = 100;

  constructor(
    private readonly clock: () => number,
    private readonly baseUrl: () => string,
    /** how long `starting`/`stopping` last before `running`/`stopped` */
    private readonly transitionMs = 300,
  ) {
    this.seed();
  }

  private id(): string {
    return String(this.next++);
  }
  private iso(ms = this.clock()): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private seed(): void {
    const InstanceId = 'cityvisual-demo0001';
    this.instances.set(InstanceId, {
      InstanceId,
      InstanceName: 'ShangHai',
      Description: '城市视觉演示',
      InstanceCapacity: 20,
      RegionId: 'cn-shanghai',
      Status: 'Running',
      CreateTime: this.iso(),
    });
    const wg = this.id();
    this.workGroups.set(wg, {
      WorkGroupId: wg,
      WorkGroupName: 'GB28181平台',
      Description: '描述信息',
      Protocol: 'GB28181',
      TheoryCutStatus: 'False',
      InstanceId,
      CreateTime: this.iso(),
      UpdateTime: this.iso(),
      secret: {
        Ip: '192.168.122.78',
        Port: 5060,
        Account: 'account',
        Password: 'password',
        JobNum: 10,
        TopicNum: 2,
        TopicPrefix: 'ipc',
      },
    });
    for (let i = 1; i <= 4; i++)
      this.cameras.set(`00${i}_1`, {
        CameraId: `00${i}_1`,
        CameraName: `点位${i}`,
        InstanceId,
        InviteUri: `00${i}_1`,
        Location: JSON.stringify({ latitude: '31.23', longitude: `121.4${i}` }),
        WorkGroupId: wg,
        OssPath: '',
        StreamStatus: i === 4 ? 'OFF_LINE' : 'ON_LINE',
        UpdateTime: this.iso(),
      });
    for (const name of ['PERSON', 'FACE', 'VEHICLE']) {
      const CapabilityId = this.id();
      this.capabilities.set(CapabilityId, { CapabilityId, CapabilityName: name, InstanceId });
    }
    const types = ['person', 'vehicle', 'bicycle'];
    for (let k = 0; k < 30; k++) {
      const type = types[k % 3]!;
      const attrs: Record<string, string> =
        type === 'person'
          ? {
              SexType: k % 2 ? 'Female' : 'Male',
              AgeType: 'Youth',
              ClothColor: COLORS[k % 5]!,
              TrouserColor: 'Black',
              PoseType: 'Walk',
            }
          : type === 'vehicle'
            ? {
                PlateNumber: `沪A${1000 + k}`,
                VehicleColor: COLORS[k % 4]!,
                VehicleType: k % 2 ? 'Car' : 'SUV',
                Brand: 'DZ',
              }
            : {
                SexType: 'Male',
                AgeType: 'Midlife',
                HeadWear: k % 2 ? 'Helmet' : 'None',
                NonVehicleType: 'ElectricVehicle',
              };
      this.hits.push({
        ImageId: `img${String(k).padStart(4, '0')}`,
        CameraId: `00${1 + (k % 4)}_1`,
        InstanceId,
        type,
        at: this.clock() - (k + 1) * 600_000,
        attrs,
        fingerprint: (k * 37) % 100,
      });
    }
  }

  handle(action: string, p: Params): Reply {
    switch (action) {
      case 'DescribeRegions':
        return {
          Regions: {
            Region: [
              {
                RegionId: 'cn-shanghai',
                LocalName: p.get('AcceptLanguage') === 'en-US' ? 'China East 2 (Shanghai)' : '华东 2',
                RegionEndpoint: 'cityvisual.cn-shanghai.aliyuncs.com',
              },
            ],
          },
        };
      case 'CreateInstance':
        return this.createInstance(p);
      case 'DescribeInstances':
        return this.describeInstances(p);
      case 'ModifyInstance':
        return this.modifyInstance(p);
      case 'DeleteInstance':
        this.instance(p);
        this.instances.delete(p.get('InstanceId')!);
        return {};
      case 'DescribeProtocols':
        return { Protocols: Object.fromEntries(PROTOCOLS.map((x) => [x.toLowerCase(), x])) };
      case 'CreateWorkGroup':
        return this.createWorkGroup(p);
      case 'DescribeWorkGroups':
        return this.describeWorkGroups(p);
      case 'ModifyWorkGroup':
        this.workGroup(p).Description = req(p, 'Description');
        this.workGroup(p).UpdateTime = this.iso();
        return {};
      case 'DeleteWorkGroup':
        this.workGroup(p);
        this.workGroups.delete(p.get('WorkGroupId')!);
        return {};
      case 'CreateCamera':
        return this.createCamera(p);
      case 'DescribeCameras':
        return this.describeCameras(p);
      case 'ModifyCamera':
        return this.modifyCamera(p);
      case 'BatchModifyCameraStatus':
        return this.batchCameraStatus(p);
      case 'GetStreamsForCameras':
        return this.streamsForCameras(p);
      case 'DeleteCamera':
        if (!this.cameras.delete(req(p, 'CameraId'))) throw E.camera();
        return {};
      case 'CreateCapability':
        return this.createCapability(p);
      case 'DescribeCapabilities':
        return this.describeCapabilities(p);
      case 'ModifyCapability':
        return this.modifyCapability(p);
      case 'DeleteCapability':
        return this.deleteCapability(p);
      case 'CreateResourceProfile':
        return this.saveProfile(p, null);
      case 'ModifyResourceProfile':
        return this.saveProfile(p, req(p, 'ResourceProfileId'));
      case 'DescribeResourceProfiles':
        return this.describeProfiles(p);
      case 'DeleteResourceProfile':
        return this.deleteProfile(p);
      case 'CreateAlgoLib':
        return this.saveAlgoLib(p, null);
      case 'ModifyAlgoLib':
        return this.saveAlgoLib(p, req(p, 'AlgoLibId'));
      case 'DescribeAlgoLibs':
        return this.describeAlgoLibs(p);
      case 'DeleteAlgoLib':
        return this.deleteAlgoLib(p);
      case 'CreateJobGroup':
        return this.saveJobGroup(p, null);
      case 'ModifyJobGroup':
        return this.saveJobGroup(p, req(p, 'JobGroupId'));
      case 'DescribeJobGroups':
        return this.describeJobGroups(p);
      case 'StartJobGroup':
        return this.transition(p, 'starting');
      case 'StopJobGroup':
        return this.transition(p, 'stopping');
      case 'DeleteJobGroup':
        this.jobGroup(p);
        this.jobGroups.delete(p.get('JobGroupId')!);
        return {};
      case 'AttachStream':
        return this.attach(p);
      case 'DetachStream': {
        const g = this.jobGroup(p);
        for (const s of repeated(p, 'Streams', ['StreamName'])) g.streams.delete(s.StreamName ?? '');
        return {};
      }
      case 'DescribeStreams':
        return this.describeStreams(p);
      case 'ListComputeJobLogs':
        return this.listLogs(p);
      case 'GetComputeJobLog':
        return this.getLog(p);
      case 'SearchImages':
        return this.searchImages(p);
      default:
        throw new VcsError(404, 'InvalidAction.NotFound', `${action} is not a City Visual Intelligence Action.`);
    }
  }

  // ——— instances (§3.10) ———

  private instance(p: Params): Instance {
    const i = this.instances.get(req(p, 'InstanceId'));
    if (!i) throw new VcsError(404, 'InvalidInstanceId.NotFound', 'The specified instance does not exist.');
    return i;
  }

  private createInstance(p: Params): Reply {
    const capacity = int(req(p, 'InstanceCapacity'), 'InstanceCapacity', 1, 100_000);
    const RegionId = req(p, 'RegionId');
    const name = p.get('InstanceName') ?? '';
    if (name && !NAME_RULE.test(name)) throw E.nameMalformed();
    const description = p.get('Description') ?? '';
    if (description && (!/^.{2,256}$/u.test(description) || /^https?:\/\//.test(description)))
      throw new VcsError(400, 'InvalidDescription.Malformed', 'The specified Description is incorrectly formatted.');
    const InstanceId = `cityvisual-${randomBytes(6).toString('hex')}`;
    this.instances.set(InstanceId, {
      InstanceId,
      InstanceName: name,
      Description: description,
      InstanceCapacity: capacity,
      RegionId,
      Status: statusOf(p.get('Status') ?? 'Running'),
      CreateTime: this.iso(),
    });
    return { InstanceId };
  }

  private describeInstances(p: Params): Reply {
    const region = req(p, 'RegionId');
    const ids = p.has('InstanceIds') ? jsonArray(p.get('InstanceIds')!, 'InstanceIds', 100) : null;
    const name = p.get('InstanceName');
    const pattern = name
      ? new RegExp(
          `^${name
            .split('*')
            .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        )
      : null;
    const list = [...this.instances.values()].filter(
      (i) =>
        i.RegionId === region && (!ids || ids.includes(i.InstanceId)) && (!pattern || pattern.test(i.InstanceName)),
    );
    return page(p, 'Instances', 'Instance', list);
  }

  private modifyInstance(p: Params): Reply {
    const i = this.instance(p);
    const name = p.get('InstanceName');
    if (name !== undefined && name !== '' && !NAME_RULE.test(name)) throw E.nameMalformed();
    if (p.has('Status')) i.Status = statusOf(p.get('Status')!);
    if (name !== undefined) i.InstanceName = name;
    if (p.has('Description')) i.Description = p.get('Description')!;
    return {};
  }

  // ——— ingest work groups and cameras (§3.8, §3.9) ———

  private workGroup(p: Params): WorkGroup {
    const g = this.workGroups.get(req(p, 'WorkGroupId'));
    if (!g) throw E.group();
    return g;
  }

  private createWorkGroup(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    const name = req(p, 'WorkGroupName');
    if (!NAME_RULE.test(name)) throw E.nameMalformed();
    if ([...this.workGroups.values()].some((g) => g.InstanceId === InstanceId && g.WorkGroupName === name))
      throw E.nameDuplicate();
    const protocol = req(p, 'Protocol');
    if (!PROTOCOLS.includes(protocol))
      throw new VcsError(
        400,
        'InvalidProtocol.ValueNotSupported',
        'The specified Protocol is invalid; see DescribeProtocols.',
      );
    // The table spells it TheoryCutsStatus, the example TheoryCutStatus: accept both.
    const cut = p.get('TheoryCutsStatus') ?? p.get('TheoryCutStatus');
    if (cut !== 'True' && cut !== 'False') throw E.missing();
    const WorkGroupId = this.id();
    this.workGroups.set(WorkGroupId, {
      WorkGroupId,
      WorkGroupName: name,
      Description: req(p, 'Description'),
      Protocol: protocol,
      TheoryCutStatus: cut,
      InstanceId,
      CreateTime: this.iso(),
      UpdateTime: this.iso(),
      secret: {
        Ip: req(p, 'Ip'),
        Port: int(req(p, 'Port'), 'Port', 1, 65535),
        Account: req(p, 'Account'),
        Password: req(p, 'Password'),
        JobNum: int(req(p, 'JobNum'), 'JobNum', 0, 100_000),
        TopicNum: int(req(p, 'TopicNum'), 'TopicNum', 0, 100_000),
        TopicPrefix: req(p, 'TopicPrefix'),
      },
    });
    return { WorkGroupId };
  }

  /** Ip, Port, Account, Password, JobNum, TopicNum and TopicPrefix are never returned (§3.9.2). */
  private describeWorkGroups(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    const only = p.get('WorkGroupId');
    const list = [...this.workGroups.values()]
      .filter((g) => g.InstanceId === InstanceId && (!only || g.WorkGroupId === only))
      .map(({ secret: _secret, ...g }) => ({ ...g, ProtocolType: g.Protocol })); // the examples' name
    return page(p, 'WorkGroups', 'WorkGroup', list);
  }

  private location(p: Params): string {
    const raw = req(p, 'LocationInfo');
    try {
      const v = JSON.parse(raw) as { latitude?: unknown; longitude?: unknown };
      if (v && v.latitude !== undefined && v.longitude !== undefined) return raw;
    } catch {
      /* fall through */
    }
    throw new VcsError(
      400,
      'InvalidLocationInfo.Malformed',
      'LocationInfo must be a JSON string {"latitude":"…","longitude":"…"}.',
    );
  }

  /** §3.8.2: caller-chosen CameraId unique per instance; starts OFF_LINE. */
  private createCamera(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    const CameraId = req(p, 'CameraId');
    const name = req(p, 'CameraName');
    if (!NAME_RULE.test(name)) throw E.nameMalformed();
    if (
      this.cameras.has(CameraId) ||
      [...this.cameras.values()].some((c) => c.InstanceId === InstanceId && c.CameraName === name)
    )
      throw E.nameDuplicate();
    const WorkGroupId = this.workGroup(p).WorkGroupId;
    this.cameras.set(CameraId, {
      CameraId,
      CameraName: name,
      InstanceId,
      InviteUri: req(p, 'InviteUri'),
      Location: this.location(p),
      WorkGroupId,
      OssPath: p.get('OssPath') ?? '',
      StreamStatus: 'OFF_LINE',
      UpdateTime: this.iso(),
    });
    return { CameraId };
  }

  private describeCameras(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    requirePaging(p, true);
    const status = p.get('StreamStatus');
    if (status && status !== 'ON_LINE' && status !== 'OFF_LINE') throw E.streamStatus();
    const [id, name, group] = [p.get('CameraId'), p.get('CameraName'), p.get('WorkGroupId')];
    const list = [...this.cameras.values()]
      .filter(
        (c) =>
          c.InstanceId === InstanceId &&
          (!id || c.CameraId === id) &&
          (!name || c.CameraName.includes(name)) &&
          (!group || c.WorkGroupId === group) &&
          (!status || c.StreamStatus === status),
      )
      .map(({ InstanceId: _i, OssPath: _o, ...c }) => ({
        ...c,
        // The table's names, and the examples' (Name, UpdationTime) beside them.
        Name: c.CameraName,
        UpdationTime: c.UpdateTime,
        RtmpPath: `rtmp://127.0.0.1/mylive/${c.InviteUri}`,
        Conf: JSON.stringify({
          shardId: '0',
          storageType: 'mq',
          readType: 'file2ts',
          mediaType: 'mp4',
          outputFormat: 'raw',
        }),
      }));
    return page(p, 'Cameras', 'Camera', list);
  }

  private modifyCamera(p: Params): Reply {
    const c = this.cameras.get(req(p, 'CameraId'));
    if (!c) throw E.camera();
    const name = req(p, 'CameraName');
    if (!NAME_RULE.test(name)) throw E.nameMalformed();
    if ([...this.cameras.values()].some((o) => o !== c && o.InstanceId === c.InstanceId && o.CameraName === name))
      throw E.nameDuplicate();
    const status = p.get('StreamStatus');
    if (status !== undefined && status !== 'ON_LINE' && status !== 'OFF_LINE') throw E.status();
    Object.assign(c, {
      CameraName: name,
      InviteUri: req(p, 'InviteUri'),
      Location: this.location(p),
      UpdateTime: this.iso(),
      ...(status ? { StreamStatus: status } : {}),
    });
    return {};
  }

  /** §3.8.3: every camera must exist in the given work group; all or nothing. */
  private batchCameraStatus(p: Params): Reply {
    const ids = jsonArray(req(p, 'CameraIds'), 'CameraIds', 10_000);
    const status = req(p, 'StreamStatus');
    if (status !== 'ON_LINE' && status !== 'OFF_LINE') throw E.status();
    const group = req(p, 'WorkGroupId');
    const cams = ids.map((id) => this.cameras.get(id));
    if (cams.some((c) => !c || c.WorkGroupId !== group)) throw E.camera();
    for (const c of cams) Object.assign(c!, { StreamStatus: status, UpdateTime: this.iso() });
    return {};
  }

  private streamsForCameras(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    const ids = jsonArray(req(p, 'CameraIds'), 'CameraIds', 10_000);
    if (ids.some((id) => this.cameras.get(id)?.InstanceId !== InstanceId)) throw E.cameraIds();
    return { Streams: { Stream: ids.map((id) => ({ StreamName: `ipc_${id}`, StreamUrl: `mq://ipc_${id}` })) } };
  }

  // ——— capability sets, resource profiles, algorithm libraries (§3.4–3.6) ———

  private createCapability(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    const name = capabilityName(p);
    if ([...this.capabilities.values()].some((c) => c.InstanceId === InstanceId && c.CapabilityName === name))
      throw E.capDuplicate();
    const CapabilityId = this.id();
    this.capabilities.set(CapabilityId, { CapabilityId, CapabilityName: name, InstanceId });
    return { CapabilityId };
  }

  private describeCapabilities(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    const list = [...this.capabilities.values()]
      .filter((c) => c.InstanceId === InstanceId)
      .map(({ InstanceId: _i, ...c }) => c);
    return page(p, 'Capabilities', 'Capability', list);
  }

  private capability(p: Params) {
    const id = req(p, 'CapabilityId');
    if (!/^\d+$/.test(id)) throw new VcsError(400, 'InvalidParameter', 'The specified CapabilityId is invalid.');
    const c = this.capabilities.get(id);
    if (!c) throw E.capId();
    return c;
  }

  private modifyCapability(p: Params): Reply {
    const c = this.capability(p);
    const name = capabilityName(p);
    if (
      [...this.capabilities.values()].some((o) => o !== c && o.InstanceId === c.InstanceId && o.CapabilityName === name)
    )
      throw E.capDuplicate();
    c.CapabilityName = name;
    return {};
  }

  private deleteCapability(p: Params): Reply {
    this.capabilities.delete(this.capability(p).CapabilityId);
    return {};
  }

  /** §3.5.2/§3.5.4: keys from RP-KEYS, non-empty, ≤ 64/128 characters, no forbidden prefixes; Modify replaces the list. */
  private saveProfile(p: Params, id: string | null): Reply {
    const existing = id ? this.profiles.get(id) : undefined;
    if (id && !existing) throw E.profile();
    const InstanceId = existing?.InstanceId ?? this.instance(p).InstanceId;
    const name = req(p, 'ResourceProfileName');
    if (!NAME_RULE.test(name)) throw E.nameMalformed();
    if (
      [...this.profiles.values()].some(
        (o) => o !== existing && o.InstanceId === InstanceId && o.ResourceProfileName === name,
      )
    )
      throw E.nameDuplicate();
    const params = repeated(p, 'ResourceProfileParams', ['Key', 'Value']).map((kv) => {
      const forbidden = (s: string) => /^(aliyun|acs:|https?:\/\/)/.test(s);
      if (!kv.Key || !kv.Value) throw E.missing();
      if (!RP_KEYS.has(kv.Key)) throw E.keyNotSupported();
      if (kv.Key.length > 64 || kv.Value.length > 128 || forbidden(kv.Key) || forbidden(kv.Value))
        throw new VcsError(
          400,
          'InvalidParameter',
          'ResourceProfileParams: keys ≤ 64 and values ≤ 128 characters, not starting with aliyun, acs:, http:// or https://.',
        );
      return { Key: kv.Key, Value: kv.Value };
    });
    const ResourceProfileId = id ?? randomUUID().replace(/-/g, '').slice(0, 22);
    this.profiles.set(ResourceProfileId, { ResourceProfileId, InstanceId, ResourceProfileName: name, params });
    return id ? {} : { ResourceProfileId };
  }

  private describeProfiles(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    requirePaging(p, false);
    const only = p.get('ResourceProfileId');
    const list = [...this.profiles.values()]
      .filter((r) => r.InstanceId === InstanceId && (!only || r.ResourceProfileId === only))
      .map((r) => ({
        ResourceProfileId: r.ResourceProfileId,
        ResourceProfileName: r.ResourceProfileName,
        ResourceProfileParams: { ResourceProfileParam: r.params },
      }));
    return page(p, 'ResourceProfiles', 'ResourceProfile', list);
  }

  private deleteProfile(p: Params): Reply {
    const id = req(p, 'ResourceProfileId');
    if (!this.profiles.has(id))
      throw new VcsError(400, 'InvalidParameter', 'The specified resource profile ID is invalid.');
    if ([...this.jobGroups.values()].some((g) => g.ResourceProfileId === id))
      throw new VcsError(403, 'DependencyViolation', 'The specified resource profile is still in use.');
    this.profiles.delete(id);
    return {};
  }

  /** §3.6.1/§3.6.4: capability names must exist, Capacity 1–50, an OSS endpoint and bucket that look real. */
  private saveAlgoLib(p: Params, id: string | null): Reply {
    const existing = id ? this.algoLibs.get(id) : undefined;
    if (id && !existing) throw E.algoLib(false);
    const InstanceId = existing?.InstanceId ?? this.instance(p).InstanceId;
    const name = req(p, 'AlgoLibName');
    if (!NAME_RULE.test(name)) throw E.nameMalformed();
    if (
      [...this.algoLibs.values()].some((o) => o !== existing && o.InstanceId === InstanceId && o.AlgoLibName === name)
    )
      throw E.nameDuplicate();
    const caps = req(p, 'CapabilityNames')
      .split(',')
      .map((s) => s.trim());
    const known = new Set(
      [...this.capabilities.values()].filter((c) => c.InstanceId === InstanceId).map((c) => c.CapabilityName),
    );
    if (caps.some((c) => !known.has(c))) throw E.capabilities();
    const capacity = Number(req(p, 'Capacity'));
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 50) throw E.capacity();
    const endpoint = req(p, 'OssEndpoint');
    if (!/^oss-[a-z0-9-]+\.aliyuncs\.com$/.test(endpoint)) throw E.endpoint();
    const bucket = req(p, 'OssBucket');
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) throw E.bucket();
    const lib: AlgoLib = {
      AlgoLibId: id ?? this.id(),
      InstanceId,
      AlgoLibName: name,
      AlgoLibVersion: req(p, 'AlgoLibVersion'),
      CapabilityNames: caps.join(','),
      Capacity: capacity,
      JsonText: req(p, 'JsonText'),
      Text: req(p, 'Text'),
      OssEndpoint: endpoint,
      OssBucket: bucket,
      OssPath: req(p, 'OssPath'),
      OssAccessKeyId: req(p, 'OssAccessKeyId'),
      ossSecret: req(p, 'OssAccessKeySecret'),
      UploadTime: this.iso(),
    };
    this.algoLibs.set(lib.AlgoLibId, lib);
    return id ? {} : { AlgoLibId: lib.AlgoLibId };
  }

  /** The OSS secret is never returned (§5). */
  private describeAlgoLibs(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    const [id, name] = [p.get('AlgoLibId'), p.get('AlgoLibName')];
    const caps = p
      .get('CapabilityName')
      ?.split(',')
      .map((s) => s.trim());
    const list = [...this.algoLibs.values()]
      .filter(
        (l) =>
          l.InstanceId === InstanceId &&
          (!id || l.AlgoLibId === id) &&
          (!name || l.AlgoLibName === name) &&
          (!caps || caps.every((c) => l.CapabilityNames.split(',').includes(c))),
      )
      .map(({ ossSecret: _s, InstanceId: _i, ...l }) => ({ ...l, Capacity: String(l.Capacity) }));
    return page(p, 'AlgoLibs', 'AlgoLib', list);
  }

  private deleteAlgoLib(p: Params): Reply {
    const id = req(p, 'AlgoLibId');
    if (!/^\d+$/.test(id)) throw new VcsError(400, 'InvalidParameter', 'The specified AlgoLibId is invalid.');
    if (!this.algoLibs.has(id)) throw E.algoLib(false);
    if ([...this.jobGroups.values()].some((g) => g.AlgoLibId === id)) throw E.inUse();
    this.algoLibs.delete(id);
    return {};
  }

  // ——— job groups, streams and logs (§3.1, §3.7) ———

  private jobGroup(p: Params): JobGroup {
    const g = this.jobGroups.get(req(p, 'JobGroupId'));
    if (!g) throw E.jobGroup();
    this.settle(g);
    return g;
  }

  /** `starting`/`stopping` settle into `running`/`stopped` after a moment. */
  private settle(g: JobGroup): void {
    const now = this.clock();
    if (g.Status === 'starting' && g.startedAt !== null && now - g.startedAt >= this.transitionMs) g.Status = 'running';
    if (g.Status === 'stopping' && g.stoppedAt !== null && now - g.stoppedAt >= this.transitionMs) g.Status = 'stopped';
  }

  private saveJobGroup(p: Params, id: string | null): Reply {
    const existing = id ? this.jobGroups.get(id) : undefined;
    if (id && !existing) throw E.jobGroup();
    const InstanceId = existing?.InstanceId ?? this.instance(p).InstanceId;
    const name = req(p, 'JobGroupName');
    if (!NAME_RULE.test(name)) throw E.nameMalformed();
    if (
      [...this.jobGroups.values()].some((o) => o !== existing && o.InstanceId === InstanceId && o.JobGroupName === name)
    )
      throw E.nameDuplicate();
    const algo = req(p, 'AlgoLibId');
    if (!this.algoLibs.has(algo)) throw E.algoLib(true);
    const profile = req(p, 'ResourceProfileId');
    if (!this.profiles.has(profile)) throw E.profile();
    const count = (name: string, fallback: number | undefined) => {
      const v = p.get(name);
      if (v === undefined) {
        if (fallback === undefined) throw E.missing();
        return fallback;
      }
      return int(v, name, 0, 10_000);
    };
    const params = repeated(p, 'JobGroupParams', ['Key', 'Value']).map((kv) => {
      if (!kv.Key || !kv.Value) throw E.missing();
      const allowed = JG_PARAMS[kv.Key];
      if (!allowed) throw E.keyNotSupported();
      if (!allowed.includes(kv.Value))
        throw new VcsError(400, 'InvalidParameter', `${kv.Key} must be ${allowed.join(' or ')}.`);
      return { Key: kv.Key, Value: kv.Value };
    });
    const status = p.get('Status');
    if (status !== undefined && status !== 'Running' && status !== 'Stopped') throw E.status();
    const g: JobGroup = existing ?? {
      JobGroupId: this.id(),
      InstanceId,
      JobGroupName: name,
      AlgoLibId: algo,
      ResourceProfileId: profile,
      PlannedJobCount: 0,
      JobCount: 0,
      StreamPerJob: 0,
      params: [],
      Status: 'stopped',
      startedAt: null,
      stoppedAt: null,
      streams: new Map(),
    };
    Object.assign(g, {
      JobGroupName: name,
      AlgoLibId: algo,
      ResourceProfileId: profile,
      PlannedJobCount: count('PlannedJobCount', existing?.PlannedJobCount),
      StreamPerJob: count('StreamPerJob', existing?.StreamPerJob),
      JobCount: count('JobCount', existing?.JobCount ?? 0),
      ...(p.has('JobGroupParams.1.Key') || !existing ? { params } : {}),
    });
    if (g.StreamPerJob < 1 || g.PlannedJobCount < 1)
      throw new VcsError(400, 'InvalidParameter', 'PlannedJobCount and StreamPerJob must be at least 1.');
    this.jobGroups.set(g.JobGroupId, g);
    if (status) this.setStatus(g, status === 'Running' ? 'starting' : 'stopping');
    return id ? {} : { JobGroupId: g.JobGroupId };
  }

  private setStatus(g: JobGroup, to: 'starting' | 'stopping'): void {
    this.settle(g);
    if (to === 'starting' && g.Status !== 'running' && g.Status !== 'starting')
      Object.assign(g, { Status: 'starting', startedAt: this.clock(), stoppedAt: null });
    if (to === 'stopping' && g.Status !== 'stopped' && g.Status !== 'stopping')
      Object.assign(g, { Status: 'stopping', stoppedAt: this.clock() });
  }

  private transition(p: Params, to: 'starting' | 'stopping'): Reply {
    this.setStatus(this.jobGroup(p), to);
    return {};
  }

  /** Compute jobs: ceil(streams / StreamPerJob), bounded by PlannedJobCount (§5). */
  private computeJobs(g: JobGroup): Array<{
    ComputeJobId: string;
    ComputeJobName: string;
    ComputeJobStatus: string;
    Duration: number;
    StartTime: string;
    EndTime: string;
  }> {
    const n = Math.min(g.PlannedJobCount, Math.max(1, Math.ceil(g.streams.size / g.StreamPerJob)));
    const running = g.Status === 'running' || g.Status === 'stopping';
    return Array.from({ length: n }, (_, i) => ({
      ComputeJobId: `${g.JobGroupId}${String(i + 1).padStart(2, '0')}`,
      ComputeJobName: `${g.JobGroupName}-job${i + 1}`,
      ComputeJobStatus: running ? 'Running' : 'Stopped',
      Duration: g.startedAt && running ? Math.floor((this.clock() - g.startedAt) / 1000) : 0,
      StartTime: g.startedAt ? this.iso(g.startedAt) : '',
      EndTime: g.stoppedAt ? this.iso(g.stoppedAt) : '',
    }));
  }

  private describeJobGroups(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    requirePaging(p, true);
    const only = p.get('JobGroupId');
    const list = [...this.jobGroups.values()]
      .filter((g) => g.InstanceId === InstanceId && (!only || g.JobGroupId === only))
      .map((g) => {
        this.settle(g);
        return {
          JobGroupId: g.JobGroupId,
          JobGroupName: g.JobGroupName,
          Name: g.JobGroupName, // the examples' name for it
          AlgoLibId: g.AlgoLibId,
          ResourceProfileId: g.ResourceProfileId,
          PlannedJobCount: g.PlannedJobCount,
          JobCount: g.JobCount,
          StreamPerJob: g.StreamPerJob,
          Status: g.Status,
          JobGroupParams: { JobGroupParam: g.params },
          // A bare array, as the examples print it (JobGroupParams beside it is wrapped).
          ComputeJobs: this.computeJobs(g),
        };
      });
    return page(p, 'JobGroups', 'JobGroup', list);
  }

  /** §3.1.1: names unique in the group (InvalidName.Duplicate), URLs must be URLs (mq:// documented). */
  private attach(p: Params): Reply {
    const g = this.jobGroup(p);
    const streams = repeated(p, 'Streams', ['StreamName', 'StreamURL']);
    const names = new Set<string>();
    for (const s of streams) {
      if (!s.StreamName || !/^[A-Za-z0-9_\-:.]{1,128}$/.test(s.StreamName)) throw E.nameMalformed();
      if (g.streams.has(s.StreamName) || names.has(s.StreamName)) throw E.nameDuplicate();
      if (!s.StreamURL || !/^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(s.StreamURL)) throw E.streamUrl();
      names.add(s.StreamName);
    }
    for (const s of streams) g.streams.set(s.StreamName!, s.StreamURL!);
    return {};
  }

  private describeStreams(p: Params): Reply {
    const g = this.jobGroup(p);
    const jobs = this.computeJobs(g);
    const list = [...g.streams].map(([StreamName, StreamURL], i) => ({
      StreamName,
      StreamURL,
      ComputeJobId: jobs[Math.floor(i / g.StreamPerJob) % jobs.length]!.ComputeJobId,
      JobId: jobs[Math.floor(i / g.StreamPerJob) % jobs.length]!.ComputeJobId, // the examples' name
      JobGroupId: Number(g.JobGroupId),
      DelayMS: 100 + (i % 7) * 10,
      ObjCount: 10 * (i + 1),
    }));
    return page(p, 'Streams', 'Stream', list);
  }

  private job(p: Params, name: string) {
    const g = this.jobGroup(p);
    const id = req(p, name);
    if (!this.computeJobs(g).some((j) => j.ComputeJobId === id))
      throw new VcsError(404, 'InvalidComputeJobId.NotFound', 'The specified compute job does not exist.');
    return { g, id };
  }

  private listLogs(p: Params): Reply {
    const { id } = this.job(p, 'ComputeJobId');
    return { JobLogs: { JobLog: [`job-${id}-stdout.log`, `job-${id}-stderr.log`] } };
  }

  private getLog(p: Params): Reply {
    const { g, id } = this.job(p, 'JobId');
    const file = req(p, 'JobLogName');
    if (file !== `job-${id}-stdout.log` && file !== `job-${id}-stderr.log`)
      throw new VcsError(404, 'InvalidJobLogName.NotFound', 'The specified log does not exist.');
    const lines = [...g.streams.keys()].map(
      (s, i) => `${this.iso(this.clock() - (g.streams.size - i) * 1000)} INFO stream ${s} decoded`,
    );
    const size = p.has('Size') ? int(p.get('Size')!, 'Size', 1, 100_000) : lines.length + 1;
    return {
      JobLog: [`${this.iso(g.startedAt ?? this.clock())} INFO job ${id} ${g.Status}`, ...lines].slice(-size).join('\n'),
    };
  }

  // ——— SearchImages (§3.3.1, §4.3) ———

  private searchImages(p: Params): Reply {
    const InstanceId = this.instance(p).InstanceId;
    const fromRaw = req(p, 'From');
    const sizeRaw = req(p, 'Size');
    if (!/^\d+$/.test(fromRaw)) throw E.from();
    if (!/^\d+$/.test(sizeRaw) || +sizeRaw < 1 || +sizeRaw > 100) throw E.size();
    const start = req(p, 'StartTime');
    const end = p.get('EndTime');
    if (!/^\d{13}$/.test(start) || (end !== undefined && !/^\d{13}$/.test(end)))
      throw new VcsError(400, 'InvalidParameter', 'StartTime and EndTime are 13-digit epoch milliseconds.');
    const noFeature = (p.get('NoFeature') ?? 'False').toLowerCase() === 'true';
    const contents = p.get('Contents');
    if (!noFeature && !contents && !p.get('ImageIds')) throw E.contents();
    if (contents && !contents.split(',').every((c) => /^[A-Za-z0-9+/]+={0,2}$/.test(c) && c.length % 4 === 0))
      throw E.contents();
    const type = p.get('Type')?.toLowerCase();
    if (type !== undefined && !ATTRIBUTES[type]) throw E.type();
    const filters = repeated(p, 'Attribute', ['Key', 'Value']).map((a) => {
      if (!a.Key) throw E.attrEmpty();
      const rule = ATTRIBUTES[type ?? 'person']![a.Key];
      if (!rule) throw E.attrKey();
      // The example asks Age=12 and the replies carry numeric codes ("Sex":1): a number is a code.
      const known = rule.values?.some((v) => v.toLowerCase() === (a.Value ?? '').toLowerCase());
      if (rule.values && !known && !/^\d+$/.test(a.Value ?? '')) throw E.attrValue();
      return { field: rule.field, value: (a.Value ?? '').toLowerCase() };
    });
    const cameras = p
      .get('CameraIds')
      ?.split(',')
      .map((s) => s.trim());
    if (cameras?.some((c) => this.cameras.get(c)?.InstanceId !== InstanceId)) throw E.cameraIds();
    const seedIds = p
      .get('ImageIds')
      ?.split(',')
      .map((s) => s.trim());
    const seeds = seedIds?.map((id) => this.hits.find((h) => h.ImageId === id));
    if (seeds?.some((h) => !h)) throw E.imageIds();
    // Similarity: by fingerprint distance to the query image(s) or to the given hits.
    const query = seeds?.length
      ? seeds.reduce((s, h) => s + h!.fingerprint, 0) / seeds.length
      : contents
        ? [...contents].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100, 7)
        : null;
    const hits = this.hits
      .filter(
        (h) =>
          h.InstanceId === InstanceId &&
          h.at >= +start &&
          (end === undefined || h.at <= +end) &&
          (!type || h.type === type) &&
          (!cameras || cameras.includes(h.CameraId)),
      )
      .filter((h) => filters.every((f) => h.attrs[f.field]?.toLowerCase() === f.value))
      .map((h) => ({
        h,
        score: noFeature || query === null ? 1 : Math.round((1 - Math.abs(h.fingerprint - query) / 100) * 1000) / 1000,
      }))
      .sort((a, b) => b.score - a.score || b.h.at - a.h.at);
    const from = +fromRaw;
    const size = +sizeRaw;
    const expires = Math.floor(this.clock() / 1000) + 3600;
    const signed = (kind: string, h: Hit) =>
      `${this.baseUrl()}/snapshot/${kind}/${h.CameraId}/${h.ImageId}.jpg?Expires=${expires}&OSSAccessKeyId=LTAIemulator&Signature=${encodeURIComponent(randomBytes(20).toString('base64'))}`;
    const Image = hits.slice(from, from + size).map(({ h, score }) => ({
      ImageId: h.ImageId,
      CameraId: h.CameraId,
      ObjType: OBJ_TYPE[h.type],
      Score: score,
      OrigImage: signed('origImage', h),
      CropImage: signed('cropImage', h),
      Feature: '',
      EntryTime: this.iso(h.at),
      LeaveTime: this.iso(h.at + 10_000),
      TimeStamp: this.iso(h.at),
      ObjLeft: 1630,
      ObjTop: 863,
      ObjRight: 1774,
      ObjBottom: 1068,
      ...h.attrs,
      ...Object.fromEntries(
        Object.keys(h.attrs)
          .filter((k) => k !== 'PlateNumber')
          .map((k) => [`${k}Score`, 0.9]),
      ),
    }));
    return { Images: { Image }, TotalCount: hits.length, PageNumber: Math.floor(from / size) + 1, PageSize: size };
  }
}

function req(p: Params, name: string): string {
  const v = p.get(name);
  if (v === undefined || v === '')
    throw new VcsError(403, 'MissingParameter', `You must specify the required resource parameters. (${name})`);
  return v;
}

function int(v: string, name: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || n < min || n > max)
    throw new VcsError(400, 'InvalidParameter', `${name} must be an integer between ${min} and ${max}.`);
  return n;
}

function statusOf(v: string): string {
  if (v !== 'Running' && v !== 'Stopped')
    throw new VcsError(400, 'InvalidStatus.ValueNotSupported', 'The specified status is invalid.');
  return v;
}

function capabilityName(p: Params): string {
  const name = req(p, 'CapabilityName');
  if (!NAME_RULE.test(name)) throw E.capName();
  return name;
}

/** JSON array text of IDs (CameraIds, InstanceIds: §7.10). */
function jsonArray(v: string, name: string, max: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new VcsError(400, 'InvalidParameter', `${name} must be a JSON array text such as ["a","b"].`);
  }
  if (!Array.isArray(parsed) || parsed.length > max || !parsed.every((x) => typeof x === 'string'))
    throw new VcsError(400, 'InvalidParameter', `${name} must be a JSON array of at most ${max} strings.`);
  return parsed as string[];
}

/** `Name.N.Field` parameters, N from 1 until a gap (§7.11). */
function repeated(p: Params, name: string, fields: string[]): Array<Record<string, string | undefined>> {
  const out: Array<Record<string, string | undefined>> = [];
  for (let n = 1; fields.some((f) => p.has(`${name}.${n}.${f}`)); n++)
    out.push(Object.fromEntries(fields.map((f) => [f, p.get(`${name}.${n}.${f}`)])));
  return out;
}

function requirePaging(p: Params, sizeToo: boolean): void {
  if (!p.has('PageNumber') || (sizeToo && !p.has('PageSize')))
    throw new VcsError(
      403,
      'MissingParameter',
      `You must specify the required resource parameters. (PageNumber${sizeToo ? ', PageSize' : ''})`,
    );
}

/** PAGING: PageNumber from 1 (default 1), PageSize ≤ 100 (default 10); lists as {Things: {Thing: []}}. */
function page<T>(p: Params, outer: string, inner: string, list: T[]): Reply {
  const PageNumber = int(p.get('PageNumber') ?? '1', 'PageNumber', 1, 1_000_000);
  const PageSize = int(p.get('PageSize') ?? '10', 'PageSize', 1, 100);
  return {
    [outer]: { [inner]: list.slice((PageNumber - 1) * PageSize, PageNumber * PageSize) },
    PageNumber,
    PageSize,
    TotalCount: list.length,
  };
}
