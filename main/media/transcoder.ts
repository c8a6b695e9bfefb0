import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { AppError } from '../errors';
import { log } from '../log';
import { findFfmpeg } from './ffmpeg';
import { FlvHevcDemuxer } from './flv-hevc';

/**
 * H.265 → H.264 for runtimes that cannot decode H.265 (Linux builds, Windows without the HEVC
 * extension, Chromium here). The renderer detects the codec and asks; main reads the stream from
 * its own relay (a relay ticket URL is the only input accepted: the relay already fetches only
 * what a platform handed out, with the platform's headers), runs ffmpeg (libx264 ultrafast,
 * zero-latency, no B-frames, one thread, the pane's size, capped frame rate, audio only when
 * asked) and serves the H.264 as HTTP-FLV on a loopback port of the transcode's own, under a
 * 128-bit ticket, for one connection. HEVC in FLV (both forms) is demuxed here to Annex-B first:
 * the ffmpeg Vigil ships reads neither FLV form; HLS (MPEG-TS or fMP4) is read by ffmpeg itself.
 *
 * Transcodes cost CPU, so a budget in cores caps them: each is charged an estimate from its
 * output pixel rate, and one that would pass the budget is refused with what it needs and who
 * holds the budget, so the operator can move a transcode from one pane to another (`replace`).
 */

/**
 * Cores one 640×360 25-fps transcode takes (HEVC decode + x264 ultrafast + FLV demux), measured
 * on the 2-core build machine: 6–11 % of a core per 360p pane (`npm run bench -- wall --codec h265`);
 * charged at 0.15 to leave room for the renderer decoding what comes out.
 */
export const CORES_PER_360P25 = 0.15;
const REF_PIXEL_RATE = 640 * 360 * 25;
export const MAX_FPS = 25;
/** A transcode nobody fetched within this long is stopped (the renderer asks right after the answer). */
const CLAIM_MS = 15_000;

/**
 * Keeps a live transcode near the live edge when ffmpeg falls behind (a starved CPU): past about a
 * second of video waiting in its input, pictures are dropped up to the next key frame (which
 * carries the parameter sets, so decoding restarts cleanly). Pausing the camera instead — the
 * old way — made the pane show an ever older picture as live (38–40 s behind in bench runs at
 * load 10). Pure: the caller says how much its pipe holds.
 */
export class LiveEdgeGate {
  private bytes = 0;
  private readonly startedAt: number;
  private needKey = false;
  dropped = 0;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  /** Whether to write this picture to ffmpeg, given how many bytes its input pipe still holds. */
  accept(frame: { keyframe: boolean; size: number }, queuedBytes: number): boolean {
    this.bytes += frame.size;
    const perSecond = this.bytes / Math.max(1, (this.now() - this.startedAt) / 1000);
    if (queuedBytes > Math.max(64 * 1024, perSecond)) this.needKey = true;
    else if (this.needKey && frame.keyframe) this.needKey = false;
    if (this.needKey) this.dropped++;
    return !this.needKey;
  }
}
const UPSTREAM_ANSWER_MS = 10_000;

/** Default budget: half the machine's cores (the other half decodes and draws), at least half a core. */
export function defaultBudgetCores(cpus = os.cpus().length): number {
  return Math.max(0.5, cpus / 2);
}

/** Estimated cores for a transcode to w×h at fps (pixel rate relative to 360p25). */
export function costCores(width: number, height: number, fps = MAX_FPS): number {
  return Math.round(((CORES_PER_360P25 * width * height * Math.min(fps, MAX_FPS)) / REF_PIXEL_RATE) * 100) / 100;
}

/** The output box for a pane: its size, never above the source's stream size, even numbers. */
export function outputBox(width: number, height: number): { width: number; height: number } {
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return { width: even(Math.min(width, 1920)), height: even(Math.min(height, 1080)) };
}

/** ffmpeg scale filter: fit inside the box keeping the aspect ratio, never up, even sizes. */
export function fitScale(box: { width: number; height: number }): string {
  const s = `min(1,min(${box.width}/iw,${box.height}/ih))`; // quoted below: commas stay inside the expression
  return `scale=w='trunc(iw*${s}/2)*2':h='trunc(ih*${s}/2)*2'`;
}

/**
 * ffmpeg's arguments for a transcode. The input is the relay's ticket as the URL parser reads it
 * (the string checked is the string opened: no tab, newline or backslash the parser dropped or
 * rewrote reaches ffmpeg's own URL handling), with only the protocols a relay ticket needs: HTTP
 * over TCP for a playlist, its segments and keys (`crypto` for AES-128 HLS), the pipe for FLV.
 * The output has a key frame every second (`-g`/`-keyint_min` = fps, no scene-cut extras), so a
 * wall that shows only key frames of a pane under its decode budget still refreshes it each second.
 */
export function transcodeArgs(req: TranscodeRequest, box: { width: number; height: number }): string[] {
  const kbps = Math.max(150, Math.round((box.width * box.height * MAX_FPS * 0.1) / 1000));
  const input =
    req.protocol === 'flv'
      ? // Annex-B from the demuxer: stamped on arrival, so a stall and its burst pass through as they came
        [
          ...['-protocol_whitelist', 'pipe', '-fflags', '+nobuffer', '-use_wallclock_as_timestamps', '1'],
          ...['-f', 'hevc', '-i', 'pipe:0'],
        ]
      : [
          ...['-protocol_whitelist', 'http,tcp,crypto', '-fflags', '+nobuffer'],
          ...(req.startAt ? ['-ss', String(req.startAt)] : ['-live_start_index', '-1']),
          ...['-i', new URL(req.url).href],
        ];
  return [
    ...['-hide_banner', '-loglevel', 'error', '-flags', 'low_delay', '-probesize', '65536', '-analyzeduration', '0'],
    ...input,
    '-map',
    '0:v:0',
    ...(req.audio && req.protocol === 'hls' ? ['-map', '0:a:0?', '-c:a', 'aac', '-b:a', '64k'] : ['-an']),
    '-vf',
    `${fitScale(box)},fps=${MAX_FPS}`,
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline'],
    ...['-pix_fmt', 'yuv420p', '-bf', '0', '-threads', '1'],
    ...['-g', String(MAX_FPS), '-keyint_min', String(MAX_FPS), '-sc_threshold', '0'],
    ...['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`],
    ...['-f', 'flv', '-flvflags', 'no_duration_filesize', '-flush_packets', '1', 'pipe:1'],
  ];
}

export interface TranscodeRequest {
  /** A ticket URL of main's relay (what live:source / playback:source answered). */
  url: string;
  protocol: 'flv' | 'hls';
  /** The pane's size in device pixels: the output is scaled down to fit, never up. */
  width: number;
  height: number;
  audio: boolean;
  /** The pane's channel name, shown to whoever is refused. */
  label: string;
  /** A transcode to stop first (this pane's previous one, or another pane's to take its place). */
  replace?: string;
  /** Seconds into a recording to start from (playback). */
  startAt?: number;
}

export interface TranscodeHolder {
  id: string;
  label: string;
  costCores: number;
  /** Measured CPU of its ffmpeg, % of one core (Linux; null where not measured yet). */
  cpuPct: number | null;
}

export type TranscodeAnswer =
  | { ok: true; id: string; url: string; costCores: number; budgetCores: number; usedCores: number }
  | { ok: false; needCores: number; budgetCores: number; usedCores: number; holders: TranscodeHolder[] };

interface Job {
  id: string;
  label: string;
  cost: number;
  ffmpeg: ChildProcess;
  server: http.Server;
  input: http.ClientRequest | null;
  claimTimer: NodeJS.Timeout;
  cpu: { at: number; ticks: number; pct: number | null };
  stopped: boolean;
  /** Its one connection came. */
  claimed: boolean;
}

export interface TranscoderOptions {
  /** The budget in cores (settings), read at each request. */
  budgetCores: () => number;
  /** Is this URL one of main's relay tickets? */
  isRelayUrl: (url: string) => boolean;
  /** The app's own origins, the only ones CORS answers (the relay's). */
  origins: () => ReadonlySet<string>;
  ffmpeg?: () => string | null;
}

export class Transcoder {
  private readonly jobs = new Map<string, Job>();
  /** Transcodes admitted to the budget whose port is still opening. */
  private readonly reserved = new Map<string, { id: string; label: string; cost: number }>();
  private cpuTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: TranscoderOptions) {}

  list(): { budgetCores: number; usedCores: number; transcodes: TranscodeHolder[] } {
    return { budgetCores: this.o.budgetCores(), usedCores: this.used(), transcodes: this.holders() };
  }

  async start(req: TranscodeRequest): Promise<TranscodeAnswer> {
    if (!this.o.isRelayUrl(req.url))
      throw new AppError('BAD_REQUEST', 'Vigil transcodes only streams it relays; ask for a new play address');
    const ffmpeg = (this.o.ffmpeg ?? findFfmpeg)();
    if (!ffmpeg)
      throw new AppError('NOT_AVAILABLE', 'No ffmpeg runs on this machine, so H.265 cannot be transcoded here');
    const box = outputBox(req.width, req.height);
    const cost = costCores(box.width, box.height);
    const budget = this.o.budgetCores();
    // The transcode this one replaces counts as free, but stops only once this one fits: a swap
    // to a larger pane that does not fit must leave the other pane playing.
    const replaced = req.replace ? (this.jobs.get(req.replace) ?? this.reserved.get(req.replace)) : undefined;
    const used = this.used();
    if (used - (replaced?.cost ?? 0) + cost > budget + 1e-9)
      return { ok: false, needCores: cost, budgetCores: budget, usedCores: used, holders: this.holders() };
    if (req.replace) this.stop(req.replace);
    // Reserved before the first await: two requests at once cannot both fit in the same room.
    const id = randomBytes(16).toString('hex');
    this.reserved.set(id, { id, label: req.label, cost });
    const server = http.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    } catch (e) {
      this.reserved.delete(id);
      throw e;
    }
    if (!this.reserved.delete(id)) {
      // Stopped (replaced, or main closing) while its port opened.
      server.close();
      return { ok: false, needCores: cost, budgetCores: budget, usedCores: this.used(), holders: this.holders() };
    }
    const child = spawn(ffmpeg, transcodeArgs(req, box), { stdio: ['pipe', 'pipe', 'pipe'] });
    const job: Job = {
      id,
      label: req.label,
      cost,
      ffmpeg: child,
      server,
      input: null,
      claimTimer: setTimeout(() => this.stop(id), CLAIM_MS).unref(),
      cpu: { at: Date.now(), ticks: 0, pct: null },
      stopped: false,
      claimed: false,
    };
    this.jobs.set(id, job);
    this.watchCpu();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.on('exit', (code) => {
      if (!job.stopped) log.warn(`transcode ${req.label} ended (ffmpeg ${code}): ${stderr.trim().slice(-300)}`);
      this.stop(id);
    });
    child.on('error', (e) => {
      log.warn(`transcode ${req.label}: ffmpeg did not start: ${e.message}`);
      this.stop(id);
    });
    child.stdin.on('error', () => undefined); // ffmpeg gone: the exit handler ends the job
    if (req.protocol === 'flv') this.feedFlv(job, req.url);
    else child.stdin.end();
    server.on('request', (rq: http.IncomingMessage, res: http.ServerResponse) => this.serve(job, rq, res));
    const port = (server.address() as AddressInfo).port;
    return {
      ok: true,
      id,
      url: `http://127.0.0.1:${port}/transcode/${id}.flv`,
      costCores: cost,
      budgetCores: budget,
      usedCores: this.used(),
    };
  }

  /** Stops a transcode (its ffmpeg, input and port); unknown ids are ignored (already ended). */
  stop(id: string): void {
    this.reserved.delete(id);
    const job = this.jobs.get(id);
    if (!job) return;
    job.stopped = true;
    this.jobs.delete(id);
    clearTimeout(job.claimTimer);
    job.input?.destroy();
    if (job.ffmpeg.exitCode === null) job.ffmpeg.kill('SIGKILL');
    job.server.closeAllConnections();
    job.server.close();
    if (!this.jobs.size && this.cpuTimer) {
      clearInterval(this.cpuTimer);
      this.cpuTimer = null;
    }
  }

  close(): void {
    for (const id of [...this.jobs.keys(), ...this.reserved.keys()]) this.stop(id);
  }

  private used(): number {
    const all = [...this.jobs.values(), ...this.reserved.values()];
    return Math.round(all.reduce((n, j) => n + j.cost, 0) * 100) / 100;
  }

  private holders(): TranscodeHolder[] {
    return [
      ...[...this.jobs.values()].map((j) => ({ id: j.id, label: j.label, costCores: j.cost, cpuPct: j.cpu.pct })),
      ...[...this.reserved.values()].map((r) => ({ id: r.id, label: r.label, costCores: r.cost, cpuPct: null })),
    ];
  }

  /** The relay's FLV → HEVC Annex-B on ffmpeg's stdin. */
  private feedFlv(job: Job, url: string): void {
    const demux = new FlvHevcDemuxer();
    const gate = new LiveEdgeGate();
    const fail = (why: string) => {
      if (!job.stopped) log.warn(`transcode ${job.label}: ${why}`);
      job.ffmpeg.stdin?.end();
    };
    const request = http.get(url, { timeout: UPSTREAM_ANSWER_MS }, (up) => {
      if (up.statusCode !== 200) {
        up.resume();
        return fail(`relay answered HTTP ${up.statusCode}`);
      }
      up.on('data', (chunk: Buffer) => {
        let frames;
        try {
          frames = demux.push(chunk);
        } catch (e) {
          up.destroy();
          return fail((e as Error).message);
        }
        const stdin = job.ffmpeg.stdin;
        for (const f of frames) {
          // ffmpeg slower than the camera: skip to a later key frame (memory stays bounded too).
          if (stdin && gate.accept({ keyframe: f.keyframe, size: f.annexB.length }, stdin.writableLength))
            stdin.write(f.annexB);
        }
      });
      up.on('end', () => fail('the stream ended'));
      up.on('error', (e) => fail(e.message));
    });
    request.on('timeout', () => request.destroy(new Error('the relay did not answer')));
    request.on('error', (e) => fail(e.message));
    job.input = request;
  }

  private serve(job: Job, req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', Vary: 'Origin' };
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!this.o.origins().has(origin)) return void res.writeHead(403, headers).end('foreign origin');
      headers['Access-Control-Allow-Origin'] = origin;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' || path !== `/transcode/${job.id}.flv` || job.stopped || job.claimed)
      return void res.writeHead(403, headers).end('unknown or used transcode ticket');
    job.claimed = true;
    clearTimeout(job.claimTimer);
    res.writeHead(200, { ...headers, 'Content-Type': 'video/x-flv' });
    res.socket?.setNoDelay(true);
    job.ffmpeg.stdout?.pipe(res);
    job.ffmpeg.stdout?.on('end', () => res.end());
    // The pane went (or reconnects): the transcode and its budget go with the connection.
    res.on('close', () => this.stop(job.id));
  }

  /** Each transcode's ffmpeg CPU, % of one core, from /proc every 2 s (Linux). */
  private watchCpu(): void {
    if (this.cpuTimer || process.platform !== 'linux') return;
    const hz = 100; // USER_HZ on Linux
    this.cpuTimer = setInterval(() => {
      for (const job of this.jobs.values()) {
        const pid = job.ffmpeg.pid;
        if (!pid) continue;
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
          const now = Date.now();
          if (job.cpu.ticks)
            job.cpu.pct = Math.round(((ticks - job.cpu.ticks) / hz / ((now - job.cpu.at) / 1000)) * 100);
          job.cpu = { ...job.cpu, at: now, ticks };
        } catch {
          /* exited */
        }
      }
    }, 2000).unref();
  }
}
