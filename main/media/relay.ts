import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { isLoopbackUrl } from '../../preload/contract';
import { AppError } from '../errors';
import { log } from '../log';

/**
 * HTTP-FLV relay. Chromium opens at most 6 HTTP/1.1 connections per host and port, so a wall of
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
 */
export const LANE_STREAMS = 5; // = the renderer's HTTP-FLV budget per host (one spare connection)
/** 64 lanes = 320 streams: far past any wall; a runaway caller stops here, not at the fd limit. */
export const MAX_LANES = 64;
const TICKET_TTL_MS = 60_000;
/** How long a play URL a platform handed out may wait for the renderer to ask for its relay. */
const ISSUED_TTL_MS = 5 * 60_000;
const MAX_ISSUED = 2_000;
const UPSTREAM_ANSWER_MS = 10_000;
const UPSTREAM_IDLE_MS = 20_000;
const MAX_REDIRECTS = 3;

interface Lane {
  server: http.Server;
  port: number;
}

interface Issued {
  headers: Record<string, string>;
  expires: number;
  /** How many times a platform handed this URL out (two panes on one fixed address). */
  count: number;
}

interface Ticket {
  url: string;
  headers: Record<string, string>;
  lane: Lane;
  /** Unused tickets lapse; a ticket in use lives until its stream ends. */
  expires: number;
  inUse: boolean;
}

export interface RelayOptions {
  /** Developer mode (stream test page, bench): also relay loopback URLs nobody issued. */
  relayLoopbackUrls?: boolean;
  /** Overrides for tests. */
  ticketTtlMs?: number;
  answerTimeoutMs?: number;
}

export class MediaRelay {
  private readonly issued = new Map<string, Issued>();
  private readonly tickets = new Map<string, Ticket>();
  private readonly lanes: Lane[] = [];
  private allowedOrigins = new Set<string>();
  /** Streams being relayed now. */
  active = 0;

  private queue: Promise<unknown> = Promise.resolve();

  private readonly ticketTtl: number;
  private readonly answerTimeout: number;

  constructor(private readonly options: RelayOptions = {}) {
    this.ticketTtl = options.ticketTtlMs ?? TICKET_TTL_MS;
    this.answerTimeout = options.answerTimeoutMs ?? UPSTREAM_ANSWER_MS;
  }

  /** The app's own origins (browser host, `vigil://app`): the only ones CORS answers. */
  allowOrigins(origins: string[]): void {
    this.allowedOrigins = new Set(origins);
  }

  /**
   * Main obtained this play URL from a platform: the renderer may ask for it to be relayed once,
   * within minutes. `headers` go on the upstream request (never to the renderer).
   */
  issue(url: string, headers: Record<string, string> = {}): void {
    this.sweep();
    if (Object.keys(headers).length && !url.startsWith('https://') && !isLoopbackUrl(url)) {
      // A token on a plain-http request would cross the network readable.
      throw new AppError(
        'NOT_AVAILABLE',
        'The platform gave a plain-http address for a stream that needs its token: Vigil does not send the token unencrypted',
      );
    }
    const known = this.issued.get(url);
    if (!known && this.issued.size >= MAX_ISSUED) this.issued.delete(this.issued.keys().next().value!);
    this.issued.set(url, { headers, expires: Date.now() + ISSUED_TTL_MS, count: (known?.count ?? 0) + 1 });
  }

  /** Register an issued upstream URL; returns the loopback URL the renderer fetches within 60 s. */
  open(url: string): Promise<string> {
    // One at a time: a wall opening 20 panes at once must fill a lane before starting another.
    const next = this.queue.then(() => this.assign(url));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async assign(url: string): Promise<string> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new AppError('VALIDATION', 'The stream address is not a URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new AppError('VALIDATION', 'Only http(s) FLV streams can be relayed');
    this.sweep();
    const issued = this.issued.get(url);
    if (!issued && !(this.options.relayLoopbackUrls && isLoopbackUrl(url))) {
      throw new AppError(
        'BAD_REQUEST',
        'Vigil relays only the stream addresses a platform handed out, once each; ask for a new play address',
      );
    }
    if (issued && --issued.count <= 0) this.issued.delete(url);
    const lane = this.lanes.find((l) => this.load(l) < LANE_STREAMS) ?? (await this.addLane());
    const ticket = randomBytes(16).toString('hex');
    this.tickets.set(ticket, {
      url,
      headers: issued?.headers ?? {},
      lane,
      expires: Date.now() + this.ticketTtl,
      inUse: false,
    });
    return `http://127.0.0.1:${lane.port}/relay/${ticket}.flv`;
  }

  /** Ports of the lanes (tests check each carries at most LANE_STREAMS). */
  get lanePorts(): number[] {
    return this.lanes.map((l) => l.port);
  }

  private load(lane: Lane): number {
    let n = 0;
    for (const t of this.tickets.values()) if (t.lane === lane) n++;
    return n;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, t] of this.tickets) if (!t.inUse && t.expires < now) this.tickets.delete(k);
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
  }

  private async addLane(): Promise<Lane> {
    if (this.lanes.length >= MAX_LANES)
      throw new AppError('NOT_AVAILABLE', `The relay carries at most ${MAX_LANES * LANE_STREAMS} streams at once`);
    const server = http.createServer((req, res) => this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const lane = { server, port: (server.address() as AddressInfo).port };
    this.lanes.push(lane);
    // An unused ticket lapses after a minute: its lane goes with it, even if nobody opens another.
    setTimeout(() => this.sweep(), this.ticketTtl + 1_000).unref();
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
    const m = /^\/relay\/([0-9a-f]{32})\.flv$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const key = m?.[1];
    const ticket = key ? this.tickets.get(key) : undefined;
    if (
      req.method !== 'GET' ||
      !key ||
      !ticket ||
      ticket.inUse ||
      ticket.expires < Date.now() ||
      ticket.lane.port !== req.socket.localPort
    ) {
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain' }).end('unknown, used or expired relay ticket');
      return;
    }
    ticket.inUse = true;
    this.active++;
    let upstream: http.ClientRequest | null = null;
    const withHeaders = Object.keys(ticket.headers).length > 0;
    const fail = (status: number, why: string) => {
      log.warn(`relay upstream: ${why}`);
      if (!res.headersSent) res.writeHead(status, { ...headers, 'Content-Type': 'text/plain' }).end(why);
      else res.destroy();
    };
    const get = (url: URL, hops: number) => {
      const client = url.protocol === 'https:' ? https : http;
      const request = client.get(
        url,
        { headers: { 'User-Agent': 'Vigil relay', ...ticket.headers }, timeout: this.answerTimeout },
        (up) => {
          const status = up.statusCode ?? 0;
          if (status >= 300 && status < 400 && up.headers.location) {
            up.resume();
            // This request is done with: its timeout and errors must not end the next one.
            request
              .removeAllListeners('timeout')
              .removeAllListeners('error')
              .on('error', () => undefined);
            const next = new URL(up.headers.location, url);
            // A redirect may move within the platform's host, never to another one, nor from https to http.
            if (next.host !== url.host || (next.protocol !== 'http:' && next.protocol !== 'https:'))
              return fail(502, `upstream redirected to another host (${next.host})`);
            if (url.protocol === 'https:' && next.protocol !== 'https:')
              return fail(502, 'upstream redirected from https to plain http');
            if (withHeaders && next.protocol !== 'https:' && !isLoopbackUrl(next.toString()))
              return fail(502, 'upstream redirected a stream that needs its token to plain http');
            if (hops >= MAX_REDIRECTS) return fail(502, 'upstream redirected too many times');
            return get(next, hops + 1);
          }
          if (status < 200 || status >= 300) {
            up.resume();
            return fail(502, `upstream HTTP ${status}`);
          }
          res.writeHead(200, { ...headers, 'Content-Type': 'video/x-flv' });
          res.socket?.setNoDelay(true);
          // A live stream that stops sending is ended, so the player reconnects instead of waiting.
          up.setTimeout(UPSTREAM_IDLE_MS, () => up.destroy(new Error('upstream idle')));
          // Backpressure through pipe: a slow renderer pauses the upstream instead of growing memory.
          up.pipe(res);
          up.on('error', () => res.destroy());
        },
      );
      upstream = request;
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.answerTimeout / 1000} s`)));
      request.on('error', (e) => fail(502, `upstream unreachable: ${e.message}`));
    };
    get(new URL(ticket.url), 0);
    res.on('close', () => {
      this.active--;
      this.tickets.delete(key);
      (upstream as http.ClientRequest | null)?.destroy();
      this.closeIdleLanes();
    });
  }

  /** Ends every relayed stream and closes the lanes (a later open() starts new ones). */
  close(): void {
    for (const lane of this.lanes) {
      lane.server.closeAllConnections();
      lane.server.close();
    }
    this.lanes.length = 0;
    this.tickets.clear();
    this.issued.clear();
  }
}
