import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What every platform emulator shares: a loopback HTTP server, recorded calls (tests assert on
 * them), fault switches (latency, 5xx, malformed bodies, dropped connections) and a small control
 * API under /__emulator/ for tests that run the emulator as a separate process.
 */

export interface Faults {
  /** Added before every reply, ms. */
  latencyMs: number;
  /** The next N platform requests fail with the platform's 5xx error. */
  fail5xx: number;
  /** The next N replies carry a truncated, unparsable JSON body. */
  malformed: number;
  /** The next N requests have their connection destroyed without a reply. */
  drop: number;
  /** The next N replies are padded past 40 MB (chunked, no length): a misbehaving gateway. */
  oversized: number;
  /**
   * Media not up yet, as a platform's stream may be for its first seconds: each media URL path
   * (live FLV/HLS, recording playlists, downloads — whatever the emulator counts as media) answers
   * 404 to its first N requests, counted per path from when the value was set; 0 turns it off.
   * API calls are not affected. Set `emu.faults.notFoundFirst = N` or POST /__emulator/faults.
   */
  notFoundFirst: number;
  /**
   * Non-zero: the host stops answering, as a hung or SIGSTOPped process does: requests (media
   * included) are accepted and held without a reply until it is set back to 0, then answered.
   */
  paused: number;
}

export interface RecordedCall {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Raw text body instead of JSON. */
  text?: string;
  /** Raw bytes (files) instead of JSON or text. */
  bytes?: Buffer;
  headers?: Record<string, string>;
}

export interface IncomingRequest {
  method: string;
  url: URL;
  path: string;
  query: Array<[string, string]>;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** the body's bytes (multipart files are binary) */
  rawBytes: Buffer;
  raw: http.IncomingMessage;
  res: http.ServerResponse;
}

export type Handler = (req: IncomingRequest) => Promise<Reply | 'handled'> | Reply | 'handled';

export class EmulatorServer {
  readonly faults: Faults = {
    latencyMs: 0,
    fail5xx: 0,
    malformed: 0,
    drop: 0,
    oversized: 0,
    notFoundFirst: 0,
    paused: 0,
  };
  readonly calls: RecordedCall[] = [];
  /** notFoundFirst's count per media path, for the setting it was counted under */
  private readonly notFound = { n: 0, seen: new Map<string, number>() };
  private server: http.Server | null = null;
  port = 0;

  constructor(
    private readonly handler: Handler,
    /** The platform's own 5xx reply for `fail5xx`. */
    private readonly serverError: () => Reply,
    private readonly control: Record<string, (body: Record<string, unknown>) => unknown> = {},
    /** Which request paths are media (the notFoundFirst fault applies to those only). */
    private readonly isMedia: (path: string) => boolean = () => false,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port = 0): Promise<void> {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  resetFaults(): void {
    Object.assign(this.faults, {
      latencyMs: 0,
      fail5xx: 0,
      malformed: 0,
      drop: 0,
      oversized: 0,
      notFoundFirst: 0,
      paused: 0,
    });
  }

  callsTo(method: string, pathPattern: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && pathPattern.test(c.path));
  }

  private async onRequest(raw: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawBytes = await readBody(raw);
    const rawBody = rawBytes.toString('utf8');
    const url = new URL(raw.url ?? '/', 'http://127.0.0.1');
    const req: IncomingRequest = {
      method: (raw.method ?? 'GET').toUpperCase(),
      url,
      path: url.pathname,
      query: [...url.searchParams.entries()],
      headers: raw.headers,
      rawBody,
      rawBytes,
      raw,
      res,
    };
    if (url.pathname.startsWith('/__emulator/')) return this.onControl(req, res);

    while (this.faults.paused && !res.destroyed && !raw.socket.destroyed) await new Promise((r) => setTimeout(r, 100));
    if (this.faults.drop > 0) {
      this.faults.drop--;
      raw.socket.destroy();
      return;
    }
    if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));

    let reply: Reply | 'handled';
    if (this.isMedia(req.path) && this.notFoundAtFirst(req.path)) {
      reply = {
        status: 404,
        text: 'not found (fault notFoundFirst)',
        headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' },
      };
    } else if (this.faults.fail5xx > 0) {
      this.faults.fail5xx--;
      reply = this.serverError();
    } else {
      try {
        reply = await this.handler(req);
      } catch (e) {
        reply = {
          ...this.serverError(),
          headers: { 'X-Emulator-Error': String(e instanceof Error ? e.message : e).slice(0, 200) },
        };
      }
    }
    let parsedBody: unknown = rawBody;
    try {
      parsedBody = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      /* keep raw text */
    }
    this.calls.push({
      at: Date.now(),
      method: req.method,
      path: req.path,
      query: Object.fromEntries(req.query),
      body: parsedBody,
      status: reply === 'handled' ? 0 : reply.status,
    });
    if (this.calls.length > 5000) this.calls.splice(0, 1000);
    if (reply === 'handled') return;
    if (this.faults.oversized > 0) {
      this.faults.oversized--;
      return sendOversized(res);
    }
    send(res, reply, this.faults.malformed > 0 ? (this.faults.malformed--, true) : false);
  }

  private notFoundAtFirst(path: string): boolean {
    const n = this.faults.notFoundFirst;
    if (n !== this.notFound.n) this.notFound.seen.clear(); // a new setting counts afresh
    this.notFound.n = n;
    const seen = this.notFound.seen.get(path) ?? 0;
    if (seen >= n) return false;
    this.notFound.seen.set(path, seen + 1);
    return true;
  }

  private onControl(req: IncomingRequest, res: http.ServerResponse): void {
    let body: Record<string, unknown> = {};
    try {
      body = req.rawBody ? (JSON.parse(req.rawBody) as Record<string, unknown>) : {};
    } catch {
      return send(res, { status: 400, body: { error: 'control body must be JSON' } }, false);
    }
    const name = req.path.slice('/__emulator/'.length);
    if (name === 'faults' && req.method === 'POST') {
      for (const k of Object.keys(this.faults) as Array<keyof Faults>)
        if (typeof body[k] === 'number') this.faults[k] = body[k] as number;
      return send(res, { status: 200, body: this.faults }, false);
    }
    if (name === 'calls') return send(res, { status: 200, body: this.calls }, false);
    const action = this.control[name];
    if (!action) return send(res, { status: 404, body: { error: `unknown control ${name}` } }, false);
    try {
      send(res, { status: 200, body: action(body) ?? { ok: true } }, false);
    } catch (e) {
      send(res, { status: 400, body: { error: e instanceof Error ? e.message : String(e) } }, false);
    }
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 16 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.alloc(0)));
  });
}

export function send(res: http.ServerResponse, reply: Reply, malformed: boolean): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: string | Buffer = '';
  if (reply.bytes !== undefined) payload = reply.bytes;
  else if (reply.text !== undefined) payload = reply.text;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] ??= 'application/json; charset=UTF-8';
  }
  if (malformed && payload) payload = payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** A JSON reply of some 40 MB, streamed without a length. */
function sendOversized(res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
  const chunk = 'x'.repeat(1024 * 1024);
  res.write('{"padding":"');
  let n = 0;
  const more = () => {
    while (n < 40) {
      n++;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    res.end('"}');
  };
  res.on('close', () => (n = 40));
  more();
}

export function requestId(): string {
  return `${randomUUID().replace(/-/g, '')}-${Date.now()}-emulator`;
}

export function randomAlnum(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** ISO 8601 UTC without milliseconds: 2018-10-25T03:06:10Z. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function header(req: IncomingRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
