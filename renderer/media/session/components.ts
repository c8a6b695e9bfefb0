import type { DecodeRate } from '../../../preload/contract';
import { bufferLatency, rate, type Sample } from './stats';
import type { Engine } from './pane-session';
import type { PlayerStats } from './types';

/**
 * The small objects a PaneSession is made of. Each is created when the session loads a connection
 * (or enters the state it serves) and destroyed when it unloads it: nothing outlives its
 * connection, and a destroyed one leaves no timer or listener behind.
 */
export interface SessionComponent {
  readonly name: string;
  destroy(): void;
}

/**
 * A held stream comes back at its camera's next key frame, up to a GOP away — and "smart codec"
 * cameras stretch GOPs to 10 s. The watch gives a resumed pane this much on top of its usual limit
 * before it opens the stream afresh.
 */
const RESUME_GOP_MS = 5000;

/**
 * One connection's watchdog: no first picture within the connect limit, or no progress (the play
 * head moving, or a key picture shown) within the stall limit, and the connection has failed.
 */
export class ConnectionWatch implements SessionComponent {
  readonly name = 'watch';
  private readonly connectedAt = performance.now();
  private progress: { at: number; time: number; shown: number };

  constructor(
    private readonly video: HTMLVideoElement,
    shown: number,
  ) {
    this.progress = { at: performance.now(), time: -1, shown };
  }

  /** Seen again after a hold: judged from a GOP's grace on. */
  resumed(shown: number): void {
    this.progress = { at: performance.now() + RESUME_GOP_MS, time: this.video.currentTime, shown };
  }

  /**
   * Why the connection failed, or null. `stepped`: its video is paused and stepped by the key
   * pictures (progress comes once a GOP: a "smart codec" camera's may be 10 s apart).
   */
  check(o: {
    firstFrame: boolean;
    shown: number;
    stepped: boolean;
    gopMs: number | null;
    stallLimitMs: number;
    connectLimitMs: number;
  }): string | null {
    const now = performance.now();
    const video = this.video;
    // (Progress never shortens a resumed pane's grace: a picture made before the hold may show after it.)
    if (video.currentTime !== this.progress.time || o.shown !== this.progress.shown)
      this.progress = { at: Math.max(now, this.progress.at), time: video.currentTime, shown: o.shown };
    // Reasons name the limits as set, to 0.1 s; failureWhy reads "within N s" as a timeout, "stalled" as the network.
    const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
    if (!o.firstFrame && now - this.connectedAt > o.connectLimitMs) return `no picture within ${s(o.connectLimitMs)}`;
    const limit = o.stepped ? Math.max(o.stallLimitMs, 1.5 * (o.gopMs ?? 0) + 1000) : o.stallLimitMs;
    if (o.firstFrame && now - this.progress.at > limit && (!video.paused || o.stepped))
      return `stalled for ${s(limit)}`;
    return null;
  }

  destroy(): void {}
}

/**
 * One connection's stats, once a tick: rates from the last sample, and the frames decoded and
 * dropped in the seconds it was at full rate throughout (the frames Vigil meant to show).
 */
export class StatsMeter implements SessionComponent {
  readonly name = 'stats';
  private last: Sample | null = null;
  private effective: DecodeRate = 'full';
  private changed = true;
  private readonly fullRate = { decoded: 0, dropped: 0 };

  /** The rate frames reach the decoder at changed: the second it changed in does not count. */
  rate(rate: DecodeRate): void {
    this.effective = rate;
    this.changed = true;
  }

  sample(engine: Engine, video: HTMLVideoElement, o: { gopMs: number | null; ttffMs: number | null }): PlayerStats {
    const q = video.getVideoPlaybackQuality?.();
    const sample: Sample = {
      at: performance.now(),
      decodedFrames: q?.totalVideoFrames ?? 0,
      droppedFrames: q?.droppedVideoFrames ?? 0,
      bytes: engine.receivedBytes,
    };
    const r = rate(this.last, sample);
    if (this.last && !this.changed && this.effective === 'full') {
      this.fullRate.decoded += Math.max(0, sample.decodedFrames - this.last.decodedFrames);
      this.fullRate.dropped += Math.max(0, sample.droppedFrames - this.last.droppedFrames);
    }
    this.changed = false;
    this.last = sample;
    return {
      fps: r.fps,
      bitrateKbps: r.bitrateKbps,
      width: video.videoWidth,
      height: video.videoHeight,
      codec: engine.codec,
      bufferLatencyS: bufferLatency(video.buffered, video.currentTime),
      droppedFrames: sample.droppedFrames,
      decodedFrames: sample.decodedFrames,
      fullRate: { ...this.fullRate },
      cutInPage: engine.measures().framesCutInPage,
      gopMs: o.gopMs,
      ttffMs: o.ttffMs,
      engine: engine.protocol,
    };
  }

  destroy(): void {}
}

/**
 * A live stream held unseen: its connection kept, nothing decoded, until it is seen again or
 * `lapseMs` passes (then `onLapse` closes it).
 */
export class UnseenHold implements SessionComponent {
  readonly name = 'hold';
  private lapse: ReturnType<typeof setTimeout> | null;

  constructor(lapseMs: number, onLapse: () => void) {
    this.lapse = setTimeout(() => {
      this.lapse = null;
      onLapse();
    }, lapseMs);
  }

  destroy(): void {
    if (this.lapse) clearTimeout(this.lapse);
    this.lapse = null;
  }
}

/** The listeners a session put on its engine: removed together when the connection goes. */
export class EngineListeners implements SessionComponent {
  readonly name = 'listeners';
  private readonly offs: Array<() => void> = [];

  add(off: () => void): void {
    this.offs.push(off);
  }

  get count(): number {
    return this.offs.length;
  }

  destroy(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
