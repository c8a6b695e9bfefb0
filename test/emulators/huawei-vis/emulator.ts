import { randomUUID, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { canonicalRequest, signature as visSignature, stringToSign } from '../../../main/platforms/huawei-vis/sign';
import {
  EmulatorServer,
  header,
  isoSeconds,
  randomAlnum,
  requestId,
  type IncomingRequest,
  type Reply,
} from '../common/http';
import { errorReply, visError, VisError } from './errors';
import {
  defaultQuota,
  type AccessStrategy,
  type AkskCredential,
  type Channel,
  type Device,
  type GbCredential,
  type Retention,
  type Stream,
  type Subscription,
  type Tag,
} from './model';
import { passThrough, streamHeaders } from '../media/pass-through';

/**
 * Huawei Cloud VIS emulator, written from ../shared/spec/huawei-vis.md: all 31 endpoints, IAM
 * password tokens (201 + X-Subject-Token) and SDK-HMAC-SHA256 signatures over whichever headers
 * `SignedHeaders` names (15-minute X-Sdk-Date window), the documented error codes with the
 * table's statuses, paging rules (management offset from 1, statistics offset from 0), and
 * GB28181 device/channel state machines with timed registration and invitation.
 */
export interface VisEmulatorOptions {
  projectId?: string;
  region?: string;
  domain?: string;
  user?: string;
  password?: string;
  ak?: string;
  sk?: string;
  /** Subscribed at start (default true). */
  subscribed?: boolean;
  /** Seed a realistic project (default true). */
  seed?: boolean;
  /** Extra generated IPCs (for tree benchmarks). */
  scale?: number;
  /** A device created through the API registers after this many ms (null: never). Default 1500. */
  registerAfterMs?: number | null;
  /** Invitation and cancel take this long. Default 300 ms. */
  inviteAfterMs?: number;
  /** NVR catalogue refresh takes this long. Default 500 ms. */
  refreshAfterMs?: number;
  /** OBS agency granted in the console (default true); false → VIS.0208 on dump settings. */
  obsAuthorized?: boolean;
  /** Upstream media for playback (the media simulator). Without it playback answers 503. */
  media?: {
    flv(channel: string): string;
    hls(channel: string): string;
    /**
     * The simulator's channels and their codecs (platformMedia): a GB28181 stream is then served
     * by a simulated camera whose codec is the stream's `encode_type` (§3.3), so a stream that
     * says H265 sends H.265. Without them the stream's own media channel is asked for.
     */
    channels?: string[];
    codec?(channel: string): 'h264' | 'h265';
  };
  /** Zone of "today" for the statistics, minutes east of UTC (default 480 = UTC+8). */
  statsZoneMinutes?: number;
  /** §4.4.8 documents 204; the example shows a body. Default 204. */
  deleteAkskStatus?: 204 | 200;
  /**
   * GET /subscription before subscribing (§4.1.2): 404 VIS.0015 (default), or 200 with
   * `is_subscribed: false`, the value its response table also documents.
   */
  unsubscribedReply?: 'VIS.0015' | 'is_subscribed_false';
  clock?: () => number;
}

const TOKEN_TTL_MS = 24 * 3600 * 1000;
const DOMAIN_ID = '65382450e8f64ac0870cd180d14e684b';
const SKEW_MS = 15 * 60 * 1000;
const MAX_VIEWERS = 5;
const MAX_SIGNED_BODY = 12 * 1024 * 1024;

export class VisEmulator {
  readonly projectId: string;
  readonly region: string;
  readonly credentials: { projectId: string; domain: string; user: string; password: string; ak: string; sk: string };
  readonly api: EmulatorServer;
  readonly iam: EmulatorServer;
  readonly streams = new Map<string, Stream>();
  readonly devices = new Map<string, Device>();
  readonly gbCredentials = new Map<string, GbCredential>();
  readonly akskCredentials = new Map<string, AkskCredential>();
  readonly tokens = new Map<string, { expiresAt: number; user: string; projectId: string }>();
  readonly subscription: Subscription;
  /** names taken by other VIS users (names are unique across all users, §1.4) */
  readonly foreignStreamNames = new Set(['public_demo', 'huawei_sample']);
  /** playback connections open per stream (at most 5) */
  readonly viewers = new Map<string, number>();
  /** rotate the playback host to exercise the client's re-fetch of addresses */
  mediaHost = '127.0.0.1';
  /**
   * The media node playback addresses name (`work001`, …): relocateMedia() moves it, as a
   * disaster-recovery switch does (§4.2.7), and addresses naming an earlier one stop answering.
   */
  private mediaNode = 1;
  /** Non-GB streams whose source stopped (the encoder's push, or VIS' pull of `url`): setCameraOnline. */
  private readonly silent = new Set<string>();
  /** Playback connections open now, by stream name: a camera going offline ends them. */
  private readonly playing = new Map<http.ServerResponse, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private seq = 0;
  private readonly opts: Required<Omit<VisEmulatorOptions, 'media' | 'clock' | 'scale'>> &
    Pick<VisEmulatorOptions, 'media' | 'scale'>;
  private readonly now: () => number;

  constructor(options: VisEmulatorOptions = {}) {
    this.opts = {
      projectId: options.projectId ?? 'e9993fc787d94b6c886cbaa340f9c0f4',
      region: options.region ?? 'cn-north-4',
      domain: options.domain ?? 'vigil-demo',
      user: options.user ?? 'operator',
      password: options.password ?? 'Emu-IAM-Passw0rd!',
      ak: options.ak ?? 'VISEMUAKEXAMPLE0000000001',
      sk: options.sk ?? 'VisEmuSecretKeyExample0000000000000000001',
      subscribed: options.subscribed ?? true,
      seed: options.seed ?? true,
      registerAfterMs: options.registerAfterMs === undefined ? 1500 : options.registerAfterMs,
      inviteAfterMs: options.inviteAfterMs ?? 300,
      refreshAfterMs: options.refreshAfterMs ?? 500,
      obsAuthorized: options.obsAuthorized ?? true,
      statsZoneMinutes: options.statsZoneMinutes ?? 480,
      deleteAkskStatus: options.deleteAkskStatus ?? 204,
      unsubscribedReply: options.unsubscribedReply ?? 'VIS.0015',
      media: options.media,
      scale: options.scale,
    };
    this.now = options.clock ?? Date.now;
    this.projectId = this.opts.projectId;
    this.region = this.opts.region;
    this.credentials = {
      projectId: this.projectId,
      domain: this.opts.domain,
      user: this.opts.user,
      password: this.opts.password,
      ak: this.opts.ak,
      sk: this.opts.sk,
    };
    this.subscription = {
      is_subscribed: this.opts.subscribed,
      created: this.now() - 90 * 86400_000,
      user_id: '422b1f6045184a8194e021113e87d898',
      sip_ip: '127.0.0.1',
      sip_port: '5080',
      quota: defaultQuota(),
    };
    const control = {
      expireTokens: () => {
        for (const t of this.tokens.values()) t.expiresAt = 0;
        return { expired: this.tokens.size };
      },
      rotateMediaHost: () => ({ host: (this.mediaHost = this.mediaHost === '127.0.0.1' ? 'localhost' : '127.0.0.1') }),
      relocateMedia: () => this.relocateMedia(),
      /** {name, online}: see setCameraOnline. */
      setCameraOnline: (b: Record<string, unknown>) => this.setCameraOnline(String(b.name), b.online === true),
      registerDevice: (b: Record<string, unknown>) => this.registerDevice(String(b.device_id)),
      dropDevice: (b: Record<string, unknown>) => this.dropDevice(String(b.device_id)),
      state: () => ({ streams: this.streams.size, devices: this.devices.size, subscription: this.subscription }),
      /** {name, share_type}: see setShareType. */
      setShareType: (b: Record<string, unknown>) =>
        this.setShareType(String(b.name), b.share_type === 'PUBLIC' ? 'PUBLIC' : 'PRIVATE'),
    };
    this.api = new EmulatorServer(
      (req) => this.handle(req),
      () => errorReply(new VisError('VIS.0008')),
      control,
      (path) => PLAYBACK_PATH.test(path),
    );
    this.iam = new EmulatorServer(
      (req) => this.handleIam(req),
      () => ({
        status: 503,
        body: { error: { code: 503, message: 'Service unavailable', title: 'Service Unavailable' } },
      }),
    );
    if (this.opts.seed) this.seedProject();
    for (let i = 0; i < (this.opts.scale ?? 0); i++) this.addSeedDevice('IPC', 'ONLINE', { everOnlineDaysAgo: 10 });
  }

  async start(port = 0, iamPort = 0): Promise<this> {
    await this.api.listen(port);
    await this.iam.listen(iamPort);
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.api.close();
    await this.iam.close();
  }

  get baseUrl(): string {
    return this.api.baseUrl;
  }
  /** Fault switches of the API and media host (common/http.ts Faults), notFoundFirst included. */
  get faults() {
    return this.api.faults;
  }
  get iamBaseUrl(): string {
    return this.iam.baseUrl;
  }

  // ---------------------------------------------------------------- IAM (§2.1)

  private handleIam(req: IncomingRequest): Reply {
    if (req.method === 'POST' && req.path === '/v3/auth/tokens') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.rawBody) as Record<string, unknown>;
      } catch {
        return iamError(400, 'The request body is not valid JSON.', 'Bad Request');
      }
      const auth = obj(body.auth);
      const identity = obj(auth.identity);
      const methods = Array.isArray(identity.methods) ? identity.methods : [];
      const user = obj(obj(identity.password).user);
      // The doc's §3.2 puts scope inside auth; its §3.1 example has it beside auth (a defect). Accept both.
      const scope = obj(auth.scope ?? body.scope);
      const project = obj(scope.project);
      if (!methods.includes('password') || typeof user.name !== 'string' || typeof user.password !== 'string') {
        return iamError(400, 'Request body is missing auth.identity.password.user', 'Bad Request');
      }
      if (
        user.name !== this.opts.user ||
        user.password !== this.opts.password ||
        obj(user.domain).name !== this.opts.domain
      ) {
        return iamError(401, 'The username or password is wrong.', 'Unauthorized');
      }
      // §3.1: the scope is a project or the account (domain); "调用本服务API需要project级别的Token" —
      // IAM issues a domain-scoped token, and VIS refuses it (VIS.0001) because it names no project.
      const domainScope = scope.project === undefined ? obj(scope.domain) : undefined;
      const domainRef = { id: DOMAIN_ID, name: this.opts.domain };
      if (domainScope && (domainScope.name === this.opts.domain || domainScope.id === DOMAIN_ID)) {
        // a domain-scoped token, valid at IAM, not for VIS
      } else if (project.name !== this.region && project.id !== this.projectId) {
        return iamError(400, 'A project scope (auth.scope.project.name = region) is required for VIS.', 'Bad Request');
      }
      const token = `MIIEmulator${randomAlnum(120, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`;
      const issued = this.now();
      this.tokens.set(token, {
        expiresAt: issued + TOKEN_TTL_MS,
        user: this.opts.user,
        projectId: domainScope ? '' : this.projectId,
      });
      return {
        status: 201,
        headers: { 'X-Subject-Token': token, 'X-Request-Id': requestId() },
        body: {
          token: {
            methods: ['password'],
            expires_at: new Date(issued + TOKEN_TTL_MS).toISOString(),
            issued_at: new Date(issued).toISOString(),
            ...(domainScope
              ? { domain: domainRef }
              : { project: { id: this.projectId, name: this.region, domain: domainRef } }),
            user: { name: this.opts.user, domain: domainRef },
          },
        },
      };
    }
    if (req.method === 'GET' && (req.path === '/v3/projects' || req.path === '/v3/auth/projects')) {
      if (!this.tokenValid(header(req, 'X-Auth-Token'), 'any scope'))
        return iamError(401, 'The request you have made requires authentication.', 'Unauthorized');
      return {
        status: 200,
        body: {
          projects: [
            {
              domain_id: DOMAIN_ID,
              is_domain: false,
              parent_id: DOMAIN_ID,
              name: this.region,
              description: '',
              id: this.projectId,
              enabled: true,
            },
          ],
          links: { self: `${this.iam.baseUrl}${req.path}` },
        },
      };
    }
    return iamError(404, 'The resource could not be found.', 'Not Found');
  }

  /** Unexpired, and (for VIS) scoped to this project; IAM's own reads take a domain-scoped token too. */
  private tokenValid(token: string | undefined, scope: 'project' | 'any scope' = 'project'): boolean {
    const t = token ? this.tokens.get(token) : undefined;
    return !!t && t.expiresAt > this.now() && (scope === 'any scope' || t.projectId === this.projectId);
  }

  // ---------------------------------------------------------------- router

  private async handle(req: IncomingRequest): Promise<Reply | 'handled'> {
    if (PLAYBACK_PATH.test(req.path)) return this.servePlayback(req);
    const m = /^\/v1\/([^/]+)(\/.*)?$/.exec(req.path);
    if (!m)
      return {
        status: 404,
        body: {
          error_code: 'APIGW.0101',
          error_msg: 'The API does not exist or has not been published in the environment',
        },
      };
    try {
      const caller = this.authenticate(req);
      if (m[1] !== this.projectId) visError('VIS.0002', `project_id ${m[1]} is not this project`);
      const route = m[2] ?? '/';
      const reply = this.route(req, route, caller);
      return { ...reply, headers: { 'X-request-id': requestId(), ...(reply.headers ?? {}) } };
    } catch (e) {
      if (e instanceof VisError) return { ...errorReply(e), headers: { 'X-request-id': requestId() } };
      throw e;
    }
  }

  /** Token (X-Auth-Token) or AK/SK (Authorization: SDK-HMAC-SHA256 …); returns the caller's user. */
  private authenticate(req: IncomingRequest): string {
    const token = header(req, 'X-Auth-Token');
    if (token !== undefined) {
      if (!this.tokenValid(token)) throw new VisError('VIS.0001', 'the token is invalid or has expired');
      return this.tokens.get(token)!.user;
    }
    // Credentials that were sent but do not verify, a malformed or foreign-scheme header included,
    // are a 401 (seed L3523); 403 VIS.0001 is for a request that carries none.
    const authorization = header(req, 'Authorization');
    if (authorization) {
      // AK/SK signing covers bodies up to 12 MB (seed L423); APIG answers larger ones 413 APIGW.0201.
      if (req.rawBytes.length > MAX_SIGNED_BODY)
        throw new VisError('APIGW.0201', 'Request entity too large: use token authentication above 12 MB', 413);
      this.verifySignature(req, authorization);
      return this.opts.user;
    }
    throw new VisError('VIS.0001', 'no X-Auth-Token and no AK/SK signature');
  }

  private verifySignature(req: IncomingRequest, authorization: string): void {
    const gateway = (msg: string) =>
      new VisError('APIGW.0301', `Incorrect IAM authentication information: ${msg}`, 401);
    if (!authorization.startsWith('SDK-HMAC-SHA256 ')) throw gateway('malformed Authorization header');
    const parts = Object.fromEntries(
      authorization
        .slice('SDK-HMAC-SHA256 '.length)
        .split(',')
        .map((p) => p.trim().split('=') as [string, string]),
    );
    const {
      Access: access,
      SignedHeaders: signedHeaders,
      Signature: sig,
    } = parts as Record<string, string | undefined>;
    if (!access || !signedHeaders || !sig) throw gateway('malformed Authorization header');
    if (access !== this.opts.ak) throw gateway('unknown access key');
    const date = header(req, 'X-Sdk-Date');
    const m = date ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date) : null;
    if (!m) throw gateway('X-Sdk-Date missing or not YYYYMMDDTHHMMSSZ');
    const at = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    if (Math.abs(at - this.now()) > SKEW_MS) throw gateway('X-Sdk-Date is more than 15 minutes from the server clock');
    const names = signedHeaders.split(';');
    if (!names.includes('x-sdk-date')) throw gateway('x-sdk-date must be signed');
    const headers: Record<string, string> = {};
    for (const n of names) {
      const v = header(req, n);
      if (v === undefined) throw gateway(`signed header ${n} is missing`);
      headers[n] = v;
    }
    const canonical = canonicalRequest({
      method: req.method,
      // Segment by segment, so an escaped '/' (%2F) stays inside its segment when re-escaped.
      path: req.path.split('/').map(decodeURIComponent).join('/'),
      query: req.query,
      headers,
      body: req.rawBody,
      // Huawei's signer takes a sent X-Sdk-Content-Sha256 (e.g. UNSIGNED-PAYLOAD) as the payload hash (§2.3.2).
      contentSha256: header(req, 'X-Sdk-Content-Sha256'),
    });
    const expected = visSignature(this.opts.sk, stringToSign(date!, canonical.canonicalRequest));
    const a = Buffer.from(expected);
    const b = Buffer.from(sig);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw gateway('signature does not match');
  }

  private route(req: IncomingRequest, route: string, caller: string): Reply {
    const { method } = req;
    const seg = route.split('/').filter(Boolean).map(decodeURIComponent);
    const body = () => this.body(req);
    // §4.1 subscription
    if (route === '/subscription') {
      if (method === 'POST') return this.subscribe();
      if (method === 'GET') return this.getSubscription();
    }
    if (!this.subscription.is_subscribed) visError('VIS.0004');
    // §4.2 streams
    if (seg[0] === 'streams') {
      if (seg.length === 1 && method === 'POST') return ok(this.createStream(body(), caller));
      if (seg.length === 1 && method === 'GET') return ok(this.listStreams(req));
      if (seg.length === 2 && method === 'PUT') return this.updateStream(seg[1]!, body());
      if (seg.length === 2 && method === 'DELETE') return this.deleteStream(seg[1]!);
      if (seg.length === 2 && method === 'GET') return ok(this.streamJson(this.stream(seg[1]!), { flow: true }));
      if (seg.length === 3 && seg[2] === 'retention' && method === 'PUT') return this.updateRetention(seg[1]!, body());
      if (seg.length === 3 && seg[2] === 'endpoint' && method === 'GET') return ok(this.endpoint(seg[1]!));
    }
    // §4.3 devices
    if (seg[0] === 'devices') {
      if (seg.length === 1 && method === 'POST') return ok(this.createDevices(body()));
      if (seg.length === 1 && method === 'GET')
        return ok(this.listDevices(req, [...this.devices.values()], 'management'));
      if (seg.length === 2 && method === 'GET') return ok(this.deviceJson(this.device(seg[1]!)));
      if (seg.length === 2 && method === 'DELETE') return this.deleteDevice(seg[1]!);
      if (seg.length === 3 && seg[2] === 'channel-refresh' && method === 'PUT') return this.refreshChannels(seg[1]!);
      if (seg.length === 4 && seg[2] === 'channels' && method === 'PUT')
        return this.updateChannel(seg[1]!, seg[3]!, body());
      if (seg.length === 5 && seg[2] === 'channels' && seg[4] === 'access-strategy' && method === 'PUT')
        return this.updateAccessStrategy(seg[1]!, seg[3]!, body());
    }
    // §4.4 credentials
    if (seg[0] === 'credentials' && seg[1] === 'codes') {
      if (seg.length === 2 && method === 'POST') return ok(this.createGbCredential(body()));
      if (seg.length === 2 && method === 'GET') return ok(this.listGbCredentials(req));
      if (seg.length === 3 && method === 'DELETE') return this.deleteGbCredential(seg[2]!);
      if (seg.length === 3 && method === 'PUT') return this.updateGbCredential(seg[2]!, body());
    }
    if (seg[0] === 'credentials' && seg[1] === 'aksks') {
      if (seg.length === 2 && method === 'POST') return ok(this.createAksk(body()));
      if (seg.length === 2 && method === 'GET') return ok(this.listAksks(req));
      if (seg.length === 3 && method === 'PUT') return this.updateAksk(seg[2]!, body());
      if (seg.length === 3 && method === 'DELETE') return this.deleteAksk(seg[2]!);
    }
    // §4.5 statistics
    if (seg[0] === 'operation' && seg.length === 2 && method === 'GET') return ok(this.statistics(req, seg[1]!));
    return {
      status: 404,
      body: {
        error_code: 'APIGW.0101',
        error_msg: 'The API does not exist or has not been published in the environment',
      },
    };
  }

  private body(req: IncomingRequest): Record<string, unknown> {
    if (!req.rawBody.trim()) return {};
    try {
      const parsed: unknown = JSON.parse(req.rawBody);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      /* fall through */
    }
    // The doc's only error example pairs VIS.0001 with this message (seed L3557); its table gives VIS.0001 403.
    throw new VisError('VIS.0001', 'Request body is not a valid json object.');
  }

  // ---------------------------------------------------------------- §4.1

  private subscribe(): Reply {
    if (this.subscription.is_subscribed) visError('VIS.0018');
    this.subscription.is_subscribed = true;
    this.subscription.created = this.now();
    return ok(this.subscriptionJson());
  }

  private getSubscription(): Reply {
    if (!this.subscription.is_subscribed && this.opts.unsubscribedReply === 'VIS.0015')
      visError('VIS.0015', 'the service is not subscribed for this project');
    return ok(this.subscriptionJson());
  }

  private subscriptionJson() {
    const s = this.subscription;
    s.quota.stream.used = [...this.streams.values()].filter((x) => x.access_type !== 'GB28181').length;
    s.quota.active_stream.used = [...this.streams.values()].filter((x) => x.state === 'ACTIVE').length;
    s.quota.device.used = this.devices.size;
    s.quota.password.used = this.gbCredentials.size;
    s.quota.aksk.used = this.akskCredentials.size;
    return {
      user_id: s.user_id,
      sip_ip: s.sip_ip,
      sip_port: s.sip_port,
      quota: s.quota,
      created_at: isoSeconds(s.created),
      is_subscribed: s.is_subscribed,
    };
  }

  // ---------------------------------------------------------------- §4.2 streams

  private stream(name: string): Stream {
    const s = this.streams.get(name);
    if (!s) visError('VIS.0202', `stream ${name} not found`);
    if (s.deleting) visError('VIS.0203');
    return s;
  }

  private createStream(b: Record<string, unknown>, caller: string) {
    const name = str(b.name, 'name', { required: true, pattern: /^[A-Za-z0-9_-]{1,32}$/ })!;
    const accessType = enumOf(b.access_type, 'access_type', ['HTTP-FLV', 'RTMP'], { required: true });
    const encode = str(b.encode_type, 'encode_type', { required: true })!.toUpperCase();
    if (encode === 'H265') visError('VIS.0213');
    if (encode !== 'H264') visError('VIS.0005', 'encode_type must be H264');
    const share = enumOf(b.share_type, 'share_type', ['PRIVATE', 'PUBLIC']) ?? 'PRIVATE';
    const description = str(b.description, 'description', { max: 500 }) ?? '';
    const tag = tags(b.tag);
    let url: string | undefined;
    let accessKey: string | undefined;
    if (accessType === 'HTTP-FLV') {
      url = str(b.url, 'url') ?? visError('VIS.0207', 'url is required for HTTP-FLV');
      if (!/^https?:\/\/\S+$/.test(url)) visError('VIS.0207');
    } else if (b.access_key !== undefined && b.access_key !== '') {
      accessKey = str(b.access_key, 'access_key')!;
      if (!this.akskCredentials.has(accessKey)) visError('VIS.0104', `access_key ${accessKey}`);
    }
    if (this.streams.has(name) || this.foreignStreamNames.has(name)) visError('VIS.0201');
    const q = this.subscriptionJson().quota.stream;
    if (q.used >= q.total) visError('VIS.0014', 'stream quota reached');
    const t = this.now();
    const s: Stream = {
      stream_id: `stream-${randomAlnum(8, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
      name,
      access_type: accessType!,
      encode_type: 'H264',
      ...(accessType === 'RTMP' ? { access_key: accessKey ?? '' } : { url }),
      share_type: share,
      state: 'STOPPED',
      created: t,
      updated: t,
      description,
      tag,
      owner: caller,
      deleting: false,
      bytesIn: 0,
      bytesOut: 0,
      mediaChannel: name,
    };
    this.streams.set(name, s);
    return this.streamJson(s);
  }

  private updateStream(name: string, b: Record<string, unknown>): Reply {
    const s = this.stream(name);
    if (s.access_type === 'GB28181') visError('VIS.0005', 'streams of GB28181 devices cannot be updated with this API');
    const accessType = enumOf(b.access_type, 'access_type', ['HTTP-FLV', 'RTMP']);
    const state = enumOf(b.state, 'state', ['ACTIVE', 'STOPPED']);
    if (b.encode_type !== undefined) {
      const e = str(b.encode_type, 'encode_type')!.toUpperCase();
      if (e === 'H265') visError('VIS.0213');
      if (e !== 'H264') visError('VIS.0005', 'encode_type must be H264');
    }
    if (accessType && accessType !== s.access_type && s.state === 'ACTIVE') visError('VIS.0206');
    const url = str(b.url, 'url');
    if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) visError('VIS.0207');
    const nextType = accessType ?? s.access_type;
    if (nextType === 'HTTP-FLV' && !(url ?? s.url)) visError('VIS.0207', 'url is required for HTTP-FLV');
    const accessKey = str(b.access_key, 'access_key');
    if (accessKey && !this.akskCredentials.has(accessKey)) visError('VIS.0104', `access_key ${accessKey}`);
    const description = str(b.description, 'description', { max: 500 });
    const share = enumOf(b.share_type, 'share_type', ['PRIVATE', 'PUBLIC']);
    const tag = b.tag === undefined ? undefined : tags(b.tag);
    if (state === 'ACTIVE' && s.state !== 'ACTIVE') {
      const q = this.subscriptionJson().quota.active_stream;
      if (q.used >= q.total) visError('VIS.0014', 'active stream quota reached');
    }
    if (accessType) s.access_type = accessType;
    if (url !== undefined) s.url = url;
    if (accessKey !== undefined) s.access_key = accessKey;
    if (description !== undefined) s.description = description;
    if (share) s.share_type = share;
    if (tag) s.tag = tag;
    if (state) s.state = state;
    s.updated = this.now();
    return ok({ result: 'success' });
  }

  private deleteStream(name: string): Reply {
    const s = this.stream(name);
    if (s.access_type === 'GB28181') visError('VIS.0005', 'streams of GB28181 devices follow the device lifecycle');
    this.streams.delete(name);
    return ok({ result: 'success' });
  }

  private updateRetention(name: string, b: Record<string, unknown>): Reply {
    const s = this.stream(name);
    const timezone = str(b.timezone, 'timezone', { required: true })!;
    const tz = /^GMT([+-])(\d{1,2}):00$/.exec(timezone);
    if (!tz || Number(tz[2]) > 14) visError('VIS.0005', 'timezone must look like GMT+8:00');
    const forever = bool(b.retention_forever ?? b.retention_for_ever ?? b.Retention_forever, 'retention_forever');
    let hours: number | undefined;
    if (b.retention_in_hour !== undefined) {
      hours = Number(b.retention_in_hour);
      if (
        !Number.isFinite(hours) ||
        hours < 0 ||
        hours > 87600 ||
        (typeof b.retention_in_hour !== 'number' && typeof b.retention_in_hour !== 'string')
      ) {
        visError('VIS.0005', 'retention_in_hour must be 0–87600');
      }
    }
    const storeType = b.store_type === undefined ? undefined : str(b.store_type, 'store_type')!.toUpperCase();
    if (storeType !== undefined && storeType !== 'OBS') visError('VIS.0005', 'store_type must be obs');
    const bucket = str(b.bucket, 'bucket');
    const path = str(b.path, 'path');
    const slice = b.slice_in_minute === undefined ? undefined : int(b.slice_in_minute, 'slice_in_minute', 1, 60);
    const state = enumOf(b.state, 'state', ['ACTIVE', 'STOPPED']);
    const first = !s.retention;
    if (first) {
      if (hours === undefined && !forever) visError('VIS.0005', 'retention_in_hour is required the first time');
      if (!storeType) visError('VIS.0005', 'store_type is required the first time');
    }
    if ((storeType ?? s.retention?.store_type) === 'OBS' && first && (bucket === undefined || path === undefined))
      visError('VIS.0005', 'bucket and path are required for obs');
    if (bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) visError('VIS.0209', 'bucket name');
    if (path !== undefined && (path.startsWith('/') || path.includes('..'))) visError('VIS.0209');
    if (!this.opts.obsAuthorized) visError('VIS.0208');
    const next: Retention = {
      retention_in_hour: hours ?? s.retention?.retention_in_hour ?? 0,
      retention_forever: forever ?? s.retention?.retention_forever ?? false,
      store_type: storeType ?? s.retention?.store_type ?? 'OBS',
      bucket: bucket ?? s.retention?.bucket ?? '',
      path: path ?? s.retention?.path ?? '',
      timezone: `GMT${tz![1]}${tz![2]!.padStart(2, '0')}:00`,
      slice_in_minute: slice ?? s.retention?.slice_in_minute ?? 5,
      state: state ?? s.retention?.state ?? 'STOPPED',
    };
    if (s.retention?.state === 'ACTIVE') {
      const { state: _a, ...before } = s.retention;
      const { state: _b, ...after } = next;
      if (JSON.stringify(before) !== JSON.stringify(after)) visError('VIS.0205');
    }
    s.retention = next;
    s.updated = this.now();
    return ok({ result: 'success' });
  }

  private listStreams(req: IncomingRequest) {
    const q = new URLSearchParams(req.url.search);
    let list = [...this.streams.values()].filter((s) => !s.deleting);
    const name = q.get('name');
    if (name) list = list.filter((s) => s.name.toLowerCase().includes(name.toLowerCase()));
    const state = q.has('stream_state')
      ? enumOf(q.get('stream_state'), 'stream_state', ['ACTIVE', 'STOPPED'])
      : undefined;
    if (state) list = list.filter((s) => s.state === state);
    const rstate = q.has('retention_state')
      ? enumOf(q.get('retention_state'), 'retention_state', ['ACTIVE', 'STOPPED'])
      : undefined;
    if (rstate) list = list.filter((s) => (s.retention?.state ?? 'STOPPED') === rstate);
    return mapPaged(
      page(
        q,
        list,
        'management',
        ['encode_type', 'access_type', 'share_type', 'created_at', 'name', 'state', 'retention_state'],
        (s, key) =>
          key === 'created_at'
            ? s.created
            : key === 'retention_state'
              ? (s.retention?.state ?? 'STOPPED')
              : String((s as unknown as Record<string, unknown>)[key] ?? ''),
      ),
      (s) => this.streamJson(s),
    );
  }

  private publishing(s: Stream): boolean {
    if (this.silent.has(s.name)) return false;
    if (s.access_type === 'GB28181') {
      const ch = this.channelOfStream(s.name);
      return ch?.invitation_status === 'INVITE_SUCCESS';
    }
    return s.state === 'ACTIVE' && !!this.opts.media;
  }

  private streamJson(s: Stream, opts: { flow?: boolean } = {}) {
    const out: Record<string, unknown> = {
      stream_id: s.stream_id,
      name: s.name,
      access_type: s.access_type,
      encode_type: s.encode_type,
      ...(s.access_type === 'RTMP' || s.access_type === 'GB28181' ? { access_key: s.access_key ?? '' } : {}),
      ...(s.access_type === 'HTTP-FLV' ? { url: s.url } : {}),
      ...(s.access_type === 'GB28181' ? { transfer_protocol: s.transfer_protocol ?? 'UDP' } : {}),
      share_type: s.share_type,
      state: s.state,
      retention_state: s.retention?.state ?? 'STOPPED',
      created_at: isoSeconds(s.created),
      updated_at: isoSeconds(s.updated),
      description: s.description,
      tag: s.tag,
    };
    if (s.retention) out.retention = { ...s.retention };
    if (opts.flow) {
      const live = this.publishing(s);
      const mb = (n: number) => `${(n / 1e6).toFixed(3)} MB`;
      out.stream_flow_info = live
        ? {
            is_publishing: true,
            bw_in: '512.000 Kb/s',
            bw_out: `${512 * (this.viewers.get(s.name) ?? 0)} Kb/s`,
            bw_video: '512.000 Kb/s',
            bw_audio: '0 Kb/s',
            bytes_in: mb(s.bytesIn + (this.now() - s.updated) * 64),
            bytes_out: mb(s.bytesOut),
            num_play_clients: String(this.viewers.get(s.name) ?? 0),
            meta: { video: { codec: s.encode_type || 'H264', width: '1280', height: '720' } },
          }
        : { is_publishing: false, bytes_in: mb(s.bytesIn), bytes_out: mb(s.bytesOut) };
    }
    return out;
  }

  private endpoint(name: string) {
    const s = this.stream(name);
    if (s.state !== 'ACTIVE') visError('VIS.0204');
    const host = `${this.mediaHost}:${this.api.port}`;
    const h265 = s.encode_type === 'H265';
    const node = this.nodeName();
    return {
      ...(h265
        ? { hls_pull_flow_address: `http://${host}/hls/${node}/${encodeURIComponent(s.name)}.m3u8` }
        : { pull_flow_address: `http://${host}/live/${node}?app=vis&stream=${encodeURIComponent(s.name)}` }),
      push_flow_protocol: s.access_type === 'GB28181' ? 'GB28181' : 'RTMP',
      push_flow_address: s.access_type === 'GB28181' ? this.subscription.sip_ip : `rtmp://127.0.0.1:1935/vis/${s.name}`,
    };
  }

  /**
   * Playback: at most 5 viewers per stream (§1.4). A PRIVATE stream (§4.2.1: the default share
   * type; §4.2.3 or setShareType change it) answers every media request — FLV, HLS playlist and
   * segment — without a valid X-Auth-Token of the stream's creator with 401 and a plain-text body
   * (the document names the header, not the refusal; a token does not go in the URL).
   */
  private async servePlayback(req: IncomingRequest): Promise<Reply | 'handled'> {
    const node = this.nodeName();
    // An address of a media node the streams moved away from (relocateMedia) no longer answers.
    if (!req.path.startsWith(`/live/${node}`) && !req.path.startsWith(`/hls/${node}/`))
      return {
        status: 404,
        text: 'stream not found on this media node',
        headers: { 'Access-Control-Allow-Origin': '*' },
      };
    const prefix = `/hls/${node}/`;
    const hls = req.path.startsWith(prefix);
    const name = hls
      ? decodeURIComponent(req.path.slice(prefix.length).replace(/\.m3u8$|\/.*$/, ''))
      : (req.url.searchParams.get('stream') ?? '');
    const s = this.streams.get(name);
    if (!s || s.state !== 'ACTIVE') return { status: 404, text: 'stream not active' };
    if (s.share_type === 'PRIVATE') {
      const token = header(req, 'X-Auth-Token');
      if (!this.tokenValid(token) || this.tokens.get(token!)!.user !== s.owner)
        return {
          status: 401,
          text: 'PRIVATE stream: X-Auth-Token of the creator required',
          headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Access-Control-Allow-Origin': '*' },
        };
    }
    if (!this.publishing(s) || !this.opts.media) return { status: 503, text: 'no media is flowing for this stream' };
    const channel = this.simulatedChannel(s);
    const upstream = hls ? this.opts.media.hls(channel) : this.opts.media.flv(channel);
    if (!hls) {
      const count = this.viewers.get(name) ?? 0;
      if (count >= MAX_VIEWERS) return { status: 403, text: 'at most 5 simultaneous playback connections per stream' };
      this.viewers.set(name, count + 1);
      req.res.on('close', () => this.viewers.set(name, Math.max(0, (this.viewers.get(name) ?? 1) - 1)));
    }
    const segment = hls && req.path.includes('/', prefix.length);
    const target = segment ? new URL(req.path.split('/').slice(4).join('/'), upstream).toString() : upstream;
    if (hls && !segment) {
      // The documented address is /hls/work001/{name}.m3u8: the media's relative segment URIs are
      // rewritten under /hls/work001/{name}/ so that they come back here, to this stream.
      const up = await fetch(upstream).catch(() => null);
      if (!up?.ok) return { status: 502, text: 'upstream media unavailable' };
      const text = (await up.text())
        .split('\n')
        .map((l) => (l && !l.startsWith('#') && !/^[a-z]+:/i.test(l) ? `${encodeURIComponent(name)}/${l}` : l))
        .join('\n');
      return {
        status: 200,
        text,
        headers: { 'Content-Type': 'application/vnd.apple.mpegurl', 'Access-Control-Allow-Origin': '*' },
      };
    }
    this.playing.set(req.res, name);
    req.res.on('close', () => this.playing.delete(req.res));
    proxy(target, req.res);
    return 'handled';
  }

  private nodeName(): string {
    return `work${String(this.mediaNode).padStart(3, '0')}`;
  }

  /**
   * Test control: the streams move to another media node, as a disaster-recovery switch does
   * (§4.2.7: "the pull address may change, which invalidates addresses already fetched"). Every
   * playback address handed out so far answers 404; open connections end (the node they came
   * from is gone); endpoint (§4.2.7) hands out the new node's.
   */
  relocateMedia(): { node: string; closed: number } {
    this.mediaNode = (this.mediaNode % 999) + 1;
    const closed = this.playing.size;
    for (const res of [...this.playing.keys()]) res.destroy();
    return { node: this.nodeName(), closed };
  }

  /**
   * Test control: the camera behind stream `name` goes offline or comes back. A GB28181 channel
   * that is invited drops its media (§3.13: INVITE_SUCCESS → TEMPORARY_OFFLINE, and back once it
   * recovers); an RTMP or HTTP-FLV stream's source stops (it stays ACTIVE, `is_publishing` false).
   * Either way its playback connections end, and playback asks answer 503 until it is back.
   */
  setCameraOnline(name: string, online: boolean): { name: string; closed: number } {
    const s = this.stream(name);
    const ch = s.access_type === 'GB28181' ? this.channelOfStream(name) : undefined;
    if (ch) {
      if (!online && ch.invitation_status === 'INVITE_SUCCESS') ch.invitation_status = 'TEMPORARY_OFFLINE';
      if (online && ch.invitation_status === 'TEMPORARY_OFFLINE') ch.invitation_status = 'INVITE_SUCCESS';
      ch.updated = this.now();
    }
    if (online) this.silent.delete(name);
    else this.silent.add(name);
    let closed = 0;
    if (!online)
      for (const [res, n] of [...this.playing])
        if (n === name) {
          res.destroy();
          closed++;
        }
    return { name, closed };
  }

  /** The simulated camera behind a stream: one whose codec is the stream's encode_type, where the media says codecs. */
  private simulatedChannel(s: Stream): string {
    const media = this.opts.media!;
    const own = s.mediaChannel ?? s.name;
    if (!media.channels?.length || !media.codec) return own;
    if (media.channels.includes(own)) return own;
    const want = s.encode_type === 'H265' ? 'h265' : 'h264';
    const same = media.channels.filter((c) => media.codec!(c) === want);
    const pool = same.length ? same : media.channels;
    // Spread the streams over the pool, the same camera for a stream every time.
    let h = 0;
    for (const ch of s.name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return pool[h % pool.length]!;
  }

  // ---------------------------------------------------------------- §4.3 devices

  private device(id: string): Device {
    const d = this.devices.get(id);
    if (!d) visError('VIS.0302', `device ${id}`);
    return d;
  }

  private channel(d: Device, channelId: string): Channel {
    const c = d.channels.find((x) => x.channel_id === channelId);
    if (!c) visError('VIS.0304', `channel ${channelId}`);
    return c;
  }

  private channelOfStream(name: string): Channel | undefined {
    for (const d of this.devices.values()) for (const c of d.channels) if (c.stream_name === name) return c;
    return undefined;
  }

  private nextDeviceId(type: 'IPC' | 'NVR'): string {
    // 20 digits; digits 11–13 are the GB/T 28181 type: 132 = IPC, 118 = NVR (spec §3.6)
    let id: string;
    do id = `3402000000${type === 'NVR' ? '118' : '132'}${String(++this.seq).padStart(7, '0')}`;
    while (this.devices.has(id));
    return id;
  }

  private createDevices(b: Record<string, unknown>) {
    const type = enumOf(b.type, 'type', ['IPC', 'NVR'], { required: true })!;
    const username = str(b.username, 'username', { required: true })!;
    const quantity = b.quantity === undefined ? 1 : int(b.quantity, 'quantity', 1, Number.MAX_SAFE_INTEGER);
    const description = str(b.description, 'description', { max: 500 });
    const suffix = str(b.suffix, 'suffix', { pattern: /^[A-Za-z0-9_-]{0,30}$/ });
    if (!this.gbCredentials.has(username)) visError('VIS.0102', `credential ${username}`);
    const q = this.subscriptionJson().quota.device;
    if (quantity > q.total - q.used) visError('VIS.0014', 'device quota');
    const ids: string[] = [];
    for (let i = 0; i < quantity; i++) {
      const d = this.newDevice(this.nextDeviceId(type), type, username, suffix || null, description ?? null);
      ids.push(d.device_id);
      if (this.opts.registerAfterMs !== null)
        // A device deleted while still UNREGISTERED (§4.3.7 allows it) never registers.
        this.later(this.opts.registerAfterMs, () => {
          if (this.devices.get(d.device_id) === d) this.registerDevice(d.device_id);
        });
    }
    return { device_id_list: ids };
  }

  private newDevice(
    id: string,
    type: 'IPC' | 'NVR',
    username: string,
    suffix: string | null,
    description: string | null,
  ): Device {
    const t = this.now();
    const d: Device = {
      device_id: id,
      type,
      // An ANONYMOUS credential's device registers with its own ID (seed L2107) but stays bound to the credential.
      username: this.gbCredentials.get(username)?.type === 'ANONYMOUS' ? id : username,
      credential: username,
      suffix,
      description,
      state: 'UNREGISTERED',
      channels_query: 'IDEL',
      channels: [],
      created: t,
      updated: t,
      firstOnlineAt: null,
      lastOnlineAt: null,
      lastOfflineAt: null,
      everSentData: false,
      nvrChannelCount: 4,
      encode: 'H264',
    };
    if (type === 'IPC') d.channels.push(this.newChannel(d, id));
    this.devices.set(id, d);
    return d;
  }

  private newChannel(d: Device, channelId: string): Channel {
    const t = this.now();
    return {
      device_id: d.device_id,
      channel_id: channelId,
      stream_name: '',
      suffix: d.suffix ?? '',
      invitation_status: d.state === 'ONLINE' ? 'ONLINE' : 'UNREGISTERED',
      tcp_priority: 'FALSE',
      tcp_support: d.type === 'IPC' ? 'TRUE' : 'FALSE',
      created: t,
      updated: t,
      packetsReceived: 0,
      packetsExpected: 0,
      deliveredToday: false,
    };
  }

  private streamNameFor(d: Device, c: Channel): string {
    const base = d.type === 'IPC' ? `channel_${d.device_id}` : `channel_${d.device_id}_${c.channel_id}`;
    return c.suffix ? `${base}_${c.suffix}` : base;
  }

  /** The linked GB28181 stream VIS creates when a channel registers. */
  private linkStream(d: Device, c: Channel): void {
    if (c.stream_name && this.streams.has(c.stream_name)) return;
    const name = this.streamNameFor(d, c);
    const t = this.now();
    this.streams.set(name, {
      stream_id: `stream-${randomAlnum(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
      name,
      access_type: 'GB28181',
      encode_type: d.encode,
      access_key: '',
      transfer_protocol: c.tcp_priority === 'TRUE' ? 'TCP' : 'UDP',
      share_type: 'PUBLIC',
      state: 'STOPPED',
      created: t,
      updated: t,
      description: '',
      tag: [],
      owner: this.opts.user,
      deleting: false,
      bytesIn: 0,
      bytesOut: 0,
      mediaChannel: c.channel_id,
    });
    c.stream_name = name;
  }

  /**
   * Test control: a stream's share type, for any stream (a GB28181 channel's too, which §4.2.3
   * cannot change). Playback of a PRIVATE stream needs the creator's X-Auth-Token (servePlayback).
   */
  setShareType(name: string, share: 'PRIVATE' | 'PUBLIC'): { name: string; share_type: string } {
    const s = this.streams.get(name);
    if (!s) throw new Error(`no stream ${name}`);
    s.share_type = share;
    return { name, share_type: share };
  }

  /** Simulated SIP REGISTER (also a control action for tests). */
  registerDevice(id: string) {
    const d = this.device(id);
    const t = this.now();
    d.state = 'ONLINE';
    d.updated = t;
    d.firstOnlineAt ??= t;
    d.lastOnlineAt = t;
    if (d.type === 'NVR' && d.channels.length === 0) this.materialiseNvrChannels(d);
    for (const c of d.channels) {
      if (c.invitation_status === 'UNREGISTERED' || c.invitation_status === 'OFFLINE') c.invitation_status = 'ONLINE';
      c.updated = t;
      this.linkStream(d, c);
    }
    return this.deviceJson(d);
  }

  /** Simulated registration loss. */
  dropDevice(id: string) {
    const d = this.device(id);
    d.state = 'OFFLINE';
    d.lastOfflineAt = this.now();
    for (const c of d.channels) {
      c.invitation_status = 'OFFLINE';
      const s = this.streams.get(c.stream_name);
      if (s) s.state = 'STOPPED';
    }
    return this.deviceJson(d);
  }

  private materialiseNvrChannels(d: Device): void {
    for (let i = 1; i <= d.nvrChannelCount; i++) {
      const channelId = `${d.device_id.slice(0, 10)}131${String(i).padStart(7, '0')}`;
      if (!d.channels.some((c) => c.channel_id === channelId)) d.channels.push(this.newChannel(d, channelId));
    }
    d.channels_query = 'QUERIED';
  }

  private updateChannel(deviceId: string, channelId: string, b: Record<string, unknown>): Reply {
    const d = this.device(deviceId);
    const c = this.channel(d, channelId);
    const state = enumOf(b.state, 'state', ['ACTIVE', 'STOPPED'], { required: true })!;
    const tcp = enumOf(b.tcp_priority, 'tcp_priority', ['TRUE', 'FALSE']);
    const suffix = str(b.suffix, 'suffix', { pattern: /^[A-Za-z0-9_-]{0,30}$/ });
    if (tcp !== undefined && d.type === 'NVR') visError('VIS.0313');
    if (suffix !== undefined && !['UNREGISTERED', 'ONLINE', 'OFFLINE'].includes(c.invitation_status)) {
      visError('VIS.0005', 'the suffix can change only while the channel is UNREGISTERED, ONLINE or OFFLINE');
    }
    const settingsOnly = suffix !== undefined || tcp !== undefined;
    const t = this.now();
    if (state === 'ACTIVE') {
      if (c.access_strategy?.state === 'ACTIVE') visError('VIS.0310');
      if (c.invitation_status !== 'ONLINE') visError('VIS.0308');
      const q = this.subscriptionJson().quota.active_stream;
      if (q.used >= q.total) visError('VIS.0014', 'active stream quota');
    } else {
      const invited =
        c.invitation_status === 'INVITE_SUCCESS' ||
        c.invitation_status === 'INVITING' ||
        c.invitation_status === 'TEMPORARY_OFFLINE';
      if (invited && c.access_strategy?.state === 'ACTIVE') visError('VIS.0310');
      if (!invited && !settingsOnly) visError('VIS.0309');
    }
    if (tcp !== undefined) c.tcp_priority = tcp;
    if (suffix !== undefined && suffix !== c.suffix) {
      c.suffix = suffix;
      const old = this.streams.get(c.stream_name);
      if (old) {
        this.streams.delete(old.name);
        old.name = this.streamNameFor(d, c);
        this.streams.set(old.name, old);
        c.stream_name = old.name;
      }
    }
    c.updated = t;
    if (state === 'ACTIVE') this.invite(d, c);
    else if (
      c.invitation_status !== 'ONLINE' &&
      c.invitation_status !== 'UNREGISTERED' &&
      c.invitation_status !== 'OFFLINE'
    )
      this.cancel(c);
    return ok({ result: 'success' });
  }

  private invite(d: Device, c: Channel): void {
    this.linkStream(d, c);
    c.invitation_status = 'INVITING';
    this.later(this.opts.inviteAfterMs, () => {
      if (c.invitation_status !== 'INVITING') return;
      c.invitation_status = 'INVITE_SUCCESS';
      c.deliveredToday = true;
      c.packetsExpected += 4511;
      c.packetsReceived += 4511;
      d.everSentData = true;
      const s = this.streams.get(c.stream_name);
      if (s) {
        s.state = 'ACTIVE';
        s.transfer_protocol = c.tcp_priority === 'TRUE' && c.tcp_support === 'TRUE' ? 'TCP' : 'UDP';
        s.updated = this.now();
      }
    });
  }

  private cancel(c: Channel): void {
    c.invitation_status = 'CANCELING';
    const s = this.streams.get(c.stream_name);
    if (s) s.state = 'STOPPED';
    this.later(this.opts.inviteAfterMs, () => {
      if (c.invitation_status === 'CANCELING') c.invitation_status = 'ONLINE';
    });
  }

  private updateAccessStrategy(deviceId: string, channelId: string, b: Record<string, unknown>): Reply {
    const d = this.device(deviceId);
    const c = this.channel(d, channelId);
    const prev = c.access_strategy;
    const randomStrategy =
      enumOf(b.random_strategy, 'random_strategy', ['RANDOM', 'CONSECUTIVE']) ?? prev?.random_strategy ?? 'RANDOM';
    const periodicity = enumOf(b.periodicity, 'periodicity', ['ONCE', 'DAY']) ?? prev?.periodicity ?? 'DAY';
    const state = enumOf(b.state, 'state', ['ACTIVE', 'STOPPED']) ?? prev?.state ?? 'STOPPED';
    const start = b.start_time === undefined ? prev?.start_time : clock(b.start_time, 'start_time', 10, 23 * 60 + 40);
    // §4.3.4: end_time "采集类型为CONSECUTIVE时，该参数被忽略" — read (and checked) for RANDOM only.
    const end =
      randomStrategy !== 'RANDOM' || b.end_time === undefined
        ? prev?.end_time
        : clock(b.end_time, 'end_time', 10, 23 * 60 + 50);
    const total = b.total_length === undefined ? prev?.total_length : int(b.total_length, 'total_length', 10, 24 * 60);
    if (start === undefined) visError('VIS.0005', 'start_time is required the first time');
    if (total === undefined) visError('VIS.0005', 'total_length is required the first time');
    if (total % 10 !== 0) visError('VIS.0005', 'total_length must be a multiple of 10');
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
    if (randomStrategy === 'RANDOM') {
      if (end === undefined) visError('VIS.0005', 'end_time is required for RANDOM');
      if (minutes(end) <= minutes(start)) visError('VIS.0005', 'end_time must be later than start_time');
      if (minutes(start) + total > minutes(end))
        visError('VIS.0005', 'start_time + total_length must not exceed end_time');
      if (total > this.subscription.quota.random_access_time.total) visError('VIS.0014', 'random_access_time quota');
    } else {
      if (minutes(start) + total > 24 * 60) visError('VIS.0005', 'a CONSECUTIVE strategy cannot cross midnight');
      if (total > this.subscription.quota.consecutive_access_time.total)
        visError('VIS.0014', 'consecutive_access_time quota');
    }
    const next: AccessStrategy = {
      start_time: start,
      end_time: end ?? prev?.end_time ?? '',
      periodicity,
      total_length: total,
      state,
      random_strategy: randomStrategy,
    };
    c.access_strategy = next;
    c.updated = this.now();
    return ok({ result: 'success' });
  }

  private refreshChannels(id: string): Reply {
    const d = this.device(id);
    if (d.type !== 'NVR' || d.channels_query === 'QUERYING') visError('VIS.0311');
    if (d.state !== 'ONLINE') visError('VIS.0312');
    d.channels_query = 'QUERYING';
    this.later(this.opts.refreshAfterMs, () => {
      if (d.state !== 'ONLINE') {
        d.channels_query = 'IDEL';
        return;
      }
      this.materialiseNvrChannels(d);
      for (const c of d.channels) {
        if (c.invitation_status === 'UNREGISTERED') c.invitation_status = 'ONLINE';
        this.linkStream(d, c);
      }
    });
    return ok({ result: 'success' });
  }

  private deleteDevice(id: string): Reply {
    const d = this.device(id);
    if (d.state === 'ONLINE') visError('VIS.0303');
    if (
      d.channels.some((c) =>
        ['ONLINE', 'INVITING', 'INVITE_SUCCESS', 'CANCELING', 'TEMPORARY_OFFLINE'].includes(c.invitation_status),
      )
    )
      visError('VIS.0307');
    for (const c of d.channels) this.streams.delete(c.stream_name);
    this.devices.delete(id);
    return ok({ result: 'success' });
  }

  private channelJson(c: Channel, kind: 'management' | 'statistics' = 'management') {
    // The §4.5 tables name an enabled strategy STARTED (seed L2714), §4.3.3 names it ACTIVE.
    const strategy = c.access_strategy && {
      ...c.access_strategy,
      state: kind === 'statistics' && c.access_strategy.state === 'ACTIVE' ? 'STARTED' : c.access_strategy.state,
    };
    return {
      device_id: c.device_id,
      channel_id: c.channel_id,
      stream_id: this.streams.get(c.stream_name)?.stream_id ?? '',
      stream_name: c.stream_name,
      suffix: c.suffix,
      invitation_status: c.invitation_status,
      tcp_priority: c.tcp_priority,
      tcp_support: c.tcp_support,
      ...(strategy ? { access_strategy: strategy } : {}),
      created_at: isoSeconds(c.created),
      updated_at: isoSeconds(c.updated),
    };
  }

  private deviceJson(d: Device, kind: 'management' | 'statistics' = 'management') {
    return {
      device_id: d.device_id,
      channels_query: d.channels_query,
      state: d.state,
      type: d.type,
      username: d.username,
      suffix: d.suffix,
      channels: d.channels.map((c) => this.channelJson(c, kind)),
      description: d.description,
      created_at: isoSeconds(d.created),
      updated_at: isoSeconds(d.updated),
    };
  }

  /** The device filters of §4.3.3 and §4.5.1–§4.5.7: device_id (fuzzy), type, state (case-insensitive). */
  private filterDevices(q: URLSearchParams, devices: Device[]): Device[] {
    let list = devices;
    const id = q.get('device_id');
    if (id) list = list.filter((d) => d.device_id.includes(id));
    const type = q.has('type') ? enumOf(q.get('type'), 'type', ['IPC', 'NVR']) : undefined;
    if (type) list = list.filter((d) => d.type === type);
    const state = q.has('state') ? enumOf(q.get('state'), 'state', ['UNREGISTERED', 'ONLINE', 'OFFLINE']) : undefined;
    if (state) list = list.filter((d) => d.state === state);
    return list;
  }

  private listDevices(req: IncomingRequest, devices: Device[], kind: 'management' | 'statistics') {
    const q = new URLSearchParams(req.url.search);
    const list = this.filterDevices(q, devices);
    return mapPaged(
      page(q, list, kind, ['device_id', 'username', 'created_at', 'updated_at'], (d, key) =>
        key === 'created_at'
          ? d.created
          : key === 'updated_at'
            ? d.updated
            : key === 'username'
              ? d.username
              : d.device_id,
      ),
      (d) => this.deviceJson(d, kind),
    );
  }

  // ---------------------------------------------------------------- §4.4 credentials

  private createGbCredential(b: Record<string, unknown>) {
    const type = enumOf(b.type, 'type', ['NORMAL', 'ANONYMOUS']) ?? 'NORMAL';
    // username is required for NORMAL and ignored for ANONYMOUS (seed L2106): an anonymous one gets a generated name.
    let username: string;
    if (type === 'ANONYMOUS') {
      do username = `anon${randomAlnum(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
      while (this.gbCredentials.has(username));
    } else {
      username =
        str(b.username, 'username', { pattern: /^[A-Za-z0-9]{1,32}$/ }) ??
        visError('VIS.0005', 'username is required for NORMAL credentials');
    }
    const password = str(b.password, 'password', { required: true })!;
    const description = str(b.description, 'description', { max: 500 }) ?? '';
    if (type === 'NORMAL' && (password === username || password === [...username].reverse().join('')))
      visError('VIS.0105');
    if (!passwordOk(password, 8, 3, '@#_*'))
      visError('VIS.0005', 'password: 8–32 characters with 3 of upper, lower, digit, @#_*');
    if (this.gbCredentials.has(username)) visError('VIS.0101');
    if (this.gbCredentials.size >= this.subscription.quota.password.total) visError('VIS.0014', 'password quota');
    const t = this.now();
    const c: GbCredential = { username, password, type, description, created: t, updated: t };
    this.gbCredentials.set(username, c);
    return gbJson(c);
  }

  private listGbCredentials(req: IncomingRequest) {
    const q = new URLSearchParams(req.url.search);
    let list = [...this.gbCredentials.values()];
    const u = q.get('username');
    if (u) list = list.filter((c) => c.username.toLowerCase().includes(u.toLowerCase()));
    const type = q.has('type') ? enumOf(q.get('type'), 'type', ['NORMAL', 'ANONYMOUS']) : undefined;
    if (type) list = list.filter((c) => c.type === type);
    return mapPaged(
      page(q, list, 'management', ['username', 'created_at', 'updated_at'], (c, key) =>
        key === 'username' ? c.username : key === 'updated_at' ? c.updated : c.created,
      ),
      gbJson,
    );
  }

  private deleteGbCredential(username: string): Reply {
    if (!this.gbCredentials.has(username)) visError('VIS.0102');
    if ([...this.devices.values()].some((d) => d.credential === username)) visError('VIS.0108');
    this.gbCredentials.delete(username);
    return ok({ result: 'success' });
  }

  private updateGbCredential(username: string, b: Record<string, unknown>): Reply {
    const c = this.gbCredentials.get(username) ?? visError('VIS.0102');
    const description = str(b.description, 'description', { max: 500 });
    const newPassword = str(b.new_password, 'new_password');
    if (newPassword !== undefined) {
      const current = str(b.password, 'password');
      if (current !== c.password) visError('VIS.0106');
      if (newPassword === username || newPassword === [...username].reverse().join('')) visError('VIS.0105');
      if (newPassword === c.password) visError('VIS.0005', 'new_password must differ from the old password');
      if (!passwordOk(newPassword, 6, 2, '@#_\\-*'))
        visError('VIS.0005', 'new_password: 6–32 characters with 2 of upper, lower, digit, @#_-*');
      const inUse = [...this.devices.values()].some(
        (d) => d.credential === username && d.channels.some((ch) => ch.invitation_status === 'INVITE_SUCCESS'),
      );
      if (inUse) visError('VIS.0109');
      c.password = newPassword;
    }
    if (description !== undefined) c.description = description;
    c.updated = this.now();
    return ok({ result: 'success' });
  }

  private aksk(keyOrName: string): AkskCredential {
    const byKey = this.akskCredentials.get(keyOrName);
    if (byKey) return byKey;
    // §4.4.6's example puts the credential name where {access_key} belongs: accept either.
    const byName = [...this.akskCredentials.values()].find((c) => c.name === keyOrName);
    return byName ?? visError('VIS.0104');
  }

  private createAksk(b: Record<string, unknown>) {
    const name = str(b.name, 'name', { required: true, pattern: /^[A-Za-z0-9_-]{1,32}$/ })!;
    const description = str(b.description, 'description', { max: 500 }) ?? '';
    if ([...this.akskCredentials.values()].some((c) => c.name === name)) visError('VIS.0103');
    if (this.akskCredentials.size >= this.subscription.quota.aksk.total) visError('VIS.0014', 'aksk quota');
    const t = this.now();
    const c: AkskCredential = {
      name,
      access_key: randomAlnum(32),
      secret_key: randomAlnum(64),
      description,
      created: t,
      updated: t,
    };
    this.akskCredentials.set(c.access_key, c);
    return {
      name,
      access_key: c.access_key,
      secret_key: c.secret_key,
      description,
      created_at: isoSeconds(t),
      updated_at: isoSeconds(t),
    };
  }

  private updateAksk(keyOrName: string, b: Record<string, unknown>): Reply {
    const c = this.aksk(keyOrName);
    const name = str(b.name, 'name', { pattern: /^[A-Za-z0-9_-]{1,32}$/ });
    const description = str(b.description ?? b.Description, 'description', { max: 500 });
    if (name !== undefined && name !== c.name && [...this.akskCredentials.values()].some((x) => x.name === name))
      visError('VIS.0103');
    if (name !== undefined) c.name = name;
    c.description = description ?? '';
    c.updated = this.now();
    return ok({ result: 'success' });
  }

  private listAksks(req: IncomingRequest) {
    const q = new URLSearchParams(req.url.search);
    let list = [...this.akskCredentials.values()];
    const name = q.get('name');
    if (name) list = list.filter((c) => c.name.toLowerCase().includes(name.toLowerCase()));
    const ak = q.get('access_key');
    if (ak) list = list.filter((c) => c.access_key.includes(ak));
    return mapPaged(
      page(q, list, 'management', ['name', 'access_key', 'created_at', 'updated_at'], (c, key) =>
        key === 'name' ? c.name : key === 'access_key' ? c.access_key : key === 'updated_at' ? c.updated : c.created,
      ),
      (c) => ({
        name: c.name,
        access_key: c.access_key,
        description: c.description,
        created_at: String(c.created),
        updated_at: String(c.updated),
      }),
    );
  }

  private deleteAksk(keyOrName: string): Reply {
    const c = this.aksk(keyOrName);
    if ([...this.streams.values()].some((s) => s.access_key === c.access_key)) visError('VIS.0107');
    this.akskCredentials.delete(c.access_key);
    return this.opts.deleteAkskStatus === 204 ? { status: 204 } : ok({ result: 'success' });
  }

  // ---------------------------------------------------------------- §4.5 statistics

  private statistics(req: IncomingRequest, name: string) {
    const now = this.now();
    const dayStart = this.startOfToday(now);
    const threeDays = 3 * 86400_000;
    const all = [...this.devices.values()];
    const lists: Record<string, (d: Device) => boolean> = {
      pastOnlineDeviceList: (d) => d.firstOnlineAt !== null,
      todayNewOnlineDeviceList: (d) => d.firstOnlineAt !== null && d.firstOnlineAt >= dayStart,
      todayDroppedDeviceList: (d) => d.state === 'OFFLINE' && d.lastOfflineAt !== null && d.lastOfflineAt >= dayStart,
      longTermOfflineDeviceList: (d) =>
        d.state === 'OFFLINE' && d.lastOfflineAt !== null && now - d.lastOfflineAt > threeDays,
      shortTermOfflineDeviceList: (d) =>
        d.state === 'OFFLINE' && d.lastOnlineAt !== null && now - d.lastOnlineAt <= threeDays,
      notSendDataDeviceList: (d) => d.firstOnlineAt !== null && !d.everSentData,
    };
    if (name === 'todayPacketReceivedRateDeviceList') {
      const q = new URLSearchParams(req.url.search);
      // §4.5.7 documents the same device_id / type / state filters as the other statistics lists.
      const entries = this.filterDevices(q, all).flatMap((d) =>
        d.channels.filter((c) => c.deliveredToday).map((c) => ({ device: d, c })),
      );
      const paged = page(q, entries, 'statistics', ['device_id', 'username', 'created_at', 'updated_at'], (e, key) =>
        key === 'created_at'
          ? e.c.created
          : key === 'updated_at'
            ? e.c.updated
            : key === 'username'
              ? e.device.username
              : e.device.device_id,
      );
      // §4.5.7 always answers in the pagination shape (its only example).
      const items = Array.isArray(paged) ? paged : paged.entries;
      return {
        total: entries.length,
        entries: items.map(({ device, c }) => ({
          device_id: device.device_id,
          channel_id: c.channel_id,
          created_at: isoSeconds(c.created),
          updated_at: isoSeconds(c.updated),
          state: device.state,
          packet_received_rate: `${c.packetsReceived}/${c.packetsExpected}`,
        })),
      };
    }
    const filter = lists[name];
    if (!filter) return visError('VIS.0005', `unknown statistics list ${name}`);
    return this.listDevices(req, all.filter(filter), 'statistics');
  }

  private startOfToday(now: number): number {
    const offset = this.opts.statsZoneMinutes * 60_000;
    return Math.floor((now + offset) / 86400_000) * 86400_000 - offset;
  }

  // ---------------------------------------------------------------- seed

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private addSeedDevice(
    type: 'IPC' | 'NVR',
    state: Device['state'],
    history: {
      everOnlineDaysAgo?: number;
      offlineDaysAgo?: number;
      sentData?: boolean;
      invited?: boolean;
      firstOnlineToday?: boolean;
    },
    username = 'site01',
    encode: 'H264' | 'H265' = 'H264',
  ): Device {
    const now = this.now();
    const d = this.newDevice(this.nextDeviceId(type), type, username, null, `${type} seeded by the emulator`);
    d.encode = encode;
    d.created = now - 30 * 86400_000;
    if (history.everOnlineDaysAgo !== undefined || history.firstOnlineToday) {
      d.firstOnlineAt = history.firstOnlineToday ? now - 60_000 : now - history.everOnlineDaysAgo! * 86400_000;
      this.registerDevice(d.device_id);
      d.firstOnlineAt = history.firstOnlineToday ? now - 60_000 : now - history.everOnlineDaysAgo! * 86400_000;
      d.everSentData = history.sentData ?? true;
    }
    if (state === 'OFFLINE') {
      this.dropDevice(d.device_id);
      d.lastOfflineAt = now - (history.offlineDaysAgo ?? 0) * 86400_000 - 60_000;
      d.lastOnlineAt = d.lastOfflineAt;
    }
    if (history.invited) {
      for (const c of d.channels) {
        c.invitation_status = 'INVITE_SUCCESS';
        c.deliveredToday = true;
        c.packetsExpected = 4511;
        c.packetsReceived = 4400 + Math.floor(Math.random() * 111);
        const s = this.streams.get(c.stream_name);
        if (s) s.state = 'ACTIVE';
      }
    }
    return d;
  }

  private seedProject(): void {
    const t = this.now() - 60 * 86400_000;
    this.gbCredentials.set('site01', {
      username: 'site01',
      password: 'Site01#Pass',
      type: 'NORMAL',
      description: 'HQ cameras',
      created: t,
      updated: t,
    });
    const ak = 'AYCQWFZXEMULATOR0YVTMXIPKIZPS2MA';
    this.akskCredentials.set(ak, {
      name: 'push_key_1',
      access_key: ak,
      secret_key: randomAlnum(64),
      description: 'encoders',
      created: t,
      updated: t,
    });
    // GB28181 devices covering every statistics list
    this.addSeedDevice('IPC', 'ONLINE', { everOnlineDaysAgo: 20, invited: true });
    this.addSeedDevice('IPC', 'ONLINE', { everOnlineDaysAgo: 15, invited: true });
    this.addSeedDevice('IPC', 'ONLINE', { firstOnlineToday: true, invited: true });
    this.addSeedDevice('IPC', 'ONLINE', { everOnlineDaysAgo: 5, sentData: false });
    this.addSeedDevice('IPC', 'OFFLINE', { everOnlineDaysAgo: 30, offlineDaysAgo: 0 });
    this.addSeedDevice('IPC', 'OFFLINE', { everOnlineDaysAgo: 40, offlineDaysAgo: 10 });
    this.addSeedDevice('IPC', 'UNREGISTERED', {});
    this.addSeedDevice('NVR', 'ONLINE', { everOnlineDaysAgo: 25, invited: true });
    this.addSeedDevice('IPC', 'ONLINE', { everOnlineDaysAgo: 12, invited: true }, 'site01', 'H265');
    // RTMP / HTTP-FLV streams
    for (const [name, type, state] of [
      ['lobby_rtmp', 'RTMP', 'ACTIVE'],
      ['gate_pull', 'HTTP-FLV', 'ACTIVE'],
      ['spare_rtmp', 'RTMP', 'STOPPED'],
    ] as const) {
      this.streams.set(name, {
        stream_id: `stream-${randomAlnum(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
        name,
        access_type: type,
        encode_type: 'H264',
        ...(type === 'RTMP'
          ? { access_key: name === 'lobby_rtmp' ? ak : '' }
          : { url: 'http://127.0.0.1/source/gate.flv' }),
        share_type: 'PUBLIC',
        state,
        created: t,
        updated: t,
        description: '',
        tag: [{ key: 'site', value: 'HQ' }],
        owner: this.opts.user,
        deleting: false,
        bytesIn: 1e8,
        bytesOut: 2e8,
        mediaChannel: name,
      });
    }
  }
}

// ---------------------------------------------------------------- helpers

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function iamError(code: number, message: string, title: string): Reply {
  return { status: code, body: { error: { code, message, title } } };
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(
  v: unknown,
  field: string,
  rules: { required?: boolean; max?: number; pattern?: RegExp } = {},
): string | undefined {
  if (v === undefined || v === null) {
    if (rules.required) visError('VIS.0005', `${field} is required`);
    return undefined;
  }
  if (typeof v !== 'string') visError('VIS.0005', `${field} must be a string`);
  if (rules.max !== undefined && v.length > rules.max) visError('VIS.0005', `${field} is longer than ${rules.max}`);
  if (rules.pattern && !rules.pattern.test(v)) visError('VIS.0005', `${field} has an invalid format`);
  return v;
}

function enumOf<T extends string>(
  v: unknown,
  field: string,
  values: readonly T[],
  rules: { required?: boolean } = {},
): T | undefined {
  const s = str(v, field, rules);
  if (s === undefined) return undefined;
  const found = values.find((x) => x === s.toUpperCase());
  if (!found) visError('VIS.0005', `${field} must be one of ${values.join(', ')}`);
  return found;
}

function int(v: unknown, field: string, min: number, max: number): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max)
    visError('VIS.0005', `${field} must be an integer in [${min}, ${max}]`);
  return n;
}

function bool(v: unknown, field: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') visError('VIS.0005', `${field} must be a boolean`);
  return v;
}

/** HH:MM, minutes a multiple of 10, within [min, max] minutes of the day. */
function clock(v: unknown, field: string, min: number, max: number): string {
  const s = str(v, field)!;
  const m = /^([01]\d|2[0-3]):([0-5]0)$/.exec(s);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : -1;
  if (!m || minutes < min || minutes > max)
    visError('VIS.0005', `${field} must be HH:MM in 10-minute steps within the documented window`);
  return s;
}

function tags(v: unknown): Tag[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) visError('VIS.0005', 'tag must be an array');
  if (v.length > 10) visError('VIS.0005', 'at most 10 tags');
  return v.map((t) => {
    const o = obj(t);
    const key = str(o.key, 'tag.key', { required: true, max: 36, pattern: /^[\u4E00-\u9FFFA-Za-z0-9_-]+$/ })!;
    const value = str(o.value ?? '', 'tag.value', { max: 43, pattern: /^[\u4E00-\u9FFFA-Za-z0-9._-]*$/ })!;
    return { key, value };
  });
}

function passwordOk(p: string, minLen: number, classes: number, specials: string): boolean {
  if (p.length < minLen || p.length > 32) return false;
  if (!new RegExp(`^[A-Za-z0-9${specials}]+$`).test(p)) return false;
  const found = [/[A-Z]/, /[a-z]/, /[0-9]/, new RegExp(`[${specials}]`)].filter((r) => r.test(p)).length;
  return found >= classes;
}

function gbJson(c: GbCredential) {
  return {
    username: c.username,
    description: c.description,
    type: c.type.toLowerCase(),
    created_at: isoSeconds(c.created),
    updated_at: isoSeconds(c.updated),
  };
}

/**
 * §1.9 paging: `offset` and `limit` together or not at all. Management lists count `offset` from
 * 1 (a position), statistics lists from 0 (a skip count). Paged → `{total, entries}`; else an array.
 */
function page<T>(
  q: URLSearchParams,
  items: T[],
  kind: 'management' | 'statistics',
  orderKeys: string[],
  keyOf: (item: T, key: string) => string | number,
): Paged<T> {
  const hasOffset = q.has('offset');
  const hasLimit = q.has('limit');
  if (hasOffset !== hasLimit) visError('VIS.0005', 'offset and limit must be used together');
  if (!hasOffset) return items;
  const minOffset = kind === 'management' ? 1 : 0;
  const offset = int(q.get('offset'), 'offset', minOffset, 100000);
  const limit = int(q.get('limit'), 'limit', 1, 1000);
  const sort = q.has('sort') ? enumOf(q.get('sort'), 'sort', ['ASC', 'DESC']) : 'ASC';
  const orderBy = q.get('order_by') ?? 'created_at';
  if (!orderKeys.includes(orderBy)) visError('VIS.0005', `order_by must be one of ${orderKeys.join(', ')}`);
  const sorted = [...items].sort((a, b) => {
    const x = keyOf(a, orderBy);
    const y = keyOf(b, orderBy);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return sort === 'DESC' ? -c : c;
  });
  const start = kind === 'management' ? offset - 1 : offset;
  const entries = sorted.slice(start, start + limit);
  return { total: items.length, entries };
}

type Paged<T> = T[] | { total: number; entries: T[] };

/** Map the items of a page, keeping its shape. */
function mapPaged<T, U>(p: Paged<T>, f: (item: T) => U): Paged<U> {
  return Array.isArray(p) ? p.map(f) : { total: p.total, entries: p.entries.map(f) };
}

/** Playback addresses (§4.2.7) on any media node (`work001`, …: relocateMedia). */
const PLAYBACK_PATH = /^\/(live\/work\d{3}(\?|$)|hls\/work\d{3}\/)/;

function proxy(target: string, res: http.ServerResponse): void {
  passThrough(target, res, streamHeaders, () =>
    res.writeHead(502, { 'Content-Type': 'text/plain' }).end('upstream media unavailable'),
  );
}

export function newVisProjectId(): string {
  return randomUUID().replace(/-/g, '');
}
