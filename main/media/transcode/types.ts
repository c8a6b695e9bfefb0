// What the renderer asks of the transcoder (through services/transcode.ts) and what it answers.

export interface TranscodeRequest {
  /** A ticket URL of main's relay (what live:source / playback:source answered). */
  url: string;
  protocol: 'flv' | 'hls';
  /** The pane's size in device pixels: the output is scaled down to fit, never up. */
  width: number;
  height: number;
  audio: boolean;
  /** The pane's channel name, shown to whoever is refused. */
  label: string;
  /** A transcode to stop first (this pane's previous one, or another pane's to take its place). */
  replace?: string;
  /** Seconds into a recording to start from (playback), where its playlist does not date it. */
  startAt?: number;
  /** A recording over HLS: the wall time (epoch ms) to start at, found by the playlist's dates. */
  atMs?: number;
  /**
   * A live stream (default) is kept near its live edge; a recording (false) is never thinned: a
   * paused or slow device recording resumes with its pictures late, and back-pressure paces it.
   */
  live?: boolean;
}

export interface TranscodeHolder {
  id: string;
  label: string;
  costCores: number;
  /** Measured CPU of its ffmpeg, % of one core (Linux; null where not measured yet). */
  cpuPct: number | null;
}

export type TranscodeAnswer =
  | {
      ok: true;
      id: string;
      url: string;
      costCores: number;
      budgetCores: number;
      usedCores: number;
      /** The wall time of the output's first picture, where the recording's playlist dates it. */
      startsAtMs?: number;
    }
  | { ok: false; needCores: number; budgetCores: number; usedCores: number; holders: TranscodeHolder[] };
