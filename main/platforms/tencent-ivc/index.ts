import type { AccountsTestResponse, LiveSource, PtzCommand } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { PlanKind } from '../../../preload/contract';
import {
  type Capability,
  capabilitySet,
  type CloudPlanOps,
  type Platform,
  type PlatformFactory,
  type PlatformNode,
  type PlaybackSource,
  type PresetOps,
  type RecordingSegment,
  type RecordingTemplateOps,
} from '../platform';
import type { PtzCommand as IvcPtz } from './api';
import { downloadPieces, nextChinaMidnight, normalizePlayUrl, parsePlaybackSession, splitByChinaDay } from './map';
import { IvcApi } from './api';
import { IvcClient, type IvcConfig } from './client';
import { IvcDeviceAdmin } from './device-admin';
import { cloudPlanOps, templateOps } from './recording-plans';

/** Tencent IVC adapter: what Vigil can do with an IVC account. */
export class TencentIvcPlatform implements Platform {
  readonly id = 'tencent-ivc' as const;
  /** What this adapter implements (read off its operations). */
  get capabilities(): ReadonlySet<Capability> {
    return capabilitySet(this);
  }
  readonly api: IvcApi;
  readonly deviceAdmin: IvcDeviceAdmin;
  readonly recordingTemplates: Record<PlanKind, RecordingTemplateOps>;
  readonly cloudPlans: Record<PlanKind, CloudPlanOps>;

  constructor(config: IvcConfig, secretKey: string, fetchImpl?: typeof fetch) {
    this.api = new IvcApi(new IvcClient(config, secretKey, fetchImpl));
    this.deviceAdmin = new IvcDeviceAdmin(this.api);
    this.cloudPlans = { realtime: cloudPlanOps(this.api, 'realtime'), upload: cloudPlanOps(this.api, 'upload') };
    this.recordingTemplates = { realtime: templateOps(this.api, 'realtime'), upload: templateOps(this.api, 'upload') };
  }

  /**
   * Tree (spec §5): organizations (E13) → devices (E20, whole account, paged) → channels (E21 per
   * device; for large accounts E46 per organization, which lacks PTZ flags).
   */
  async tree(): Promise<PlatformNode[]> {
    const orgs = await this.api.listOrganizations();
    const nodes: PlatformNode[] = orgs.map((o) => ({
      id: `org:${o.Id}`,
      parentId: String(o.ParentId) === '0' ? null : `org:${o.ParentId}`,
      kind: 'group',
      name: o.Name,
      status: 'unknown',
      ptz: null,
    }));
    const devices = [];
    for (let page = 1; ; page++) {
      const r = await this.api.listDevices({
        OrganizationId: '0',
        IsContainSubLevel: true,
        PageNumber: page,
        PageSize: 1000,
      });
      devices.push(...r.List);
      if (r.List.length === 0 || devices.length >= r.TotalCount) break;
    }
    const status = new Map(devices.map((d) => [d.Id, d.Status === 1 ? ('online' as const) : ('offline' as const)]));
    for (const d of devices)
      nodes.push({
        id: `dev:${d.Id}`,
        parentId: `org:${d.OrganizationId}`,
        kind: 'device',
        name: d.Name,
        status: status.get(d.Id)!,
        ptz: null,
      });
    if (devices.length <= 300) {
      for (let i = 0; i < devices.length; i += 8) {
        const batch = await Promise.all(devices.slice(i, i + 8).map((d) => this.api.listChannels(d.Id)));
        for (const channels of batch)
          for (const c of channels)
            nodes.push({
              id: `ch:${c.DeviceId}:${c.ChannelId}`,
              parentId: `dev:${c.DeviceId}`,
              kind: 'channel',
              name: c.Name,
              status: c.State === 1 ? 'online' : 'offline',
              ptz: c.PtzType === 1,
            });
      }
    } else {
      for (const o of orgs) {
        for (let page = 1; ; page++) {
          const r = await this.api.organizationChannels({
            OrganizationId: String(o.Id),
            PageNumber: page,
            PageSize: 1000,
          });
          for (const c of r.List)
            nodes.push({
              id: `ch:${c.DeviceId}:${c.ChannelId}`,
              parentId: `dev:${c.DeviceId}`,
              kind: 'channel',
              name: c.ChannelName,
              status: status.get(c.DeviceId) ?? 'unknown',
              ptz: null,
            });
          if (r.List.length === 0 || page * 1000 >= r.TotalCount) break;
        }
      }
    }
    return nodes;
  }

  /**
   * E32: DeviceId ("rtmp 设备必传") and ChannelId ("国标设备必传") both sent, as the doc's example
   * does, so RTMP and GB channels alike are found (sub stream = StreamType 2); FLV preferred, then HLS.
   */
  async liveSource(channelNodeId: string, stream: 'main' | 'sub'): Promise<LiveSource> {
    const channelId = channelOf(channelNodeId);
    const deviceId = channelNodeId.split(':')[1]!;
    const urls = await this.api.liveUrls({
      DeviceId: deviceId,
      ChannelId: channelId,
      StreamType: stream === 'main' ? 1 : 2,
    });
    if (urls.Flv) return { protocol: 'flv', url: normalizePlayUrl(urls.Flv) };
    if (urls.Hls) return { protocol: 'hls', url: normalizePlayUrl(urls.Hls) };
    throw new AppError('PLATFORM_ERROR', 'Tencent IVC returned no live URL');
  }

  /** E30/E31: indexes 1–10, names are the index (the API cannot name presets). */
  readonly presets: PresetOps = {
    limits: { minIndex: 1, maxIndex: 10, maxCount: 10, nameEditable: false },
    list: async (nodeId) =>
      (await this.api.listPresets(channelOf(nodeId))).map((p) => ({ index: p.Index, name: p.Name })),
    goTo: async (nodeId, index) =>
      void (await this.api.preset({ ChannelId: channelOf(nodeId), Cmd: 'goto', Index: index })),
    set: async (nodeId, index) =>
      void (await this.api.preset({ ChannelId: channelOf(nodeId), Cmd: 'set', Index: index })),
    remove: async (nodeId, index) =>
      void (await this.api.preset({ ChannelId: channelOf(nodeId), Cmd: 'del', Index: index })),
  };

  /**
   * Cloud (E33, per UTC+8 day) and device-local (E34) segments, merged and sorted. A cloud segment
   * is clipped to the day it was queried for: one over midnight lists as two, each one E35 request.
   */
  async recordings(nodeId: string, startMs: number, endMs: number): Promise<RecordingSegment[]> {
    const [, deviceId, channelId] = nodeId.split(':');
    if (!deviceId || !channelId) throw new AppError('VALIDATION', `Not a Tencent IVC channel: ${nodeId}`);
    const start = Math.floor(startMs / 1000);
    const end = Math.min(Math.floor(endMs / 1000), Math.floor(Date.now() / 1000));
    const out: RecordingSegment[] = [];
    for (const [s, e] of splitByChinaDay(start, end)) {
      const cloud = await this.api.cloudTimeline({
        DeviceId: deviceId,
        ChannelId: channelId,
        StartTime: s,
        EndTime: e,
      });
      const dayEnd = nextChinaMidnight(s);
      for (const seg of cloud.List) {
        const from = Math.max(seg.Begin, dayEnd - 86400);
        const to = Math.min(seg.End, dayEnd);
        if (from < to) out.push({ kind: 'cloud', startMs: from * 1000, endMs: to * 1000 });
      }
    }
    const local = await this.api
      .deviceTimeline({ ChannelId: channelId, Start: start, End: end })
      .catch((e: unknown) => {
        // A device that is offline has no readable local timeline; cloud footage still shows.
        if (e instanceof AppError && ['41617', '41634', '41628', '41621'].includes(e.details?.vendorCode ?? ''))
          return [];
        throw e;
      });
    for (const seg of local) out.push({ kind: 'device', startMs: seg.Begin * 1000, endMs: seg.End * 1000 });
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  /** E37: seek is not used (a new E36 URL plays from any time); Scale alone changes the speed. */
  async playbackControl(
    nodeId: string,
    session: string,
    action: 'play' | 'pause' | 'stop',
    scale?: number,
  ): Promise<void> {
    await this.api.devicePlaybackControl({
      ChannelId: channelOf(nodeId),
      Session: session,
      Action: action,
      ...(scale !== undefined ? { Scale: scale } : {}),
    });
  }

  /**
   * Cloud: E35 HLS for the range's first UTC+8 day (E35 may not cross a day; no listed cloud segment
   * does). Device: E36 FLV with its E37 session, for the range as asked (E36 states no limit).
   */
  async playbackSource(
    nodeId: string,
    kind: 'cloud' | 'device',
    startMs: number,
    endMs: number,
  ): Promise<PlaybackSource> {
    const channelId = channelOf(nodeId);
    const start = Math.floor(startMs / 1000);
    const end = Math.floor(endMs / 1000);
    if (end <= start) throw new AppError('VALIDATION', 'The playback range is empty');
    if (kind === 'cloud') {
      const [day] = splitByChinaDay(start, end);
      const { Hls } = await this.api.cloudPlaybackUrl({ ChannelId: channelId, StartTime: day![0], EndTime: day![1] });
      return { protocol: 'hls', url: normalizePlayUrl(Hls) };
    }
    const { Flv } = await this.api.devicePlaybackUrl({ ChannelId: channelId, Start: start, End: end });
    const session = parsePlaybackSession(Flv)?.session;
    return { protocol: 'flv', url: normalizePlayUrl(Flv), ...(session ? { session } : {}) };
  }

  /** E38: a download URL for at most 30 minutes within one UTC+8 day (one of clipPieces); valid 10 minutes. */
  async downloadUrl(nodeId: string, startMs: number, endMs: number, fileType: 'mp4' | 'ts'): Promise<string> {
    const begin = Math.floor(startMs / 1000);
    const end = Math.floor(endMs / 1000);
    if (downloadPieces(begin, end).length !== 1)
      throw new AppError(
        'VALIDATION',
        'A download covers at most 30 minutes within one day (UTC+8); split longer clips',
      );
    const { Url } = await this.api.downloadUrl({
      ChannelId: channelOf(nodeId),
      BeginTime: String(begin),
      EndTime: String(end),
      FileType: fileType,
    });
    return Url;
  }

  /** Clip export uses the platform's MP4 download (E38), one piece of clipPieces at a time. */
  async clipDownload(nodeId: string, startMs: number, endMs: number): Promise<{ url: string; ext: 'mp4' }> {
    return { url: await this.downloadUrl(nodeId, startMs, endMs, 'mp4'), ext: 'mp4' };
  }

  /** E38's pieces of a clip (ms): at most 30 minutes each, none across a UTC+8 midnight. */
  clipPieces(startMs: number, endMs: number): Array<[number, number]> {
    const pieces = downloadPieces(Math.floor(startMs / 1000), Math.floor(endMs / 1000));
    return pieces.map(([s, e]) => [s * 1000, e * 1000]);
  }

  /** E29 moves; Vigil's `stop` sends nothing (the API has no stop command, spec §3.4). */
  async ptz(channelNodeId: string, command: PtzCommand, speed: number): Promise<void> {
    const channelId = channelOf(channelNodeId);
    const type = ptzTypes[command];
    if (!type) return;
    await this.api.ptz({ ChannelId: channelId, Type: type, Speed: speed });
  }

  /** §5: a signed E13 (organizations) is the cheapest proof that SecretId/SecretKey work. */
  async testConnection(): Promise<AccountsTestResponse> {
    const started = Date.now();
    try {
      const orgs = await this.api.listOrganizations();
      const devices = orgs.filter((o) => o.Level === 1).reduce((n, o) => n + (o.Total ?? 0), 0);
      return {
        status: 'ok',
        message: `Signed in; ${orgs.length} organizations, ${devices} devices at the top level.`,
        latencyMs: Date.now() - started,
      };
    } catch (e) {
      if (e instanceof AppError) return { status: 'failed', message: e.message, latencyMs: Date.now() - started };
      throw e;
    }
  }
}

function channelOf(nodeId: string): string {
  const channelId = nodeId.split(':')[2];
  if (!channelId) throw new AppError('VALIDATION', `Not a Tencent IVC channel: ${nodeId}`);
  return channelId;
}

/** Vigil's PTZ words → E29's `Type`; E29 has no stop (the last command simply ends). */
const ptzTypes: Partial<Record<PtzCommand, IvcPtz>> = {
  up: 'up',
  down: 'down',
  left: 'left',
  right: 'right',
  upleft: 'leftup',
  upright: 'rightup',
  downleft: 'leftdown',
  downright: 'rightdown',
  zoomin: 'zoomin',
  zoomout: 'zoomout',
  focusnear: 'focusnear',
  focusfar: 'focusfar',
  irisopen: 'irisin',
  irisclose: 'irisout',
};

export const tencentIvcFactory: PlatformFactory = (config, secret) => {
  if (config.platform !== 'tencent-ivc') throw new AppError('INTERNAL', 'not a Tencent IVC account');
  return new TencentIvcPlatform(config, secret);
};
