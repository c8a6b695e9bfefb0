import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors';
import { log } from '../log';

/**
 * HTTP-FLV relay. Chromium opens at most 6 HTTP/1.1 connections per host and port, so a wall of
 * more than 6 FLV panes on one camera server would stall. Main fetches such streams and serves
 * them again on loopback "lanes": small HTTP servers on ports of their own, each carrying at most
 * LANE_STREAMS streams, so the renderer fetches them like any HTTP-FLV. (A WebSocket relay came
 * first: on 25 panes its streams arrived 3–4 s late while fetched ones kept 0.6 s.)
 * The URL's 128-bit ticket is the credential. When the upstream ends, the response ends, and the
 * player reconnects with a fresh play URL (and a fresh ticket).
 */
export const LANE_STREAMS = 5; // = the renderer's HTTP-FLV budget per host (one spare connection)
const TICKET_TTL_MS = 60_000;

interface Lane {
  server: http.Server;
  port: number;
}

interface Ticket {
  url: string;
  lane: Lane;
  /** Unused tickets lapse; a ticket in use lives until its stream ends. */
  expires: number;
  inUse: boolean;
}

export class MediaRelay {
  private readonly tickets = new Map<string, Ticket>();
  private readonly lanes: Lane[] = [];
  /** Streams being relayed now. */
  active = 0;

  private queue: Promise<unknown> = Promise.resolve();

  /** Register an upstream http(s) URL; returns the loopback URL the renderer fetches within 60 s. */
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
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('VALIDATION', 'Only http(s) FLV streams can be relayed');
    this.sweep();
    const lane = this.lanes.find((l) => this.load(l) < LANE_STREAMS) ?? (await this.addLane());
    const ticket = randomBytes(16).toString('hex');
    this.tickets.set(ticket, { url, lane, expires: Date.now() + TICKET_TTL_MS, inUse: false });
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
  }

  private async addLane(): Promise<Lane> {
    const server = http.createServer((req, res) => this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const lane = { server, port: (server.address() as AddressInfo).port };
    this.lanes.push(lane);
    return lane;
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const cors = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
    const m = /^\/relay\/([0-9a-f]{32})\.flv$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const key = m?.[1];
    const ticket = key ? this.tickets.get(key) : undefined;
    if (req.method !== 'GET' || !key || !ticket || ticket.inUse || ticket.expires < Date.now() || ticket.lane.port !== req.socket.localPort) {
      res.writeHead(403, { ...cors, 'Content-Type': 'text/plain' }).end('unknown, used or expired relay ticket');
      return;
    }
    ticket.inUse = true;
    this.active++;
    const client = ticket.url.startsWith('https:') ? https : http;
    const upstream = client.get(ticket.url, { headers: { 'User-Agent': 'Vigil relay' } }, (up) => {
      if ((up.statusCode ?? 0) >= 400) {
        up.resume();
        res.writeHead(502, { ...cors, 'Content-Type': 'text/plain' }).end(`upstream HTTP ${up.statusCode}`);
        return;
      }
      res.writeHead(200, { ...cors, 'Content-Type': 'video/x-flv' });
      res.socket?.setNoDelay(true);
      // Backpressure through pipe: a slow renderer pauses the upstream instead of growing memory.
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    upstream.on('error', (e) => {
      log.warn(`relay upstream failed: ${e.message}`);
      if (!res.headersSent) res.writeHead(502, { ...cors, 'Content-Type': 'text/plain' }).end('upstream unreachable');
      else res.destroy();
    });
    res.on('close', () => {
      this.active--;
      this.tickets.delete(key);
      upstream.destroy();
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
  }
}
