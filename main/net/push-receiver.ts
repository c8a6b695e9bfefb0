import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';

/** A certificate and key (PEM) for a receiver that terminates TLS itself (an agent without a proxy). */
export interface PushTls {
  cert: string | Buffer;
  key: string | Buffer;
}

/**
 * An HTTP endpoint for a platform's pushes, careful with what it reads: the method, the signature
 * (a check the caller supplies) and a per-source budget for refusals are judged before any of the
 * body is read; the body is capped by its declared length and again while it streams. Only then
 * is it handed over, and the caller's answer is written back (the platform waits for it).
 *
 * A platform counts every answer but 200 as a failure (Huawei IVM stops pushing for 10 minutes
 * after 6), so a push whose signature is valid is never refused for its rate or size here: the
 * caller contains floods by what it does with them. Sockets are what an idle or slow peer can use
 * up: headers have a short deadline, each source address holds a few connections at most, and
 * past a cap a new connection takes the place of the oldest one that never carried a signed push
 * (the platform's own connections are not given up for a stranger's).
 */
export interface PushReceiverOptions {
  port: number;
  /** Serve HTTPS with this certificate and key; absent: plain HTTP (behind a TLS-terminating proxy). */
  tls?: PushTls;
  /** Checks the headers; a string is the reason to refuse (401). */
  checkHeaders(headers: http.IncomingHttpHeaders): string | null;
  /** The answer to a push, or a promise of it (the platform waits for it: answer within its wait). */
  onBody(body: Buffer, headers: http.IncomingHttpHeaders): number | Promise<number>;
  /** Called for every refused request, with the status and why. */
  onRefused(status: number, reason: string): void;
  /** A signed push over the size cap: answered 200 unread (anything else counts as the platform's failure). */
  onTooLarge?(reason: string): void;
  maxBodyBytes?: number;
  /**
   * Token buckets per source address for refused requests (`burst` at once, `perSecond` after):
   * past it a forgery gets 429 instead of 401, and the log is spared.
   */
  refusedRate?: Rate;
  /** Open connections at once (default PUSH_MAX_CONNECTIONS). */
  maxConnections?: number;
  /** Open connections per source address (default PUSH_MAX_PER_SOURCE). */
  maxPerSource?: number;
}

interface Rate {
  burst: number;
  perSecond: number;
}

/**
 * Token buckets keyed by source address, at most `maxSources` of them. The table is kept in order
 * of last use; when it is full, only sources whose budget is full again by now are forgotten
 * (oldest first): forgetting those changes nothing, so more addresses than the table holds never
 * refill a drained one. While every remembered source is still drawing, a new one is refused.
 */
export function tokenBuckets(
  rate: Rate,
  maxSources = 10_000,
  clock = () => performance.now(),
): { take(source: string): boolean; readonly size: number } {
  const all = new Map<string, { tokens: number; at: number }>();
  const refillMs = (rate.burst / rate.perSecond) * 1000;
  return {
    take(source) {
      const now = clock();
      let b = all.get(source);
      if (b)
        all.delete(source); // set again below, at the end: the most recently seen
      else {
        for (const [key, old] of all) {
          if (all.size < maxSources || now - old.at < refillMs) break;
          all.delete(key);
        }
        if (all.size >= maxSources) return false;
        b = { tokens: rate.burst, at: now };
      }
      b.tokens = Math.min(rate.burst, b.tokens + ((now - b.at) / 1000) * rate.perSecond);
      b.at = now;
      all.set(source, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    get size() {
      return all.size;
    },
  };
}

export const PUSH_MAX_BODY = 256 * 1024;
/** How long the platform waits for a push's answer (IVM §10.1: 5 s, no retry). */
const PLATFORM_WAIT_MS = 5_000;
/** Open connections at once (a platform posts over a few): past this, the oldest stranger's gives way. */
export const PUSH_MAX_CONNECTIONS = 256;
/**
 * Open connections from one address. Behind a proxy or tunnel every connection has one source,
 * but such a front end opens a connection upstream per request it forwards, not per idle client.
 */
export const PUSH_MAX_PER_SOURCE = 64;

/** Per socket: its source, whether a request is being served, whether it ever carried a signed push. */
interface Conn {
  source: string;
  busy: boolean;
  trusted: boolean;
}

export async function startPushReceiver(o: PushReceiverOptions): Promise<http.Server> {
  const maxBody = o.maxBodyBytes ?? PUSH_MAX_BODY;
  const refusedRate = o.refusedRate ?? { burst: 20, perSecond: 2 };
  const refusedBudget = tokenBuckets(refusedRate);
  const maxConnections = o.maxConnections ?? PUSH_MAX_CONNECTIONS;
  const maxPerSource = o.maxPerSource ?? PUSH_MAX_PER_SOURCE;
  /** Open sockets, oldest first. */
  const conns = new Map<net.Socket, Conn>();
  const perSource = new Map<string, number>();
  const refuse = (req: http.IncomingMessage, res: http.ServerResponse, status: number, reason: string) => {
    o.onRefused(status, reason);
    // The body is not read: close the connection instead of draining it.
    res.writeHead(status, { Connection: 'close' }).end();
    req.destroy();
  };
  // The header deadline is checked every second (Node's default, 30 s, let a slow sender stay ~35 s).
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const conn = conns.get(req.socket);
    if (conn) {
      conn.busy = true;
      res.on('close', () => (conn.busy = false));
    }
    try {
      serve(req, res, conn);
    } catch (e) {
      // A fault of ours must not take the host down: the platform gets a 500.
      refuse(req, res, 500, `receiver fault: ${(e as Error).message}`);
    }
  };
  // With TLS the sockets are counted once their handshake is done (requests name the TLS socket),
  // and a handshake has the header deadline's few seconds.
  const server: http.Server = o.tls
    ? https.createServer(
        { cert: o.tls.cert, key: o.tls.key, handshakeTimeout: 3_000, connectionsCheckingInterval: 1_000 },
        handler,
      )
    : http.createServer({ connectionsCheckingInterval: 1_000 }, handler);
  /**
   * The oldest socket (of `source`) that serves no request and never carried a signed push. Oldest
   * first: a connection the platform just opened outlives every stranger opened before it.
   */
  const oldestIdle = (except: net.Socket, source?: string) => {
    for (const [socket, c] of conns)
      if (socket !== except && !c.busy && !c.trusted && (source === undefined || c.source === source)) return socket;
    return null;
  };
  const forget = (socket: net.Socket) => {
    const c = conns.get(socket);
    if (!c) return;
    conns.delete(socket);
    const n = (perSource.get(c.source) ?? 1) - 1;
    if (n > 0) perSource.set(c.source, n);
    else perSource.delete(c.source);
  };
  const close = (socket: net.Socket) => {
    forget(socket);
    socket.destroy();
  };
  server.on(o.tls ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    const source = socket.remoteAddress ?? '?';
    conns.set(socket, { source, busy: false, trusted: false });
    perSource.set(source, (perSource.get(source) ?? 0) + 1);
    socket.once('close', () => forget(socket));
    // Room for the newcomer: past its source's share, that source's oldest idle stranger goes (if
    // it has none — a burst from one proxy — it stays); past the cap, any source's; and with none
    // (every connection serving or the platform's), the newcomer is the one closed.
    if (perSource.get(source)! > maxPerSource) {
      const old = oldestIdle(socket, source);
      if (old) close(old);
    }
    if (conns.size > maxConnections) close(oldestIdle(socket) ?? socket);
  });
  const serve = (req: http.IncomingMessage, res: http.ServerResponse, conn: Conn | undefined) => {
    const source = req.socket.remoteAddress ?? '?';
    if (req.method !== 'POST') return refuse(req, res, 405, `method ${req.method}`);
    // The signature (one hash) is checked before the body is read.
    const bad = o.checkHeaders(req.headers);
    if (bad) return refuse(req, res, refusedBudget.take(source) ? 401 : 429, bad);
    if (conn) conn.trusted = true;
    const tooLarge = (reason: string) => {
      o.onTooLarge?.(reason);
      res.writeHead(200, { Connection: 'close' }).end();
      req.destroy();
    };
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBody) return tooLarge(`a signed push of ${declared} bytes (over ${maxBody})`);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > maxBody) {
        over = true;
        return tooLarge(`a signed push over ${maxBody} bytes`);
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (over) return;
      const fault = (e: unknown) => {
        o.onRefused(500, `receiver fault: ${(e as Error).message}`);
        return 500;
      };
      let answer: number | Promise<number>;
      try {
        answer = o.onBody(Buffer.concat(chunks), req.headers);
      } catch (e) {
        answer = fault(e);
      }
      if (typeof answer === 'number') res.writeHead(answer).end();
      else {
        // The answer may wait for the broker up to the platform's own wait (IVM: 5 s, §10.1):
        // the idle limit below (3 s) must not close the connection meanwhile, which the
        // platform counts as a failure (six in a row stop its pushes for 10 minutes).
        req.socket.setTimeout(PLATFORM_WAIT_MS + 1_000);
        void answer.catch(fault).then((status) => {
          if (!res.headersSent && !res.destroyed) res.writeHead(status).end();
        });
      }
    });
  };
  // Slow senders do not hold sockets: the platform sends a small body at once and waits 5 s in all.
  server.headersTimeout = 3_000;
  server.requestTimeout = 6_000;
  // …and a connection that sends nothing at all (no request yet: the header deadline has not started).
  server.timeout = 3_000;
  server.keepAliveTimeout = 3_000;
  // A backstop for file descriptors while closed sockets are being released (the table above keeps
  // the count at maxConnections otherwise).
  server.maxConnections = maxConnections * 4;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // All interfaces: the push arrives through port forwarding or a tunnel, not from this machine.
    server.listen(o.port, () => resolve());
  });
  return server;
}
