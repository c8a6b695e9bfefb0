import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { IncomingRequest, Reply } from '../common/http';

/**
 * The emulator's media side for §9.1 FLV live URLs: each URL is a ticket that must be opened
 * within its `expire_time` (default 30 s) and, with `use_times` 0 (the default), once; a reused,
 * expired or revoked (§9.4) URL gets 403, an unknown one 404. An opened stream is relayed from
 * the media simulator for as long as the client keeps it.
 */
export class MediaGate {
  private readonly tickets = new Map<string, { target: string; openBy: number; unlimited: boolean; opened: boolean }>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly clock: () => number,
    private readonly revoked: (url: string) => boolean,
  ) {}

  issue(target: string, expireS = 30, useTimes: 0 | 1 = 0): string {
    const token = randomBytes(12).toString('hex');
    this.tickets.set(token, { target, openBy: this.clock() + expireS * 1000, unlimited: useTimes === 1, opened: false });
    return `${this.baseUrl()}/media/live/${token}.flv?token=${token}`;
  }

  serve(req: IncomingRequest): Reply | 'handled' {
    const m = /^\/media\/live\/([0-9a-f]+)\.flv$/.exec(req.path);
    const t = m ? this.tickets.get(m[1]!) : undefined;
    const cors = { 'Access-Control-Allow-Origin': '*' };
    if (!t) return { status: 404, text: 'no such media URL', headers: cors };
    if (this.revoked(`${this.baseUrl()}${req.path}${req.url.search}`)) return { status: 403, text: 'media URL revoked', headers: cors };
    if (t.opened && !t.unlimited) return { status: 403, text: 'media URL already used (use_times 0)', headers: cors };
    if (!t.opened && this.clock() > t.openBy) return { status: 403, text: 'media URL expired', headers: cors };
    t.opened = true;
    const upstream = http.get(t.target, (up) => {
      // One CORS header whatever the simulator sends (two values would fail in the browser).
      req.res.writeHead(up.statusCode ?? 502, { ...up.headers, 'access-control-allow-origin': '*' });
      up.pipe(req.res);
    });
    upstream.on('error', () => req.res.destroy());
    req.res.on('close', () => upstream.destroy());
    return 'handled';
  }
}
