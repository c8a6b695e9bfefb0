/**
 * Even picture times for a live transcode (review R10). Cameras stamp capture times, but a platform
 * or gateway that stamps FLV on arrival hands out pictures whose times bunch and spread by tens of
 * ms. The transcode keeps the source's times (-copyts) and ffmpeg puts its output on the frame
 * rate's grid, so two pictures bunched into one slot lost one and left the next slot empty: at
 * 0–30 ms of jitter a fifth of the pictures were lost and the rest came 40 or 80 ms apart.
 *
 * So each picture is stamped one interval after the previous one, nudged by at most 5 % of an
 * interval towards where the source's times are on average (the grid never drifts away from
 * them), while its own time is no more than half an interval later than that slot. A later one is
 * a real gap (a stall, pictures the live edge dropped): it keeps its time and the grid restarts
 * there. An earlier one (bunched) is put on the grid, unless the grid ran more than MAX_LEAD_MS
 * ahead of the source (a burst after a stall): then pictures come half an interval apart until it
 * is back. The interval is the mean gap of the last pictures, stalls and bursts left out. A source stamped
 * evenly passes unchanged. Pure: the caller feeds decode times in order.
 */
const WINDOW = 100;
/** Pictures measured before any time is changed. */
const MIN_SAMPLES = 8;
export const MAX_LEAD_MS = 1000;
/** How much of an interval one picture's time may be nudged towards the source's average. */
const NUDGE = 0.05;

export class Dejitter {
  private lastIn: number | null = null;
  /** The last gaps between source times. */
  private readonly gaps: number[] = [];
  private lastOut: number | null = null;
  private interval: number | null = null;
  /** Smoothed (source time − grid slot), ms. */
  private offset = 0;

  /** The frame interval measured so far (ms), or null while too few pictures came. */
  get intervalMs(): number | null {
    return this.interval;
  }

  /** A picture's decode time (ms) → the time it is sent on with. */
  push(ms: number): number {
    if (this.lastIn !== null && ms >= this.lastIn) {
      this.gaps.push(ms - this.lastIn);
      if (this.gaps.length > WINDOW) this.gaps.shift();
      // The mean of the gaps within a third and three times the median: stalls and the bursts that
      // follow hold-ups left out, the rest (jitter) averages out.
      const median = [...this.gaps].sort((x, y) => x - y)[this.gaps.length >> 1]!;
      const steady = this.gaps.filter((g) => g >= median / 3 && g <= 3 * median);
      if (steady.length >= MIN_SAMPLES && median > 0) this.interval = steady.reduce((x, y) => x + y, 0) / steady.length;
    }
    this.lastIn = ms;
    const interval = this.interval;
    let out = ms;
    if (this.lastOut !== null && interval !== null && interval > 0) {
      const slot = this.lastOut + interval;
      const err = ms - slot;
      if (err > interval / 2) this.offset = 0;
      else if (err < -MAX_LEAD_MS) out = Math.max(ms, this.lastOut + interval / 2);
      else {
        this.offset = this.offset * 0.9 + err * 0.1;
        const nudge = NUDGE * interval;
        out = slot + Math.max(-nudge, Math.min(nudge, this.offset * 0.1));
      }
    }
    // Never back in time, whatever the source did.
    if (this.lastOut !== null && out <= this.lastOut) out = this.lastOut + 1;
    this.lastOut = out;
    return out;
  }
}
