import http from 'node:http';

/**
 * An HTTP endpoint for a platform's pushes, careful with what it reads: the method, the
 * per-source rate and the headers (a signature check the caller supplies) are judged before any
 * of the body is read; the body is capped by its declared length and again while it streams.
 * Only then is it handed over. The caller's answer is written back (the platform waits for it).
 */
export interface PushReceiverOptions {
  port: number;
  /** Checks the headers; a string is the reason to refuse (401). */
  checkHeaders(headers: http.IncomingHttpHeaders): string | null;
  onBody(body: Buffer, headers: http.IncomingHttpHeaders): number;
  /** Called for every refused request, with the status and why. */
  onRefused(status: number, reason: string): void;
  maxBodyBytes?: number;
  /**
   * Token buckets per source address: `burst` at once, `perSecond` after. Refused requests
   * draw on one, accepted ones on the other, so a flood of forgeries cannot slow the platform's
   * own pushes (behind a proxy or tunnel every request has the same source).
   */
  refusedRate?: Rate;
  acceptedRate?: Rate;
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
/** Open connections at once (a platform posts over a few): past this, a new one is closed at once. */
export const PUSH_MAX_CONNECTIONS = 256;

export async function startPushReceiver(o: PushReceiverOptions): Promise<http.Server> {
  const maxBody = o.maxBodyBytes ?? PUSH_MAX_BODY;
  const refusedRate = o.refusedRate ?? { burst: 20, perSecond: 2 };
  const acceptedRate = o.acceptedRate ?? { burst: 500, perSecond: 200 };
  const refusedBudget = tokenBuckets(refusedRate);
  const acceptedBudget = tokenBuckets(acceptedRate);
  const refuse = (req: http.IncomingMessage, res: http.ServerResponse, status: number, reason: string) => {
    o.onRefused(status, reason);
    // The body is not read: close the connection instead of draining it.
    res.writeHead(status, { Connection: 'close' }).end();
    req.destroy();
  };
  // The header deadline is checked every second (Node's default, 30 s, let a slow sender stay ~35 s).
  const server = http.createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    try {
      serve(req, res);
    } catch (e) {
      // A fault of ours must not take the host down: the platform gets a 500.
      refuse(req, res, 500, `receiver fault: ${(e as Error).message}`);
    }
  });
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const source = req.socket.remoteAddress ?? '?';
    if (req.method !== 'POST') return refuse(req, res, 405, `method ${req.method}`);
    // The signature (one hash) is checked first: only then is it known which budget to draw on.
    const bad = o.checkHeaders(req.headers);
    if (bad) return refuse(req, res, refusedBudget.take(source) ? 401 : 429, bad);
    if (!acceptedBudget.take(source))
      return refuse(req, res, 429, `more than ${acceptedRate.perSecond} pushes a second from ${source}`);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBody) return refuse(req, res, 413, `body of ${declared} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody && !over) {
        over = true;
        return refuse(req, res, 413, `body over ${maxBody} bytes`);
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (over) return;
      let status = 500;
      try {
        status = o.onBody(Buffer.concat(chunks), req.headers);
      } catch (e) {
        o.onRefused(500, `receiver fault: ${(e as Error).message}`);
      }
      res.writeHead(status).end();
    });
  };
  // Slow senders do not hold sockets: the platform posts small bodies within its own 5 s.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  // …and a connection that sends nothing at all (no request yet: the header deadline has not started).
  server.timeout = 5_000;
  // The port faces the internet: connections held open (sending nothing) must not use up the
  // host's file descriptors (keychain, database, relay) — past the cap a new one is closed at once.
  server.maxConnections = PUSH_MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // All interfaces: the push arrives through port forwarding or a tunnel, not from this machine.
    server.listen(o.port, () => resolve());
  });
  return server;
}
