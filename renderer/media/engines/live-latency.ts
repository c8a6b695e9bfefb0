/**
 * How far behind the live edge a live HLS pane plays (hls.js's target latency), in seconds.
 *
 * A pane cannot play closer than one segment plus the time a new segment takes to arrive and be
 * buffered: the playhead would reach the buffer's end before the next segment does and stall. That
 * delivery time depends on the origin, the network and how busy the machine is, so the target
 * starts one segment plus a small margin ahead and learns: each stall raises it by STEP_S (up to
 * one more segment), and it comes back down STEP_S at a time after QUIET_S without a stall — but
 * not below the level that last stalled, for FLOOR_HOLD_S (probing down every half minute would
 * trade a freeze a minute for a tenth of a second). hls.js's own rule adds a whole target
 * duration at the first stall, for good: that held every 1-s-segment pane a second later than it
 * needed to be (measured: 2.2 s target, 2.3 s glass-to-glass, for one stall in its first minute).
 */
export interface LatencyTarget {
  /** hls.js's target latency now (seconds behind its estimate of the live edge) */
  targetS: number;
  /** the lowest target this pane may go to now: one segment plus the margin, or the last stall's level */
  floorS: number;
  /** seconds since the last stall (or since the start) */
  quietS: number;
  /** seconds the last stall's floor still holds */
  floorHoldS: number;
}

/** Over one segment: about what this machine needs to fetch and buffer a 1-s segment (measured at load 5–7). */
export const MARGIN_S = 0.25;
export const STEP_S = 0.2;
export const QUIET_S = 30;
export const FLOOR_HOLD_S = 600;

/** The starting target for a live playlist of `segmentS`-second segments (its target duration). */
export function startTarget(segmentS: number): LatencyTarget {
  const base = baseOf(segmentS);
  return { targetS: base, floorS: base, quietS: 0, floorHoldS: 0 };
}

function baseOf(segmentS: number): number {
  return round(Math.min(Math.max(segmentS, 0.5), 10) + MARGIN_S);
}

/** A stall while playing: the target was too close for this pane's segments; one step further back, remembered. */
export function onStall(s: LatencyTarget, segmentS: number): LatencyTarget {
  const max = baseOf(segmentS) + Math.min(Math.max(segmentS, 0.5), 10);
  const targetS = round(Math.min(max, s.targetS + STEP_S));
  return { targetS, floorS: targetS, quietS: 0, floorHoldS: FLOOR_HOLD_S };
}

/** `dtS` seconds of playback without a stall: after QUIET_S, one step closer, not below the floor. */
export function onQuiet(s: LatencyTarget, segmentS: number, dtS: number): LatencyTarget {
  const floorHoldS = Math.max(0, s.floorHoldS - dtS);
  const floorS = floorHoldS > 0 ? s.floorS : baseOf(segmentS);
  const quietS = s.quietS + dtS;
  if (quietS < QUIET_S || s.targetS <= floorS) return { ...s, floorS, floorHoldS, quietS };
  return { targetS: round(Math.max(floorS, s.targetS - STEP_S)), floorS, floorHoldS, quietS: 0 };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/**
 * Where a live HLS pane coming back to full rate from the key-frame refresh (hls-key-refresh.ts)
 * plays from: its target latency behind the live edge, estimated from when its newest segment
 * (opening at media time `startS`, `durationS` long) was listed — not from that segment's first
 * frame, the picture it shows, which is most of a segment further back: from there hls.js caught
 * up at 1.1× for 5–10 s (measured: the panes the budget had just given full rate back read
 * 1.5–1.9 s glass-to-glass against 1.35–1.4 s). Never before the picture; a listing older than two
 * segments (the refresh stalled) counts as two — unless `stoppedOnPurpose`: a pane held unseen
 * stopped loading while its camera went on, so the edge moved on by all the time since.
 */
export function resumePosition(o: {
  startS: number;
  durationS: number;
  listedAtMs: number;
  nowMs: number;
  targetS: number;
  stoppedOnPurpose?: boolean;
}): number {
  const elapsedS = Math.max(0, (o.nowMs - o.listedAtMs) / 1000);
  const sinceS = o.stoppedOnPurpose ? elapsedS : Math.min(elapsedS, 2 * o.durationS);
  return round(Math.max(o.startS, o.startS + o.durationS + sinceS - o.targetS));
}
