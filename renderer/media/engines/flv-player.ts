import mpegts from 'mpegts.js';
import { codecSupported, refusedVideoCodec } from './codecs';
import { Emitter } from '../session/emitter';
import { AUDIO_KEYS } from './flv-audio-flag';
import { soundInfoOfCodecId, type SoundInfo } from '../../../common/flv-sound';
import { vigilFlvLoader } from './flv-loader';
import type { DecodeRate } from '../../../preload/contract';
import { FlvRateFilter } from '../key-frames/flv-rate';
import type { KeyFrameDecoder, KeyFrameDecoders } from '../key-frames/key-frame-decoder';
import { ONE_USE_AHEAD_S } from '../session/transcode';
import type { Player, PlayerEvents, PlaySource, StreamMeasures, StreamSound } from '../session/types';

/**
 * HTTP-FLV and WS-FLV (and MPEG-TS) through mpegts.js, tuned for live: no stash buffer, latency
 * chasing by playback rate (liveSync) and by seeking when far behind, bounded back buffer.
 * Audio is taken from the stream (video-only cameras are the common case), muted by default.
 */
export const liveFlvConfig: mpegts.Config = {
  enableWorker: false,
  enableStashBuffer: false,
  lazyLoad: false,
  deferLoadAfterSourceOpen: false,
  autoCleanupSourceBuffer: true,
  autoCleanupMaxBackwardDuration: 8,
  autoCleanupMinBackwardDuration: 4,
  liveBufferLatencyChasing: true,
  liveBufferLatencyChasingOnPaused: false,
  liveBufferLatencyMaxLatency: 1.0,
  liveBufferLatencyMinRemain: 0.25,
  liveSync: true,
  liveSyncMaxLatency: 0.6,
  liveSyncTargetLatency: 0.3,
  liveSyncPlaybackRate: 1.2,
  fixAudioTimestampGap: false,
  statisticsInfoReportInterval: 250,
};

/** mpegts.js for a recording: no lazy load (it would ask the used URL again), back buffer bounded. */
const oneUseRecordingConfig: mpegts.Config = {
  enableWorker: false,
  enableStashBuffer: false,
  lazyLoad: false,
  autoCleanupSourceBuffer: true,
  autoCleanupMaxBackwardDuration: 60,
  autoCleanupMinBackwardDuration: 30,
};

/** Seconds of media buffered past the play head (to the end of the last range: a gap before it counts too). */
export function bufferedAhead(video: Pick<HTMLVideoElement, 'buffered' | 'currentTime'>): number {
  const { buffered, currentTime } = video;
  return buffered.length ? Math.max(0, buffered.end(buffered.length - 1) - currentTime) : 0;
}

/** Below this much buffered a one-use recording is read on whatever the loader's count says. */
const ONE_USE_FLOOR_S = 1;
/**
 * A video back at full rate counts as moving to the picture until it plays past what it held, at
 * most this long: the next key frame may be a "smart codec" GOP (10 s) away, and the video stays
 * paused until the full rate takes effect and the pane is given back to it (on a loaded CI run a
 * snapshot took the video's frame, 16 s old, most likely once a 4-s limit had run out). A stream
 * that stalls is the stall watchdog's; key-picture.ts reveals the video after as long at most.
 */
const CATCH_UP_AT_MOST_MS = 15_000;
/** The loader's count is trusted while mpegts.js has appended all but this much of it. */
const ONE_USE_PENDING_S = 2;

/**
 * Whether a one-use recording's loader holds back: once the <video> has ONE_USE_AHEAD_S buffered
 * past the play head, or the loader has handed on that much (`deliveredS`) while mpegts.js keeps
 * up with it — appending lags a moment, and a held connection's backlog would otherwise all be
 * handed on before the <video> shows any of it. Where the two part (a timestamp jump, mpegts.js
 * holding more back) the <video> decides; and never while it is running dry.
 */
export function holdOneUse(video: Pick<HTMLVideoElement, 'buffered' | 'currentTime'>, deliveredS: number): boolean {
  const buffered = bufferedAhead(video);
  if (buffered <= ONE_USE_FLOOR_S) return false;
  if (buffered > ONE_USE_AHEAD_S) return true;
  const pending = deliveredS - (video.currentTime + buffered); // handed on, not yet in the <video>
  return pending < ONE_USE_PENDING_S && deliveredS - video.currentTime > ONE_USE_AHEAD_S;
}

// mpegts.js logs every step to the console; a wall of 25 panes does not need that.
mpegts.LoggingControl.applyConfig({ enableAll: false, enableError: true });

const AUDIO_PROBE_MS = 350;
const streamKey = (source: PlaySource) => (source.streamKey ?? source.url).split('?')[0]!;

/** Does an FLV onMetaData describe an audio track? */
export function metadataHasAudio(meta: Record<string, unknown>): boolean {
  if (typeof meta.hasAudio === 'boolean') return meta.hasAudio;
  return AUDIO_KEYS.some((k) => k in meta);
}

export class FlvPlayer implements Player {
  /**
   * `decoders`: the window's key-frame decoding (live panes' pictures at key frames); none for
   * recordings. `audioKnown`: whether a stream carries audio, learnt from its onMetaData, the
   * window's (MediaWindow) for its panes. Many servers (node-media-server among them) set the FLV
   * header's audio flag on every stream; mpegts.js then waits for audio that never comes. Keyed by
   * URL without its query (play URLs carry changing tokens).
   */
  constructor(
    private readonly decoders: KeyFrameDecoders | null = null,
    private readonly audioKnown = new Map<string, boolean>(),
  ) {}

  private readonly events = new Emitter<PlayerEvents>();
  private engine: mpegts.Player | null = null;
  private video: HTMLVideoElement | null = null;
  private startedAt = 0;
  private firstFrameSeen = false;
  private bytes = 0;
  private lastSpeedAt = 0;
  private readonly onFrame = () => this.checkFirstFrame();
  private audioProbe: ReturnType<typeof setTimeout> | null = null;
  private filter: FlvRateFilter | null = null;
  private wantedRate: DecodeRate = 'full';
  /** Decodes this connection's key frames off the main thread for key-picture.ts (live H.264 only). */
  private keyDecoder: KeyFrameDecoder | null = null;
  /** Ends the wait for the video to play past what it held (catchUp). */
  private endCatchUp: (() => void) | null = null;

  on<E extends keyof PlayerEvents>(event: E, listener: (payload: PlayerEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  attach(video: HTMLVideoElement): void {
    this.video = video;
  }

  readonly protocol = 'flv' as const;

  /** Bytes received so far on this connection (from mpegts.js's speed reports). */
  get receivedBytes(): number {
    return this.bytes;
  }

  get codec(): string {
    const info = this.engine?.mediaInfo as mpegts.MSEPlayerMediaInfo | undefined;
    return info?.videoCodec ?? '';
  }

  /** Key frames only ('key') or every frame; full rate returns at the next key frame (flv-rate.ts). */
  setRate(rate: DecodeRate): void {
    this.wantedRate = rate;
    this.filter?.setRate(rate);
    if (rate !== 'full') this.endCatchUp?.();
    else if (this.filter?.keysWithheld && this.video) this.catchUp(this.video);
  }

  /**
   * Back at full rate after the worker made the pane's pictures: the video holds the last frame it
   * was given, as old as the reduction (flv-rate.ts). It counts as moving to the
   * picture (key-picture.ts keeps the picture over it) until it plays what comes now — from the
   * next key frame, right after what it has.
   */
  private catchUp(video: HTMLVideoElement): void {
    this.endCatchUp?.();
    const b = video.buffered;
    const from = b.length ? b.end(b.length - 1) : 0;
    const check = () => {
      if (video.currentTime > from) end();
    };
    const timeout = setTimeout(() => end(), CATCH_UP_AT_MOST_MS);
    const end = () => {
      clearTimeout(timeout);
      video.removeEventListener('timeupdate', check);
      this.decoders?.setMoving(video, false);
      if (this.endCatchUp === end) this.endCatchUp = null;
    };
    this.endCatchUp = end;
    this.decoders?.setMoving(video, true);
    video.addEventListener('timeupdate', check);
  }

  /** The rate frames reach the decoder at now. */
  get rate(): DecodeRate {
    return this.filter?.effective ?? 'full';
  }

  /** A live FLV stream stays open decoding nothing, resumes at a key frame, and main's relay cuts it too. */
  readonly can = { hold: true, relayCut: true, fullUntilFirstFrame: true };

  /**
   * The camera's key-frame interval in ms as the filter timed it (null until two key frames came),
   * and the coded frames this page's filter threw away on this connection (main's relay may have
   * cut the stream before).
   */
  measures(): StreamMeasures {
    return { keyFrameIntervalMs: this.filter?.gopMs ?? null, framesCutInPage: this.filter?.counts.dropped ?? 0 };
  }

  /** Whether this stream can be reduced (a stream with audio cannot). */
  get reducible(): boolean {
    return this.filter?.reducible ?? false;
  }

  load(source: PlaySource): void {
    if (!this.video) throw new Error('attach a <video> first');
    this.teardown();
    this.startedAt = performance.now();
    this.firstFrameSeen = false;
    this.bytes = 0;
    this.lastSpeedAt = performance.now();
    const hasAudio = source.hasAudio ?? this.audioKnown.get(streamKey(source));
    // The loader reads the stream's metadata before mpegts.js reads the header: once it has
    // answered, the restarts below are not needed.
    let loaderAnswered = false;
    const filter = (this.filter = new FlvRateFilter(
      this.wantedRate,
      (rate) => {
        if (this.filter === filter) this.events.emit('rate', { rate });
      },
      () => performance.now(),
    ));
    // Opened without sound (a pane nobody listens to): its audio is dropped before mpegts.js, so
    // nothing of it keeps the stream from being cut (flv-rate.ts).
    filter.withoutSound = source.live && hasAudio === false;
    const video = this.video;
    const decoder = (this.keyDecoder = source.live ? (this.decoders?.open(video) ?? null) : null);
    if (decoder) {
      filter.tap = (kind, payload, ts) =>
        kind === 'config' ? decoder.configure(payload) : decoder.decode(payload, ts);
      // While the worker makes the pane's pictures, its hidden video gets no key frames (flv-rate.ts).
      filter.keysToVideo = () => !(decoder.picturesWanted && this.decoders?.of(video) === decoder);
    }
    const sound = (s: StreamSound) => {
      if (this.filter === filter) this.events.emit('sound', s);
    };
    const heard = (info: SoundInfo) => sound({ codec: info.codec, playable: info.playable });
    const loader = vigilFlvLoader(
      (audio, codecId) => {
        const named = codecId === undefined ? null : soundInfoOfCodecId(codecId);
        if (named) heard(named);
        else if (audio === false) sound({ codec: null });
        if (audio === undefined) return;
        loaderAnswered = true;
        this.audioKnown.set(streamKey(source), audio);
      },
      source.live
        ? { filter, sound: heard }
        : {
            sound: heard,
            hold: (deliveredS) => holdOneUse(video, deliveredS),
            holdWake: (wake) => {
              video.addEventListener('timeupdate', wake);
              return () => video.removeEventListener('timeupdate', wake);
            },
          },
    );
    const engine = mpegts.createPlayer(
      { type: 'flv', isLive: source.live, url: source.url, ...(hasAudio === undefined ? {} : { hasAudio }) },
      source.live
        ? { ...liveFlvConfig, customLoader: loader }
        : // A recording (main's transcode, or a device's stream from the cursor): Vigil's loader too,
          // so its G.711 sound plays (as FLAC) and its pace is the connection's (held, not re-asked
          // by byte range, which neither answers).
          { ...oneUseRecordingConfig, customLoader: loader },
    );
    this.engine = engine;
    engine.on(
      mpegts.Events.ERROR,
      (type: string, detail: string, info: { msg?: string; code?: number } | undefined) => {
        const status = typeof info?.code === 'number' && info.code >= 100 ? ` (HTTP ${info.code})` : '';
        const reason = `${type}: ${detail}${info?.msg ? ` (${info.msg})` : ''}${status}`;
        // Sound mpegts.js refuses that the loader did not drop: the pictures play on without it.
        if (/unsupported audio codec/i.test(info?.msg ?? '')) {
          this.audioKnown.set(streamKey(source), false);
          const codec = /audio codec(?: idx)?: (\S+)/i.exec(info?.msg ?? '')?.[1] ?? 'unknown';
          const named = /^\d+$/.test(codec) ? soundInfoOfCodecId(Number(codec))?.codec : codec;
          const s = { codec: named ?? codec, playable: false };
          return this.events.emit('error', { fatal: true, again: true, reason, sound: s });
        }
        const refused = refusedVideoCodec(info?.msg ?? '');
        const unsupported =
          detail === mpegts.ErrorDetails.MEDIA_CODEC_UNSUPPORTED
            ? this.codec || 'unknown'
            : refused && !codecSupported(refused)
              ? refused
              : undefined;
        this.events.emit('error', { fatal: true, reason, ...(unsupported ? { unsupportedCodec: unsupported } : {}) });
      },
    );
    engine.on(mpegts.Events.METADATA_ARRIVED, (meta: Record<string, unknown>) => {
      const audio = metadataHasAudio(meta);
      if (!audio) sound({ codec: null });
      this.audioKnown.set(streamKey(source), audio);
      // The header promised audio the metadata does not have, and the loader could not correct
      // the header (the metadata did not come first): start again knowing better.
      if (!audio && hasAudio === undefined && !loaderAnswered && this.engine === engine)
        queueMicrotask(() => this.engine === engine && this.startAgain());
    });
    engine.on(mpegts.Events.MEDIA_INFO, (info: mpegts.MSEPlayerMediaInfo) => {
      const codec = info.videoCodec ?? '';
      if (codec && !codecSupported(codec))
        this.events.emit('error', {
          fatal: true,
          reason: `codec ${codec} cannot be decoded here`,
          unsupportedCodec: codec,
        });
    });
    engine.on(mpegts.Events.STATISTICS_INFO, (s: mpegts.MSEPlayerStatisticsInfo) => {
      const now = performance.now();
      this.bytes += ((s.speed ?? 0) * 1024 * (now - this.lastSpeedAt)) / 1000;
      this.lastSpeedAt = now;
      if (hasAudio === undefined && !loaderAnswered && this.bytes > 0 && !this.audioProbe) {
        // Some servers relay RTMP's "@setDataFrame" script tag, which mpegts.js does not read as
        // onMetaData: if data flows but no frame shows, the audio the header promised is missing.
        this.audioProbe = setTimeout(() => {
          if (this.engine !== engine || this.firstFrameSeen || (this.video?.buffered.length ?? 0) > 0) return;
          this.audioKnown.set(streamKey(source), false);
          this.startAgain();
        }, AUDIO_PROBE_MS);
      }
    });
    engine.on(mpegts.Events.LOADING_COMPLETE, () => {
      // For a live stream the server closing the connection is the end of this connection.
      if (source.live)
        this.events.emit('error', { fatal: true, reason: 'the stream ended (server closed the connection)' });
      else this.events.emit('ended', {});
    });
    this.video.addEventListener('timeupdate', this.onFrame);
    this.video.muted = true;
    engine.attachMediaElement(this.video);
    engine.load();
    const played = engine.play();
    if (played && typeof (played as Promise<void>).catch === 'function')
      (played as Promise<void>).catch(() => undefined);
  }

  /**
   * The stream has no audio although its header said so: mpegts.js must be created again with
   * `hasAudio: false`. The owner opens a fresh URL (a cloud play URL may be single-use, Huawei
   * IVM §9.1 `use_times` 0); the stream key remembers the answer. Playback sources say
   * `hasAudio` themselves, so only live streams get here.
   */
  private startAgain(): void {
    this.events.emit('error', {
      fatal: true,
      again: true,
      reason: 'the stream has no audio track: opening it again without waiting for audio',
    });
  }

  private checkFirstFrame(): void {
    if (this.firstFrameSeen || !this.video) return;
    const q = this.video.getVideoPlaybackQuality?.();
    if (this.video.currentTime > 0 || (q && q.totalVideoFrames > 0)) {
      this.firstFrameSeen = true;
      this.events.emit('first-frame', { ttffMs: performance.now() - this.startedAt });
    }
  }

  private teardown(): void {
    this.endCatchUp?.();
    if (this.audioProbe) clearTimeout(this.audioProbe);
    this.audioProbe = null;
    this.video?.removeEventListener('timeupdate', this.onFrame);
    this.filter = null;
    this.decoders?.close(this.video, this.keyDecoder);
    this.keyDecoder = null;
    if (!this.engine) return;
    const engine = this.engine;
    this.engine = null;
    try {
      engine.pause();
      engine.unload();
      engine.detachMediaElement();
    } catch {
      /* already torn down */
    }
    engine.destroy();
  }

  destroy(): void {
    this.teardown();
    if (this.video) {
      this.video.removeAttribute('src');
      this.video.load();
    }
    this.events.clear();
  }
}
