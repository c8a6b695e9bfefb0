import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';

/**
 * Serves HLS playlists and segments from a folder: correct MIME types, CORS, byte ranges,
 * no caching of playlists. 127.0.0.1 only.
 */
const mime: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.flv': 'video/x-flv',
};

export class StaticMediaServer {
  private server: http.Server | null = null;
  port = 0;
  /**
   * Paths asked for but absent can be produced on demand: true once the file is there, its bytes
   * when they come from elsewhere (a recording still being written), a stream of them while they
   * are being made (sent as they come; whole for a byte range), false for 404.
   */
  onMissing: ((urlPath: string) => Promise<boolean | Buffer | Readable>) | null = null;
  /**
   * Fault switch, like a platform whose stream is not up yet: each playlist path answers 404 (with
   * CORS, so a browser player sees the status) to its first `notFoundFirst` requests, counted
   * from when the value was set; 0 (the default) turns it off. `segmentDelayMs`: every request
   * but a playlist's (segments, clips) answers this much later, like a slow link to the platform's storage —
   * a recording is then read at about real time instead of as fast as the reader goes.
   */
  readonly faults = { notFoundFirst: 0, segmentDelayMs: 0 };
  private readonly notFound = { n: 0, seen: new Map<string, number>() };
  /** What was served, by folder ('/live/b2_sub'): whole answers, byte-range (206) answers and the bytes of each kind. */
  readonly served = new Map<string, { whole: number; ranged: number; wholeBytes: number; rangedBytes: number }>();

  constructor(private readonly root: string) {}

  async listen(): Promise<void> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Range');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.resolve(this.root, `.${urlPath}`);
    if (!file.startsWith(this.root + path.sep)) return void res.writeHead(403).end();
    if (urlPath.endsWith('.m3u8') && this.notFoundAtFirst(urlPath))
      return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found (fault notFoundFirst)');
    if (!urlPath.endsWith('.m3u8') && this.faults.segmentDelayMs > 0)
      await new Promise((r) => setTimeout(r, this.faults.segmentDelayMs));
    let produced: boolean | Buffer | Readable = true;
    if (!fs.existsSync(file) && this.onMissing) produced = await this.onMissing(urlPath);
    if (produced === false) return void res.writeHead(404).end();
    const type = mime[path.extname(file)] ?? 'application/octet-stream';
    res.setHeader('Content-Type', type);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Cache-Control', type.includes('mpegurl') ? 'no-cache' : 'max-age=3600');
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (produced instanceof Readable && !range) return this.stream(urlPath, req, res, produced);
    const body =
      produced instanceof Readable
        ? await bufferOf(produced)
        : Buffer.isBuffer(produced)
          ? produced
          : await readWhole(file);
    if (!body) return void res.writeHead(404).end();
    if (range) {
      const size = body.length;
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      if (start > end || start >= size) return void res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      this.count(urlPath, true, end - start + 1);
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1 });
      return void res.end(req.method === 'HEAD' ? undefined : body.subarray(start, end + 1));
    }
    this.count(urlPath, false, body.length);
    res.writeHead(200, { 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /** A body still being made: sent as it comes (chunked); a failure cuts the answer short, never passes for whole. */
  private stream(urlPath: string, req: http.IncomingMessage, res: http.ServerResponse, body: Readable): void {
    res.writeHead(200);
    if (req.method === 'HEAD') {
      body.destroy();
      return void res.end();
    }
    let bytes = 0;
    body.on('data', (d: Buffer) => (bytes += d.length));
    body.on('end', () => this.count(urlPath, false, bytes));
    body.on('error', () => res.destroy());
    res.on('close', () => body.destroy());
    body.pipe(res);
  }

  private count(urlPath: string, ranged: boolean, bytes: number): void {
    const folder = path.posix.dirname(urlPath);
    const c = this.served.get(folder) ?? { whole: 0, ranged: 0, wholeBytes: 0, rangedBytes: 0 };
    if (ranged) [c.ranged, c.rangedBytes] = [c.ranged + 1, c.rangedBytes + bytes];
    else [c.whole, c.wholeBytes] = [c.whole + 1, c.wholeBytes + bytes];
    this.served.set(folder, c);
  }

  private notFoundAtFirst(urlPath: string): boolean {
    const n = this.faults.notFoundFirst;
    if (n !== this.notFound.n) this.notFound.seen.clear(); // a new setting counts afresh
    this.notFound.n = n;
    const seen = this.notFound.seen.get(urlPath) ?? 0;
    if (seen >= n) return false;
    this.notFound.seen.set(urlPath, seen + 1);
    return true;
  }
}

/** A produced stream's bytes whole, or null when it fails. */
async function bufferOf(body: Readable): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of body) chunks.push(c as Buffer);
  } catch {
    return null;
  }
  return Buffer.concat(chunks);
}

/**
 * The file's bytes as one read, so the length sent is the length read. This ffmpeg build rewrites
 * a live playlist in place (it warns "Cannot use rename"), so a read can catch it empty or half
 * written: read again for a moment until it is whole. Segments are listed only once complete.
 */
async function readWhole(file: string): Promise<Buffer | null> {
  for (let attempt = 0; ; attempt++) {
    let body: Buffer;
    try {
      body = await fs.promises.readFile(file);
    } catch {
      return null; // gone (a live segment deleted as the window moved on)
    }
    if (!file.endsWith('.m3u8') || playlistWhole(body.toString('utf8')) || attempt >= 20) return body;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A playlist as written in full: the header first, and the last line a segment URI or the end tag. */
export function playlistWhole(text: string): boolean {
  if (!text.startsWith('#EXTM3U') || !text.endsWith('\n')) return false;
  const lines = text.trimEnd().split('\n');
  const last = lines[lines.length - 1]?.trim() ?? '';
  return last === '#EXT-X-ENDLIST' || (last !== '' && !last.startsWith('#'));
}
