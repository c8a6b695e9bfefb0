/**
 * Per-pane statistics from cheap counters sampled about once a second: frame counts from
 * getVideoPlaybackQuality, bytes from the engine, buffer ends from the <video>. Pure.
 */
export interface Sample {
  at: number;
  decodedFrames: number;
  droppedFrames: number;
  bytes: number;
}

export function rate(prev: Sample | null, next: Sample): { fps: number; bitrateKbps: number } {
  if (!prev || next.at <= prev.at) return { fps: 0, bitrateKbps: 0 };
  const seconds = (next.at - prev.at) / 1000;
  return {
    fps: Math.max(0, (next.decodedFrames - prev.decodedFrames) / seconds),
    bitrateKbps: Math.max(0, ((next.bytes - prev.bytes) * 8) / 1000 / seconds),
  };
}

/** Seconds of media buffered ahead of the play head (0 if nothing is buffered there). */
export function bufferLatency(buffered: { length: number; end(i: number): number }, currentTime: number): number {
  if (buffered.length === 0) return 0;
  return Math.max(0, buffered.end(buffered.length - 1) - currentTime);
}

/** Percentile of a list (nearest rank); null for an empty list. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function droppedPercent(decoded: number, dropped: number): number {
  const total = decoded + dropped;
  return total === 0 ? 0 : (100 * dropped) / total;
}
