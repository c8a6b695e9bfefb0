import { spawn } from 'node:child_process';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { deviceFlvSound, ffmpegPath } from '../media/ffmpeg';
import { RtspServer } from '../media/rtsp-server';
import { passThrough, streamHeaders } from '../media/pass-through';
import { rpcSign } from '../../../main/platforms/aliyun-vcs/sign';
import { stitchPlaylist } from '../media/playlist';
import { EmulatorServer, type IncomingRequest, type Reply } from '../common/http';
import type { PlatformMedia } from '../media/platform-media';
import { VcsAnalysis } from './analysis';
import { CITYVISION_ACTIONS, CityVision } from './cityvision';
import { idList, maxLength, paging, required, VcsError } from './common';
import { VcsDataService } from './dataservice';
import { FlvPacer } from '../tencent-ivc/flv-pacer';

/**
 * Alibaba Cloud Visual Computing Service (spec aliyun-vcs.md) and City Visual Intelligence
 * Engine (aliyun-cityvision.md, cityvision.ts) emulator: both families on one base URL, the
 * Action decides (and with it the accepted Version).
 * RPC on `/` by GET query or POST form; signature v1 verified from the decoded parameters
 * (SignatureDoesNotMatch), unknown AccessKeyId, SignatureNonce replay, Timestamp skew beyond
 * 15 minutes and unsupported Version rejected with Alibaba's platform-wide codes; JSON or XML
 * per `Format`.
 *
 * Actions implemented: §3.1 projects, §3.2 devices and media URLs (here), §3.3 compute instances
 * and §3.4 data sources (analysis.ts), §3.5 search and watch lists (dataservice.ts): every
 * Action of the index (§9).
 */
export type VcsMedia = PlatformMedia;

export interface VcsEmulatorOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  media?: VcsMedia;
  /** on-demand pulling: how long GetDeviceLiveUrl answers `Retry` after the first request */
  warmupMs?: number;
  skewSeconds?: number;
  clock?: () => number;
  /** City Visual job groups: how long starting/stopping last */
  transitionMs?: number;
  /** When set, a device added by CreateDevice registers (DeviceStatus 2 → 1) after this long, as a configured camera would. */
  registerAfterMs?: number;
}

interface CorpRec {
  CorpId: string;
  CorpName: string;
  AppName: string;
  Description: string;
  IsvSubId: string;
  IconPath: string;
  CreateDate: string;
  AcuUsed: number;
}

interface DeviceRec {
  CorpId: string;
  DeviceId: string;
  DeviceName: string;
  DeviceType: 'IPC' | 'NVR' | 'ABOX';
  InProtocol: 'GBT28181' | 'SAPI';
  DeviceStatus: '0' | '1' | '2';
  StreamStatus: '0' | '1';
  DeviceSubType: string;
  ParentDeviceId: string;
  Password: string;
  CreateTime: string;
  ModifyTime: string;
  /** DEV-ATTRS and other descriptive fields as the Describe Actions return them */
  attrs: Record<string, string>;
  /** media simulator channel behind this camera */
  media: string;
}

/** Descriptive fields CreateDevice/ModifyDevice accept, with the defaults of DEV-ATTRS. */
const IPC_DEFAULTS: Record<string, string> = {
  DeviceResolution: '1920*1080',
  DeviceRate: '4096',
  FrameRate: '25',
  GovLength: '50',
  EncodeFormat: '6',
  AudioEnable: '1',
  OSDTimeEnable: '1',
  OSDTimeType: '0',
  OSDTimeX: '99',
  OSDTimeY: '1',
  DeviceDirection: '由内朝外',
  DeviceSite: '',
  DeviceIp: '',
};
const COMMON_DEFAULTS: Record<string, string> = {
  DeviceAddress: '',
  Longitude: '',
  Latitude: '',
  CityCode: '',
  Vendor: '',
  DeviceModel: '',
  DeviceSn: '',
  DatasourceType: 'VIDEO',
};
/** DEV-ATTRS value rules (§3.2). */
const ATTR_RULES: Record<string, (v: string) => boolean> = {
  Longitude: (v) => /^-?\d{1,3}(\.\d{1,6})?$/.test(v) && Math.abs(Number(v)) <= 180,
  Latitude: (v) => /^-?\d{1,2}(\.\d{1,6})?$/.test(v) && Math.abs(Number(v)) <= 90,
  CityCode: (v) => /^\d{6}$/.test(v),
  DeviceResolution: (v) => /^\d+\*\d+$/.test(v),
  DeviceRate: (v) => /^\d+$/.test(v) && +v >= 128 && +v <= 16384,
  FrameRate: (v) => /^\d+$/.test(v) && +v >= 1 && +v <= 100,
  GovLength: (v) => /^\d+$/.test(v) && +v >= 5 && +v <= 250,
  EncodeFormat: (v) => ['3', '6', '13'].includes(v),
  AudioEnable: (v) => v === '0' || v === '1',
  OSDTimeEnable: (v) => v === '0' || v === '1',
  OSDTimeType: (v) => ['0', '1', '2', '3', '4'].includes(v),
  OSDTimeX: (v) => /^\d+$/.test(v),
  OSDTimeY: (v) => /^\d+$/.test(v),
  DeviceSubType: (v) => ['1', '2', '3', '4', '199'].includes(v),
};
const MAX64 = [
  'DeviceName',
  'DeviceAddress',
  'Vendor',
  'DeviceModel',
  'DeviceSite',
  'DeviceDirection',
  'DeviceSn',
  'CorpId',
];

/** The GB28181 access server the installer types into the device (CreateDevice returns it). */
const SERVER = {
  ServerId: '33010099012000000001',
  ServerIp: '127.0.0.1',
  ServerRealm: '3301009901',
  ServerPort: '5060',
};
/** VCS answers both documented versions (§2.3); City Visual Intelligence only its own. */
const VERSIONS = new Set(['2020-05-15', '2020-03-09']);
const CITYVISION_VERSION = '2018-10-30';
/** Required common parameters (seed 001 §3 公共参数 / seed 000 表 4-1); Format is optional, JSON by default. */
const COMMON = [
  'AccessKeyId',
  'Action',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Timestamp',
  'Version',
];
/** Every Action of the spec's index (§9); those without a handler here answer honestly. */
const INDEX = new Set(
  'CreateCorp ListCorps UpdateCorp CreateDevice ModifyDevice DeleteDevices DescribeIpcs DescribeNvrs SetStreamMode GetDeviceLiveUrl GetDeviceVideoUrl GetDevicePicture CreateComputeInstance BatchDeleteInstance ListInstances CreateAIInstance DeleteAIInstance DescribeAIInstance DescribeCameraForInstance AddCameraForInstance RemoveCameraForInstance AddDataSource UploadFile UpdateDevicesStorage UpdateDataSource SearchTarget CreateWatchTask DeleteWatchTasks UpdateWatchTask DescribeWatchTasks CreateWatchPolicy DeleteWatchPolicies DescribeWatchPolicies UpdateWatchPolicy DescribeWatchItems RemoveWatchItems'.split(
    ' ',
  ),
);
/** A valid 1×1 JPEG for GetDevicePicture URLs. */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

export class VcsEmulator {
  readonly credentials: { accessKeyId: string; accessKeySecret: string };
  readonly corps = new Map<string, CorpRec>();
  readonly devices = new Map<string, DeviceRec>();
  readonly streamModes = new Map<string, '0' | '1'>();
  /** on-demand pulls in progress or established: DeviceId → ready at (ms) */
  private readonly pulls = new Map<string, number>();
  private readonly nonces = new Map<string, number>();
  readonly analysis: VcsAnalysis;
  readonly dataService: VcsDataService;
  readonly cityvision: CityVision;
  private readonly server: EmulatorServer;
  private readonly clock: () => number;
  private nextCorp = 100001;
  /** Live media connections open now (FLV streams, HLS segments), by DeviceId: a camera going offline ends them. */
  private readonly liveConnections = new Map<http.ServerResponse, string>();
  /** lapsePlayUrls(): live URLs signed at or before this second (Unix) are expired. */
  private lapsedAt = 0;
  /** The CDN's URL-signing key (auth_key's hash), the emulator's own. */
  private readonly cdnKey = randomUUID();

  constructor(private readonly options: VcsEmulatorOptions = {}) {
    this.credentials = {
      accessKeyId: options.accessKeyId ?? 'LTAI5tEmulatorVcsKey',
      accessKeySecret: options.accessKeySecret ?? randomUUID().replace(/-/g, '').slice(0, 30),
    };
    this.clock = options.clock ?? Date.now;
    this.analysis = new VcsAnalysis(
      this.clock,
      (id) => {
        const d = this.devices.get(id);
        return d?.DeviceType === 'IPC' ? d : undefined;
      },
      (id) => this.corps.has(id),
    );
    this.cityvision = new CityVision(this.clock, () => this.baseUrl, options.transitionMs ?? 300);
    this.dataService = new VcsDataService(
      () => this.baseUrl,
      (corp) =>
        [...this.devices.values()].filter((d) => d.CorpId === corp && d.DeviceType === 'IPC').map((d) => d.DeviceId),
      (id) => this.corps.has(id),
    );
    this.server = new EmulatorServer(
      (req) => this.handle(req),
      () => ({
        status: 503,
        body: {
          RequestId: randomUUID().toUpperCase(),
          Code: 'ServiceUnavailable',
          Message: 'The request has failed due to a temporary failure of the server.',
        },
      }),
      {
        setDeviceStatus: (b) => {
          const d = this.devices.get(String(b.DeviceId));
          if (!d) throw new Error('unknown device');
          d.DeviceStatus = String(b.DeviceStatus) as DeviceRec['DeviceStatus'];
        },
        /** {DeviceId, online}: see setCameraOnline. */
        setCameraOnline: (b) => this.setCameraOnline(String(b.DeviceId), b.online === true),
        lapsePlayUrls: () => this.lapsePlayUrls(),
      },
      (path) => path.startsWith('/vod/'),
    );
    this.seed();
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }
  get faults() {
    return this.server.faults;
  }
  get calls() {
    return this.server.calls;
  }

  async start(port = 0): Promise<this> {
    await this.server.listen(port);
    if (this.options.media) await this.rtsp.listen();
    return this;
  }
  private readonly timers = new Set<NodeJS.Timeout>();
  /** §3.2.8 device-local recordings over RTSP: `rtsp://127.0.0.1:<port>/vod/<DeviceId>/<start>-<end>`. */
  private readonly rtsp = new RtspServer((path) => {
    const vod = /^\/vod\/(\d{20})\/(\d+)-(\d+)$/.exec(path);
    const d = vod ? this.devices.get(vod[1]!) : undefined;
    const start = Number(vod?.[2]);
    const rec = d && this.options.media?.recordings(d.media).find((r) => r.end > start && r.start < Number(vod![3]));
    return rec ? { source: rec.url, offsetS: Math.max(0, (start - rec.start) / 1000) } : null;
  });

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await this.rtsp.close();
    return this.server.close();
  }

  private seed(): void {
    const day = new Date(this.clock()).toISOString().slice(0, 10);
    const corp = (name: string, app: string): string => {
      const CorpId = String(this.nextCorp++);
      this.corps.set(CorpId, {
        CorpId,
        CorpName: name,
        AppName: app,
        Description: '',
        IsvSubId: '',
        IconPath: '',
        CreateDate: day,
        AcuUsed: 0,
      });
      return CorpId;
    };
    const device = (
      CorpId: string,
      DeviceName: string,
      DeviceType: DeviceRec['DeviceType'],
      extra: Partial<DeviceRec> = {},
      attrs: Record<string, string> = {},
    ): string =>
      this.addDevice(
        { CorpId, DeviceName, DeviceType, DeviceStatus: '1', StreamStatus: '1', DeviceSubType: '3', ...extra },
        attrs,
      ).DeviceId;
    // Where the installer put three campus cameras (DEV-ATTRS Longitude/Latitude, §3.2): a geographic map shows them.
    const at = (Longitude: string, Latitude: string) => ({ Longitude, Latitude });
    const campus = corp('园区安防', '社区卫士');
    const nvr = device(campus, '一号楼 NVR', 'NVR', { DeviceSubType: '' });
    for (let i = 1; i <= 4; i++)
      device(campus, `一号楼 通道${i}`, 'IPC', { ParentDeviceId: nvr, DeviceSubType: i === 1 ? '4' : '3' });
    device(campus, '南门', 'IPC', {}, at('120.155100', '30.274100'));
    device(campus, '北门 (SAPI)', 'IPC', { InProtocol: 'SAPI' }, at('120.155300', '30.276000'));
    device(campus, '仓库', 'IPC', { DeviceStatus: '0', StreamStatus: '0' }, at('120.157000', '30.275000'));
    device(campus, '待注册摄像机', 'IPC', { DeviceStatus: '2', StreamStatus: '0' });
    const store = corp('门店', '零售');
    device(store, '收银台', 'IPC');
    device(store, '后仓', 'IPC', { DeviceSubType: '2' });
    // Analysis output to search, and a watch policy with items (no Action adds items, §3.5.6).
    this.dataService.seed(campus, this.clock());
  }

  /**
   * Test control: a camera goes offline (DeviceStatus and StreamStatus 0: GetDeviceLiveUrl answers
   * `Failed` "Device is offline.", its live streams end, its live URLs answer 404) or comes back
   * (1; in on-demand mode its pull is set up afresh, so the first GetDeviceLiveUrl answers `Retry`).
   */
  setCameraOnline(deviceId: string, online: boolean): { closed: number } {
    const d = this.devices.get(deviceId);
    if (!d) throw new Error(`unknown device ${deviceId}`);
    d.DeviceStatus = online ? '1' : '0';
    d.StreamStatus = online ? '1' : '0';
    let closed = 0;
    if (!online) {
      this.pulls.delete(deviceId);
      for (const [res, id] of [...this.liveConnections])
        if (id === deviceId) {
          res.destroy();
          closed++;
        }
    }
    return { closed };
  }

  /**
   * Test control: every live URL handed out so far expires now (its auth_key's time passed, §4.1:
   * Alibaba's URLs are short-lived signed ones): a player that reconnects or reloads a playlist
   * with one gets 403 and must ask GetDeviceLiveUrl again. Open FLV streams go on.
   */
  lapsePlayUrls(): { open: number } {
    this.lapsedAt = Math.floor(this.clock() / 1000);
    return { open: this.liveConnections.size };
  }

  /** CDN-style `auth_key=<expiry>-0-0-<md5(path-expiry-0-0-key)>` for a live media path (§4.1). */
  private signLive(path: string): string {
    // Signed after a lapse, a URL outlives it (its signing second counts as after the lapse's).
    const expiry = Math.max(Math.floor(this.clock() / 1000) + LIVE_URL_TTL_S, this.lapsedAt + LIVE_URL_TTL_S + 1);
    return `${expiry}-0-0-${createHash('md5').update(`${path}-${expiry}-0-0-${this.cdnKey}`).digest('hex')}`;
  }

  /** A live media path's auth_key: signed for it, not expired, not lapsed. */
  private liveKeyOk(path: string, key: string | null): boolean {
    const m = /^(\d{10})-0-0-([0-9a-f]{32})$/.exec(key ?? '');
    if (!m) return false;
    const expiry = Number(m[1]);
    const want = createHash('md5').update(`${path}-${expiry}-0-0-${this.cdnKey}`).digest('hex');
    if (!timingSafeEqual(Buffer.from(want), Buffer.from(m[2]!))) return false;
    return expiry >= Math.floor(this.clock() / 1000) && expiry - LIVE_URL_TTL_S > this.lapsedAt;
  }

  /**
   * Live media as the CDN behind GetDeviceLiveUrl serves it: `/live/<DeviceId>_<main|sub>.flv` or
   * `.m3u8` (its segments `/live/<DeviceId>_<stream>/<file>.ts`, each signed), relayed from the
   * media simulator. 403 for a missing, wrong or expired auth_key; 404 while the camera is offline.
   */
  private async serveLive(req: IncomingRequest): Promise<Reply | 'handled'> {
    const cors = { 'Access-Control-Allow-Origin': '*' };
    const m = /^\/live\/(\d{20})_(main|sub)(\.flv|\.m3u8|\/([A-Za-z0-9_-]+\.ts))$/.exec(req.path);
    const d = m ? this.devices.get(m[1]!) : undefined;
    const media = this.options.media;
    if (!m || !d || !media) return { status: 404, text: 'not found', headers: cors };
    if (!this.liveKeyOk(req.path, req.url.searchParams.get('auth_key')))
      return { status: 403, text: 'auth_key invalid or expired', headers: cors };
    if (d.DeviceStatus !== '1') return { status: 404, text: 'stream not found', headers: cors };
    const stream = m[2] as 'main' | 'sub';
    if (m[3] === '.flv') return this.proxyLive(media.flv(d.media, stream), req, d.DeviceId);
    const playlist = media.hls(d.media, stream);
    if (m[4]) return this.proxyLive(new URL(m[4], playlist).toString(), req, d.DeviceId);
    const up = await fetch(playlist).catch(() => null);
    if (!up) return { status: 502, text: 'upstream media unavailable', headers: cors };
    if (!up.ok) return { status: up.status, text: 'live stream not available', headers: cors };
    const base = `/live/${d.DeviceId}_${stream}`;
    const text = (await up.text())
      .split('\n')
      .map((line) => {
        const name = /^([A-Za-z0-9_-]+\.ts)(\?.*)?$/.exec(line.trim())?.[1];
        if (!name) return line;
        const path = `${base}/${name}`;
        return `${path.slice('/live/'.length)}?auth_key=${this.signLive(path)}`;
      })
      .join('\n');
    return {
      status: 200,
      text,
      headers: { 'Content-Type': 'application/vnd.apple.mpegurl', 'Cache-Control': 'no-cache', ...cors },
    };
  }

  private proxyLive(target: string, req: IncomingRequest, deviceId: string): 'handled' {
    this.liveConnections.set(req.res, deviceId);
    req.res.on('close', () => this.liveConnections.delete(req.res));
    passThrough(target, req.res, streamHeaders, () => req.res.writeHead(502).end());
    return 'handled';
  }

  private async handle(req: IncomingRequest): Promise<Reply | 'handled'> {
    if (req.path.startsWith('/live/')) return this.serveLive(req);
    if (req.path.startsWith('/snapshot/')) {
      req.res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': JPEG.length });
      req.res.end(JPEG);
      return 'handled';
    }
    const vod = /^\/vod\/(\d{20})\/(\d+)-(\d+)\.(m3u8|flv)$/.exec(req.path);
    if (vod && this.options.media) {
      const d = this.devices.get(vod[1]!);
      const [start, end] = [Number(vod[2]), Number(vod[3])];
      const recs = d ? this.options.media.recordings(d.media).filter((r) => r.end > start && r.start < end) : [];
      if (recs.length === 0)
        return { status: 404, text: 'no recording in this range', headers: { 'Access-Control-Allow-Origin': '*' } };
      if (vod[4] === 'flv') return this.vodFlv(req, recs[0]!, start, this.options.media.audioCodec?.(d!.media));
      return {
        status: 200,
        text: await stitchPlaylist(recs),
        headers: { 'Content-Type': 'application/vnd.apple.mpegurl', 'Access-Control-Allow-Origin': '*' },
      };
    }
    if (req.path !== '/')
      return {
        status: 404,
        body: {
          RequestId: randomUUID().toUpperCase(),
          Code: 'InvalidAction.NotFound',
          Message: 'Specified api is not found, please check your url and method.',
        },
      };
    // A form POST signs its body parameters plus any in the query (spec §1.3, cityvision §2.1).
    const params = new Map<string, string>(
      req.method === 'POST' ? [...req.query, ...new URLSearchParams(req.rawBody).entries()] : req.query,
    );
    const RequestId = randomUUID().toUpperCase();
    const xml = params.get('Format')?.toUpperCase() === 'XML';
    const action = params.get('Action') ?? '';
    try {
      this.verify(req.method, params);
      const body = this.dispatch(action, params);
      return reply(200, `${action}Response`, { RequestId, ...body }, xml);
    } catch (e) {
      if (!(e instanceof VcsError)) throw e;
      return reply(
        e.status,
        'Error',
        { RequestId, HostId: hostId(action, params.get('RegionId')), Code: e.code, Message: e.message },
        xml,
      );
    }
  }

  /** Signature v1 (spec cityvision §2.6 emulator side) and the common-parameter checks. */
  private verify(method: string, params: Map<string, string>): void {
    for (const k of COMMON)
      if (!params.get(k)) throw new VcsError(400, `Missing${k}`, `${k} is mandatory for this action.`);
    if (!params.get('Signature'))
      throw new VcsError(400, 'MissingSignature', 'Signature is mandatory for this action.');
    const cityvision = CITYVISION_ACTIONS.has(params.get('Action')!);
    if (cityvision ? params.get('Version') !== CITYVISION_VERSION : !VERSIONS.has(params.get('Version')!))
      throw new VcsError(
        400,
        'InvalidVersion',
        `Specified parameter Version is not valid for ${params.get('Action')}: ${params.get('Version')}`,
      );
    if (params.get('SignatureMethod') !== 'HMAC-SHA1')
      throw new VcsError(400, 'InvalidSignatureMethod', 'Specified signature method is not valid.');
    if (params.get('SignatureVersion') !== '1.0')
      throw new VcsError(400, 'InvalidSignatureVersion', 'Specified signature version is not valid.');
    if (
      !/^[A-Za-z]+$/.test(params.get('Action')!) ||
      !(INDEX.has(params.get('Action')!) || CITYVISION_ACTIONS.has(params.get('Action')!))
    )
      throw new VcsError(
        404,
        'InvalidAction.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    const ts = params.get('Timestamp')!;
    const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(ts) ? Date.parse(ts) : NaN;
    if (Number.isNaN(at))
      throw new VcsError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    const skewMs = (this.options.skewSeconds ?? 900) * 1000;
    if (Math.abs(this.clock() - at) > skewMs)
      throw new VcsError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    if (params.get('AccessKeyId') !== this.credentials.accessKeyId)
      throw new VcsError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const signed = Object.fromEntries([...params].filter(([k]) => k !== 'Signature'));
    const expected = Buffer.from(
      rpcSign({ method, params: signed, accessKeySecret: this.credentials.accessKeySecret }).signature,
    );
    const got = Buffer.from(params.get('Signature')!);
    if (expected.length !== got.length || !timingSafeEqual(expected, got))
      throw new VcsError(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    // Nonces are remembered for the skew window: a replay inside it is refused.
    const nonce = params.get('SignatureNonce')!;
    for (const [k, t] of this.nonces) if (this.clock() - t > skewMs * 2) this.nonces.delete(k);
    if (this.nonces.has(nonce))
      throw new VcsError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.nonces.set(nonce, this.clock());
  }

  private dispatch(action: string, p: Map<string, string>): Record<string, unknown> {
    if (CITYVISION_ACTIONS.has(action)) return this.cityvision.handle(action, p);
    switch (action) {
      case 'CreateCorp':
        return this.createCorp(p);
      case 'ListCorps':
        return this.listCorps(p);
      case 'UpdateCorp':
        return this.updateCorp(p);
      case 'DeleteDevices':
        return this.deleteDevices(p);
      case 'DescribeIpcs':
        return this.describeDevices(p, 'ipc');
      case 'DescribeNvrs':
        return this.describeDevices(p, 'nvr');
      case 'SetStreamMode':
        return this.setStreamMode(p);
      case 'GetDeviceLiveUrl':
        return this.liveUrl(p);
      case 'GetDeviceVideoUrl':
        return this.videoUrl(p);
      case 'GetDevicePicture':
        return this.picture(p);
      case 'CreateDevice':
        return this.createDevice(p);
      case 'ModifyDevice':
        return this.modifyDevice(p);
      default: {
        const body = this.analysis.handle(action, p) ?? this.dataService.handle(action, p);
        if (!body)
          throw new VcsError(
            404,
            'InvalidAction.NotFound',
            `${action} is documented but not yet implemented by this emulator.`,
          );
        return body;
      }
    }
  }

  private serial = 0;

  /** A device with a fresh 20-digit GB/T 28181 code (type 132 camera, 118 NVR; or the caller's). */
  private addDevice(
    fields: Partial<DeviceRec> & Pick<DeviceRec, 'CorpId' | 'DeviceName' | 'DeviceType'>,
    attrs: Record<string, string>,
  ): DeviceRec {
    const n = ++this.serial;
    const DeviceId =
      fields.DeviceId ?? `3301100000${fields.DeviceType === 'IPC' ? '132' : '118'}${String(n).padStart(7, '0')}`;
    if (this.devices.has(DeviceId)) throw new VcsError(400, 'InvalidParameter', `Device ${DeviceId} already exists.`);
    const made = new Date(this.clock()).toISOString().slice(0, 19);
    const media = this.options.media?.channels ?? [];
    const mediaChannel = media[n % Math.max(1, media.length)] ?? `ch${n}`;
    // An IPC's EncodeFormat (§3.2 DEV-ATTRS: 6 H.264, 13 H.265) says what the camera behind it sends.
    const encode: Record<string, string> =
      this.options.media?.codec?.(mediaChannel) === 'h265' ? { EncodeFormat: '13' } : {};
    const d: DeviceRec = {
      InProtocol: 'GBT28181',
      DeviceStatus: '2',
      StreamStatus: '0',
      DeviceSubType: '',
      ParentDeviceId: '',
      Password: randomUUID().replace(/-/g, '').slice(0, 12),
      CreateTime: made,
      ModifyTime: made,
      media: mediaChannel,
      ...fields,
      DeviceId,
      attrs: { ...COMMON_DEFAULTS, ...(fields.DeviceType === 'IPC' ? { ...IPC_DEFAULTS, ...encode } : {}), ...attrs },
    };
    this.devices.set(DeviceId, d);
    return d;
  }

  private attrsFrom(p: Map<string, string>, ipc: boolean): Record<string, string> {
    for (const k of MAX64) maxLength(p, k, 64);
    const out: Record<string, string> = {};
    for (const k of [...Object.keys(COMMON_DEFAULTS), ...(ipc ? Object.keys(IPC_DEFAULTS) : [])]) {
      const v = p.get(k === 'DatasourceType' ? 'DataSourceType' : k);
      if (v === undefined) continue;
      if (ATTR_RULES[k] && !ATTR_RULES[k](v)) throw new VcsError(400, 'InvalidParameter', `${k} is not valid: ${v}`);
      out[k] = v;
    }
    return out;
  }

  /**
   * §3.2.1: an IPC, an NVR/ABOX with SubDeviceCount channels, or channels added to an NVR
   * (IPC + ParentDeviceId). New GB devices wait for registration (DeviceStatus 2).
   */
  private createDevice(p: Map<string, string>) {
    const CorpId = required(p, 'CorpId');
    if (!this.corps.has(CorpId)) throw new VcsError(400, 'InvalidParameter', `Project ${CorpId} does not exist.`);
    const type = required(p, 'DeviceType').toUpperCase();
    if (type !== 'IPC' && type !== 'NVR' && type !== 'ABOX')
      throw new VcsError(400, 'InvalidParameter', 'DeviceType must be IPC, NVR or ABOX.');
    const dsType = required(p, 'DataSourceType');
    if (dsType !== 'VIDEO' && dsType !== 'PIC_VIDEO')
      throw new VcsError(400, 'InvalidParameter', 'DataSourceType must be VIDEO or PIC_VIDEO.');
    const DeviceName = required(p, 'DeviceName');
    required(p, 'DeviceAddress');
    const protocol = p.get('InProtocol') ?? 'GBT28181';
    if (protocol !== 'GBT28181' && protocol !== 'SAPI')
      throw new VcsError(400, 'InvalidParameter', 'InProtocol must be GBT28181 or SAPI.');
    if (protocol === 'SAPI') required(p, 'ActivateCode');
    const parentId = p.get('ParentDeviceId') ?? '';
    if (parentId && type !== 'IPC')
      throw new VcsError(400, 'InvalidParameter', 'Only IPCs can hang under an NVR or ABOX.');
    const parent = parentId ? this.devices.get(parentId) : undefined;
    if (parentId && (!parent || parent.DeviceType === 'IPC'))
      throw new VcsError(400, 'InvalidParameter', `ParentDeviceId ${parentId} is not an NVR or ABOX.`);
    const countRaw = p.get('SubDeviceCount');
    if ((type !== 'IPC' || parentId) && countRaw === undefined)
      throw new VcsError(
        403,
        'MissingParameter',
        'SubDeviceCount is mandatory for NVR/ABOX and for channels added to an NVR.',
      );
    const count = Number(countRaw ?? 1);
    if (!Number.isInteger(count) || count < 1 || count > 256)
      throw new VcsError(400, 'InvalidParameter', 'SubDeviceCount must be between 1 and 256.');
    const subIds = p.get('SubDeviceIdList') ? idList(p.get('SubDeviceIdList')!) : null;
    if (subIds && (subIds.length !== count || subIds.some((id) => !/^\d{20}$/.test(id))))
      throw new VcsError(
        400,
        'InvalidParameter',
        'SubDeviceIdList must hold SubDeviceCount 20-digit GB/T 28181 codes.',
      );
    const ownId = p.get('DeviceId');
    if (ownId !== undefined && type !== 'IPC' && !/^\d{20}$/.test(ownId))
      throw new VcsError(400, 'InvalidParameter', 'DeviceId must be a 20-digit GB/T 28181 code.');
    const location = this.attrsFrom(p, true);
    const common = {
      CorpId,
      InProtocol: protocol as DeviceRec['InProtocol'],
      DeviceStatus: '2' as const,
      StreamStatus: '0' as const,
    };
    let main: DeviceRec;
    const channels: DeviceRec[] = [];
    if (type === 'IPC' && !parentId) {
      main = this.addDevice(
        { ...common, DeviceName, DeviceType: 'IPC', DeviceSubType: p.get('DeviceSubType') ?? '3' },
        location,
      );
    } else {
      main =
        parent ??
        this.addDevice(
          { ...common, DeviceName, DeviceType: type, ...(ownId ? { DeviceId: ownId } : {}) },
          this.attrsFrom(p, false),
        );
      for (let i = 0; i < count; i++)
        channels.push(
          this.addDevice(
            {
              ...common,
              DeviceName: parent ? `${DeviceName} ${i + 1}` : `${DeviceName} 通道${i + 1}`,
              DeviceType: 'IPC',
              ParentDeviceId: main.DeviceId,
              DeviceSubType: '3',
              ...(subIds ? { DeviceId: subIds[i]! } : {}),
            },
            location,
          ),
        );
    }
    const after = this.options.registerAfterMs;
    if (after !== undefined && protocol === 'GBT28181') {
      const t = setTimeout(() => {
        this.timers.delete(t);
        for (const d of [main, ...channels]) if (d.DeviceStatus === '2') d.DeviceStatus = '1';
      }, after);
      this.timers.add(t);
    }
    return {
      Code: '0',
      Message: 'Success',
      Data: {
        ...SERVER,
        DeviceId: main.DeviceId,
        Password: main.Password,
        SubDeviceInfo: channels.map((c) => ({ SubDeviceId: c.DeviceId })),
      },
    };
  }

  /** §3.2.2: patches the given fields; address changes leave coordinates alone. */
  private modifyDevice(p: Map<string, string>) {
    const id = required(p, 'DeviceId');
    const d = this.devices.get(id);
    if (!d) throw new VcsError(400, 'InvalidParameter', `Device ${id} does not exist.`);
    const attrs = this.attrsFrom(p, d.DeviceType === 'IPC');
    const sub = p.get('DeviceSubType');
    if (sub !== undefined && !ATTR_RULES.DeviceSubType!(sub))
      throw new VcsError(400, 'InvalidParameter', `DeviceSubType is not valid: ${sub}`);
    Object.assign(d.attrs, attrs);
    if (p.get('DeviceName')) d.DeviceName = p.get('DeviceName')!;
    if (sub !== undefined) d.DeviceSubType = sub;
    if (p.get('Password')) d.Password = p.get('Password')!;
    d.ModifyTime = new Date(this.clock()).toISOString().slice(0, 19);
    return { Code: '200', Message: 'success' };
  }

  private createCorp(p: Map<string, string>) {
    const CorpName = required(p, 'CorpName');
    const AppName = required(p, 'AppName');
    const CorpId = String(this.nextCorp++);
    this.corps.set(CorpId, {
      CorpId,
      CorpName,
      AppName,
      Description: p.get('Description') ?? '',
      IsvSubId: p.get('IsvSubId') ?? '',
      IconPath: p.get('IconPath') ?? '',
      CreateDate: new Date(this.clock()).toISOString().slice(0, 10),
      AcuUsed: 0,
    });
    return { CorpId, Code: '200', Message: 'success' };
  }

  private listCorps(p: Map<string, string>) {
    const { page, size } = paging(p, 'PageNumber', 1000);
    const filter = p.get('CorpName') ?? '';
    const all = [...this.corps.values()].filter((c) => c.CorpName.includes(filter));
    const Records = all.slice((page - 1) * size, page * size).map((c) => ({
      ...c,
      ParentCorpId: '',
      YOfflineAcuUsed: 0, // offline ACU used (§3.1.2 table; double)
      DeviceCount: [...this.devices.values()].filter((d) => d.CorpId === c.CorpId).length,
    }));
    return {
      Code: '200',
      Message: 'success',
      Data: {
        Records,
        TotalPage: Math.ceil(all.length / size),
        PageNumber: page,
        PageSize: size,
        TotalCount: all.length,
      },
    };
  }

  private updateCorp(p: Map<string, string>) {
    const corp = this.corps.get(required(p, 'CorpId'));
    if (!corp) throw new VcsError(400, 'InvalidParameter', 'The specified CorpId does not exist.');
    for (const k of ['CorpName', 'AppName', 'Description', 'IsvSubId', 'IconPath'] as const) {
      const v = p.get(k);
      if (v !== undefined) corp[k] = v;
    }
    return { Code: '200', Message: 'success', Data: 'success' };
  }

  /** §3.2.3: ≤ 20 IDs; per-device results; channels go with their NVR. */
  private deleteDevices(p: Map<string, string>) {
    const ids = idList(required(p, 'DeviceIdList'));
    if (ids.length > 20) throw new VcsError(400, 'InvalidParameter', 'DeviceIdList: at most 20 devices per call.');
    const Data = ids.map((DeviceId) => {
      if (!this.devices.has(DeviceId))
        return { DeviceId, Code: 'DeviceNotFound', Description: 'The relevant device information could not be found' };
      // A parent goes only if every channel can go (§3.2.3).
      const channels = [...this.devices.values()].filter((d) => d.ParentDeviceId === DeviceId);
      if ([DeviceId, ...channels.map((c) => c.DeviceId)].some((id) => this.analysis.isBound(id)))
        return {
          DeviceId,
          Code: 'InstanceAlreadyBind',
          Description: 'Device is already bound to an instance and cannot be deleted',
        };
      for (const c of channels) this.devices.delete(c.DeviceId);
      this.devices.delete(DeviceId);
      return { DeviceId, Code: '200', Description: 'SUCCESS' };
    });
    return { Code: '200', Message: 'success', Data };
  }

  /** §3.2.4 / §3.2.5: PageNum/PageSize (≤ 200), list filters with DeviceIdList > NvrIdList > CorpIdList. */
  private describeDevices(p: Map<string, string>, kind: 'ipc' | 'nvr') {
    const { page, size } = paging(p, 'PageNum', 200);
    let list = [...this.devices.values()].filter((d) =>
      kind === 'nvr' ? d.DeviceType !== 'IPC' : d.DeviceType === 'IPC',
    );
    const devIds = p.get(kind === 'nvr' ? 'NvrDeviceIdList' : 'DeviceIdList');
    const nvrIds = kind === 'ipc' ? p.get('NvrIdList') : undefined;
    const corpIds = p.get('CorpIdList');
    if (devIds) list = list.filter((d) => idList(devIds).includes(d.DeviceId));
    else if (nvrIds) list = list.filter((d) => idList(nvrIds).includes(d.ParentDeviceId));
    else if (corpIds) list = list.filter((d) => idList(corpIds).includes(d.CorpId));
    const parentType = kind === 'ipc' ? p.get('ParentDeviceType') : undefined;
    if (parentType) {
      if (!['IPC', 'NVR', 'ABOX'].includes(parentType))
        throw new VcsError(400, 'InvalidParameter', 'ParentDeviceType must be IPC, NVR or ABOX.');
      list = list.filter((d) =>
        parentType === 'IPC' ? !d.ParentDeviceId : this.devices.get(d.ParentDeviceId)?.DeviceType === parentType,
      );
    }
    const filter = p.get('DeviceFilter');
    if (filter) list = list.filter((d) => d.DeviceName.includes(filter) || d.DeviceId.includes(filter));
    const status = kind === 'ipc' ? p.get('DeviceStatus') : undefined;
    if (status) list = list.filter((d) => d.DeviceStatus === status);
    const Records = list.slice((page - 1) * size, page * size).map((d) => this.record(d));
    return {
      Code: '200',
      Message: 'Success',
      Data: {
        TotalCount: list.length,
        TotalPage: Math.ceil(list.length / size),
        PageNum: page,
        PageSize: size,
        Records,
      },
    };
  }

  private record(d: DeviceRec): Record<string, unknown> {
    const { media: _media, attrs, ...fields } = d;
    const base = { ...fields, ...attrs, ...SERVER, Vap: '' }; // Vap: an internal field the listing carries (§3.2.4)
    if (d.DeviceType === 'IPC')
      return {
        ...base,
        StreamAction: this.pulls.has(d.DeviceId) || this.streamModes.get(d.DeviceId) === '1' ? '1' : '0',
      };
    const subs = [...this.devices.values()].filter((c) => c.ParentDeviceId === d.DeviceId);
    return {
      ...base,
      SubDeviceCount: String(subs.length),
      SubDeviceInfo: subs.map((c) => ({ SubDeviceId: c.DeviceId })),
    };
  }

  /** §3.2.6: ≤ 20 IPC IDs (channels included); NVR/ABOX refused. */
  private setStreamMode(p: Map<string, string>) {
    const ids = idList(required(p, 'DeviceIdList'));
    const mode = required(p, 'StreamMode');
    if (mode !== '0' && mode !== '1') throw new VcsError(400, 'InvalidParameter', 'StreamMode must be 0 or 1.');
    if (ids.length > 20) throw new VcsError(400, 'InvalidParameter', 'DeviceIdList: at most 20 devices per call.');
    for (const id of ids) {
      const d = this.devices.get(id);
      if (!d) throw new VcsError(400, 'InvalidParameter', `Device ${id} does not exist.`);
      if (d.DeviceType !== 'IPC')
        throw new VcsError(
          400,
          'InvalidParameter',
          `Device ${id} is a ${d.DeviceType}; stream mode applies to IPCs only.`,
        );
    }
    for (const id of ids) this.streamModes.set(id, mode);
    return { Code: '200', Message: 'success' };
  }

  private camera(p: Map<string, string>): DeviceRec {
    const id = p.get('DeviceId') || p.get('GbId');
    if (!id) throw new VcsError(403, 'MissingParameter', 'DeviceId is mandatory for this action.');
    const d = this.devices.get(id);
    if (!d || d.DeviceType !== 'IPC')
      throw new VcsError(400, 'InvalidParameter', `The specified device ${id} does not exist or is not a camera.`);
    const corp = p.get('CorpId');
    if (corp && corp !== d.CorpId)
      throw new VcsError(400, 'InvalidParameter', `Device ${id} is not in project ${corp}.`);
    return d;
  }

  /** §3.2.7 and §3.2.6: on-demand devices answer `Retry` while the pull is set up. */
  private liveUrl(p: Map<string, string>) {
    const d = this.camera(p);
    const OutProtocol = p.get('OutProtocol') ?? 'hls';
    if (!['hls', 'rtmp', 'rtsp', 'httpsflv', 'httpshls'].includes(OutProtocol))
      throw new VcsError(400, 'InvalidParameter', 'OutProtocol must be hls, rtmp, rtsp, httpsflv or httpshls.');
    const streamType = p.get('StreamType');
    if (streamType !== undefined && streamType !== '1' && streamType !== '2')
      throw new VcsError(400, 'InvalidParameter', 'StreamType must be 1 or 2.');
    if (d.DeviceStatus !== '1')
      return {
        Code: 'Failed',
        Message: d.DeviceStatus === '2' ? 'Device has not registered yet.' : 'Device is offline.',
      };
    if (this.streamModes.get(d.DeviceId) !== '1') {
      const ready = this.pulls.get(d.DeviceId);
      if (ready === undefined) this.pulls.set(d.DeviceId, this.clock() + (this.options.warmupMs ?? 1500));
      if (ready === undefined || this.clock() < ready)
        return { Code: 'Retry', Message: 'The stream is being pulled, please retry later.' };
    }
    // GB28181 devices have one stream; only SAPI honours StreamType (§4.1). That one stream is the
    // device's main stream (StreamType 1, as in §3.2.7's example); the simulator's lighter variant
    // stands in for it, as before.
    const sapi = d.InProtocol === 'SAPI';
    const stream = sapi && streamType === '1' ? 'main' : 'sub';
    return {
      Code: '200',
      Message: 'Success',
      OutProtocol,
      StreamType: !sapi || stream === 'main' ? 1 : 2,
      Url: this.mediaUrl(d, OutProtocol, stream),
    };
  }

  private mediaUrl(d: DeviceRec, protocol: string, stream: 'main' | 'sub'): string {
    const m = this.options.media;
    if (protocol === 'rtmp' || protocol === 'rtsp')
      return `${protocol}://127.0.0.1/live/${d.DeviceId}?auth_key=${authKey(this.clock())}`;
    if (!m)
      return `${this.baseUrl}/live/${d.DeviceId}.${protocol.endsWith('flv') ? 'flv' : 'm3u8'}?auth_key=${authKey(this.clock())}`;
    // The CDN's signed URL (serveLive relays the simulator's stream behind it).
    const path = `/live/${d.DeviceId}_${stream}.${protocol.endsWith('flv') ? 'flv' : 'm3u8'}`;
    return `${this.baseUrl}${path}?auth_key=${this.signLive(path)}`;
  }

  /** §3.2.8: CorpId required; epoch-ms range; cloud storage only hls/httpshls. */
  private videoUrl(p: Map<string, string>) {
    required(p, 'CorpId');
    const d = this.camera(p);
    const storage = p.get('StorageType') ?? '0';
    if (storage !== '0' && storage !== '1') throw new VcsError(400, 'InvalidParameter', 'StorageType must be 0 or 1.');
    const OutProtocol = p.get('OutProtocol') ?? 'hls';
    const allowed = storage === '0' ? ['hls', 'httpshls'] : ['hls', 'flv', 'httpshls', 'httpsflv', 'rtsp'];
    if (!allowed.includes(OutProtocol))
      throw new VcsError(
        400,
        'InvalidParameter',
        `OutProtocol ${OutProtocol} is not supported for StorageType ${storage}.`,
      );
    const { start, end } = this.videoRange(p, d.media);
    const rec = this.options.media?.recordings(d.media).find((r) => r.end > start && r.start < end);
    if (this.options.media && !rec) return { Code: 'Failed', Message: 'No recording in the requested time range.' };
    // With media attached, HLS serves the simulator's recordings in the range (dated, like a
    // cloud VOD playlist); FLV and RTSP (device-local only) stream them from the start asked for.
    const auth = `auth_key=${authKey(this.clock())}`;
    const Url =
      OutProtocol === 'rtsp'
        ? `rtsp://127.0.0.1:${this.rtsp.port}/vod/${d.DeviceId}/${start}-${end}?${auth}`
        : `${this.baseUrl}/vod/${d.DeviceId}/${start}-${end}.${OutProtocol.endsWith('flv') ? 'flv' : 'm3u8'}?${auth}`;
    return { Code: '200', Message: 'Success', OutProtocol, Url };
  }

  /**
   * §3.2.8: StartTime and EndTime are optional (否). Absent both, the newest recording (the last
   * hour without media); absent one, an hour from the other.
   */
  private videoRange(p: Map<string, string>, channel: string): { start: number; end: number } {
    const HOUR_MS = 3_600_000;
    const time = (name: string): number | undefined => {
      const raw = p.get(name);
      if (raw === undefined) return undefined;
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n))
        throw new VcsError(400, 'InvalidParameter', `${name} is epoch milliseconds.`);
      return n;
    };
    let start = time('StartTime');
    let end = time('EndTime');
    if (start === undefined && end === undefined) {
      const newest = this.options.media?.recordings(channel).at(-1);
      end = newest?.end ?? this.clock();
      start = newest?.start ?? end - HOUR_MS;
    }
    start ??= end! - HOUR_MS;
    end ??= start + HOUR_MS;
    if (end <= start) throw new VcsError(400, 'InvalidParameter', 'StartTime must be before EndTime.');
    return { start, end };
  }

  /**
   * §3.2.8 device-local recording over (HTTPS-)FLV: the range's first recording from the
   * requested start, sent in real time as a device plays its storage back.
   */
  private vodFlv(
    req: IncomingRequest,
    rec: { start: number; url: string },
    start: number,
    audioCodec: string | undefined,
  ): 'handled' {
    const offset = Math.max(0, (start - rec.start) / 1000);
    // (A G.711 camera's device sends G.711, deviceFlvSound.)
    const proc = spawn(
      ffmpegPath(),
      [
        ...['-hide_banner', '-loglevel', 'error', '-ss', String(offset), '-i', rec.url],
        ...['-c:v', 'copy', ...deviceFlvSound(audioCodec), '-f', 'flv', 'pipe:1'],
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const pacer = new FlvPacer();
    req.res.writeHead(200, {
      'Content-Type': 'video/x-flv',
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'no-cache',
    });
    proc.stdout.pipe(pacer).pipe(req.res);
    req.res.on('close', () => {
      pacer.destroy();
      proc.kill('SIGKILL');
    });
    return 'handled';
  }

  private picture(p: Map<string, string>) {
    const d = this.camera(p);
    if (d.DeviceStatus !== '1') throw new VcsError(400, 'InvalidParameter', 'Device is offline.');
    return {
      Code: '200',
      Message: 'SUCCESS',
      Data: `${this.baseUrl}/snapshot/${d.DeviceId}.jpg?auth_key=${authKey(this.clock())}`,
    };
  }
}

/** How long a live URL's auth_key is good for (s). */
const LIVE_URL_TTL_S = 1800;

/** Alibaba CDN-style `auth_key=<expiry>-0-0-<md5>` (§4.1), here with a dummy hash. */
function authKey(now: number): string {
  return `${Math.floor(now / 1000) + 1800}-0-0-${randomUUID().replace(/-/g, '')}`;
}

/** JSON, or XML with `<ActionResponse>` (or `<Error>`) as the root (spec §1.4). */
/** The product's host as Alibaba error bodies name it (spec vcs §1.5, cityvision §1.6 HostId). */
function hostId(action: string, region: string | undefined): string {
  return CITYVISION_ACTIONS.has(action)
    ? `cityvisual.${/^[a-z0-9-]+$/.test(region ?? '') ? region : 'cn-shanghai'}.aliyuncs.com`
    : 'vcs.cn-hangzhou.aliyuncs.com';
}

function reply(status: number, root: string, body: Record<string, unknown>, xml: boolean): Reply {
  if (!xml) return { status, body };
  return {
    status,
    text: `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${toXml(body)}</${root}>`,
    headers: { 'Content-Type': 'application/xml; charset=UTF-8' },
  };
}

function toXml(value: Record<string, unknown>): string {
  return Object.entries(value)
    .map(([k, v]) =>
      Array.isArray(v)
        ? v
            .map(
              (item) =>
                `<${k}>${item !== null && typeof item === 'object' ? toXml(item as Record<string, unknown>) : escapeXml(String(item))}</${k}>`,
            )
            .join('')
        : v !== null && typeof v === 'object'
          ? `<${k}>${toXml(v as Record<string, unknown>)}</${k}>`
          : `<${k}>${escapeXml(String(v))}</${k}>`,
    )
    .join('');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
