import { randomBytes, randomUUID } from 'node:crypto';
import { EmulatorServer, type IncomingRequest, type Reply } from '../common/http';
import type { PlatformMedia } from '../media/platform-media';
import { error, fail, itemResult, IvmError } from './errors';
import { DataFlow, type Subscription } from './dataflow';
import { MediaGate } from './media-gate';
import { documentedMethods } from './paths';
import { RecordingConfig } from './recording';
import { resourceId, Services } from './services';
import { ABILITY, applyStreamDetail, defaultDetail, type StreamDetail } from './streams';
import { newLibrary, TargetLibraries, type Library } from './targets';

/**
 * Huawei Cloud IVM emulator, written from ../shared/spec/huawei-ivm-part1.md and part2.md: the
 * AccessToken flow (§4.1: v1 and v2 paths, two tokens per AK, force_update only with one token
 * and ≤ 2 days left, 7-day lifetime), organizations (§5), devices (§6), channels (§7), PTZ
 * control lock and moves (§8), unified and legacy live/record/playback URLs and URL revocation
 * (§9.1–§9.10; the P2P ones, §9.11–9.12, need the HOLO SDK and are not emulated), push
 * callbacks, picture URLs, cloud snapshots and statistics (§10, dataflow.ts), recording
 * configuration (§11, recording.ts), services and resources (§12–§13, services.ts), the target
 * library (§14, targets.ts), presets and cruise tracks (§15), device passwords (§16), stream
 * settings (§17, streams.ts), target authorization (§18) and capability sets (§19).
 * Errors are `{error_code, error_msg}` with the §20.2 HTTP status; batch items carry `result`.
 * Anything else answers §20.2's 404 `IVM.90000007` (no such path) or 405 `IVM.90000009` (a
 * documented path, another method), by the documents' endpoint tables (paths.ts).
 */
export type IvmMedia = PlatformMedia;

export interface IvmEmulatorOptions {
  /** A pre-registered GB device "registers" (comes online) this long after it is added; null: never. */
  gbRegisterAfterMs?: number | null;
  userId?: string;
  ak?: string;
  sk?: string;
  media?: IvmMedia;
  clock?: () => number;
  /** token lifetime in seconds (7 days in the service) */
  tokenTtlS?: number;
  /** extra generated single-channel cameras (tree benchmarks) */
  scale?: number;
}

interface OrgRec {
  id: string;
  name: string;
  parent: string;
}
interface ChannelRec {
  channel_id: string;
  channel_name: string;
  channel_state: 'ONLINE' | 'OFFLINE' | 'UNREGISTERED';
  resources: string[];
  ptz: boolean;
  media: string;
  presets: Map<number, string>;
  cruises: Map<
    number,
    {
      name: string;
      type: string;
      points: Array<{ preset_index: number; dwell_time: number; speed_level: number }>;
      enabled: boolean;
    }
  >;
}
interface DeviceRec {
  /** §16: the camera's own login password (null: never set) */
  securityKey?: string | null;
  /** §18: target authorization of the device itself and per channel */
  targetAuth?: { device: boolean; channels: Set<string> };
  /** §14: the device's target (face) library, where its algorithm is installed */
  library?: Library;
  device_id: string;
  /** §6.7/§6.5: the GB registration user name (absent: none registered, the device ID stands in) */
  gbUsername?: string;
  device_name: string;
  device_state: 'ONLINE' | 'OFFLINE' | 'UNREGISTERED';
  device_type: 'IPC' | 'NVR' | 'MEdge';
  access_protocol: 'HOLO' | 'GB28181';
  org: string;
  create_time: string;
  channels: ChannelRec[];
}

const DIRECTIONS = new Set([
  'LEFT',
  'UP',
  'RIGHT',
  'DOWN',
  'UPPER_LEFT',
  'UPPER_RIGHT',
  'LOWER_LEFT',
  'LOWER_RIGHT',
  'STOP',
  'IN',
  'OUT',
  'ZOOM_STOP',
  'FOCUS_FAR',
  'FOCUS_NEAR',
  'AUTO_FOCUS',
  'IRIS_OPEN',
  'IRIS_CLOSE',
  'FI_STOP',
]);
const LIVE_PROTOCOLS = new Set(['HOLO', 'HTTP_HLS', 'HTTPS_HLS', 'HTTP_FLV', 'HTTPS_FLV', 'RTSP']);
const PLAYBACK_PROTOCOLS = new Set(['HOLO', 'HTTP_HLS', 'HTTPS_HLS', 'RTSP']);
const STREAMS: Record<string, 'main' | 'sub' | null> = {
  PRIMARY_STREAM: 'main',
  SECONDARY_STREAM_1: 'sub',
  SECONDARY_STREAM_2: null,
};
const HOLO_ID = /^[A-Za-z0-9]{8,32}$/;
/** `yyyy-MM-dd HH:mm:ss` (Beijing time in the documents). */
const BEIJING = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const GB_ID = /^[0-9]{10}(132|111|118)[0-9]{7}$/;
/** §20.5 capability names. */
const ABILITIES = new Set(
  'ptz talk localstorage flowstatis intelligent cloudstorage alarmvoice brotate mediaencryptgcm soundlightalarm algorithm reportupgrade logcollect audiovideoswitch sdcardformat lightcontrol wifiinfo supplement certdelive batch_upgrade ptzspin zoom autofocus volumnset reset maskmode motionflow iris preset cruise securitykey tlvframe alarmsound alarmlight microphone devnormalrecord abilityauth ptz_3d_locate'.split(
    ' ',
  ),
);

/** The preset preview the platform captures (a 1×1 JPEG here). */
const PREVIEW =
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=';
const TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/;

export class IvmEmulator {
  readonly credentials: { userId: string; ak: string; sk: string };
  readonly orgs = new Map<string, OrgRec>();
  readonly devices = new Map<string, DeviceRec>();
  /** AK → issued tokens (newest last) */
  private readonly tokens: Array<{ token: string; expiresAt: number }> = [];
  /** `${device}/${channel}` → control token and last use */
  readonly locks = new Map<string, { token: string; at: number }>();
  readonly ptzLog: Array<{
    device: string;
    channel: string;
    direction: string;
    mode: string;
    speed: number;
    at: number;
  }> = [];
  private readonly revoked = new Set<string>();
  readonly targets = new TargetLibraries((id) => this.libraryOf(id));
  /** §10 push callbacks, picture URLs, cloud snapshots, statistics. */
  readonly dataflow = new DataFlow(
    () => this.baseUrl,
    () => this.clock(),
    Buffer.from(PREVIEW, 'base64'),
    beijing,
  );
  /** §9.1/§9.3 play URLs as expiring tickets (single-use unless `use_times` 1), on the media host. */
  readonly mediaGate = new MediaGate(
    () => this.mediaBaseUrl,
    () => this.clock(),
    (url) => this.revoked.has(url),
  );
  /** §12/§13 resources and channel bindings (the channels' grants follow them). */
  readonly services: Services;
  /** §11 recording configuration; retention is fixed where the storage is a package. */
  readonly recording = new RecordingConfig((d, c) => this.anyChannel(d, c), {
    packageStorage: (d, c, type) => this.services.isPackage(d, c, type === 'PLAN_RECORD' ? 'NORMAL' : 'MOTION'),
  });
  private readonly server: EmulatorServer;
  private readonly media: EmulatorServer;
  private readonly clock: () => number;

  constructor(private readonly options: IvmEmulatorOptions = {}) {
    this.credentials = {
      userId: options.userId ?? '108000000000000000000123',
      ak: options.ak ?? 'IVMEMULATORAK0001',
      sk: options.sk ?? `ivm-sk-${randomBytes(8).toString('hex')}`,
    };
    this.clock = options.clock ?? Date.now;
    this.server = new EmulatorServer(
      (req) => this.handle(req),
      () => error('IVM.90000011'),
      {
        expireTokens: () => this.expireTokens(),
        lapsePlayUrls: () => this.lapsePlayUrls(),
        /** {device_id, channel_id, online} */
        setChannelOnline: (b) => this.setChannelOnline(String(b.device_id), String(b.channel_id), b.online === true),
        setTokenRemaining: (b) => {
          for (const t of this.tokens) t.expiresAt = this.clock() + Number(b.seconds) * 1000;
        },
        expireLocks: () => {
          for (const l of this.locks.values()) l.at = 0;
        },
        /** {type, data}: one push to the type's callback URL (delivered in the background). */
        push: (b) => {
          void this.dataflow.push(b.type as Subscription, (b.data ?? {}) as Record<string, unknown>);
          return { queued: true };
        },
        failNextSnapshot: () => {
          this.dataflow.failNextSnapshot = true;
        },
      },
    );
    // §9.1's example URLs name a media host and port of their own (`https://…:20378/live/…flv`):
    // the media side is a server of its own, so an API that fails or hangs leaves it serving.
    this.media = new EmulatorServer(
      (req) => (this.mediaGate.handles(req.path) ? this.mediaGate.serve(req) : { status: 404, text: 'no such media' }),
      () => ({ status: 503, text: 'media server unavailable' }),
      {},
      () => true,
    );
    this.services = new Services(
      (d, c) => {
        const ch = this.anyChannel(d, c);
        return {
          resources: ch.resources,
          channel_name: ch.channel_name,
          channel_state: ch.channel_state,
          device_name: this.devices.get(d as string)!.device_name,
        };
      },
      beijing(this.clock() + 335 * 86400_000),
    );
    this.seed();
    // The branch-office camera records on the 90-day package (its retention is fixed, §11.7).
    for (const d of this.devices.values())
      for (const c of d.channels)
        this.services.adopt(
          d.device_id,
          c.channel_id,
          c,
          d.device_id === '21A0123456SMY04' ? { NORMAL: resourceId('pkgnormal90d') } : {},
        );
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }
  /** The media host (live and playback URLs): a port of its own. */
  get mediaBaseUrl(): string {
    return this.media.baseUrl;
  }
  /** The API's faults; the media host has its own (`mediaFaults`). */
  get faults() {
    return this.server.faults;
  }
  get mediaFaults() {
    return this.media.faults;
  }
  get calls() {
    return this.server.calls;
  }
  /** Requests to the media host (URLs opened). */
  get mediaCalls() {
    return this.media.calls;
  }
  get tokenCount(): number {
    return this.tokens.filter((t) => t.expiresAt > this.clock()).length;
  }
  /** Test control: every token expires now. */
  expireTokens(): void {
    for (const t of this.tokens) t.expiresAt = this.clock() - 1;
  }
  /** Test control: every play URL handed out lapses (media-gate.ts lapse()). */
  lapsePlayUrls(): { tickets: number; sessions: number } {
    return this.mediaGate.lapse();
  }
  /**
   * Test control: a camera goes offline (its state, and its streams end; live URLs are refused
   * with IVM.20000043) or comes back.
   */
  setChannelOnline(deviceId: string, channelId: string, online: boolean): void {
    const { channel } = this.channel(deviceId, channelId);
    channel.channel_state = online ? 'ONLINE' : 'OFFLINE';
    if (!online) this.mediaGate.cut(`${deviceId}/${channelId}`);
  }
  async start(port = 0, mediaPort = 0): Promise<this> {
    await this.server.listen(port);
    await this.media.listen(mediaPort);
    return this;
  }
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await Promise.all([this.server.close(), this.media.close()]);
  }

  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** §17 current stream settings per HOLO channel. */
  private readonly streamDetails = new Map<string, StreamDetail>();

  /** Simulated SIP REGISTER of a pre-registered GB device (also callable from tests). */
  registerGbDevice(id: string): void {
    const d = this.devices.get(id);
    if (!d) return;
    d.device_state = 'ONLINE';
    if (d.channels.length === 0)
      d.channels.push({
        channel_id: id,
        channel_name: d.device_name,
        channel_state: 'ONLINE',
        resources: ['MANAGEMENT_GRANT'],
        ptz: false,
        media: this.options.media?.channels[0] ?? 'ch0',
        presets: new Map(),
        cruises: new Map(),
      });
    this.services.adopt(id, d.channels[0]!.channel_id, d.channels[0]!);
  }

  private seed(): void {
    const made = beijing(this.clock() - 30 * 86400_000);
    const org = (id: string, name: string, parent: string) => this.orgs.set(id, { id, name, parent });
    org('1001', '总部园区', '0');
    org('1002', '一号楼', '1001');
    org('1003', '停车场', '1001');
    org('1004', '一号楼 三层', '1002');
    org('2001', '分公司', '0');
    const media = this.options.media?.channels ?? [];
    let n = 0;
    const channel = (name: string, extra: Partial<ChannelRec> = {}): ChannelRec => ({
      channel_id: '0',
      channel_name: name,
      channel_state: 'ONLINE',
      resources: ['MANAGEMENT_GRANT', 'FULL_RECORD_GRANT'],
      ptz: false,
      media: media[n++ % Math.max(1, media.length)] ?? `ch${n}`,
      presets: new Map(),
      cruises: new Map(),
      ...extra,
    });
    const device = (d: Omit<DeviceRec, 'create_time'>) => this.devices.set(d.device_id, { ...d, create_time: made });
    const gatePresets = new Map([
      [1, '大门全景'],
      [2, '车道'],
      [3, '岗亭'],
    ]);
    const gateCruises = new Map([
      [
        1,
        {
          name: '大门巡航',
          type: 'CRUISE_TRACK',
          points: [1, 2, 3].map((i) => ({ preset_index: i, dwell_time: 30, speed_level: 5 })),
          enabled: false,
        },
      ],
    ]);
    device({
      device_id: '21A0123456SMY01',
      device_name: '大门球机',
      device_state: 'ONLINE',
      device_type: 'IPC',
      access_protocol: 'HOLO',
      org: '1002',
      channels: [
        channel('大门球机', {
          ptz: true,
          presets: gatePresets,
          cruises: gateCruises,
          resources: ['MANAGEMENT_GRANT', 'FULL_RECORD_GRANT', 'EVENT_RECORD_GRANT'],
        }),
      ],
    });
    device({
      device_id: '21A0123456SMY02',
      device_name: '大厅',
      device_state: 'ONLINE',
      device_type: 'IPC',
      access_protocol: 'HOLO',
      org: '1002',
      channels: [channel('大厅')],
    });
    device({
      device_id: '21A0123456SMY03',
      device_name: '后门',
      device_state: 'OFFLINE',
      device_type: 'IPC',
      access_protocol: 'HOLO',
      org: '1002',
      channels: [channel('后门', { channel_state: 'OFFLINE' })],
    });
    const nvrChannels = [1, 2, 3, 4].map((i) =>
      channel(`停车场 ${i}`, {
        channel_id: `3402000000132000000${i}`,
        ...(i === 4 ? { resources: ['MANAGEMENT_CLOSED'] } : {}),
      }),
    );
    device({
      device_id: '34020000001180000001',
      device_name: '停车场 NVR',
      device_state: 'ONLINE',
      device_type: 'NVR',
      access_protocol: 'GB28181',
      org: '1003',
      channels: nvrChannels,
    });
    device({
      device_id: '21A0123456SMY04',
      device_name: '分公司前台',
      device_state: 'ONLINE',
      device_type: 'IPC',
      access_protocol: 'HOLO',
      org: '2001',
      channels: [channel('分公司前台')],
    });
    // Target libraries (§14): the lobby SDC holds a visitor list; a HOLO NVR800 has its three built-in groups.
    const lobby = this.devices.get('21A0123456SMY02')!;
    lobby.channels[0]!.resources.push('INDUSTRY_DATA_GRANT');
    lobby.library = newLibrary('SDC', 16);
    this.targets.seed(
      lobby.library,
      '访客',
      'OTHER',
      [
        { name: '张伟', gender: 'male', native: '杭州', work_no: 'V0001' },
        { name: '李娜', gender: 'female', domicile: '上海' },
      ],
      PREVIEW,
    );
    device({
      device_id: '21A0123456NVR01',
      device_name: '园区 NVR800',
      device_state: 'ONLINE',
      device_type: 'NVR',
      access_protocol: 'HOLO',
      org: '1004',
      channels: [
        channel('园区 NVR800 通道 1', { channel_id: '1', resources: ['MANAGEMENT_GRANT', 'INDUSTRY_DATA_GRANT'] }),
      ],
    });
    this.devices.get('21A0123456NVR01')!.library = newLibrary('NVR800', 32);
    // A realistic enterprise: two dozen more cameras (every fifth offline, every fourth PTZ),
    // plus `scale` generated ones for tree benchmarks.
    const orgs = ['1002', '1003', '1004', '2001'];
    for (let i = 1; i <= 24 + (this.options.scale ?? 0); i++) {
      const id = `21B${String(i).padStart(9, '0')}`;
      device({
        device_id: id,
        device_name: `摄像机 ${i}`,
        device_state: i % 5 === 0 ? 'OFFLINE' : 'ONLINE',
        device_type: 'IPC',
        access_protocol: 'HOLO',
        org: orgs[i % orgs.length]!,
        channels: [
          channel(`摄像机 ${i}`, { ptz: i % 4 === 0, ...(i % 5 === 0 ? { channel_state: 'OFFLINE' as const } : {}) }),
        ],
      });
    }
  }

  private async handle(req: IncomingRequest): Promise<Reply | 'handled'> {
    try {
      if (req.path.startsWith('/v1/holo/'))
        return this.dataflow.serveHolo(req, () => this.authenticate(req, this.credentials.userId));
      return { status: 200, body: await this.route(req) };
    } catch (e) {
      if (e instanceof IvmError) return error(e.code);
      throw e;
    }
  }

  private async route(req: IncomingRequest): Promise<unknown> {
    const m = /^\/(v1|v2)\/([^/]+)(\/.*)$/.exec(req.path);
    if (!m) return fail('IVM.90000007');
    const [, version, userId, rest] = m as unknown as [string, string, string, string];
    if (!/^[0-9]{15,25}$/.test(userId)) fail('IVM.10020000');
    if (rest === '/enterprises/access-token' && req.method === 'POST') return this.issueToken(req, userId);
    this.authenticate(req, userId);
    // §20.2: a path no documented endpoint has, or a documented one asked with another method.
    const methods = documentedMethods(req.path);
    if (!methods.length) fail('IVM.90000007');
    if (!methods.includes(req.method)) fail('IVM.90000009');
    if (/\/(record-config|record-plan|time-policy|record-alarm-plan)$/.test(rest) && version === 'v1') {
      const recording = this.recording.route(req.method, rest, new Map(req.query), json(req));
      if (recording.matched) return recording.body;
    }
    if (version === 'v1' && (rest.startsWith('/resources') || rest.endsWith('/resources'))) {
      const services = this.services.route(req.method, rest, new Map(req.query), json(req));
      if (services.matched) return services.body;
    }
    if (version === 'v1') {
      const flow = await this.dataflow.route(req.method, rest, new Map(req.query), json(req), (d, c) => {
        const ch = this.anyChannel(d, c);
        const dev = this.devices.get(d as string)!;
        return {
          protocol: dev.access_protocol,
          deviceOnline: dev.device_state === 'ONLINE',
          channelOnline: ch.channel_state === 'ONLINE',
        };
      });
      if (flow.matched) return flow.body;
    }
    if (rest.startsWith('/target')) {
      const library = this.targets.route(req.method, version, rest, new Map(req.query), json(req));
      if (library.matched) return library.body;
    }
    const q = new Map(req.query);
    let r: RegExpExecArray | null;
    if (req.method === 'GET' && (r = /^\/device-orgs\/([^/]+)\/sub-orgs$/.exec(rest)) && version === 'v1')
      return this.subOrgs(r[1]!);
    if (req.method === 'GET' && rest === '/device-orgs/tree' && version === 'v1') return this.orgTree(q);
    if (req.method === 'POST' && rest === '/device-orgs' && version === 'v1') return this.createOrg(json(req));
    if (req.method === 'PUT' && (r = /^\/device-orgs\/([^/]+)$/.exec(rest)) && version === 'v1')
      return this.renameOrg(r[1]!, json(req));
    if (req.method === 'DELETE' && (r = /^\/device-orgs\/([^/]+)$/.exec(rest)) && version === 'v1')
      return this.deleteOrg(r[1]!);
    if (req.method === 'POST' && (r = /^\/device-orgs\/([^/]+)\/move-devices$/.exec(rest)) && version === 'v1')
      return this.moveDevices(r[1]!, json(req));
    if (req.method === 'GET' && (r = /^\/device-orgs\/([^/]+)\/devices$/.exec(rest)) && version === 'v1')
      return this.orgDevices(r[1]!, q);
    if ((r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/control-lock$/.exec(rest)) && version === 'v1')
      return req.method === 'GET' ? this.acquire(r[1]!, r[2]!) : this.release(r[1]!, r[2]!);
    if (
      req.method === 'POST' &&
      (r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/ptz\/angle-spin$/.exec(rest)) &&
      version === 'v1'
    )
      return this.ptz(r[1]!, r[2]!, json(req));
    if (req.method === 'POST' && rest === '/devices/channels/media/live-connections' && version === 'v2')
      return this.live(json(req));
    if (
      req.method === 'GET' &&
      (r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/media\/records$/.exec(rest)) &&
      version === 'v2'
    )
      return this.records(r[1]!, r[2]!, q);
    if (
      req.method === 'GET' &&
      (r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/media\/playback-connections$/.exec(rest)) &&
      version === 'v2'
    )
      return this.playback(r[1]!, r[2]!, q);
    if (req.method === 'POST' && rest === '/media/urls/batch-delete' && version === 'v1') return this.revoke(json(req));
    if (
      version === 'v1' &&
      req.method === 'GET' &&
      (r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/(cloud|device)-records(\/playback-url|\/web-playback-url)?$/.exec(
        rest,
      ))
    )
      return this.legacyRecords(r[1]!, r[2]!, r[3] as 'cloud' | 'device', r[4] ?? '', q);
    if (version === 'v1' && req.method === 'POST' && rest === '/devices/channels/cloud-live/url')
      return this.legacyLive(json(req));
    if (version === 'v1' && req.method === 'POST' && rest === '/devices/channels/p2p-connect/live')
      return this.p2pLive(json(req));
    if (version === 'v1' && req.method === 'POST' && rest === '/devices/channels/p2p-connect/playback')
      return this.p2pPlayback(json(req));
    if (version === 'v1' && req.method === 'POST' && rest === '/devices/ability')
      return this.versionAbilities(json(req));
    if (version === 'v1' && (r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/security-key$/.exec(rest)))
      return this.securityKey(req.method, r[1]!, r[2]!, json(req));
    if (
      version === 'v1' &&
      req.method === 'PUT' &&
      (r = /^\/devices\/([^/]+)\/channels\/targets\/authorization$/.exec(rest))
    )
      return this.setTargetAuth(r[1]!, json(req));
    if (
      version === 'v1' &&
      req.method === 'GET' &&
      (r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/targets\/authorization$/.exec(rest))
    )
      return this.targetAuth(r[1]!, r[2]!);
    if (req.method === 'GET' && rest === '/devices' && version === 'v1') return this.deviceList(q);
    const cloudAbility = q.get('need_cloud_ability') === 'true';
    if (req.method === 'GET' && rest === '/channels' && version === 'v1') return this.channelList(q);
    if (req.method === 'POST' && rest === '/devices/gb/batch-add' && version === 'v1')
      return this.batchAddGb(json(req));
    if (req.method === 'POST' && rest === '/devices/batch-delete' && version === 'v1')
      return this.batchDelete(json(req));
    if (req.method === 'GET' && (r = /^\/devices\/([^/]+)\/gateway$/.exec(rest)) && version === 'v1')
      return this.gateway(r[1]!);
    if (req.method === 'GET' && (r = /^\/devices\/([^/]+)$/.exec(rest)) && version === 'v1')
      return this.deviceDetail(r[1]!, cloudAbility);
    if (req.method === 'PUT' && (r = /^\/devices\/([^/]+)$/.exec(rest)) && version === 'v1')
      return this.updateDevice(r[1]!, json(req));
    if (req.method === 'PUT' && (r = /^\/devices\/([^/]+)\/gb-account$/.exec(rest)) && version === 'v1')
      return this.gbAccount(r[1]!, json(req));
    if (req.method === 'POST' && rest === '/devices/holosens' && version === 'v1') return this.addHolo(json(req));
    if (req.method === 'PUT' && (r = /^\/devices\/([^/]+)\/channels\/([^/]+)$/.exec(rest)) && version === 'v1')
      return this.renameChannel(r[1]!, r[2]!, json(req));
    if (req.method === 'GET' && (r = /^\/devices\/([^/]+)\/channels\/([^/]+)$/.exec(rest)) && version === 'v1')
      return this.channelDetail(r[1]!, r[2]!, cloudAbility);
    if ((r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/(stream-ability|stream-detail)$/.exec(rest)) && version === 'v1')
      return this.streams(req.method, r[1]!, r[2]!, r[3]!, json(req));
    if ((r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/preset-position(\/move)?$/.exec(rest)) && version === 'v1')
      return this.presets(req.method, r[1]!, r[2]!, Boolean(r[3]), json(req));
    if ((r = /^\/devices\/([^/]+)\/channels\/([^/]+)\/cruise-track(\/list|\/enable)?$/.exec(rest)) && version === 'v1')
      return this.cruises(req.method, r[1]!, r[2]!, r[3] ?? '', q, json(req));
    // A documented endpoint this emulator does not serve.
    return fail('IVM.90000007');
  }

  /** §4.1 and B.5: up to two live tokens; force_update only with exactly one and ≤ 2 days left. */
  private issueToken(req: IncomingRequest, userId: string) {
    const body = json(req) as { ak?: unknown; sk?: unknown; force_update?: unknown };
    if (typeof body.ak !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(body.ak)) fail('IVM.10020020');
    if (typeof body.sk !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(body.sk)) fail('IVM.10020021');
    if (body.ak !== this.credentials.ak || body.sk !== this.credentials.sk) fail('IVM.10020022');
    if (userId !== this.credentials.userId) fail('IVM.10020048');
    const now = this.clock();
    const live = this.tokens.filter((t) => t.expiresAt > now);
    this.tokens.splice(0, this.tokens.length, ...live);
    const only = live.length === 1 ? live[0]! : null;
    const newest = live.at(-1);
    const mayForce = body.force_update === true && only !== null && only.expiresAt - now <= 2 * 86400_000;
    if (newest && !mayForce)
      return { access_token: newest.token, expire_time: String(Math.floor((newest.expiresAt - now) / 1000)) };
    const ttl = this.options.tokenTtlS ?? 7 * 86400;
    const token = {
      token: `${randomBytes(16).toString('hex')}DELIMITER_DELIMITER_${randomBytes(8).toString('hex')}`,
      expiresAt: now + ttl * 1000,
    };
    this.tokens.push(token);
    return { access_token: token.token, expire_time: String(ttl) };
  }

  private authenticate(req: IncomingRequest, userId: string): void {
    const header = req.headers['access-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) fail('IVM.10000004');
    const found = this.tokens.find((t) => t.token === token);
    if (!found) fail('IVM.10000005');
    if (found!.expiresAt <= this.clock()) fail('IVM.10000002');
    if (userId !== this.credentials.userId) fail('IVM.10020048');
  }

  private orgCounts(id: string) {
    const within = (org: string): boolean =>
      org === id || (this.orgs.get(org) ? within(this.orgs.get(org)!.parent) : false);
    const devices = [...this.devices.values()].filter((d) => within(d.org));
    const channels = devices.flatMap((d) => d.channels);
    return {
      camera_count: devices.length,
      camera_online_count: devices.filter((d) => d.device_state === 'ONLINE').length,
      channel_count: channels.length,
      channel_online_count: channels.filter((c) => c.channel_state === 'ONLINE').length,
      channel_offline_count: channels.filter((c) => c.channel_state !== 'ONLINE').length,
    };
  }

  /** §5.1. */
  private subOrgs(id: string) {
    if (!/^[0-9]{1,25}$/.test(id)) fail('IVM.10020001');
    if (id !== '0' && !this.orgs.has(id)) fail('IVM.10020001');
    const level = (o: OrgRec): number => (o.parent === '0' ? 1 : 1 + level(this.orgs.get(o.parent)!));
    const orgs = [...this.orgs.values()]
      .filter((o) => o.parent === id)
      .map((o) => ({
        device_org_id: o.id,
        device_org_name: o.name,
        device_org_level: level(o),
        is_leaf: [...this.orgs.values()].some((c) => c.parent === o.id) ? 0 : 1,
        ...this.orgCounts(o.id),
      }));
    return { orgs };
  }

  private orgName(v: unknown): string {
    if (typeof v !== 'string' || !/^[\p{Script=Han}A-Za-z0-9 _-]+$/u.test(v) || cjkLength(v) > 50)
      return fail('IVM.20001005');
    return v;
  }

  private org(id: string): OrgRec {
    if (!/^[0-9]{1,25}$/.test(id)) fail('IVM.10022026');
    if (id === '0') fail('IVM.20001003');
    return this.orgs.get(id) ?? fail('IVM.20001001');
  }

  /** §5.4: names unique among siblings; at most 10 levels (the service's limit is not printed). */
  private createOrg(body: unknown) {
    const b = (body ?? {}) as Record<string, unknown>;
    const name = this.orgName(b.device_org_name);
    const parent =
      typeof b.parent_org_id === 'string' && /^[0-9]{1,25}$/.test(b.parent_org_id)
        ? b.parent_org_id
        : fail('IVM.10022026');
    // §5.4 table 5-17: "根节点无法添加子级组织" (the root takes no child groups), refused as the other
    // root operations are.
    if (parent === '0') fail('IVM.20001003');
    if (!this.orgs.has(parent)) fail('IVM.20001006');
    const depth = (id: string): number => (id === '0' ? 0 : 1 + depth(this.orgs.get(id)!.parent));
    if (depth(parent) >= 10) fail('IVM.20001007');
    if ([...this.orgs.values()].some((o) => o.parent === parent && o.name === name)) fail('IVM.20001004');
    let id = 3000;
    while (this.orgs.has(String(id))) id++;
    this.orgs.set(String(id), { id: String(id), name, parent });
    return { device_org_id: String(id) };
  }

  /** §5.3: the root cannot be edited. */
  private renameOrg(id: string, body: unknown) {
    const org = this.org(id);
    const name = this.orgName((body as Record<string, unknown> | null)?.device_org_name);
    if ([...this.orgs.values()].some((o) => o !== org && o.parent === org.parent && o.name === name))
      fail('IVM.20001004');
    org.name = name;
    return { device_org_id: org.id, device_org_name: org.name };
  }

  /** §5.5: not the root, not while it holds devices (or child groups). */
  private deleteOrg(id: string) {
    if (id === '0') fail('IVM.20001009');
    const org = this.org(id);
    if ([...this.devices.values()].some((d) => d.org === id) || [...this.orgs.values()].some((o) => o.parent === id))
      fail('IVM.20001008');
    this.orgs.delete(org.id);
    return { device_org_id: org.id };
  }

  /**
   * §5.6: 1–100 devices into a group (never the root); per-device results. §20.2 codes: none to
   * move IVM.10022034; more than 100 has no code of its own, so the table's "array over limit"
   * IVM.10027006; per item: not found IVM.10022035, already in that group IVM.20000050.
   */
  private moveDevices(id: string, body: unknown) {
    const org = this.org(id);
    const ids = (body as { device_ids?: unknown })?.device_ids;
    if (!Array.isArray(ids) || ids.length === 0) fail('IVM.10022034');
    if ((ids as unknown[]).length > 100) fail('IVM.10027006');
    let failed = 0;
    const results = (ids as unknown[]).map((raw) => {
      const device_id = String(raw);
      const d = this.devices.get(device_id);
      const code =
        !HOLO_ID.test(device_id) && !GB_ID.test(device_id)
          ? 'IVM.10022000'
          : !d
            ? 'IVM.10022035'
            : d.org === org.id
              ? 'IVM.20000050'
              : 'IVM.0';
      if (code === 'IVM.0') d!.org = org.id;
      if (code !== 'IVM.0') failed++;
      return { device_id, result: itemResult(code) };
    });
    return { failed_num: failed, results };
  }

  /** §5.7: fuzzy name search; hits come back inside their ancestry. */
  private orgTree(q: Map<string, string>) {
    const text = this.orgName(q.get('device_org_name') ?? fail('IVM.10020001'));
    const hits = new Set([...this.orgs.values()].filter((o) => o.name.includes(text)).map((o) => o.id));
    const keep = new Set<string>();
    for (const id of hits)
      for (let cur: string | undefined = id; cur && cur !== '0'; cur = this.orgs.get(cur)?.parent) keep.add(cur);
    const node = (o: OrgRec, level: number): Record<string, unknown> => {
      const children = [...this.orgs.values()].filter((c) => c.parent === o.id && keep.has(c.id));
      return {
        enterprise_id: this.credentials.userId,
        device_org_id: o.id,
        device_org_name: o.name,
        parent_id: o.parent,
        device_org_level: level,
        is_leaf: [...this.orgs.values()].some((c) => c.parent === o.id) ? 0 : 1,
        is_result: hits.has(o.id) ? 1 : 0,
        camera_count: this.orgCounts(o.id).camera_count,
        camera_online_count: this.orgCounts(o.id).camera_online_count,
        children: children.map((c) => node(c, level + 1)),
      };
    };
    return { result: [...this.orgs.values()].filter((o) => o.parent === '0' && keep.has(o.id)).map((o) => node(o, 1)) };
  }

  /**
   * §5.2: `offset` is a page index; limit [0,1000]; direction DESC by default. Filters (comma lists
   * unless noted) with their §20.2 codes: access_protocol IVM.10022013, channel_resource_state
   * IVM.10022022 (a device matches when one of its channels has one), ability (one of algorithm,
   * ptz), device_id IVM.10022000, device_name (fuzzy, [1,128], Chinese counts 2) IVM.10022012,
   * device_state IVM.10022011, device_system_state IVM.10022015, device_type IVM.10022014,
   * group_ids IVM.10022026, manufactures IVM.10022025, sort_by IVM.10020012.
   */
  private orgDevices(id: string, q: Map<string, string>) {
    if (!/^[0-9]{1,25}$/.test(id) || (id !== '0' && !this.orgs.has(id))) fail('IVM.10020001');
    const limit = intParam(q, 'limit', 10, 0, 1000, 'IVM.10020009');
    const offset = intParam(q, 'offset', 0, 0, 2147483646, 'IVM.10020010');
    const direction = (q.get('direction') ?? 'DESC').toUpperCase();
    if (direction !== 'ASC' && direction !== 'DESC') fail('IVM.10020011');
    const sortBy = enumFilter(q, 'sort_by', ['create_time', 'update_time', 'operator_total'], 'IVM.10020012', true);
    const scope = enumFilter(q, 'is_current_org', ['0', '1', '2'], 'IVM.10020001', true)?.[0] ?? '2';
    const descendant = (org: string): boolean =>
      org !== id &&
      (this.orgs.get(org)?.parent === id || (this.orgs.get(org) ? descendant(this.orgs.get(org)!.parent) : false));
    const inScope = (org: string) =>
      scope === '1' ? org === id : scope === '0' ? descendant(org) : org === id || descendant(org) || id === '0';
    const protocols = enumFilter(q, 'access_protocol', ['HOLO', 'GB28181'], 'IVM.10022013');
    const resources = enumFilter(q, 'channel_resource_state', RESOURCE_STATES, 'IVM.10022022');
    const ability = enumFilter(q, 'ability', ['algorithm', 'ptz'], 'IVM.10020001', true)?.[0];
    const deviceId = q.get('device_id');
    if (deviceId !== undefined && !HOLO_ID.test(deviceId) && !GB_ID.test(deviceId)) fail('IVM.10022000');
    const name = nameFilter(q, 'device_name', 1, 'IVM.10022012');
    const states = enumFilter(q, 'device_state', ['OFFLINE', 'ONLINE', 'UNREGISTERED'], 'IVM.10022011');
    const systemStates = enumFilter(q, 'device_system_state', ['NORMAL', 'UNAVAILABLE_FROZEN'], 'IVM.10022015');
    const types = enumFilter(q, 'device_type', ['IPC', 'NVR', 'MEdge'], 'IVM.10022014');
    const groups = q.get('group_ids')?.split(',');
    if (groups?.some((g) => !/^[0-9]{1,25}$/.test(g))) fail('IVM.10022026');
    const manufactures = q.get('manufactures')?.split(',');
    if (manufactures?.some((m) => !/^[\p{Script=Han}\w -]+$/u.test(m) || cjkLength(m) > 64)) fail('IVM.10022025');
    let list = [...this.devices.values()].filter(
      (d) =>
        inScope(d.org) &&
        (!protocols || protocols.includes(d.access_protocol)) &&
        (!resources || d.channels.some((c) => c.resources.some((r) => resources.includes(r)))) &&
        (!ability || (ability === 'ptz' ? d.channels.some((c) => c.ptz) : d.library !== undefined)) &&
        (!deviceId || d.device_id === deviceId) &&
        (!states || states.includes(d.device_state)) &&
        (!systemStates || systemStates.includes('NORMAL')) &&
        (!types || types.includes(d.device_type)) &&
        (!groups || groups.includes(d.org) || groups.includes('0')) &&
        (!manufactures || manufactures.includes('HUAWEI')) &&
        (!name || d.device_name.includes(name)),
    );
    // update_time equals create_time here and every device has operator_total 0: the ID breaks ties.
    const key = (d: DeviceRec) => (sortBy?.[0] === 'operator_total' ? '0' : d.create_time);
    list = list.sort(
      (a, b) =>
        (direction === 'ASC' ? 1 : -1) * (key(a).localeCompare(key(b)) || a.device_id.localeCompare(b.device_id)),
    );
    const page = list.slice(offset * limit, offset * limit + limit);
    const devices = page.map((d) => ({
      device_id: d.device_id,
      device_name: d.device_name,
      device_state: d.device_state,
      device_type: d.device_type,
      device_system_state: 'NORMAL',
      access_protocol: d.access_protocol,
      manufacture: 'HUAWEI',
      device_ability: d.channels.some((c) => c.ptz) ? 'ptz,talk' : 'talk',
      channel_total: d.channels.length,
      operator_total: 0,
      model: d.device_type === 'NVR' ? 'NVR800' : 'M2141-10-EI',
      create_time: d.create_time,
      update_time: d.create_time,
      device_org_name: this.orgs.get(d.org)?.name ?? '',
      // Table 5-9 fields the example leaves out.
      firmware: 'SDC 10.0.0',
      channel_allocated_total: d.channels.length,
      channel_online_count: d.channels.filter((c) => c.channel_state === 'ONLINE').length,
      audio_input_count: 1,
      audio_output_count: 1,
      ...(d.access_protocol === 'GB28181'
        ? { gb_access_state: d.device_state === 'ONLINE' ? 'CONNECTED' : 'NOT_CONNECTED' }
        : {}),
      channels: d.channels.map((c) => ({
        channel_id: c.channel_id,
        channel_name: c.channel_name,
        channel_state: c.channel_state,
        channel_system_state: 'NORMAL',
        channel_resource_state: c.resources,
        channel_ability: c.ptz ? 'ptz,preset,cruise' : '',
        invalid_type: 'NORMAL',
        channel_model: 'M2141-10-EI',
        channel_model_e: 'M2141-10-EI',
        storage_card_status: d.access_protocol === 'HOLO' ? '0' : '-1',
        mask_mode: 'CLOSE',
      })),
    }));
    return {
      devices,
      total: list.length,
      device_total: this.devices.size,
      admin_total: 1,
      online_total: [...this.devices.values()].filter((d) => d.device_state === 'ONLINE').length,
    };
  }

  private channel(deviceId: string, channelId: string): { device: DeviceRec; channel: ChannelRec } {
    if (!HOLO_ID.test(deviceId) && !GB_ID.test(deviceId)) fail('IVM.10022000');
    if (!/^(-1|[0-9]{1,3}|[0-9]{20})$/.test(channelId)) fail('IVM.10022001');
    const device = this.devices.get(deviceId) ?? fail('IVM.10022002');
    const channel = device.channels.find((c) => c.channel_id === channelId) ?? fail('IVM.10022007');
    return { device, channel };
  }

  /** §8.1: one lock per channel; another live holder's lock → IVM.20000029 (500). */
  private acquire(deviceId: string, channelId: string) {
    const { device } = this.channel(deviceId, channelId);
    if (device.device_state !== 'ONLINE') fail('IVM.20000036');
    const key = `${deviceId}/${channelId}`;
    const held = this.locks.get(key);
    if (held && this.clock() - held.at < 120_000) fail('IVM.20000029');
    const token = randomBytes(12).toString('hex');
    this.locks.set(key, { token, at: this.clock() });
    return { control_token: token };
  }

  private release(deviceId: string, channelId: string) {
    this.channel(deviceId, channelId);
    this.locks.delete(`${deviceId}/${channelId}`);
    return { device_id: deviceId, channel_id: channelId };
  }

  /** §8.3: PTZ channels only; the lock must be the channel's live token; each command renews it; GB is NON_POINT only. */
  private ptz(deviceId: string, channelId: string, body: unknown) {
    const { device, channel } = this.channel(deviceId, channelId);
    // §20.2 IVM.20002008 (500): the device has no PTZ.
    if (!channel.ptz) fail('IVM.20002008');
    const b = (body ?? {}) as {
      direction?: unknown;
      control_lock?: unknown;
      speed?: unknown;
      mode?: unknown;
      heartbeat_mode?: unknown;
    };
    if (typeof b.direction !== 'string' || !DIRECTIONS.has(b.direction)) fail('IVM.20002002');
    // Table 8-9: heartbeat_mode is OPEN or CLOSE (default CLOSE; it matters to E-series cameras only).
    if (b.heartbeat_mode !== undefined && b.heartbeat_mode !== 'OPEN' && b.heartbeat_mode !== 'CLOSE')
      fail('IVM.10020001');
    if (typeof b.control_lock !== 'string' || b.control_lock === '') fail('IVM.20002009');
    const speed = b.speed === undefined ? 10 : b.speed;
    if (typeof speed !== 'number' || !Number.isInteger(speed) || speed < 1 || speed > 10) fail('IVM.10020001');
    const mode = b.mode ?? 'POINT';
    if (mode !== 'POINT' && mode !== 'NON_POINT') fail('IVM.10020001');
    if (device.access_protocol === 'GB28181' && mode !== 'NON_POINT') fail('IVM.10020001');
    const key = `${deviceId}/${channelId}`;
    const held = this.locks.get(key);
    if (!held || held.token !== b.control_lock) fail('IVM.20002009');
    if (this.clock() - held!.at >= 120_000) fail('IVM.20002001');
    held!.at = this.clock();
    this.ptzLog.push({
      device: deviceId,
      channel: channelId,
      direction: b.direction as string,
      mode: mode as string,
      speed: speed as number,
      at: this.clock(),
    });
    return { device_id: deviceId, channel_id: channelId };
  }

  /** §9.1: per-item results; the URL by protocol (HOLO jvmp://; HLS/FLV from the media simulator). */
  private live(body: unknown) {
    const b = (body ?? {}) as { channels?: unknown; expire_time?: unknown; use_times?: unknown };
    if (!Array.isArray(b.channels) || b.channels.length === 0) fail('IVM.10020001');
    if (
      b.expire_time !== undefined &&
      (!Number.isInteger(b.expire_time) || (b.expire_time as number) < 30 || (b.expire_time as number) > 86400)
    )
      fail('IVM.10020001');
    if (b.use_times !== undefined && b.use_times !== 0 && b.use_times !== 1) fail('IVM.10020001');
    let failNum = 0;
    const live_connections = (b.channels as Array<Record<string, unknown>>).map((c) => {
      const device_id = String(c.device_id ?? '');
      const channel_id = String(c.channel_id ?? '');
      try {
        if (typeof c.live_protocol !== 'string' || !LIVE_PROTOCOLS.has(c.live_protocol)) fail('IVM.10026003');
        if (typeof c.stream_type !== 'string' || !(c.stream_type in STREAMS)) fail('IVM.10026000');
        const { device, channel } = this.channel(device_id, channel_id);
        const stream = STREAMS[c.stream_type as string] ?? fail('IVM.10026004');
        if (!channel.resources.includes('MANAGEMENT_GRANT')) fail('IVM.20020008');
        if (device.device_state !== 'ONLINE' || channel.channel_state !== 'ONLINE') fail('IVM.20000043');
        const p2p = c.live_protocol === 'HOLO' && device.access_protocol === 'HOLO' ? p2pConnection(device) : {};
        return {
          device_id,
          channel_id,
          cloud_trans_connections: {
            live_url: this.liveUrl(
              device,
              channel,
              c.live_protocol as string,
              stream,
              b.expire_time as number | undefined,
              b.use_times as 0 | 1 | undefined,
            ),
          },
          p2p_connections: p2p,
          result: itemResult('IVM.0'),
        };
      } catch (e) {
        if (!(e instanceof IvmError)) throw e;
        failNum++;
        return { device_id, channel_id, cloud_trans_connections: {}, p2p_connections: {}, result: itemResult(e.code) };
      }
    });
    return { fail_num: failNum, live_connections };
  }

  private liveUrl(
    device: DeviceRec,
    channel: ChannelRec,
    protocol: string,
    stream: 'main' | 'sub',
    expireS?: number,
    useTimes?: 0 | 1,
  ): string {
    const token = randomBytes(12).toString('hex');
    const m = this.options.media;
    // Loopback has no TLS: the HTTPS_* protocols are served over http. FLV goes through the
    // emulator's media gate (expiring, single-use tickets); HLS comes from the simulator.
    const owner = `${device.device_id}/${channel.channel_id}`;
    if (m && protocol.endsWith('FLV'))
      return this.mediaGate.issue(m.flv(channel.media, stream), expireS, useTimes, owner);
    if (m && protocol.endsWith('HLS'))
      return this.mediaGate.issueHls(
        m.hls(channel.media, stream),
        '/live/live.m3u8',
        { device_id: device.device_id, channel_id: channel.channel_id, stream_type: stream === 'main' ? '0' : '1' },
        expireS,
        useTimes,
        owner,
      );
    if (protocol === 'HOLO') return `jvmp://127.0.0.1:7070/live/${device.device_id}?token=${token}`;
    if (protocol === 'RTSP') return `rtsp://127.0.0.1:554/live/${device.device_id}?token=${token}`;
    return `${this.baseUrl}/live/${protocol.endsWith('FLV') ? `${device.device_id}.flv` : 'live.m3u8'}?token=${token}&device_id=${device.device_id}&channel_id=${channel.channel_id}&stream_type=${stream === 'main' ? 0 : 1}`;
  }

  private range(q: Map<string, string>): [number, number] {
    const s = q.get('start_time') ?? fail('IVM.10020017');
    const e = q.get('end_time') ?? fail('IVM.10020018');
    const start = parseBeijing(s) ?? fail('IVM.10020005');
    const end = parseBeijing(e) ?? fail('IVM.10020006');
    if (start >= end) fail('IVM.10020007');
    return [start, end];
  }

  private position(q: Map<string, string>): 'CLOUD' | 'DEVICE' {
    const p = q.get('record_position');
    if (p !== 'CLOUD' && p !== 'DEVICE') return fail('IVM.10020001');
    const type = q.get('record_type');
    if (type !== undefined && !['ALL_RECORD', 'NORMAL_RECORD', 'MOTION_RECORD'].includes(type)) fail('IVM.10026002');
    return p;
  }

  /** Recordings of a channel: the simulator's cloud recordings; device-side ones are the odd-numbered, longer by a minute. */
  private segments(
    channel: ChannelRec,
    position: 'CLOUD' | 'DEVICE',
  ): Array<{ start: number; end: number; url: string }> {
    const recs = this.options.media?.recordings(channel.media) ?? [];
    return position === 'CLOUD' ? recs : recs.filter((_, i) => i % 2 === 1).map((r) => ({ ...r, end: r.end + 60_000 }));
  }

  /** §9.2: clipped to the window; `offset` is a page index; limit [1,1000]; record_type filters cloud recordings. */
  private records(deviceId: string, channelId: string, q: Map<string, string>) {
    const { device, channel } = this.channel(deviceId, channelId);
    const [start, end] = this.range(q);
    const position = this.position(q);
    const limit = intParam(q, 'limit', 10, 1, 1000, 'IVM.10020009');
    const offset = intParam(q, 'offset', 0, 0, 1_000_000, 'IVM.10020010');
    if (position === 'DEVICE' && device.device_state !== 'ONLINE') fail('IVM.20000036');
    const type = q.get('record_type') ?? 'ALL_RECORD';
    const all = this.segments(channel, position)
      .filter((r) => r.end > start && r.start < end)
      .map((r, i) => ({
        ...(position === 'CLOUD' ? { record_id: `rec${r.start}`, record_size: 1_048_576 * (i + 1) } : {}),
        record_name: `${channel.channel_id}_${r.start}.mp4`,
        record_type: 'NORMAL_RECORD',
        storage_state: 0,
        start_time: beijing(Math.max(r.start, start)),
        end_time: beijing(Math.min(r.end, end)),
        alarm_rec_type: [],
      }))
      // record_type (default ALL_RECORD) narrows cloud recordings only (table 9-12).
      .filter((r) => position === 'DEVICE' || type === 'ALL_RECORD' || r.record_type === type);
    return {
      total: all.length,
      device_id: deviceId,
      channel_id: channelId,
      records: all.slice(offset * limit, offset * limit + limit),
    };
  }

  /** §9.3: one channel, a time range, HLS/HOLO/RTSP (no FLV). */
  private playback(deviceId: string, channelId: string, q: Map<string, string>) {
    const { device, channel } = this.channel(deviceId, channelId);
    const protocol = q.get('playback_protocol');
    if (!protocol || !PLAYBACK_PROTOCOLS.has(protocol)) fail('IVM.10026001');
    const [start, end] = this.range(q);
    const position = this.position(q);
    const streamType = q.get('stream_type') ?? 'PRIMARY_STREAM';
    if (!(streamType in STREAMS)) fail('IVM.10026000');
    if (!channel.resources.includes('MANAGEMENT_GRANT')) fail('IVM.20020008');
    // expire_time [30, 86400] s (default 30) and use_times 0 single use (default) / 1 unlimited; RTSP always 0.
    const expire = q.has('expire_time') ? Number(q.get('expire_time')) : 30;
    if (!Number.isInteger(expire) || expire < 30 || expire > 86400) fail('IVM.10020001');
    const useTimes = q.get('use_times') ?? '0';
    if (useTimes !== '0' && useTimes !== '1') fail('IVM.10020001');
    const token = randomBytes(12).toString('hex');
    const rec = this.segments(channel, position).find((r) => r.end > start && r.start < end);
    const params = {
      device_id: deviceId,
      channel_id: channelId,
      ...(position === 'DEVICE'
        ? { stream_type: String(['PRIMARY_STREAM', 'SECONDARY_STREAM_1', 'SECONDARY_STREAM_2'].indexOf(streamType)) }
        : {}),
    };
    const url =
      protocol === 'HOLO'
        ? `jvmp://127.0.0.1:7070/vod/${deviceId}?token=${token}`
        : protocol === 'RTSP'
          ? `rtsp://127.0.0.1:554/vod/${deviceId}?token=${token}`
          : rec
            ? this.mediaGate.issueHls(
                rec.url,
                position === 'CLOUD' ? '/vod/vod.m3u8' : '/dev_vod/vod.m3u8',
                params,
                expire,
                useTimes === '1' ? 1 : 0,
              )
            : `${this.baseUrl}/${position === 'CLOUD' ? 'vod' : 'dev_vod'}/vod.m3u8?${new URLSearchParams({ token, ...params })}`;
    // P2P only for HOLO playback of a HOLO device's own recordings; it echoes the range.
    const p2p =
      protocol === 'HOLO' && position === 'DEVICE' && device.access_protocol === 'HOLO'
        ? {
            ...p2pConnection(device),
            result: itemResult('IVM.0'),
            start_time: q.get('start_time'),
            end_time: q.get('end_time'),
          }
        : {};
    return {
      playback_connections: {
        device_id: deviceId,
        channel_id: channelId,
        cloud_trans_connections: { playback_url: url },
        p2p_connections: p2p,
      },
    };
  }

  // ——— §6 devices and §7 channels ———

  private device(deviceId: string): DeviceRec {
    if (!HOLO_ID.test(deviceId) && !GB_ID.test(deviceId)) fail('IVM.10022000');
    return this.devices.get(deviceId) ?? fail('IVM.10022002');
  }

  private deviceSummary(d: DeviceRec) {
    const online = d.channels.filter((c) => c.channel_state === 'ONLINE').length;
    return {
      device_id: d.device_id,
      device_name: d.device_name,
      device_state: d.device_state,
      device_type: d.device_type,
      device_system_state: 'NORMAL',
      access_protocol: d.access_protocol,
      manufacture: 'HUAWEI',
      device_ability: d.channels.some((c) => c.ptz) ? 'ptz,talk' : 'talk',
      channel_total: d.channels.length,
      channel_online_total: online,
      channel_offline_total: d.channels.length - online,
      create_time: d.create_time,
      update_time: d.create_time,
    };
  }

  /** §6.1. */
  private deviceDetail(deviceId: string, cloudAbility: boolean) {
    const d = this.device(deviceId);
    return {
      ...this.deviceSummary(d),
      device_cloud_ability: cloudAbility ? cloudAbilities(d) : null,
      mac: '00:e0:fc:12:34:56',
      description: '',
      model: d.device_type === 'NVR' ? 'NVR800' : 'M2141-10-EI',
      stream_total: 2,
      firmware: 'SDC 10.0.0',
      protocol_version: '2.0.0',
      device_ip: '192.168.1.64',
      device_port: '8000',
      device_org_id: d.org,
      sn: d.device_id,
      device_org_name: this.orgs.get(d.org)?.name ?? '',
      operator_total: '0',
      sdk_ability: '',
    };
  }

  /**
   * §6.4 (table 6-16): HOLO renames (modify_type not checked) and only while online ("设备处于上线状态才
   * 可以修改设备名称"); GB by modify_type: DEFAULT (name and OSD from device_name), OSD, ALL (name
   * from device_name, OSD from osd) need the device online, DEVICE_NAME does not. A bad
   * description is §20.2 IVM.10020004.
   */
  private updateDevice(deviceId: string, body: unknown) {
    const d = this.device(deviceId);
    const b = (body ?? {}) as Record<string, unknown>;
    const nameOk = (v: unknown) =>
      typeof v === 'string' && /^[\p{Script=Han}A-Za-z0-9 _-]+$/u.test(v) && cjkLength(v) <= 128;
    if (b.device_name === undefined && b.description === undefined && b.osd === undefined) fail('IVM.10022010');
    if (b.device_name !== undefined && !nameOk(b.device_name)) fail('IVM.10022012');
    if (b.description !== undefined && !nameOk(b.description)) fail('IVM.10020004');
    const type = d.access_protocol === 'HOLO' ? 'HOLO' : String(b.modify_type ?? 'DEFAULT');
    if (!['HOLO', 'DEFAULT', 'OSD', 'DEVICE_NAME', 'ALL'].includes(type)) fail('IVM.10020001');
    if (type !== 'DEVICE_NAME' && d.device_state !== 'ONLINE') fail('IVM.20000036');
    const setsOsd = type === 'OSD' || type === 'ALL';
    if (setsOsd && (typeof b.osd !== 'string' || Buffer.byteLength(b.osd) < 1 || Buffer.byteLength(b.osd) > 63))
      fail('IVM.10020001');
    if (type !== 'OSD' && type !== 'HOLO' && b.device_name === undefined) fail('IVM.10020001');
    if (type !== 'OSD' && typeof b.device_name === 'string') d.device_name = b.device_name;
    const osd = setsOsd ? String(b.osd) : type === 'DEFAULT' ? d.device_name : '';
    return {
      device_name: d.device_name,
      description: typeof b.description === 'string' ? b.description : '',
      device_id: d.device_id,
      osd,
    };
  }

  /** §6.5: GB only, and only while the device is not online. */
  private gbAccount(deviceId: string, body: unknown) {
    if (!GB_ID.test(deviceId)) fail(HOLO_ID.test(deviceId) ? 'IVM.10022027' : 'IVM.10022024');
    const d = this.device(deviceId);
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.device_username === undefined && b.device_password === undefined) fail('IVM.10022010');
    if (
      b.device_username !== undefined &&
      (typeof b.device_username !== 'string' || !/^[A-Za-z-][A-Za-z0-9-]{4,31}$/.test(b.device_username))
    )
      fail('IVM.10022008');
    if (
      b.device_password !== undefined &&
      (typeof b.device_password !== 'string' || !strongGbPassword(b.device_password))
    )
      fail('IVM.10022009');
    if (d.device_state === 'ONLINE') fail('IVM.20000031');
    if (typeof b.device_username === 'string') d.gbUsername = b.device_username;
    return { device_username: d.gbUsername ?? d.device_id, device_id: d.device_id };
  }

  /** §6.6: bind a HOLO device by ID and its 8-character verification code (emulated: the last 8 characters of the ID, upper-case). */
  private addHolo(body: unknown) {
    const b = (body ?? {}) as Record<string, unknown>;
    const id = typeof b.device_id === 'string' && HOLO_ID.test(b.device_id) ? b.device_id : fail('IVM.10022000');
    if (b.verification_code === undefined || b.verification_code === '') fail('IVM.10022005');
    if (typeof b.verification_code !== 'string' || !/^[A-Za-z0-9]{8}$/.test(b.verification_code)) fail('IVM.10022033');
    if (this.devices.has(id)) fail('IVM.20000001');
    if (b.verification_code !== id.slice(-8).toUpperCase().padStart(8, '0')) fail('IVM.20000003');
    const media = this.options.media?.channels ?? [];
    const dev: DeviceRec = {
      device_id: id,
      device_name: id,
      device_state: 'ONLINE',
      device_type: 'IPC',
      access_protocol: 'HOLO',
      org: '1002',
      create_time: beijing(this.clock()),
      channels: [
        {
          channel_id: '0',
          channel_name: id,
          channel_state: 'ONLINE',
          resources: ['MANAGEMENT_GRANT'],
          ptz: false,
          media: media[0] ?? 'ch0',
          presets: new Map(),
          cruises: new Map(),
        },
      ],
    };
    this.devices.set(id, dev);
    this.services.adopt(id, '0', dev.channels[0]!);
    return {
      device_id: id,
      device_name: dev.device_name,
      device_type: dev.device_type,
      device_state: dev.device_state,
      manufacture: 'HUAWEI',
    };
  }

  /** §7.1: HOLO channels only. */
  private renameChannel(deviceId: string, channelId: string, body: unknown) {
    const { device, channel } = this.channel(deviceId, channelId);
    if (device.access_protocol !== 'HOLO') fail('IVM.20020011');
    const name = (body as Record<string, unknown> | null)?.channel_name;
    if (typeof name !== 'string' || !/^[\p{Script=Han}A-Za-z0-9_ \n]+$/u.test(name) || cjkLength(name) > 128)
      fail('IVM.10022023');
    channel.channel_name = name as string;
    return { device_id: deviceId, channel_id: channelId, channel_name: channel.channel_name };
  }

  /** §6.2: enterprise-wide, `offset` a page index, DESC by default, `offset*limit` < 2147483646. */
  private deviceList(q: Map<string, string>) {
    const limit = intParam(q, 'limit', 10, 0, 1000, 'IVM.10020009');
    const offset = intParam(q, 'offset', 0, 0, 2147483646, 'IVM.10020010');
    if (offset * limit >= 2147483646) fail('IVM.10020010');
    const direction = (q.get('direction') ?? 'DESC').toUpperCase();
    if (direction !== 'ASC' && direction !== 'DESC') fail('IVM.10020011');
    // Filters as in §5.2 (the filter accepts only IPC, NVR and MEdge though replies may carry other types).
    enumFilter(q, 'sort_by', ['create_time', 'update_time'], 'IVM.10020012', true);
    const protocols = enumFilter(q, 'access_protocol', ['HOLO', 'GB28181'], 'IVM.10022013');
    const states = enumFilter(q, 'device_state', ['OFFLINE', 'ONLINE', 'UNREGISTERED'], 'IVM.10022011');
    const systemStates = enumFilter(q, 'device_system_state', ['NORMAL', 'UNAVAILABLE_FROZEN'], 'IVM.10022015');
    const types = enumFilter(q, 'device_type', ['IPC', 'NVR', 'MEdge'], 'IVM.10022014');
    const name = nameFilter(q, 'device_name', 0, 'IVM.10022012');
    const list = [...this.devices.values()]
      .filter(
        (d) =>
          (!protocols || protocols.includes(d.access_protocol)) &&
          (!states || states.includes(d.device_state)) &&
          (!systemStates || systemStates.includes('NORMAL')) &&
          (!types || types.includes(d.device_type)) &&
          (!name || d.device_name.includes(name)),
      )
      .sort(
        (a, b) =>
          (direction === 'ASC' ? 1 : -1) *
          (a.create_time.localeCompare(b.create_time) || a.device_id.localeCompare(b.device_id)),
      );
    const cloudAbility = q.get('need_cloud_ability') === 'true';
    return {
      devices: list.slice(offset * limit, offset * limit + limit).map((d) => ({
        ...this.deviceSummary(d),
        org_list: [
          {
            device_org_id: d.org,
            device_org_name: this.orgs.get(d.org)?.name ?? '',
            device_org_level: this.orgLevel(d.org),
          },
        ],
        device_cloud_ability: cloudAbility ? cloudAbilities(d) : null,
        sdk_ability: '',
      })),
      total: list.length,
    };
  }

  /** First-level groups (children of the root) are level 1. */
  private orgLevel(id: string): number {
    let level = 0;
    for (let o = this.orgs.get(id); o; o = this.orgs.get(o.parent)) level++;
    return level;
  }

  /** §6.3: GB devices only; `device_username` is the one registered at batch add (§6.7) or changed since (§6.5). */
  private gateway(deviceId: string) {
    if (!GB_ID.test(deviceId)) fail(HOLO_ID.test(deviceId) ? 'IVM.10022027' : 'IVM.10022024');
    const d = this.device(deviceId);
    return {
      device_username: d.gbUsername ?? d.device_id,
      sip_server_id: '34020000002000000001',
      sip_server_domain: '3402000000',
      sip_server_host: '127.0.0.1',
      sip_server_port: '5060',
      device_id: d.device_id,
    };
  }

  /**
   * §6.7: 1–100 GB devices (§20.2: IVM.10022003 empty, IVM.10022004 more than 100); per-item
   * results (user name IVM.10022008, description over 128 bytes IVM.10020004, an ID repeated in
   * the batch IVM.20000051); new devices are UNREGISTERED until they register.
   */
  private batchAddGb(body: unknown) {
    const items = (body as { devices?: unknown })?.devices;
    if (!Array.isArray(items) || items.length === 0) fail('IVM.10022003');
    if ((items as unknown[]).length > 100) fail('IVM.10022004');
    let failed = 0;
    const seen = new Set<string>();
    const devices = (items as Array<Record<string, unknown>>).map((it) => {
      const device_id = String(it?.device_id ?? '');
      try {
        if (!GB_ID.test(device_id)) fail('IVM.10022024');
        if (seen.has(device_id)) fail('IVM.20000051');
        seen.add(device_id);
        if (
          typeof it.device_name !== 'string' ||
          !/^[\p{Script=Han}A-Za-z0-9 _-]+$/u.test(it.device_name) ||
          cjkLength(it.device_name) > 128
        )
          fail('IVM.10022012');
        if (
          it.device_username !== undefined &&
          (typeof it.device_username !== 'string' || !/^[A-Za-z-][A-Za-z0-9-]{4,31}$/.test(it.device_username))
        )
          fail('IVM.10022008');
        if (typeof it.device_password !== 'string' || !strongGbPassword(it.device_password)) fail('IVM.10022009');
        // Required SIP digest algorithm (§6.7): MD5 or SHA256.
        if (it.algorithm !== 'MD5' && it.algorithm !== 'SHA256') fail('IVM.10020051');
        if (
          it.description !== undefined &&
          (typeof it.description !== 'string' || Buffer.byteLength(it.description) > 128)
        )
          fail('IVM.10020004');
        if (this.devices.has(device_id)) fail('IVM.20000001');
        const type = device_id.slice(10, 13) === '118' ? 'NVR' : 'IPC';
        this.devices.set(device_id, {
          device_id,
          ...(typeof it.device_username === 'string' ? { gbUsername: it.device_username } : {}),
          device_name: it.device_name as string,
          device_state: 'UNREGISTERED',
          device_type: type,
          access_protocol: 'GB28181',
          org: '0',
          create_time: beijing(this.clock()),
          channels: [],
        });
        const after = this.options.gbRegisterAfterMs === undefined ? 3000 : this.options.gbRegisterAfterMs;
        if (after !== null) {
          const t = setTimeout(() => (this.timers.delete(t), this.registerGbDevice(device_id)), after);
          t.unref();
          this.timers.add(t);
        }
        return {
          device_id,
          sip_server_id: '34020000002000000001',
          sip_server_domain: '3402000000',
          sip_server_host: '127.0.0.1',
          sip_server_port: '5060',
          result: itemResult('IVM.0'),
        };
      } catch (e) {
        if (!(e instanceof IvmError)) throw e;
        failed++;
        return { device_id, result: itemResult(e.code) };
      }
    });
    return { failed_num: failed, devices };
  }

  /** §6.8: up to 100 IDs, per-item results. */
  private batchDelete(body: unknown) {
    const ids = (body as { devices?: unknown })?.devices;
    if (!Array.isArray(ids) || ids.length === 0) fail('IVM.10022017');
    if ((ids as unknown[]).length > 100) fail('IVM.10022016');
    let failed = 0;
    const devices = (ids as unknown[]).map((raw) => {
      const device_id = String(raw);
      const code =
        !HOLO_ID.test(device_id) && !GB_ID.test(device_id)
          ? 'IVM.10022000'
          : this.devices.delete(device_id)
            ? 'IVM.0'
            : 'IVM.10022002';
      if (code !== 'IVM.0') failed++;
      else this.services.forget(device_id); // unbinding frees the package quota
      return { device_id, result: itemResult(code) };
    });
    return { failed_num: failed, devices };
  }

  private channelRecord(d: DeviceRec, c: ChannelRec) {
    return {
      device_id: d.device_id,
      device_name: d.device_name,
      channel_id: c.channel_id,
      channel_name: c.channel_name,
      channel_state: c.channel_state === 'UNREGISTERED' ? 'UNALLOCATED' : c.channel_state,
      model: 'M2141-10-EI',
      access_protocol: d.access_protocol,
      create_time: `${d.create_time}.0`,
      update_time: `${d.create_time}.0`,
      channel_system_state: 'NORMAL',
      channel_resource_state: c.resources,
      channel_ability: c.ptz ? ['ptz', 'preset', 'cruise'] : [],
      channel_firmware: 'SDC 10.0.0',
      config_state: 'TRUE',
      device_org_name: this.orgs.get(d.org)?.name ?? '',
      channel_type: c.ptz ? 'IPDOME' : 'IPC',
      resolution: '1920*1080',
    };
  }

  /** §7.2: `offset` is a row offset here, ASC by default; channel_state is a single value. */
  private channelList(q: Map<string, string>) {
    const limit = intParam(q, 'limit', 10, 1, 1000, 'IVM.10020009');
    const offset = intParam(q, 'offset', 0, 0, 2147483646, 'IVM.10020010');
    const direction = (q.get('direction') ?? 'ASC').toUpperCase();
    if (direction !== 'ASC' && direction !== 'DESC') fail('IVM.10020011');
    // Filters with their §20.2 codes; channel_state and channel_system_state take one value each.
    enumFilter(q, 'sort_by', ['create_time', 'update_time'], 'IVM.10020012', true);
    const state = enumFilter(q, 'channel_state', ['OFFLINE', 'ONLINE', 'UNALLOCATED'], 'IVM.10022020', true)?.[0];
    const systemState = enumFilter(q, 'channel_system_state', ['NORMAL', 'UNAVAILABLE_FROZEN'], 'IVM.10022021', true);
    const resources = enumFilter(q, 'channel_resource_state', CHANNEL_RESOURCE_STATES, 'IVM.10022022');
    const protocols = enumFilter(q, 'access_protocol', ['HOLO', 'GB28181'], 'IVM.10022013');
    const name = nameFilter(q, 'channel_name', 1, 'IVM.10022023');
    const device = q.get('device_id');
    if (device !== undefined && !HOLO_ID.test(device) && !GB_ID.test(device)) fail('IVM.10022000');
    const all = [...this.devices.values()]
      .filter((d) => (!device || d.device_id === device) && (!protocols || protocols.includes(d.access_protocol)))
      .flatMap((d) => d.channels.map((c) => this.channelRecord(d, c)))
      .filter(
        (c) =>
          (!state || c.channel_state === state) &&
          (!systemState || systemState[0] === c.channel_system_state) &&
          (!resources || c.channel_resource_state.some((r) => resources.includes(r))) &&
          (!name || c.channel_name.includes(name)),
      )
      .sort(
        (a, b) =>
          (direction === 'ASC' ? 1 : -1) *
          (a.create_time.localeCompare(b.create_time) ||
            `${a.device_id}/${a.channel_id}`.localeCompare(`${b.device_id}/${b.channel_id}`)),
      );
    return { total: all.length, channels: all.slice(offset, offset + limit) };
  }

  /** §7.3: channel_ability is a comma-separated string here. */
  private channelDetail(deviceId: string, channelId: string, cloudAbility: boolean) {
    const { device, channel } = this.channel(deviceId, channelId);
    const r = this.channelRecord(device, channel);
    return {
      device_cloud_ability: cloudAbility ? cloudAbilities(device) : null,
      channel_firmware_id: '',
      channel_type: r.channel_type,
      resolution: '5/6/4',
      device_id: r.device_id,
      channel_id: r.channel_id,
      channel_name: r.channel_name,
      channel_state: channel.channel_state,
      access_protocol: r.access_protocol,
      channel_system_state: 'NORMAL',
      channel_resource_state: channel.resources,
      channel_ability: r.channel_ability.join(','),
      model: r.model,
      channel_intelligent: JSON.stringify({ algorithm: [] }),
      firmware: 'SDC 10.0.0',
      create_time: device.create_time,
      update_time: device.create_time,
      sn: device.device_id,
    };
  }

  /** Chapter 15 addresses HOLO PTZ channels only; channel -1 is the device itself. */
  private ptzChannel(deviceId: string, channelId: string): { device: DeviceRec; channel: ChannelRec } {
    if (!HOLO_ID.test(deviceId)) fail(GB_ID.test(deviceId) ? 'IVM.20020011' : 'IVM.10022000');
    if (!/^(-1|[0-9]{1,3})$/.test(channelId)) fail('IVM.10022001');
    const device = this.devices.get(deviceId) ?? fail('IVM.10022002');
    if (device.access_protocol !== 'HOLO') fail('IVM.20020011');
    const channel =
      (channelId === '-1' ? device.channels[0] : device.channels.find((c) => c.channel_id === channelId)) ??
      fail('IVM.10022007');
    if (!channel.ptz) fail('IVM.20002008');
    return { device, channel };
  }

  /** §15.1–15.5: list, add (current position; `index` only for direct-connected devices), delete, rename, move (needs the control token). */
  private presets(method: string, deviceId: string, channelId: string, move: boolean, body: unknown) {
    const { device, channel } = this.ptzChannel(deviceId, channelId);
    const b = (body ?? {}) as Record<string, unknown>;
    const ids = { device_id: deviceId, channel_id: channelId };
    const index = (v: unknown) =>
      Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 512 && v !== '' && v !== null && v !== undefined
        ? Number(v)
        : fail('IVM.10020001');
    const name = (v: unknown) =>
      typeof v === 'string' && /^[\p{Script=Han}A-Za-z0-9 ._-]{1,128}$/u.test(v) ? v : fail('IVM.10020001');
    if (move && method === 'POST') {
      if (device.device_state !== 'ONLINE') fail('IVM.20000036');
      if (channel.channel_state !== 'ONLINE') fail('IVM.20000043');
      const held = this.locks.get(`${deviceId}/${channelId}`);
      if (typeof b.control_token !== 'string' || !held || held.token !== b.control_token) fail('IVM.20002009');
      if (this.clock() - held!.at >= 120_000) fail('IVM.20002001');
      const i = index(b.preset_index);
      if (!channel.presets.has(i)) fail('IVM.10020001');
      held!.at = this.clock();
      for (const c of channel.cruises.values()) c.enabled = false; // a move interrupts a running cruise
      this.ptzLog.push({
        device: deviceId,
        channel: channelId,
        direction: `PRESET_${i}`,
        mode: 'POINT',
        speed: 10,
        at: this.clock(),
      });
      return ids;
    }
    if (move) return fail('IVM.10020001');
    if (method === 'GET')
      return {
        preset_positions: [...channel.presets]
          .sort((x, y) => x[0] - y[0])
          .map(([preset_index, preset_name]) => ({ preset_index, preset_name, jpg_base64: PREVIEW })),
      };
    if (method === 'POST') {
      const presetName = name(b.preset_name);
      // Direct-connected cameras (IPC) need the slot; cameras behind an NVR or an IVS1800 (MEdge) must
      // let the device pick it (§15.2).
      const direct = device.device_type === 'IPC';
      if (direct && b.index === undefined) fail('IVM.10020001');
      if (!direct && b.index !== undefined) fail('IVM.10020001');
      let slot = b.index === undefined ? 0 : index(b.index);
      if (!slot) for (slot = 1; channel.presets.has(slot) && slot <= 512; slot++);
      if (slot > 512) fail('IVM.10020001');
      channel.presets.set(slot, presetName);
      return { ...ids, preset_index: slot };
    }
    if (method === 'PUT') {
      const i = index(b.preset_index);
      if (!channel.presets.has(i)) fail('IVM.10020001');
      channel.presets.set(i, name(b.preset_name));
      return { ...ids, preset_index: i, preset_name: channel.presets.get(i) };
    }
    if (method === 'DELETE') {
      const i = index(b.preset_index);
      if (!channel.presets.delete(i)) fail('IVM.10020001');
      return { ...ids, preset_index: i };
    }
    return fail('IVM.10020001');
  }

  /** §15.6–15.11: tracks over existing presets; either spelling of dwell time and speed accepted. */
  private cruises(
    method: string,
    deviceId: string,
    channelId: string,
    sub: string,
    q: Map<string, string>,
    body: unknown,
  ) {
    const { channel } = this.ptzChannel(deviceId, channelId);
    const b = (body ?? {}) as Record<string, unknown>;
    const ids = { device_id: deviceId, channel_id: channelId };
    const trackId = (v: unknown) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || v === '' || v === undefined || v === null) fail('IVM.10020001');
      if (!channel.cruises.has(n)) fail('IVM.10020001');
      return n;
    };
    const track = () => {
      const type = b.cruise_type;
      if (typeof type !== 'string' || !['CRUISE_TRACK', 'MODEL_TRACK', 'PAN_TRACK', 'TILT_TRACK'].includes(type))
        fail('IVM.10020001');
      const name = b.cruise_name;
      if (typeof name !== 'string' || !/^[\p{Script=Han}A-Za-z0-9 ._-]{1,128}$/u.test(name)) fail('IVM.10020001');
      const raw = b.cruise_points;
      if (!Array.isArray(raw) || raw.length === 0 || raw.length > 32) fail('IVM.10020001');
      const points = (raw as Array<Record<string, unknown>>).map((p) => {
        const preset_index = Number(p?.preset_index);
        const dwell_time = Number(p?.dwell_time ?? p?.dwel_time);
        const speed_level = Number(p?.speed_level ?? p?.speedLevel);
        if (!channel.presets.has(preset_index)) fail('IVM.10020001');
        if (!Number.isInteger(dwell_time) || dwell_time < 30 || dwell_time > 3600) fail('IVM.10020001');
        if (!Number.isInteger(speed_level) || speed_level < 0 || speed_level > 10) fail('IVM.10020001');
        return { preset_index, dwell_time, speed_level };
      });
      return { name: name as string, type: type as string, points };
    };
    if (sub === '/list' && method === 'GET')
      return {
        ...ids,
        cruises_ids: [...channel.cruises].map(([cruises_id, c]) => ({
          cruises_id,
          cruises_name: c.name,
          enable_cruise: c.enabled ? 'OPEN' : 'CLOSE',
        })),
      };
    if (sub === '/enable' && method === 'PUT') {
      const id = trackId(b.cruises_id);
      if (b.enable_cruise !== 'OPEN' && b.enable_cruise !== 'CLOSE') fail('IVM.10020001');
      // One track runs at a time on a channel.
      for (const [k, c] of channel.cruises) c.enabled = k === id && b.enable_cruise === 'OPEN';
      return { ...ids, cruises_id: id, enable_cruise: b.enable_cruise };
    }
    if (sub !== '') return fail('IVM.10020001');
    if (method === 'GET') {
      const id = trackId(q.get('cruises_id'));
      const c = channel.cruises.get(id)!;
      return {
        ...ids,
        cruises_id: id,
        cruise_type: c.type,
        cruise_name: c.name,
        cruise_points: c.points.map((p) => ({ ...p, jpg_base64: PREVIEW })),
      };
    }
    if (method === 'POST') {
      if (channel.cruises.size >= 8) fail('IVM.10020001');
      const t = track();
      let id = 1;
      while (channel.cruises.has(id)) id++;
      channel.cruises.set(id, { ...t, enabled: false });
      return { ...ids, cruises_id: id };
    }
    if (method === 'PUT') {
      const id = trackId(b.cruises_id);
      channel.cruises.set(id, { ...track(), enabled: channel.cruises.get(id)!.enabled });
      return { ...ids, cruises_id: id };
    }
    if (method === 'DELETE') {
      const id = trackId(b.cruises_id);
      channel.cruises.delete(id);
      return { ...ids, cruises_id: id };
    }
    return fail('IVM.10020001');
  }

  /**
   * Legacy media (§9.5–9.9): the v2 behaviour under the old protocol names — `HLS`/`HLS_HTTPS`
   * for cloud playback, only `HOLO` for GB device playback (§9.8), `*_DEV` protocols for the web
   * device playback (§9.9, FLV for GB devices only).
   */
  private legacyRecords(
    deviceId: string,
    channelId: string,
    where: 'cloud' | 'device',
    sub: string,
    q: Map<string, string>,
  ) {
    const position = where === 'cloud' ? 'CLOUD' : 'DEVICE';
    const v2 = new Map(q);
    v2.set('record_position', position);
    if (sub === '') {
      const r = this.records(deviceId, channelId, v2);
      return where === 'cloud' ? r : { total: r.total, records: r.records };
    }
    const names: Record<string, string> =
      where === 'cloud'
        ? { HOLO: 'HOLO', HLS: 'HTTP_HLS', HLS_HTTPS: 'HTTPS_HLS', RTSP: 'RTSP' }
        : sub === '/playback-url'
          ? { HOLO: 'HOLO' }
          : {
              HLS_DEV: 'HTTP_HLS',
              HLS_DEV_HTTPS: 'HTTPS_HLS',
              RTSP_DEV: 'RTSP',
              HTTP_FLV_DEV: 'FLV',
              HTTPS_FLV_DEV: 'FLV',
            };
    // §9.9's table names the parameter `protocol`, its examples send `playback_protocol`: either is read.
    const asked =
      (sub === '/web-playback-url' ? (q.get('protocol') ?? q.get('playback_protocol')) : q.get('playback_protocol')) ??
      (sub === '/playback-url' && where === 'device' ? 'HOLO' : undefined);
    const protocol = asked ? names[asked] : undefined;
    if (!protocol) return fail('IVM.10026001');
    if (sub === '/playback-url' && where === 'device' && !GB_ID.test(deviceId)) fail('IVM.10022027');
    if (protocol === 'FLV' && !GB_ID.test(deviceId)) fail('IVM.10022027');
    const trans = q.get('trans_protocol');
    if (trans !== undefined && trans !== 'TCP' && trans !== 'UDP') fail('IVM.10020001');
    if (protocol === 'FLV') {
      const { channel } = this.channel(deviceId, channelId);
      this.range(q);
      const token = randomBytes(12).toString('hex');
      const url = this.options.media
        ? withToken(this.options.media.flv(channel.media, 'main'), token)
        : `${this.baseUrl}/dev_vod/${deviceId}.flv?token=${token}`;
      return { device_id: deviceId, channel_id: channelId, playback_url: url };
    }
    v2.set('playback_protocol', protocol);
    const r = this.playback(deviceId, channelId, v2);
    return {
      device_id: deviceId,
      channel_id: channelId,
      playback_url: r.playback_connections.cloud_trans_connections.playback_url,
    };
  }

  /** §9.10: batch live URLs under the old names (`HLS`, `HLS_HTTPS`); results in `channels`. */
  private legacyLive(body: unknown) {
    const b = (body ?? {}) as { channels?: unknown };
    if (!Array.isArray(b.channels)) return fail('IVM.10020001');
    const names: Record<string, string> = {
      HOLO: 'HOLO',
      HLS: 'HTTP_HLS',
      HLS_HTTPS: 'HTTPS_HLS',
      HTTP_FLV: 'HTTP_FLV',
      HTTPS_FLV: 'HTTPS_FLV',
      RTSP: 'RTSP',
    };
    const channels = (b.channels as Array<Record<string, unknown>>).map((c) => ({
      ...c,
      live_protocol: names[String(c.live_protocol)] ?? `unknown:${String(c.live_protocol)}`,
    }));
    const r = this.live({ ...(body as object), channels });
    return {
      fail_num: r.fail_num,
      request_id: randomUUID(),
      channels: r.live_connections.map((c) => ({
        device_id: c.device_id,
        channel_id: c.channel_id,
        live_url: 'live_url' in c.cloud_trans_connections ? c.cloud_trans_connections.live_url : '',
        result: c.result,
      })),
    };
  }

  /**
   * §9.11 (legacy): P2P data per device (HOLO only; a GB device fails its item with
   * IVM.20020011) and relay URLs per channel as §9.10 gives them.
   */
  private p2pLive(body: unknown) {
    const b = (body ?? {}) as { channels?: unknown; expire_time?: unknown; use_times?: unknown };
    if (!Array.isArray(b.channels) || b.channels.length === 0) fail('IVM.10020001');
    const items = b.channels as Array<Record<string, unknown>>;
    const relayed = this.live({ ...b, channels: items.map((c) => ({ ...c, live_protocol: 'HOLO' })) });
    const p2p_connections = [...new Set(items.map((c) => String(c.device_id ?? '')))].map((id) => this.p2pItem(id));
    const live_urls = relayed.live_connections.map((c) => ({
      device_id: c.device_id,
      channel_id: c.channel_id,
      live_url: 'live_url' in c.cloud_trans_connections ? c.cloud_trans_connections.live_url : '',
      result: c.result,
    }));
    const failNum = p2p_connections.filter((c) => c.result.code !== 'IVM.0').length + relayed.fail_num;
    return { fail_num: failNum, p2p_connections, live_urls, request_id: randomUUID() };
  }

  /** §9.12 (legacy): P2P playback data per requested channel (1–1000), the range echoed when given; note `failNum`. */
  private p2pPlayback(body: unknown) {
    const b = (body ?? {}) as { channels?: unknown };
    if (!Array.isArray(b.channels) || b.channels.length === 0) fail('IVM.10020001');
    if ((b.channels as unknown[]).length > 1000) fail('IVM.10027006'); // §20.2 "array over limit": §9.12 prints no code of its own
    let failNum = 0;
    const p2p_connections = (b.channels as Array<Record<string, unknown>>).map((c) => {
      if (typeof c?.stream_type !== 'string' || !(c.stream_type in STREAMS)) fail('IVM.10026000');
      const hasStart = c.start_time !== undefined;
      if (hasStart !== (c.end_time !== undefined)) fail('IVM.10020001'); // both or neither
      if (
        hasStart &&
        !(
          typeof c.start_time === 'string' &&
          BEIJING.test(c.start_time) &&
          typeof c.end_time === 'string' &&
          BEIJING.test(c.end_time) &&
          c.start_time < c.end_time
        )
      )
        fail('IVM.10020001');
      const item = this.p2pItem(String(c.device_id ?? ''), String(c.channel_id ?? ''));
      if (item.result.code !== 'IVM.0') failNum++;
      return { ...item, ...(hasStart ? { start_time: c.start_time, end_time: c.end_time } : {}) };
    });
    return { failNum, p2p_connections };
  }

  private p2pItem(deviceId: string, channelId?: string) {
    try {
      const device = channelId === undefined ? this.device(deviceId) : this.channel(deviceId, channelId).device;
      if (device.access_protocol !== 'HOLO') fail('IVM.20020011');
      return { device_id: deviceId, ...p2pConnection(device), result: itemResult('IVM.0') };
    } catch (e) {
      if (!(e instanceof IvmError)) throw e;
      return { device_id: deviceId, token: '', device_state: 'OFFLINE', p2p_nodes: [], result: itemResult(e.code) };
    }
  }

  /**
   * §19.1: capability specifications per (device_type, model, firmware). Emulated rule: firmware
   * 10.0 or later supports the eight-direction PTZ extras and presets; domes (IPDOME) have PTZ.
   */
  private versionAbilities(body: unknown) {
    const b = (body ?? {}) as { versions?: unknown; need_specification?: unknown; ability?: unknown };
    if (!Array.isArray(b.versions) || b.versions.length === 0) fail('IVM.10020001');
    if (
      b.ability !== undefined &&
      (!Array.isArray(b.ability) || !b.ability.every((a) => typeof a === 'string' && ABILITIES.has(a)))
    )
      fail('IVM.10020001');
    const names = (b.ability as string[] | undefined) ?? [...ABILITIES];
    const abilities = (b.versions as Array<Record<string, unknown>>).map((v) => {
      if (typeof v?.device_type !== 'string' || typeof v.model !== 'string' || typeof v.firmware !== 'string')
        fail('IVM.10020001');
      const major = Number(/(\d+)\.\d+/.exec(String(v.firmware))?.[1] ?? 0);
      const dome = v.device_type === 'IPDOME' || /PTZ|D\d{4}/.test(String(v.model));
      const supports = (name: string) =>
        ['ptz', 'ptzspin', 'zoom', 'iris', 'preset', 'cruise'].includes(name)
          ? dome
          : name === 'autofocus' || name === 'ptz_3d_locate'
            ? dome && major >= 10
            : ['talk', 'localstorage', 'cloudstorage', 'securitykey'].includes(name);
      const spec = (name: string) =>
        b.need_specification === true && name === 'soundlightalarm'
          ? {
              alarm_voice_file_max_num: '6',
              alarm_voice_one_file_max_size: '76800',
              alarm_voice_file_max_size: '524288',
            }
          : b.need_specification === true && name === 'preset'
            ? { preset_max_num: '512' }
            : {};
      return {
        device_type: v.device_type,
        model: v.model,
        firmware: v.firmware,
        abilities: Object.fromEntries(names.map((n) => [n, { ...spec(n), support: supports(n) }])),
      };
    });
    return { abilities };
  }

  /** §16: HOLO SDC cameras connected directly (not NVRs); SET until a password exists, then MODIFY. */
  private securityKey(method: string, deviceId: string, channelId: string, body: unknown) {
    if (!HOLO_ID.test(deviceId)) fail('IVM.20140008');
    if (!/^(-1|[0-9]{1,3})$/.test(channelId)) fail('IVM.10022001');
    const d = this.device(deviceId);
    if (d.access_protocol !== 'HOLO' || d.device_type !== 'IPC') fail('IVM.20140008');
    if (d.device_state !== 'ONLINE') fail('IVM.20000036');
    if (method === 'GET') return { security_key_state: d.securityKey ? 'MODIFY' : 'SET' };
    if (method !== 'PUT') return fail('IVM.10020001');
    const b = (body ?? {}) as Record<string, unknown>;
    const next = b.new_security_key;
    if (typeof next !== 'string' || next === '') return fail('IVM.20000057');
    const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(next)).length;
    if (next.length < 8 || next.length > 20 || classes < 2 || next === 'admin' || next === 'nimda')
      fail('IVM.20140004');
    if (d.securityKey) {
      if (b.current_security_key !== d.securityKey) fail('IVM.20140006');
      if (next === d.securityKey) fail('IVM.20140005');
    }
    d.securityKey = next;
    return { device_id: deviceId, channel_id: channelId };
  }

  /** §18.1: 1–65 channel IDs in [-1,999] (-1 = the device itself); per-channel "0"/"1" results. */
  private setTargetAuth(deviceId: string, body: unknown) {
    if (!HOLO_ID.test(deviceId)) fail('IVM.10022000');
    const d = this.device(deviceId);
    if (d.access_protocol !== 'HOLO') fail('IVM.20020011');
    const b = (body ?? {}) as { state?: unknown; channels?: unknown };
    if (b.state !== 'OPENED' && b.state !== 'CLOSED') fail('IVM.10020001');
    if (Array.isArray(b.channels) && b.channels.length > 65) fail('IVM.10027006'); // §20.2 "array over limit": §18.1 prints no code of its own
    if (
      !Array.isArray(b.channels) ||
      b.channels.length < 1 ||
      !b.channels.every((c) => typeof c === 'string' && /^(-1|[0-9]{1,3})$/.test(c))
    )
      fail('IVM.10022001');
    const auth = (d.targetAuth ??= { device: false, channels: new Set() });
    const on = b.state === 'OPENED';
    const channels_result = (b.channels as string[])
      .filter((c) => c !== '-1')
      .map((channel_id) => {
        const exists = d.channels.some((c) => c.channel_id === channel_id);
        if (exists && on) auth.channels.add(channel_id);
        if (exists && !on) auth.channels.delete(channel_id);
        return { channel_id, channel_result: exists ? '0' : '1' };
      });
    if ((b.channels as string[]).includes('-1') || d.device_type === 'IPC') auth.device = on;
    return { device_id: deviceId, device_result: '0', channels_result };
  }

  /** §18.2: channel -1 asks about the device only. */
  private targetAuth(deviceId: string, channelId: string) {
    if (!HOLO_ID.test(deviceId)) fail('IVM.10022000');
    if (!/^(-1|[0-9]{1,3})$/.test(channelId)) fail('IVM.10022001');
    const d = this.device(deviceId);
    const auth = d.targetAuth ?? { device: false, channels: new Set<string>() };
    if (channelId === '-1') return { device_state: auth.device ? 'OPENED' : 'CLOSED' };
    if (!d.channels.some((c) => c.channel_id === channelId)) fail('IVM.10022007');
    return {
      device_state: auth.device ? 'OPENED' : 'CLOSED',
      channel_state: auth.channels.has(channelId) ? 'OPENED' : 'CLOSED',
    };
  }

  /** §9.4: no per-URL result; RTSP URLs are refused. */
  private revoke(body: unknown) {
    const urls = (body as { urls?: unknown })?.urls;
    if (
      !Array.isArray(urls) ||
      urls.length === 0 ||
      !urls.every((u) => u && typeof (u as { url?: unknown }).url === 'string')
    )
      fail('IVM.10020001');
    if ((urls as Array<{ url: string }>).some((u) => u.url.startsWith('rtsp://'))) fail('IVM.10020001');
    for (const u of urls as Array<{ url: string }>) this.revoked.add(u.url);
    return { error_code: 'IVM.0', error_msg: 'Success' };
  }

  /** §17: HOLO channels only; the device must be online to read or write its encoder. */
  private streams(method: string, deviceId: string, channelId: string, what: string, body: unknown) {
    if (!HOLO_ID.test(deviceId)) fail(GB_ID.test(deviceId) ? 'IVM.20020011' : 'IVM.10022000');
    if (!/^(-1|[0-9]{1,3})$/.test(channelId)) fail('IVM.10022001');
    const device = this.devices.get(deviceId) ?? fail('IVM.10022002');
    if (device.access_protocol !== 'HOLO') fail('IVM.20020011');
    const channel =
      (channelId === '-1' ? device.channels[0] : device.channels.find((c) => c.channel_id === channelId)) ??
      fail('IVM.10022007');
    if (device.device_state !== 'ONLINE') fail('IVM.20000036');
    // The settings are the camera's own (§17): a channel offline cannot be asked.
    if (channel.channel_state !== 'ONLINE') fail('IVM.20000043');
    const key = `${deviceId}/${channel.channel_id}`;
    const detail =
      this.streamDetails.get(key) ??
      defaultDetail(this.options.media?.codec?.(channel.media) === 'h265' ? 'H.265' : 'H.264');
    if (what === 'stream-ability' && method === 'GET') return ABILITY;
    if (what === 'stream-detail' && method === 'GET') return detail;
    if (what === 'stream-detail' && method === 'POST') {
      this.streamDetails.set(key, applyStreamDetail(detail, (body ?? {}) as Record<string, unknown>));
      return { device_id: deviceId, channel_id: channelId };
    }
    return fail('IVM.10020001');
  }

  /** A HOLO or GB channel of this enterprise, or the documented error (§0.4). */
  private anyChannel(deviceId: unknown, channelId: unknown): ChannelRec {
    if (
      typeof deviceId !== 'string' ||
      !(HOLO_ID.test(deviceId) || GB_ID.test(deviceId) || /^[0-9]{20}$/.test(deviceId))
    )
      fail('IVM.10022000');
    const device = this.devices.get(deviceId as string) ?? fail('IVM.10022002');
    if (typeof channelId !== 'string') fail('IVM.10022001');
    return device.channels.find((c) => c.channel_id === channelId) ?? fail('IVM.10022007');
  }

  /** §14.0.2: HOLO devices with the face algorithm and the DATAFLOW service (INDUSTRY_DATA_GRANT) only. */
  private libraryOf(deviceId: unknown): Library {
    if (typeof deviceId !== 'string' || !HOLO_ID.test(deviceId))
      return fail(typeof deviceId === 'string' && GB_ID.test(deviceId) ? 'IVM.20090017' : 'IVM.10022000');
    const device = this.devices.get(deviceId) ?? fail('IVM.10022002');
    if (device.access_protocol !== 'HOLO') fail('IVM.20090017');
    if (!device.library) return fail('IVM.10020019');
    if (!device.channels.some((c) => c.resources.includes('INDUSTRY_DATA_GRANT'))) fail('IVM.20090016');
    if (device.device_state !== 'ONLINE') fail('IVM.20000036');
    return device.library;
  }

  isRevoked(url: string): boolean {
    return this.revoked.has(url);
  }
}

function json(req: IncomingRequest): unknown {
  if (!req.rawBody) return {};
  try {
    return JSON.parse(req.rawBody) as unknown;
  } catch {
    return fail('IVM.10020008');
  }
}

function intParam(
  q: Map<string, string>,
  name: string,
  fallback: number,
  min: number,
  max: number,
  code: string,
): number {
  const raw = q.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) fail(code);
  return n;
}

/**
 * A comma-separated enumeration filter of the list queries (§5.2, §6.2, §7.2): every value must
 * be one of `allowed`, else the filter's own §20.2 code (`single`: one value only, §7.2).
 */
function enumFilter(
  q: Map<string, string>,
  name: string,
  allowed: readonly string[],
  code: string,
  single = false,
): string[] | undefined {
  const raw = q.get(name);
  if (raw === undefined) return undefined;
  const values = single ? [raw] : raw.split(',');
  if (values.some((v) => !allowed.includes(v))) fail(code);
  return values;
}

/** §5.2/§7.2 channel_resource_state values (§7.2 adds the customer-group service). */
const RESOURCE_STATES = ['MANAGEMENT', 'EVENT_RECORD', 'FULL_RECORD', 'INDUSTRY_DATA'].flatMap((s) =>
  ['GRANT', 'ARREAR', 'CLOSED'].map((t) => `${s}_${t}`),
);
const CHANNEL_RESOURCE_STATES = [
  ...RESOURCE_STATES,
  'CUSTOMER_GROUP_GRANT',
  'CUSTOMER_GROUP_ARREAR',
  'CUSTOMER_GROUP_CLOSED',
];

/** A name filter: digits, Chinese (2 each), letters, `-`, `_`, space; length [min,128] (§5.2, §6.2, §7.2). */
function nameFilter(q: Map<string, string>, name: string, min: number, code: string): string | undefined {
  const v = q.get(name);
  if (v === undefined || (v === '' && min === 0)) return undefined;
  if (!/^[\p{Script=Han}A-Za-z0-9 _-]*$/u.test(v) || cjkLength(v) < min || cjkLength(v) > 128) fail(code);
  return v;
}

/** Length where a Chinese character counts 2 (A.9). */
function cjkLength(s: string): number {
  return [...s].reduce((n, c) => n + (/\p{Script=Han}/u.test(c) ? 2 : 1), 0);
}

/**
 * GB registration password: 8–32, at least three of lower, upper, digit, special (A.9). The
 * specials are the union of §6.5/§6.7's list (`~!@#$%^&*()-_+= [{}];:",<.>/? and space, with `"`
 * and `.`) and the IVM.10022009 hint's (adds `'`, `|`, `\`).
 */
function strongGbPassword(p: string): boolean {
  if (p.length < 8 || p.length > 32) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[~!?,;:\-_'"(){}[\]/<>.@#$%^&*+|\\=` ]/].filter((r) => r.test(p)).length;
  return classes >= 3;
}

function withToken(url: string, token: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}token=${token}`;
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time. */
function beijing(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function parseBeijing(text: string): number | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - 8 * 3600_000;
  return Number.isNaN(ms) ? null : ms;
}

/** §9.1 P2PChannelsResp: a request token and the MTS relay nodes the SDK punches through. */
function p2pConnection(device: DeviceRec) {
  return {
    token: randomBytes(8).toString('hex'),
    device_state: device.device_state === 'ONLINE' ? 'ONLINE' : 'OFFLINE',
    p2p_nodes: [{ node_type: 'BETTER', address_type: 'IPV4', address: ['127.0.0.1'], tcp_port: 0, udp_port: 7050 }],
  };
}

/** §6.1/§6.2/§7.3 `device_cloud_ability` (with need_cloud_ability=true): capability → `{support: "true"|"false"}` (strings, as printed). */
function cloudAbilities(d: DeviceRec) {
  const holo = d.access_protocol === 'HOLO';
  return {
    alarm_voice: { support: String(holo && d.device_type === 'IPC') },
    cloud_snapshot: { support: String(holo) },
  };
}
