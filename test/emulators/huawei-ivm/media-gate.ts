import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { IncomingRequest, Reply } from '../common/http';
import { passThrough } from '../media/pass-through';

/** The HLS URL paths of §9.1/§9.3 (their `token` query parameter is the ticket). */
export const HLS_PATHS = ['/live/live.m3u8', '/vod/vod.m3u8', '/dev_vod/vod.m3u8'] as const;
type HlsPath = (typeof HLS_PATHS)[number];
/** §9.1's FLV path: `/live/<device_id>.flv` (the `token` query parameter is the ticket). */
const FLV_PATH = /^\/live\/[^/]+\.flv$/;
const SESSION_IDLE_MS = 5 * 60_000;
/** §9.1: each use of a live HLS URL moves its expiry to at least 60 s on. */
const HLS_USE_REFRESH_MS = 60_000;
const M3U8 = 'application/vnd.apple.mpegurl';

interface Ticket {
  target: string;
  /** the camera it plays (`device/channel`), for cut() */
  owner?: string;
  openBy: number;
  unlimited: boolean;
  opened: boolean;
  /** a live HLS URL: each use refreshes its validity (§9.1; §9.3 says nothing of the kind for playback) */
  refreshedByUse: boolean;
}

/**
 * The emulator's media side for §9.1 live and §9.3 playback URLs: each URL is a ticket opened
 * within its `expire_time` (default 30 s): with `use_times` 0 (the default) once, with 1 any number
 * of times within it ("有效时间内任意使用"), a use of a live HLS URL moving it to 60 s on at least
 * (§9.1: "HTTP_HLS和HTTPS_HLS每次使用会刷新过期时间，每次刷新60秒"); a stream already open plays on past it. A reused, expired or
 * revoked (§9.4) URL gets 403, an unknown one 404.
 * - FLV: the opened stream is relayed from the media simulator for as long as the client keeps it.
 * - HLS: a player fetches many times (playlist reloads, segments), so opening the ticket answers
 *   a master playlist naming a session; the session's media playlist is the simulator's, with its
 *   URIs made absolute (segments come straight from the simulator), for as long as it is used.
 */
export class MediaGate {
  private readonly tickets = new Map<string, Ticket>();
  private readonly sessions = new Map<string, { target: string; lastUse: number; owner?: string }>();
  /** FLV streams being relayed, by the camera they play (cut() ends them). */
  private readonly flowing = new Map<http.ServerResponse, string | undefined>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly clock: () => number,
    private readonly revoked: (url: string) => boolean,
  ) {}

  private ticket(target: string, expireS: number, useTimes: 0 | 1, owner?: string, refreshedByUse = false): string {
    const token = randomBytes(12).toString('hex');
    this.tickets.set(token, {
      target,
      owner,
      openBy: this.clock() + expireS * 1000,
      unlimited: useTimes === 1,
      opened: false,
      refreshedByUse,
    });
    return token;
  }

  /** An FLV URL in §9.1's form (`…/live/<device_id>.flv?token=…`, on the media host's own port). */
  issue(target: string, expireS = 30, useTimes: 0 | 1 = 0, owner?: string): string {
    const token = this.ticket(target, expireS, useTimes, owner);
    return `${this.baseUrl()}/live/${encodeURIComponent(owner?.split('/')[0] ?? 'stream')}.flv?token=${token}`;
  }

  /** An HLS URL in the documents' form (`…/vod/vod.m3u8?token=…&device_id=…&channel_id=…`). */
  issueHls(
    target: string,
    path: HlsPath,
    params: Record<string, string>,
    expireS = 30,
    useTimes: 0 | 1 = 0,
    owner?: string,
  ): string {
    const token = this.ticket(target, expireS, useTimes, owner, path === '/live/live.m3u8');
    return `${this.baseUrl()}${path}?${new URLSearchParams({ token, ...params })}`;
  }

  handles(path: string): boolean {
    return FLV_PATH.test(path) || path.startsWith('/media/') || (HLS_PATHS as readonly string[]).includes(path);
  }

  serve(req: IncomingRequest): Reply | 'handled' {
    const cors = { 'Access-Control-Allow-Origin': '*' };
    const session = /^\/media\/hls\/([0-9a-f]{24})\.m3u8$/.exec(req.path);
    if (session) return this.sessionPlaylist(req, session[1]!, cors);
    const flv = FLV_PATH.test(req.path);
    const token =
      flv || (HLS_PATHS as readonly string[]).includes(req.path) ? (req.url.searchParams.get('token') ?? '') : '';
    const t = this.tickets.get(token);
    if (!t) return { status: 404, text: 'no such media URL', headers: cors };
    if (this.revoked(`${this.baseUrl()}${req.path}${req.url.search}`))
      return { status: 403, text: 'media URL revoked', headers: cors };
    if (t.opened && !t.unlimited) return { status: 403, text: 'media URL already used (use_times 0)', headers: cors };
    if (this.clock() > t.openBy) return { status: 403, text: 'media URL expired', headers: cors };
    t.opened = true;
    if (!flv) {
      if (t.refreshedByUse) t.openBy = Math.max(t.openBy, this.clock() + HLS_USE_REFRESH_MS);
      const id = randomBytes(12).toString('hex');
      this.sessions.set(id, { target: t.target, lastUse: this.clock(), owner: t.owner });
      return {
        status: 200,
        text: `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\n${this.baseUrl()}/media/hls/${id}.m3u8\n`,
        headers: { ...cors, 'Content-Type': M3U8 },
      };
    }
    // One CORS header whatever the simulator sends (two values would fail in the browser).
    passThrough(t.target, req.res, (up) => ({ ...up.headers, 'access-control-allow-origin': '*' }));
    this.flowing.set(req.res, t.owner);
    req.res.on('close', () => this.flowing.delete(req.res));
    return 'handled';
  }

  /**
   * Test control: every URL handed out lapses (an unopened one expired, an opened one used up) and
   * every HLS session closes, so a player that reconnects or reloads with what it holds gets 403
   * or 404 and must ask for a new URL. Open FLV streams go on, as a platform's do.
   */
  lapse(): { tickets: number; sessions: number } {
    const counts = { tickets: this.tickets.size, sessions: this.sessions.size };
    for (const t of this.tickets.values()) {
      t.openBy = 0;
      t.opened = true;
      t.unlimited = false;
    }
    this.sessions.clear();
    return counts;
  }

  /** Test control: ends the FLV streams and HLS sessions of camera `owner` (`device/channel`): it went offline. */
  cut(owner: string): number {
    let n = 0;
    for (const [res, o] of this.flowing)
      if (o === owner) {
        res.destroy();
        n++;
      }
    for (const [id, s] of this.sessions) if (s.owner === owner) this.sessions.delete(id);
    return n;
  }

  /** A session's playlist (`?u=` for a nested one, on the simulator's own origin only). */
  private sessionPlaylist(req: IncomingRequest, id: string, cors: Record<string, string>): Reply | 'handled' {
    const s = this.sessions.get(id);
    if (!s || this.clock() - s.lastUse > SESSION_IDLE_MS) {
      this.sessions.delete(id);
      return { status: 404, text: 'no such media session (closed after 5 idle minutes)', headers: cors };
    }
    s.lastUse = this.clock();
    const wanted = req.url.searchParams.get('u') ?? s.target;
    if (new URL(wanted).origin !== new URL(s.target).origin)
      return { status: 403, text: 'not this session’s media', headers: cors };
    const upstream = http.get(wanted, (up) => {
      let text = '';
      up.setEncoding('utf8');
      up.on('data', (d: string) => (text += d));
      up.on('end', () => {
        if ((up.statusCode ?? 502) !== 200) {
          req.res.writeHead(up.statusCode ?? 502, cors).end();
          return;
        }
        req.res
          .writeHead(200, { ...cors, 'Content-Type': M3U8, 'Cache-Control': 'no-store' })
          .end(this.rewrite(text, wanted, id));
      });
    });
    upstream.on('error', () => req.res.destroy());
    return 'handled';
  }

  /** URIs made absolute; nested playlists stay inside the session. */
  private rewrite(playlist: string, base: string, id: string): string {
    const resolve = (uri: string) => {
      const abs = new URL(uri, base).toString();
      return /\.m3u8(\?|$)/.test(new URL(abs).pathname + new URL(abs).search)
        ? `${this.baseUrl()}/media/hls/${id}.m3u8?u=${encodeURIComponent(abs)}`
        : abs;
    };
    return playlist
      .split('\n')
      .map((line) => {
        const l = line.trim();
        if (!l) return line;
        if (!l.startsWith('#')) return resolve(l);
        return line.replace(/URI="([^"]+)"/g, (_m, uri: string) => `URI="${resolve(uri)}"`);
      })
      .join('\n');
  }
}
