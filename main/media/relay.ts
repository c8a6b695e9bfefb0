import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import { isLoopbackUrl } from '../../preload/contract';
import { AppError } from '../errors';
import { log } from '../log';
import type { DecodeRate } from '../../preload/contract';
import { FlvKeyFrameCut } from './flv-key-frames';
import {
  MAX_PLAYLIST_BYTES,
  isPlaylistResponse,
  isPrivateAddress,
  resourceName,
  rewritePlaylist,
} from './hls-playlist';
import { loopbackScope } from '../net/account-scope';
import { refusal, type NetworkScope } from '../net/site-range';
import { lookupJudging, nextHop } from './redirect';

/**
 * Media relay: every remote stream the renderer plays comes through here, so the renderer's CSP
 * allows loopback only (`connect-src`) and main alone decides what is fetched from the network.
 *
 * HTTP-FLV: Chromium opens at most 6 HTTP/1.1 connections per host and port, so a wall of
 * more than 6 FLV panes on one camera server would stall. Main fetches such streams and serves
 * them again on loopback "lanes": small HTTP servers on ports of their own, each carrying at most
 * LANE_STREAMS streams, so the renderer fetches them like any HTTP-FLV. (A WebSocket relay came
 * first: on 25 panes its streams arrived 3–4 s late while fetched ones kept 0.6 s.)
 *
 * The relay is not a proxy: it fetches only play URLs main itself obtained from a platform
 * (`issue`, called where a platform hands one out), once each, with the headers main adds for
 * that platform (a VIS private stream's token never reaches the renderer). The URL's 128-bit
 * ticket is the credential; CORS answers only the app's own origin. When the upstream ends, the
 * response ends, and the player reconnects with a fresh play URL (and a fresh ticket).
 *
 * HLS: one ticket per play URL for as long as the player keeps asking (it lapses a minute after
 * the last request). Each playlist is rewritten (hls-playlist.ts) so every address it names is a
 * resource of that ticket; the relay fetches those and nothing else. Main's headers go only to
 * the issued URL's origin (a CDN host named by the playlist never sees a platform token).
 */
export const LANE_STREAMS = 5; // = the renderer's HTTP-FLV budget per host (one spare connection)
/** 64 lanes = 320 streams: far past any wall; a runaway caller stops here, not at the fd limit. */
export const MAX_LANES = 64;
const TICKET_TTL_MS = 60_000;
/** How long a play URL a platform handed out may wait for the renderer to ask for its relay. */
const ISSUED_TTL_MS = 5 * 60_000;
const MAX_ISSUED = 2_000;
const UPSTREAM_ANSWER_MS = 10_000;
/**
 * An upstream that refuses the connection is asked again every REFUSED_AGAIN_MS for this long
 * before the renderer gets a 502. Nothing listens there, so nothing of a single-use address was
 * spent; a media server restarting listens again within seconds, and the pane then plays as soon
 * as it does, rather than after its next backoff step and a fresh address from the platform.
 */
const REFUSED_WAIT_MS = 5_000;
const REFUSED_AGAIN_MS = 250;
const UPSTREAM_IDLE_MS = 20_000;
/** An HLS ticket nobody asked anything of for this long lapses (a live player asks every second). */
const HLS_IDLE_MS = 60_000;
/**
 * A recording's ticket (its playlist ends, #EXT-X-ENDLIST) lives this long unasked: its player asks
 * nothing while it has the rest buffered or is paused — a 2-minute recording played through asks
 * nothing for its last minute and more, and an operator pauses for minutes — and must still have
 * its ticket when it seeks back. Lanes full, the ones asked longest ago go first (reclaim).
 */
const RECORDING_IDLE_MS = 15 * 60_000;
/** Resources one HLS ticket remembers (a live playlist names new segments every second). */
const MAX_HLS_RESOURCES = 4_096;
/** Lane capacity used by one stream: an HLS player keeps up to two requests open (playlist, segment). */
const WEIGHT = { flv: 1, hls: 2 } as const;
export type RelayKind = keyof typeof WEIGHT;

interface Lane {
  server: http.Server;
  port: number;
}

interface Issued {
  headers: Record<string, string>;
  expires: number;
  /** How many times a platform handed this URL out (two panes on one fixed address). */
  count: number;
  /** The account's network: which private addresses its streams may lead to (none for a public cloud). */
  scope: NetworkScope | null;
}

interface Ticket {
  kind: RelayKind;
  url: string;
  headers: Record<string, string>;
  /** Where this stream's requests may go (the issuing account's network scope). */
  scope: NetworkScope | null;
  lane: Lane;
  /** Unused tickets lapse; a FLV ticket in use lives until its stream ends, an HLS one while asked. */
  expires: number;
  inUse: boolean;
  /** HLS: its resources being sent now (a transcode's ffmpeg may hold one back for minutes). */
  sending?: number;
  /** FLV: what of the stream goes on to the renderer (every frame, or key frames for a reduced pane). */
  cut?: FlvKeyFrameCut;
  /** HLS: the addresses its playlists named, by the id in the relay path, and back. */
  hls?: { byId: Map<number, string>; byUrl: Map<string, number>; next: number };
  /** HLS: its playlist ends (a recording): it lapses after RECORDING_IDLE_MS unasked, not HLS_IDLE_MS. */
  recording?: boolean;
}

export interface RelayOptions {
  /** Developer mode (stream test page, bench): also relay loopback URLs nobody issued. */
  relayLoopbackUrls?: boolean;
  /** Overrides for tests. */
  ticketTtlMs?: number;
  answerTimeoutMs?: number;
  refusedWaitMs?: number;
  upstreamIdleMs?: number;
  hlsIdleMs?: number;
  recordingIdleMs?: number;
  /** Which hosts count as private (tests make one loopback address stand for a public platform). */
  isPrivate?: (host: string) => boolean;
}

export class MediaRelay {
  private readonly issued = new Map<string, Issued>();
  private readonly tickets = new Map<string, Ticket>();
  private readonly lanes: Lane[] = [];
  /** Kept-alive connections per network scope: a socket one scope's lookup allowed serves that scope only. */
  private readonly agents = new Map<string, { 'http:': http.Agent; 'https:': https.Agent }>();
  private allowedOrigins = new Set<string>();
  /** Streams being relayed now. */
  active = 0;

  private queue: Promise<unknown> = Promise.resolve();
  private sweeper: NodeJS.Timeout | null = null;

  private readonly ticketTtl: number;
  private readonly answerTimeout: number;
  private readonly refusedWait: number;
  private readonly upstreamIdle: number;
  private readonly hlsIdle: number;
  private readonly recordingIdle: number;
  private readonly isPrivate: (host: string) => boolean;

  constructor(private readonly options: RelayOptions = {}) {
    this.ticketTtl = options.ticketTtlMs ?? TICKET_TTL_MS;
    this.answerTimeout = options.answerTimeoutMs ?? UPSTREAM_ANSWER_MS;
    this.refusedWait = options.refusedWaitMs ?? REFUSED_WAIT_MS;
    this.upstreamIdle = options.upstreamIdleMs ?? UPSTREAM_IDLE_MS;
    this.hlsIdle = options.hlsIdleMs ?? HLS_IDLE_MS;
    this.recordingIdle = options.recordingIdleMs ?? RECORDING_IDLE_MS;
    this.isPrivate = options.isPrivate ?? isPrivateAddress;
  }

  /** The app's own origins (browser host, `vigil://app`): the only ones CORS answers. */
  allowOrigins(origins: string[]): void {
    this.allowedOrigins = new Set(origins);
  }

  /** The same origins for main's other loopback media servers (the H.265 transcoder's). */
  get origins(): ReadonlySet<string> {
    return this.allowedOrigins;
  }

  /**
   * Main obtained this play URL from a platform: the renderer may ask for it to be relayed once,
   * within minutes. `headers` go on the upstream request (never to the renderer). `scope`: the
   * issuing account's network (main/net/site-range.ts): the private addresses the stream, its
   * playlists and redirects may lead to. Without one, only this computer for a loopback address.
   */
  issue(url: string, headers: Record<string, string> = {}, scope?: NetworkScope): void {
    this.sweep();
    // An on-premises platform's own host may take its token over plain http (the operator's LAN).
    const ownPlainHost =
      scope?.onPremises === true && url.startsWith('http://') && new URL(url).hostname === scope.host;
    if (Object.keys(headers).length && !url.startsWith('https://') && !isLoopbackUrl(url) && !ownPlainHost) {
      // A token on a plain-http request would cross the network readable.
      throw new AppError(
        'NOT_AVAILABLE',
        'The platform gave a plain-http address for a stream that needs its token: Vigil does not send the token unencrypted',
      );
    }
    const known = this.issued.get(url);
    if (!known && this.issued.size >= MAX_ISSUED) this.issued.delete(this.issued.keys().next().value!);
    this.issued.set(url, {
      headers,
      expires: Date.now() + ISSUED_TTL_MS,
      count: (known?.count ?? 0) + 1,
      scope: scope ?? known?.scope ?? null,
    });
  }

  /** Register an issued upstream URL; returns the loopback URL the renderer fetches within 60 s. */
  open(url: string, kind: RelayKind = 'flv'): Promise<string> {
    // One at a time: a wall opening 20 panes at once must fill a lane before starting another.
    const next = this.queue.then(() => this.assign(url, kind));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async assign(url: string, kind: RelayKind): Promise<string> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new AppError('VALIDATION', 'The stream address is not a URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new AppError('VALIDATION', 'Only http(s) streams can be relayed');
    this.sweep();
    const issued = this.issued.get(url);
    if (!issued && !(this.options.relayLoopbackUrls && isLoopbackUrl(url))) {
      throw new AppError(
        'BAD_REQUEST',
        'Vigil relays only the stream addresses a platform handed out, once each; ask for a new play address',
      );
    }
    if (issued && --issued.count <= 0) this.issued.delete(url);
    const lane = this.laneWithRoom(kind) ?? (await this.addLane(kind));
    const ticket = randomBytes(16).toString('hex');
    const entry: Ticket = {
      kind,
      url,
      headers: issued?.headers ?? {},
      scope: issued ? (issued.scope ?? loopbackScope(u, this.isPrivate)) : loopbackScope(u, this.isPrivate),
      lane,
      expires: Date.now() + this.ticketTtl,
      inUse: false,
    };
    this.tickets.set(ticket, entry);
    if (kind === 'flv') {
      entry.cut = new FlvKeyFrameCut();
      return `http://127.0.0.1:${lane.port}/relay/${ticket}.flv`;
    }
    entry.hls = { byId: new Map(), byUrl: new Map(), next: 0 };
    return `http://127.0.0.1:${lane.port}${this.hlsPath(ticket, entry, url)}`;
  }

  /** Whether a stream from `url` is relayed now, or was handed out here and not yet opened. */
  carries(url: string): boolean {
    this.sweep();
    for (const t of this.tickets.values()) if (t.url === url) return true;
    return false;
  }

  /**
   * Main's own reader (an export, a motion search, a playlist read) is done with a stream it opened
   * here: its ticket goes now, not after the idle minute, so a search over many recordings never
   * fills the lanes. An address this relay did not give out is ignored.
   */
  release(url: string): void {
    const m = /^http:\/\/127\.0\.0\.1:\d+\/(?:relay\/([0-9a-f]{32})\.flv|hls\/([0-9a-f]{32})\/)/.exec(url);
    const key = m?.[1] ?? m?.[2];
    if (!key || !this.tickets.delete(key)) return;
    this.closeIdleLanes();
  }

  /**
   * The decode budget cut a pane to key frames or gave it every frame again: the relayed FLV stream
   * at `url` (an address this relay gave out) is cut here too, so what the renderer would throw away
   * never crosses into it (flv-key-frames.ts). False when `url` is no FLV stream of this relay (a
   * transcode, a lapsed ticket): the renderer's own filter does it all then.
   */
  setRate(url: string, rate: DecodeRate, sound?: boolean): boolean {
    const key = /^http:\/\/127\.0\.0\.1:(\d+)\/relay\/([0-9a-f]{32})\.flv$/.exec(url);
    const ticket = key ? this.tickets.get(key[2]!) : undefined;
    if (!ticket?.cut || ticket.lane.port !== Number(key![1])) return false;
    // (`sound` false: the page plays the stream without sound, so its audio need not come either.)
    if (sound !== undefined) ticket.cut.setSound(sound);
    ticket.cut.setRate(rate);
    return true;
  }

  /** How long an HLS ticket lives unasked: a recording's longer than a live stream's. */
  private idleOf(ticket: Ticket): number {
    return ticket.recording ? this.recordingIdle : this.hlsIdle;
  }

  /** The relay path of an address an HLS ticket's playlist named (the same path each time it is named). */
  private hlsPath(key: string, ticket: Ticket, absolute: string): string {
    const hls = ticket.hls!;
    let id = hls.byUrl.get(absolute);
    if (id === undefined) {
      id = hls.next++;
      hls.byUrl.set(absolute, id);
      hls.byId.set(id, absolute);
      if (hls.byId.size > MAX_HLS_RESOURCES) {
        const [oldId, oldUrl] = hls.byId.entries().next().value!;
        hls.byId.delete(oldId);
        hls.byUrl.delete(oldUrl);
      }
    }
    return `/hls/${key}/${id}/${resourceName(absolute, 'index.m3u8')}`;
  }

  /** Ports of the lanes (tests check each carries at most LANE_STREAMS). */
  get lanePorts(): number[] {
    return this.lanes.map((l) => l.port);
  }

  private load(lane: Lane): number {
    let n = 0;
    for (const t of this.tickets.values()) if (t.lane === lane) n += WEIGHT[t.kind];
    return n;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, t] of this.tickets) if (!t.inUse && !t.sending && t.expires < now) this.tickets.delete(k);
    for (const [k, i] of this.issued) if (i.expires < now) this.issued.delete(k);
    this.closeIdleLanes();
  }

  /** A lane with no ticket left is closed: its port is not left listening. */
  private closeIdleLanes(): void {
    for (const lane of [...this.lanes]) {
      if (this.load(lane) > 0) continue;
      this.lanes.splice(this.lanes.indexOf(lane), 1);
      lane.server.closeAllConnections();
      lane.server.close();
    }
    if (this.lanes.length === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  private laneWithRoom(kind: RelayKind): Lane | undefined {
    return this.lanes.find((l) => this.load(l) + WEIGHT[kind] <= LANE_STREAMS);
  }

  /**
   * Lanes full: recordings' tickets nobody has asked anything of for HLS_IDLE_MS go, the one asked
   * longest ago first, until a lane has room for `kind` (their players, should they ask again, get
   * a refusal and open the recording afresh). Returns that lane.
   */
  private reclaim(kind: RelayKind): Lane | undefined {
    const idle = [...this.tickets]
      .filter(
        ([, t]) => t.recording && !t.inUse && !t.sending && t.expires - this.recordingIdle < Date.now() - this.hlsIdle,
      )
      .sort(([, a], [, b]) => a.expires - b.expires);
    for (const [key, ticket] of idle) {
      this.tickets.delete(key);
      if (this.load(ticket.lane) + WEIGHT[kind] <= LANE_STREAMS) return ticket.lane;
    }
    return undefined;
  }

  private async addLane(kind: RelayKind): Promise<Lane> {
    if (this.lanes.length >= MAX_LANES) {
      const reclaimed = this.reclaim(kind);
      if (reclaimed) return reclaimed;
      throw new AppError('NOT_AVAILABLE', `The relay carries at most ${MAX_LANES * LANE_STREAMS} streams at once`);
    }
    const server = http.createServer((req, res) => this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const lane = { server, port: (server.address() as AddressInfo).port };
    this.lanes.push(lane);
    // Unused tickets and HLS tickets nobody asks for any more lapse: their lanes go with them,
    // even if nobody opens another stream.
    const every = Math.min(15_000, Math.min(this.ticketTtl, this.hlsIdle) + 1_000);
    this.sweeper ??= setInterval(() => this.sweep(), every).unref();
    return lane;
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const origin = req.headers.origin;
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', Vary: 'Origin' };
    if (origin !== undefined) {
      if (!this.allowedOrigins.has(origin)) {
        res.writeHead(403, { ...headers, 'Content-Type': 'text/plain' }).end('foreign origin');
        return;
      }
      headers['Access-Control-Allow-Origin'] = origin;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const flv = /^\/relay\/([0-9a-f]{32})\.flv$/.exec(path);
    const hls = /^\/hls\/([0-9a-f]{32})\/(\d{1,9})\/[A-Za-z0-9._-]+$/.exec(path);
    const key = flv?.[1] ?? hls?.[1];
    const ticket = key ? this.tickets.get(key) : undefined;
    if (
      req.method !== 'GET' ||
      !key ||
      !ticket ||
      ticket.kind !== (flv ? 'flv' : 'hls') ||
      ticket.inUse ||
      ticket.expires < Date.now() ||
      ticket.lane.port !== req.socket.localPort
    ) {
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain' }).end('unknown, used or expired relay ticket');
      return;
    }
    if (flv) this.serveFlv(key, ticket, res, headers);
    else this.serveHls(key, ticket, Number(hls![2]), req, res, headers);
  }

  private serveFlv(key: string, ticket: Ticket, res: http.ServerResponse, headers: Record<string, string>): void {
    ticket.inUse = true;
    this.active++;
    const upstream = this.fetchUpstream(new URL(ticket.url), ticket.headers, {}, res, headers, ticket.scope, (up) => {
      res.writeHead(200, { ...headers, 'Content-Type': 'video/x-flv' });
      res.socket?.setNoDelay(true);
      // Backpressure through pipe: a slow renderer pauses the upstream instead of growing memory.
      const cut = ticket.cut!;
      up.pipe(
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            const out = cut.push(chunk);
            done(null, out.length ? out : undefined);
          },
        }),
      ).pipe(res);
    });
    res.on('close', () => {
      this.active--;
      this.tickets.delete(key);
      upstream.destroy();
      this.closeIdleLanes();
    });
  }

  private serveHls(
    key: string,
    ticket: Ticket,
    id: number,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    headers: Record<string, string>,
  ): void {
    const target = ticket.hls!.byId.get(id);
    if (!target) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('no such resource in this stream');
      return;
    }
    // The ticket lives while the player keeps asking, or reading (a paused recording's transcode
    // holds its segment's download, and asks for nothing, until the pane plays on).
    ticket.expires = Date.now() + this.idleOf(ticket);
    ticket.sending = (ticket.sending ?? 0) + 1;
    this.active++;
    const url = new URL(target);
    const issued = new URL(ticket.url);
    // Main's headers (a platform token) go to the issued URL's origin only, never to a CDN host.
    const own = url.origin === issued.origin ? ticket.headers : {};
    const extra: Record<string, string> = req.headers.range ? { Range: req.headers.range } : {};
    // A playlist from a public platform may not send the relay to this machine or its LAN (an
    // account the operator marked as on their network may name hosts of its own network).
    const upstream = this.fetchUpstream(url, own, extra, res, headers, ticket.scope, (up, finalUrl) => {
      if (!isPlaylistResponse(finalUrl, up.headers['content-type'])) {
        const pass: Record<string, string> = { ...headers, 'Content-Type': up.headers['content-type'] ?? 'video/mp2t' };
        for (const h of ['content-length', 'content-range', 'accept-ranges'] as const) {
          const v = up.headers[h];
          if (typeof v === 'string') pass[h] = v;
        }
        res.writeHead(up.statusCode ?? 200, pass);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      up.on('data', (c: Buffer) => {
        size += c.length;
        chunks.push(c);
        if (size <= MAX_PLAYLIST_BYTES) return;
        const why = 'the upstream playlist is larger than 2 MiB';
        log.warn(`relay upstream: ${why}`);
        res.writeHead(502, { ...headers, 'Content-Type': 'text/plain' }).end(why);
        up.destroy(); // no 'end' follows
      });
      up.on('end', () => {
        let text: string;
        try {
          const base = finalUrl.toString();
          text = rewritePlaylist(Buffer.concat(chunks).toString('utf8'), base, (abs) => this.hlsPath(key, ticket, abs));
        } catch (e) {
          log.warn(`relay upstream: ${(e as Error).message}`);
          if (!res.headersSent) res.writeHead(502, { ...headers, 'Content-Type': 'text/plain' });
          res.end((e as Error).message);
          return;
        }
        if (/^#EXT-X-ENDLIST/m.test(text)) ticket.recording = true;
        res.writeHead(200, { ...headers, 'Content-Type': 'application/vnd.apple.mpegurl' }).end(text);
      });
    });
    res.on('close', () => {
      this.active--;
      ticket.sending!--;
      ticket.expires = Date.now() + this.idleOf(ticket);
      upstream.destroy();
    });
  }

  /**
   * GET `url` with main's headers, following redirects within the same host only (never https →
   * http, never a token over plain http), failing on no answer or an error status. `onOk` gets the
   * 2xx answer and the URL it came from; a stream that stops sending is ended after 20 s.
   */
  private fetchUpstream(
    url: URL,
    mainHeaders: Record<string, string>,
    extra: Record<string, string>,
    res: http.ServerResponse,
    headers: Record<string, string>,
    scope: NetworkScope | null,
    onOk: (up: http.IncomingMessage, finalUrl: URL) => void,
  ): { destroy(): void } {
    let current: http.ClientRequest | null = null;
    let answer: http.IncomingMessage | null = null;
    let again: NodeJS.Timeout | null = null;
    let staleRetried = false;
    /** The pane went away (destroy): what its request says after that is our own cancel, not the upstream's. */
    let cancelled = false;
    const refusedUntil = Date.now() + this.refusedWait;
    const withHeaders = Object.keys(mainHeaders).length > 0;
    const fail = (status: number, why: string) => {
      log.warn(`relay upstream: ${why}`);
      if (!res.headersSent) res.writeHead(status, { ...headers, 'Content-Type': 'text/plain' }).end(why);
      else res.destroy();
    };
    // A name that resolves to a private address is judged the same way at connect (DNS rebinding,
    // split-horizon DNS): its own connection, as the pool keys on host, not on the lookup.
    const lookup = lookupJudging((address) => refusal(scope, address, this.isPrivate));
    const get = (target: URL, hops: number) => {
      const refused = refusal(scope, target.hostname, this.isPrivate);
      if (refused) return fail(403, `the stream names ${target.hostname}, ${refused}: not fetched`);
      const client = target.protocol === 'https:' ? https : http;
      const request = client.get(
        target,
        {
          headers: { 'User-Agent': 'Vigil relay', ...extra, ...mainHeaders },
          timeout: this.answerTimeout,
          lookup,
          agent: this.agent(scope, target.protocol),
        },
        (up) => {
          const status = up.statusCode ?? 0;
          if (status >= 300 && status < 400 && up.headers.location) {
            up.resume();
            // This request is done with: its timeout and errors must not end the next one.
            request
              .removeAllListeners('timeout')
              .removeAllListeners('error')
              .on('error', () => undefined);
            const hop = nextHop(target, up.headers.location, hops, withHeaders);
            if ('refused' in hop) return fail(502, `upstream ${hop.refused}`);
            return get(hop.next, hops + 1);
          }
          if (status < 200 || status >= 300) {
            up.resume();
            // The platform's own error status passes through: the pane says "HTTP 404", as if direct.
            return fail(status >= 400 && status < 600 ? status : 502, `upstream HTTP ${status}`);
          }
          // A stream that stops sending is ended, so the player reconnects instead of waiting — but
          // not one its reader holds back (a paced recording: the transcode waits on its pane's
          // player, the relay on the transcode, back-pressure all the way): silent, not stopped.
          // (Timed on the data, not the socket: a socket is idle too while the relay drains what it
          // has already read.)
          request.removeAllListeners('timeout');
          up.setTimeout(0);
          answer = up;
          const idle = setTimeout(() => {
            if (up.isPaused() && !res.destroyed) idle.refresh();
            else up.destroy(new Error('upstream idle'));
          }, this.upstreamIdle).unref();
          up.on('data', () => idle.refresh());
          up.on('close', () => clearTimeout(idle));
          up.on('error', () => res.destroy());
          onOk(up, target);
        },
      );
      current = request;
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.answerTimeout / 1000} s`)));
      request.on('error', (e) => {
        if (cancelled) return;
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPRIVATE') return fail(403, `the stream names ${e.message}: not fetched`);
        if (code === 'ECONNREFUSED' && Date.now() < refusedUntil && !res.destroyed) {
          again = setTimeout(() => get(target, hops), REFUSED_AGAIN_MS);
          return;
        }
        // A kept-alive connection the server closed as the request went out ("socket hang up", no
        // answer): sent once more on a fresh connection, as Node's documentation and browsers do
        // for a GET. Had the server taken a single-use address, the retry's 403 says so.
        if (code === 'ECONNRESET' && request.reusedSocket && !answer && !staleRetried && !res.destroyed) {
          staleRetried = true;
          return get(target, hops);
        }
        fail(502, `upstream unreachable: ${e.message}`);
      });
    };
    get(url, 0);
    // The answer too: one fully received but unread is not ended by its request's end.
    return {
      destroy: () => {
        cancelled = true;
        if (again) clearTimeout(again);
        (current as http.ClientRequest | null)?.destroy();
        (answer as http.IncomingMessage | null)?.destroy();
      },
    };
  }

  private agent(scope: NetworkScope | null, protocol: string): http.Agent {
    const key = scope ? `${scope.account}\n${scope.host}\n${scope.block?.name ?? ''}` : '';
    let pair = this.agents.get(key);
    if (!pair) {
      pair = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
      this.agents.set(key, pair);
    }
    return protocol === 'https:' ? pair['https:'] : pair['http:'];
  }

  /** Ends every relayed stream and closes the lanes (a later open() starts new ones). */
  close(): void {
    for (const pair of this.agents.values()) for (const a of Object.values(pair)) a.destroy();
    this.agents.clear();
    for (const lane of this.lanes) {
      lane.server.closeAllConnections();
      lane.server.close();
    }
    this.lanes.length = 0;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    this.tickets.clear();
    this.issued.clear();
  }
}
