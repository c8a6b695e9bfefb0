/** Behind live by more than this (the source's pictures, or ffmpeg's wait): skip to a later key frame. */
export const LIVE_EDGE_MS = 1000;
/** A source behind live this long without catching up is given up (the pane reconnects: a fresh upstream). */
export const STALE_SOURCE_MS = 10_000;
/** The stream's best lag may rise this much a second: a camera clock 0.2 % slower than ours is not "falling behind". */
const CLOCK_DRIFT = 0.002;
/** Memory bound on what waits for ffmpeg, whatever the times say. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * Keeps a live transcode near the live edge (pure: the caller says when each picture came, its
 * timestamp, and which picture ffmpeg's output has reached). Two ways to fall behind:
 * - ffmpeg slower than the camera (a starved CPU). Main counts the pictures ffmpeg holds and the
 *   time it takes per picture: a picture that would come out more than LIVE_EDGE_MS after it was
 *   fed is dropped, and so is the rest of its GOP (a P-frame after a gap would not decode); the
 *   next key frame goes in once ffmpeg has drained. A starved transcode so shows a key frame now
 *   and then instead of every picture late. (A bound in bytes was not enough: a starved ffmpeg
 *   drains a few kilobytes a second, and 40 s of video waited in front of it at load 8–15.)
 * - The source behind: pictures arriving later than the stream's best (arrival − timestamp) by
 *   more than LIVE_EDGE_MS are an upstream backlog (a stall's burst, a buffer upstream): dropped
 *   up to a key frame near live again; a source that stays behind STALE_SOURCE_MS is `stale`:
 *   nothing fresher will come on this connection.
 */
export class LiveEdge {
  private best: { at: number; lag: number } | null = null;
  private needKey = false;
  private passNext = false;
  /** Pictures written to ffmpeg and not out yet: their timestamps and when they were written. */
  private inFlight: Array<{ mediaMs: number; at: number }> = [];
  private lastOutAt: number | null = null;
  /** ffmpeg's time per picture (ms, smoothed), once measured. */
  private serviceMs = 0;
  private behindSince: number | null = null;
  dropped = 0;

  /** ffmpeg put out the picture stamped `mediaMs` (the camera's clock) at `now`. */
  output(mediaMs: number, now: number): void {
    let done: { mediaMs: number; at: number } | undefined;
    while (this.inFlight.length && this.inFlight[0]!.mediaMs <= mediaMs + 1) done = this.inFlight.shift();
    if (!done) return;
    // Its service time, from the moment ffmpeg could work on it: written, the previous picture out,
    // and the next one written (ffmpeg hands a picture on only once the next has come).
    const from = Math.max(done.at, this.lastOutAt ?? done.at, this.inFlight[0]?.at ?? done.at);
    const sample = Math.max(0, now - from);
    this.serviceMs = this.serviceMs ? this.serviceMs * 0.7 + sample * 0.3 : sample;
    this.lastOutAt = now;
  }

  /** How far a picture stamped `mediaMs` arriving at `now` is behind the stream's best so far. */
  behindSource(mediaMs: number, now: number): number {
    const lag = now - mediaMs;
    const best = this.best ? Math.min(this.best.lag + (now - this.best.at) * CLOCK_DRIFT, lag) : lag;
    this.best = { at: now, lag: best };
    return lag - best;
  }

  /** Pictures ffmpeg holds now. */
  get holding(): number {
    return this.inFlight.length;
  }

  /**
   * `mediaMs` is the time the picture is sent on with (ffmpeg's progress is counted on it);
   * `sourceMs` the source's own, when it differs (Dejitter): the source's lateness is judged on
   * that — a burst spread ahead of its arrival would otherwise make later pictures look behind.
   */
  accept(
    frame: { mediaMs: number; sourceMs?: number; keyframe: boolean },
    queuedBytes: number,
    now: number,
  ): 'write' | 'drop' | 'stale' {
    const source = this.behindSource(frame.sourceMs ?? frame.mediaMs, now);
    if (source > LIVE_EDGE_MS) {
      this.behindSince ??= now;
      if (now - this.behindSince > STALE_SOURCE_MS) return 'stale';
    } else this.behindSince = null;
    // Before ffmpeg's first picture nothing is known of its pace (and it may need pictures to start).
    const started = this.lastOutAt !== null;
    const waiting = started && this.inFlight.length ? now - this.inFlight[0]!.at : 0;
    const late = started && (waiting > LIVE_EDGE_MS || (this.inFlight.length + 1) * this.serviceMs > LIVE_EDGE_MS);
    if (source > LIVE_EDGE_MS || queuedBytes > MAX_QUEUED_BYTES) {
      this.needKey = true;
      this.passNext = false;
    } else if (this.needKey) {
      // A key frame goes in once ffmpeg has drained (it keeps one picture until the next comes),
      // with the picture after it, which lets ffmpeg hand the key frame on at once.
      if (frame.keyframe && this.inFlight.length <= 2) {
        this.needKey = false;
        this.passNext = true;
      }
    } else if (late) {
      if (this.passNext) this.passNext = false;
      else this.needKey = true;
    } else this.passNext = false;
    if (this.needKey) {
      this.dropped++;
      return 'drop';
    }
    this.inFlight.push({ mediaMs: frame.mediaMs, at: now });
    return 'write';
  }
}
