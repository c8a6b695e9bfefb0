import type { DecodeRate } from '../../../preload/contract';
import type { SessionComponent } from './components';
import type { Engine } from './pane-session';
import type { PlaySource, RelayRate } from './types';

/** What one connection's rate is applied to: its engine, and main's relay carrying its source. */
interface RateConnection {
  engine: Engine;
  url: string;
  /** The rate main's relay was told for this source (a new relay ticket starts at full). */
  toldRelay: DecodeRate;
  /** The connection plays the stream's sound (opened without: the relay drops its audio too). */
  sound: boolean;
  /** Its first picture showed: the rate asked applies from now on. */
  playing: boolean;
}

/**
 * The pane's decode rate as the window's budget gives it (full, key frames, none), applied to the
 * engine of the connection it is loaded on and told to main's relay, which cuts an FLV source
 * before the page. The budget asks whether connected or not and the camera's GOP outlives a
 * reconnect, so the session keeps one for its life and loads it on each connection; unloaded, it
 * holds no engine.
 */
export class PaneRate implements SessionComponent {
  readonly name = 'rate';
  private asked: DecodeRate = 'full';
  /** See gopMs. */
  private timedGopMs: number | null = null;
  private held = false;
  private conn: RateConnection | null = null;

  constructor(
    private readonly o: {
      /** The rate frames reach the decoder at changed (or the pane went idle: full). */
      onRate?(rate: DecodeRate): void;
      relayRate?: RelayRate;
    } = {},
  ) {}

  /** Serves a connection now (between load and unload). */
  get loaded(): boolean {
    return this.conn !== null;
  }

  /**
   * A connection loaded `source` into `engine` (attached to its video): every frame until its first
   * picture — the <video> starts playing on a few frames, not one a second — and its relay at full.
   */
  load(engine: Engine, source: PlaySource): void {
    this.conn = { engine, url: source.url, toldRelay: 'full', playing: false, sound: source.hasAudio !== false };
    this.held = false;
    if (engine.can.fullUntilFirstFrame) engine.setRate('full');
    this.o.onRate?.('full');
  }

  /** The connection's first picture showed: from now on it decodes at the rate asked. */
  firstFrame(): void {
    if (!this.conn) return;
    this.conn.playing = true;
    this.apply();
  }

  /** The budget's word; kept across reconnects. */
  set(rate: DecodeRate): void {
    this.asked = rate;
    if (this.conn?.playing) this.apply();
  }

  /** Held unseen (nothing decoded, the connection kept), or seen again (the rate asked). */
  hold(held: boolean): void {
    this.held = held;
    if (this.conn?.playing) this.apply();
  }

  /** The engine says the rate frames reach its decoder at changed. */
  reached(rate: DecodeRate): void {
    this.o.onRate?.(rate);
  }

  /** The pane closed its stream and waits: it says full, as a pane that decodes nothing yet. */
  idle(): void {
    this.o.onRate?.('full');
  }

  /**
   * The FLV camera's key-frame interval (ms; null for HLS or until known): how old a key-frame
   * pane's picture gets — as its stream last timed it. A reconnect keeps it — the same camera — until
   * the new connection has timed its own (three GOPs: half a minute for a 10-s camera, which would
   * otherwise rank as short-GOP that long after every reconnect).
   */
  get gopMs(): number | null {
    const timed = this.conn?.engine.measures().keyFrameIntervalMs ?? null;
    if (timed !== null) this.timedGopMs = timed;
    return this.timedGopMs;
  }

  /** The engine decodes at the rate asked for (none while held); main's relay carrying an FLV source cuts it the same way. */
  private apply(): void {
    const conn = this.conn!;
    const rate = this.held ? 'none' : this.asked;
    conn.engine.setRate(rate);
    if (!conn.engine.can.relayCut || conn.toldRelay === rate) return;
    conn.toldRelay = rate;
    this.o.relayRate?.(conn.url, rate, conn.sound);
  }

  /** The connection went: its engine is no longer driven (the rate asked and the GOP stay). */
  unload(): void {
    this.conn = null;
    this.held = false;
  }

  destroy(): void {
    this.unload();
  }
}
