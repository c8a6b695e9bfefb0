import { z } from 'zod';
import { registerSecret } from '../../log';
import type { VcsClient } from './client';

/**
 * City Visual Intelligence Engine (seed 000, Version 2018-10-30; spec aliyun-cityvision.md): the
 * same signer and client as VCS, `family: 'cityvision'`. Replies are flat; lists come wrapped as
 * `{"Things":{"Thing":[...]}}` and are unwrapped here; numbers may arrive as strings (§1.4) and
 * several fields have two spellings (§7.5), both accepted.
 */

const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const str = z.union([z.string(), z.number().transform(String)]);
const Ok = z.looseObject({});

/** `{Outer: {Inner: [...]}}` → the array (absent → []). */
const wrapped = <T extends z.ZodType>(inner: string, item: T) =>
  z.looseObject({ [inner]: z.array(item).default([]) }).optional();
const paged = <T extends z.ZodType>(outer: string, inner: string, item: T) =>
  z
    .looseObject({
      [outer]: wrapped(inner, item),
      TotalCount: num.optional(),
      PageNumber: num.optional(),
      PageSize: num.optional(),
    })
    .transform((r) => ({
      items: ((r[outer] as Record<string, unknown> | undefined)?.[inner] ?? []) as Array<z.infer<T>>,
      total: (r.TotalCount as number | undefined) ?? 0,
    }));
/** A JSON-in-a-string field that some examples print as an object (§7.6). */
const jsonish = z.union([z.string(), z.looseObject({}).transform((o) => JSON.stringify(o))]);

export const CvCamera = z
  .looseObject({
    CameraId: str,
    CameraName: z.string().optional(),
    Name: z.string().optional(),
    InviteUri: z.string().optional(),
    Location: jsonish.optional(),
    RtmpPath: z.string().optional(),
    StreamStatus: z.string().optional(),
    WorkGroupId: str.optional(),
    UpdateTime: z.string().optional(),
    UpdationTime: z.string().optional(),
    Conf: jsonish.optional(),
  })
  .transform((c) => ({ ...c, CameraName: c.CameraName ?? c.Name ?? '', UpdateTime: c.UpdateTime ?? c.UpdationTime }));
export const CvImage = z.looseObject({
  ImageId: str,
  CameraId: str,
  ObjType: z.string(),
  Score: num.optional(),
  OrigImage: z.string().optional(),
  CropImage: z.string().optional(),
  OriImageSigned: z.string().optional(),
  CropImageSigned: z.string().optional(),
  EntryTime: z.string().optional(),
  LeaveTime: z.string().optional(),
  TimeStamp: z.string().optional(),
  ObjLeft: num.optional(),
  ObjTop: num.optional(),
  ObjRight: num.optional(),
  ObjBottom: num.optional(),
});
const WorkGroup = z
  .looseObject({
    WorkGroupId: str,
    WorkGroupName: z.string().optional(),
    Description: z.string().optional(),
    Protocol: z.string().optional(),
    ProtocolType: z.string().optional(),
    TheoryCutStatus: z.string().optional(),
    InstanceId: z.string().optional(),
    CreateTime: z.string().optional(),
    UpdateTime: z.string().optional(),
  })
  .transform((g) => ({ ...g, Protocol: g.Protocol ?? g.ProtocolType }));
const Instance = z.looseObject({
  InstanceId: z.string(),
  InstanceName: z.string().optional(),
  Description: z.string().optional(),
  InstanceCapacity: num.optional(),
  RegionId: z.string().optional(),
  Status: z.string().optional(),
  CreateTime: z.string().optional(),
});
const KeyValue = z.looseObject({ Key: z.string(), Value: z.string() });
const ComputeJob = z.looseObject({
  ComputeJobId: str,
  ComputeJobName: z.string().optional(),
  ComputeJobStatus: z.string().optional(),
  Duration: num.optional(),
  StartTime: z.string().optional(),
  EndTime: z.string().optional(),
});
const JobGroup = z
  .looseObject({
    JobGroupId: str,
    JobGroupName: z.string().optional(),
    Name: z.string().optional(),
    AlgoLibId: str.optional(),
    ResourceProfileId: str.optional(),
    PlannedJobCount: num.optional(),
    JobCount: num.optional(),
    StreamPerJob: num.optional(),
    Status: z.string().optional(),
    JobGroupParams: wrapped('JobGroupParam', KeyValue),
    ComputeJobs: z.union([z.array(ComputeJob), wrapped('ComputeJob', ComputeJob)]).optional(),
  })
  .transform((g) => ({
    ...g,
    JobGroupName: g.JobGroupName ?? g.Name ?? '',
    // Statuses drift in case (`running`/`Running`, §7.8): normalise to lower case.
    Status: g.Status?.toLowerCase(),
    params: g.JobGroupParams?.JobGroupParam ?? [],
    jobs: Array.isArray(g.ComputeJobs) ? g.ComputeJobs : (g.ComputeJobs?.ComputeJob ?? []),
  }));
const Stream = z
  .looseObject({
    StreamName: z.string(),
    StreamURL: z.string().optional(),
    StreamUrl: z.string().optional(),
    ComputeJobId: str.optional(),
    JobId: str.optional(),
    DelayMS: num.optional(),
    ObjCount: num.optional(),
    JobGroupId: str.optional(),
  })
  .transform((s) => ({ ...s, StreamURL: s.StreamURL ?? s.StreamUrl, ComputeJobId: s.ComputeJobId ?? s.JobId }));
const AlgoLib = z.looseObject({
  AlgoLibId: str.optional(),
  AlgoLibName: z.string(),
  AlgoLibVersion: z.string().optional(),
  CapabilityNames: z.string().optional(),
  Capacity: num.optional(),
  JsonText: z.string().optional(),
  Text: z.string().optional(),
  OssEndpoint: z.string().optional(),
  OssBucket: z.string().optional(),
  OssPath: z.string().optional(),
  OssAccessKeyId: z.string().optional(),
  UploadTime: z.string().optional(),
});
const Profile = z
  .looseObject({
    ResourceProfileId: str,
    ResourceProfileName: z.string(),
    ResourceProfileParams: wrapped('ResourceProfileParam', KeyValue),
  })
  .transform((r) => ({ ...r, params: r.ResourceProfileParams?.ResourceProfileParam ?? [] }));

export type AlgoLibInput = {
  AlgoLibName: string;
  AlgoLibVersion: string;
  CapabilityNames: string[];
  Capacity: number;
  JsonText: string;
  Text: string;
  OssEndpoint: string;
  OssBucket: string;
  OssPath: string;
  OssAccessKeyId: string;
  OssAccessKeySecret: string;
};
export type JobGroupInput = {
  AlgoLibId: string;
  JobGroupName: string;
  ResourceProfileId: string;
  PlannedJobCount?: number;
  StreamPerJob?: number;
  JobCount?: number;
  params?: Array<{ Key: string; Value: string }>;
  Status?: 'Running' | 'Stopped';
};

export class CityVisionApi {
  constructor(
    readonly client: VcsClient,
    /** Almost every Action takes an optional RegionId; DescribeInstances/CreateInstance need it. */
    private readonly regionId: string,
  ) {}

  private call<S extends z.ZodType>(
    schema: S,
    action: string,
    params: Record<string, string | number | undefined>,
    read: boolean,
    method: 'GET' | 'POST' = 'GET',
  ) {
    return this.client.call(schema, {
      action,
      family: 'cityvision',
      params: { RegionId: this.regionId, ...params },
      read,
      method,
    });
  }

  // Regions and instances (§3.2, §3.10)
  regions(language: 'zh-CN' | 'en-US' = 'zh-CN') {
    const Region = z.looseObject({
      RegionId: z.string(),
      LocalName: z.string().optional(),
      RegionEndpoint: z.string().optional(),
    });
    return this.call(
      z.looseObject({ Regions: wrapped('Region', Region) }),
      'DescribeRegions',
      { AcceptLanguage: language },
      true,
    ).then((r) => r.Regions?.Region ?? []);
  }
  instances(p: { ids?: string[]; InstanceName?: string; PageNumber?: number; PageSize?: number } = {}) {
    return this.call(
      paged('Instances', 'Instance', Instance),
      'DescribeInstances',
      {
        InstanceIds: p.ids ? JSON.stringify(p.ids) : undefined,
        InstanceName: p.InstanceName,
        PageNumber: p.PageNumber,
        PageSize: p.PageSize,
      },
      true,
    );
  }
  createInstance(p: {
    InstanceCapacity: number;
    InstanceName?: string;
    Description?: string;
    Status?: 'Running' | 'Stopped';
  }) {
    return this.call(z.looseObject({ InstanceId: z.string() }), 'CreateInstance', p, false).then((r) => r.InstanceId);
  }
  async modifyInstance(p: {
    InstanceId: string;
    InstanceName?: string;
    Description?: string;
    Status?: 'Running' | 'Stopped';
  }) {
    await this.call(Ok, 'ModifyInstance', p, false);
  }
  async deleteInstance(instanceId: string) {
    await this.call(Ok, 'DeleteInstance', { InstanceId: instanceId }, false);
  }

  // Ingest work groups and cameras (§3.8, §3.9)
  protocols() {
    return this.call(
      z.looseObject({ Protocols: z.record(z.string(), z.string()).default({}) }),
      'DescribeProtocols',
      {},
      true,
    ).then((r) => Object.values(r.Protocols));
  }
  workGroups(instanceId: string, p: { WorkGroupId?: string; PageNumber?: number; PageSize?: number } = {}) {
    return this.call(
      paged('WorkGroups', 'WorkGroup', WorkGroup),
      'DescribeWorkGroups',
      { InstanceId: instanceId, ...p },
      true,
    );
  }
  /** The upstream platform's password goes to the service only; it is never returned. */
  createWorkGroup(
    instanceId: string,
    p: {
      WorkGroupName: string;
      Description: string;
      Protocol: string;
      Ip: string;
      Port: number;
      Account: string;
      Password: string;
      JobNum: number;
      TheoryCutStatus: 'True' | 'False';
      TopicNum: number;
      TopicPrefix: string;
    },
  ) {
    registerSecret(p.Password);
    const { TheoryCutStatus, ...rest } = p;
    // The table's spelling (TheoryCutsStatus) — the example's differs (§3.9.3).
    return this.call(
      z.looseObject({ WorkGroupId: str }),
      'CreateWorkGroup',
      { InstanceId: instanceId, ...rest, TheoryCutsStatus: TheoryCutStatus },
      false,
    ).then((r) => r.WorkGroupId);
  }
  async modifyWorkGroup(workGroupId: string, description: string) {
    await this.call(Ok, 'ModifyWorkGroup', { WorkGroupId: workGroupId, Description: description }, false);
  }
  async deleteWorkGroup(workGroupId: string) {
    await this.call(Ok, 'DeleteWorkGroup', { WorkGroupId: workGroupId }, false);
  }
  cameras(
    instanceId: string,
    p: {
      PageNumber: number;
      PageSize: number;
      CameraId?: string;
      CameraName?: string;
      StreamStatus?: 'ON_LINE' | 'OFF_LINE';
      WorkGroupId?: string;
    },
  ) {
    return this.call(paged('Cameras', 'Camera', CvCamera), 'DescribeCameras', { InstanceId: instanceId, ...p }, true);
  }
  createCamera(
    instanceId: string,
    p: {
      CameraId: string;
      CameraName: string;
      InviteUri: string;
      location: { latitude: string; longitude: string };
      WorkGroupId: string;
      OssPath?: string;
    },
  ) {
    const { location, ...rest } = p;
    return this.call(
      z.looseObject({ CameraId: str }),
      'CreateCamera',
      { InstanceId: instanceId, ...rest, LocationInfo: JSON.stringify(location) },
      false,
    ).then((r) => r.CameraId);
  }
  async modifyCamera(p: {
    CameraId: string;
    CameraName: string;
    InviteUri: string;
    location: { latitude: string; longitude: string };
    StreamStatus?: 'ON_LINE' | 'OFF_LINE';
  }) {
    const { location, ...rest } = p;
    await this.call(Ok, 'ModifyCamera', { ...rest, LocationInfo: JSON.stringify(location) }, false);
  }
  async setCameraStatus(workGroupId: string, cameraIds: string[], status: 'ON_LINE' | 'OFF_LINE') {
    await this.call(
      Ok,
      'BatchModifyCameraStatus',
      { WorkGroupId: workGroupId, CameraIds: JSON.stringify(cameraIds), StreamStatus: status },
      false,
    );
  }
  async deleteCamera(cameraId: string) {
    await this.call(Ok, 'DeleteCamera', { CameraId: cameraId }, false);
  }
  streamsForCameras(instanceId: string, cameraIds: string[]) {
    const S = z
      .looseObject({ StreamName: z.string(), StreamUrl: z.string().optional(), StreamURL: z.string().optional() })
      .transform((s) => ({ StreamName: s.StreamName, StreamUrl: s.StreamUrl ?? s.StreamURL ?? '' }));
    return this.call(
      z.looseObject({ Streams: wrapped('Stream', S) }),
      'GetStreamsForCameras',
      { InstanceId: instanceId, CameraIds: JSON.stringify(cameraIds) },
      true,
    ).then((r) => r.Streams?.Stream ?? []);
  }

  // Capability sets, resource profiles, algorithm libraries (§3.4–§3.6)
  capabilities(instanceId: string, p: { PageNumber?: number; PageSize?: number } = {}) {
    return this.call(
      paged('Capabilities', 'Capability', z.looseObject({ CapabilityId: str, CapabilityName: z.string() })),
      'DescribeCapabilities',
      { InstanceId: instanceId, ...p },
      true,
    );
  }
  createCapability(instanceId: string, name: string) {
    return this.call(
      z.looseObject({ CapabilityId: str }),
      'CreateCapability',
      { InstanceId: instanceId, CapabilityName: name },
      false,
    ).then((r) => r.CapabilityId);
  }
  async modifyCapability(capabilityId: string, name: string) {
    await this.call(Ok, 'ModifyCapability', { CapabilityId: capabilityId, CapabilityName: name }, false);
  }
  async deleteCapability(capabilityId: string) {
    await this.call(Ok, 'DeleteCapability', { CapabilityId: capabilityId }, false);
  }
  resourceProfiles(instanceId: string, p: { PageNumber: number; PageSize?: number; ResourceProfileId?: string }) {
    return this.call(
      paged('ResourceProfiles', 'ResourceProfile', Profile),
      'DescribeResourceProfiles',
      { InstanceId: instanceId, ...p },
      true,
    );
  }
  /** Values may hold OSS/RDS secrets (§7.14): registered for redaction before they travel. */
  createResourceProfile(instanceId: string, name: string, params: Array<{ Key: string; Value: string }>) {
    registerProfileSecrets(params);
    return this.call(
      z.looseObject({ ResourceProfileId: str }),
      'CreateResourceProfile',
      { InstanceId: instanceId, ResourceProfileName: name, ...repeated('ResourceProfileParams', params) },
      false,
    ).then((r) => r.ResourceProfileId);
  }
  /** Sends the complete parameter list (the document does not say whether it merges). */
  async modifyResourceProfile(id: string, name: string, params: Array<{ Key: string; Value: string }>) {
    registerProfileSecrets(params);
    await this.call(
      Ok,
      'ModifyResourceProfile',
      { ResourceProfileId: id, ResourceProfileName: name, ...repeated('ResourceProfileParams', params) },
      false,
    );
  }
  async deleteResourceProfile(id: string) {
    await this.call(Ok, 'DeleteResourceProfile', { ResourceProfileId: id }, false);
  }
  algoLibs(
    instanceId: string,
    p: {
      AlgoLibId?: string;
      AlgoLibName?: string;
      capabilities?: string[];
      PageNumber?: number;
      PageSize?: number;
    } = {},
  ) {
    const { capabilities, ...rest } = p;
    return this.call(
      paged('AlgoLibs', 'AlgoLib', AlgoLib),
      'DescribeAlgoLibs',
      { InstanceId: instanceId, ...rest, CapabilityName: capabilities?.join(',') },
      true,
    );
  }
  /** JsonText can be large: sent as a POST form. */
  createAlgoLib(instanceId: string, p: AlgoLibInput) {
    registerSecret(p.OssAccessKeySecret);
    return this.call(
      z.looseObject({ AlgoLibId: str }),
      'CreateAlgoLib',
      { InstanceId: instanceId, ...p, CapabilityNames: p.CapabilityNames.join(',') },
      false,
      'POST',
    ).then((r) => r.AlgoLibId);
  }
  async modifyAlgoLib(algoLibId: string, p: AlgoLibInput) {
    registerSecret(p.OssAccessKeySecret);
    await this.call(
      Ok,
      'ModifyAlgoLib',
      { AlgoLibId: algoLibId, ...p, CapabilityNames: p.CapabilityNames.join(',') },
      false,
      'POST',
    );
  }
  async deleteAlgoLib(algoLibId: string) {
    await this.call(Ok, 'DeleteAlgoLib', { AlgoLibId: algoLibId }, false);
  }

  // Job groups, streams, logs (§3.1, §3.7)
  jobGroups(instanceId: string, p: { PageNumber: number; PageSize: number; JobGroupId?: string }) {
    return this.call(
      paged('JobGroups', 'JobGroup', JobGroup),
      'DescribeJobGroups',
      { InstanceId: instanceId, ...p },
      true,
    );
  }
  createJobGroup(instanceId: string, p: JobGroupInput & { PlannedJobCount: number; StreamPerJob: number }) {
    const { params, ...rest } = p;
    return this.call(
      z.looseObject({ JobGroupId: str }),
      'CreateJobGroup',
      { InstanceId: instanceId, ...rest, ...repeated('JobGroupParams', params ?? []) },
      false,
    ).then((r) => r.JobGroupId);
  }
  async modifyJobGroup(jobGroupId: string, p: JobGroupInput) {
    const { params, ...rest } = p;
    await this.call(
      Ok,
      'ModifyJobGroup',
      { JobGroupId: jobGroupId, ...rest, ...repeated('JobGroupParams', params ?? []) },
      false,
    );
  }
  async startJobGroup(jobGroupId: string) {
    await this.call(Ok, 'StartJobGroup', { JobGroupId: jobGroupId }, false);
  }
  async stopJobGroup(jobGroupId: string) {
    await this.call(Ok, 'StopJobGroup', { JobGroupId: jobGroupId }, false);
  }
  async deleteJobGroup(jobGroupId: string) {
    await this.call(Ok, 'DeleteJobGroup', { JobGroupId: jobGroupId }, false);
  }
  async attachStreams(jobGroupId: string, streams: Array<{ StreamName: string; StreamURL: string }>) {
    await this.call(Ok, 'AttachStream', { JobGroupId: jobGroupId, ...repeated('Streams', streams) }, false);
  }
  async detachStreams(jobGroupId: string, names: string[]) {
    await this.call(
      Ok,
      'DetachStream',
      {
        JobGroupId: jobGroupId,
        ...repeated(
          'Streams',
          names.map((StreamName) => ({ StreamName })),
        ),
      },
      false,
    );
  }
  streams(jobGroupId: string, p: { PageNumber?: number; PageSize?: number } = {}) {
    return this.call(paged('Streams', 'Stream', Stream), 'DescribeStreams', { JobGroupId: jobGroupId, ...p }, true);
  }
  jobLogs(jobGroupId: string, computeJobId: string) {
    return this.call(
      z.looseObject({ JobLogs: wrapped('JobLog', z.string()) }),
      'ListComputeJobLogs',
      { JobGroupId: jobGroupId, ComputeJobId: computeJobId },
      true,
    ).then((r) => r.JobLogs?.JobLog ?? []);
  }
  jobLog(jobGroupId: string, jobId: string, name: string, size?: number) {
    return this.call(
      z.looseObject({ JobLog: z.string().default('') }),
      'GetComputeJobLog',
      { JobGroupId: jobGroupId, JobId: jobId, JobLogName: name, Size: size },
      true,
    ).then((r) => r.JobLog);
  }

  /**
   * §3.3.1 SearchImages: by Base64 image(s) (POST), by attributes (`NoFeature=True`), or by
   * earlier hits (`ImageIds`). Times are epoch ms; paging is From/Size.
   */
  searchImages(p: {
    InstanceId: string;
    startMs: number;
    endMs?: number;
    From: number;
    Size: number;
    type?: 'person' | 'vehicle' | 'bicycle';
    images?: string[];
    attributes?: Array<{ Key: string; Value: string }>;
    imageIds?: string[];
    cameraIds?: string[];
  }) {
    const byFeature = Boolean(p.images?.length || p.imageIds?.length);
    const params = {
      InstanceId: p.InstanceId,
      StartTime: String(p.startMs),
      EndTime: p.endMs === undefined ? undefined : String(p.endMs),
      From: p.From,
      Size: p.Size,
      Type: p.type,
      Contents: p.images?.join(','),
      NoFeature: byFeature ? 'False' : 'True',
      ImageIds: p.imageIds?.join(','),
      CameraIds: p.cameraIds?.join(','),
      ...repeated('Attribute', p.attributes ?? []),
    };
    return this.call(
      paged('Images', 'Image', CvImage),
      'SearchImages',
      params,
      true,
      p.images?.length ? 'POST' : 'GET',
    );
  }
}

function registerProfileSecrets(params: Array<{ Key: string; Value: string }>): void {
  for (const { Key, Value } of params) if (/SECRET|PASSWORD/.test(Key)) registerSecret(Value);
}

/** `Name.N.Field` with N from 1 (§7.11). */
function repeated(name: string, items: Array<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  items.forEach((item, i) => {
    for (const [k, v] of Object.entries(item)) out[`${name}.${i + 1}.${k}`] = v;
  });
  return out;
}
