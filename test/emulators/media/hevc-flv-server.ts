import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AAC_FRAME_SAMPLES, AAC_SAMPLE_RATES, splitAdts } from '../../../main/media/aac';
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
  /** AAC from the encoder's fd 3 (ADTS): an incomplete frame, and the last frame's time. */
  private adtsRest: Uint8Array = new Uint8Array(0);
  private lastAudio: number | null = null;
  private readonly jitterMs: number;
  private readonly random = seeded(0x265);

  /** `audio`: the encoder also writes AAC (ADTS) to its fd 3, sent as FLV audio tags. */
  constructor(
    readonly proc: Proc,
    size: { width: number; height: number; fps: number },
    opts: { jitterMs?: number; audio?: boolean } = {},
  ) {
    const audio = !!opts.audio;
    this.muxer = new HevcFlvMuxer({ ...size, audio });
    this.frameMs = 1000 / size.fps;
    this.jitterMs = opts.jitterMs ?? 0;
    proc.child.stdout?.on('data', (chunk: Buffer) => this.onBytes(chunk));
    if (audio) (proc.child.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (c: Buffer) => this.onAudioBytes(c));
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
      const wasOpen = !!this.muxer.opening('legacy');
      const arrived = Date.now() - this.t0;
      const at = this.last === null ? 0 : Math.max(this.last + this.frameMs, arrived - MAX_BEHIND_MS);
      const stamp = this.jitterMs ? Math.max(this.lastStamp + 1, Math.round(at + this.random() * this.jitterMs)) : at;
      const frame = this.muxer.frame(unit, stamp);
      if (!frame) continue;
      this.last = at;
      this.lastStamp = stamp;
      if (frame.keyframe) this.gop = [];
      this.gop.push(frame.tags);
      if (wasOpen) for (const c of this.clients) c.res.write(frame.tags[c.form]);
      else if (this.muxer.opening('legacy')) this.opened();
    }
  }

  /** AAC frames a frame's duration apart from the first one's arrival (capture times, as the video's). */
  private onAudioBytes(chunk: Buffer): void {
    if (!this.t0) this.t0 = Date.now();
    const { frames, rest } = splitAdts(this.adtsRest.length ? Buffer.concat([this.adtsRest, chunk]) : chunk);
    this.adtsRest = rest;
    for (const f of frames) {
      const wasOpen = !!this.muxer.opening('legacy');
      const frameMs = (AAC_FRAME_SAMPLES * 1000) / AAC_SAMPLE_RATES[f.config.rateIndex]!;
      const arrived = Date.now() - this.t0;
      const at = this.lastAudio === null ? arrived : Math.max(this.lastAudio + frameMs, arrived - MAX_BEHIND_MS);
      this.lastAudio = at;
      const tag = this.muxer.audioFrame(f, at);
      if (!wasOpen) {
        if (this.muxer.opening('legacy')) this.opened();
        continue; // before the opening: not sent (a viewer starts at the GOP's key frame anyway)
      }
      this.gop.push({ legacy: tag, enhanced: tag });
      for (const c of this.clients) c.res.write(tag);
    }
  }

  /** The opening became known: viewers already attached get it and the GOP so far. */
  private opened(): void {
    for (const c of this.clients) {
      c.res.write(this.muxer.opening(c.form)!);
      for (const tags of this.gop) c.res.write(tags[c.form]);
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
