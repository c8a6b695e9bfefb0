import http from 'node:http';
import { pipeline } from 'node:stream';

/**
 * A platform's media node handing on a stream it fetches from the simulator. When the simulator's
 * server goes away mid-stream (a media server restart), the client's connection is cut too, as a
 * proxy does with an answer it cannot finish; `up.pipe(res)` left it open and silent, so a player
 * saw a frozen stream until its own stall watch gave up. A client that leaves stops the fetch.
 */
export function passThrough(
  target: string,
  res: http.ServerResponse,
  headers: (up: http.IncomingMessage) => http.OutgoingHttpHeaders,
  unreachable: () => void = () => res.destroy(),
): void {
  const upstream = http.get(target, (up) => {
    res.writeHead(up.statusCode ?? 502, headers(up));
    pipeline(up, res, () => undefined);
  });
  upstream.on('error', () => (res.headersSent ? res.destroy() : unreachable()));
  res.on('close', () => upstream.destroy());
}

/** The headers a platform's media node answers a stream with (one CORS header, no caching). */
export function streamHeaders(up: http.IncomingMessage): http.OutgoingHttpHeaders {
  return {
    'Content-Type': up.headers['content-type'] ?? 'application/octet-stream',
    'Access-Control-Allow-Origin': '*',
    'Cache-Control': 'no-cache',
  };
}
