import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExportJob } from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { log, redact } from '../log';
import { findFfmpeg } from '../media/ffmpeg';
import type { AccountsService } from './accounts';

interface Job extends ExportJob {
  accountId: string;
  channelId: string;
  kind: 'cloud' | 'device';
  abort: AbortController;
  child?: ChildProcess;
}

/**
 * Clip export, one job at a time: the platform's own clip download where it has one (Tencent
 * IVC), otherwise the recording's play source read by ffmpeg (remuxed to MP4, no re-encode) or,
 * without ffmpeg, its HLS segments joined into a TS file. Files are written as `.part` and only
 * renamed when complete, so nothing half-written carries the final name.
 */
export class ExportService {
  private readonly jobs: Job[] = [];
  private running = false;

  constructor(
    private readonly accounts: AccountsService,
    private readonly events: EventBus,
    private readonly dir: string,
  ) {}

  list(): { jobs: ExportJob[] } {
    return { jobs: this.jobs.map(view) };
  }

  start(req: { accountId: string; channelId: string; name: string; kind: 'cloud' | 'device'; startMs: number; endMs: number }): ExportJob {
    const job: Job = { id: randomUUID(), name: req.name, startMs: req.startMs, endMs: req.endMs, state: 'queued', progress: 0, file: null, message: null, accountId: req.accountId, channelId: req.channelId, kind: req.kind, abort: new AbortController() };
    this.jobs.push(job);
    if (this.jobs.length > 50) this.jobs.splice(0, this.jobs.length - 50);
    this.emit(job);
    void this.pump();
    return view(job);
  }

  cancel(id: string): void {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new AppError('NOT_FOUND', 'No such export');
    if (job.state !== 'queued' && job.state !== 'running') return;
    job.abort.abort();
    job.child?.kill('SIGKILL');
    job.state = 'cancelled';
    this.emit(job);
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.next(); job; job = this.next()) {
        job.state = 'running';
        this.emit(job);
        try {
          await this.run(job);
          if (job.state === 'running') {
            job.state = 'done';
            job.progress = 1;
          }
        } catch (e) {
          if (job.state === 'running') {
            job.state = 'failed';
            job.message = e instanceof AppError ? e.message : redact((e as Error).message);
            log.warn(`export ${job.id} failed: ${job.message}`);
          }
        }
        this.emit(job);
      }
    } finally {
      this.running = false;
    }
  }

  private next(): Job | undefined {
    return this.jobs.find((j) => j.state === 'queued');
  }

  private async run(job: Job): Promise<void> {
    const platform = await this.accounts.platform(job.accountId);
    fs.mkdirSync(this.dir, { recursive: true });
    let endMs = job.endMs;
    let url: string;
    let offset = 0;
    let ext: 'mp4' | 'ts';
    if (platform.clipDownload && job.kind === 'cloud') {
      ({ url, ext } = await platform.clipDownload(job.channelId, job.startMs, job.endMs));
      return this.finish(job, ext, (part) => this.download(job, url, part));
    }
    if (!platform.recordings || !platform.playbackSource) throw new AppError('NOT_AVAILABLE', 'This platform offers no recorded video');
    const segments = (await platform.recordings(job.channelId, job.startMs - 6 * 3600_000, job.endMs)).filter((s) => s.kind === job.kind);
    const seg = segments.find((s) => s.startMs <= job.startMs && job.startMs < s.endMs);
    if (!seg) throw new AppError('VALIDATION', 'There is no recording at the start of this range');
    if (seg.endMs < endMs) {
      endMs = seg.endMs;
      job.message = `Cut at the end of the recording (${new Date(endMs).toLocaleTimeString()})`;
    }
    // Cloud sources start at their recording's start; device sources at the time asked for.
    const from = job.kind === 'cloud' ? seg.startMs : job.startMs;
    url = (await platform.playbackSource(job.channelId, job.kind, from, seg.endMs)).url;
    offset = (job.startMs - from) / 1000;
    const duration = (endMs - job.startMs) / 1000;
    const ffmpeg = findFfmpeg();
    ext = ffmpeg ? 'mp4' : 'ts';
    return this.finish(job, ext, (part) => (ffmpeg ? this.remux(job, ffmpeg, url, offset, duration, part) : this.joinSegments(job, url, offset, duration, part)));
  }

  /** Writes to `<final>.part`, renames when complete, removes the part on any failure. */
  private async finish(job: Job, ext: string, write: (part: string) => Promise<void>): Promise<void> {
    const file = path.join(this.dir, fileName(job.name, job.startMs, job.endMs, ext));
    const part = `${file}.part`;
    try {
      await write(part);
      if (job.abort.signal.aborted) throw new Error('cancelled');
      fs.renameSync(part, file);
      job.file = file;
    } finally {
      fs.rmSync(part, { force: true });
    }
  }

  private async download(job: Job, url: string, part: string): Promise<void> {
    const res = await fetch(url, { signal: job.abort.signal });
    if (!res.ok || !res.body) throw new AppError('PLATFORM_ERROR', `The platform's download answered HTTP ${res.status}`);
    const total = Number(res.headers.get('content-length')) || 0;
    const out = fs.createWriteStream(part);
    let got = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      got += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      if (total) this.progress(job, got / total);
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }

  /** ffmpeg copies the streams (no re-encode) into MP4; `-progress` reports the time written. */
  private remux(job: Job, ffmpeg: string, url: string, offset: number, duration: number, part: string): Promise<void> {
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', offset.toFixed(3), '-i', url, '-t', duration.toFixed(3), '-c', 'copy', '-f', 'mp4', '-movflags', '+faststart', '-progress', 'pipe:1', '-y', part];
    return new Promise((resolve, reject) => {
      if (job.abort.signal.aborted) return reject(new Error('cancelled'));
      const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      job.child = child;
      // A cancel while the platform was still answering finds no child yet: stop it here.
      job.abort.signal.addEventListener('abort', () => child.kill('SIGKILL'), { once: true });
      let errors = '';
      child.stdout.on('data', (d: Buffer) => {
        const m = /out_time_us=(\d+)/.exec(d.toString());
        if (m) this.progress(job, Number(m[1]) / 1e6 / duration);
      });
      child.stderr.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-2000)));
      child.on('error', reject);
      // Play URLs carry short-lived platform tokens: never into a message or a log line.
      child.on('close', (code) => (code === 0 ? resolve() : reject(new AppError('INTERNAL', `ffmpeg could not write the clip: ${redact((errors.trim().split('\n').pop() ?? `exit ${code}`).replace(/[a-z]+:\/\/\S+/gi, '<url>'))}`))));
    });
  }

  /** Without ffmpeg: the VOD playlist's segments that overlap the range, joined as MPEG-TS. */
  private async joinSegments(job: Job, first: string, offset: number, duration: number, part: string): Promise<void> {
    let url = first;
    let playlist = await (await fetch(url, { signal: job.abort.signal })).text();
    // A master playlist (a single-use play URL often answers one) names the media playlist.
    const variant = /#EXT-X-STREAM-INF[^\n]*\n\s*([^#\s][^\n]*)/.exec(playlist)?.[1]?.trim();
    if (variant) {
      url = new URL(variant, url).toString();
      playlist = await (await fetch(url, { signal: job.abort.signal })).text();
    }
    const segments: Array<{ uri: string; start: number; end: number }> = [];
    let t = 0;
    let length = 0;
    for (const line of playlist.split('\n').map((l) => l.trim())) {
      if (line.startsWith('#EXTINF:')) length = Number.parseFloat(line.slice(8));
      else if (line && !line.startsWith('#')) {
        segments.push({ uri: new URL(line, url).toString(), start: t, end: t + length });
        t += length;
      }
    }
    const wanted = segments.filter((s) => s.end > offset && s.start < offset + duration);
    if (!wanted.length) throw new AppError('PLATFORM_ERROR', 'The recording has no segments in this range');
    const out = fs.createWriteStream(part);
    for (const [i, s] of wanted.entries()) {
      const res = await fetch(s.uri, { signal: job.abort.signal });
      if (!res.ok) throw new AppError('PLATFORM_ERROR', `A recording segment answered HTTP ${res.status}`);
      out.write(Buffer.from(await res.arrayBuffer()));
      this.progress(job, (i + 1) / wanted.length);
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }

  private progress(job: Job, p: number): void {
    const next = Math.max(0, Math.min(0.99, p));
    if (next - job.progress < 0.02) return;
    job.progress = next;
    this.emit(job);
  }

  private emit(job: Job): void {
    this.events.emit('main:export', view(job));
  }
}

function view(j: Job): ExportJob {
  return { id: j.id, name: j.name, startMs: j.startMs, endMs: j.endMs, state: j.state, progress: j.progress, file: j.file, message: j.message };
}

/** `<channel>_<yyyyMMdd_HHmmss>-<HHmmss>.<ext>` in local time, safe on Windows and macOS. */
export function fileName(name: string, startMs: number, endMs: number, ext: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const d = new Date(startMs);
  const e = new Date(endMs);
  // Characters Windows and macOS refuse in file names, and control characters.
  const safe = [...name].map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('').trim().slice(0, 80) || 'clip';
  return `${safe}_${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${p(e.getHours())}${p(e.getMinutes())}${p(e.getSeconds())}.${ext}`;
}
