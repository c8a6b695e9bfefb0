import type { KeyFrameDecoders } from '../key-frames/key-frame-decoder';
import type { KeyPictures } from '../key-frames/key-picture';
import type { DecodeRate } from '../../../preload/contract';
import type { Comebacks } from './comebacks';
import { Backoff, defaultBackoff, playbackRetry, type BackoffPolicy } from './reconnect';
import type { DatedFragment } from './dated';
import { PaneTranscode, type TranscodeLink, type TranscodeStatus } from './transcode';
import { ConnectionWatch, EngineListeners, StatsMeter, UnseenHold } from './components';
import { PaneRate } from './rate';
import { PaneSound, UNKNOWN_SOUND, soundState, type SoundState } from './sound';
import type {
  Player,
  PlaySource,
  PlayerState,
  PlayerStats,
  Protocol,
  RelayRate,
  SourceProvider,
  StreamMeasures,
} from './types';

/**
 * One pane's playback for its whole life: asks the provider for a fresh source on every
 * (re)connect (main has relayed it: the page fetches loopback only), picks the engine, detects stalls, reconnects with backoff, reports state in words and stats once a
 * second. An unsupported codec is a final state, never a reconnect loop.
 */
export interface PaneSessionOptions {
  /**
   * 'live' (default): reconnects for ever, watches for stalls, decodes at the rate it is given.
   * 'playback': a recording — tried again as `playbackRetry` says, then given up ('error'); its
   * video is paused and sought by its owner, so no stall watch; always every frame.
   */
  mode?: 'live' | 'playback';
  /** The engine was given `source` (the video has it as its source now: a recording may be sought). */
  onLoad?(source: PlaySource): void;
  /** A VOD playlist dates its media: each fragment's wall clock (recordings). */
  onDated?(fragments: DatedFragment[]): void;
  video: HTMLVideoElement;
  provider: SourceProvider;
  onState(state: PlayerState): void;
  onStats?(stats: PlayerStats): void;
  /** main's H.265 → H.264 transcoder, for H.265 this runtime cannot decode (issue 24). */
  transcode?: TranscodeLink;
  onTranscode?(status: TranscodeStatus | null): void;
  backoff?: BackoffPolicy;
  /** No progress for this long → reconnect. */
  stallTimeoutMs?: number;
  /** No first frame for this long → reconnect. */
  connectTimeoutMs?: number;
  /** A live source not named by the provider within this → asked again, the earlier asks kept (default SOURCE_LIMIT_MS). */
  sourceTimeoutMs?: number;
  /** Called just before a failed engine is torn down while its last frame is still on the video (to keep it on screen). */
  onLastFrame?(video: HTMLVideoElement): void;
  /** The rate frames reach the decoder at changed (key frames only, or full). */
  onRate?(rate: DecodeRate): void;
  /** Main's relay, told the rate an FLV source is decoded at: it cuts the stream before the page. */
  relayRate?: RelayRate;
  /**
   * The operator's sound choice for this pane, read at each connection's first frame: every player
   * starts muted (autoplay), and the session unmutes it then — not left to a re-render noticing the
   * new connection, which a reconnect can slip past.
   */
  sound?(): boolean;
  /** What the pane can say of its sound (none, a codec it plays, one it cannot: the view's muted speaker). */
  onSound?(state: SoundState): void;
  /** Builds the player for a source's protocol (default: FlvPlayer or HlsPlayer; unit tests give fakes). */
  createEngine?(protocol: Protocol): Engine;
  /**
   * The window's shared media work (MediaWindow): its key-frame decoders go to the engines, its key
   * pictures count as the pane's progress. Without it (tests), no key pictures.
   */
  media?: {
    decoders: KeyFrameDecoders;
    pictures: KeyPictures;
    audioKnown: Map<string, boolean>;
    comebacks?: Comebacks;
    /** The window's hold for unseen panes (the operator's setting), read when a hold starts. */
    holdUnseenMs?: number;
  };
  /**
   * Where the stream comes from (a platform account): a pane waiting to reconnect is woken when
   * another pane of the window from there plays again (the window's Comebacks).
   */
  from?: string;
  /** How long an unseen pane holds its connection (default: the window's, else HOLD_UNSEEN_MS). */
  holdUnseenMs?: number;
  /** How often stats are reported and stalls looked for (default 1 s; unit tests run faster). */
  statsIntervalMs?: number;
}

/**
 * What a session drives: FlvPlayer or HlsPlayer, alike to it. The session's policies go by what an
 * engine can do (`can`), never by its codec or protocol.
 */
export interface Engine extends Player {
  readonly protocol: Protocol;
  setRate(rate: DecodeRate): void;
  /** Whether its decoding can be reduced (not with sound someone may hear, not recordings). */
  readonly reducible: boolean;
  readonly receivedBytes: number;
  readonly codec: string;
  readonly can: {
    /** Kept open decoding nothing while unseen, it comes back at live (FLV at the next key frame, HLS at the live position). */
    hold: boolean;
    /** Main's relay can cut its source to the pane's rate before it reaches the page. */
    relayCut: boolean;
    /** Decodes every frame until its first picture whatever the rate (the video starts on a few frames). */
    fullUntilFirstFrame: boolean;
  };
  measures(): StreamMeasures;
}

/**
 * The players come with their libraries (mpegts.js, hls.js: most of the wall's script) in chunks
 * of their own, so the window's first render does not wait for them; `preloadEngines` fetches
 * them beside that render, and a pane's first source usually finds them loaded.
 */
const loadFlv = () => import('../engines/flv-player');
const loadHls = () => import('../engines/hls-player');

export function preloadEngines(): void {
  // A chunk that fails here is asked for again by the pane that needs it, and reported there.
  void loadFlv().catch(() => undefined);
  void loadHls().catch(() => undefined);
}

const defaultEngine = async (protocol: Protocol, media: PaneSessionOptions['media']): Promise<Engine> =>
  protocol === 'hls'
    ? new (await loadHls()).HlsPlayer(media?.decoders)
    : new (await loadFlv()).FlvPlayer(media?.decoders, media?.audioKnown);

/** Thrown by a source provider when asking again cannot help (e.g. main refuses to relay a typed address). */
export class FinalSourceError extends Error {}
/** A pane refused a transcode looks for room in the budget this often. */
const REFUSED_RETRY_MS = 3000;
/**
 * How long an unseen pane (window hidden, covered or minimized; pane scrolled away) keeps its
 * connection, decoding nothing: an operator who spends a minute or two in another application
 * gets the picture back within a GOP or a segment, without asking the platform for new play
 * addresses — which it may not give just then (a failing platform), and which a 64-pane wall would
 * ask for all at once. An FLV hold costs the uplink the visible wall used (an HLS hold loads
 * nothing). Unseen for longer, the connection is closed and opened afresh, at live, when seen
 * again. The operator may set another (Settings: MediaWindow.setHoldUnseen).
 */
export const HOLD_UNSEEN_MS = 120_000;
/**
 * A held stream that fails this soon after it is seen again lapsed while held (an HLS ticket the
 * relay let go after a minute unasked, a play address the platform let expire): it is opened afresh
 * at once, its picture kept, not counted as a failure with a backoff and a reconnecting badge.
 */
const RESUME_LAPSE_MS = 5000;
/** A live pane's address not named within this is asked for again, the earlier asks kept (askSource). */
export const SOURCE_LIMIT_MS = 5000;
/** Woken panes of one source try within this spread, not in the same instant. */
const WAKE_SPREAD_MS = 300;

export class PaneSession {
  private engine: Engine | null = null;
  private readonly backoff: Backoff;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private generation = 0;
  /** The connection's components (created at connect, destroyed at teardown). */
  private watch: ConnectionWatch | null = null;
  private meter: StatsMeter | null = null;
  private listeners: EngineListeners | null = null;
  private sound: PaneSound | null = null;
  private firstFrame = false;
  private ttffMs: number | null = null;
  private source: PlaySource | null = null;
  /**
   * The pane's decode rate and its way through main's transcoder: what they decide outlives a
   * connection (the budget's word, the camera's GOP, a decoder's refusal), so they live as long as
   * the session and are loaded on each connection and unloaded with it.
   */
  private readonly rate: PaneRate;
  private readonly transcode: PaneTranscode | null;
  /**
   * What the connections so far learnt of this channel's sound (none, or a codec it cannot play:
   * whatever a fresh URL's header says), handed to the next connection's PaneSound.
   */
  private soundKnown: SoundState = UNKNOWN_SOUND;
  /** The connection was opened without the stream's sound, the pane's sound being off (unheard). */
  private withoutSound = false;
  /** Someone can see the pane (its window shown, the pane in view). */
  private seen = true;
  /** Unseen, its connection kept and nothing decoded (see holdable); lapses after holdUnseenMs. */
  private hold: UnseenHold | null = null;
  /** Seen again after a hold: when (Date.now()) and on which connection; its error soon after is the hold's lapse (RESUME_LAPSE_MS). */
  private resumed = { at: -Infinity, generation: -1 };
  /** Waiting to reconnect, it also waits for its source to come back (Comebacks): the cancel. */
  private waitingBack: (() => void) | null = null;
  /** When the reconnect timer fires (a scout's turn only brings it nearer). */
  private retryAt = 0;

  constructor(private readonly o: PaneSessionOptions) {
    this.backoff = new Backoff(o.backoff ?? (o.mode === 'playback' ? playbackRetry : defaultBackoff));
    this.rate = new PaneRate({
      onRate: (rate) => o.onRate?.(rate),
      relayRate: (url, rate, sound) => o.relayRate?.(url, rate, sound),
    });
    this.transcode = o.transcode ? new PaneTranscode(o.transcode, (status) => o.onTranscode?.(status)) : null;
  }

  /** Connects at once, or (unseen) once seen. */
  start(seen = true): void {
    this.stopped = false;
    this.seen = seen;
    this.statsTimer = setInterval(() => this.tick(), this.o.statsIntervalMs ?? 1000);
    if (seen) void this.connect(0);
    else this.o.onState({ kind: 'idle' });
  }

  stop(): void {
    this.stopped = true;
    this.sleep();
    if (this.statsTimer) clearInterval(this.statsTimer);
  }

  /**
   * The pane went out of sight or came back. What nobody sees costs no decoding: a live pane that
   * plays keeps its connection for HOLD_UNSEEN_MS decoding nothing — FLV with every frame cut (by
   * main's relay and the page's filter), back at the next key frame; HLS with nothing loaded, back
   * at the live position — never played on from a stale buffer. Anything else (a transcode, whose
   * encoder in main would run on for nobody; a pane still connecting), and a pane unseen for
   * longer, is closed and opened afresh when seen.
   */
  setSeen(seen: boolean): void {
    if (this.stopped || seen === this.seen) return;
    this.seen = seen;
    if (!seen) {
      if (!this.holdable()) return this.close();
      const holdMs = this.o.holdUnseenMs ?? this.o.media?.holdUnseenMs ?? HOLD_UNSEEN_MS;
      this.hold = new UnseenHold(holdMs, () => this.close());
      this.rate.hold(true);
      this.o.onState({ kind: 'held' });
      return;
    }
    const engine = this.held ? this.engine : null;
    this.release();
    if (!engine) return void this.connect(0);
    this.resumed = { at: Date.now(), generation: this.generation };
    this.watch?.resumed(this.shown());
    this.rate.hold(false);
    this.o.onState({ kind: 'playing' });
  }

  /** Ends a hold (seen again, or the stream went: teardown). */
  private release(): void {
    this.hold?.destroy();
    this.hold = null;
  }

  private get held(): boolean {
    return this.hold !== null;
  }

  /**
   * The components serving a connection now, by name (the connection's own; the rate and a
   * transcode job while loaded on it; a hold's): for tests and diagnosis.
   */
  get components(): string[] {
    const loaded = [this.rate.loaded ? this.rate : null, this.transcode?.running ? this.transcode : null];
    return [this.watch, this.meter, this.listeners, this.sound, ...loaded, this.hold]
      .filter((c) => c !== null)
      .map((c) => c.name);
  }

  /** Only a playing live stream its engine can hold (see setSeen), not a transcode. */
  private holdable(): boolean {
    const e = this.engine;
    return !!e?.can.hold && this.firstFrame && e.reducible && !this.transcode?.running && !!this.source?.live;
  }

  /** Unseen: closes the stream, its last picture kept (dimmed) for the moment it is seen and reconnects. */
  private close(): void {
    if (this.engine && this.firstFrame) this.o.onLastFrame?.(this.o.video);
    this.sleep();
  }

  /** Closes the connection and waits (for `setSeen(true)`, or nothing once stopped). */
  private sleep(): void {
    this.stopWaiting();
    this.generation++;
    this.clearTimer();
    this.teardown();
    this.rate.idle();
    this.o.onState({ kind: 'idle' });
  }

  /** Key frames only (FLV) or the newest segment's first frame (live HLS), or every frame; kept across reconnects. */
  setRate(rate: DecodeRate): void {
    this.rate.set(rate);
  }

  /** Whether the stream's rate can be reduced: not with audio (unknown while connecting: yes), not HLS recordings. */
  get reducible(): boolean {
    return !this.engine || this.engine.reducible;
  }

  /** The FLV camera's key-frame interval (ms; null for HLS or until known), kept across reconnects (PaneRate.gopMs). */
  get gopMs(): number | null {
    return this.rate.gopMs;
  }

  /**
   * Plays live HLS (the budget is told, for diagnostics) — by its last source, so
   * a pane reconnecting still counts as what it plays (review-6 R4: a few panes reconnecting at
   * once flipped a 12-pane HLS wall to all full rate and back).
   */
  get liveHls(): boolean {
    return this.lastLiveHls;
  }
  private lastLiveHls = false;

  /** The source currently playing (after relay rewriting), for diagnostics. */
  get current(): PlaySource | null {
    return this.source;
  }

  private async connect(attempt: number): Promise<void> {
    this.stopWaiting();
    if (!this.seen) return this.sleep(); // a reconnect due while unseen waits to be seen
    const gen = ++this.generation;
    this.o.onState({ kind: 'connecting' });
    let source: PlaySource;
    try {
      const transcode = this.transcode;
      if (transcode?.wanted && transcode.waitsForRoom) {
        const fits = await transcode.fits();
        if (gen !== this.generation) return;
        if (!fits) return this.retryRefused();
      }
      transcode?.asking();
      source = await this.askSource(attempt, gen);
      if (gen !== this.generation) return;
      this.clearTimer();
      if (transcode?.choose(source.codec)) {
        const got = await transcode.start(source, () => gen === this.generation);
        if (!got) return;
        if ('refusal' in got) {
          this.o.onState({ kind: 'transcode-refused', refusal: got.refusal });
          return this.retryRefused();
        }
        source = got.source;
      }
      const silent = this.soundKnown.kind === 'none' || this.soundKnown.kind === 'unplayable';
      if (silent && source.hasAudio === undefined) source = { ...source, hasAudio: false };
    } catch (e) {
      if (gen !== this.generation) return;
      this.clearTimer();
      const reason = e instanceof Error ? e.message : String(e);
      // A refusal asking again cannot change (FinalSourceError): said once, not retried for ever.
      if (e instanceof FinalSourceError) return this.o.onState({ kind: 'error', reason });
      this.fail(reason);
      return;
    }
    let engine: Engine;
    try {
      engine = this.o.createEngine?.(source.protocol) ?? (await defaultEngine(source.protocol, this.o.media));
    } catch (e) {
      if (gen !== this.generation) return;
      // The player's chunk did not load (the host went away): retried as any failed connection.
      this.fail(`the player did not load: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (gen !== this.generation) return;
    // A live pane nobody listens to opens its stream without sound: sound running under the
    // pictures keeps a stream at full rate (the <video> plays what both tracks have), and most
    // panes of a GB28181 wall carry sound. Only the pane listened to carries it (soundChanged).
    this.withoutSound = this.unheard(engine) && source.hasAudio === undefined;
    if (this.withoutSound) source = { ...source, hasAudio: false };
    this.source = source;
    this.lastLiveHls = source.protocol === 'hls' && source.live;
    this.engine = engine;
    this.firstFrame = false;
    this.ttffMs = null;
    this.watch = new ConnectionWatch(this.o.video, this.shown());
    this.meter = new StatsMeter();
    const listeners = (this.listeners = new EngineListeners());
    const sound = (this.sound = new PaneSound(
      this.o.video,
      () => this.o.sound?.() ?? false,
      this.soundKnown,
      (s) => {
        if (gen !== this.generation) return;
        if (s.kind !== 'unknown') this.soundKnown = s;
        this.o.onSound?.(s);
      },
    ));
    engine.attach(this.o.video);
    this.rate.load(engine, source);
    const meter = this.meter;
    const on: Engine['on'] = (event, listener) => {
      const off = engine.on(event, listener);
      listeners.add(off);
      return off;
    };
    on('rate', ({ rate }) => {
      if (gen !== this.generation) return;
      meter.rate(rate);
      this.rate.reached(rate);
    });
    on('first-frame', ({ ttffMs }) => {
      if (gen !== this.generation) return;
      this.firstFrame = true;
      this.ttffMs = ttffMs;
      sound.firstFrame();
      this.rate.firstFrame();
      this.backoff.playing(Date.now());
      if (this.o.from) this.o.media?.comebacks?.back(this.o.from);
      this.o.onState({ kind: 'playing' });
    });
    on('error', (e) => {
      if (gen !== this.generation) return;
      if (e.unsupportedCodec && this.transcode?.refusedByDecoder(e.unsupportedCodec)) {
        // H.265 this runtime cannot decode: from now on through main's transcoder, at once.
        this.generation++;
        this.teardown();
        void this.connect(0);
        return;
      }
      if (e.unsupportedCodec) {
        this.generation++;
        this.teardown();
        this.o.onState({ kind: 'unsupported-codec', codec: e.unsupportedCodec });
        return;
      }
      if (e.again) return this.again(e.sound ? soundState(e.sound) : { kind: 'none' });
      if (gen === this.resumed.generation && Date.now() - this.resumed.at < RESUME_LAPSE_MS) {
        this.resumed.generation = -1;
        return this.reopen();
      }
      this.fail(e.reason);
    });
    // (A recording's engine says 'ended' once it has loaded all of it: nothing is wrong.)
    on('ended', () => gen === this.generation && this.o.mode !== 'playback' && this.fail('the stream ended'));
    on('dated', ({ fragments }) => gen === this.generation && this.o.onDated?.(fragments));
    on('sound', (heard) => gen === this.generation && sound.heard(heard));
    engine.load(source);
    this.o.onLoad?.(source);
  }

  /** Start over at once with a fresh source, knowing its sound (none, or unplayable); not a failure, so no backoff. */
  private again(sound: SoundState): void {
    if (this.stopped) return;
    this.soundKnown = sound;
    this.generation++;
    this.teardown();
    void this.connect(0);
  }

  /** The operator turned the pane's sound on or off: the playing connection sounds as chosen (sound()). */
  soundChanged(): void {
    this.sound?.changed();
    if (!this.o.sound?.()) return;
    if (this.transcode?.silent) return this.soundOn();
    // Opened without its sound: opened again with it, unless the stream is known to have none to play.
    const none = this.soundKnown.kind === 'none' || this.soundKnown.kind === 'unplayable';
    if (this.withoutSound && this.engine && !none) this.reopen();
  }

  /**
   * Whether a connection on `engine` goes without sound: a live pane with its sound off, where the
   * stream's audio can be left out before the page and main's relay (FLV: they cut what they carry).
   * A recording always carries its sound: playback panes are not cut by the budget.
   */
  private unheard(engine: Engine): boolean {
    return this.o.mode !== 'playback' && !!this.o.sound && !this.o.sound() && engine.can.relayCut;
  }

  /**
   * The pane's sound was turned on: a transcode made without sound is made again with it (main
   * carries sound only for a pane that has it on). The picture stays, dimmed, until the new one shows.
   */
  soundOn(): void {
    if (this.stopped || !this.transcode?.silent) return;
    // A transcode made without sound taught nothing of the camera's: the one with sound finds out.
    this.soundKnown = UNKNOWN_SOUND;
    this.reopen();
  }

  /** Opens the stream again at once (its sound now wanted); the picture stays, dimmed, until the new one shows. */
  private reopen(): void {
    if (this.stopped) return;
    if (this.firstFrame) this.o.onLastFrame?.(this.o.video);
    if (this.timer) clearTimeout(this.timer);
    this.generation++;
    this.teardown();
    void this.connect(0);
  }

  /** Takes over another pane's transcode (the budget is spent): main stops that one and starts this pane's. */
  takeTranscode(fromId: string): void {
    if (this.stopped || !this.transcode?.take(fromId)) return;
    if (this.timer) clearTimeout(this.timer);
    this.generation++;
    this.teardown();
    void this.connect(0);
  }

  /**
   * The provider's answer. A live pane asks again every SOURCE_LIMIT_MS while no answer has come,
   * keeping the earlier asks: a platform holding requests (overloaded, or stuck) answers one sent
   * after it recovers at once, where waiting out main's 15-s timeout kept the pane dark, and a
   * slow platform's first answer is still taken when it comes. At most three asks are out at once
   * (main's 15-s timeout ends each). Fails once every ask has failed.
   */
  private askSource(attempt: number, gen: number): Promise<PlaySource> {
    if (this.o.mode === 'playback') return this.o.provider(attempt);
    const limitMs = this.o.sourceTimeoutMs ?? SOURCE_LIMIT_MS;
    return new Promise((resolve, reject) => {
      // The caller clears the timer once it has the answer (and only if its generation is current).
      let out = 0;
      let settled = false;
      const ask = () => {
        if (settled || gen !== this.generation) return;
        out++;
        this.o.provider(attempt).then(
          (source) => {
            if (settled) return;
            settled = true;
            resolve(source);
          },
          (e: unknown) => {
            if (--out > 0 || settled) return;
            settled = true;
            reject(e);
          },
        );
        this.clearTimer();
        this.timer = setTimeout(ask, limitMs);
      };
      ask();
    });
  }

  /** The session's one pending timer (a reconnect, a wake, an address's limit) cleared. */
  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Refused by the transcode budget (or still no room): looks again in a while, a fresh source then. */
  private retryRefused(): void {
    this.timer = setTimeout(() => void this.connect(0), REFUSED_RETRY_MS);
  }

  private fail(reason: string): void {
    if (this.stopped) return;
    if (!this.seen) return this.sleep(); // a held stream that ended: opened afresh once seen
    this.transcode?.failed(this.firstFrame);
    if (this.firstFrame) this.o.onLastFrame?.(this.o.video);
    this.generation++;
    this.teardown();
    const { attempt, delayMs, final } = this.backoff.failed(Date.now());
    if (final) return this.o.onState({ kind: 'error', reason, attempts: attempt });
    this.o.onState({ kind: 'reconnecting', attempt, inMs: delayMs, reason });
    this.retryIn(attempt, delayMs);
    const comebacks = this.o.media?.comebacks;
    if (!comebacks || !this.o.from) return;
    this.waitingBack = comebacks.wait(this.o.from, {
      wake: () => {
        this.waitingBack = null;
        this.retryIn(attempt, Math.random() * WAKE_SPREAD_MS);
      },
      scout: (ms) => {
        if (this.retryAt - Date.now() > ms) this.retryIn(attempt, ms);
      },
    });
  }

  /** The next attempt in `ms` (the session's one timer): a backoff's end, a wake, a scout's turn. */
  private retryIn(attempt: number, ms: number): void {
    this.clearTimer();
    this.retryAt = Date.now() + ms;
    this.timer = setTimeout(() => void this.connect(attempt), ms);
  }

  private stopWaiting(): void {
    this.waitingBack?.();
    this.waitingBack = null;
  }

  private tick(): void {
    const engine = this.engine;
    const video = this.o.video;
    if (!engine || this.stopped || this.held || !this.watch || !this.meter) return;
    // A key-frame pane's progress is its pictures too: decoded off the page, its video is seldom stepped.
    const failed = this.watch.check({
      firstFrame: this.firstFrame,
      shown: this.shown(),
      stepped: !!this.o.media?.pictures.isSteppedByKeyPicture(video),
      gopMs: this.gopMs,
      stallLimitMs: this.o.stallTimeoutMs ?? 5000,
      connectLimitMs: this.o.connectTimeoutMs ?? 10_000,
    });
    // A recording's owner pauses and seeks its video: no picture for a while is no stall there.
    if (failed && this.o.mode !== 'playback') return this.fail(failed);
    this.o.onStats?.(this.meter.sample(engine, video, { gopMs: this.gopMs, ttffMs: this.ttffMs }));
  }

  /** Key pictures shown of the pane: progress where its video is seldom stepped. */
  private shown(): number {
    return this.o.media?.pictures.keyPicturesShown(this.o.video) ?? 0;
  }

  private teardown(): void {
    this.release(); // whatever ends the stream ends its hold
    for (const c of [this.listeners, this.sound, this.meter, this.watch]) c?.destroy();
    [this.listeners, this.sound, this.meter, this.watch] = [null, null, null, null];
    this.rate.unload();
    this.transcode?.unload();
    this.engine?.destroy();
    this.engine = null;
    this.source = null;
  }
}
