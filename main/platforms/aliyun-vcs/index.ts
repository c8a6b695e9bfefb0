import { createHash } from 'node:crypto';
import type { AccountsTestResponse, LiveSource, TargetHit } from '../../../preload/contract';
import { AppError } from '../../errors';
import { log } from '../../log';
import {
  type Capability,
  capabilitySet,
  type EventAlarmOps,
  type Platform,
  type PlatformFactory,
  type PlatformNode,
  type PlaybackSource,
  type PushedAlarm,
  type TargetSearchOps,
} from '../platform';
import { codecOfEncodeFormat, geoOf, VcsApi, type Device } from './api';
import { VcsClient, type VcsConfig } from './client';
import { VcsDataServiceApi, type SearchHit } from './api-dataservice';
import { fetchImage } from './images';
import { VcsDeviceAdmin } from './device-admin';
import { VcsTargetLibrary } from './target-library';
import { rpcTimestamp } from './sign';

/** What one §3.5.1 query can list: PageNumber ≤ 100 × PageSize ≤ 100. */
const MAX_LISTED = 10_000;
const PAGE = 200; // DescribeIpcs/DescribeNvrs maximum (§3.2.4)
/** A device's EncodeFormat asked at play time is a hint (the stream says it too): never waited on longer than this. */
const CODEC_WAIT_MS = 1500;

/**
 * Alibaba VCS adapter. Tree (spec §4.5): corps → NVRs (DescribeNvrs) → their channels
 * (DescribeIpcs NvrIdList), plus stand-alone IPCs (DescribeIpcs ParentDeviceType=IPC) as channels
 * directly under the corp. Channel node ids carry the corp: `ch:<CorpId>:<DeviceId>`.
 */
export class AliyunVcsPlatform implements Platform {
  readonly id = 'aliyun-vcs' as const;
  /** What this adapter implements (read off its operations). */
  get capabilities(): ReadonlySet<Capability> {
    return capabilitySet(this);
  }
  readonly api: VcsApi;
  readonly deviceAdmin: VcsDeviceAdmin;
  readonly data: VcsDataServiceApi;
  readonly targetLibrary: VcsTargetLibrary;
  /** InProtocol per device, learnt from the tree: only SAPI devices accept StreamType (§4.1). */
  private readonly protocols = new Map<string, string>();
  /** Video codec per device from its EncodeFormat (§3.2), learnt from the tree: H.265 is known before it plays. */
  private readonly codecs = new Map<string, 'h264' | 'h265'>();

  constructor(
    private readonly config: VcsConfig,
    secret: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    const client = new VcsClient(config, secret, fetchImpl);
    this.api = new VcsApi(client);
    this.data = new VcsDataServiceApi(client);
    this.targetLibrary = new VcsTargetLibrary(this.data, fetchImpl);
    this.deviceAdmin = new VcsDeviceAdmin(this.api, async () =>
      (await this.corps()).map((c) => ({ id: c.CorpId, name: c.CorpName || c.CorpId })),
    );
  }

  private async corps() {
    const all = [];
    for (let page = 1; ; page++) {
      const r = await this.api.listCorps({ PageNumber: page, PageSize: 100 });
      all.push(...r.Records);
      if (r.Records.length === 0 || all.length >= r.TotalCount) break;
    }
    return this.config.corpId ? all.filter((c) => c.CorpId === this.config.corpId) : all;
  }

  private async pages(
    fetchPage: (page: number) => Promise<{ Records: Device[]; TotalCount: number }>,
  ): Promise<Device[]> {
    const all: Device[] = [];
    for (let page = 1; ; page++) {
      const r = await fetchPage(page);
      all.push(...r.Records);
      if (r.Records.length === 0 || all.length >= r.TotalCount) return all;
    }
  }

  async tree(): Promise<PlatformNode[]> {
    const corps = await this.corps();
    const nodes: PlatformNode[] = corps.map((c) => ({
      id: `corp:${c.CorpId}`,
      parentId: null,
      kind: 'group',
      name: c.CorpName || c.CorpId,
      status: 'unknown',
      ptz: null,
    }));
    if (corps.length === 0) return nodes;
    const corpIdList = corps.map((c) => c.CorpId).join(',');
    const nvrs = await this.pages((p) => this.api.describeNvrs({ PageNum: p, PageSize: PAGE, CorpIdList: corpIdList }));
    for (const n of nvrs)
      nodes.push({
        id: `nvr:${n.DeviceId}`,
        parentId: `corp:${n.CorpId}`,
        kind: 'device',
        name: n.DeviceName || n.DeviceId,
        status: statusOf(n),
        ptz: null,
      });
    const corpOfNvr = new Map(nvrs.map((n) => [n.DeviceId, n.CorpId ?? '']));
    const channel = (d: Device, parentId: string, corpId: string): PlatformNode => {
      this.protocols.set(d.DeviceId, d.InProtocol ?? 'GBT28181');
      const codec = codecOfEncodeFormat(d.EncodeFormat);
      if (codec) this.codecs.set(d.DeviceId, codec);
      else this.codecs.delete(d.DeviceId);
      const geo = geoOf(d);
      return {
        id: channelNodeId(corpId, d.DeviceId),
        parentId,
        kind: 'channel',
        name: d.DeviceName || d.DeviceId,
        status: statusOf(d),
        ptz: d.DeviceSubType === '2' || d.DeviceSubType === '4',
        ...(geo ? { geo } : {}),
      };
    };
    for (let i = 0; i < nvrs.length; i += 20) {
      const ids = nvrs
        .slice(i, i + 20)
        .map((n) => n.DeviceId)
        .join(',');
      for (const c of await this.pages((p) => this.api.describeIpcs({ PageNum: p, PageSize: PAGE, NvrIdList: ids }))) {
        const parent = c.ParentDeviceId ?? '';
        nodes.push(channel(c, `nvr:${parent}`, c.CorpId ?? corpOfNvr.get(parent) ?? ''));
      }
    }
    for (const c of await this.pages((p) =>
      this.api.describeIpcs({ PageNum: p, PageSize: PAGE, CorpIdList: corpIdList, ParentDeviceType: 'IPC' }),
    ))
      nodes.push(channel(c, `corp:${c.CorpId}`, c.CorpId ?? ''));
    return nodes;
  }

  /**
   * GetDeviceLiveUrl as HTTPS-FLV (lowest latency the renderer plays, §4.1); on-demand pulling
   * answers `Retry` first, so poll every second for up to 15 s before giving up.
   */
  async liveSource(nodeId: string, stream: 'main' | 'sub'): Promise<LiveSource> {
    const { corpId, deviceId } = parseChannel(nodeId);
    const sapi = this.protocols.get(deviceId) === 'SAPI';
    const codecNow = this.currentCodec(deviceId); // beside the URL, not after it
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.api.getDeviceLiveUrl({
          DeviceId: deviceId,
          CorpId: corpId,
          OutProtocol: 'httpsflv',
          ...(sapi ? { StreamType: stream === 'main' ? '1' : '2' } : {}),
        });
        const codec = await codecNow;
        return { protocol: 'flv', url: r.Url, ...(codec ? { codec } : {}) };
      } catch (e) {
        if (!(e instanceof AppError && e.details?.vendorCode === 'Retry') || attempt >= 15) throw e;
        await this.sleep(1000);
      }
    }
  }

  // No recordings(): VCS has no segment listing (§4.2), so the timeline shows no segments rather
  // than invented ones; playbackSource still plays a chosen range.

  /** GetDeviceVideoUrl as HLS, the one protocol both cloud and device-local storage serve (§3.2.8). */
  async playbackSource(
    nodeId: string,
    kind: 'cloud' | 'device',
    startMs: number,
    endMs: number,
  ): Promise<PlaybackSource> {
    const { corpId, deviceId } = parseChannel(nodeId);
    if (!(endMs > startMs)) throw new AppError('VALIDATION', 'The playback range is empty');
    const codecNow = this.currentCodec(deviceId);
    const r = await this.api.getDeviceVideoUrl({
      CorpId: corpId,
      DeviceId: deviceId,
      StorageType: kind === 'cloud' ? '0' : '1',
      StartTime: Math.floor(startMs),
      EndTime: Math.floor(endMs),
      OutProtocol: 'hls',
    });
    const codec = await codecNow;
    return { protocol: 'hls', url: r.Url, ...(codec ? { codec } : {}) };
  }

  /**
   * The device's EncodeFormat now (§3.2.4 DescribeIpcs by DeviceIdList), asked as each play URL is
   * handed out: the tree's goes stale when a camera is switched to H.264, and a pane told H.265
   * kept going through the transcoder until the tree was loaded again. Bounded by CODEC_WAIT_MS; a
   * failed or late answer falls back to what the tree said.
   */
  private currentCodec(deviceId: string): Promise<'h264' | 'h265' | undefined> {
    const known = this.codecs.get(deviceId);
    const lookup = this.api
      .describeIpcs({ PageNum: 1, PageSize: 1, DeviceIdList: deviceId })
      .then((r) => {
        const d = r.Records.find((x) => x.DeviceId === deviceId);
        if (!d) return known;
        const codec = codecOfEncodeFormat(d.EncodeFormat);
        if (codec) this.codecs.set(deviceId, codec);
        else this.codecs.delete(deviceId);
        return codec;
      })
      .catch(() => known);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<typeof known>((resolve) => (timer = setTimeout(() => resolve(known), CODEC_WAIT_MS)));
    return Promise.race([lookup, late]).finally(() => clearTimeout(timer));
  }

  /** GetDevicePicture: the URL of a current picture (fetch it right away; expiry is unstated). */
  snapshotUrl(nodeId: string): Promise<string> {
    return this.api.getDevicePicture(parseChannel(nodeId).deviceId);
  }

  /** The GetDevicePicture picture itself, fetched here in main. */
  async snapshot(nodeId: string): Promise<{ contentType: string; bytes: Buffer }> {
    const image = await fetchImage(this.fetchImpl, await this.snapshotUrl(nodeId));
    if (!image)
      throw new AppError(
        'PLATFORM_ERROR',
        'Alibaba VCS: the device picture could not be downloaded (not a JPEG/PNG/WebP of at most 2 MB)',
      );
    const [, contentType, data] = /^data:([^;]+);base64,(.*)$/s.exec(image)!;
    return { contentType: contentType!, bytes: Buffer.from(data!, 'base64') };
  }

  /**
   * SearchTarget (§4.6) per project; crops are fetched here, in main, right away (their URLs'
   * lifetime is not stated) and handed over as data: URLs — null when one cannot be fetched.
   */
  readonly targetSearch: TargetSearchOps = {
    scopes: async () => (await this.corps()).map((c) => ({ id: c.CorpId, name: c.CorpName || c.CorpId })),
    search: async (q) => {
      const r = await this.data.search({
        CorpId: q.scopeId,
        TargetType: q.targetType,
        PageNumber: q.page,
        PageSize: q.pageSize,
        ...(q.attributes?.length ? { attributes: q.attributes.map((a) => ({ Key: a.key, Value: a.values })) } : {}),
        ...(q.imageBase64 ? { imageBase64: q.imageBase64 } : {}),
        ...(q.similarity !== undefined ? { similarity: q.similarity } : {}),
        ...(q.range
          ? { range: { begin: rpcTimestamp(new Date(q.range.startMs)), end: rpcTimestamp(new Date(q.range.endMs)) } }
          : {}),
      });
      const hits = await Promise.all(r.Records.map((h) => this.hit(h, q.scopeId)));
      return { total: r.TotalCount, hits };
    },
  };

  /**
   * Events as alarms (§3.5.1 SearchTarget, TargetType Event and AIoT, in a BeginTime/EndTime
   * window, 100 a page): the platform pushes them only to Kafka (watch tasks, §3.5.2), which a
   * desktop cannot take, so one seat per account lists them every few seconds.
   */
  readonly eventAlarms: EventAlarmOps = {
    events: async (sinceMs, untilMs) => {
      const out: PushedAlarm[] = [];
      for (const corp of await this.corps())
        for (const TargetType of ['Event', 'AIoT'] as const)
          await this.listEvents(corp.CorpId, TargetType, sinceMs, untilMs, out);
      return out.sort((a, b) => a.at - b.at);
    },
  };

  /**
   * One window's events into `out`. §3.5.1 pages stop at 100 × 100, so a window holding more than
   * 10,000 is halved until each half fits (the halves share their boundary second: ids de-duplicate).
   */
  private async listEvents(
    CorpId: string,
    TargetType: 'Event' | 'AIoT',
    sinceMs: number,
    untilMs: number,
    out: PushedAlarm[],
  ): Promise<void> {
    const range = { begin: rpcTimestamp(new Date(sinceMs)), end: rpcTimestamp(new Date(untilMs)) };
    for (let page = 1; page <= 100; page++) {
      const r = await this.data.search({ CorpId, TargetType, PageNumber: page, PageSize: 100, range });
      if (page === 1 && r.TotalCount > MAX_LISTED) {
        if (untilMs - sinceMs > 1000) {
          const mid = sinceMs + Math.max(1000, Math.floor((untilMs - sinceMs) / 2000) * 1000); // whole seconds: the API's unit
          await this.listEvents(CorpId, TargetType, sinceMs, mid, out);
          await this.listEvents(CorpId, TargetType, mid, untilMs, out);
          return;
        }
        log.warn(
          `VCS ${TargetType} events: ${r.TotalCount} in one second at ${range.begin}; the first ${MAX_LISTED} listed`,
        );
      }
      for (const h of r.Records) out.push(eventAlarm(CorpId, h));
      if (r.Records.length === 0 || page * 100 >= r.TotalCount) break;
    }
  }

  private async hit(h: SearchHit, corpId: string): Promise<TargetHit> {
    const attributes = Array.isArray(h.TargetAttributes)
      ? h.TargetAttributes.map((a) => ({
          key: a.Key,
          value: Array.isArray(a.Value) ? a.Value.join(',') : String(a.Value),
        }))
      : [];
    const box =
      h.LeftTopX !== undefined &&
      h.LeftTopY !== undefined &&
      h.RightBottomX !== undefined &&
      h.RightBottomY !== undefined
        ? { left: h.LeftTopX, top: h.LeftTopY, right: h.RightBottomX, bottom: h.RightBottomY }
        : null;
    return {
      deviceId: h.DeviceId,
      channelRef: channelNodeId(corpId, h.DeviceId),
      atMs: Date.parse(h.Timestamp) || 0,
      similarity: h.TargetImageSimilarity ?? null,
      attributes,
      crop: h.TargetImageUrl ? await fetchImage(this.fetchImpl, h.TargetImageUrl) : null,
      box,
    };
  }

  /** §6: ListCorps with PageSize 1 is the cheapest signed read. */
  async testConnection(): Promise<AccountsTestResponse> {
    const started = Date.now();
    try {
      const r = await this.api.listCorps({ PageNumber: 1, PageSize: 1 });
      return { status: 'ok', message: `Signed in; ${r.TotalCount} projects.`, latencyMs: Date.now() - started };
    } catch (e) {
      if (e instanceof AppError) return { status: 'failed', message: e.message, latencyMs: Date.now() - started };
      throw e;
    }
  }
}

function statusOf(d: Device): 'online' | 'offline' | 'unknown' {
  return d.DeviceStatus === '1' ? 'online' : d.DeviceStatus === '0' || d.DeviceStatus === '2' ? 'offline' : 'unknown';
}

function parseChannel(nodeId: string): { corpId: string; deviceId: string } {
  const [kind, corpId, deviceId] = nodeId.split(':');
  if (kind !== 'ch' || !corpId || !deviceId) throw new AppError('VALIDATION', `Not an Alibaba VCS channel: ${nodeId}`);
  return { corpId, deviceId };
}

export const aliyunVcsFactory: PlatformFactory = (config, secret) => {
  if (config.platform !== 'aliyun-vcs') throw new AppError('INTERNAL', 'not an Alibaba VCS account');
  return new AliyunVcsPlatform(config, secret);
};

/** A camera's node in the device tree (projects hold cameras: a device ID alone may be in several). */
const channelNodeId = (corpId: string, deviceId: string) => `ch:${corpId}:${deviceId}`;

/**
 * A SearchTarget event record as an alarm. Records carry no id: the project, device, time, type
 * and box name one event, hashed into the message id (a signed image URL may change between polls).
 */
export function eventAlarm(corpId: string, h: SearchHit): PushedAlarm {
  const at = Date.parse(h.Timestamp);
  const key = [corpId, h.DeviceId, h.Timestamp, h.TargetType, h.LeftTopX, h.LeftTopY, h.RightBottomX, h.RightBottomY];
  const messageId = `vcs-${createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 24)}`;
  return {
    messageId,
    deviceId: h.DeviceId,
    channelId: h.DeviceId,
    channelRef: channelNodeId(corpId, h.DeviceId),
    channelName: h.DeviceId,
    type: h.TargetType,
    at: Number.isNaN(at) ? 0 : at,
    uuid: messageId,
  };
}
