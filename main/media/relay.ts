import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../errors';
import { log } from '../log';

/**
 * HTTP-FLV relay: Chromium opens at most 6 HTTP/1.1 connections per host, so a wall of more
 * than 6 FLV panes on one host would stall. Main fetches such streams and hands them to the
 * renderer over WebSocket (loopback, token-protected like the host). When the upstream closes,
 * the socket closes too, so the player reconnects with a fresh play URL.
 */
const MAX_BUFFERED = 4 * 1024 * 1024;
const TICKET_TTL_MS = 60_000;

export class MediaRelay {
  private readonly tickets = new Map<string, { url: string; expires: number }>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  /** ws://127.0.0.1:PORT prefix under which /relay/<ticket> is served; set by the host. */
  base = '';
  active = 0;

  /** Register an upstream http(s) URL; returns the ws:// URL the renderer opens within 60 s. */
  open(url: string): string {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new AppError('VALIDATION', 'The stream address is not a URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('VALIDATION', 'Only http(s) FLV streams can be relayed');
    if (!this.base) throw new AppError('NOT_AVAILABLE', 'The media relay is not running');
    const now = Date.now();
    for (const [k, t] of this.tickets) if (t.expires < now) this.tickets.delete(k);
    const ticket = randomBytes(16).toString('hex');
    this.tickets.set(ticket, { url, expires: now + TICKET_TTL_MS });
    return `${this.base}/relay/${ticket}`;
  }

  /** Handles an upgrade for /relay/<ticket> (the host has already checked token and origin). */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const m = /^\/relay\/([0-9a-f]{32})$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const ticket = m ? this.tickets.get(m[1]!) : undefined;
    if (!m || !ticket || ticket.expires < Date.now()) return false;
    // A ticket may be reopened within its minute (a player restarting with better settings).
    this.wss.handleUpgrade(req, socket, head, (ws) => this.pipe(ws, ticket.url));
    return true;
  }

  private pipe(ws: WebSocket, url: string): void {
    this.active++;
    const client = url.startsWith('https:') ? https : http;
    let upstreamRes: http.IncomingMessage | null = null;
    const upstream = client.get(url, { headers: { 'User-Agent': 'Vigil relay' } }, (res) => {
      upstreamRes = res;
      if ((res.statusCode ?? 0) >= 400) {
        ws.close(1011, `upstream HTTP ${res.statusCode}`);
        res.resume();
        return;
      }
      res.on('data', (chunk: Buffer) => {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(chunk, { binary: true });
        // Backpressure: a slow renderer pauses the upstream instead of growing memory.
        if (ws.bufferedAmount > MAX_BUFFERED) {
          res.pause();
          const resume = setInterval(() => {
            if (ws.readyState !== ws.OPEN || ws.bufferedAmount < MAX_BUFFERED / 4) {
              clearInterval(resume);
              res.resume();
            }
          }, 50);
        }
      });
      res.on('end', () => ws.close(1000, 'upstream ended'));
      res.on('error', () => ws.close(1011, 'upstream error'));
    });
    upstream.on('error', (e) => {
      log.warn(`relay upstream failed: ${e.message}`);
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1011, 'upstream unreachable');
    });
    ws.on('close', () => {
      this.active--;
      upstreamRes?.destroy();
      upstream.destroy();
    });
    ws.on('error', () => ws.terminate());
  }

  close(): void {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }
}
