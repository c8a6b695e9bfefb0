import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../../preload/contract/limits';
import type { Core } from '../core';
import { log } from '../log';
import { startPrintServer } from './print-server';
import { contentSecurityPolicy, distDir, resolveStatic } from './static';

/**
 * Browser host: the same core behind HTTP + WebSocket on 127.0.0.1 only. A random per-launch
 * token (in the printed URL, then an HttpOnly cookie) is required on every request and on the
 * socket; foreign Origins and Host headers are refused (no cross-site or DNS-rebinding access).
 */
export interface WebHostOptions {
  /**
   * The core, or the core being made: the host serves the page and accepts its socket at once, and
   * the socket's requests wait for the core (a core that fails to start answers them with why).
   */
  core: Core | Promise<Core>;
  /** The map tiles' origins for a page served before the core is made (the core's own after). */
  savedTileSources?: () => string[];
  port?: number;
  rendererDir?: string;
  preloadScript?: string;
  /** Fixed token for tests; random otherwise. */
  token?: string;
}

export interface WebHost {
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'vigil_token';

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const rendererDir = options.rendererDir ?? distDir('renderer');
  const preloadScript = options.preloadScript ?? distDir('preload', 'web.js');
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  let origin = '';
  let printServer: { close(): void } | null = null;
  // Set up before any socket's request reaches the core: the relay serves only this origin, and
  // the print server is there for the first printable.
  let ready: Promise<Core> | null = null;
  let made: Core | null = null;
  const coreReady = (): Promise<Core> =>
    (ready ??= Promise.resolve(options.core).then(async (core) => {
      made = core;
      core.relay.allowOrigins([origin, origin.replace('127.0.0.1', 'localhost')]);
      printServer = await startPrintServer(core.printables, (req) => tokenOk(cookie(req, COOKIE)));
      return core;
    }));

  const tokenOk = (candidate: string | undefined): boolean => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const hostOk = (req: http.IncomingMessage): boolean => {
    const port = (server.address() as AddressInfo).port;
    return req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  };
  // A browser says where a request comes from: another site (or another port of this host, which
  // is the "same site") is refused even with the cookie; `none` is the operator opening the URL.
  const sameOrigin = (req: http.IncomingMessage): boolean => {
    const from = req.headers['sec-fetch-site'];
    if (from !== undefined && from !== 'same-origin' && from !== 'none') return false;
    const o = req.headers.origin;
    return o === undefined || o === origin || o === origin.replace('127.0.0.1', 'localhost');
  };
  const authorized = (req: http.IncomingMessage, url: URL): boolean =>
    tokenOk(cookie(req, COOKIE)) || tokenOk(url.searchParams.get('token') ?? undefined);

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (!hostOk(req)) return deny(res, 403, 'Forbidden host');
    if (!sameOrigin(req)) return deny(res, 403, 'Forbidden: another site may not read Vigil');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed');
    if (!authorized(req, url))
      return deny(res, 401, 'Vigil: open the URL printed at start-up (it carries the access token).');
    if (url.searchParams.has('token')) {
      // Move the token from the URL into a cookie so it leaves the address bar and history.
      res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(302, { Location: '/' });
      return res.end();
    }
    if (url.pathname === '/vigil-preload.js') return sendFile(res, preloadScript, 'text/javascript; charset=utf-8');
    const found = resolveStatic(rendererDir, url.pathname) ?? resolveStatic(rendererDir, '/');
    if (!found) return deny(res, 404, 'Renderer not built: run npm run build');
    if (found.mime.startsWith('text/html')) {
      const html = fs
        .readFileSync(found.file, 'utf8')
        .replace('<head>', '<head><script src="/vigil-preload.js"></script>');
      res.writeHead(200, {
        'Content-Type': found.mime,
        'Content-Security-Policy': contentSecurityPolicy(
          origin.replace('http', 'ws'),
          made ? made.maps.tileSources() : (options.savedTileSources?.() ?? []),
        ),
      });
      return res.end(html);
    }
    sendFile(res, found.file, found.mime);
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const originHeader = req.headers.origin;
    const refuse = (status: number, why: string) => {
      log.warn(`websocket refused: ${why}`);
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    };
    if (url.pathname !== '/ws') return refuse(403, 'unknown path');
    if (!hostOk(req)) return refuse(403, 'foreign Host header');
    if (
      originHeader !== undefined &&
      originHeader !== origin &&
      originHeader !== origin.replace('127.0.0.1', 'localhost')
    ) {
      return refuse(403, `foreign origin ${originHeader}`);
    }
    if (!authorized(req, url)) return refuse(401, 'missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, coreReady()));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  // A core given made is set up before this returns; one being made, when it is.
  if (options.core instanceof Promise) void coreReady().catch(() => undefined);
  else await coreReady();
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A core still being made is waited for: its relay lanes and print server are closed too.
      const core = await coreReady().catch(() => null);
      core?.relay.close();
      printServer?.close();
      await closed;
    },
  };
}

/**
 * One socket = one window. Requests `{id, channel, payload}` → `{id, ok, result|error}`; events
 * `{event, payload}`. A socket opened while the core is being made keeps its requests until the
 * core is up (each then answered by it), or answers them with why Vigil did not start.
 */
function serveSocket(ws: WebSocket, ready: Promise<Core>): void {
  let unsubscribe: (() => void) | null = null;
  let closed = false;
  void ready.then(
    (core) => {
      if (closed) return;
      unsubscribe = core.events.subscribe((event, payload) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
      });
    },
    () => undefined,
  );
  ws.on('message', async (data, isBinary) => {
    let message: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      message = JSON.parse(String(data));
    } catch {
      return reply(ws, null, { ok: false, error: { code: 'BAD_REQUEST', message: 'Frame is not a JSON request' } });
    }
    const { id, channel, payload } = (message ?? {}) as { id?: unknown; channel?: unknown; payload?: unknown };
    if (typeof id !== 'number' && typeof id !== 'string') {
      return reply(ws, null, { ok: false, error: { code: 'BAD_REQUEST', message: 'Request has no id' } });
    }
    let core: Core;
    try {
      core = await ready;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return reply(ws, id, { ok: false, error: { code: 'INTERNAL', message: `Vigil did not start: ${why}` } });
    }
    reply(ws, id, await core.call(channel, payload));
  });
  ws.on('close', () => {
    closed = true;
    unsubscribe?.();
  });
  ws.on('error', (e) => log.warn('websocket error', e));
}

function reply(ws: WebSocket, id: unknown, envelope: object): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...envelope }));
}

function deny(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function sendFile(res: http.ServerResponse, file: string, mime: string): void {
  fs.createReadStream(file)
    .on('error', () => deny(res, 404, 'Not found'))
    .once('open', () => res.writeHead(200, { 'Content-Type': mime }))
    .pipe(res);
}

function cookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
