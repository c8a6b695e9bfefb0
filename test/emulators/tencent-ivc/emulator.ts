import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import type http from 'node:http';
import {
  headerParams,
  httpString,
  hmacSha1Hex,
  signKey,
  stringToSign,
  urlParams,
} from '../../../main/platforms/tencent-ivc/sign';
import { EmulatorServer, header, type IncomingRequest, type Reply } from '../common/http';
import { FlvPacer } from './flv-pacer';
import { deviceFlvSound, ffmpegPath } from '../media/ffmpeg';
import type { PlatformMedia } from '../media/platform-media';
import { passThrough, streamHeaders } from '../media/pass-through';
import { stitchPlaylist } from '../media/playlist';
import { AnnexBReader, HevcFlvMuxer } from '../../../main/media/flv-hevc';
import { PassThrough, type Readable } from 'node:stream';
import { readSheet, writeSheet } from '../../../main/formats/sheets';
import { ivcError, IvcError, ivcErrors } from './errors';

/**
 * Tencent Cloud 智能视图计算平台 (IVC) emulator, written from ../shared/spec/tencent-ivc.md:
 * E01–E83 with the documented paths, fields, limits and StatusCodes in the common envelope;
 * the COS-style sha1 signature verified over exactly the headers and parameters the
 * Authorization names (41602 bad signature, 41601 expired key time); stateful organizations,
 * devices, channels, presets, plans, templates, retrieval and analytics tasks, gateways;
 * media URLs served from the media simulator.
 */
/** The media simulator behind IVC's play URLs. */
export type IvcMedia = PlatformMedia;

export interface IvcEmulatorOptions {
  secretId?: string;
  secretKey?: string;
  appId?: string;
  seed?: boolean;
  /** extra generated channels (tree benchmarks) */
  scale?: number;
  media?: IvcMedia;
  /** a GB device added through the API registers after this many ms (null: never) */
  registerAfterMs?: number | null;
  /** how far ahead of the emulator's clock a KeyTime may start, seconds (the end has no allowance) */
  skewSeconds?: number;
  clock?: () => number;
}

interface Org {
  Id: string;
  Name: string;
  ParentId: string;
  Level: number;
}
interface Channel {
  ChannelId: string;
  ChannelCode: string;
  DeviceId: string;
  Name: string;
  Status: number;
  PtzType: number;
  Manufacturer: string;
  Resolution: string;
  State: number;
  presets: Map<number, string>;
  media: string;
}
interface Device {
  Id: string;
  Code: string;
  Name: string;
  AccessProtocol: number;
  Type: number;
  ClusterId: string;
  TransportProtocol: number;
  Password: string;
  Description: string;
  Status: number;
  OrganizationId: string;
  Manufacturer: string;
  channels: Channel[];
  gatewayId?: string;
}
interface TimeSection {
  DayOfWeek: number;
  StartTime: string;
  EndTime: string;
}
interface Template {
  TemplateId: string;
  TemplateName: string;
  TimeSections: TimeSection[];
  DevTimeSections?: TimeSection[];
  Scale?: number;
  CreateAt: string;
  UpdateAt: string;
}
interface Plan {
  PlanId: string;
  PlanName: string;
  TemplateId: string;
  Describe: string;
  StreamType: string;
  LifeCycle: { Transition: number; Expiration: number };
  Status: number;
  channels: Map<string, string>; // ChannelId → DeviceId
  CreateAt: string;
  UpdateAt: string;
}
interface RetrieveTask {
  TaskId: string;
  TaskName: string;
  StartTime: number;
  EndTime: number;
  Mode: number;
  Expiration: number;
  Status: number;
  Capacity: number;
  Channels: Array<{ DeviceId: string; ChannelId: string }>;
}
interface AiTask {
  TaskId: string;
  Name: string;
  Desc: string;
  Status: 'on' | 'off';
  ChannelList: string[];
  CallbackUrl: string;
  Templates: unknown[];
  CreatedTime: string;
  UpdatedTime: string;
}
interface Gateway {
  Id: string;
  GwId: string;
  Name: string;
  Description: string;
  ClusterId: string;
  Status: number;
  CreatedAt: string;
}

const NAME = /^[\p{Script=Han}A-Za-z0-9_-]+$/u;
const HMS = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const DETECT_TYPES = ['Facemask', 'Chefhat', 'Smoking', 'Chefcloth', 'PhoneCall', 'Pet', 'Body', 'Car'];
const PTZ_TYPES = [
  'up',
  'down',
  'left',
  'right',
  'leftup',
  'rightup',
  'leftdown',
  'rightdown',
  'zoomin',
  'zoomout',
  'focusfar',
  'focusnear',
  'irisin',
  'irisout',
];

type Ctx = { q: URLSearchParams; body: Record<string, unknown>; req: IncomingRequest };
type Handler = (c: Ctx) => unknown | Promise<unknown>;

/** Live FLV/HLS, device playback, cloud playback playlists and downloads. */
const isMediaPath = (path: string) =>
  path.startsWith('/live/') || path.startsWith('/record/') || path.startsWith('/download/');
/** A live HLS segment, named relative to its playlist `/live/<channel>.m3u8`: `<channel>/<1|2>/<file>.ts`. */
const LIVE_SEGMENT = /^\/live\/([0-9a-f-]{36})\/([12])\/([A-Za-z0-9_-]+\.ts)$/;

export class IvcEmulator {
  readonly credentials: { secretId: string; secretKey: string; appId: string };
  readonly server: EmulatorServer;
  readonly clusters = [
    { Label: '上海一区', Value: randomUUID() },
    { Label: '上海二区', Value: randomUUID() },
    { Label: '上海三区', Value: randomUUID() },
  ];
  readonly domains = new Map<
    string,
    { Id: string; PlayDomain: string; InternalDomain: string; HaveCert: number; ClusterId: string }
  >();
  authStream = {
    Id: randomUUID(),
    PushState: 0,
    PushSecret: '',
    PushExpired: 0,
    PullState: 0,
    PullSecret: '',
    PullExpired: 0,
  };
  readonly orgs = new Map<string, Org>();
  readonly devices = new Map<string, Device>();
  /**
   * Import rows the platform refuses for reasons of its own the document does not list (a quota, a
   * node's capacity): device name → the reason written into the result file.
   */
  readonly importRefusals = new Map<string, string>();
  /** E24 jobs: E25's progress fields, plus each row's outcome for E26 */
  readonly imports = new Map<
    string,
    {
      State: number;
      Rate: number;
      Total: number;
      Succeed: number;
      Failed: number;
      header: string[];
      results: Array<{ row: string[]; ok: boolean; reason: string }>;
    }
  >();
  readonly realtimeTemplates = new Map<string, Template>();
  readonly backupTemplates = new Map<string, Template>();
  readonly realtimePlans = new Map<string, Plan>();
  readonly backupPlans = new Map<string, Plan>();
  readonly retrieveTasks = new Map<string, RetrieveTask>();
  readonly aiTasks = new Map<string, AiTask>();
  readonly gateways = new Map<string, Gateway>();
  readonly sessions = new Map<
    string,
    {
      channelId: string;
      start: number;
      end: number;
      paused: boolean;
      scale: number;
      pos: number;
      proc: ChildProcess | null;
      pacer: FlvPacer | null;
    }
  >();
  /** PTZ and preset commands received, for tests. */
  readonly controlLog: Array<{ at: number; path: string; body: Record<string, unknown> }> = [];
  private orgSeq = 0;
  private codeSeq = 0;
  private readonly routes: Record<string, Handler>;
  private readonly now: () => number;
  private readonly opts: IvcEmulatorOptions;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Live media connections open now (FLV streams, HLS segments), by channel: a channel going offline ends them. */
  private readonly liveConnections = new Map<http.ServerResponse, string>();
  /** lapsePlayUrls(): play URLs signed at or before this second (Unix) are expired. */
  private lapsedAt = 0;

  constructor(options: IvcEmulatorOptions = {}) {
    this.opts = options;
    this.now = options.clock ?? Date.now;
    this.credentials = {
      secretId: options.secretId ?? 'AKIDvigilEmulatorSecretId0000000001',
      secretKey: options.secretKey ?? 'vigilEmulatorSecretKey0000000000001',
      appId: options.appId ?? '1250000000',
    };
    this.routes = this.buildRoutes();
    this.server = new EmulatorServer(
      (req) => this.handle(req),
      () => envelopeError(50000),
      {
        registerDevice: (b) => this.setDeviceStatus(String(b.Id), 1),
        dropDevice: (b) => this.setDeviceStatus(String(b.Id), 2),
        /** {ChannelId, online}: see setChannelOnline. */
        setChannelOnline: (b) => this.setChannelOnline(String(b.ChannelId), b.online === true),
        lapsePlayUrls: () => this.lapsePlayUrls(),
        controlLog: () => this.controlLog,
      },
      // notFoundFirst: a stream not up yet refuses its playlists, not the segments they list
      (path) => isMediaPath(path) && !LIVE_SEGMENT.test(path),
    );
    this.orgs.set('0', { Id: '0', Name: 'root', ParentId: '', Level: 0 });
    if (options.seed ?? true) this.seed();
    for (let i = 0; i < (options.scale ?? 0); i++)
      this.addDevice({
        name: `Scale-${i + 1}`,
        org: this.firstOrgId(),
        protocol: 2,
        type: 1,
        status: i % 5 === 0 ? 2 : 1,
        channels: 1,
      });
  }

  async start(port = 0): Promise<this> {
    await this.server.listen(port);
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sessions.values()) {
      s.proc?.kill('SIGKILL');
      s.pacer?.destroy();
    }
    await this.server.close();
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }
  /** Fault switches (common/http.ts Faults), notFoundFirst included. */
  get faults() {
    return this.server.faults;
  }

  // ------------------------------------------------------------------ transport

  private async handle(req: IncomingRequest): Promise<Reply | 'handled'> {
    if (isMediaPath(req.path)) return this.serveMedia(req);
    const route = this.routes[`${req.method} ${req.path}`];
    if (!route)
      return {
        status: 404,
        body: {
          RequestId: requestId(),
          Code: 0,
          StatusCode: 40001,
          Message: ivcErrors[40001]![0],
          Data: `no API ${req.method} ${req.path}`,
        },
      };
    try {
      this.verify(req);
      const body = parseBody(req);
      const data = await route({ q: new URLSearchParams(req.url.search), body, req });
      if (data instanceof RawReply) {
        return {
          status: 200,
          bytes: data.bytes,
          headers: {
            'Content-Type': 'application/download',
            'Content-Disposition': `attachment; filename="${data.filename}"`,
          },
        };
      }
      const rid = requestId();
      const payload: Record<string, unknown> = { RequestId: rid, Code: 0, StatusCode: 200, Message: 'ok' };
      if (data !== NO_DATA) payload.Data = data === undefined ? null : data;
      return { status: 200, body: payload, headers: { RequestId: rid, Server: 'tencent-iss' } };
    } catch (e) {
      if (e instanceof IvcError) return envelopeError(e.statusCode, e.detail);
      throw e;
    }
  }

  /** §2.8: recompute the signature over the named headers and parameters; 41602 bad, 41601 expired. */
  private verify(req: IncomingRequest): void {
    const auth = header(req, 'Authorization');
    if (!auth) ivcError(41602, 'no Authorization header');
    const parts = new Map<string, string>();
    for (const p of auth.split('&')) {
      const i = p.indexOf('=');
      if (i > 0) parts.set(p.slice(0, i), p.slice(i + 1));
    }
    for (const k of [
      'q-sign-algorithm',
      'q-ak',
      'q-sign-time',
      'q-key-time',
      'q-header-list',
      'q-url-param-list',
      'q-signature',
    ]) {
      if (!parts.has(k)) ivcError(41602, `Authorization lacks ${k}`);
    }
    if (parts.get('q-sign-algorithm') !== 'sha1') ivcError(41602, 'q-sign-algorithm must be sha1');
    if (parts.get('q-ak') !== this.credentials.secretId) ivcError(41602, 'unknown q-ak');
    const signTime = parts.get('q-sign-time')!;
    const keyTime = parts.get('q-key-time')!;
    // 生成 KeyTime: "StartTimestamp;EndTimestamp", the end derived from the start plus the validity;
    // q-sign-time and q-key-time both carry it, so both windows are checked.
    const windows = [signTime, keyTime].map((t) => /^(\d+);(\d+)$/.exec(t));
    if (windows.some((m) => !m || Number(m[1]) > Number(m[2]))) ivcError(41602, 'malformed q-sign-time or q-key-time');
    const now = Math.floor(this.now() / 1000);
    // EndTimestamp is "签名过期时间" (when the signature expires): past it, refused at once. A start a
    // little ahead is let through: a caller whose clock runs slightly fast signs from its own "now".
    const skew = this.opts.skewSeconds ?? 60;
    for (const m of windows) {
      if (now > Number(m![2])) ivcError(41601, 'the signature time window has passed');
      if (Number(m![1]) > now + skew) ivcError(41601, 'the signature time window has not begun');
    }
    const headerNames = parts.get('q-header-list')!.split(';').filter(Boolean);
    if (!headerNames.includes('host')) ivcError(41602, 'host must be signed');
    const headers: Record<string, string> = {};
    for (const n of headerNames) {
      const v = header(req, n);
      if (v === undefined) ivcError(41602, `signed header ${n} is missing`);
      headers[n] = v;
    }
    const paramNames = parts.get('q-url-param-list')!.split(';').filter(Boolean);
    const lowerQuery = new Map(req.query.map(([k, v]) => [k.toLowerCase(), v]));
    const query: Record<string, string> = {};
    for (const n of paramNames) {
      const key = decodeURIComponent(n);
      if (!lowerQuery.has(key)) ivcError(41602, `signed parameter ${key} is missing`);
      query[key] = lowerQuery.get(key)!;
    }
    // 请求签名 步骤3: "遍历 HTTP 请求参数" — every query parameter is signed (headers are a chosen
    // subset: V6 sends Date and signs only host), so one added after signing is refused.
    for (const key of lowerQuery.keys())
      if (!Object.hasOwn(query, key)) ivcError(41602, `query parameter ${key} is not in q-url-param-list`);
    const sk = signKey(this.credentials.secretKey, keyTime);
    const { httpParameters } = urlParams(query);
    const expected = (encoding: 'raw' | 'strict') =>
      hmacSha1Hex(
        sk,
        stringToSign(
          signTime,
          httpString(req.method, req.path, httpParameters, headerParams(headers, encoding).httpHeaders),
        ),
      );
    const given = parts.get('q-signature')!;
    // The rules say header values are encoded; the doc's examples hash them raw: accept either.
    if (!safeEqual(expected('strict'), given) && !safeEqual(expected('raw'), given))
      ivcError(41602, 'signature does not match');
  }

  // ------------------------------------------------------------------ routes

  private buildRoutes(): Record<string, Handler> {
    return {
      // §3.1 service configuration
      'GET /ivc/cms/config/getallregion': () => this.clusters,
      'GET /ivc/cms/domain/cname': ({ q }) =>
        `${this.cluster(need(q, 'ClusterId')).Value.slice(0, 8)}.play-iss.ap-shanghai.tencentivc.cn`,
      'POST /ivc/cms/domain/record': ({ body }) => {
        str(body, 'PlayDomain', true);
        str(body, 'InternalDomain', true);
        return !String(body.PlayDomain).endsWith('.unfiled.example');
      },
      'POST /ivc/cms/domain/add': ({ body }) => this.addDomain(body),
      'DELETE /ivc/cms/domain/delete': ({ q }) => {
        if (!this.domains.delete(need(q, 'Id'))) ivcError(40006);
        return null;
      },
      'POST /ivc/cms/domain/update': ({ body }) => {
        const d = this.domains.get(str(body, 'Id', true)!) ?? ivcError(40006);
        if (body.Key === undefined || (body.Cret === undefined && body.Cert === undefined))
          ivcError(40001, 'Key and Cret are required');
        d.HaveCert = 1;
        return null;
      },
      'GET /ivc/cms/domain/query': () => [...this.domains.values()].map((d) => this.domainJson(d)),
      'POST /ivc/cms/config/authstream': ({ body }) => {
        if (str(body, 'Id', true) !== this.authStream.Id) ivcError(40006);
        const next = { ...this.authStream };
        for (const k of ['PullState', 'PushState'] as const) next[k] = intIn(body[k], k, 0, 1);
        for (const k of ['PullExpired', 'PushExpired'] as const) next[k] = intIn(body[k], k, 0, 60);
        for (const k of ['PullSecret', 'PushSecret'] as const) {
          const v = body[k];
          if (typeof v !== 'string' || !/^[A-Za-z0-9]{0,10}$/.test(v))
            ivcError(40001, `${k}: letters and digits, at most 10`);
          next[k] = v;
        }
        this.authStream = next;
        return { ...next };
      },
      'GET /ivc/cms/config/authstream': () => ({ ...this.authStream }),

      // §3.2 organizations
      'POST /ivc/cms/organization/add': ({ body }) => this.addOrg(body),
      'DELETE /ivc/cms/organization/delete': ({ q }) => this.deleteOrg(need(q, 'Id')),
      'PUT /ivc/cms/organization/update': ({ body }) => {
        const o = this.org(str(body, 'Id', true)!);
        const name = orgName(body.Name);
        if ([...this.orgs.values()].some((x) => x.Name === name && x.Id !== o.Id)) ivcError(41613);
        o.Name = name;
        return { Id: o.Id, Name: o.Name, ParentId: o.ParentId, Level: o.Level };
      },
      'GET /ivc/cms/organization/query': () =>
        [...this.orgs.values()]
          .filter((o) => o.Id !== '0')
          .map((o) => {
            const devices = [...this.devices.values()].filter((d) => d.OrganizationId === o.Id);
            return {
              Id: o.Id,
              Name: o.Name,
              ParentId: o.ParentId,
              Level: o.Level,
              Total: devices.length,
              Online: devices.filter((d) => d.Status === 1).length,
            };
          }),

      // §3.3 devices
      'GET /ivc/cms/config/getuserregion': () => {
        const bound = new Set([...this.domains.values()].map((d) => d.ClusterId));
        const list = this.clusters.filter((c) => bound.has(c.Value));
        if (list.length === 0) ivcError(41610);
        return list;
      },
      'POST /ivc/cms/device/add': ({ body }) => this.deviceAdd(body),
      'DELETE /ivc/cms/device/delete': ({ q }) => {
        const d = this.device(need(q, 'Id'));
        if (this.channelsInPlans(d).length > 0) ivcError(42205, 'a channel of the device is in a recording plan');
        this.devices.delete(d.Id);
        return null;
      },
      'PUT /ivc/cms/device/update': ({ q, body }) => this.deviceUpdate(need(q, 'Id'), body),
      'GET /ivc/cms/device/describe': ({ q }) => this.deviceDetail(this.device(need(q, 'Id'))),
      'PUT /ivc/cms/device/updatestatus': ({ q, body }) => {
        const id = need(q, 'Id');
        if (body.Id !== undefined && body.Id !== id) ivcError(40001, 'Id in the query and the body differ');
        const d = this.device(id);
        const status = body.Status;
        if (status !== 2 && status !== 3) ivcError(40004);
        this.setDeviceStatus(d.Id, status === 3 ? 3 : 2);
        return null;
      },
      'GET /ivc/urm/resource/getUserResources': ({ q }) => this.listDevices(q),
      'GET /ivc/cms/device/channel': ({ q }) => this.device(need(q, 'DeviceId')).channels.map(channelJson),
      'POST /ivc/cms/device/refresh': ({ body }) => {
        const d = this.device(str(body, 'DeviceId', true)!);
        if (d.AccessProtocol !== 2) ivcError(40002, 'only GB devices have a catalogue');
        if (d.Status === 3) ivcError(41621);
        if (d.Status !== 1) ivcError(41617);
        if (d.Type === 2 && d.channels.length < 8) this.addChannels(d, 1);
        return null;
      },
      'PUT /ivc/cms/device/updateorg': ({ body }) => {
        const ids = arrayOfStrings(body.Ids, 'Ids');
        const org = this.org(str(body, 'OrganizationId', true)!);
        const devices = ids.map((id) => this.device(id));
        for (const d of devices) d.OrganizationId = org.Id;
        return null;
      },
      'POST /ivc/cms/device/import/sync': ({ body }) => this.importDevices(body),
      'GET /ivc/cms/device/import/progress': ({ q }) => {
        const { State, Rate, Total, Succeed, Failed } = this.imports.get(need(q, 'JobId')) ?? ivcError(40006);
        return { State, Rate, Total, Succeed, Failed };
      },
      'GET /ivc/cms/device/import/result': ({ q }) => {
        const job = this.imports.get(need(q, 'JobId')) ?? ivcError(40006);
        return writeSheet(
          [...job.header, '导入结果', '失败原因'],
          job.results.map((r) => [...r.row, r.ok ? '成功' : '失败', r.reason]),
        ).then((b) => new RawReply(b, 'import-result.xlsx'));
      },
      'GET /ivc/cms/device/export/template': ({ q }) => {
        const p = intIn(Number(need(q, 'AccessProtocol')), 'AccessProtocol', 1, 2);
        return writeSheet(TEMPLATE[p as 1 | 2], []).then((b) => new RawReply(b, 'template.xlsx'));
      },
      'POST /ivc/urm/resource/template': ({ body }) => {
        const org = this.org(str(body, 'OrganizationId', true)!);
        if (typeof body.IsContainSubLevel !== 'boolean') ivcError(40001, 'IsContainSubLevel is required');
        const all = body.IsAllResource ?? body.isAllResource ?? true;
        const ids = body.DeviceIds ?? body.deviceIds;
        const scope = this.devicesOf(org.Id, body.IsContainSubLevel);
        const list = all === false && Array.isArray(ids) ? scope.filter((d) => ids.includes(d.Id)) : scope;
        return writeSheet(
          ['设备名称', '设备编码', '接入协议', '状态'],
          list.map((d) => [d.Name, d.Code, String(d.AccessProtocol), String(d.Status)]),
        ).then((b) => new RawReply(b, 'devices.xlsx'));
      },

      // §3.4 PTZ and presets
      'POST /ivc/cms/control/ptz': ({ body, req }) => {
        const ch = this.onlineChannel(str(body, 'ChannelId', true)!);
        if (ch.PtzType !== 1) ivcError(40001, 'this channel has no PTZ');
        const type = str(body, 'Type', true)!;
        if (!PTZ_TYPES.includes(type)) ivcError(40001, `Type must be one of ${PTZ_TYPES.join(', ')}`);
        const speed =
          typeof body.Speed === 'number' && Number.isInteger(body.Speed) && body.Speed >= 1 && body.Speed <= 8
            ? body.Speed
            : 4;
        this.controlLog.push({ at: this.now(), path: req.path, body: { ...body, Speed: speed } });
        return null;
      },
      'POST /ivc/cms/control/preset/mange': ({ body, req }) => {
        const ch = this.onlineChannel(str(body, 'ChannelId', true)!);
        const cmd = str(body, 'Cmd', true)!;
        const index = intIn(body.Index, 'Index', 1, 10);
        if (cmd === 'set') ch.presets.set(index, String(index));
        else if (cmd === 'del') {
          if (!ch.presets.delete(index)) ivcError(40006, `no preset ${index}`);
        } else if (cmd === 'goto') {
          if (!ch.presets.has(index)) ivcError(40001, `no preset ${index}`);
        } else ivcError(40001, 'Cmd must be goto, set or del');
        this.controlLog.push({ at: this.now(), path: req.path, body });
        return null;
      },
      'POST /ivc/cms/control/preset/get': ({ body }) =>
        [...this.channel(str(body, 'ChannelId', true)!).presets.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([Index, Name]) => ({ Index, Name })),

      // §3.5 live
      'POST /ivc/cms/control/stream': ({ body }) => this.liveUrls(body),

      // §3.6 recordings
      'GET /ivc/record/filelist/query': ({ q }) => {
        const d = this.device(need(q, 'DeviceId'));
        const ch = this.channelOf(d, need(q, 'ChannelId'));
        const [start, end] = this.dayRange(need(q, 'StartTime'), need(q, 'EndTime'));
        return { Tips: 0, List: this.cloudSegments(ch, start, end) };
      },
      'POST /ivc/cms/control/timeline': ({ body }) => {
        const ch = this.onlineChannel(str(body, 'ChannelId', true)!);
        const start = intIn(body.Start, 'Start', 0, 2 ** 40);
        const end = intIn(body.End, 'End', 0, 2 ** 40);
        if (start > end) ivcError(41611);
        return this.deviceSegments(ch, start, end);
      },
      'GET /ivc/record/playback/url': ({ q }) => {
        const ch = this.channel(need(q, 'ChannelId'));
        const [start, end] = this.dayRange(need(q, 'StartTime'), need(q, 'EndTime'));
        if (this.cloudSegments(ch, start, end).length === 0) ivcError(41627);
        return {
          Hls: `${this.mediaBase()}/record/${ch.ChannelId}/hls.m3u8?starttime=${start}&endtime=${end}&token=${this.token(`/record/${ch.ChannelId}/hls.m3u8`)}`,
        };
      },
      'POST /ivc/cms/control/record': ({ body }) => {
        const ch = this.onlineChannel(str(body, 'ChannelId', true)!);
        const start = intIn(body.Start, 'Start', 0, 2 ** 40);
        const end = intIn(body.End, 'End', 0, 2 ** 40);
        if (start > end) ivcError(41611);
        if (body.StreamType !== undefined && body.Resolution !== undefined) ivcError(41633);
        if (this.deviceSegments(ch, start, end).length === 0) ivcError(41627);
        const session = randomUUID();
        this.sessions.set(session, {
          channelId: ch.ChannelId,
          start,
          end,
          paused: false,
          scale: 1,
          pos: 0,
          proc: null,
          pacer: null,
        });
        const st = body.StreamType ?? 1;
        return {
          Flv: `${this.mediaBase()}/live/${ch.ChannelId}@${session}.live.flv?start=${start}&end=${end}&stream_type=${st}`,
        };
      },
      'POST /ivc/cms/control/recordctl': ({ body, req }) => {
        const ch = this.channel(str(body, 'ChannelId', true)!);
        const s = this.sessions.get(str(body, 'Session', true)!);
        if (!s || s.channelId !== ch.ChannelId) ivcError(40006, 'no such playback session');
        const action = str(body, 'Action', true)!;
        if (!['play', 'pause', 'stop'].includes(action)) ivcError(40001, 'Action must be play, pause or stop');
        if (body.Pos !== undefined && body.Scale !== undefined) ivcError(41630);
        if (body.Pos !== undefined) s.pos = intIn(body.Pos, 'Pos', 0, Math.max(0, s.end - s.start));
        if (body.Scale !== undefined) {
          if (![0.25, 0.5, 1, 2, 4, 8].includes(Number(body.Scale)))
            ivcError(40001, 'Scale must be 0.25, 0.5, 1, 2, 4 or 8');
          s.scale = Number(body.Scale);
        }
        this.controlLog.push({ at: this.now(), path: req.path, body });
        // The device sends at the pace it is told: the pacer's clock stops or runs at Scale.
        if (action === 'pause') s.paused = true;
        if (action === 'play') s.paused = false;
        if (s.pacer) {
          s.pacer.scale = s.scale;
          s.pacer.paused = s.paused;
        }
        if (action === 'play' && body.Pos !== undefined) s.proc?.kill('SIGKILL'); // the player reopens at the new position
        if (action === 'stop') {
          s.proc?.kill('SIGKILL');
          s.pacer?.destroy();
          this.sessions.delete(String(body.Session));
        }
        return null;
      },
      'POST /ivc/vds/VideoDownloadUrl': ({ body }) => {
        const ch = this.channel(str(body, 'ChannelId', true)!);
        const begin = numericString(body.BeginTime, 'BeginTime');
        const end = numericString(body.EndTime, 'EndTime');
        if (begin > end) ivcError(41611);
        if (end - begin > 1800 || !sameCstDay(begin, end)) ivcError(40001, 'at most 30 minutes within one day');
        const type = str(body, 'FileType', true)!;
        if (type !== 'mp4' && type !== 'ts') ivcError(40001, 'FileType must be mp4 or ts');
        if (this.cloudSegments(ch, begin, end).length === 0) ivcError(41627);
        const signTime = Math.floor(this.now() / 1000);
        const source = `${ch.ChannelId};${begin};${end};${type}`;
        const sign = createHmac('md5', this.credentials.secretKey).update(`${source}${signTime}`).digest('hex');
        return {
          Url: `${this.mediaBase()}/download/video.${type}?source=${encodeURIComponent(source)}&res=${randomBytes(16).toString('hex')}&expires=600&signTime=${signTime}&sign=${sign}`,
        };
      },

      // §3.7–3.10 plans and templates
      'POST /ivc/record/plan/add': ({ body }) => this.planAdd(this.realtimePlans, this.realtimeTemplates, body, true),
      'POST /ivc/record/plan/delete': ({ body }) => this.planDelete(this.realtimePlans, body),
      'POST /ivc/record/plan/modify': ({ body }) =>
        this.planModify(this.realtimePlans, this.realtimeTemplates, body, true),
      'GET /ivc/record/plan/query/byid': ({ q }) =>
        planJson(this.realtimePlans.get(need(q, 'PlanId')) ?? ivcError(40006), true),
      'GET /ivc/record/planlist/query': () => [...this.realtimePlans.values()].map((p) => planJson(p, true)),
      'GET /ivc/record/devicelist/query': ({ q }) =>
        this.planChannels([this.realtimePlans.get(need(q, 'PlanId')) ?? ivcError(40006)], q),
      'GET /ivc/record/allchannellist/query': () => ({
        List: [...this.realtimePlans.values()].flatMap((p) => [...p.channels.keys()]),
      }),
      'GET /ivc/record/channellist/query': ({ q }) => this.orgChannels(q),
      'POST /ivc/record/channelcount/query': ({ body }) => {
        const ids = arrayOfStrings(body.OrganizationId, 'OrganizationId');
        if (ids.length > 10) ivcError(43406);
        const channels = ids.flatMap((id) => this.devicesOf(this.org(id).Id, false).flatMap((d) => d.channels));
        const inPlan = new Set([...this.realtimePlans.values()].flatMap((p) => [...p.channels.keys()]));
        return { TotalCount: channels.length, NotInPlanCount: channels.filter((c) => !inPlan.has(c.ChannelId)).length };
      },
      'POST /ivc/recordbackup/plan/add': ({ body }) =>
        this.planAdd(this.backupPlans, this.backupTemplates, body, false),
      'POST /ivc/recordbackup/plan/delete': ({ body }) => this.planDelete(this.backupPlans, body),
      'POST /ivc/recordbackup/plan/modify': ({ body }) =>
        this.planModify(this.backupPlans, this.backupTemplates, body, false),
      'GET /ivc/recordbackup/plan/query/byid': ({ q }) =>
        planJson(this.backupPlans.get(need(q, 'PlanId')) ?? ivcError(40006), false),
      'GET /ivc/recordbackup/planlist/query': () => [...this.backupPlans.values()].map((p) => planJson(p, false)),
      'GET /ivc/recordbackup/devicelist/query': ({ q }) => {
        const id = q.get('PlanId') ?? '';
        return this.planChannels(
          id ? [this.backupPlans.get(id) ?? ivcError(40006)] : [...this.backupPlans.values()],
          q,
        );
      },
      'POST /ivc/record/template/add': ({ body }) => this.templateAdd(this.realtimeTemplates, body, false),
      'POST /ivc/record/template/delete': ({ body }) =>
        this.templateDelete(this.realtimeTemplates, this.realtimePlans, body),
      'POST /ivc/record/template/modify': ({ body }) => this.templateModify(this.realtimeTemplates, body, false),
      'GET /ivc/record/template/query': ({ q }) =>
        templateJson(this.realtimeTemplates.get(need(q, 'TemplateId')) ?? ivcError(40006), false),
      'GET /ivc/record/templatelist/query': () =>
        [...this.realtimeTemplates.values()].map((t) => templateJson(t, false)),
      'POST /ivc/recordbackup/template/add': ({ body }) => this.templateAdd(this.backupTemplates, body, true),
      'POST /ivc/recordbackup/template/delete': ({ body }) =>
        this.templateDelete(this.backupTemplates, this.backupPlans, body),
      'POST /ivc/recordbackup/template/modify': ({ body }) => this.templateModify(this.backupTemplates, body, true),
      'GET /ivc/recordbackup/template/query': ({ q }) =>
        templateJson(this.backupTemplates.get(need(q, 'TemplateId')) ?? ivcError(40006), true),
      'GET /ivc/recordbackup/templatelist/query': () =>
        [...this.backupTemplates.values()].map((t) => templateJson(t, true)),

      // §3.11 retrieval
      'POST /ivc/record/retrievetask/add': ({ body }) => this.retrieveAdd(body),
      'POST /ivc/record/retrievetask/delete': ({ body }) => {
        if (!this.retrieveTasks.delete(str(body, 'TaskId', true)!)) ivcError(40006);
        return {};
      },
      'GET /ivc/record/retrievetaskdetails/query': ({ q }) => {
        const t = this.retrieveTasks.get(need(q, 'TaskId')) ?? ivcError(40006);
        return {
          ...retrieveJson(t),
          Channels: t.Channels.map((c) => {
            const d = this.devices.get(c.DeviceId);
            const ch = d?.channels.find((x) => x.ChannelId === c.ChannelId);
            return {
              DeviceId: c.DeviceId,
              DeviceName: d?.Name ?? '',
              ChannelId: c.ChannelId,
              ChannelName: ch?.Name ?? '',
              Status: t.Status,
            };
          }),
        };
      },
      'GET /ivc/record/retrievetasklist/query': () => [...this.retrieveTasks.values()].map(retrieveJson),

      // §3.12 analytics
      'POST /ivc/ai/task': ({ body }) => this.aiCreate(body),
      'PUT /ivc/ai/task': ({ q, body }) => this.aiUpdate(this.aiTask(q.get('TaskId')), body),
      'DELETE /ivc/ai/task': ({ q }) => {
        this.aiTasks.delete(this.aiTask(q.get('TaskId')).TaskId);
        return NO_DATA;
      },
      'GET /ivc/ai/task/detail': ({ q }) => ({ ...this.aiTask(q.get('TaskId')) }),
      'GET /ivc/ai/task/result': ({ q }) => this.aiResults(q),
      'GET /ivc/ai/tasks': ({ q }) => {
        const [page, size] = paging(q, 20, 200, 43720, 43721);
        const list = [...this.aiTasks.values()];
        return {
          TotalCount: list.length,
          List: list.slice((page - 1) * size, page * size).map((t) => {
            const { ChannelList, Templates, ...rest } = t;
            return {
              ...rest,
              ...(q.get('IsContainChannelList') === 'true' ? { ChannelList } : {}),
              ...(q.get('IsContainTemplate') === 'true' ? { Templates } : {}),
            };
          }),
        };
      },
      'PUT /ivc/ai/task/status': ({ q }) => {
        const t = this.aiTask(q.get('TaskId'));
        const status = q.get('Status');
        if (!status) ivcError(43722);
        if (status !== 'on' && status !== 'off') ivcError(43723);
        if (status === 'off' && t.Status === 'off') ivcError(43724);
        t.Status = status;
        t.UpdatedTime = cst(this.now());
        return NO_DATA;
      },

      // §3.13 gateways
      'GET /ivc/cms/gateway/list': ({ q }) => {
        // "PageSize 每页数量，默认为20": no maximum stated
        const [page, size] = paging(q, 20, Infinity, 40001, 40001);
        let list = [...this.gateways.values()];
        const name = q.get('Name');
        if (name) list = list.filter((g) => g.Name.includes(name));
        if (q.get('ClusterId')) list = list.filter((g) => g.ClusterId === q.get('ClusterId'));
        if (q.get('Status')) list = list.filter((g) => String(g.Status) === q.get('Status'));
        return {
          List: list.slice((page - 1) * size, page * size).map((g) => this.gatewayJson(g)),
          TotalCount: list.length,
        };
      },
      'GET /ivc/cms/gateway/describe': ({ q }) => {
        const g = this.gateway(need(q, 'Id'));
        const { Status: _s, CreatedAt: _c, ...rest } = this.gatewayJson(g);
        return {
          ...rest,
          Version: [
            { Name: '管理服务', Version: 'v1.0.3' },
            { Name: '媒体服务', Version: 'v1.0.2' },
            { Name: '大华接入服务', Version: 'v1.0.1' },
          ],
        };
      },
      'GET /ivc/cms/gateway/monitor': ({ q }) => {
        const g = this.gateway(need(q, 'Id'));
        const ds = [...this.devices.values()].filter((d) => d.gatewayId === g.Id);
        const chs = ds.flatMap((d) => d.channels);
        return {
          UpFlow: g.Status === 1 ? 1024560 : 0,
          DeviceTotal: ds.length,
          DeviceOnline: ds.filter((d) => d.Status === 1).length,
          DeviceOffline: ds.filter((d) => d.Status !== 1).length,
          ChannelTotal: chs.length,
          ChannelOnline: chs.filter((c) => c.State === 1).length,
          ChannelOffline: chs.filter((c) => c.State !== 1).length,
        };
      },
      'GET /ivc/cms/gateway/devicelist': ({ q }) => {
        const g = this.gateway(need(q, 'Id'));
        // E78 takes only Id: no paging, the whole list
        const ds = [...this.devices.values()].filter((d) => d.gatewayId === g.Id);
        return {
          List: ds.map((d, i) => ({
            Id: d.Id,
            Name: d.Name,
            ProtocolType: 2,
            ProtocolTypeName: '大华SDK',
            Type: d.Type,
            Ip: `192.168.1.${20 + i}`,
            Port: 37777,
            ChannelNum: d.channels.length,
            Status: d.Status,
          })),
          TotalCount: ds.length,
        };
      },
      // E79's example gives every protocol the 字典码 "10001"
      'GET /ivc/cms/gateway/protocoltype': () => [
        { TypeCode: '10001', Label: '海康SDK', Value: 1 },
        { TypeCode: '10001', Label: '大华SDK', Value: 2 },
        { TypeCode: '10001', Label: '宇视SDK', Value: 3 },
        { TypeCode: '10001', Label: 'Onvif', Value: 4 },
      ],
      'GET /ivc/cms/gateway/version': ({ q }) => {
        this.gateway(need(q, 'Id'));
        return {
          Services: [
            {
              Name: '管理服务',
              Version: 'v1.0.3',
              LatestVersion: 'v1.0.4',
              IsUpdate: true,
              UpgradeInfo: '新增网关功能',
            },
            {
              Name: '海康SDK服务',
              Version: 'v1.0.0',
              LatestVersion: 'v1.0.0',
              IsUpdate: false,
              UpgradeInfo: '新增海康接入能力',
            },
            { Name: 'nats服务', Version: 'v2.9.0', LatestVersion: 'v2.9.0', IsUpdate: false, UpgradeInfo: '' },
          ],
        };
      },
      'POST /ivc/cms/gateway/upgrade': ({ q }) => {
        const g = this.gateway(need(q, 'Id'));
        if (g.Status !== 1) ivcError(51603);
        return null;
      },
      'PUT /ivc/cms/gateway/update': ({ body }) => {
        const g = this.gateway(str(body, 'Id', true)!);
        g.Name = name32(body.Name);
        if (body.Description !== undefined) g.Description = desc128(body.Description);
        const { CreatedAt: _c, ...rest } = this.gatewayJson(g);
        return rest;
      },
      'DELETE /ivc/cms/gateway/delete': ({ q }) => {
        const g = this.gateway(need(q, 'Id'));
        for (const d of [...this.devices.values()]) if (d.gatewayId === g.Id) this.devices.delete(d.Id);
        this.gateways.delete(g.Id);
        return null;
      },
    };
  }

  // ------------------------------------------------------------------ lookups

  private cluster(id: string) {
    return this.clusters.find((c) => c.Value === id) ?? ivcError(41610, `no service node ${id}`);
  }
  private org(id: string): Org {
    const o = this.orgs.get(String(id));
    if (!o || o.Id === '0') ivcError(40006, `organization ${id}`);
    return o;
  }
  private device(id: string): Device {
    return this.devices.get(id) ?? ivcError(42206, `device ${id}`);
  }
  private channel(id: string): Channel {
    for (const d of this.devices.values()) for (const c of d.channels) if (c.ChannelId === id) return c;
    return ivcError(42207, `channel ${id}`);
  }
  private channelOf(d: Device, id: string): Channel {
    return d.channels.find((c) => c.ChannelId === id) ?? ivcError(42207);
  }
  private onlineChannel(id: string): Channel {
    const c = this.channel(id);
    const d = this.device(c.DeviceId);
    if (d.Status === 3) ivcError(41621);
    if (d.Status === 0) ivcError(41628);
    if (d.Status !== 1) ivcError(41617);
    if (c.State !== 1) ivcError(41634);
    return c;
  }
  private gateway(id: string): Gateway {
    return this.gateways.get(id) ?? ivcError(40006, `gateway ${id}`);
  }
  private aiTask(id: string | null): AiTask {
    if (!id || !/^at[0-9a-f]{32}$/.test(id)) ivcError(43717);
    return this.aiTasks.get(id) ?? ivcError(43718);
  }
  private firstOrgId(): string {
    return [...this.orgs.keys()].find((k) => k !== '0') ?? '0';
  }

  // ------------------------------------------------------------------ domains and organizations

  private domainJson(d: {
    Id: string;
    PlayDomain: string;
    InternalDomain: string;
    HaveCert: number;
    ClusterId: string;
  }) {
    return { ...d, ClusterName: this.cluster(d.ClusterId).Label };
  }

  private addDomain(body: Record<string, unknown>) {
    const playDomain = str(body, 'PlayDomain', true)!;
    const internal = str(body, 'InternalDomain', true)!;
    const cluster = this.cluster(str(body, 'ClusterId', true)!);
    if (body.Key === undefined || body.Cert === undefined) ivcError(40001, 'Key and Cert files are required');
    if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(playDomain)) ivcError(40001, 'PlayDomain is not a domain');
    if (playDomain.endsWith('.unfiled.example')) ivcError(41609);
    // InternalDomain is not checked against E02: the doc's own E04 example (***.play-ivc.…) differs
    // from E02's form (….play-iss.…), and 41606 is about the play domain's DNS, which is not emulated.
    if ([...this.domains.values()].some((d) => d.PlayDomain === playDomain)) ivcError(41618);
    if ([...this.domains.values()].some((d) => d.ClusterId === cluster.Value))
      ivcError(41618, 'the service node already has a domain');
    const d = {
      Id: randomUUID(),
      PlayDomain: playDomain,
      InternalDomain: internal,
      HaveCert: 1,
      ClusterId: cluster.Value,
    };
    this.domains.set(d.Id, d);
    return this.domainJson(d);
  }

  private addOrg(body: Record<string, unknown>) {
    const name = orgName(body.Name);
    const parentId = str(body, 'ParentId', true)!;
    const parent = this.orgs.get(parentId) ?? ivcError(40006, `parent ${parentId}`);
    if ([...this.orgs.values()].some((o) => o.Name === name)) ivcError(41613);
    if (parent.Level >= 5) ivcError(41603);
    const o: Org = { Id: String(++this.orgSeq + 1000), Name: name, ParentId: parent.Id, Level: parent.Level + 1 };
    this.orgs.set(o.Id, o);
    return { Id: o.Id, Name: o.Name, ParentId: o.ParentId, Level: o.Level };
  }

  private deleteOrg(id: string) {
    const o = this.org(id);
    if ([...this.orgs.values()].some((x) => x.ParentId === o.Id)) ivcError(41607);
    if ([...this.devices.values()].some((d) => d.OrganizationId === o.Id)) ivcError(41608);
    this.orgs.delete(o.Id);
    return null;
  }

  private devicesOf(orgId: string, withSub: boolean): Device[] {
    const ids = new Set([orgId]);
    if (withSub) {
      let grew = true;
      while (grew) {
        grew = false;
        for (const o of this.orgs.values()) {
          if (ids.has(o.ParentId) && !ids.has(o.Id)) {
            ids.add(o.Id);
            grew = true;
          }
        }
      }
    }
    return [...this.devices.values()].filter((d) => ids.has(d.OrganizationId));
  }

  // ------------------------------------------------------------------ devices

  private deviceAdd(body: Record<string, unknown>) {
    const name = name32(body.Name);
    const protocol = body.AccessProtocol;
    if (protocol !== 1 && protocol !== 2) ivcError(40002);
    const type = body.Type;
    if (type !== 1 && type !== 2) ivcError(40003);
    if (protocol === 1 && type !== 1) ivcError(40003, 'RTMP devices can only be IPC');
    const transport = body.TransportProtocol === undefined ? 1 : body.TransportProtocol;
    if (transport !== 1 && transport !== 2) ivcError(40001, 'TransportProtocol must be 1 or 2');
    // E15 Password "仅国标设备有效": checked for GB devices; the doc's own example sends one for an
    // RTMP device (AccessProtocol 1) and gets it echoed, so for RTMP it is kept, not refused.
    let password = '';
    if (body.Password !== undefined && body.Password !== '') {
      if (protocol === 2) password = gbPassword(body.Password);
      else if (typeof body.Password === 'string') password = body.Password;
      else ivcError(40001, 'Password must be a string');
    }
    const description = body.Description === undefined ? '' : desc128(body.Description);
    const org = this.org(str(body, 'OrganizationId', true)!);
    const cluster = this.cluster(str(body, 'ClusterId', true)!);
    if (![...this.domains.values()].some((d) => d.ClusterId === cluster.Value))
      ivcError(41610, 'the service node has no play domain');
    const d = this.addDevice({
      name,
      org: org.Id,
      protocol,
      type,
      status: 0,
      channels: type === 2 ? 4 : 1,
      transport,
      password,
      description,
      cluster: cluster.Value,
    });
    if (protocol === 2 && this.opts.registerAfterMs !== null) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (this.devices.get(d.Id)?.Status === 0) this.setDeviceStatus(d.Id, 1);
      }, this.opts.registerAfterMs ?? 1500);
      t.unref();
      this.timers.add(t);
    }
    return this.deviceSummary(d, true);
  }

  private deviceUpdate(id: string, body: Record<string, unknown>) {
    if (body.Id !== undefined && body.Id !== id) ivcError(40001, 'Id in the query and the body differ');
    const d = this.device(id);
    if (body.Name !== undefined) d.Name = name32(body.Name);
    if (body.TransportProtocol !== undefined) {
      if (body.TransportProtocol !== 1 && body.TransportProtocol !== 2)
        ivcError(40001, 'TransportProtocol must be 1 or 2');
      d.TransportProtocol = body.TransportProtocol;
    }
    // E17 Password "只对国标设备有效": the doc's example updates an RTMP device with "admin123".
    if (body.Password !== undefined) {
      if (d.AccessProtocol === 2) d.Password = gbPassword(body.Password);
      else if (typeof body.Password === 'string') d.Password = body.Password;
      else ivcError(40001, 'Password must be a string');
    }
    if (body.Description !== undefined) d.Description = desc128(body.Description);
    return this.deviceSummary(d, true);
  }

  private deviceSummary(d: Device, withClusterName: boolean) {
    return {
      Id: d.Id,
      Code: d.Code,
      Name: d.Name,
      AccessProtocol: d.AccessProtocol,
      Type: d.Type,
      ClusterId: d.ClusterId,
      ...(withClusterName ? { ClusterName: this.cluster(d.ClusterId).Label } : {}),
      TransportProtocol: d.TransportProtocol,
      Password: d.Password,
      Description: d.Description,
      Status: d.Status,
      OrganizationId: d.OrganizationId,
    };
  }

  private deviceDetail(d: Device) {
    return {
      ...this.deviceSummary(d, true),
      Manufacturer: d.Manufacturer,
      SipId: '61010000002000000001',
      SipDomain: '6101000000',
      SipIp: '127.0.0.1',
      SipPort: 5060,
      PushStreamUrl:
        d.AccessProtocol === 1 ? `rtmp://127.0.0.1:1935/live/${d.Id}?token=${this.token(`/live/${d.Id}`)}` : '',
    };
  }

  private listDevices(q: URLSearchParams) {
    const orgId = need(q, 'OrganizationId');
    const org = orgId === '0' ? this.orgs.get('0')! : this.org(orgId);
    let list = this.devicesOf(org.Id, q.get('IsContainSubLevel') === 'true' || org.Id === '0');
    for (const [key, field] of [
      ['AccessProtocol', 'AccessProtocol'],
      ['Type', 'Type'],
      ['Status', 'Status'],
    ] as const) {
      const v = q.get(key);
      if (v !== null && v !== '') list = list.filter((d) => String(d[field]) === v);
    }
    const cluster = q.get('ClusterId');
    if (cluster) list = list.filter((d) => d.ClusterId === cluster);
    const keyword = q.get('Keyword');
    if (keyword) list = list.filter((d) => d.Name.includes(keyword));
    // "PageSize 每页数量，默认为20": no maximum stated
    const [page, size] = paging(q, 20, Infinity, 40001, 40001);
    return {
      TotalCount: list.length,
      List: list.slice((page - 1) * size, page * size).map((d) => this.deviceSummary(d, false)),
    };
  }

  setDeviceStatus(id: string, status: number) {
    const d = this.device(id);
    d.Status = status;
    for (const c of d.channels) {
      c.State = status === 1 ? 1 : 0;
      c.Status = status === 1 ? 1 : 0;
    }
    return this.deviceSummary(d, true);
  }

  /**
   * Test control: one channel (camera) goes offline or comes back, its device staying online. E32
   * then answers 41634 (通道离线) for it, its live streams end, and its live media URLs answer 404
   * (no such stream at the CDN) until it is back.
   */
  setChannelOnline(channelId: string, online: boolean): { closed: number } {
    const c = this.channel(channelId);
    c.State = online ? 1 : 0;
    c.Status = online ? 1 : 0;
    let closed = 0;
    if (!online)
      for (const [res, id] of [...this.liveConnections])
        if (id === channelId) {
          res.destroy();
          closed++;
        }
    return { closed };
  }

  /**
   * Test control: every play URL signed so far expires now, as `PullExpired` minutes passing would
   * (§4.4, the emulator's pull-auth convention): a player that reconnects or reloads a playlist
   * with one gets 403 and must ask E32 again; open FLV streams go on. Without pull auth (E08
   * `PullState` 0) URLs carry no expiry and nothing lapses: `lapsed` says which.
   */
  lapsePlayUrls(): { lapsed: boolean; open: number } {
    if (this.authStream.PullState === 1) this.lapsedAt = Math.floor(this.now() / 1000);
    return { lapsed: this.authStream.PullState === 1, open: this.liveConnections.size };
  }

  /**
   * E24: the filled-in E27 template (one sheet, header unchanged, ≤ 5000 rows) is checked first,
   * then imported asynchronously, a few rows per tick, for E25 to report and E26 to return.
   */
  private async importDevices(body: Record<string, unknown>) {
    const jobId = str(body, 'JobId', true)!;
    if (!/^[0-9a-f-]{36}$/i.test(jobId)) ivcError(40001, 'JobId must be a UUID');
    if (this.imports.has(jobId)) ivcError(40001, 'JobId was used before');
    const protocol = Number(body.AccessProtocol);
    if (protocol !== 1 && protocol !== 2) ivcError(40002);
    const org = this.org(String(body.OrganizationId ?? body.Organization_id ?? ''));
    const file = body.File;
    if (!Buffer.isBuffer(file) || file.length === 0) return ivcError(41614, 'File is required');
    const sheet = await readSheet(file);
    if (!sheet) return ivcError(41614, 'File is not an Excel workbook');
    if (sheet.sheets !== 1) ivcError(41616);
    const header = TEMPLATE[protocol as 1 | 2];
    if (header.some((h, i) => sheet.header[i] !== h)) ivcError(41614, 'the template was modified');
    if (sheet.rows.length > 5000) ivcError(41615);
    const job = {
      State: 0,
      Rate: 0,
      Total: sheet.rows.length,
      Succeed: 0,
      Failed: 0,
      header,
      results: [] as Array<{ row: string[]; ok: boolean; reason: string }>,
    };
    this.imports.set(jobId, job);
    let i = 0;
    const step = () => {
      for (const row of sheet.rows.slice(i, i + 5)) {
        const cells = header.map((_, k) => row[k] ?? '');
        const reason =
          this.importProblem(protocol, header, cells) ??
          this.importRefusals.get(cells[header.indexOf('设备名称')] ?? '');
        if (!reason) {
          const get = (h: string) => cells[header.indexOf(h)] ?? '';
          const cluster = this.clusters.find((c) => c.Value === get('服务节点') || c.Label === get('服务节点'));
          this.addDevice({
            name: get('设备名称'),
            org: org.Id,
            protocol,
            type: Number(get('设备类型')),
            status: 0,
            channels: get('设备类型') === '2' ? 4 : 1,
            transport: get('传输协议') === 'TCP' ? 2 : 1,
            password: get('设备密码'),
            description: get('描述'),
            ...(cluster ? { cluster: cluster.Value } : {}),
          });
          job.Succeed++;
        } else job.Failed++;
        job.results.push({ row: cells, ok: !reason, reason: reason ?? '' });
      }
      i = Math.min(i + 5, sheet.rows.length);
      job.Rate = sheet.rows.length ? Math.round((i / sheet.rows.length) * 100) / 100 : 1;
      if (i >= sheet.rows.length) job.State = 1;
      else this.later(50, step);
    };
    this.later(50, step);
    return null;
  }

  /** One template row's problem in the platform's words, or null (E15's rules). */
  private importProblem(protocol: number, header: string[], cells: string[]): string | null {
    const get = (h: string) => cells[header.indexOf(h)] ?? '';
    const name = get('设备名称');
    if (!name || !NAME.test(name) || name.length > 32) return '设备名称不合法';
    // No uniqueness check: E15 "设备名称无需全局唯一，可以重复".
    if (get('设备类型') !== '1' && get('设备类型') !== '2') return '设备类型不合法（1 IPC，2 NVR）';
    if (protocol === 1 && get('设备类型') !== '1') return 'RTMP 设备只能是 IPC';
    if (protocol === 2 && !['UDP', 'TCP'].includes(get('传输协议'))) return '传输协议不合法（UDP 或 TCP）';
    if (protocol === 2 && !/^\d{6,16}$/.test(get('设备密码'))) return '设备密码为 6–16 位数字';
    const node = get('服务节点');
    if (node && !this.clusters.some((c) => c.Value === node || c.Label === node)) return '服务节点不存在';
    if (get('描述').length > 128) return '描述过长';
    return null;
  }

  private later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  addDevice(o: {
    name: string;
    org: string;
    protocol: number;
    type: number;
    status: number;
    channels: number;
    transport?: number;
    password?: string;
    description?: string;
    cluster?: string;
    ptz?: boolean;
    gateway?: string;
  }): Device {
    const d: Device = {
      Id: randomUUID(),
      Code: `6101000000${o.type === 2 ? '118' : '132'}${String(++this.codeSeq).padStart(7, '0')}`,
      Name: o.name,
      AccessProtocol: o.protocol,
      Type: o.type,
      ClusterId: o.cluster ?? this.clusters[0]!.Value,
      TransportProtocol: o.transport ?? 1,
      Password: o.password ?? (o.protocol === 2 ? '123456' : ''),
      Description: o.description ?? '',
      Status: o.status,
      OrganizationId: o.org,
      Manufacturer: o.protocol === 2 ? 'Hikvision' : '',
      channels: [],
      ...(o.gateway ? { gatewayId: o.gateway } : {}),
    };
    this.devices.set(d.Id, d);
    this.addChannels(d, o.channels, o.ptz);
    return d;
  }

  private addChannels(d: Device, n: number, ptz?: boolean) {
    const media = this.opts.media?.channels ?? [];
    for (let i = 0; i < n; i++) {
      const idx = d.channels.length;
      const total = [...this.devices.values()].reduce((s, x) => s + x.channels.length, 0);
      d.channels.push({
        ChannelId: randomUUID(),
        ChannelCode: `6101110101${String(this.codeSeq).padStart(5, '0')}${String(idx + 1).padStart(5, '0')}`,
        DeviceId: d.Id,
        Name: d.channels.length === 0 && n === 1 ? d.Name : `${d.Name}-通道${idx + 1}`,
        Status: d.Status === 1 ? 1 : 0,
        PtzType: (ptz ?? idx % 3 === 0) ? 1 : 0,
        Manufacturer: d.AccessProtocol === 2 ? 'Hikvision' : 'Onvif',
        Resolution: '6/3',
        State: d.Status === 1 ? 1 : 0,
        presets: new Map(),
        media: media.length ? media[total % media.length]! : `ch${total}`,
      });
    }
  }

  private channelsInPlans(d: Device): string[] {
    const ids = new Set(d.channels.map((c) => c.ChannelId));
    return [...this.realtimePlans.values(), ...this.backupPlans.values()].flatMap((p) =>
      [...p.channels.keys()].filter((c) => ids.has(c)),
    );
  }

  // ------------------------------------------------------------------ media

  private mediaBase(): string {
    return this.server.baseUrl;
  }

  /** Emulator convention (spec §4.4): with pull auth on, media URLs carry token and expire. */
  private token(path: string): string {
    if (this.authStream.PullState !== 1) return '';
    // Signed after a lapse, a URL outlives it (its signing second counts as after the lapse's).
    const ttl = this.authStream.PullExpired * 60;
    const expire = Math.max(Math.floor(this.now() / 1000) + ttl, this.lapsedAt + ttl + 1);
    return `${createHmac('sha1', this.authStream.PullSecret).update(`${path}${expire}`).digest('hex')}&expire=${expire}`;
  }

  private tokenOk(req: IncomingRequest, path: string): boolean {
    if (this.authStream.PullState !== 1) return true;
    const expire = Number(req.url.searchParams.get('expire'));
    const token = req.url.searchParams.get('token') ?? '';
    if (!expire || expire < Math.floor(this.now() / 1000)) return false;
    if (expire - this.authStream.PullExpired * 60 <= this.lapsedAt) return false;
    return safeEqual(createHmac('sha1', this.authStream.PullSecret).update(`${path}${expire}`).digest('hex'), token);
  }

  private liveUrls(body: Record<string, unknown>) {
    if (body.StreamType !== undefined && body.Resolution !== undefined) ivcError(41633);
    // E32: "DeviceId … rtmp 设备必传", "ChannelId … 国标设备必传"; the doc's example sends both.
    const deviceId = typeof body.DeviceId === 'string' && body.DeviceId ? body.DeviceId : undefined;
    const channelId = typeof body.ChannelId === 'string' && body.ChannelId ? body.ChannelId : undefined;
    let ch: Channel;
    if (deviceId) {
      const d = this.device(deviceId);
      if (d.AccessProtocol === 1)
        ch = this.onlineChannel(channelId ? this.channelOf(d, channelId).ChannelId : d.channels[0]!.ChannelId);
      else if (channelId) ch = this.onlineChannel(this.channelOf(d, channelId).ChannelId);
      else return ivcError(40001, 'ChannelId is required for GB devices');
    } else if (channelId) {
      ch = this.channel(channelId);
      if (this.device(ch.DeviceId).AccessProtocol === 1) ivcError(40001, 'DeviceId is required for RTMP devices');
      ch = this.onlineChannel(channelId);
    } else return ivcError(40001, 'DeviceId (RTMP) or ChannelId (GB) is required');
    const d = this.device(ch.DeviceId);
    if (![...this.domains.values()].some((x) => x.ClusterId === d.ClusterId)) ivcError(41623);
    const st =
      body.StreamType === undefined
        ? body.Resolution === undefined
          ? 1
          : undefined
        : intIn(body.StreamType, 'StreamType', 1, 2);
    const res = body.Resolution === undefined ? '' : `&resolution=${encodeURIComponent(String(body.Resolution))}`;
    const qs = `${st !== undefined ? `stream_type=${st}` : 'stream_type=1'}${res}`;
    const tok = (p: string) => (this.authStream.PullState === 1 ? `&token=${this.token(p)}` : '');
    const flvPath = `/live/${ch.ChannelId}.live.flv`;
    const hlsPath = `/live/${ch.ChannelId}.m3u8`;
    return {
      Flv: `${this.mediaBase()}${flvPath}?${qs}${tok(flvPath)}`,
      Hls: `${this.mediaBase()}${hlsPath}?${qs}${tok(hlsPath)}`,
    };
  }

  private cloudSegments(ch: Channel, start: number, end: number): Array<{ Begin: number; End: number }> {
    const inPlan = [...this.realtimePlans.values()].some((p) => p.Status === 1 && p.channels.has(ch.ChannelId));
    if (!inPlan || !this.opts.media) return [];
    return this.opts.media
      .recordings(ch.media)
      .map((r) => ({ Begin: Math.floor(r.start / 1000), End: Math.floor(r.end / 1000) }))
      .filter((s) => s.End > start && s.Begin < end);
  }

  /** Device-local recordings: the same simulated footage, shifted so both tracks differ. */
  private deviceSegments(ch: Channel, start: number, end: number): Array<{ Begin: number; End: number }> {
    if (!this.opts.media) return [];
    return this.opts.media
      .recordings(ch.media)
      .map((r) => ({ Begin: Math.floor(r.start / 1000), End: Math.floor(r.end / 1000) }))
      .filter((s) => s.End > start && s.Begin < end);
  }

  private dayRange(startText: string, endText: string): [number, number] {
    const start = Number(startText);
    const end = Number(endText);
    if (!Number.isInteger(start) || !Number.isInteger(end)) ivcError(40001, 'StartTime and EndTime are Unix seconds');
    if (start > end) ivcError(41611);
    if (start > Math.floor(this.now() / 1000)) ivcError(41612);
    if (end - start > 86400 || !sameCstDay(start, end))
      ivcError(40001, 'the range may be at most one day and may not cross a day (UTC+8)');
    return [start, end];
  }

  private async serveMedia(req: IncomingRequest): Promise<Reply | 'handled'> {
    const media = this.opts.media;
    if (!media) return { status: 503, text: 'no media simulator attached' };
    const live = /^\/live\/([0-9a-f-]{36})\.live\.flv$/.exec(req.path);
    const hls = /^\/live\/([0-9a-f-]{36})\.m3u8$/.exec(req.path);
    const local = /^\/live\/([0-9a-f-]{36})@([0-9a-f-]{36})\.live\.flv$/.exec(req.path);
    const rec = /^\/record\/([0-9a-f-]{36})\/hls\.m3u8$/.exec(req.path);
    if ((live || hls) && !this.tokenOk(req, req.path)) return { status: 403, text: 'token invalid or expired' };
    const stream = req.url.searchParams.get('stream_type') === '2' ? 'sub' : 'main';
    const segment = LIVE_SEGMENT.exec(req.path);
    const liveChannel = (live ?? hls ?? segment)?.[1];
    // A channel offline (setChannelOnline) has no stream at the CDN.
    if (liveChannel && this.channel(liveChannel).State !== 1)
      return { status: 404, text: 'stream not found', headers: { 'Access-Control-Allow-Origin': '*' } };
    if (live) return this.proxy(media.flv(this.channel(live[1]!).media, stream), req, live[1]);
    if (hls) return this.livePlaylist(media.hls(this.channel(hls[1]!).media, stream), hls[1]!, stream);
    if (segment) {
      if (!this.tokenOk(req, req.path)) return { status: 403, text: 'token invalid or expired' };
      const upstream = media.hls(this.channel(segment[1]!).media, segment[2] === '2' ? 'sub' : 'main');
      return this.proxy(new URL(segment[3]!, upstream).toString(), req, segment[1]);
    }
    if (rec) {
      if (!this.tokenOk(req, req.path)) return { status: 403, text: 'token invalid or expired' };
      const ch = this.channel(rec[1]!);
      const start = Number(req.url.searchParams.get('starttime')) * 1000;
      const end = Number(req.url.searchParams.get('endtime')) * 1000;
      return {
        status: 200,
        text: await stitchPlaylist(media.recordings(ch.media).filter((r) => r.end > start && r.start < end)),
        headers: { 'Content-Type': 'application/vnd.apple.mpegurl', 'Access-Control-Allow-Origin': '*' },
      };
    }
    if (local) {
      const s = this.sessions.get(local[2]!);
      if (!s || s.channelId !== local[1]) return { status: 404, text: 'no such playback session' };
      const ch = this.channel(s.channelId);
      const recs = media.recordings(ch.media).filter((r) => r.end / 1000 > s.start && r.start / 1000 < s.end);
      if (recs.length === 0) return { status: 404, text: 'no recording' };
      const r0 = recs[0]!;
      const offset = Math.max(0, s.start + s.pos - r0.start / 1000);
      // Read as fast as ffmpeg can; the pacer releases it in (scaled) real time.
      const hevc = media.codec?.(ch.media) === 'h265';
      const proc = spawn(
        ffmpegPath(),
        [
          ...['-hide_banner', '-loglevel', 'error', '-ss', String(offset), '-i', r0.url],
          ...(hevc
            ? // An H.265 camera's recording goes out as HEVC FLV (codec id 12, as Chinese devices send
              // it), muxed here: no ffmpeg here writes HEVC into FLV. Raw HEVC carries no times, so
              // it is re-encoded without B-frames and each picture is stamped 1/25 s after the last.
              [
                ...['-an', '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
                ...['-x265-params', 'bframes=0:keyint=25:min-keyint=25:scenecut=0:repeat-headers=1:log-level=error'],
                ...['-f', 'hevc', 'pipe:1'],
              ]
            : // A G.711 camera's device sends its recording's sound as G.711, as GB28181 devices do.
              ['-c:v', 'copy', ...deviceFlvSound(media.audioCodec?.(ch.media)), '-f', 'flv', 'pipe:1']),
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const flv = hevc ? hevcToFlv(proc.stdout!) : proc.stdout!;
      const pacer = new FlvPacer();
      pacer.scale = s.scale;
      pacer.paused = s.paused;
      s.proc = proc;
      s.pacer = pacer;
      req.res.writeHead(200, {
        'Content-Type': 'video/x-flv',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': 'no-cache',
      });
      flv.pipe(pacer).pipe(req.res);
      req.res.on('close', () => pacer.destroy());
      // A stopped session (E37 stop, emulator stop) ends its stream even while paused.
      pacer.on('close', () => !req.res.writableEnded && req.res.destroy());
      req.res.on('close', () => proc.kill('SIGKILL'));
      return 'handled';
    }
    if (req.path.startsWith('/download/')) return this.download(req);
    return { status: 404, text: 'not found' };
  }

  /**
   * A live playlist as the CDN behind `/live/<channel>.m3u8` answers it: its segments named
   * relative to it, so a player resolving them against the playlist's URL comes back here (with
   * pull auth on, each carries its own token, as the playlist's address does).
   */
  private async livePlaylist(upstream: string, channelId: string, stream: 'main' | 'sub'): Promise<Reply> {
    const up = await fetch(upstream).catch(() => null);
    if (!up) return { status: 502, text: 'upstream media unavailable' };
    if (!up.ok)
      return { status: up.status, text: 'live stream not available', headers: { 'Access-Control-Allow-Origin': '*' } };
    const st = stream === 'sub' ? '2' : '1';
    const text = (await up.text())
      .split('\n')
      .map((line) => {
        const name = /^([A-Za-z0-9_-]+\.ts)(\?.*)?$/.exec(line.trim())?.[1];
        if (!name) return line;
        const rel = `${channelId}/${st}/${name}`;
        const token = this.token(`/live/${rel}`);
        return token ? `${rel}?token=${token}` : rel;
      })
      .join('\n');
    return {
      status: 200,
      text,
      headers: {
        'Content-Type': 'application/vnd.apple.mpegurl',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': 'no-cache',
      },
    };
  }

  private download(req: IncomingRequest): Reply | 'handled' {
    const p = req.url.searchParams;
    const source = p.get('source') ?? '';
    const signTime = Number(p.get('signTime'));
    const sign = createHmac('md5', this.credentials.secretKey).update(`${source}${signTime}`).digest('hex');
    // Errors in the documented shape (错误响应: RequestId … Data), as the API routes answer.
    if (!safeEqual(sign, p.get('sign') ?? '')) return envelopeError(42503, 'sign does not match');
    if (Math.floor(this.now() / 1000) > signTime + Number(p.get('expires') ?? 600))
      return envelopeError(42504, 'the URL has expired');
    const [channelId, begin, end, type] = source.split(';');
    const ch = this.channel(channelId!);
    const recs = this.opts
      .media!.recordings(ch.media)
      .filter((r) => r.end / 1000 > Number(begin) && r.start / 1000 < Number(end));
    if (recs.length === 0) return envelopeError(42501, 'no recording in this period');
    const r0 = recs[0]!;
    const offset = Math.max(0, Number(begin) - r0.start / 1000);
    const duration = Math.min(Number(end), r0.end / 1000) - Math.max(Number(begin), r0.start / 1000);
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-ss',
      String(offset),
      '-i',
      r0.url,
      '-t',
      String(duration),
      '-c',
      'copy',
    ];
    const out =
      type === 'mp4'
        ? // MP4 holds AAC without its ADTS headers (the ffmpeg here does not take them off by itself)
          [...args, '-bsf:a', 'aac_adtstoasc', '-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4', 'pipe:1']
        : [...args, '-f', 'mpegts', 'pipe:1'];
    const proc = spawn(ffmpegPath(), out, { stdio: ['ignore', 'pipe', 'ignore'] });
    req.res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${channelId}-${begin}-${end}.${type}"`,
    });
    proc.stdout.pipe(req.res);
    req.res.on('close', () => proc.kill('SIGKILL'));
    return 'handled';
  }

  /** `channelId`: a live stream's, so that the channel going offline ends it. */
  private proxy(target: string, req: IncomingRequest, channelId?: string): 'handled' {
    if (channelId) {
      this.liveConnections.set(req.res, channelId);
      req.res.on('close', () => this.liveConnections.delete(req.res));
    }
    passThrough(target, req.res, streamHeaders, () => req.res.writeHead(502).end());
    return 'handled';
  }

  // ------------------------------------------------------------------ plans and templates

  private planChannelsFrom(
    body: Record<string, unknown>,
    key: 'Channels' | 'Add',
    gbOnly: boolean,
  ): Map<string, string> {
    const out = new Map<string, string>();
    const list = body[key] ?? [];
    if (!Array.isArray(list)) ivcError(40001, `${key} must be an array`);
    for (const item of list as Array<Record<string, unknown>>) {
      if (!item || (item.DeviceId === '' && item.ChannelId === '')) continue; // the doc's examples carry empty placeholders
      const d = this.devices.get(String(item.DeviceId)) ?? ivcError(43407);
      const c = this.channelOf(d, String(item.ChannelId));
      if (gbOnly && d.AccessProtocol === 1)
        ivcError(40002, 'recording-to-cloud plans take GB and gateway channels only');
      out.set(c.ChannelId, d.Id);
    }
    const orgs = body.OrganizationId ?? [];
    if (!Array.isArray(orgs)) ivcError(40001, 'OrganizationId must be an array');
    if (orgs.length > 10) ivcError(43406);
    for (const id of orgs as string[])
      for (const d of this.devicesOf(this.org(String(id)).Id, false))
        if (!gbOnly || d.AccessProtocol !== 1) for (const c of d.channels) out.set(c.ChannelId, d.Id);
    if (out.size > 5000) ivcError(40001, 'at most 5000 channels per call');
    return out;
  }

  private planAdd(
    plans: Map<string, Plan>,
    templates: Map<string, Template>,
    body: Record<string, unknown>,
    realtime: boolean,
  ) {
    const name = name32(body.PlanName);
    if ([...plans.values()].some((p) => p.PlanName === name)) ivcError(43411);
    const templateId = str(body, 'TemplateId', true)!;
    if (!templates.has(templateId)) ivcError(40006, 'template not found');
    const describe = body.Describe === undefined || body.Describe === '' ? '' : desc128(body.Describe);
    const lifeCycle = lifecycle(body.LifeCycle);
    const channels = this.planChannelsFrom(body, 'Channels', !realtime);
    for (const c of channels.keys())
      if ([...plans.values()].some((p) => p.channels.has(c))) ivcError(42205, `channel ${c} is already in a plan`);
    const t = cst(this.now());
    const p: Plan = {
      PlanId: hex32(),
      PlanName: name,
      TemplateId: templateId,
      Describe: describe,
      StreamType: realtime ? streamType(body.StreamType) : '',
      LifeCycle: lifeCycle,
      Status: 1,
      channels,
      CreateAt: t,
      UpdateAt: t,
    };
    plans.set(p.PlanId, p);
    return realtime
      ? { PlanId: p.PlanId, PlanName: p.PlanName, TemplateId: p.TemplateId, Describe: p.Describe }
      : {
          PlanId: p.PlanId,
          PlanName: p.PlanName,
          TemplateId: p.TemplateId,
          Describe: p.Describe,
          LifeCycle: p.LifeCycle,
        };
  }

  private planDelete(plans: Map<string, Plan>, body: Record<string, unknown>) {
    const p = plans.get(str(body, 'PlanId', true)!) ?? ivcError(40006);
    p.Status = 0; // "being deleted" until it is gone
    this.later(300, () => plans.delete(p.PlanId));
    return {};
  }

  private planModify(
    plans: Map<string, Plan>,
    templates: Map<string, Template>,
    body: Record<string, unknown>,
    realtime: boolean,
  ) {
    const p = plans.get(str(body, 'PlanId', true)!) ?? ivcError(40006);
    if (p.Status !== 1) ivcError(40006, 'the plan is being deleted');
    const mod = body.Mod;
    if (!mod || typeof mod !== 'object' || Array.isArray(mod)) ivcError(40001, 'Mod is required');
    const m = mod as Record<string, unknown>;
    if (m.PlanName !== undefined) {
      const name = name32(m.PlanName);
      if ([...plans.values()].some((x) => x.PlanName === name && x.PlanId !== p.PlanId)) ivcError(43411);
      p.PlanName = name;
    }
    if (m.TemplateId !== undefined) {
      if (!templates.has(String(m.TemplateId))) ivcError(40006, 'template not found');
      p.TemplateId = String(m.TemplateId);
    }
    if (m.Describe !== undefined) p.Describe = m.Describe === '' ? '' : desc128(m.Describe);
    if (realtime && m.StreamType !== undefined) p.StreamType = streamType(m.StreamType);
    if (m.LifeCycle !== undefined) p.LifeCycle = lifecycle(m.LifeCycle);
    if (m.Del !== undefined) for (const id of arrayOfStrings(m.Del, 'Del')) p.channels.delete(id); // Del before Add
    const add = this.planChannelsFrom(m, 'Add', !realtime);
    for (const c of add.keys())
      if ([...plans.values()].some((x) => x.PlanId !== p.PlanId && x.channels.has(c)))
        ivcError(42205, `channel ${c} is already in a plan`);
    for (const [c, d] of add) p.channels.set(c, d);
    p.UpdateAt = cst(this.now());
    return realtime
      ? { PlanId: p.PlanId, PlanName: p.PlanName, TemplateId: p.TemplateId, Describe: p.Describe }
      : planJson(p, false, true);
  }

  private planChannels(plans: Plan[], q: URLSearchParams) {
    const [page, size] = requiredPaging(q);
    let rows = plans.flatMap((p) =>
      [...p.channels.entries()].map(([channelId, deviceId]) => {
        const d = this.devices.get(deviceId);
        const c = d?.channels.find((x) => x.ChannelId === channelId);
        return {
          DeviceId: deviceId,
          DeviceName: d?.Name ?? '',
          ChannelId: channelId,
          ChannelName: c?.Name ?? '',
          OrganizationName: d ? (this.orgs.get(d.OrganizationId)?.Name ?? '') : '',
        };
      }),
    );
    // Only one filter applies: ChannelName, else DeviceName, else OrganizationName.
    const cn = q.get('ChannelName');
    const dn = q.get('DeviceName');
    const on = q.get('OrganizationName');
    if (cn) rows = rows.filter((r) => r.ChannelName.includes(cn));
    else if (dn) rows = rows.filter((r) => r.DeviceName.includes(dn));
    else if (on) rows = rows.filter((r) => r.OrganizationName.includes(on));
    return {
      PageNumber: page,
      PageSize: size,
      TotalCount: rows.length,
      List: rows.slice((page - 1) * size, page * size),
    };
  }

  private orgChannels(q: URLSearchParams) {
    const org = this.org(need(q, 'OrganizationId'));
    const [page, size] = requiredPaging(q);
    const inPlan = new Set([...this.realtimePlans.values()].flatMap((p) => [...p.channels.keys()]));
    let rows = this.devicesOf(org.Id, false).flatMap((d) =>
      d.channels.map((c) => ({
        DeviceId: d.Id,
        DeviceName: d.Name,
        ChannelId: c.ChannelId,
        ChannelName: c.Name,
        InPlan: inPlan.has(c.ChannelId),
      })),
    );
    const cn = q.get('ChannelName');
    const dn = q.get('DeviceName');
    if (cn) rows = rows.filter((r) => r.ChannelName.includes(cn));
    else if (dn) rows = rows.filter((r) => r.DeviceName.includes(dn));
    return {
      PageNumber: page,
      PageSize: size,
      TotalCount: rows.length,
      List: rows.slice((page - 1) * size, page * size),
    };
  }

  private templateAdd(templates: Map<string, Template>, body: Record<string, unknown>, backup: boolean) {
    const name = name32(body.TemplateName);
    if ([...templates.values()].some((t) => t.TemplateName === name)) ivcError(43410);
    const sections = timeSections(body.TimeSections);
    const t = cst(this.now());
    const tpl: Template = { TemplateId: hex32(), TemplateName: name, TimeSections: sections, CreateAt: t, UpdateAt: t };
    if (backup) {
      tpl.DevTimeSections = timeSections(body.DevTimeSections);
      tpl.Scale = scale(body.Scale);
      checkUploadWindows(tpl.TimeSections, tpl.DevTimeSections, tpl.Scale);
    }
    templates.set(tpl.TemplateId, tpl);
    return templateJson(tpl, backup);
  }

  private templateDelete(templates: Map<string, Template>, plans: Map<string, Plan>, body: Record<string, unknown>) {
    const id = str(body, 'TemplateId', true)!;
    if (!templates.has(id)) ivcError(40006);
    if ([...plans.values()].some((p) => p.TemplateId === id)) ivcError(43409);
    templates.delete(id);
    return {};
  }

  private templateModify(templates: Map<string, Template>, body: Record<string, unknown>, backup: boolean) {
    const tpl = templates.get(str(body, 'TemplateId', true)!) ?? ivcError(40006);
    const mod = body.Mod;
    if (!mod || typeof mod !== 'object' || Array.isArray(mod)) ivcError(40001, 'Mod is required');
    const m = mod as Record<string, unknown>;
    const next = { ...tpl };
    if (m.TemplateName !== undefined) {
      const name = name32(m.TemplateName);
      if ([...templates.values()].some((t) => t.TemplateName === name && t.TemplateId !== tpl.TemplateId))
        ivcError(43410);
      next.TemplateName = name;
    }
    if (backup) {
      // E61 requires all three in Mod.
      next.TimeSections = timeSections(m.TimeSections);
      next.DevTimeSections = timeSections(m.DevTimeSections);
      next.Scale = scale(m.Scale);
      checkUploadWindows(next.TimeSections, next.DevTimeSections, next.Scale);
    } else if (m.TimeSections !== undefined) next.TimeSections = timeSections(m.TimeSections);
    next.UpdateAt = cst(this.now());
    templates.set(tpl.TemplateId, next);
    return templateJson(next, backup);
  }

  // ------------------------------------------------------------------ retrieval and analytics

  private retrieveAdd(body: Record<string, unknown>) {
    const name = name32(body.TaskName);
    if ([...this.retrieveTasks.values()].some((t) => t.TaskName === name)) ivcError(43411, 'task name must be unique');
    const [start, end] = this.dayRange(String(body.StartTime), String(body.EndTime));
    if (body.Mode !== 1) ivcError(40001, 'Mode must be 1 (express)');
    const expiration = intIn(body.Expiration, 'Expiration', 1, 365);
    if (!Array.isArray(body.Channels) || body.Channels.length === 0) ivcError(40001, 'Channels is required');
    if (body.Channels.length > 32) ivcError(40001, 'at most 32 channels');
    const channels = (body.Channels as Array<Record<string, unknown>>).map((c) => {
      const d = this.device(String(c.DeviceId));
      return { DeviceId: d.Id, ChannelId: this.channelOf(d, String(c.ChannelId)).ChannelId };
    });
    const t: RetrieveTask = {
      TaskId: hex32(),
      TaskName: name,
      StartTime: start,
      EndTime: end,
      Mode: 1,
      Expiration: expiration,
      Status: 2,
      Capacity: 0,
      Channels: channels,
    };
    this.retrieveTasks.set(t.TaskId, t);
    this.later(300, () => (t.Status = 1));
    this.later(1500, () => {
      t.Status = 0;
      t.Capacity = 64 * channels.length;
    });
    return retrieveJson(t);
  }

  private aiValidate(body: Record<string, unknown>, partial: boolean) {
    if (!partial || body.Name !== undefined) {
      if (typeof body.Name !== 'string' || !NAME.test(body.Name) || body.Name.length > 32) ivcError(43701);
    }
    if (
      body.Desc !== undefined &&
      body.Desc !== '' &&
      (typeof body.Desc !== 'string' || !NAME.test(body.Desc) || body.Desc.length > 128)
    )
      ivcError(43702);
    if (!partial || body.ChannelList !== undefined) {
      if (!Array.isArray(body.ChannelList) || body.ChannelList.length === 0) ivcError(43703);
      if (body.ChannelList.length >= 1000) ivcError(43704);
      if (body.ChannelList.some((c) => typeof c !== 'string' || !/^[0-9a-zA-Z-]+$/.test(c))) ivcError(43705);
      for (const c of body.ChannelList as string[]) {
        try {
          this.channel(c);
        } catch {
          ivcError(43715);
        }
      }
    }
    if (
      body.CallbackUrl !== undefined &&
      body.CallbackUrl !== '' &&
      (typeof body.CallbackUrl !== 'string' || !/^https?:\/\/[^\s"'<>]+$/.test(body.CallbackUrl))
    )
      ivcError(43706);
    if (!partial || body.Templates !== undefined) {
      if (!Array.isArray(body.Templates) || body.Templates.length === 0) ivcError(43713);
      const tags = new Set<string>();
      for (const t of body.Templates as Array<Record<string, unknown>>) {
        if (t.Tag !== 'AI' && t.Tag !== 'Snapshot') ivcError(43713);
        tags.add(t.Tag);
        const cfg = (t.Tag === 'AI' ? t.AIConfig : t.SnapshotConfig) as Record<string, unknown> | undefined;
        if (!cfg || typeof cfg !== 'object')
          ivcError(43713, `${t.Tag === 'AI' ? 'AIConfig' : 'SnapshotConfig'} is required`);
        if (t.Tag === 'AI' && !DETECT_TYPES.includes(String(cfg.DetectType))) ivcError(43707);
        if (
          !Number.isInteger(cfg.TimeInterval) ||
          (cfg.TimeInterval as number) < 1 ||
          (cfg.TimeInterval as number) > 20
        )
          ivcError(43708);
        const slots = cfg.OperTimeslot;
        if (t.Tag === 'AI' && !Array.isArray(slots)) ivcError(43711);
        if (Array.isArray(slots)) {
          if (slots.length > 5) ivcError(43709);
          const seen = new Set<string>();
          for (const s of slots as Array<Record<string, unknown>>) {
            if (typeof s.Start !== 'string' || typeof s.End !== 'string' || !HMS.test(s.Start) || !HMS.test(s.End))
              ivcError(43711);
            if (s.Start >= s.End) ivcError(43710);
            const key = `${s.Start}-${s.End}`;
            if (seen.has(key)) ivcError(43712);
            seen.add(key);
          }
        }
      }
      if (tags.size > 1) ivcError(43714);
    }
  }

  private aiCreate(body: Record<string, unknown>) {
    this.aiValidate(body, false);
    const channels = body.ChannelList as string[];
    for (const t of this.aiTasks.values()) if (t.ChannelList.some((c) => channels.includes(c))) ivcError(43716);
    const now = cst(this.now());
    const task: AiTask = {
      TaskId: `at${hex32()}`,
      Name: body.Name as string,
      Desc: (body.Desc as string | undefined) ?? '',
      Status: body.IsStartTheTask === true ? 'on' : 'off',
      ChannelList: [...channels],
      CallbackUrl: (body.CallbackUrl as string | undefined) ?? '',
      Templates: body.Templates as unknown[],
      CreatedTime: now,
      UpdatedTime: now,
    };
    this.aiTasks.set(task.TaskId, task);
    return { ...task };
  }

  private aiUpdate(task: AiTask, body: Record<string, unknown>) {
    if (task.Status === 'on') ivcError(43719);
    this.aiValidate(body, true);
    if (body.ChannelList)
      for (const t of this.aiTasks.values())
        if (t !== task && t.ChannelList.some((c) => (body.ChannelList as string[]).includes(c))) ivcError(43716);
    if (body.Name !== undefined) task.Name = body.Name as string;
    if (body.Desc !== undefined) task.Desc = body.Desc as string;
    if (body.ChannelList !== undefined) task.ChannelList = [...(body.ChannelList as string[])];
    if (body.CallbackUrl !== undefined) task.CallbackUrl = body.CallbackUrl as string;
    if (body.Templates !== undefined) task.Templates = body.Templates as unknown[];
    task.UpdatedTime = cst(this.now());
    return { ...task };
  }

  private aiResults(q: URLSearchParams) {
    const task = this.aiTask(q.get('TaskId'));
    const channelId = q.get('ChannelId');
    if (!channelId) ivcError(43725);
    if (!task.ChannelList.includes(channelId)) ivcError(43715);
    const object = q.get('Object');
    if (object && !/^[A-Za-z0-9/_.-]+$/.test(object)) ivcError(43726);
    const type = q.get('DetectType') ?? q.get('AIType');
    if (type && !DETECT_TYPES.includes(type)) ivcError(43707);
    const begin = q.has('BeginTime') ? Number(q.get('BeginTime')) : Math.floor(this.now() / 1000) - 3600;
    const end = q.has('EndTime') ? Number(q.get('EndTime')) : Math.floor(this.now() / 1000);
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin > end || end - begin > 30 * 86400) ivcError(43727);
    const [page, size] = paging(q, 10, 100, 43720, 43721);
    const types = (task.Templates as Array<{ Tag: string; AIConfig?: { DetectType: string } }>)
      .filter((t) => t.Tag === 'AI')
      .map((t) => t.AIConfig!.DetectType);
    const wanted = type ? types.filter((t) => t === type) : types;
    const count = task.Status === 'on' ? 3 : 0;
    const results: Record<string, unknown[]> = {};
    for (const t of DETECT_TYPES) results[t] = [];
    for (let i = 0; i < count; i++) {
      const time = cst((end - i * 60) * 1000);
      for (const t of wanted) {
        const loc = { X: 120 + i, Y: 80, Width: 64, Height: 48 };
        results[t]!.push(
          t === 'Car'
            ? {
                Time: time,
                Url: `${this.mediaBase()}/snapshots/${channelId}/${i}.jpg`,
                CarInfo: [
                  {
                    Serial: '',
                    Brand: '大众',
                    Type: '轿车',
                    Color: '白',
                    Confidence: 90,
                    Year: 0,
                    PlateContent: { Plate: '沪A12345', Color: '蓝', Type: '普通蓝牌', Location: loc },
                    Location: loc,
                  },
                ],
              }
            : {
                Time: time,
                Url: `${this.mediaBase()}/snapshots/${channelId}/${i}.jpg`,
                [`${t}Info`]: [{ Name: t === 'Pet' ? 'dog' : 'person', Score: 88, Location: loc }],
              },
        );
      }
    }
    const total = count;
    for (const t of DETECT_TYPES) results[t] = results[t]!.slice((page - 1) * size, page * size);
    return { TaskId: task.TaskId, AIResultCount: total, AIResults: results };
  }

  private gatewayJson(g: Gateway) {
    return {
      Id: g.Id,
      GwId: g.GwId,
      Name: g.Name,
      Description: g.Description,
      ClusterId: g.ClusterId,
      ClusterName: this.cluster(g.ClusterId).Label,
      Status: g.Status,
      CreatedAt: g.CreatedAt,
    };
  }

  // ------------------------------------------------------------------ seed

  private seed(): void {
    const c0 = this.clusters[0]!.Value;
    const d = {
      Id: randomUUID(),
      PlayDomain: 'play.vigil-demo.example',
      InternalDomain: `${c0.slice(0, 8)}.play-iss.ap-shanghai.tencentivc.cn`,
      HaveCert: 1,
      ClusterId: c0,
    };
    this.domains.set(d.Id, d);
    const org = (name: string, parent: string) => this.addOrg({ Name: name, ParentId: parent }).Id;
    const hq = org('总部', '0');
    const b1 = org('一号楼', hq);
    const b2 = org('二号楼', hq);
    const branch = org('分公司', '0');
    const shop = org('门店A', branch);
    const cams: Array<[string, string, number, number, number, boolean?]> = [
      ['大门球机', b1, 2, 1, 1, true],
      ['大堂枪机', b1, 2, 1, 1, false],
      ['电梯厅', b1, 2, 1, 1, false],
      ['停车场NVR', b2, 2, 2, 1, false],
      ['仓库', b2, 2, 1, 2, false],
      ['周界东', b2, 2, 1, 1, true],
      ['收银台', shop, 2, 1, 1, false],
      ['门店入口', shop, 1, 1, 1, false],
      ['未注册摄像机', shop, 2, 1, 0, false],
      ['禁用摄像机', hq, 2, 1, 3, false],
    ];
    const added = cams.map(([name, o, protocol, type, status, ptz]) =>
      this.addDevice({
        name,
        org: o,
        protocol,
        type,
        status,
        channels: type === 2 ? 4 : 1,
        ...(ptz !== undefined ? { ptz } : {}),
      }),
    );
    const gw: Gateway = {
      Id: randomUUID(),
      GwId: randBase62(32),
      Name: 'A店铺网关',
      Description: '这是A店铺',
      ClusterId: c0,
      Status: 1,
      CreatedAt: new Date(this.now() + 8 * 3600_000).toISOString().slice(0, 19),
    };
    this.gateways.set(gw.Id, gw);
    this.addDevice({ name: '网关设备1', org: shop, protocol: 3, type: 1, status: 1, channels: 1, gateway: gw.Id });
    this.addDevice({ name: '网关设备2', org: shop, protocol: 3, type: 2, status: 2, channels: 2, gateway: gw.Id });
    const tpl = this.templateAdd(
      this.realtimeTemplates,
      {
        TemplateName: '全天录像',
        TimeSections: [1, 2, 3, 4, 5, 6, 7].map((day) => ({
          DayOfWeek: day,
          StartTime: '00:00:00',
          EndTime: '23:59:59',
        })),
      },
      false,
    );
    this.planAdd(
      this.realtimePlans,
      this.realtimeTemplates,
      {
        PlanName: '重点区域',
        TemplateId: tpl.TemplateId,
        StreamType: 'main',
        LifeCycle: { Transition: 30, Expiration: 0 },
        Channels: added
          .slice(0, 6)
          .flatMap((dev) => dev.channels.map((c) => ({ DeviceId: dev.Id, ChannelId: c.ChannelId }))),
      },
      true,
    );
  }
}

// ------------------------------------------------------------------ helpers

const NO_DATA = Symbol('no Data key');

/** A file reply (E26–E28: application/download). */
class RawReply {
  constructor(
    readonly bytes: Buffer,
    readonly filename: string,
  ) {}
}

/**
 * Seed 错误码: "Message 错误描述" is the table's text and "Data 每次请求错误时，该字段携带具体的错误信息
 * (string)": the specific detail goes in Data, never into Message. Common response headers too.
 */
function envelopeError(code: number, detail?: string): Reply {
  const [message, status] = ivcErrors[code] ?? ['未知错误', 200];
  const rid = requestId();
  return {
    status,
    body: {
      RequestId: rid,
      Code: code >= 50000 ? 500 : 0,
      StatusCode: code,
      Message: message,
      Data: detail ?? '',
    },
    headers: { RequestId: rid, Server: 'tencent-iss' },
  };
}

function requestId(): string {
  return Buffer.from(
    `${Date.now().toString(16)}_${randomBytes(4).toString('hex')}_0_${Math.floor(Math.random() * 100)}`,
  ).toString('base64');
}

function parseBody(req: IncomingRequest): Record<string, unknown> {
  const type = header(req, 'Content-Type') ?? '';
  if (!req.rawBody) return {};
  if (type.startsWith('multipart/form-data')) return parseMultipart(req.rawBytes, type);
  try {
    const v: unknown = JSON.parse(req.rawBody);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* below */
  }
  return ivcError(40001, 'the body is not a JSON object');
}

/** Minimal multipart/form-data reader: text fields as strings, file parts (with a filename) as bytes. */
function parseMultipart(raw: Buffer, type: string): Record<string, unknown> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!boundary) return ivcError(40001, 'multipart body without boundary');
  const out: Record<string, unknown> = {};
  // latin1 keeps one character per byte, so file parts are cut out exactly.
  for (const part of raw.toString('latin1').split(`--${boundary[1] ?? boundary[2]}`)) {
    const m = /^\r?\n((?:[^\r\n]+\r?\n)*)\r?\n([\s\S]*?)\r?\n$/.exec(part);
    const name = m && /name="([^"]+)"/.exec(m[1]!);
    if (!m || !name) continue;
    const bytes = Buffer.from(m[2]!, 'latin1');
    out[name[1]!] = /filename="/.test(m[1]!) ? bytes : bytes.toString('utf8');
  }
  return out;
}

function need(q: URLSearchParams, name: string): string {
  const v = q.get(name);
  if (v === null || v === '') ivcError(40001, `${name} is required`);
  return v;
}

function str(body: Record<string, unknown>, name: string, required = false): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') {
    if (required) ivcError(40001, `${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string') ivcError(40001, `${name} must be a string`);
  return v;
}

function intIn(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    ivcError(40001, `${name} must be an integer in [${min}, ${max}]`);
  return v;
}

function numericString(v: unknown, name: string): number {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) ivcError(40001, `${name} must be Unix seconds as a string`);
  return Number(v);
}

function arrayOfStrings(v: unknown, name: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) ivcError(40001, `${name} must be an array of strings`);
  return v as string[];
}

function name32(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 32 || !NAME.test(v)) ivcError(41624);
  return v;
}

function orgName(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 16 || !NAME.test(v)) ivcError(41624);
  return v;
}

function desc128(v: unknown): string {
  if (typeof v !== 'string' || v.length > 128 || (v !== '' && !NAME.test(v))) ivcError(41625);
  return v;
}

function gbPassword(v: unknown): string {
  if (typeof v !== 'string' || !/^\d{6,16}$/.test(v)) ivcError(41626);
  return v;
}

function streamType(v: unknown): string {
  if (v === undefined || v === '') return 'default';
  if (typeof v !== 'string' || !/^[a-z0-9_]{1,16}$/.test(v)) ivcError(40001, 'StreamType');
  return v;
}

function lifecycle(v: unknown): { Transition: number; Expiration: number } {
  if (!v || typeof v !== 'object') ivcError(40001, 'LifeCycle is required');
  const l = v as Record<string, unknown>;
  const transition = intIn(l.Transition, 'LifeCycle.Transition', 1, 3650);
  const expiration = intIn(l.Expiration, 'LifeCycle.Expiration', 0, 3650);
  if (expiration !== 0 && expiration < 60) ivcError(40001, 'LifeCycle.Expiration is 0 or 60–3650');
  return { Transition: transition, Expiration: expiration };
}

function scale(v: unknown): number {
  if (v !== 1 && v !== 2 && v !== 4) ivcError(43412);
  return v;
}

function seconds(hms: string): number {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return h * 3600 + m * 60 + s;
}

function timeSections(v: unknown): TimeSection[] {
  if (!Array.isArray(v) || v.length === 0) ivcError(40001, 'TimeSections is required');
  return v.map((raw) => {
    const s = raw as Record<string, unknown>;
    if (!Number.isInteger(s.DayOfWeek) || (s.DayOfWeek as number) < 1 || (s.DayOfWeek as number) > 7) ivcError(43402);
    if (
      typeof s.StartTime !== 'string' ||
      typeof s.EndTime !== 'string' ||
      !HMS.test(s.StartTime) ||
      !HMS.test(s.EndTime)
    )
      ivcError(43403);
    const a = seconds(s.StartTime);
    const b = seconds(s.EndTime);
    if (a > b) ivcError(43404);
    if (b - a < 600 - (s.EndTime === '23:59:59' ? 1 : 0)) ivcError(43405);
    return { DayOfWeek: s.DayOfWeek as number, StartTime: s.StartTime, EndTime: s.EndTime };
  });
}

/** 43408: for each day D, upload minutes(D) ≥ recording minutes(D) / Scale (spec E59 emulator rule). */
function checkUploadWindows(upload: TimeSection[], recording: TimeSection[], s: number): void {
  for (let day = 1; day <= 7; day++) {
    const total = (list: TimeSection[]) =>
      list.filter((x) => x.DayOfWeek === day).reduce((acc, x) => acc + seconds(x.EndTime) - seconds(x.StartTime), 0);
    if (total(upload) + 1 < total(recording) / s) ivcError(43408);
  }
}

function requiredPaging(q: URLSearchParams): [number, number] {
  const page = Number(q.get('PageNumber'));
  const size = Number(q.get('PageSize'));
  if (
    !q.get('PageNumber') ||
    !q.get('PageSize') ||
    !Number.isInteger(page) ||
    !Number.isInteger(size) ||
    page < 1 ||
    size < 1
  )
    ivcError(40001, 'PageNumber and PageSize are required positive integers');
  return [page, size];
}

function paging(
  q: URLSearchParams,
  defaultSize: number,
  maxSize: number,
  pageError: number,
  sizeError: number,
): [number, number] {
  const page = q.get('PageNumber') ? Number(q.get('PageNumber')) : 1;
  const size = q.get('PageSize') ? Number(q.get('PageSize')) : defaultSize;
  if (!Number.isInteger(page) || page < 1) ivcError(pageError);
  if (!Number.isInteger(size) || size < 1 || size > maxSize) ivcError(sizeError);
  return [page, size];
}

function channelJson(c: Channel) {
  return {
    DeviceId: c.DeviceId,
    ChannelId: c.ChannelId,
    ChannelCode: c.ChannelCode,
    Name: c.Name,
    Status: c.Status,
    PtzType: c.PtzType,
    Manufacturer: c.Manufacturer,
    Resolution: c.Resolution,
    State: c.State,
  };
}

function planJson(p: Plan, realtime: boolean, full = false) {
  const base = {
    PlanId: p.PlanId,
    PlanName: p.PlanName,
    TemplateId: p.TemplateId,
    Describe: p.Describe,
    ...(realtime ? { StreamType: p.StreamType } : {}),
    LifeCycle: { ...p.LifeCycle },
    Status: p.Status,
  };
  return full
    ? { ...base, StreamType: '', ChannelCount: p.channels.size, CreateAt: p.CreateAt, UpdateAt: p.UpdateAt }
    : base;
}

function templateJson(t: Template, backup: boolean) {
  return backup
    ? {
        TemplateId: t.TemplateId,
        TemplateName: t.TemplateName,
        TimeSections: t.TimeSections,
        DevTimeSections: t.DevTimeSections,
        Scale: t.Scale,
        CreateAt: t.CreateAt,
        UpdateAt: t.UpdateAt,
      }
    : { TemplateId: t.TemplateId, TemplateName: t.TemplateName, TimeSections: t.TimeSections };
}

function retrieveJson(t: RetrieveTask) {
  const { Channels: _c, ...rest } = t;
  return rest;
}

function hex32(): string {
  return randomBytes(16).toString('hex');
}

function randBase62(n: number): string {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(n)].map((b) => a[b % a.length]).join('');
}

/** `YYYY-MM-DD HH:MM:SS` in China Standard Time (the doc's record timestamps). */
function cst(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function sameCstDay(a: number, b: number): boolean {
  const day = (s: number) => Math.floor((s + 8 * 3600) / 86400);
  return day(a) === day(Math.max(a, b - 1));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A deterministic stand-in for an .xlsx: the emulator's tables as tab-separated UTF-8. */
/** E27 templates per AccessProtocol (1 RTMP, 2 GB28181): the columns E24 expects, in order. */
const TEMPLATE: Record<1 | 2, string[]> = {
  1: ['设备名称', '设备类型', '服务节点', '描述'],
  2: ['设备名称', '设备类型', '传输协议', '设备密码', '服务节点', '描述'],
};

export { NO_DATA };

/** Annex-B H.265 from ffmpeg → legacy (codec id 12) FLV, 25 pictures a second. */
function hevcToFlv(annexB: Readable): Readable {
  const out = new PassThrough();
  const reader = new AnnexBReader();
  const muxer = new HevcFlvMuxer({ width: 640, height: 360, fps: 25 });
  let n = 0;
  const write = (units: Uint8Array[][]) => {
    for (const unit of units) {
      const opened = !!muxer.record;
      const frame = muxer.frame(unit, n * 40);
      if (!frame) continue;
      if (!opened) out.write(muxer.opening('legacy')!);
      out.write(frame.tags.legacy);
      n++;
    }
  };
  annexB.on('data', (chunk: Buffer) => write(reader.push(chunk)));
  annexB.on('end', () => {
    write(reader.flush());
    out.end();
  });
  annexB.on('error', (e) => out.destroy(e));
  return out;
}
