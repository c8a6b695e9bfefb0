import type { DatedFragment } from './dated';
import type { DecodeRate } from '../../../preload/contract';
import type { TranscodeRefusal } from './transcode';

/**
 * The media layer's vocabulary. A `PlaySource` is what to open; a `SourceProvider` produces a
 * fresh one on every (re)connect, because cloud play URLs expire (in 30 s, some after one use).
 */
export type Protocol = 'flv' | 'hls';

export interface PlaySource {
  protocol: Protocol;
  /** http(s):// or ws(s):// for FLV; http(s):// for HLS */
  url: string;
  live: boolean;
  /** Known up front (e.g. from the platform); otherwise detected from the stream. */
  hasAudio?: boolean;
  /** Identity of the stream across URLs (relay tickets and play tokens change); defaults to the URL. */
  streamKey?: string;
  /** Main already relays it (it adds a header the renderer never sees): no budget, no second relay. */
  relayed?: boolean;
  /**
   * The URL answers one connection and no byte range (main's transcode): a recording from it is
   * paced by holding its connection, not by closing it and asking again.
   */
  oneUse?: boolean;
  /** The video codec as the platform documents it (issue 24): H.265 goes to the transcoder before it is tried. */
  codec?: 'h264' | 'h265';
}

export type SourceProvider = (attempt: number) => Promise<PlaySource>;

/**
 * Tells main's relay the rate a pane decodes an FLV source at (its `url`): at key frames only, or
 * none while the pane is held unseen, the relay cuts the stream too, so the frames the pane would
 * drop never reach the page (issue 26). `sound` false: the pane opened it without sound, so the
 * relay drops its audio too (a stream with sound is otherwise never cut).
 */
export type RelayRate = (url: string, rate: DecodeRate, sound?: boolean) => void;

export type PlayerState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'playing' }
  /** Unseen (window hidden, pane scrolled away): the connection is kept, nothing decoded, for HOLD_UNSEEN_MS. */
  | { kind: 'held' }
  | { kind: 'reconnecting'; attempt: number; inMs: number; reason: string }
  | { kind: 'unsupported-codec'; codec: string }
  /** H.265 this runtime cannot decode, and main's transcode budget is spent (issue 24). */
  | { kind: 'transcode-refused'; refusal: TranscodeRefusal }
  | { kind: 'offline'; reason: string }
  /** Given up: asking again cannot help, or (a recording) the tries ran out — `attempts` of them. */
  | { kind: 'error'; reason: string; attempts?: number };

export interface PlayerStats {
  fps: number;
  /** kbit/s received */
  bitrateKbps: number;
  width: number;
  height: number;
  codec: string;
  /** seconds between the newest buffered media and the play head */
  bufferLatencyS: number;
  droppedFrames: number;
  decodedFrames: number;
  /**
   * Frames this connection decoded and dropped in the seconds it was at full rate from start to
   * end: the frames Vigil meant to show. A key-frame pane's second frame of each GOP only pushes
   * its key frame out of the decoder and is dropped by design; it does not count here.
   */
  fullRate: { decoded: number; dropped: number };
  /**
   * Coded frames of this connection the page's own filter threw away (flv-rate.ts). A stream main's
   * relay cuts to key frames arrives with none to throw: only the few in flight when the rate changed.
   */
  cutInPage: number;
  /** the camera's key-frame interval (ms) as timed by the FLV filter; null until known, or not FLV */
  gopMs: number | null;
  /** ms from load() to the first decoded frame of this connection */
  ttffMs: number | null;
  /** The player: an HLS one steps a key-frame pane's video itself (a segment's first frame at a time). */
  engine: 'flv' | 'hls';
}

/**
 * What an engine learnt of its stream's sound: none, or a codec the pane can play or not (GB28181
 * cameras' G.711 plays, common/flv-sound.ts; Speex, ADPCM and the like do not, and are dropped so
 * the pictures still play).
 */
export type StreamSound = { codec: null } | { codec: string; playable: boolean };

export interface PlayerEvents {
  sound: StreamSound;
  'first-frame': { ttffMs: number };
  stats: PlayerStats;
  /** `again`: nothing is wrong with the stream, the engine must start afresh (with a fresh URL: play URLs may be single-use). */
  error: {
    fatal: boolean;
    reason: string;
    unsupportedCodec?: string;
    again?: boolean;
    /** With `again`: the stream's sound cannot be played here (the pictures play without it). */
    sound?: StreamSound;
  };
  stalled: { forMs: number };
  ended: Record<string, never>;
  /** The rate video frames reach the decoder at changed (FLV's key-frame-only decoding, flv-rate.ts). */
  rate: { rate: DecodeRate };
  /** A VOD playlist that dates its media (#EXT-X-PROGRAM-DATE-TIME): each fragment's wall clock. */
  dated: { fragments: DatedFragment[] };
}

/** What an engine measured of its stream; an engine that cannot tell says null or 0. */
export interface StreamMeasures {
  /** The camera's key-frame interval (ms) as timed from the stream. */
  keyFrameIntervalMs: number | null;
  /** Coded frames the page itself threw away on this connection (reduced-rate decoding). */
  framesCutInPage: number;
}

/** One engine (mpegts.js or hls.js) bound to one <video>. */
export interface Player {
  attach(video: HTMLVideoElement): void;
  load(source: PlaySource): void;
  destroy(): void;
  on<E extends keyof PlayerEvents>(event: E, listener: (payload: PlayerEvents[E]) => void): () => void;
}
