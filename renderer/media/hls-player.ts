import Hls, { type ErrorData, type HlsConfig } from 'hls.js';
import { codecSupported } from './codecs';
import { edgePlaylistLoader } from './hls-edge-loader';
import { Emitter } from './emitter';
import type { DecodeRate } from './flv-rate';
import type { Player, PlayerEvents, PlaySource } from './types';

/**
 * HLS live and VOD through hls.js. Live: blocking playlist reload (done by the client for origins
 * that lack it, see hls-edge-loader), sync close to the edge (1-s segments), catch up by playback
 * rate, small back buffer. VOD: plain config, seekable.
 */
// Measured (`bench -- wall --mode hls`): with the edge loader, sync 1.2 s gave 1.34 / 1.48 / 1.59 s
// glass-to-glass p95 at 9 / 16 / 25 panes, ≤ 1.1 % dropped; sync 1.0 s was 0.1 s faster but left
// 0.1–0.2 s of buffer before each segment and dropped twice as many frames at 25 panes — too thin
// for a real network. Without the edge loader 1.6–2.5 s at 16 panes (segments noticed 0–1 s late).
// Catch-up ≤ 1.1× (1.2× dropped frames).
export const liveHlsConfig: Partial<HlsConfig> = {
  // also makes hls.js ask for the next segment as soon as one arrives (`_HLS_msn`)
  lowLatencyMode: true,
  liveSyncDuration: 1.2,
  liveMaxLatencyDuration: 3,
  maxLiveSyncPlaybackRate: 1.1,
  backBufferLength: 8,
  maxBufferLength: 4,
  enableWorker: true,
  manifestLoadingTimeOut: 8000,
  // a multi-variant stream plays no variant bigger than the pane: small panes decode little
  capLevelToPlayerSize: true,
};

/** A key-frame pane whose newest segment is older than this has stalled: the owner reconnects. */
const KEY_STALL_MS = 10_000;

export const vodHlsConfig: Partial<HlsConfig> = {
  backBufferLength: 30,
  maxBufferLength: 30,
  enableWorker: true,
  // recordings may be produced on first request
  manifestLoadingTimeOut: 30_000,
};

export class HlsPlayer implements Player {
  private readonly events = new Emitter<PlayerEvents>();
  private engine: Hls | null = null;
  private video: HTMLVideoElement | null = null;
  private startedAt = 0;
  private firstFrameSeen = false;
  private bytes = 0;
  private live = false;
  private rate: DecodeRate = 'full';
  private lastFragAt = 0;
  private stallTimer: ReturnType<typeof setInterval> | null = null;
  codec = '';
  private readonly onFrame = () => {
    if (this.firstFrameSeen || !this.video) return;
    if (this.video.currentTime > 0 || (this.video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0) > 0) {
      this.firstFrameSeen = true;
      this.events.emit('first-frame', { ttffMs: performance.now() - this.startedAt });
    }
  };

  on<E extends keyof PlayerEvents>(event: E, listener: (payload: PlayerEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  attach(video: HTMLVideoElement): void {
    this.video = video;
  }

  get receivedBytes(): number {
    return this.bytes;
  }

  /** Live and muted: its rate can be reduced (pausing the video would silence audio someone listens to). */
  get reducible(): boolean {
    return this.live && (this.video?.muted ?? true);
  }

  /**
   * The decode budget's key-frame refresh for live HLS: the <video> stays paused on the first
   * frame (a key frame) of the newest segment and moves to each new one as hls.js buffers it, so
   * the decoder works a few frames a segment instead of every frame; segments still load, and
   * 'full' plays on from there at once.
   */
  setRate(rate: DecodeRate): void {
    if (rate === this.rate || !this.live || !this.video) return;
    this.rate = rate;
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
    if (rate === 'key') {
      this.video.pause();
      this.lastFragAt = performance.now();
      this.stallTimer = setInterval(() => {
        if (performance.now() - this.lastFragAt > KEY_STALL_MS)
          this.events.emit('error', { fatal: true, reason: `no new segment for ${KEY_STALL_MS / 1000} s` });
      }, 2000);
    } else void this.video.play().catch(() => undefined);
    this.events.emit('rate', { rate });
  }

  load(source: PlaySource): void {
    if (!this.video) throw new Error('attach a <video> first');
    this.teardown();
    if (!Hls.isSupported()) {
      this.events.emit('error', { fatal: true, reason: 'this browser has no MediaSource for HLS' });
      return;
    }
    this.startedAt = performance.now();
    this.firstFrameSeen = false;
    this.bytes = 0;
    this.live = source.live;
    this.rate = 'full';
    // One edge loader per player: it remembers when this pane's playlist last grew.
    const hls = new Hls(source.live ? { ...liveHlsConfig, pLoader: edgePlaylistLoader() } : vodHlsConfig);
    this.engine = hls;
    hls.on(Hls.Events.FRAG_LOADED, (_e, data) => {
      this.bytes += data.frag.stats.total;
    });
    hls.on(Hls.Events.FRAG_BUFFERED, (_e, data) => {
      if (this.rate !== 'key' || data.frag.type !== 'main' || !this.video) return;
      this.lastFragAt = performance.now();
      // Just past the segment's first frame: the paused <video> shows that key frame.
      const at = (data.frag.startPTS ?? data.frag.start) + 0.01;
      if (at > this.video.currentTime) this.video.currentTime = at;
    });
    hls.on(Hls.Events.BUFFER_CODECS, (_e, data) => {
      const codec = data.video?.codec ?? '';
      this.codec = codec;
      if (codec && !codecSupported(codec)) {
        this.events.emit('error', {
          fatal: true,
          reason: `codec ${codec} cannot be decoded here`,
          unsupportedCodec: codec,
        });
      }
    });
    hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => this.onError(data));
    // Recordings dated by the platform map media time to wall-clock time exactly, even when the
    // playlist starts earlier or later than the range asked for.
    hls.on(Hls.Events.LEVEL_LOADED, (_e, data) => {
      const fragments = data.details.fragments.flatMap((f) =>
        f.programDateTime ? [{ start: f.start, duration: f.duration, wallMs: f.programDateTime }] : [],
      );
      if (!source.live && fragments.length === data.details.fragments.length && fragments.length)
        this.events.emit('dated', { fragments });
    });
    this.video.addEventListener('timeupdate', this.onFrame);
    this.video.muted = true;
    hls.attachMedia(this.video);
    hls.loadSource(source.url);
    void this.video.play().catch(() => undefined);
  }

  private onError(data: ErrorData): void {
    const codecError =
      data.details === Hls.ErrorDetails.MANIFEST_INCOMPATIBLE_CODECS_ERROR ||
      data.details === Hls.ErrorDetails.BUFFER_ADD_CODEC_ERROR ||
      data.details === Hls.ErrorDetails.BUFFER_INCOMPATIBLE_CODECS_ERROR;
    if (codecError) {
      // hls.js may refuse the source buffer before BUFFER_CODECS reaches this player: the codec is in the MIME type.
      const mime = data.mimeType ?? '';
      const listed = /^video\//.test(mime) ? (/codecs="?([^"]+)"?/.exec(mime)?.[1] ?? '').split(',') : [];
      const codec = this.codec || listed.find((c) => /^(hvc1|hev1)/.test(c)) || listed[0] || 'unknown';
      this.events.emit('error', { fatal: true, reason: data.details, unsupportedCodec: codec });
      return;
    }
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && this.engine) {
      this.engine.recoverMediaError();
      return;
    }
    const status = data.response?.code;
    this.events.emit('error', {
      fatal: true,
      reason: `${data.type}: ${data.details}${status ? ` (HTTP ${status})` : ''}`,
    });
  }

  /** Seek within a VOD source (seconds from its start). */
  seek(seconds: number): void {
    if (this.video) this.video.currentTime = seconds;
  }

  private teardown(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
    this.video?.removeEventListener('timeupdate', this.onFrame);
    this.engine?.destroy();
    this.engine = null;
  }

  destroy(): void {
    this.teardown();
    this.events.clear();
  }
}
