import { createHash, randomUUID } from 'node:crypto';
import { idList, jsonIds, jsonParam, paging, required, scheduleTimes, VcsError } from './common';

/**
 * §3.3 compute instances (both generations) and §3.4 data sources, uploads and storage of the
 * Alibaba VCS emulator. Handlers take the decoded parameters and return the reply body without
 * RequestId; `cameraExists` is the device table's answer.
 */
type Params = Map<string, string>;

interface OldInstance {
  InstanceId: string;
  InstanceName: string;
  ProjectId: string;
  AlgorithmType: string;
  Devices: Array<{ DeviceId: string }>;
  Algorithms: Array<{ AlgorithmId: string; AlgorithmName: string }>;
  ScheduleType: string;
  Status: string;
  CreateTime: number;
  AcuUsed: number;
}

interface AiInstance {
  InstanceId: string;
  InstanceName: string;
  ProjectId: string;
  AlgorithmId: string;
  AlgorithmName: string;
  ComputeType: string;
  DataSource: string;
  DataType: string;
  ScheduleType: string;
  ScheduleCycleDates: string;
  ScheduleTimes: string;
  Spf: number;
  Status: string;
  CreateDateTime: string;
  AcuUsed: number;
  Storage: number;
  cameras: Set<string>;
}

interface DataSource {
  CorpId: string;
  DataSourceId: string;
  DataSourceName: string;
  DataSourceType: string;
  Description: string;
  Url: string;
  KafkaTopic: string;
  OssPath: string;
}

const OK0 = { Code: '0', Message: 'SUCCESS' };
const OK200 = { Code: '200', Message: 'success' };
/** AddDataSource/UpdateDataSource URL forms (§3.4.1): HLS or FLV over http(s), or RTMP. */
const STREAM_URL = /^(https?:\/\/[^/?#]+\/[^?#]*\.(m3u8|flv)(\?.*)?|rtmp:\/\/[^/?#]+\/[^?#]+(\?.*)?)$/;

export class VcsAnalysis {
  readonly oldInstances = new Map<string, OldInstance>();
  readonly aiInstances = new Map<string, AiInstance>();
  readonly dataSources = new Map<string, DataSource>();
  readonly files = new Map<
    string,
    { DataSourceId: string; FileName: string; FileAliasName: string; OssPath: string; MD5: string }
  >();
  /** (DeviceId, StorageType) → days; write-only on the platform (no read-back Action). */
  readonly storage = new Map<string, number>();
  private next = 1000;

  constructor(
    private readonly clock: () => number,
    private readonly camera: (id: string) => { CorpId: string; DeviceName: string; DeviceStatus: string } | undefined,
    private readonly corpExists: (id: string) => boolean,
  ) {}

  /** DeleteDevices refuses devices an instance analyses (`InstanceAlreadyBind`). */
  isBound(deviceId: string): boolean {
    for (const i of this.aiInstances.values()) if (i.cameras.has(deviceId)) return true;
    for (const i of this.oldInstances.values()) if (i.Devices.some((d) => d.DeviceId === deviceId)) return true;
    return false;
  }

  handle(action: string, p: Params): Record<string, unknown> | undefined {
    switch (action) {
      case 'CreateComputeInstance':
        return this.createComputeInstance(p);
      case 'BatchDeleteInstance':
        return this.batchDeleteInstance(p);
      case 'ListInstances':
        return this.listInstances(p);
      case 'CreateAIInstance':
        return this.createAIInstance(p);
      case 'DeleteAIInstance':
        return this.deleteAIInstance(p);
      case 'DescribeAIInstance':
        return this.describeAIInstance(p);
      case 'DescribeCameraForInstance':
        return this.describeCameras(p);
      case 'AddCameraForInstance':
        return this.changeCameras(p, 'add');
      case 'RemoveCameraForInstance':
        return this.changeCameras(p, 'remove');
      case 'AddDataSource':
        return this.addDataSource(p);
      case 'UploadFile':
        return this.uploadFile(p);
      case 'UpdateDevicesStorage':
        return this.updateStorage(p);
      case 'UpdateDataSource':
        return this.updateDataSource(p);
      default:
        return undefined;
    }
  }

  /** §3.3.1: devices and algorithms inline; schedule fields validated per ScheduleType. */
  private createComputeInstance(p: Params) {
    const InstanceName = required(p, 'InstanceName');
    const AlgorithmType = required(p, 'AlgorithmType');
    if (!['REALTIME_STREAM', 'PICTURE'].includes(AlgorithmType))
      throw new VcsError(400, 'InvalidParameter', 'AlgorithmType must be REALTIME_STREAM or PICTURE.');
    const devices = jsonParam(p, 'Devices');
    if (
      !Array.isArray(devices) ||
      devices.length === 0 ||
      !devices.every(
        (d) =>
          d &&
          typeof d === 'object' &&
          typeof (d as Record<string, unknown>).DeviceId === 'string' &&
          typeof (d as Record<string, unknown>).StartStream === 'boolean',
      )
    )
      throw new VcsError(400, 'InvalidParameter', 'Devices must be a JSON array of {DeviceId, StartStream, …}.');
    const algorithms = jsonParam(p, 'Algorithms');
    if (
      !Array.isArray(algorithms) ||
      algorithms.length === 0 ||
      !algorithms.every(
        (a) =>
          a &&
          typeof a === 'object' &&
          typeof (a as Record<string, unknown>).AlgorithmId === 'string' &&
          typeof (a as Record<string, unknown>).AlgorithmName === 'string',
      )
    )
      throw new VcsError(400, 'InvalidParameter', 'Algorithms must be a JSON array of {AlgorithmId, AlgorithmName}.');
    const ScheduleType = required(p, 'ScheduleType');
    this.checkSchedule(p, ScheduleType, ['EVERYDAY', 'ONCE', 'EVERY_WEEK', 'EVERY_MONTH'], 'ScheduleCycleDate', false);
    if (p.get('IsPolling') === 'true' && (!p.get('SliceExecutionTime') || !p.get('OverallExecutionTime')))
      throw new VcsError(
        403,
        'MissingParameter',
        'SliceExecutionTime and OverallExecutionTime are required when IsPolling is true.',
      );
    const InstanceId = String(this.next++);
    this.oldInstances.set(InstanceId, {
      InstanceId,
      InstanceName,
      ProjectId: p.get('ProjectId') ?? '',
      AlgorithmType,
      Devices: (devices as Array<{ DeviceId: string }>).map((d) => ({ DeviceId: d.DeviceId })),
      Algorithms: (algorithms as Array<{ AlgorithmId: string; AlgorithmName: string }>).map((a) => ({
        AlgorithmId: a.AlgorithmId,
        AlgorithmName: a.AlgorithmName,
      })),
      ScheduleType,
      Status: 'APPROVED',
      CreateTime: this.clock(),
      AcuUsed: devices.length,
    });
    return { ...OK0, Success: true, Data: { AcuUsed: devices.length, InstanceId } };
  }

  /** §3.3.2: ProjectId required; every ID must belong to it. */
  private batchDeleteInstance(p: Params) {
    const ProjectId = required(p, 'ProjectId');
    const ids = jsonIds(p, 'InstanceIds', 100);
    for (const id of ids)
      if (this.oldInstances.get(id)?.ProjectId !== ProjectId)
        throw new VcsError(400, 'InvalidParameter', `Instance ${id} does not exist in project ${ProjectId}.`);
    for (const id of ids) this.oldInstances.delete(id);
    return { ...OK0, Success: true };
  }

  /** §3.3.3: CurrentPage/PageSize (optional), fuzzy InstanceName. */
  private listInstances(p: Params) {
    const page = Number(p.get('CurrentPage') ?? 1);
    const size = Number(p.get('PageSize') ?? 10);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1 || size > 100)
      throw new VcsError(400, 'InvalidParameter', 'CurrentPage ≥ 1 and 1 ≤ PageSize ≤ 100.');
    const project = p.get('ProjectId');
    const name = p.get('InstanceName') ?? '';
    const all = [...this.oldInstances.values()].filter(
      (i) => (!project || i.ProjectId === project) && i.InstanceName.includes(name),
    );
    const Items = all.slice((page - 1) * size, page * size).map((i) => ({
      Status: i.Status,
      InstanceName: i.InstanceName,
      CreateTime: i.CreateTime,
      DeviceNumber: i.Devices.length,
      InstanceId: i.InstanceId,
      AcuUsed: i.AcuUsed,
      Algorithms: i.Algorithms,
    }));
    return { ...OK0, Success: true, Data: { Items, CurrentPage: page, PageSize: size, TotalCount: all.length } };
  }

  /** §3.3.4: the enums as listed, 1–32 character names, Spf xor Fps, overlapping periods merged. */
  private createAIInstance(p: Params) {
    const InstanceName = required(p, 'InstanceName');
    if (!/^[\p{Script=Han}A-Za-z0-9_\- ]{1,32}$/u.test(InstanceName))
      throw new VcsError(
        400,
        'InvalidParameter',
        'InstanceName: 1–32 characters of Chinese, letters, digits, underscore, hyphen or space.',
      );
    const ProjectId = required(p, 'ProjectId');
    if (!this.corpExists(ProjectId))
      throw new VcsError(400, 'InvalidParameter', `Project ${ProjectId} does not exist.`);
    const enumOf = (name: string, values: string[]) => {
      const v = required(p, name);
      if (!values.includes(v)) throw new VcsError(400, 'InvalidParameter', `${name} must be ${values.join(' or ')}.`);
      return v;
    };
    const ComputeType = enumOf('ComputeType', ['StreamCompute']);
    const DataSource = enumOf('DataSource', ['Camera']);
    const DataType = enumOf('DataType', ['Picture']);
    enumOf('InstanceType', ['Offline', 'Normal']);
    const container = p.get('ContainerType');
    if (container && !['GCS', 'ECS'].includes(container))
      throw new VcsError(400, 'InvalidParameter', 'ContainerType must be GCS or ECS.');
    const spf = Number(p.get('Spf') ?? 0);
    const fps = Number(p.get('Fps') ?? 0);
    if (!Number.isInteger(spf) || spf < 0 || spf > 3600 || !Number.isInteger(fps) || fps < 0 || fps > 60)
      throw new VcsError(400, 'InvalidParameter', 'Spf is 1–3600 and Fps 1–60 (0 = not set).');
    if (spf > 0 && fps > 0) throw new VcsError(400, 'InvalidParameter', 'Send only one of Spf and Fps.');
    const ScheduleType = p.get('ScheduleType') ?? 'LONG_RUNNING';
    const { dates, times } = this.checkSchedule(
      p,
      ScheduleType,
      ['EVERYDAY', 'EVERY_WEEK', 'EVERY_MONTH', 'LONG_RUNNING'],
      'ScheduleCycleDates',
      true,
    );
    const InstanceId = String(this.next++);
    this.aiInstances.set(InstanceId, {
      InstanceId,
      InstanceName,
      ProjectId,
      AlgorithmId: required(p, 'AlgorithmId'),
      AlgorithmName: required(p, 'AlgorithmName'),
      ComputeType,
      DataSource,
      DataType,
      ScheduleType,
      ScheduleCycleDates: JSON.stringify(dates),
      ScheduleTimes: JSON.stringify(mergePeriods(times)),
      Spf: spf,
      Status: 'UN_STATE',
      CreateDateTime: chinaTime(this.clock()),
      AcuUsed: 1,
      Storage: 0,
      cameras: new Set(),
    });
    return { ...OK0, Data: { AcuUsed: 1, InstanceId, Storage: '0' } };
  }

  /** §3.3.5: all or nothing. */
  private deleteAIInstance(p: Params) {
    const ids = jsonIds(p, 'InstanceIds', 100);
    const missing = ids.find((id) => !this.aiInstances.has(id));
    if (missing)
      throw new VcsError(400, 'InvalidParameter', `Instance ${missing} does not exist; nothing was deleted.`);
    for (const id of ids) this.aiInstances.delete(id);
    return { ...OK0 };
  }

  /** §3.3.6: at least one of ProjectId/InstanceId/InstanceName; filters AND-combined; PageSize ≤ 100. */
  private describeAIInstance(p: Params) {
    const { page, size } = paging(p, 'PageNumber', 100);
    const [project, id, name] = [p.get('ProjectId'), p.get('InstanceId'), p.get('InstanceName')];
    if (!project && !id && !name)
      throw new VcsError(403, 'MissingParameter', 'One of ProjectId, InstanceId and InstanceName is required.');
    const all = [...this.aiInstances.values()].filter(
      (i) =>
        (!project || i.ProjectId === project) &&
        (!id || i.InstanceId === id) &&
        (!name || i.InstanceName.includes(name)),
    );
    const Records = all
      .slice((page - 1) * size, page * size)
      .map(({ cameras, ProjectId: _p, ...i }) => ({ ...i, CameraNumber: cameras.size }));
    return { ...OK0, Data: { TotalCount: all.length, PageSize: size, PageNumber: page, Records } };
  }

  private aiInstance(p: Params): AiInstance {
    const id = required(p, 'InstanceId');
    const inst = this.aiInstances.get(id);
    if (!inst) throw new VcsError(400, 'InvalidParameter', `Instance ${id} does not exist.`);
    return inst;
  }

  /** §3.3.7: PageSize ≤ 100. */
  private describeCameras(p: Params) {
    const inst = this.aiInstance(p);
    const { page, size } = paging(p, 'PageNumber', 100);
    const ids = [...inst.cameras];
    const Records = ids.slice((page - 1) * size, page * size).map((CameraId) => {
      const d = this.camera(CameraId);
      return {
        CameraId,
        CameraName: d?.DeviceName ?? '',
        CameraAddress: '',
        CameraStatus: Number(d?.DeviceStatus ?? 0),
      };
    });
    return { ...OK0, Data: { TotalCount: ids.length, PageSize: size, PageNumber: page, Records } };
  }

  /** §3.3.8/§3.3.9: ≤ 10 000, atomic, idempotent; added cameras must exist. */
  private changeCameras(p: Params, op: 'add' | 'remove') {
    const inst = this.aiInstance(p);
    const ids = jsonIds(p, 'CameraIds', 10_000);
    if (op === 'add') {
      const unknown = ids.find((id) => !this.camera(id));
      if (unknown) throw new VcsError(400, 'InvalidParameter', `Camera ${unknown} does not exist; nothing was added.`);
      for (const id of ids) inst.cameras.add(id);
    } else for (const id of ids) inst.cameras.delete(id);
    return { ...OK0 };
  }

  private checkSchedule(
    p: Params,
    type: string,
    allowed: string[],
    datesName: string,
    datesJson: boolean,
  ): { dates: number[]; times: Array<{ StartTime: string; EndTime: string }> } {
    if (!allowed.includes(type))
      throw new VcsError(400, 'InvalidParameter', `ScheduleType must be one of ${allowed.join(', ')}.`);
    let dates: number[] = [];
    if (type === 'EVERY_WEEK' || type === 'EVERY_MONTH') {
      const raw = required(p, datesName);
      const parsed: unknown = datesJson ? jsonParam(p, datesName) : raw.split(',').map((s) => Number(s.trim()));
      const max = type === 'EVERY_WEEK' ? 7 : 31;
      if (
        !Array.isArray(parsed) ||
        parsed.length === 0 ||
        !parsed.every((d) => Number.isInteger(d) && d >= 1 && d <= max)
      )
        throw new VcsError(400, 'InvalidParameter', `${datesName}: days 1–${max} for ${type}.`);
      dates = parsed as number[];
    }
    let times: Array<{ StartTime: string; EndTime: string }> = [];
    if (type === 'EVERYDAY' || type === 'EVERY_WEEK' || type === 'EVERY_MONTH') {
      times = scheduleTimes(jsonParam(p, 'ScheduleTimes'), 'ScheduleTimes');
      // The older API rejects overlapping periods; the newer one merges them (§3.3.1 vs §3.3.4).
      if (!datesJson && mergePeriods(times).length !== times.length)
        throw new VcsError(400, 'InvalidParameter', 'ScheduleTimes periods overlap.');
    }
    return { dates, times };
  }

  /** §3.4.1: AUDIO/VIDEO need an HLS, FLV or RTMP Url. */
  private addDataSource(p: Params) {
    const CorpId = required(p, 'CorpId');
    if (!this.corpExists(CorpId)) throw new VcsError(400, 'InvalidParameter', `Project ${CorpId} does not exist.`);
    const DataSourceName = required(p, 'DataSourceName');
    const DataSourceType = required(p, 'DataSourceType');
    if (!['AUDIO', 'VIDEO', 'DEVICE', 'PIC'].includes(DataSourceType))
      throw new VcsError(400, 'InvalidParameter', 'DataSourceType must be AUDIO, VIDEO, DEVICE or PIC.');
    const Url = this.checkUrl(p, DataSourceType);
    const stamp = this.clock();
    const DataSourceId = `ds_${randomUUID().replace(/-/g, '').slice(0, 11)}_${stamp}`;
    const topic = `${DataSourceType.toLowerCase()}_algo${stamp}${this.next++}`;
    this.dataSources.set(DataSourceId, {
      CorpId,
      DataSourceId,
      DataSourceName,
      DataSourceType,
      Description: p.get('Description') ?? '',
      Url,
      KafkaTopic: topic,
      OssPath: topic,
    });
    return { ...OK200, Data: { KafkaTopic: topic, DataSourceId, OssPath: topic } };
  }

  private checkUrl(p: Params, type: string): string {
    const url = p.get('Url') ?? '';
    if (type === 'AUDIO' || type === 'VIDEO') {
      if (!url) throw new VcsError(403, 'MissingParameter', 'Url is required for AUDIO and VIDEO data sources.');
      if (!STREAM_URL.test(url))
        throw new VcsError(
          400,
          'InvalidParameter',
          'Url must be an HLS (.m3u8) or FLV (.flv) URL over http(s), or an rtmp:// URL.',
        );
    }
    return url;
  }

  /** §3.4.4: refresh a virtual source's expiring URL. */
  private updateDataSource(p: Params) {
    const id = required(p, 'DataSourceId');
    const ds = this.dataSources.get(id);
    if (!ds) throw new VcsError(400, 'InvalidParameter', `Data source ${id} does not exist.`);
    const name = required(p, 'DataSourceName');
    const url =
      p.has('Url') || ds.DataSourceType === 'AUDIO' || ds.DataSourceType === 'VIDEO'
        ? this.checkUrl(p, ds.DataSourceType)
        : ds.Url;
    Object.assign(ds, { DataSourceName: name, Url: url, Description: p.get('Description') ?? ds.Description });
    return { ...OK200 };
  }

  /** §3.4.2: FilePath wins over FileContent; MD5 checked against the decoded content. */
  private uploadFile(p: Params) {
    const FileType = required(p, 'FileType');
    if (!['AUDIO', 'VIDEO', 'DEVICE', 'PIC'].includes(FileType))
      throw new VcsError(400, 'InvalidParameter', 'FileType must be AUDIO, VIDEO, DEVICE or PIC.');
    const FileName = required(p, 'FileName');
    const DataSourceId = required(p, 'DataSourceId');
    const ds = this.dataSources.get(DataSourceId);
    if (!ds) throw new VcsError(400, 'InvalidParameter', `Data source ${DataSourceId} does not exist.`);
    const path = p.get('FilePath');
    const content = p.get('FileContent');
    let OssPath: string;
    let md5 = p.get('MD5') ?? '';
    if (path) {
      const m = /^(?:https?:\/\/([a-z0-9-]+)\.oss-[a-z0-9-]+\.aliyuncs\.com\/(.+)|([a-z0-9-]+)\/(.+))$/.exec(path);
      if (!m)
        throw new VcsError(
          400,
          'InvalidParameter',
          'FilePath must be bucket/object or http://bucket.oss-<region>.aliyuncs.com/object.',
        );
      OssPath = `${m[1] ?? m[3]}/${m[2] ?? m[4]}`;
    } else if (content) {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(content))
        throw new VcsError(400, 'InvalidParameter', 'FileContent must be Base64.');
      const bytes = Buffer.from(content, 'base64');
      const actual = createHash('md5').update(bytes).digest('hex').toUpperCase();
      if (md5 && md5.toUpperCase() !== actual)
        throw new VcsError(400, 'InvalidParameter', 'MD5 does not match FileContent.');
      md5 = actual;
      OssPath = `vcs-emulator/${ds.OssPath}/${this.next++}`;
    } else throw new VcsError(403, 'MissingParameter', 'One of FileContent and FilePath is required.');
    const SourceId = `dsf_${randomUUID().replace(/-/g, '')}`;
    this.files.set(SourceId, {
      DataSourceId,
      FileName,
      FileAliasName: p.get('FileAliasName') || FileName,
      OssPath,
      MD5: md5,
    });
    return { ...OK200, Data: { Records: [{ OssPath, SourceId }] } };
  }

  /** §3.4.3: `Data` false (with Success true) when a device is unknown — nothing applied. */
  private updateStorage(p: Params) {
    const reqs = jsonParam(p, 'UpdateStorageRequests');
    if (!Array.isArray(reqs) || reqs.length === 0)
      throw new VcsError(400, 'InvalidParameter', 'UpdateStorageRequests must be a non-empty JSON array.');
    const changes: Array<[string, number]> = [];
    let applied = true;
    for (const r of reqs as Array<Record<string, unknown>>) {
      const ids = typeof r?.DeviceIds === 'string' ? idList(r.DeviceIds) : [];
      const days = Array.isArray(r?.StorageDays) ? (r.StorageDays as Array<Record<string, unknown>>) : [];
      if (
        ids.length === 0 ||
        days.length === 0 ||
        !days.every(
          (d) =>
            (d?.StorageType === 'PICTURE' || d?.StorageType === 'VIDEO') &&
            Number.isInteger(d.StorageDays) &&
            (d.StorageDays as number) > 0,
        )
      )
        throw new VcsError(
          400,
          'InvalidParameter',
          'Each request needs DeviceIds and StorageDays [{StorageType: PICTURE|VIDEO, StorageDays: n}].',
        );
      for (const id of ids) {
        if (!this.camera(id)) applied = false;
        for (const d of days) changes.push([`${id}/${String(d.StorageType)}`, d.StorageDays as number]);
      }
    }
    if (applied) for (const [k, v] of changes) this.storage.set(k, v);
    return { ...OK0, Success: true, Data: applied };
  }
}

/** Overlapping HH:mm:ss periods merged (10:00–12:00 + 11:00–14:00 → 10:00–14:00). */
export function mergePeriods(
  times: Array<{ StartTime: string; EndTime: string }>,
): Array<{ StartTime: string; EndTime: string }> {
  const sorted = [...times].sort((a, b) => a.StartTime.localeCompare(b.StartTime));
  const out: Array<{ StartTime: string; EndTime: string }> = [];
  for (const t of sorted) {
    const last = out[out.length - 1];
    if (last && t.StartTime <= last.EndTime) last.EndTime = t.EndTime > last.EndTime ? t.EndTime : last.EndTime;
    else out.push({ ...t });
  }
  return out;
}

/** `yyyy-MM-dd HH:mm:ss` in China Standard Time (UTC+8), as CreateDateTime is printed. */
function chinaTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
