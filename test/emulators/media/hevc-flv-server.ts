import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnnexBReader, HevcFlvMuxer, type FlvHevcForm } from '../../../main/media/flv-hevc';
import type { Proc } from './ffmpeg';

/**
 * Live HTTP-FLV of H.265 cameras. node-media-server takes RTMP, and no ffmpeg here writes HEVC
 * into FLV, so the simulator muxes the FLV itself: an x265 encoder writes Annex-B to its stdout,
 * each access unit becomes one FLV video tag in both forms (legacy codec id 12, Enhanced RTMP
 * `hvc1`), and every viewer gets the header, metadata and sequence header, then the current GOP
 * (as node-media-server's GOP cache does) and the live tags. Timestamps are a camera's: one frame
 * interval apart (capture times, not the moments this process happened to read the encoder's pipe,
 * which bunch and spread by tens of ms and made a player drop pictures), never more than half a
 * second behind the time they arrive: a frozen encoder (the stall fault) or one slower than real
 * time shows as a gap, its catch-up as a burst, as on a real uplink.
 * `jitterMs` stamps like a platform or gateway that stamps FLV on arrival: each picture a random
 * 0–jitterMs after its capture time (pictures bunch and spread; never out of order).
 */
const MAX_BEHIND_MS = 500;

/** A small seeded generator: a jittered source's stamps are the same on every run. */
function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

export class HevcFlvSource {
  private readonly reader = new AnnexBReader();
  private readonly muxer: HevcFlvMuxer;
  private readonly clients = new Set<{ res: http.ServerResponse; form: FlvHevcForm }>();
  private gop: Array<Record<FlvHevcForm, Uint8Array>> = [];
  private t0 = 0;
  private last: number | null = null;
  private lastStamp = -1;
  private readonly frameMs: number;
  private readonly jitterMs: number;
  private readonly random = seeded(0x265);

  constructor(
    readonly proc: Proc,
    size: { width: number; height: number; fps: number },
    opts: { jitterMs?: number } = {},
  ) {
    this.muxer = new HevcFlvMuxer(size);
    this.frameMs = 1000 / size.fps;
    this.jitterMs = opts.jitterMs ?? 0;
    proc.child.stdout?.on('data', (chunk: Buffer) => this.onBytes(chunk));
    proc.child.on('exit', () => this.end());
  }

  get viewers(): number {
    return this.clients.size;
  }

  /** A viewer: the opening tags once known, the GOP so far, then live tags; ends when the encoder does. */
  attach(res: http.ServerResponse, form: FlvHevcForm): void {
    const client = { res, form };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    if (this.proc.exited) return void res.end();
    const opening = this.muxer.opening(form);
    if (opening) {
      res.write(opening);
      for (const tags of this.gop) res.write(tags[form]);
    }
  }

  private onBytes(chunk: Buffer): void {
    if (!this.t0) this.t0 = Date.now();
    for (const unit of this.reader.push(chunk)) {
      const hadOpening = !!this.muxer.record;
      const arrived = Date.now() - this.t0;
      const at = this.last === null ? 0 : Math.max(this.last + this.frameMs, arrived - MAX_BEHIND_MS);
      const stamp = this.jitterMs ? Math.max(this.lastStamp + 1, Math.round(at + this.random() * this.jitterMs)) : at;
      const frame = this.muxer.frame(unit, stamp);
      if (!frame) continue;
      this.last = at;
      this.lastStamp = stamp;
      if (frame.keyframe) this.gop = [];
      this.gop.push(frame.tags);
      for (const c of this.clients) {
        // Viewers who came before the first parameter sets get their opening now.
        if (!hadOpening) c.res.write(this.muxer.opening(c.form)!);
        c.res.write(frame.tags[c.form]);
      }
    }
  }

  private end(): void {
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}

/**
 * The HTTP side: `/live/<channel>_<stream>.flv`, answered from the source the simulator names for
 * that path (started on demand) in the channel's FLV form; 404 for anything else.
 */
export class HevcFlvServer {
  private server: http.Server | null = null;
  port = 0;

  constructor(private readonly lookup: (key: string) => { source: HevcFlvSource; form: FlvHevcForm } | null) {}

  async listen(): Promise<void> {
    this.server = http.createServer((req, res) => this.serve(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const m = /^\/live\/([A-Za-z0-9_-]+_(?:main|sub))\.flv$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const found = m ? this.lookup(m[1]!) : null;
    if (!found || req.method !== 'GET') return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'video/x-flv', 'Cache-Control': 'no-store' });
    res.socket?.setNoDelay(true);
    found.source.attach(res, found.form);
  }
}
