import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExportJob } from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { log, redact } from '../log';
import { downloadClip, joinHlsSegments, type ReadOptions } from '../media/clip-download';
import { cleanInterrupted, writeClip } from '../media/clip-files';
import { isTransient } from '../platforms/errors';
import { collectRequestIds } from '../platforms/request-ids';
import { findFfmpeg } from '../media/ffmpeg';
import { concatClips, remuxFlvToMp4, remuxToMp4, tagHvc1 } from '../media/remux';
import type { MediaRelay } from '../media/relay';
import { unlistedRecordings } from '../media/unlisted-recordings';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';

export interface ExportOptions {
  /** How long a platform may take to answer a request's headers (ms). */
  connectTimeoutMs?: number;
  /** How long a download may go without a byte (ms); also ffmpeg's read timeout. */
  idleTimeoutMs?: number;
  /** The ffmpeg binary, or null to join HLS segments (tests). */
  ffmpeg?: () => string | null;
  /**
   * Main's media relay: an HLS recording is read through it, so its playlist's segments follow the
   * relay's rules (a public platform's playlist cannot name this machine or its LAN) and a header
   * the platform needs (a VIS private stream's token) is added there. Without it (tests), directly.
   */
  relay?: MediaRelay;
  /**
   * Waits between attempts after a transient failure (isTransient: the platform unreachable, a 5xx,
   * the keychain locked); once they are used up the job fails with the last reason. Default: 2 s
   * growing to 30 s, about two and a half minutes in all.
   */
  retryDelaysMs?: number[];
}

interface Job extends ExportJob {
  accountId: string;
  channelId: string;
  kind: 'cloud' | 'device';
  abort: AbortController;
  /** The folder the clip goes to (the export folder, or an evidence folder). */
  dir: string;
  /** The platform host the recording was read from (no path, no query). */
  host: string | null;
  requestIds: string[];
  /** Where the clip really ends when the recording stopped before the range did. */
  cutAtMs: number | null;
  /** Work on the complete `.part` before it takes its name (an evidence watermark). */
  postProcess?: (part: string, signal: AbortSignal) => Promise<void>;
  /** Told once, when the job has ended and its files are settled. */
  settle?: (outcome: ClipOutcome) => void;
}

export interface ClipRequest {
  accountId: string;
  channelId: string;
  name: string;
  kind: 'cloud' | 'device';
  startMs: number;
  endMs: number;
}

/** A clip another use-case (evidence) queued: where it came from as well as how it ended. */
export interface ClipOutcome {
  job: ExportJob;
  /** The end of what was written: the range's, or the recording's when it stopped first. */
  endMs: number;
  kind: 'cloud' | 'device';
  host: string | null;
  requestIds: string[];
}

/**
 * Clip export, one job at a time: the platform's own clip download where it has one (Tencent
 * IVC), otherwise the recording's play source read by ffmpeg (remuxed to MP4, no re-encode) or,
 * without ffmpeg, its HLS segments joined into a TS file. Files are written as `.part` and only
 * renamed when complete, so nothing half-written carries the final name. Each job first reserves
 * its own final name (channel in the name, `(2)`… when taken, created with 'wx'), so no export
 * replaces another clip or any other file. Parts an interrupted run left are removed at start.
 * This is the use-case (queue, platform, range); reading and writing are main/media's.
 */
export class ExportService {
  private readonly jobs: Job[] = [];
  private running = false;
  /** Settles when the queue has run dry (close() waits for it). */
  private drained: Promise<void> = Promise.resolve();
  private readonly connectMs: number;
  private readonly idleMs: number;
  private readonly ffmpeg: () => string | null;
  private readonly relay: MediaRelay | undefined;
  private readonly retryDelaysMs: number[];

  constructor(
    private readonly accounts: AccountsService,
    private readonly events: EventBus,
    private readonly dir: string,
    options: ExportOptions = {},
  ) {
    this.connectMs = options.connectTimeoutMs ?? 20_000;
    this.idleMs = options.idleTimeoutMs ?? 30_000;
    this.ffmpeg = options.ffmpeg ?? findFfmpeg;
    this.relay = options.relay;
    this.retryDelaysMs = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    cleanInterrupted(dir);
  }

  list(): { jobs: ExportJob[] } {
    return { jobs: this.jobs.map(view) };
  }

  start(req: ClipRequest): ExportJob {
    return view(this.queue(req));
  }

  /**
   * A clip for another use-case, on the same queue (progress, cancel, `.part` until complete, the
   * same file name) but into `dir`; `postProcess` works on the complete part before it is named.
   * The outcome settles once the job has ended and its files are in place (or removed).
   */
  startClip(
    req: ClipRequest,
    options: { dir: string; postProcess?: (part: string, signal: AbortSignal) => Promise<void> },
  ): { job: ExportJob; outcome: Promise<ClipOutcome> } {
    let settle!: (o: ClipOutcome) => void;
    const outcome = new Promise<ClipOutcome>((resolve) => (settle = resolve));
    const job = this.queue(req, { dir: options.dir, postProcess: options.postProcess, settle });
    return { job: view(job), outcome };
  }

  private queue(req: ClipRequest, extra: Pick<Job, 'postProcess' | 'settle'> & { dir?: string } = {}): Job {
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
      dir: extra.dir ?? this.dir,
      host: null,
      requestIds: [],
      cutAtMs: null,
      ...(extra.postProcess ? { postProcess: extra.postProcess } : {}),
      ...(extra.settle ? { settle: extra.settle } : {}),
    };
    this.jobs.push(job);
    // Only ended jobs leave the list: a queued one dropped here would never run nor settle.
    while (this.jobs.length > 50) {
      const ended = this.jobs.findIndex((j) => j.state !== 'queued' && j.state !== 'running');
      if (ended < 0) break;
      this.jobs.splice(ended, 1);
    }
    this.emit(job);
    if (!this.running) this.drained = this.pump();
    return job;
  }

  cancel(id: string): void {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new AppError('NOT_FOUND', 'No such export');
    if (job.state !== 'queued' && job.state !== 'running') return;
    const wasQueued = job.state === 'queued';
    job.abort.abort(); // kills its ffmpeg, if any
    job.state = 'cancelled';
    this.emit(job);
    // A running job settles when its run has ended (its part removed), in pump.
    if (wasQueued) this.settle(job);
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
          job.requestIds = (await collectRequestIds(() => this.runWaitingOut(job))).requestIds;
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
        this.settle(job);
      }
    } finally {
      this.running = false;
    }
  }

  private settle(job: Job): void {
    const settle = job.settle;
    job.settle = undefined;
    settle?.({
      job: view(job),
      endMs: job.cutAtMs ?? job.endMs,
      kind: job.kind,
      host: job.host,
      requestIds: job.requestIds,
    });
  }

  private next(): Job | undefined {
    return this.jobs.find((j) => j.state === 'queued');
  }

  /**
   * A platform that fails for a minute (5xx, unreachable) or a keychain locked for a moment does
   * not fail a supervisor's export: the job says what it waits for and starts over after a while
   * (a clip is written whole or not at all, so nothing half-made is kept between attempts).
   */
  private async runWaitingOut(job: Job): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.run(job);
      } catch (e) {
        const wait = this.retryDelaysMs[attempt];
        if (wait === undefined || !isTransient(e) || job.abort.signal.aborted) throw e;
        job.message = `Waiting for the platform (${(e as AppError).message}); trying again in ${Math.ceil(wait / 1000)} s`;
        job.progress = 0;
        log.info(`export ${job.id}: ${job.message}`);
        this.emit(job);
        await sleep(wait, undefined, { signal: job.abort.signal }).catch(() => undefined);
        if (job.abort.signal.aborted) throw e;
        job.message = null;
        job.cutAtMs = null;
      }
    }
  }

  private async run(job: Job): Promise<void> {
    const platform = await this.accounts.platform(job.accountId);
    // The account's network, as the operator set it: where its downloads may lead main.
    const scope = await this.accounts.scope(job.accountId);
    const read: ReadOptions = {
      scope,
      signal: job.abort.signal,
      connectMs: this.connectMs,
      idleMs: this.idleMs,
      onProgress: (p) => this.progress(job, p),
    };
    if (platform.clipDownload && job.kind === 'cloud') {
      const clipDownload = platform.clipDownload.bind(platform);
      // One download may cover less than the clip (Tencent E38: 30 minutes within one UTC+8 day):
      // the clip is then downloaded piece by piece and the pieces joined.
      const pieces: Array<[number, number]> = platform.clipPieces?.(job.startMs, job.endMs) ?? [
        [job.startMs, job.endMs],
      ];
      if (!pieces.length) throw new AppError('VALIDATION', 'The clip is too short to download');
      const ffmpeg = this.ffmpeg();
      if (pieces.length > 1 && !ffmpeg)
        throw new AppError(
          'NOT_AVAILABLE',
          `The platform hands this clip out in ${pieces.length} pieces, and joining them needs ffmpeg, which was not found`,
        );
      // Each piece's address is asked just before its download: they expire within minutes (E38: 10).
      const address = async ([from, to]: [number, number]) => {
        const clip = await clipDownload(job.channelId, from, to);
        webAddress(clip.url);
        job.host = new URL(clip.url).host;
        return clip;
      };
      const first = await address(pieces[0]!);
      const { ext } = first;
      return this.finish(job, ext, async (part) => {
        const files = pieces.length > 1 ? pieces.map((_, i) => clipPiecePath(part, i + 1, ext)) : [part];
        try {
          for (const [i, file] of files.entries()) {
            const { url } = i === 0 ? first : await address(pieces[i]!);
            const onProgress = (p: number) => this.progress(job, (i + p) / files.length);
            await downloadClip(url, file, { ...read, onProgress });
            onProgress(1);
          }
          if (files.length > 1) await concatClips(ffmpeg!, files, part, ext, read);
        } finally {
          if (files.length > 1) for (const file of files) fs.rmSync(file, { force: true });
        }
        // The platform's own MP4 of an H.265 camera is usually tagged hev1: retagged here, said below.
        if (ext === 'mp4' && ffmpeg) this.sayHevc(job, (await tagHvc1(ffmpeg, part, read)).videoCodec);
      });
    }
    if (!platform.playbackSource) throw new AppError('NOT_AVAILABLE', 'This platform offers no recorded video');
    // Alibaba VCS plays a chosen time but lists no recordings (§4.2): the range's own playlist
    // says by its dates where each recording starts and ends.
    const listed = platform.recordings
      ? await platform.recordings(job.channelId, job.startMs - 6 * 3600_000, job.endMs)
      : await unlistedRecordings(platform, job.channelId, job.kind, job.startMs, job.endMs, {
          ...(this.relay ? { relay: this.relay } : {}),
          read: { ...read, onProgress: () => undefined },
          scope,
        });
    const segments = listed.filter((s) => s.kind === job.kind);
    const seg = segments.find((s) => s.startMs <= job.startMs && job.startMs < s.endMs);
    if (!seg) throw new AppError('VALIDATION', 'There is no recording at the start of this range');
    // Platforms list one recording as back-to-back segments (files, hours): the clip is cut only
    // where the recording really stops, by a second or more.
    let endMs = job.endMs;
    const recordedUntil = continuousEnd(segments, seg);
    if (recordedUntil < endMs - 1000) {
      endMs = recordedUntil;
      job.cutAtMs = endMs;
      job.message = `Cut at the end of the recording (${new Date(endMs).toLocaleTimeString()})`;
    }
    // Cloud sources start at their recording's start; device sources at the time asked for; an
    // unlisted platform's where the dates of its playlist said the recording starts.
    const from = job.kind === 'cloud' || !platform.recordings ? seg.startMs : job.startMs;
    const source = await platform.playbackSource(job.channelId, job.kind, from, Math.max(recordedUntil, endMs));
    webAddress(source.url);
    job.host = new URL(source.url).host;
    const { protocol } = source;
    // HLS through the relay (see ExportOptions.relay); FLV is the one address the platform handed out.
    let url = source.url;
    if (protocol === 'hls' && this.relay) {
      this.relay.issue(url, source.mediaHeaders, scope);
      url = await this.relay.open(url, 'hls');
    }
    const offset = (job.startMs - from) / 1000;
    const duration = (endMs - job.startMs) / 1000;
    const ffmpeg = this.ffmpeg();
    try {
      return await this.finish(job, ffmpeg ? 'mp4' : 'ts', (part) =>
        ffmpeg
          ? // FLV (a device's recording) is read by main: no ffmpeg here reads H.265 in FLV.
            (protocol === 'flv' ? remuxFlvToMp4 : remuxToMp4)(ffmpeg, url, offset, duration, part, read).then(
              ({ videoCodec }) => this.sayHevc(job, videoCodec),
            )
          : joinHlsSegments(url, offset, duration, part, read),
      );
    } finally {
      if (url !== source.url) this.relay?.release(url);
    }
  }

  /** Said, because many players (and older Windows) cannot open H.265 without an extension. */
  private sayHevc(job: Job, videoCodec: string | null): void {
    if (videoCodec === 'hevc')
      job.message = [job.message, 'H.265 copied without re-encoding (MP4, hvc1)'].filter(Boolean).join('; ');
  }

  /** Writes the clip under its own reserved name (see writeClip): the job's file once complete. */
  private async finish(job: Job, ext: string, write: (part: string) => Promise<void>): Promise<void> {
    const name = fileName(job.name, job.startMs, job.endMs, ext, job.channelId);
    const { postProcess } = job;
    job.file = await writeClip(job.dir, name, job.abort.signal, async (part) => {
      await write(part);
      if (postProcess && !job.abort.signal.aborted) await postProcess(part, job.abort.signal);
    });
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

/** 2 s growing to 30 s: about two and a half minutes of a platform's trouble waited out. */
const RETRY_DELAYS_MS = [2000, 5000, 10_000, 20_000, 30_000, 30_000, 30_000, 30_000];

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

/**
 * Piece `n` of a clip downloaded in pieces, beside its part and named like one
 * (`….mp4.<pid>.part`), so cleanInterrupted removes a piece an interrupted run left.
 */
export function clipPiecePath(part: string, n: number, ext: string): string {
  return `${part}.${n}.${ext}.${process.pid}.part`;
}

/**
 * A platform's play or download address goes to fetch or to ffmpeg's `-i`, which also reads
 * `file:`, `concat:`, `subfile` and bare paths: only http(s) is taken, so a platform's reply cannot
 * have a file of this machine copied into the export. (Not echoed: it may carry a token.)
 */
function webAddress(url: string): void {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url))
    throw new AppError('PLATFORM_ERROR', 'The platform gave a recording address that is not an http(s) address');
}

// Characters Windows and macOS refuse in file names, and control characters (C0, DEL, C1), as `_`.
// Bidi controls are dropped: they make a name show in another order than it has ("gate", U+202E,
// "4pm.exe" shows as "gateexe.mp4").
export const safe = (text: string) =>
  text
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    // eslint-disable-next-line no-control-regex -- control characters are what it replaces
    .replace(/[\0-\x1f\x7f-\x9f\\/:*?"<>|]/g, '_')
    .trim();

/** `text` cut to at most `max` UTF-8 bytes, whole characters only; `fromEnd` keeps its end. */
function withinBytes(text: string, max: number, fromEnd = false): string {
  const chars = [...text];
  if (fromEnd) chars.reverse();
  const kept: string[] = [];
  let bytes = 0;
  for (const ch of chars) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    kept.push(ch);
  }
  if (fromEnd) kept.reverse();
  return kept.join('');
}

/**
 * `<name>_<channel>_<yyyyMMdd_HHmmss>-<HHmmss>.<ext>` in local time, safe on Windows and macOS.
 * The channel id (without its `ch:` prefix, `:` as `-`) keeps two channels of one name apart.
 */
export function fileName(name: string, startMs: number, endMs: number, ext: string, channelId = ''): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const d = new Date(startMs);
  const e = new Date(endMs);
  // File systems count bytes (255 on Linux and macOS): 80 Chinese characters were 240 of them, and
  // with the channel and times the name was refused. The label keeps its first 120 UTF-8 bytes.
  const label = withinBytes(safe(name), 120) || 'clip';
  // The end of a long id is the specific part (device and channel number): its last 48 bytes.
  const channel = withinBytes(safe(channelId.replace(/^ch:/, '').replace(/:/g, '-')), 48, true);
  return `${label}${channel ? `_${channel}` : ''}_${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${p(e.getHours())}${p(e.getMinutes())}${p(e.getSeconds())}.${ext}`;
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
