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
  /** Token bucket per source address: `burst` at once, `perSecond` after. */
  rate?: { burst: number; perSecond: number };
}

export const PUSH_MAX_BODY = 256 * 1024;

export async function startPushReceiver(o: PushReceiverOptions): Promise<http.Server> {
  const maxBody = o.maxBodyBytes ?? PUSH_MAX_BODY;
  const rate = o.rate ?? { burst: 60, perSecond: 10 };
  const buckets = new Map<string, { tokens: number; at: number }>();
  const take = (source: string): boolean => {
    const now = Date.now();
    if (buckets.size > 10_000) buckets.clear(); // many sources: start afresh rather than grow
    const b = buckets.get(source) ?? { tokens: rate.burst, at: now };
    b.tokens = Math.min(rate.burst, b.tokens + ((now - b.at) / 1000) * rate.perSecond);
    b.at = now;
    buckets.set(source, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
  const refuse = (req: http.IncomingMessage, res: http.ServerResponse, status: number, reason: string) => {
    o.onRefused(status, reason);
    // The body is not read: close the connection instead of draining it.
    res.writeHead(status, { Connection: 'close' }).end();
    req.destroy();
  };
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') return refuse(req, res, 405, `method ${req.method}`);
    if (!take(req.socket.remoteAddress ?? '?')) return refuse(req, res, 429, `more than ${rate.perSecond} pushes a second from ${req.socket.remoteAddress}`);
    const bad = o.checkHeaders(req.headers);
    if (bad) return refuse(req, res, 401, bad);
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
      res.writeHead(o.onBody(Buffer.concat(chunks), req.headers)).end();
    });
  });
  // Slow senders do not hold sockets: the platform posts small bodies within its own 5 s.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // All interfaces: the push arrives through port forwarding or a tunnel, not from this machine.
    server.listen(o.port, () => resolve());
  });
  return server;
}
