import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { MotionMoment, MotionSearchJob, MotionSearchRequest } from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { HandlerSlice } from '../ipc/handlers';
import { log, redact } from '../log';
import { findFfmpeg } from '../media/ffmpeg';
import { motionGrid, regionProblem, thresholds, type MotionMoment as Found } from '../media/motion/detect';
import { scanRecording } from '../media/motion/scan';
import type { MediaRelay } from '../media/relay';
import { unlistedRecordings } from '../media/unlisted-recordings';
import type { AccountsService } from './accounts';

export interface MotionSearchOptions {
  /** The ffmpeg binary (default: findFfmpeg). */
  ffmpeg?: () => string | null;
  /** Searches at once (default: one per core less one for the wall, at least one). */
  slots?: number;
  /** Niceness of the search's ffmpeg, so live panes keep the CPU first (default SEARCH_NICE; 0 = none). */
  nice?: number;
  /** Protocols the scan's ffmpeg may read (tests reading files: 'file'). */
  protocols?: string;
  /** Read recordings through main's relay (HLS), as exports do. */
  relay?: MediaRelay;
}

interface Job extends MotionSearchJob {
  abort: AbortController;
  /** Moments found since the last event. */
  fresh: MotionMoment[];
  lastEmit: number;
}

const KEEP_JOBS = 20;
/**
 * The lowest priority: a search takes only the CPU that panes and everything else leave. At
 * niceness 10 a search beside a 9-pane wall on two busy cores still sent the wall's decode budget
 * down to key frames for most panes; a search is a batch job, the wall is what operators watch.
 */
export const SEARCH_NICE = 19;

/**
 * Motion search jobs: a queue running at most `slots` searches at once (one per core, one core
 * left to the wall), each over the channel's recordings in its range, one recording after the
 * other. A recording that cannot be read is named in the job's failures and the rest goes on.
 * Moments are streamed to every window as `main:motion` events; cancel stops the running ffmpeg.
 */
export class MotionSearchService {
  private readonly jobs: Job[] = [];
  private running = 0;
  private readonly slots: number;
  private readonly ffmpeg: () => string | null;
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly events: EventBus,
    private readonly options: MotionSearchOptions = {},
  ) {
    this.slots = options.slots ?? Math.max(1, os.availableParallelism() - 1);
    this.ffmpeg = options.ffmpeg ?? findFfmpeg;
  }

  list(): { jobs: MotionSearchJob[] } {
    return { jobs: this.jobs.map(view) };
  }

  start(req: MotionSearchRequest): MotionSearchJob {
    const problem = regionProblem(req.regions);
    if (problem) throw new AppError('VALIDATION', problem);
    if (!this.ffmpeg())
      throw new AppError('NOT_AVAILABLE', 'Motion search needs ffmpeg, which this installation lacks');
    const job: Job = {
      id: randomUUID(),
      accountId: req.accountId,
      channelId: req.channelId,
      name: req.name,
      kind: req.kind,
      startMs: req.startMs,
      endMs: req.endMs,
      regions: req.regions,
      sensitivity: req.sensitivity,
      state: 'queued',
      progress: 0,
      searchedMs: 0,
      recordedMs: 0,
      moments: [],
      failures: [],
      message: null,
      abort: new AbortController(),
      fresh: [],
      lastEmit: 0,
    };
    this.jobs.push(job);
    while (this.jobs.length > KEEP_JOBS) {
      const ended = this.jobs.findIndex((j) => j.state !== 'queued' && j.state !== 'running');
      if (ended < 0) break;
      this.jobs.splice(ended, 1);
    }
    this.emit(job, true);
    this.pump();
    return view(job);
  }

  cancel(id: string): void {
    const job = this.jobs.find((j) => j.id === id);
    if (!job) throw new AppError('NOT_FOUND', 'No such motion search');
    if (job.state !== 'queued' && job.state !== 'running') return;
    job.abort.abort();
    job.state = 'cancelled';
    this.emit(job, true);
  }

  /** On quit: every search cancelled, and this waits until their ffmpeg have exited. */
  async close(): Promise<void> {
    for (const j of this.jobs) if (j.state === 'queued' || j.state === 'running') this.cancel(j.id);
    await Promise.all([...this.active]);
  }

  private pump(): void {
    while (this.running < this.slots) {
      const job = this.jobs.find((j) => j.state === 'queued');
      if (!job) return;
      this.running++;
      job.state = 'running';
      this.emit(job, true);
      const run = this.run(job)
        .then(
          () => {
            if (job.state !== 'running') return;
            job.state = 'done';
            job.progress = 1;
          },
          (e: unknown) => {
            if (job.state !== 'running') return;
            job.state = 'failed';
            job.message = e instanceof AppError ? e.message : redact((e as Error).message);
            log.warn(`motion search ${job.id} failed: ${job.message}`);
          },
        )
        .finally(() => {
          this.running--;
          this.active.delete(run);
          this.emit(job, true);
          this.pump();
        });
      this.active.add(run);
    }
  }

  private async run(job: Job): Promise<void> {
    const ffmpeg = this.ffmpeg();
    if (!ffmpeg) throw new AppError('NOT_AVAILABLE', 'Motion search needs ffmpeg, which this installation lacks');
    const platform = await this.accounts.platform(job.accountId);
    if (!platform.playbackSource) throw new AppError('NOT_AVAILABLE', 'This platform offers no recorded video');
    // Alibaba VCS lists no recordings (§4.2): the range's own playlist says where they are.
    const all = platform.recordings
      ? await platform.recordings(job.channelId, job.startMs, job.endMs)
      : await unlistedRecordings(platform, job.channelId, job.kind, job.startMs, job.endMs, {
          ...(this.options.relay ? { relay: this.options.relay } : {}),
          read: { signal: job.abort.signal, connectMs: 10_000, idleMs: 10_000, onProgress: () => undefined },
        });
    const listed = all.filter((s) => s.kind === job.kind && s.endMs > job.startMs && s.startMs < job.endMs);
    // Each listed segment is its own play source (a recording, a file): searched one after the other.
    const recordings = [...listed].sort((a, b) => a.startMs - b.startMs);
    const spanOf = (r: { startMs: number; endMs: number }) =>
      Math.min(r.endMs, job.endMs) - Math.max(r.startMs, job.startMs);
    job.recordedMs = recordings.reduce((sum, r) => sum + spanOf(r), 0);
    if (!recordings.length) job.message = 'No recordings in this range';
    const grid = motionGrid(job.regions);
    const limits = thresholds(job.sensitivity);
    let done = 0;
    for (const rec of recordings) {
      if (job.abort.signal.aborted) return;
      const span = spanOf(rec);
      let relayed: string | null = null;
      try {
        const source = await platform.playbackSource(job.channelId, job.kind, rec.startMs, rec.endMs);
        if (!/^https?:\/\//i.test(source.url) || !URL.canParse(source.url))
          throw new AppError('PLATFORM_ERROR', 'The platform gave a recording address that is not an http(s) address');
        let url = source.url;
        if (source.protocol === 'hls' && this.options.relay) {
          this.options.relay.issue(url, source.mediaHeaders);
          url = await this.options.relay.open(url, 'hls');
          relayed = url;
        }
        // Cloud sources start at their recording's start; device sources at the time asked (the same
        // here); an unlisted platform's at the recording's dated start, asked for by its own range.
        const originMs = rec.startMs;
        const from = Math.max(rec.startMs, job.startMs);
        await scanRecording({
          ffmpeg,
          url,
          originMs,
          fromMs: from,
          toMs: Math.min(rec.endMs, job.endMs),
          grid,
          thresholds: limits,
          signal: job.abort.signal,
          ...(this.options.protocols ? { protocols: this.options.protocols } : {}),
          ...(this.options.nice !== 0 ? { nice: this.options.nice ?? SEARCH_NICE } : {}),
          thumbnails: true,
          onMoment: (m) => this.found(job, m),
          onTime: (ms) => {
            job.searchedMs = done + Math.max(0, ms - from);
            this.progress(job);
          },
        });
      } catch (e) {
        if (job.abort.signal.aborted) return;
        const message = e instanceof AppError ? e.message : redact((e as Error).message);
        job.failures.push({ startMs: rec.startMs, endMs: rec.endMs, message });
        log.warn(`motion search ${job.id}: recording at ${new Date(rec.startMs).toISOString()} failed: ${message}`);
      } finally {
        if (relayed) this.options.relay?.release(relayed);
      }
      done += span;
      job.searchedMs = done;
      this.progress(job);
    }
    if (recordings.length && job.failures.length === recordings.length)
      throw new AppError('PLATFORM_ERROR', 'None of the recordings in this range could be read');
  }

  private found(job: Job, m: Found & { thumbnail?: string | null }): void {
    const moment: MotionMoment = {
      id: randomUUID(),
      startMs: m.startMs,
      endMs: m.endMs,
      atMs: m.firstMs,
      peak: Math.round(m.peak * 1000) / 1000,
      thumbnail: m.thumbnail ?? null,
    };
    job.moments.push(moment);
    job.fresh.push(moment);
    this.emit(job, false);
  }

  private progress(job: Job): void {
    job.progress = job.recordedMs ? Math.min(0.99, job.searchedMs / job.recordedMs) : 0;
    this.emit(job, false);
  }

  /** Progress at most every 250 ms (and each moment at once); state changes always. */
  private emit(job: Job, force: boolean): void {
    const now = Date.now();
    if (!force && !job.fresh.length && now - job.lastEmit < 250) return;
    job.lastEmit = now;
    const { moments: _all, ...rest } = view(job);
    const moments = job.fresh;
    job.fresh = [];
    this.events.emit('main:motion', { job: rest, moments });
  }
}

function view(j: Job): MotionSearchJob {
  return {
    id: j.id,
    accountId: j.accountId,
    channelId: j.channelId,
    name: j.name,
    kind: j.kind,
    startMs: j.startMs,
    endMs: j.endMs,
    regions: j.regions,
    sensitivity: j.sensitivity,
    state: j.state,
    progress: j.progress,
    searchedMs: j.searchedMs,
    recordedMs: j.recordedMs,
    moments: [...j.moments],
    failures: [...j.failures],
    message: j.message,
  };
}

export function motionHandlers(motion: MotionSearchService): HandlerSlice {
  return {
    'motion:start': (req) => motion.start(req),
    'motion:list': () => motion.list(),
    'motion:cancel': ({ id }) => {
      motion.cancel(id);
      return null;
    },
  };
}
