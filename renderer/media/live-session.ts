import { FlvPlayer } from './flv-player';
import { HlsPlayer } from './hls-player';
import { appBudget, type HostBudget } from './host-budget';
import { Backoff, defaultBackoff, type BackoffPolicy } from './reconnect';
import { bufferLatency, rate, type Sample } from './stats';
import type { PlaySource, PlayerState, PlayerStats, SourceProvider } from './types';

/**
 * One pane's playback for its whole life: asks the provider for a fresh source on every
 * (re)connect, routes HTTP-FLV through main's relay past the per-host connection budget, picks
 * the engine, detects stalls, reconnects with backoff, reports state in words and stats once a
 * second. An unsupported codec is a final state, never a reconnect loop.
 */
export interface LiveSessionOptions {
  video: HTMLVideoElement;
  provider: SourceProvider;
  onState(state: PlayerState): void;
  onStats?(stats: PlayerStats): void;
  /** main's relay: HTTP-FLV URL → the same stream on one of main's loopback ports */
  relay?: (url: string) => Promise<string>;
  budget?: HostBudget;
  backoff?: BackoffPolicy;
  /** No progress for this long → reconnect. */
  stallTimeoutMs?: number;
  /** No first frame for this long → reconnect. */
  connectTimeoutMs?: number;
  /** Called just before a failed engine is torn down while its last frame is still on the video (to keep it on screen). */
  onLastFrame?(video: HTMLVideoElement): void;
}

type Engine = FlvPlayer | HlsPlayer;

export class LiveSession {
  private engine: Engine | null = null;
  private release: (() => void) | null = null;
  private readonly backoff: Backoff;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private generation = 0;
  private lastSample: Sample | null = null;
  private lastProgress = { at: 0, time: -1 };
  private connectedAt = 0;
  private firstFrame = false;
  private ttffMs: number | null = null;
  private source: PlaySource | null = null;
  /** Learnt on this channel: its stream has no audio track (whatever a fresh URL's header says). */
  private noAudio = false;

  constructor(private readonly o: LiveSessionOptions) {
    this.backoff = new Backoff(o.backoff ?? defaultBackoff);
  }

  start(): void {
    this.stopped = false;
    this.statsTimer = setInterval(() => this.tick(), 1000);
    void this.connect(0);
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.teardown();
    this.o.onState({ kind: 'idle' });
  }

  /** The source currently playing (after relay rewriting), for diagnostics. */
  get current(): PlaySource | null {
    return this.source;
  }

  private async connect(attempt: number): Promise<void> {
    const gen = ++this.generation;
    this.o.onState({ kind: 'connecting' });
    let source: PlaySource;
    try {
      source = await this.o.provider(attempt);
      if (gen !== this.generation) return;
      if (this.noAudio && source.hasAudio === undefined) source = { ...source, hasAudio: false };
      source = await this.route(source);
      if (gen !== this.generation) return this.releaseSlot();
    } catch (e) {
      if (gen === this.generation) this.fail(e instanceof Error ? e.message : String(e));
      return;
    }
    this.source = source;
    const engine: Engine = source.protocol === 'hls' ? new HlsPlayer() : new FlvPlayer();
    this.engine = engine;
    this.firstFrame = false;
    this.ttffMs = null;
    this.lastSample = null;
    this.connectedAt = performance.now();
    this.lastProgress = { at: performance.now(), time: -1 };
    engine.attach(this.o.video);
    engine.on('first-frame', ({ ttffMs }) => {
      if (gen !== this.generation) return;
      this.firstFrame = true;
      this.ttffMs = ttffMs;
      this.backoff.playing(Date.now());
      this.o.onState({ kind: 'playing' });
    });
    engine.on('error', (e) => {
      if (gen !== this.generation) return;
      if (e.unsupportedCodec) {
        this.generation++;
        this.teardown();
        this.o.onState({ kind: 'unsupported-codec', codec: e.unsupportedCodec });
        return;
      }
      if (e.again) return this.again();
      this.fail(e.reason);
    });
    engine.on('ended', () => gen === this.generation && this.fail('the stream ended'));
    engine.load(source);
  }

  /**
   * HTTP-FLV beyond the per-host budget (shared by all windows) goes through main's relay. Main
   * spreads relayed streams over its ports within the same budget, so the relayed URL takes no slot.
   */
  private async route(source: PlaySource): Promise<PlaySource> {
    if (source.protocol !== 'flv' || source.relayed) return source;
    const budget = this.o.budget ?? appBudget;
    const release = await budget.acquire(source.url);
    if (release) {
      this.release = release;
      return source;
    }
    if (!this.o.relay) return source; // no relay (plain page): try anyway, it will queue
    return { ...source, streamKey: source.streamKey ?? source.url, url: await this.o.relay(source.url) };
  }

  /** Start over at once with a fresh source, knowing it has no audio; not a failure, so no backoff. */
  private again(): void {
    if (this.stopped) return;
    this.noAudio = true;
    this.generation++;
    this.teardown();
    void this.connect(0);
  }

  private fail(reason: string): void {
    if (this.stopped) return;
    if (this.firstFrame) this.o.onLastFrame?.(this.o.video);
    this.generation++;
    this.teardown();
    const { attempt, delayMs } = this.backoff.failed(Date.now());
    this.o.onState({ kind: 'reconnecting', attempt, inMs: delayMs, reason });
    this.timer = setTimeout(() => void this.connect(attempt), delayMs);
  }

  private tick(): void {
    const engine = this.engine;
    const video = this.o.video;
    if (!engine || this.stopped) return;
    const now = performance.now();
    if (video.currentTime !== this.lastProgress.time) this.lastProgress = { at: now, time: video.currentTime };
    const stallLimit = this.o.stallTimeoutMs ?? 5000;
    const connectLimit = this.o.connectTimeoutMs ?? 10_000;
    if (!this.firstFrame && now - this.connectedAt > connectLimit) return this.fail('no picture within 10 s');
    if (this.firstFrame && now - this.lastProgress.at > stallLimit && !video.paused)
      return this.fail(`stalled for ${Math.round(stallLimit / 1000)} s`);
    const q = video.getVideoPlaybackQuality?.();
    const sample: Sample = {
      at: now,
      decodedFrames: q?.totalVideoFrames ?? 0,
      droppedFrames: q?.droppedVideoFrames ?? 0,
      bytes: engine.receivedBytes,
    };
    const r = rate(this.lastSample, sample);
    this.lastSample = sample;
    this.o.onStats?.({
      fps: r.fps,
      bitrateKbps: r.bitrateKbps,
      width: video.videoWidth,
      height: video.videoHeight,
      codec: engine.codec,
      bufferLatencyS: bufferLatency(video.buffered, video.currentTime),
      droppedFrames: sample.droppedFrames,
      decodedFrames: sample.decodedFrames,
      ttffMs: this.ttffMs,
    });
  }

  private releaseSlot(): void {
    this.release?.();
    this.release = null;
  }

  private teardown(): void {
    this.engine?.destroy();
    this.engine = null;
    this.source = null;
    this.releaseSlot();
  }
}
