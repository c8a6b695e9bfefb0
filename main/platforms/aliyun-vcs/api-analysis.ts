import { z } from 'zod';
import type { VcsClient } from './client';

/**
 * VCS analysis Actions (spec aliyun-vcs.md §3.3 compute instances, both generations, and §3.4
 * data sources, uploads and storage). Structured parameters go as JSON text (§1.3); JSON-string
 * response fields (ScheduleTimes, ScheduleCycleDates) are parsed a second time here.
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
/** A JSON array carried as a string (§7.5); kept as-is when it does not parse. */
const jsonText = z.string().transform((s): unknown => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
});

export type Period = { StartTime: string; EndTime: string };
export type Schedule =
  | { ScheduleType: 'LONG_RUNNING' | 'ONCE' }
  | { ScheduleType: 'EVERYDAY'; ScheduleTimes: Period[] }
  | { ScheduleType: 'EVERY_WEEK' | 'EVERY_MONTH'; days: number[]; ScheduleTimes: Period[] };

export const AiInstance = z.looseObject({
  InstanceId: str,
  InstanceName: z.string(),
  AlgorithmId: str.optional(),
  AlgorithmName: z.string().optional(),
  ScheduleType: z.string().optional(),
  ScheduleCycleDates: jsonText.optional(),
  ScheduleTimes: jsonText.optional(),
  Spf: num.optional(),
  Status: z.string().optional(),
  CreateDateTime: z.string().optional(),
  AcuUsed: num.optional(),
  CameraNumber: num.optional(),
  Storage: num.optional(),
});

const Paged = <T extends z.ZodType>(record: T) =>
  z.looseObject({ Data: z.looseObject({ TotalCount: num, Records: z.array(record).default([]) }) });

export class VcsAnalysisApi {
  constructor(readonly client: VcsClient) {}

  /** §3.3.1 (older API): devices and algorithms inline. */
  createComputeInstance(p: {
    InstanceName: string;
    AlgorithmType: 'REALTIME_STREAM' | 'PICTURE';
    ProjectId?: string;
    Devices: Array<{ DeviceId: string; StartStream: boolean }>;
    Algorithms: Array<{ AlgorithmId: string; AlgorithmName: string }>;
    schedule: Schedule;
  }) {
    const { schedule, Devices, Algorithms, ...rest } = p;
    const params = {
      ...rest,
      Devices: JSON.stringify(Devices),
      Algorithms: JSON.stringify(Algorithms),
      ...scheduleParams(schedule, 'ScheduleCycleDate', (d) => d.join(',')),
    };
    return this.client
      .call(z.looseObject({ Data: z.looseObject({ InstanceId: str, AcuUsed: num.optional() }) }), {
        action: 'CreateComputeInstance',
        params,
        read: false,
      })
      .then((r) => r.Data);
  }

  /** §3.3.3: CurrentPage paging. */
  listInstances(p: { ProjectId?: string; InstanceName?: string; PageSize?: number; CurrentPage?: number }) {
    const Item = z.looseObject({
      InstanceId: str,
      InstanceName: z.string(),
      Status: z.string(),
      CreateTime: num.optional(),
      DeviceNumber: num.optional(),
      Algorithms: z.array(z.looseObject({ AlgorithmId: str, AlgorithmName: z.string() })).default([]),
    });
    return this.client
      .call(z.looseObject({ Data: z.looseObject({ Items: z.array(Item).default([]), TotalCount: num }) }), {
        action: 'ListInstances',
        params: p,
        read: true,
      })
      .then((r) => r.Data);
  }

  /** §3.3.2: ProjectId required. */
  async batchDeleteInstance(projectId: string, instanceIds: string[]) {
    await this.client.call(Ok, {
      action: 'BatchDeleteInstance',
      params: { ProjectId: projectId, InstanceIds: JSON.stringify(instanceIds) },
      read: false,
    });
  }

  /** §3.3.4 (newer API): cameras are added afterwards with addCameras. */
  createAIInstance(p: {
    InstanceName: string;
    ProjectId: string;
    AlgorithmId: string;
    AlgorithmName: string;
    InstanceType: 'Offline' | 'Normal';
    ContainerType?: 'GCS' | 'ECS';
    Spf?: number;
    Fps?: number;
    schedule: Schedule;
  }) {
    const { schedule, ...rest } = p;
    const params = {
      ...rest,
      ComputeType: 'StreamCompute',
      DataSource: 'Camera',
      DataType: 'Picture',
      ...scheduleParams(schedule, 'ScheduleCycleDates', (d) => JSON.stringify(d)),
    };
    return this.client
      .call(z.looseObject({ Data: z.looseObject({ InstanceId: str, AcuUsed: num.optional() }) }), {
        action: 'CreateAIInstance',
        params,
        read: false,
      })
      .then((r) => r.Data);
  }

  /** §3.3.6: at least one of ProjectId/InstanceId/InstanceName; PageSize ≤ 100. */
  describeAIInstances(p: {
    PageNumber: number;
    PageSize: number;
    ProjectId?: string;
    InstanceId?: string;
    InstanceName?: string;
  }) {
    return this.client
      .call(Paged(AiInstance), { action: 'DescribeAIInstance', params: p, read: true })
      .then((r) => r.Data);
  }

  /** §3.3.5: all or nothing. */
  async deleteAIInstances(instanceIds: string[]) {
    await this.client.call(Ok, {
      action: 'DeleteAIInstance',
      params: { InstanceIds: JSON.stringify(instanceIds) },
      read: false,
    });
  }

  /** §3.3.7. */
  cameras(p: { InstanceId: string; PageNumber: number; PageSize: number }) {
    const Camera = z.looseObject({
      CameraId: str,
      CameraName: z.string().optional(),
      CameraAddress: z.string().optional(),
      CameraStatus: num.optional(),
    });
    return this.client
      .call(Paged(Camera), { action: 'DescribeCameraForInstance', params: p, read: true })
      .then((r) => r.Data);
  }

  /** §3.3.8/§3.3.9: ≤ 10 000 IDs, atomic, idempotent. */
  async addCameras(instanceId: string, cameraIds: string[]) {
    await this.client.call(Ok, {
      action: 'AddCameraForInstance',
      params: { InstanceId: instanceId, CameraIds: JSON.stringify(cameraIds) },
      read: false,
    });
  }
  async removeCameras(instanceId: string, cameraIds: string[]) {
    await this.client.call(Ok, {
      action: 'RemoveCameraForInstance',
      params: { InstanceId: instanceId, CameraIds: JSON.stringify(cameraIds) },
      read: false,
    });
  }

  /** §3.4.1: AUDIO/VIDEO need an HLS, FLV or RTMP Url. */
  addDataSource(p: {
    CorpId: string;
    DataSourceName: string;
    DataSourceType: 'AUDIO' | 'VIDEO' | 'DEVICE' | 'PIC';
    Description?: string;
    Url?: string;
  }) {
    return this.client
      .call(
        z.looseObject({
          Data: z.looseObject({ DataSourceId: str, KafkaTopic: z.string().optional(), OssPath: z.string().optional() }),
        }),
        { action: 'AddDataSource', params: p, read: false },
      )
      .then((r) => r.Data);
  }

  /** §3.4.4: refresh a virtual source's expiring URL. */
  async updateDataSource(p: { DataSourceId: string; DataSourceName: string; Description?: string; Url?: string }) {
    await this.client.call(Ok, { action: 'UpdateDataSource', params: p, read: false });
  }

  /** §3.4.2: Base64 content goes as a POST form (it is too large for a query string). */
  uploadFile(
    p: {
      DataSourceId: string;
      FileType: 'AUDIO' | 'VIDEO' | 'DEVICE' | 'PIC';
      FileName: string;
      FileAliasName?: string;
      CorpId?: string;
      MD5?: string;
    } & ({ FileContent: string } | { FilePath: string }),
  ) {
    const Records = z.looseObject({
      Data: z.looseObject({ Records: z.array(z.looseObject({ OssPath: z.string(), SourceId: str })).default([]) }),
    });
    return this.client
      .call(Records, { action: 'UploadFile', params: p, method: 'POST', read: false })
      .then((r) => r.Data.Records);
  }

  /**
   * §3.4.3: `Success` true with `Data` false means the call went through but nothing changed
   * (§7.4) — reported as `false` so the UI can say so.
   */
  updateDevicesStorage(
    requests: Array<{
      DeviceIds: string[];
      StorageDays: Array<{ StorageType: 'PICTURE' | 'VIDEO'; StorageDays: number }>;
    }>,
  ) {
    const body = requests.map((r) => ({ DeviceIds: r.DeviceIds.join(','), StorageDays: r.StorageDays }));
    return this.client
      .call(z.looseObject({ Data: z.boolean() }), {
        action: 'UpdateDevicesStorage',
        params: { UpdateStorageRequests: JSON.stringify(body) },
        read: false,
      })
      .then((r) => r.Data);
  }
}

function scheduleParams(s: Schedule, datesName: string, dates: (d: number[]) => string): Record<string, string> {
  const out: Record<string, string> = { ScheduleType: s.ScheduleType };
  if ('ScheduleTimes' in s) out.ScheduleTimes = JSON.stringify(s.ScheduleTimes);
  if ('days' in s) out[datesName] = dates(s.days);
  return out;
}
