import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readMediaPlaylist } from '../../common/m3u8';
import type { ThumbnailAnswer, ThumbnailCacheInfo, ThumbnailRequest } from '../../preload/contract';
import { AppError } from '../errors';
import type { HandlerSlice } from '../ipc/handlers';
import { log, redact } from '../log';
import { get, getMediaPlaylistText, type ReadOptions } from '../media/clip-download';
import { findFfmpeg } from '../media/ffmpeg';
import { FlvHevcDemuxer } from '../media/flv-hevc';
import { HevcTsMuxer } from '../media/hevc-ts';
import type { MediaRelay } from '../media/relay';
import { writeTo } from '../media/remux';
import { keyFrameArgs, THUMB_LIMITS } from '../media/thumbnails/args';
import { bucketStart, fileOfKey, keyOfFile, thumbKey, type ThumbIdentity } from '../media/thumbnails/keys';
import { locate } from '../media/thumbnails/locate';
import { LruIndex } from '../media/thumbnails/lru';
import { runPicture } from '../media/thumbnails/run';
import type { PlaybackSource, Platform } from '../platforms/platform';

export const DEFAULT_THUMB_CACHE_MB = 200;
/** Where the platform lists no recordings, a play source is asked for the hour around the moment. */
const UNLISTED_WINDOW_MS = 3600_000;
/** A device recording is asked from the moment, for this long (its source plays from where it starts). */
const DEVICE_WINDOW_MS = 10 * 60_000;
/** A recording's relayed playlist is reused this long after its last use (the relay keeps an HLS ticket 60 s). */
const SOURCE_TTL_MS = 40_000;
/** A moment that had no picture is not asked again for this long (a hover sweeping a gap). */
const FAILURE_TTL_MS = 20_000;
/** Filmstrip pictures one requester may have waiting; older ones give way to newer. */
const MAX_STRIP_QUEUED = 48;

export interface ThumbnailOptions {
  /** The cache folder (the app's data folder's cache/thumbnails). */
  dir: string;
  /** The cache's bound in bytes, read at each write (the setting may change). */
  maxBytes: () => number;
  ffmpeg?: () => string | null;
  /** ffmpeg runs at once; default half the cores (at least one), so playback keeps the rest. */
  concurrency?: number;
  relay: MediaRelay;
  /** Which hosts count as private (tests). */
  isPrivate?: (host: string) => boolean;
}

interface HlsRecording {
  fromMs: number;
  toMs: number;
  segments: Array<{ url: string; start: number; duration: number; wallMs: number | null }>;
  usedAt: number;
}

interface Job {
  key: string;
  id: ThumbIdentity;
  req: ThumbnailRequest;
  /** The moment the picture is taken at: the bucket's start, inside the recording. */
  atMs: number;
  purpose: 'hover' | 'strip';
  requesters: Set<string>;
  abort: AbortController;
  started: boolean;
  promise: Promise<ThumbnailAnswer>;
  resolve(a: ThumbnailAnswer): void;
}

/**
 * Timeline thumbnails: one key frame near a moment of a recording, as a small JPEG, cached on disk
 * per recording and time bucket (LRU within the size setting). Pictures are made by ffmpeg in a
 * bounded queue: at most `concurrency` at once, each one thread at low priority; requests for one
 * picture share one run; a newer hover from the same timeline supersedes its older ones (queued
 * ones at once, a running one killed), and hovers go before filmstrip pictures. An HLS recording
 * is read one segment at a time (the one holding the moment), through main's relay; a device's FLV
 * recording from the moment, up to its first key frame. Whatever fails becomes a "no picture"
 * answer saying why; playback never waits on any of it.
 */
export class ThumbnailService {
  private index: LruIndex | null = null;
  private readonly inflight = new Map<string, Job>();
  private queue: Job[] = [];
  private running = 0;
  private readonly sources = new Map<string, Promise<HlsRecording>>();
  private readonly failures = new Map<string, { at: number; reason: string }>();
  private closed = false;
  /** Playlists are shared by every picture of a recording: read under the service's life, not one job's. */
  private readonly lifetime = new AbortController();
  private readonly ffmpeg: () => string | null;
  private readonly concurrency: number;

  constructor(
    private readonly accounts: { platform(id: string): Promise<Platform> },
    private readonly o: ThumbnailOptions,
  ) {
    this.ffmpeg = o.ffmpeg ?? findFfmpeg;
    this.concurrency = Math.max(1, o.concurrency ?? Math.floor(os.availableParallelism() / 2));
  }

  async get(req: ThumbnailRequest): Promise<ThumbnailAnswer> {
    if (this.closed) return { state: 'superseded' };
    const id = identity(req);
    const atMs = pictureTime(req, id);
    const key = thumbKey(id);
    const cached = await this.read(key);
    if (cached) return { state: 'ok', atMs: id.bucketStartMs, image: dataUrl(cached), cached: true };
    const failed = this.failures.get(key);
    if (failed && Date.now() - failed.at < FAILURE_TTL_MS)
      return { state: 'none', atMs: id.bucketStartMs, reason: failed.reason };
    if (req.purpose === 'hover') this.supersede(req.requester, key);
    const known = this.inflight.get(key);
    if (known) {
      known.requesters.add(req.requester);
      // A filmstrip picture the pointer now rests on is wanted first.
      if (req.purpose === 'hover' && known.purpose === 'strip') {
        known.purpose = 'hover';
        if (!known.started) this.enqueue(known, true);
      }
      return known.promise;
    }
    let resolve!: (a: ThumbnailAnswer) => void;
    const promise = new Promise<ThumbnailAnswer>((r) => (resolve = r));
    const job: Job = {
      key,
      id,
      req,
      atMs,
      purpose: req.purpose,
      requesters: new Set([req.requester]),
      abort: new AbortController(),
      started: false,
      promise,
      resolve,
    };
    this.inflight.set(key, job);
    this.enqueue(job, req.purpose === 'hover');
    this.pump();
    return promise;
  }

  /** What the cache holds now. */
  async cacheInfo(): Promise<ThumbnailCacheInfo> {
    const index = await this.loadIndex();
    this.resize(index);
    return { entries: index.size, bytes: index.totalBytes, limitBytes: index.limitBytes };
  }

  /** Empties the cache (pictures being made still land in it). */
  async clear(): Promise<ThumbnailCacheInfo> {
    const index = await this.loadIndex();
    const all = await fs.promises.readdir(this.o.dir).catch(() => [] as string[]);
    await Promise.all(all.map((f) => fs.promises.rm(path.join(this.o.dir, f), { force: true }).catch(() => undefined)));
    index.load([]);
    this.failures.clear();
    return this.cacheInfo();
  }

  /** On quit: queued pictures are dropped, running ffmpeg killed. */
  close(): void {
    this.closed = true;
    this.lifetime.abort();
    for (const job of [...this.inflight.values()]) this.cancel(job);
    this.queue = [];
    this.sources.clear();
  }

  /** Pictures waiting or being made (tests, the bench). */
  get pending(): number {
    return this.inflight.size;
  }

  private enqueue(job: Job, first: boolean): void {
    this.queue = this.queue.filter((j) => j !== job);
    if (first) {
      // After the hovers already waiting, before every filmstrip picture.
      const at = this.queue.findIndex((j) => j.purpose === 'strip');
      this.queue.splice(at < 0 ? this.queue.length : at, 0, job);
      return;
    }
    this.queue.push(job);
    const mine = this.queue.filter((j) => j.purpose === 'strip' && j.requesters.has(job.req.requester));
    for (const old of mine.slice(0, Math.max(0, mine.length - MAX_STRIP_QUEUED))) this.drop(old, job.req.requester);
  }

  /** A newer hover from `requester`: its older hovers (other pictures) are no longer wanted by it. */
  private supersede(requester: string, keep: string): void {
    for (const job of [...this.inflight.values()])
      if (job.key !== keep && job.purpose === 'hover' && job.requesters.has(requester)) this.drop(job, requester);
  }

  /** `requester` no longer wants `job`; nobody else does either: it is cancelled. */
  private drop(job: Job, requester: string): void {
    job.requesters.delete(requester);
    if (job.requesters.size === 0) this.cancel(job);
  }

  private cancel(job: Job): void {
    this.queue = this.queue.filter((j) => j !== job);
    this.inflight.delete(job.key);
    job.abort.abort();
    job.resolve({ state: 'superseded' });
  }

  private pump(): void {
    while (!this.closed && this.running < this.concurrency && this.queue.length) {
      const job = this.queue.shift()!;
      job.started = true;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      const jpeg = await this.make(job);
      if (job.abort.signal.aborted) return;
      await this.write(job.key, jpeg);
      job.resolve({ state: 'ok', atMs: job.id.bucketStartMs, image: dataUrl(jpeg), cached: false });
    } catch (e) {
      if (job.abort.signal.aborted) return;
      const reason = e instanceof AppError ? e.message : redact((e as Error).message);
      this.failures.set(job.key, { at: Date.now(), reason });
      if (this.failures.size > 2000) this.failures.delete(this.failures.keys().next().value!);
      job.resolve({ state: 'none', atMs: job.id.bucketStartMs, reason });
    } finally {
      if (this.inflight.get(job.key) === job) this.inflight.delete(job.key);
    }
  }

  private async make(job: Job): Promise<Buffer> {
    const ffmpeg = this.ffmpeg();
    if (!ffmpeg)
      throw new AppError('NOT_AVAILABLE', 'ffmpeg is not available on this computer, so there are no pictures');
    const platform = await this.accounts.platform(job.req.accountId);
    if (!platform.playbackSource) throw new AppError('NOT_AVAILABLE', 'This platform offers no recorded video');
    const signal = job.abort.signal;
    const recKey = `${job.req.accountId}|${job.req.channelId}|${job.req.kind}|${job.id.recordingStartMs}`;
    // A cached playlist first; if its run fails (the relay's ticket lapsed, the URL expired) once more on a fresh one.
    for (let attempt = 0; ; attempt++) {
      const hls = await this.recording(platform, job, recKey);
      if ('protocol' in hls) return this.fromDevice(platform, job, ffmpeg, signal, hls);
      const at = locate(
        hls.segments.map((s) => ({ start: s.start, duration: s.duration, wallMs: s.wallMs })),
        job.atMs,
        hls.fromMs,
        // A bucket's picture is the first recorded in it: a gap up to the bucket's end is passed over.
        Math.max(10_000, job.id.bucketStartMs + job.id.bucketMs - job.atMs),
      );
      if (!at) throw new AppError('NOT_FOUND', 'No recording at this moment');
      // The nearer of the two key frames around the moment: this segment's first, or the next one's.
      const next = hls.segments[at.segment + 1];
      const here = hls.segments[at.segment]!;
      const follows =
        !!next &&
        (next.wallMs === null || here.wallMs === null || next.wallMs - here.wallMs <= here.duration * 1000 + 1000);
      const seg = follows && at.seekS > here.duration / 2 ? next! : here;
      try {
        return await runPicture(ffmpeg, keyFrameArgs({ kind: 'relay', url: seg.url }), signal, THUMB_LIMITS.hlsWallMs);
      } catch (e) {
        this.forget(recKey);
        if (attempt > 0 || signal.aborted) throw e;
      }
    }
  }

  private forget(recKey: string): void {
    for (const k of this.sources.keys()) if (k.startsWith(`${recKey}|`)) this.sources.delete(k);
  }

  /**
   * The relayed playlist of the recording holding the moment, from cache or asked now; or, where
   * the platform plays this recording as FLV (a device's, from a time), that source, read once.
   */
  private async recording(platform: Platform, job: Job, recKey: string): Promise<HlsRecording | PlaybackSource> {
    const now = Date.now();
    for (const [k, p] of this.sources) {
      if (!k.startsWith(`${recKey}|`)) continue;
      const r = await p.catch(() => null);
      if (r && now - r.usedAt < SOURCE_TTL_MS && r.fromMs <= job.atMs && job.atMs < r.toMs) {
        r.usedAt = now;
        return r;
      }
      if (!r || now - r.usedAt >= SOURCE_TTL_MS) this.sources.delete(k);
    }
    const { fromMs, toMs } = sourceRange(job);
    const source = await platform.playbackSource!(job.req.channelId, job.req.kind, fromMs, toMs);
    if (!/^https?:\/\//i.test(source.url) || !URL.canParse(source.url))
      throw new AppError('PLATFORM_ERROR', 'The platform gave a recording address that is not an http(s) address');
    // Not kept: a device's FLV recording plays once, from where it was asked.
    if (source.protocol === 'flv') return source;
    const loading = this.loadHls(source.url, source.mediaHeaders, fromMs, toMs, this.lifetime.signal);
    const k = `${recKey}|${fromMs}`;
    this.sources.set(k, loading);
    loading.catch(() => this.sources.delete(k));
    while (this.sources.size > 64) this.sources.delete(this.sources.keys().next().value!);
    return loading;
  }

  private async loadHls(
    url: string,
    headers: Record<string, string> | undefined,
    fromMs: number,
    toMs: number,
    signal: AbortSignal,
  ): Promise<HlsRecording> {
    // Through the relay, as the players read it: its address rules hold, a platform header is added there.
    this.o.relay.issue(url, headers);
    const opened = await this.o.relay.open(url, 'hls');
    const { url: at, text } = await getMediaPlaylistText(opened, this.readOptions(signal));
    const p = readMediaPlaylist(text);
    if (!p || p.malformed) throw new AppError('PLATFORM_ERROR', "The recording's playlist could not be read");
    if (p.encrypted || p.byteRanges)
      throw new AppError('NOT_AVAILABLE', 'This recording is encrypted or in byte ranges: no pictures from it yet');
    const segments = p.segments
      .filter((s) => s.uri)
      .map((s) => ({ url: new URL(s.uri, at).toString(), start: s.startS, duration: s.durationS, wallMs: s.dateMs }));
    if (!segments.length) throw new AppError('NOT_FOUND', 'The recording has no segments');
    return { fromMs, toMs, segments, usedAt: Date.now() };
  }

  /**
   * A device's FLV recording from the moment: read until the first key frame, which ffmpeg turns
   * into the picture. H.265 in FLV (which this ffmpeg cannot read) goes through main's demuxer into
   * MPEG-TS; anything else is handed over as it came. Bounded in bytes and time.
   */
  private async fromDevice(
    platform: Platform,
    job: Job,
    ffmpeg: string,
    signal: AbortSignal,
    source: PlaybackSource,
  ): Promise<Buffer> {
    const body = await get(source.url, this.readOptions(signal), 'The recording');
    const chunks = body.chunks();
    const demux = new FlvHevcDemuxer();
    const head: Uint8Array[] = [];
    let read = 0;
    let hevc: boolean | null = null;
    let key: Uint8Array | null = null;
    try {
      while (hevc === null || (hevc && !key)) {
        const next = await chunks.next();
        if (next.done) break;
        read += next.value.length;
        if (read > THUMB_LIMITS.flvInputBytes) break;
        head.push(next.value);
        try {
          const frames = demux.push(next.value);
          if (demux.codec === 'hevc') hevc = true;
          const k = frames.find((f) => f.keyframe);
          if (k) key = new HevcTsMuxer().push(k.annexB, 0, 0, true);
        } catch {
          hevc = false; // not H.265: ffmpeg reads the FLV itself
        }
      }
      if (hevc === null) throw new AppError('PLATFORM_ERROR', 'The recording sent no video');
      if (hevc && !key) throw new AppError('PLATFORM_ERROR', 'No key frame came from the recording');
      const input = hevc ? ({ kind: 'pipe', format: 'mpegts' } as const) : ({ kind: 'pipe', format: 'flv' } as const);
      return await runPicture(ffmpeg, keyFrameArgs(input), signal, THUMB_LIMITS.flvWallMs, (stdin, gone) => {
        let over = false;
        void gone.then(() => (over = true));
        void (async () => {
          try {
            if (key) await writeTo(stdin, key);
            else {
              for (const c of head) await writeTo(stdin, c);
              for (let sent = read; !over && sent < THUMB_LIMITS.flvInputBytes; ) {
                const next = await chunks.next();
                if (next.done) break;
                sent += next.value.length;
                await writeTo(stdin, next.value);
              }
            }
          } catch {
            /* the recording broke off: ffmpeg says whether a picture came */
          } finally {
            stdin.end();
          }
        })();
      });
    } finally {
      await chunks.return(undefined).catch(() => undefined);
      if (source.session && platform.playbackControl)
        void platform.playbackControl(job.req.channelId, source.session, 'stop').catch(() => undefined);
    }
  }

  private readOptions(signal: AbortSignal): ReadOptions {
    return {
      signal,
      connectMs: 10_000,
      idleMs: 10_000,
      onProgress: () => undefined,
      ...(this.o.isPrivate ? { isPrivate: this.o.isPrivate } : {}),
    };
  }

  // ------------------------------------------------------------------ the disk cache

  private loading: Promise<LruIndex> | null = null;

  /** The index, built once from the folder (order of last use: the files' modification times). */
  private loadIndex(): Promise<LruIndex> {
    if (this.index) return Promise.resolve(this.index);
    this.loading ??= (async () => {
      await fs.promises.mkdir(this.o.dir, { recursive: true });
      const found: Array<{ key: string; bytes: number; usedMs: number }> = [];
      for (const name of await fs.promises.readdir(this.o.dir)) {
        const key = keyOfFile(name);
        const file = path.join(this.o.dir, name);
        if (!key) {
          // A write cut short (quit mid-write) or something that is not ours in our folder.
          if (name.includes('.tmp-')) await fs.promises.rm(file, { force: true }).catch(() => undefined);
          continue;
        }
        const st = await fs.promises.stat(file).catch(() => null);
        if (st?.isFile()) found.push({ key, bytes: st.size, usedMs: st.mtimeMs });
      }
      const index = new LruIndex(this.o.maxBytes());
      this.remove(index.load(found));
      this.index = index;
      return index;
    })();
    return this.loading;
  }

  private resize(index: LruIndex): void {
    const limit = this.o.maxBytes();
    if (limit !== index.limitBytes) this.remove(index.resize(limit));
  }

  private async read(key: string): Promise<Buffer | null> {
    const index = await this.loadIndex();
    if (!index.has(key)) return null;
    const file = path.join(this.o.dir, fileOfKey(key));
    try {
      const bytes = await fs.promises.readFile(file);
      index.touch(key);
      // The order of use outlives a restart through the file's time.
      const now = new Date();
      void fs.promises.utimes(file, now, now).catch(() => undefined);
      return bytes;
    } catch {
      index.remove(key); // removed behind our back: made again
      return null;
    }
  }

  private async write(key: string, jpeg: Buffer): Promise<void> {
    const index = await this.loadIndex();
    this.resize(index);
    const file = path.join(this.o.dir, fileOfKey(key));
    const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      await fs.promises.writeFile(tmp, jpeg);
      await fs.promises.rename(tmp, file);
    } catch (e) {
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
      // A full or read-only disk costs the cache, not the picture.
      log.warn(`thumbnail cache: could not write (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return;
    }
    this.remove(index.add(key, jpeg.length));
  }

  private remove(keys: string[]): void {
    for (const k of keys)
      void fs.promises.rm(path.join(this.o.dir, fileOfKey(k)), { force: true }).catch(() => undefined);
  }
}

/** The cache identity of a request: the recording (or unlisted window) and the bucket. */
export function identity(req: ThumbnailRequest): ThumbIdentity {
  const bucket = bucketStart(req.atMs, req.bucketMs);
  return {
    accountId: req.accountId,
    channelId: req.channelId,
    kind: req.kind,
    recordingStartMs: req.recording
      ? req.recording.startMs
      : Math.floor(req.atMs / UNLISTED_WINDOW_MS) * UNLISTED_WINDOW_MS,
    bucketMs: req.bucketMs,
    bucketStartMs: bucket,
  };
}

/** The moment a picture is taken at: the bucket's start, kept inside the recording. */
export function pictureTime(req: ThumbnailRequest, id: ThumbIdentity): number {
  if (!req.recording) return id.bucketStartMs;
  if (req.recording.endMs <= req.recording.startMs)
    throw new AppError('VALIDATION', 'The recording ends before it starts');
  return Math.min(Math.max(id.bucketStartMs, req.recording.startMs), req.recording.endMs - 1);
}

/**
 * The range a play source is asked for: a cloud recording whole (one playlist serves every picture
 * of it), a device recording from the moment (its source plays from where it starts), an unlisted
 * platform's hour around the moment.
 */
export function sourceRange(job: { req: ThumbnailRequest; atMs: number; id: ThumbIdentity }): {
  fromMs: number;
  toMs: number;
} {
  const rec = job.req.recording;
  if (job.req.kind === 'device') {
    const end = rec ? rec.endMs : job.atMs + DEVICE_WINDOW_MS;
    return { fromMs: job.atMs, toMs: Math.max(job.atMs + 1000, Math.min(end, job.atMs + DEVICE_WINDOW_MS)) };
  }
  if (rec) return { fromMs: rec.startMs, toMs: rec.endMs };
  return { fromMs: job.id.recordingStartMs, toMs: job.id.recordingStartMs + UNLISTED_WINDOW_MS };
}

const dataUrl = (jpeg: Buffer) => `data:image/jpeg;base64,${jpeg.toString('base64')}`;

export function thumbnailHandlers(thumbs: ThumbnailService): HandlerSlice {
  return {
    'thumbnails:get': (req) => thumbs.get(req),
    'thumbnails:cache': () => thumbs.cacheInfo(),
    'thumbnails:clear': () => thumbs.clear(),
  };
}
