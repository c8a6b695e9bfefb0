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
import type { HandlerSlice } from '../ipc/handlers';

export interface ExportOptions {
  /** How long a platform may take to answer a request's headers (ms). */
  connectTimeoutMs?: number;
  /** How long a download may go without a byte (ms); also ffmpeg's read timeout. */
  idleTimeoutMs?: number;
  /** The ffmpeg binary, or null to join HLS segments (tests). */
  ffmpeg?: () => string | null;
}

/** Parts this process is writing now: a second service on the same folder must not clean them. */
const writing = new Set<string>();

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
 * renamed when complete, so nothing half-written carries the final name. Each job first reserves
 * its own final name (channel in the name, `(2)`… when taken, created with 'wx'), so no export
 * replaces another clip or any other file. Parts an interrupted run left are removed at start.
 */
export class ExportService {
  private readonly jobs: Job[] = [];
  private running = false;
  /** Settles when the queue has run dry (close() waits for it). */
  private drained: Promise<void> = Promise.resolve();
  private readonly connectMs: number;
  private readonly idleMs: number;
  private readonly ffmpeg: () => string | null;

  constructor(
    private readonly accounts: AccountsService,
    private readonly events: EventBus,
    private readonly dir: string,
    options: ExportOptions = {},
  ) {
    this.connectMs = options.connectTimeoutMs ?? 20_000;
    this.idleMs = options.idleTimeoutMs ?? 30_000;
    this.ffmpeg = options.ffmpeg ?? findFfmpeg;
    cleanInterrupted(dir);
  }

  list(): { jobs: ExportJob[] } {
    return { jobs: this.jobs.map(view) };
  }

  start(req: {
    accountId: string;
    channelId: string;
    name: string;
    kind: 'cloud' | 'device';
    startMs: number;
    endMs: number;
  }): ExportJob {
    const job: Job = {
      id: randomUUID(),
      name: req.name,
      startMs: req.startMs,
      endMs: req.endMs,
      state: 'queued',
      progress: 0,
      file: null,
      message: null,
      accountId: req.accountId,
      channelId: req.channelId,
      kind: req.kind,
      abort: new AbortController(),
    };
    this.jobs.push(job);
    if (this.jobs.length > 50) this.jobs.splice(0, this.jobs.length - 50);
    this.emit(job);
    if (!this.running) this.drained = this.pump();
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

  /**
   * On quit: every queued or running job is cancelled, and this waits until the running one has
   * ended (its ffmpeg exited, its part removed), so nothing main started outlives the core.
   */
  async close(): Promise<void> {
    for (const j of this.jobs) if (j.state === 'queued' || j.state === 'running') this.cancel(j.id);
    await this.drained;
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
    if (!platform.recordings || !platform.playbackSource)
      throw new AppError('NOT_AVAILABLE', 'This platform offers no recorded video');
    const segments = (await platform.recordings(job.channelId, job.startMs - 6 * 3600_000, job.endMs)).filter(
      (s) => s.kind === job.kind,
    );
    const seg = segments.find((s) => s.startMs <= job.startMs && job.startMs < s.endMs);
    if (!seg) throw new AppError('VALIDATION', 'There is no recording at the start of this range');
    // Platforms list one recording as back-to-back segments (files, hours): the clip is cut only
    // where the recording really stops, by a second or more.
    const recordedUntil = continuousEnd(segments, seg);
    if (recordedUntil < endMs - 1000) {
      endMs = recordedUntil;
      job.message = `Cut at the end of the recording (${new Date(endMs).toLocaleTimeString()})`;
    }
    // Cloud sources start at their recording's start; device sources at the time asked for.
    const from = job.kind === 'cloud' ? seg.startMs : job.startMs;
    url = (await platform.playbackSource(job.channelId, job.kind, from, Math.max(recordedUntil, endMs))).url;
    offset = (job.startMs - from) / 1000;
    const duration = (endMs - job.startMs) / 1000;
    const ffmpeg = this.ffmpeg();
    ext = ffmpeg ? 'mp4' : 'ts';
    return this.finish(job, ext, (part) =>
      ffmpeg
        ? this.remux(job, ffmpeg, url, offset, duration, part)
        : this.joinSegments(job, url, offset, duration, part),
    );
  }

  /**
   * Reserves the final name, writes to `<final>.<pid>.part`, renames over the (empty) reservation
   * when complete; on any failure removes both.
   */
  private async finish(job: Job, ext: string, write: (part: string) => Promise<void>): Promise<void> {
    const file = reserveFile(this.dir, fileName(job.name, job.startMs, job.endMs, ext, job.channelId));
    const part = `${file}.${process.pid}.part`;
    writing.add(part);
    let done = false;
    try {
      // The part exists from the start, so a crash at any point leaves the pair the next start removes.
      fs.closeSync(fs.openSync(part, 'w'));
      await write(part);
      if (job.abort.signal.aborted) throw new Error('cancelled');
      fs.renameSync(part, file);
      done = true;
      job.file = file;
    } finally {
      writing.delete(part);
      fs.rmSync(part, { force: true });
      if (!done) fs.rmSync(file, { force: true });
    }
  }

  private async download(job: Job, url: string, part: string): Promise<void> {
    const res = await get(url, job.abort.signal, this.connectMs, this.idleMs, "The platform's download");
    const out = fileWriter(part);
    try {
      let got = 0;
      for await (const chunk of res.chunks()) {
        got += chunk.length;
        await out.write(chunk);
        if (res.length) this.progress(job, got / res.length);
      }
    } catch (e) {
      await out.close().catch(() => undefined);
      throw e;
    }
    await out.close();
  }

  /** ffmpeg copies the streams (no re-encode) into MP4; `-progress` reports the time written. */
  private remux(job: Job, ffmpeg: string, url: string, offset: number, duration: number, part: string): Promise<void> {
    // -rw_timeout: a source that stops sending fails ffmpeg instead of hanging the job (µs).
    const args = [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-rw_timeout',
      String(this.idleMs * 1000),
      '-ss',
      offset.toFixed(3),
      '-i',
      url,
      '-t',
      duration.toFixed(3),
      '-c',
      'copy',
      '-f',
      'mp4',
      '-movflags',
      '+faststart',
      '-progress',
      'pipe:1',
      '-y',
      part,
    ];
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
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(
              new AppError(
                'INTERNAL',
                `ffmpeg could not write the clip: ${redact((errors.trim().split('\n').pop() ?? `exit ${code}`).replace(/[a-z]+:\/\/\S+/gi, '<url>'))}`,
              ),
            ),
      );
    });
  }

  /** Without ffmpeg: the VOD playlist's segments that overlap the range, joined as MPEG-TS. */
  private async joinSegments(job: Job, first: string, offset: number, duration: number, part: string): Promise<void> {
    let url = first;
    const text = async (u: string) =>
      (await get(u, job.abort.signal, this.connectMs, this.idleMs, "The recording's playlist")).text();
    let playlist = await text(url);
    // A master playlist (a single-use play URL often answers one) names the media playlist.
    const variant = /#EXT-X-STREAM-INF[^\n]*\n\s*([^#\s][^\n]*)/.exec(playlist)?.[1]?.trim();
    if (variant) {
      url = new URL(variant, url).toString();
      playlist = await text(url);
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
    const out = fileWriter(part);
    try {
      for (const [i, s] of wanted.entries()) {
        const res = await get(s.uri, job.abort.signal, this.connectMs, this.idleMs, 'A recording segment');
        for await (const chunk of res.chunks()) await out.write(chunk);
        this.progress(job, (i + 1) / wanted.length);
      }
    } catch (e) {
      await out.close().catch(() => undefined);
      throw e;
    }
    await out.close();
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
  return {
    id: j.id,
    name: j.name,
    startMs: j.startMs,
    endMs: j.endMs,
    state: j.state,
    progress: j.progress,
    file: j.file,
    message: j.message,
  };
}

// Characters Windows and macOS refuse in file names, and control characters.
const safe = (text: string) =>
  [...text]
    .map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .trim();

/**
 * `<name>_<channel>_<yyyyMMdd_HHmmss>-<HHmmss>.<ext>` in local time, safe on Windows and macOS.
 * The channel id (without its `ch:` prefix, `:` as `-`) keeps two channels of one name apart.
 */
export function fileName(name: string, startMs: number, endMs: number, ext: string, channelId = ''): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const d = new Date(startMs);
  const e = new Date(endMs);
  const label = safe(name).slice(0, 80) || 'clip';
  // The end of a long id is the specific part (device and channel number).
  const channel = safe(channelId.replace(/^ch:/, '').replace(/:/g, '-')).slice(-48);
  return `${label}${channel ? `_${channel}` : ''}_${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${p(e.getHours())}${p(e.getMinutes())}${p(e.getSeconds())}.${ext}`;
}

/**
 * Takes `name`, or `name (2)`, `name (3)`… — the first that does not exist, created empty with
 * 'wx' so the check and the claim are one step: no two jobs (or two Vigils) get the same name,
 * and nothing already there is replaced.
 */
export function reserveFile(dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.extname(name);
  const base = name.slice(0, name.length - ext.length);
  for (let n = 1; n <= 999; n++) {
    const file = path.join(dir, n === 1 ? name : `${base} (${n})${ext}`);
    try {
      fs.closeSync(fs.openSync(file, 'wx'));
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new AppError(
          'INTERNAL',
          `The clip could not be created in ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
        );
    }
  }
  throw new AppError('VALIDATION', `999 clips named ${name} already exist in ${dir}`);
}

/**
 * An interrupted run (crash, kill, power cut) leaves `<final>.<pid>.part` and the empty `<final>` it
 * reserved: remove both, unless that pid is a live process still writing (another Vigil on the same
 * folder). `<final>.part` is the name older builds used.
 */
export function cleanInterrupted(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /^(.+\.(?:mp4|ts))(?:\.(\d+))?\.part$/.exec(name);
    if (!m) continue;
    const part = path.join(dir, name);
    const pid = m[2] ? Number(m[2]) : null;
    if (writing.has(part) || (pid !== null && pid !== process.pid && alive(pid))) continue;
    try {
      fs.rmSync(part, { force: true });
      removed.push(name);
      const reserved = path.join(dir, m[1]!);
      if (pid !== null && fs.statSync(reserved, { throwIfNoEntry: false })?.size === 0)
        fs.rmSync(reserved, { force: true });
    } catch (e) {
      log.warn(`export: could not remove the interrupted ${name}: ${(e as Error).message}`);
    }
  }
  if (removed.length) log.info(`export: removed ${removed.length} part file(s) an interrupted export left in ${dir}`);
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A file write stream whose errors (disk full, folder removed) fail the job: a write waits for
 * 'drain' or the error, never for a 'drain' a failed stream will not send.
 */
export function fileWriter(file: string): { write(chunk: Uint8Array): Promise<void>; close(): Promise<void> } {
  const out = fs.createWriteStream(file);
  let failure: Error | null = null;
  const closed = new Promise<void>((resolve) => out.once('close', resolve));
  out.on('error', (e) => (failure = e));
  const check = () => {
    if (failure)
      throw new AppError(
        'INTERNAL',
        `The clip could not be written: ${(failure as NodeJS.ErrnoException).code ?? failure.message}`,
      );
  };
  return {
    async write(chunk) {
      check();
      if (!out.write(chunk))
        await new Promise<void>((resolve) => {
          const go = () => {
            out.off('drain', go).off('close', go);
            resolve();
          };
          out.on('drain', go).on('close', go);
        });
      check();
    },
    async close() {
      if (!out.destroyed) out.end();
      await closed;
      check();
    },
  };
}

interface Body {
  /** content-length, or 0 */
  length: number;
  chunks(): AsyncGenerator<Uint8Array>;
  text(): Promise<string>;
}

/**
 * GET with a deadline for the headers (`connectMs`) and for each later chunk (`idleMs`), so a
 * platform that stops answering fails the job instead of hanging the queue; non-2xx is a clear
 * error. `what` names the request in messages (never the URL: play URLs carry tokens).
 */
async function get(url: string, cancel: AbortSignal, connectMs: number, idleMs: number, what: string): Promise<Body> {
  const timer = new AbortController();
  let expired: string | null = null;
  let handle: NodeJS.Timeout | undefined;
  const arm = (ms: number, message: string) => {
    clearTimeout(handle);
    handle = setTimeout(() => {
      expired = message;
      timer.abort();
    }, ms);
  };
  const failure = (e: unknown): Error => {
    clearTimeout(handle);
    if (expired) return new AppError('NETWORK', expired);
    if (cancel.aborted || e instanceof AppError) return e as Error;
    return new AppError(
      'NETWORK',
      `${what} could not be reached (${(e as { cause?: { code?: string } }).cause?.code ?? 'network error'})`,
    );
  };
  arm(connectMs, `${what} did not answer within ${connectMs / 1000} s`);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.any([cancel, timer.signal]) });
  } catch (e) {
    throw failure(e);
  }
  if (!res.ok || !res.body) {
    clearTimeout(handle);
    await res.body?.cancel().catch(() => undefined);
    throw new AppError('PLATFORM_ERROR', `${what} answered HTTP ${res.status}`);
  }
  const body = res.body as unknown as AsyncIterable<Uint8Array>;
  const stalled = `${what} stopped sending for ${idleMs / 1000} s`;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      arm(idleMs, stalled);
      for await (const chunk of body) {
        arm(idleMs, stalled);
        yield chunk;
      }
    } catch (e) {
      throw failure(e);
    } finally {
      clearTimeout(handle);
    }
  }
  return {
    length: Number(res.headers.get('content-length')) || 0,
    chunks,
    async text() {
      const parts: Uint8Array[] = [];
      for await (const c of chunks()) parts.push(c);
      return Buffer.concat(parts).toString('utf8');
    },
  };
}

/** Where the recording that holds `seg` stops: segments that follow within a second continue it. */
export function continuousEnd(
  segments: Array<{ startMs: number; endMs: number }>,
  seg: { startMs: number; endMs: number },
): number {
  const sorted = [...segments].sort((a, b) => a.startMs - b.startMs);
  let end = seg.endMs;
  for (const s of sorted) if (s.startMs > seg.startMs && s.startMs <= end + 1000) end = Math.max(end, s.endMs);
  return end;
}

/** Clip exports. */
export function exportHandlers(exports: ExportService): HandlerSlice {
  return {
    'export:start': (req) => exports.start(req),
    'export:list': () => exports.list(),
    'export:cancel': ({ id }) => {
      exports.cancel(id);
      return null;
    },
  };
}
