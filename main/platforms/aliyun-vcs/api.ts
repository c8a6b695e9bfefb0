import { z } from 'zod';
import type { VcsClient } from './client';

/**
 * Visual Computing Service Actions (spec aliyun-vcs.md §3.1, §3.2), typed. Parameter names are
 * the documents'; device attributes come back as strings and counters as numbers, both parsed
 * leniently (§1.4). List parameters are comma-separated ID strings.
 */

const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const str = z.union([z.string(), z.number().transform(String)]);

export const Corp = z.looseObject({
  CorpId: str,
  CorpName: z.string().default(''),
  AppName: z.string().optional(),
  Description: z.string().optional(),
  IsvSubId: z.string().optional(),
  IconPath: z.string().optional(),
  CreateDate: z.string().optional(),
  AcuUsed: num.optional(),
});
export type Corp = z.infer<typeof Corp>;

/** Paged `Data`; the page field is PageNumber (corps) or PageNum (devices), kept loose. */
const Page = <T extends z.ZodType>(record: T) =>
  z.looseObject({
    Data: z.looseObject({
      Records: z.array(record).default([]),
      TotalCount: num,
      TotalPage: num.optional(),
      PageSize: num.optional(),
    }),
  });

export const Device = z.looseObject({
  CorpId: str.optional(),
  DeviceId: str,
  DeviceName: z.string().default(''),
  DeviceType: z.string().optional(),
  InProtocol: z.string().optional(),
  DeviceStatus: str.optional(),
  StreamStatus: str.optional(),
  DeviceSubType: str.optional(),
  ParentDeviceId: str.optional(),
  SubDeviceCount: str.optional(),
  SubDeviceInfo: z.array(z.looseObject({ SubDeviceId: str })).optional(),
  /** §3.2 DEV-ATTRS: `3` MJPEG, `6` H.264, `13` H.265 (IPC only). */
  EncodeFormat: str.optional(),
  /** §3.2 DEV-ATTRS: degrees as strings; '' when the installer set none. */
  Longitude: str.optional(),
  Latitude: str.optional(),
});
export type Device = z.infer<typeof Device>;

/**
 * Where a device stands, from its Longitude and Latitude (§3.2 DEV-ATTRS): undefined when either
 * is empty, not a number, out of range, or 0,0 (what a form left at its default sends).
 */
export function geoOf(d: Pick<Device, 'Longitude' | 'Latitude'>): { lat: number; lng: number } | undefined {
  if (!d.Longitude?.trim() || !d.Latitude?.trim()) return undefined;
  const lng = Number(d.Longitude);
  const lat = Number(d.Latitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return undefined;
  if (lat === 0 && lng === 0) return undefined;
  return { lat, lng };
}

/** EncodeFormat → the codec a pane needs to know before it plays (anything else: unknown). */
export function codecOfEncodeFormat(v: string | undefined): 'h264' | 'h265' | undefined {
  return v === '13' ? 'h265' : v === '6' ? 'h264' : undefined;
}

const Ok = z.looseObject({});
const LiveUrl = z.looseObject({
  Url: z.string().min(1),
  OutProtocol: z.string().optional(),
  StreamType: num.optional(),
});
const VideoUrl = z.looseObject({ Url: z.string().min(1), OutProtocol: z.string().optional() });
const Picture = z.looseObject({ Data: z.string().min(1) });

/** DEV-ATTRS a client may set (§3.2); values are strings on the wire. */
export const DEVICE_ATTRS = [
  'DeviceName',
  'DeviceAddress',
  'Longitude',
  'Latitude',
  'DeviceDirection',
  'DeviceSite',
  'DeviceResolution',
  'DeviceRate',
  'FrameRate',
  'GovLength',
  'EncodeFormat',
  'AudioEnable',
  'OSDTimeEnable',
  'OSDTimeType',
  'OSDTimeX',
  'OSDTimeY',
  'Vendor',
  'DeviceModel',
] as const;

export type DeviceCreate = {
  CorpId: string;
  DeviceType: 'IPC' | 'NVR' | 'ABOX';
  DataSourceType: 'VIDEO' | 'PIC_VIDEO';
  DeviceName: string;
  DeviceAddress: string;
  ParentDeviceId?: string;
  SubDeviceCount?: number;
  SubDeviceIdList?: string;
  InProtocol?: 'GBT28181' | 'SAPI';
  ActivateCode?: string;
  DeviceId?: string;
  DeviceSn?: string;
  CityCode?: string;
} & Partial<Record<(typeof DEVICE_ATTRS)[number], string>>;

export type LiveProtocol = 'hls' | 'rtmp' | 'rtsp' | 'httpsflv' | 'httpshls';
export type VideoProtocol = 'hls' | 'flv' | 'httpshls' | 'httpsflv' | 'rtsp';

export class VcsApi {
  constructor(readonly client: VcsClient) {}

  /** §3.1.2 ListCorps: paged, fuzzy CorpName. */
  listCorps(p: { PageNumber: number; PageSize: number; CorpName?: string }) {
    return this.client.call(Page(Corp), { action: 'ListCorps', params: p, read: true }).then((r) => r.Data);
  }

  /** §3.1.1 CreateCorp: CorpName and AppName required. */
  createCorp(p: { CorpName: string; AppName: string; Description?: string; IsvSubId?: string; IconPath?: string }) {
    return this.client
      .call(z.looseObject({ CorpId: str }), { action: 'CreateCorp', params: p, read: false })
      .then((r) => r.CorpId);
  }

  /** §3.1.3 UpdateCorp: patches the given fields. */
  async updateCorp(p: {
    CorpId: string;
    CorpName?: string;
    AppName?: string;
    Description?: string;
    IsvSubId?: string;
    IconPath?: string;
  }) {
    await this.client.call(Ok, { action: 'UpdateCorp', params: p, read: false });
  }

  /**
   * §3.2.1 CreateDevice: an IPC, an NVR/ABOX with SubDeviceCount channels, or channels added to
   * an NVR (IPC + ParentDeviceId). Returns the GB28181 values the installer enters on the device.
   */
  createDevice(p: DeviceCreate) {
    const Registration = z.looseObject({
      Data: z.looseObject({
        ServerId: str.optional(),
        ServerIp: str.optional(),
        ServerRealm: str.optional(),
        ServerPort: str.optional(),
        DeviceId: str,
        Password: str.optional(),
        SubDeviceInfo: z.array(z.looseObject({ SubDeviceId: str })).default([]),
      }),
    });
    return this.client.call(Registration, { action: 'CreateDevice', params: p, read: false }).then((r) => r.Data);
  }

  /** §3.2.2 ModifyDevice: patches the given DEV-ATTRS. */
  async modifyDevice(
    p: { DeviceId: string } & Partial<
      Record<(typeof DEVICE_ATTRS)[number] | 'DeviceSubType' | 'DeviceIp' | 'Password', string>
    >,
  ) {
    await this.client.call(Ok, { action: 'ModifyDevice', params: p, read: false });
  }

  /** §3.2.3 DeleteDevices: at most 20 IDs, one result per device (`200`, `DeviceNotFound`, …). */
  deleteDevices(deviceIds: string[]) {
    const Result = z.looseObject({
      Data: z
        .array(z.looseObject({ DeviceId: str.optional(), Code: str, Description: z.string().optional() }))
        .default([]),
    });
    return this.client
      .call(Result, { action: 'DeleteDevices', params: { DeviceIdList: deviceIds.join(',') }, read: false })
      .then((r) => r.Data);
  }

  /** §3.2.5 DescribeNvrs: PageSize ≤ 200. */
  describeNvrs(p: {
    PageNum: number;
    PageSize: number;
    CorpIdList?: string;
    NvrDeviceIdList?: string;
    DeviceFilter?: string;
  }) {
    return this.client.call(Page(Device), { action: 'DescribeNvrs', params: p, read: true }).then((r) => r.Data);
  }

  /** §3.2.4 DescribeIpcs: DeviceIdList > NvrIdList > CorpIdList; PageSize ≤ 200. */
  describeIpcs(p: {
    PageNum: number;
    PageSize: number;
    ParentDeviceType?: 'IPC' | 'NVR' | 'ABOX';
    DeviceIdList?: string;
    NvrIdList?: string;
    CorpIdList?: string;
    DeviceFilter?: string;
    DeviceStatus?: '0' | '1' | '2';
  }) {
    return this.client.call(Page(Device), { action: 'DescribeIpcs', params: p, read: true }).then((r) => r.Data);
  }

  /** §3.2.6 SetStreamMode: at most 20 IDs; 0 on-demand, 1 continuous. */
  async setStreamMode(p: { DeviceIdList: string; StreamMode: '0' | '1' }) {
    await this.client.call(Ok, { action: 'SetStreamMode', params: p, read: false });
  }

  /** §3.2.7 GetDeviceLiveUrl: `Retry` while an on-demand pull is being set up (a PlatformError). */
  getDeviceLiveUrl(p: { DeviceId: string; CorpId?: string; StreamType?: '1' | '2'; OutProtocol?: LiveProtocol }) {
    return this.client.call(LiveUrl, { action: 'GetDeviceLiveUrl', params: p, read: true });
  }

  /** §3.2.8 GetDeviceVideoUrl: epoch-ms range; cloud (0) only hls/httpshls. */
  getDeviceVideoUrl(p: {
    CorpId: string;
    DeviceId: string;
    StorageType?: '0' | '1';
    StartTime: number;
    EndTime: number;
    OutProtocol?: VideoProtocol;
  }) {
    return this.client.call(VideoUrl, { action: 'GetDeviceVideoUrl', params: p, read: true });
  }

  /** §3.2.9 GetDevicePicture: Data is the image URL. */
  getDevicePicture(deviceId: string) {
    return this.client
      .call(Picture, { action: 'GetDevicePicture', params: { DeviceId: deviceId }, read: true })
      .then((r) => r.Data);
  }
}
