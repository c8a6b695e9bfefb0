import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AnnexBReader, HevcFlvMuxer, type FlvHevcForm } from '../../main/media/flv-hevc';
import { ffmpegPath } from '../emulators/media/ffmpeg';

/**
 * A pre-encoded H.265 camera: a main stream (1080p) is too heavy to encode live beside what the
 * test measures on this 2-core machine, so x265 writes a few seconds once (cached in the temp
 * folder), and `PacedHevcFlv` sends them over HTTP-FLV in a loop at the camera's rate, stamped
 * one frame interval apart, each viewer from the next key frame. The picture looks like a camera's:
 * a moving pattern under sensor-like noise, a key frame every 2 s, no B-frames, a capped bit rate.
 */
export interface HevcFileOptions {
  width: number;
  height: number;
  fps: number;
  seconds: number;
  kbps: number;
  /** Key frame interval in pictures. */
  gop: number;
}

export async function encodeHevcFile(o: HevcFileOptions): Promise<string> {
  const file = path.join(
    os.tmpdir(),
    `vigil-hevc-${o.width}x${o.height}-${o.fps}-${o.seconds}s-${o.kbps}k-g${o.gop}.hevc`,
  );
  if (fs.existsSync(file) && fs.statSync(file).size > 0) return file;
  const tmp = `${file}.${process.pid}.part`;
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${o.width}x${o.height}:rate=${o.fps}`],
    ...['-vf', 'noise=alls=10:allf=t', '-t', String(o.seconds), '-pix_fmt', 'yuv420p'],
    ...['-c:v', 'libx265', '-preset', 'veryfast'],
    ...['-x265-params', `keyint=${o.gop}:min-keyint=${o.gop}:scenecut=0:bframes=0:repeat-headers=1:log-level=error`],
    ...['-b:v', `${o.kbps}k`, '-maxrate', `${o.kbps}k`, '-bufsize', `${o.kbps * 2}k`],
    ...['-f', 'hevc', tmp],
  ];
  await new Promise<void>((resolve, reject) => {
    const ff = spawn(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    ff.stderr.on('data', (d: Buffer) => (err += d.toString()));
    ff.on('error', reject);
    ff.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`x265 encode failed (${code}): ${err}`))));
  });
  fs.renameSync(tmp, file);
  return file;
}

export class PacedHevcFlv {
  private server: http.Server | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly viewers = new Set<{ res: http.ServerResponse; started: boolean }>();
  private readonly units: Uint8Array[][];
  private readonly muxer: HevcFlvMuxer;
  private next = 0;
  private count = 0;
  private t0 = 0;
  /** When each picture (by its stamp) was sent, performance.now() ms; the last minute's. */
  readonly sentAt = new Map<number, number>();
  /** The stamp of the first picture each viewer got, in the order they came. */
  readonly firstStamps: number[] = [];
  port = 0;

  private constructor(
    file: string,
    private readonly o: { width: number; height: number; fps: number; form: FlvHevcForm },
  ) {
    const reader = new AnnexBReader();
    this.units = [...reader.push(fs.readFileSync(file)), ...reader.flush()];
    this.muxer = new HevcFlvMuxer({ width: o.width, height: o.height, fps: o.fps });
  }

  static async start(
    file: string,
    o: { width: number; height: number; fps: number; form?: FlvHevcForm },
  ): Promise<PacedHevcFlv> {
    const s = new PacedHevcFlv(file, { ...o, form: o.form ?? 'legacy' });
    s.server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'video/x-flv', 'Cache-Control': 'no-store' });
      res.socket?.setNoDelay(true);
      const v = { res, started: false };
      s.viewers.add(v);
      res.on('close', () => s.viewers.delete(v));
    });
    await new Promise<void>((r) => s.server!.listen(0, '127.0.0.1', () => r()));
    s.port = (s.server.address() as AddressInfo).port;
    s.t0 = performance.now();
    s.tick();
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/live/file_main.flv`;
  }

  /** Sends every picture now due (a late timer catches up in a burst, as an uplink does). */
  private tick(): void {
    const frameMs = 1000 / this.o.fps;
    const now = performance.now();
    while (this.t0 + this.count * frameMs <= now) {
      const stamp = Math.round(this.count * frameMs);
      const frame = this.muxer.frame(this.units[this.next]!, stamp);
      this.next = (this.next + 1) % this.units.length;
      this.count++;
      if (!frame) continue;
      this.sentAt.set(stamp, performance.now());
      this.sentAt.delete(stamp - 60_000);
      for (const v of this.viewers) {
        if (!v.started) {
          if (!frame.keyframe) continue;
          v.started = true;
          this.firstStamps.push(stamp);
          v.res.write(this.muxer.opening(this.o.form)!);
        }
        v.res.write(frame.tags[this.o.form]);
      }
    }
    this.timer = setTimeout(() => this.tick(), Math.max(1, this.t0 + this.count * frameMs - performance.now()));
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    for (const v of this.viewers) v.res.end();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }
}

/** The video pictures of an FLV byte stream (AVC or HEVC coded frames, not sequence headers) as they arrive. */
export function flvPictures(): { push(chunk: Buffer): void; pictures: Array<{ at: number; ts: number }> } {
  let buf: Buffer = Buffer.alloc(0);
  let skip = 13;
  const pictures: Array<{ at: number; ts: number }> = [];
  return {
    pictures,
    push(chunk) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const at = performance.now();
      for (;;) {
        if (skip) {
          const n = Math.min(skip, buf.length);
          buf = buf.subarray(n);
          skip -= n;
          if (skip) return;
        }
        if (buf.length < 13) return;
        const size = buf.readUIntBE(1, 3);
        if ((buf[0]! & 0x1f) === 9 && buf[12] === 1)
          pictures.push({ at, ts: ((buf[7]! << 24) | buf.readUIntBE(4, 3)) >>> 0 });
        skip = 11 + size + 4;
      }
    },
  };
}
