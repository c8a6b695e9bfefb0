import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The site's reverse proxy in front of two agents (deploy/nginx/vigil-agent-push.conf), small
// enough for tests and the bench: one public URL the platform pushes to, the agents as upstreams
// in order (the first, then the backup), passive health as nginx's `max_fails=1 fail_timeout`
// (an upstream whose connection failed or that answered 502–504 is skipped for a while), and a
// POST that failed on one upstream retried once on the next (`proxy_next_upstream error timeout
// non_idempotent`): safe because the agents keep a push once by its message id.

export interface FailoverProxy {
  /** The URL to register with the platform (`publicUrl` in both agents' agent.json). */
  url: string;
  /** Pushes handed to another upstream after one failed. */
  readonly failovers: number;
  /** Requests no upstream answered (the platform saw a 502). */
  readonly unanswered: number;
  close(): Promise<void>;
}

export async function startFailoverProxy(
  upstreams: number[],
  o: { path?: string; failTimeoutMs?: number; readTimeoutMs?: number } = {},
): Promise<FailoverProxy> {
  const failTimeoutMs = o.failTimeoutMs ?? 10_000;
  const readTimeoutMs = o.readTimeoutMs ?? 4_500;
  /** upstream port → skipped until (ms) */
  const down = new Map<number, number>();
  let failovers = 0;
  let unanswered = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && !['host', 'connection', 'content-length', 'keep-alive'].includes(k))
            headers[k] = v;
        const now = Date.now();
        // Upstreams up first, in order; those marked down after them (nginx tries them when all are down).
        const order = [
          ...upstreams.filter((p) => (down.get(p) ?? 0) <= now),
          ...upstreams.filter((p) => (down.get(p) ?? 0) > now),
        ];
        for (const [n, port] of order.entries()) {
          if (n > 0) failovers++;
          try {
            const r = await fetch(`http://127.0.0.1:${port}${req.url ?? '/'}`, {
              method: req.method ?? 'POST',
              headers,
              ...(body.length ? { body: new Uint8Array(body) } : {}),
              signal: AbortSignal.timeout(readTimeoutMs),
            });
            const answer = Buffer.from(await r.arrayBuffer());
            if (r.status >= 502 && r.status <= 504) throw new Error(`upstream answered ${r.status}`);
            down.delete(port);
            res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'text/plain' }).end(answer);
            return;
          } catch {
            down.set(port, Date.now() + failTimeoutMs);
          }
        }
        unanswered++;
        res.writeHead(502).end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${o.path ?? '/push'}`,
    get failovers() {
      return failovers;
    },
    get unanswered() {
      return unanswered;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
