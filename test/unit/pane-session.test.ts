import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { TranscodeRequest } from '../../preload/contract';
import { Emitter } from '../../renderer/media/session/emitter';
import { failureWhy } from '../../renderer/media/session/failure';
import type { DecodeRate } from '../../preload/contract';
import type { Engine, PaneSessionOptions } from '../../renderer/media/session/pane-session';
import type { SoundState } from '../../renderer/media/session/sound';
import type { TranscodeLink } from '../../renderer/media/session/transcode';
import type { PlaySource, PlayerEvents, PlayerState, PlayerStats, Protocol } from '../../renderer/media/session/types';

// pane-session.ts imports the real players (its default engines); mpegts.js reads `self` and
// `navigator` when it loads, which Node lacks (`navigator` before 21). The tests give fakes.
const g = globalThis as Record<string, unknown>;
g.self ??= globalThis;
g.navigator ??= { userAgent: 'node' };
const { PaneSession, FinalSourceError, HOLD_UNSEEN_MS } = await import('../../renderer/media/session/pane-session');

/** The session's stats tick in these tests (1 s in the product): stall and connect limits are counted in it. */
const TICK = 50;

/** A player the test drives: it records what the session asked of it and emits what a stream would. */
class FakeEngine extends Emitter<PlayerEvents> implements Engine {
  rates: DecodeRate[] = [];
  loaded: PlaySource | null = null;
  destroyed = false;
  reducible = true;
  receivedBytes = 0;
  codec = 'avc1.42c01e';
  gopMs: number | null = null;
  cutInPage = 0;
  get can() {
    const flv = this.protocol === 'flv';
    return { hold: true, relayCut: flv, fullUntilFirstFrame: flv };
  }
  measures() {
    return { keyFrameIntervalMs: this.gopMs, framesCutInPage: this.cutInPage };
  }
  constructor(readonly protocol: Protocol) {
    super();
  }
  /** Listeners on it now (the session must take its own off when the connection goes). */
  listening = 0;
  override on<E extends keyof PlayerEvents>(event: E, listener: (payload: PlayerEvents[E]) => void): () => void {
    const off = super.on(event, listener);
    this.listening++;
    let on = true;
    return () => {
      if (on) this.listening--;
      on = false;
      off();
    };
  }
  attach(): void {}
  load(source: PlaySource): void {
    this.loaded = source;
  }
  /** Listeners stay: a real player's library may still call back after it was destroyed. */
  destroy(): void {
    this.destroyed = true;
  }
  setRate(rate: DecodeRate): void {
    this.rates.push(rate);
  }
  /** The first picture shows. */
  picture(): void {
    this.emit('first-frame', { ttffMs: 120 });
  }
}

/** The <video> as the session reads it: play head, pause, sound, playback quality. */
function fakeVideo() {
  return {
    currentTime: 0,
    paused: false,
    muted: true,
    videoWidth: 640,
    videoHeight: 360,
    buffered: { length: 0, end: () => 0 },
    frames: { totalVideoFrames: 0, droppedVideoFrames: 0 },
    getVideoPlaybackQuality() {
      return this.frames;
    },
  };
}

const flv = (n: number, more: Partial<PlaySource> = {}): PlaySource => ({
  protocol: 'flv',
  url: `http://127.0.0.1:1/relay/${n}.flv`,
  live: true,
  ...more,
});
const hls: PlaySource = { protocol: 'hls', url: 'http://127.0.0.1:1/live.m3u8', live: true };
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await wait(5);
  }
}

/** A session over fakes: the sources it asked for, the engines it built, the states it said. Stopped when the test ends. */
function harness(
  t: TestContext,
  o: {
    sources?: (attempt: number, asked: number) => Promise<PlaySource>;
    transcode?: TranscodeLink;
    sound?: boolean | (() => boolean);
    stallTimeoutMs?: number;
    connectTimeoutMs?: number;
    sourceTimeoutMs?: number;
    holdUnseenMs?: number;
    media?: PaneSessionOptions['media'];
    from?: string;
    backoff?: PaneSessionOptions['backoff'];
  } = {},
) {
  const video = fakeVideo();
  const asked: number[] = [];
  const engines: FakeEngine[] = [];
  const states: PlayerState[] = [];
  const stats: PlayerStats[] = [];
  const relay: Array<[string, DecodeRate]> = [];
  const relaySound: Array<boolean | undefined> = [];
  const lastFrames: number[] = [];
  const sounds: SoundState[] = [];
  const session = new PaneSession({
    video: video as unknown as HTMLVideoElement,
    provider: (attempt) => {
      asked.push(attempt);
      return o.sources ? o.sources(attempt, asked.length) : Promise.resolve(flv(asked.length));
    },
    onState: (s) => states.push(s),
    onStats: (s) => stats.push(s),
    onLastFrame: () => lastFrames.push(engines.length),
    relayRate: (url, rate, sound) => {
      relay.push([url, rate]);
      relaySound.push(sound);
    },
    createEngine: (protocol) => {
      const e = new FakeEngine(protocol);
      engines.push(e);
      return e;
    },
    backoff: o.backoff ?? { initialMs: 20, maxMs: 80, factor: 2, healthyAfterMs: 10_000 },
    ...(o.transcode ? { transcode: o.transcode } : {}),
    sound: typeof o.sound === 'function' ? o.sound : () => !!o.sound,
    onSound: (s) => sounds.push(s),
    statsIntervalMs: TICK,
    stallTimeoutMs: o.stallTimeoutMs ?? 60_000,
    connectTimeoutMs: o.connectTimeoutMs ?? 60_000,
    ...(o.sourceTimeoutMs ? { sourceTimeoutMs: o.sourceTimeoutMs } : {}),
    ...(o.holdUnseenMs ? { holdUnseenMs: o.holdUnseenMs } : {}),
    ...(o.media ? { media: o.media } : {}),
    ...(o.from ? { from: o.from } : {}),
  });
  t.after(() => session.stop());
  const last = () => engines[engines.length - 1]!;
  const kinds = () => states.map((s) => s.kind);
  /** Started, its first engine loaded (and, with `picture`, showing its first picture). */
  const started = async (picture = true) => {
    session.start();
    await until('the first engine', () => engines.length === 1 && last().loaded !== null);
    if (picture) last().picture();
    return last();
  };
  return { session, video, asked, engines, states, stats, relay, relaySound, lastFrames, last, kinds, started, sounds };
}

test('connects: the source asked with attempt 0 loads into a new engine; its first picture plays, with the sound as chosen', async (t) => {
  const h = harness(t, { sound: true });
  const engine = await h.started(false);
  assert.deepEqual(h.asked, [0]);
  assert.equal(engine.protocol, 'flv');
  assert.equal(engine.loaded!.url, flv(1).url);
  assert.deepEqual(h.kinds(), ['connecting']);
  engine.picture();
  assert.deepEqual(h.kinds(), ['connecting', 'playing']);
  assert.equal(h.video.muted, false, 'sound on: unmuted at the first picture');
  h.session.stop();
  assert.equal(engine.destroyed, true);
  assert.equal(h.kinds().at(-1), 'idle');
});

test('a failing stream reconnects with a fresh source and a growing delay; the last picture is kept while it waits', async (t) => {
  const h = harness(t);
  await h.started();
  h.last().emit('error', { fatal: true, reason: 'network dropped' });
  assert.deepEqual(h.states.at(-1), { kind: 'reconnecting', attempt: 1, inMs: 20, reason: 'network dropped' });
  assert.equal(h.engines[0]!.destroyed, true);
  assert.deepEqual(h.lastFrames, [1], 'the frame on screen was kept before the engine went');
  await until('engine 2', () => h.engines.length === 2 && h.last().loaded !== null);
  assert.equal(h.last().loaded!.url, flv(2).url, 'a fresh source (play URLs may be single-use)');
  h.last().emit('error', { fatal: true, reason: 'dropped again' });
  assert.deepEqual(h.states.at(-1), { kind: 'reconnecting', attempt: 2, inMs: 40, reason: 'dropped again' });
  await until('engine 3', () => h.engines.length === 3);
  assert.deepEqual(h.asked, [0, 1, 2]);
  assert.deepEqual(h.lastFrames, [1], 'no picture to keep from a connection that showed none');
});

test('events of an engine already replaced are ignored', async (t) => {
  const h = harness(t);
  const first = await h.started(false);
  first.emit('error', { fatal: true, reason: 'dropped' });
  await until('engine 2', () => h.engines.length === 2);
  const before = h.states.length;
  first.emit('first-frame', { ttffMs: 1 });
  first.emit('error', { fatal: true, reason: 'late' });
  assert.equal(h.states.length, before, 'the old engine said nothing more');
});

test('a codec this runtime cannot decode, with no transcoder, is a final state: no reconnect loop', async (t) => {
  const h = harness(t);
  await h.started(false);
  h.last().emit('error', { fatal: true, reason: 'unsupported', unsupportedCodec: 'hvc1.1.6.L93.B0' });
  assert.deepEqual(h.states.at(-1), { kind: 'unsupported-codec', codec: 'hvc1.1.6.L93.B0' });
  await wait(150); // several backoff delays: nothing was scheduled
  assert.deepEqual(h.asked, [0]);
  assert.equal(h.engines.length, 1);
});

test('H.265 the decoder refuses goes through main’s transcoder at once, sized to the pane; stopping ends the transcode', async (t) => {
  const requests: TranscodeRequest[] = [];
  const stopped: string[] = [];
  const h = harness(t, {
    transcode: {
      request: async (req) => {
        requests.push(req);
        return {
          ok: true,
          id: 't1',
          url: 'http://127.0.0.1:1/transcode/t1.flv',
          costCores: 0.4,
          budgetCores: 1,
          usedCores: 0.4,
        };
      },
      stop: (id) => stopped.push(id),
      room: async () => 1,
      pane: () => ({ width: 480, height: 270, audio: false, label: 'Gate' }),
    },
  });
  await h.started(false);
  h.last().emit('error', { fatal: true, reason: 'unsupported', unsupportedCodec: 'hvc1.1.6.L93.B0' });
  await until('engine 2 on the transcode', () => h.engines.length === 2 && h.last().loaded !== null);
  assert.equal(h.engines[0]!.destroyed, true);
  assert.equal(requests.length, 1);
  assert.deepEqual(
    { url: requests[0]!.url, width: requests[0]!.width, height: requests[0]!.height, audio: requests[0]!.audio },
    { url: flv(2).url, width: 480, height: 270, audio: false },
  );
  assert.equal(h.last().loaded!.url, 'http://127.0.0.1:1/transcode/t1.flv');
  assert.equal(h.last().loaded!.oneUse, true);
  assert.equal(h.kinds().includes('reconnecting'), false, 'not a failure: no backoff');
  h.session.stop();
  assert.deepEqual(stopped, ['t1']);
});

test('a refusal asking again cannot change (FinalSourceError) is said once and not retried', async (t) => {
  const h = harness(t, { sources: async () => Promise.reject(new FinalSourceError('main relays no such address')) });
  h.session.start();
  await until('the error', () => h.kinds().includes('error'));
  assert.deepEqual(h.states.at(-1), { kind: 'error', reason: 'main relays no such address' });
  assert.equal(h.kinds().includes('reconnecting'), false);
  await wait(150);
  assert.deepEqual(h.asked, [0]);
});

test('a provider that fails (network, expired token) is retried with backoff', async (t) => {
  const h = harness(t, {
    sources: async (_, n) => (n < 3 ? Promise.reject(new Error('token expired')) : flv(n)),
  });
  h.session.start();
  await until('engine after two failures', () => h.engines.length === 1);
  assert.deepEqual(h.asked, [0, 1, 2]);
  assert.deepEqual(
    h.states.filter((s) => s.kind === 'reconnecting'),
    [
      { kind: 'reconnecting', attempt: 1, inMs: 20, reason: 'token expired' },
      { kind: 'reconnecting', attempt: 2, inMs: 40, reason: 'token expired' },
    ],
  );
});

test('a platform that holds the request for an address is asked again after the limit, the held ask kept; the first answer plays', async (t) => {
  let held!: (s: PlaySource) => void;
  const h = harness(t, {
    sourceTimeoutMs: 60,
    sources: (_, n) => (n === 1 ? new Promise((r) => (held = r)) : Promise.resolve(flv(n))),
  });
  h.session.start();
  await until('asked again', () => h.engines.length === 1 && h.last().loaded !== null);
  assert.deepEqual(h.asked, [0, 0], 'the same attempt asked again, no failure counted');
  assert.equal(h.states.filter((s) => s.kind === 'reconnecting').length, 0);
  assert.equal(h.last().loaded!.url, flv(2).url);
  h.last().picture();
  held(flv(1));
  await wait(100);
  assert.equal(h.engines.length, 1, 'the held answer, come later, builds nothing');
  assert.equal(h.kinds().at(-1), 'playing');
  assert.deepEqual(h.asked, [0, 0], 'an answer leaves no limit running');
});

test("a slow platform's first answer, come after the limit, is taken", async (t) => {
  const answers: Array<(s: PlaySource) => void> = [];
  const h = harness(t, {
    sourceTimeoutMs: 60,
    sources: () => new Promise((r) => answers.push(r)),
  });
  h.session.start();
  await until('asked twice', () => h.asked.length === 2);
  answers[0]!(flv(1));
  await until('an engine', () => h.engines.length === 1 && h.last().loaded !== null);
  assert.equal(h.last().loaded!.url, flv(1).url);
  answers[1]!(flv(2));
  await wait(100);
  assert.equal(h.engines.length, 1);
  assert.equal(h.asked.length, 2, 'no ask after the answer');
});

test('asks that all fail are one failure: the pane waits its backoff with the reason', async (t) => {
  const fails: Array<(e: Error) => void> = [];
  const h = harness(t, {
    sourceTimeoutMs: 200, // the third ask would come after the test has failed both
    sources: (_, n) => (n <= 2 ? new Promise((_r, reject) => fails.push(reject)) : Promise.resolve(flv(n))),
  });
  h.session.start();
  await until('asked twice', () => h.asked.length === 2);
  fails[0]!(new Error("held past main's timeout"));
  await wait(20);
  assert.equal(h.states.filter((s) => s.kind === 'reconnecting').length, 0, 'one ask is still out');
  fails[1]!(new Error('platform answered 503'));
  await until('reconnecting', () => h.states.some((s) => s.kind === 'reconnecting'));
  assert.deepEqual(
    h.states.find((s) => s.kind === 'reconnecting'),
    {
      kind: 'reconnecting',
      attempt: 1,
      inMs: 20,
      reason: 'platform answered 503',
    },
  );
  await until('plays after the backoff', () => h.engines.length === 1 && h.last().loaded !== null);
  assert.deepEqual(h.asked.slice(0, 3), [0, 0, 1]);
});

test('a source answered after stop() builds nothing', async (t) => {
  let answer!: (s: PlaySource) => void;
  const h = harness(t, { sources: () => new Promise((r) => (answer = r)) });
  h.session.start();
  await until('asked', () => h.asked.length === 1);
  h.session.stop();
  answer(flv(1));
  await wait(20);
  assert.equal(h.engines.length, 0);
});

test('"again" (start afresh, the stream has no audio) reconnects at once without backoff and says so to the next source', async (t) => {
  const h = harness(t, { sound: true });
  await h.started(false);
  h.last().emit('error', { fatal: false, reason: 'no audio after all', again: true });
  await until('engine 2', () => h.engines.length === 2 && h.last().loaded !== null);
  assert.equal(h.kinds().includes('reconnecting'), false);
  assert.equal(h.last().loaded!.hasAudio, false);
});

test('no progress of the play head past the stall limit reconnects; no first picture past the connect limit too', async (t) => {
  const stall = harness(t, { stallTimeoutMs: 3 * TICK });
  await stall.started();
  stall.video.currentTime = 1; // then frozen
  await until('stall', () => stall.kinds().includes('reconnecting'));
  const stalled = (stall.states.at(-1) as { reason: string }).reason;
  assert.equal(stalled, 'stalled for 0.2 s');
  assert.equal(failureWhy(stalled).why, 'network');

  const never = harness(t, { connectTimeoutMs: 3 * TICK });
  never.session.start();
  await until('connect timeout', () => never.kinds().includes('reconnecting'));
  const late = (never.states.at(-1) as { reason: string }).reason;
  assert.equal(late, 'no picture within 0.2 s');
  assert.equal(failureWhy(late).why, 'timeout', 'the pane says "timed out" in the operator’s language');
});

test('a paused video is not a stall', async (t) => {
  const h = harness(t, { stallTimeoutMs: 2 * TICK });
  await h.started();
  h.video.paused = true;
  // Each tick that does not fail reports stats: ten of them span five times the limit.
  await until('ten ticks', () => h.stats.length >= 10);
  assert.equal(h.kinds().includes('reconnecting'), false);
});

test('unseen, a live FLV pane holds its connection decoding nothing, and comes back on it at the rate asked', async (t) => {
  const h = harness(t);
  h.session.setRate('key');
  await h.started();
  assert.deepEqual(h.last().rates, ['full', 'key'], 'every frame until the first picture, then the rate asked');
  assert.deepEqual(h.relay, [[flv(1).url, 'key']]);
  h.session.setSeen(false);
  assert.equal(h.kinds().at(-1), 'held');
  assert.equal(h.last().rates.at(-1), 'none');
  assert.deepEqual(h.relay.at(-1), [flv(1).url, 'none'], 'main cuts the frames before the page');
  h.session.setSeen(true);
  assert.equal(h.kinds().at(-1), 'playing');
  assert.equal(h.last().rates.at(-1), 'key');
  assert.deepEqual(h.relay.at(-1), [flv(1).url, 'key']);
  assert.equal(h.engines.length, 1, 'the same connection');
  assert.deepEqual(h.asked, [0], 'no new play URL asked of the platform');
});

test('an HLS pane takes the rate from its first picture on, and main’s relay is never told (it cuts FLV only)', async (t) => {
  const h = harness(t, { sources: async () => hls });
  h.session.setRate('key');
  const engine = await h.started();
  assert.equal(engine.protocol, 'hls');
  assert.deepEqual(engine.rates, ['key'], 'no leading "full": that is FLV’s start-up');
  h.session.setRate('full');
  assert.deepEqual(engine.rates, ['key', 'full']);
  assert.deepEqual(h.relay, []);
});

test('the default hold outlasts a window hidden for a minute or two (the operator in another application); past two minutes the stream closes', async (t) => {
  const h = harness(t);
  await h.started();
  t.mock.timers.enable({ apis: ['setTimeout'] }); // the hold's lapse, set from here on
  h.session.setSeen(false);
  t.mock.timers.tick(119_000);
  assert.equal(h.engines[0]!.destroyed, false, 'still held after 119 s');
  h.session.setSeen(true);
  assert.equal(h.engines.length, 1, 'back on the same connection');
  assert.deepEqual(h.asked, [0], 'no new play URL asked of the platform');
  h.session.setSeen(false);
  t.mock.timers.tick(120_000);
  assert.equal(h.engines[0]!.destroyed, true, 'closed after two minutes unseen: its uplink is not spent for nobody');
  assert.equal(h.kinds().at(-1), 'idle');
});

test('unseen longer than the hold, the connection closes (last picture kept) and opens afresh at live when seen', async (t) => {
  const h = harness(t, { holdUnseenMs: 50 });
  await h.started();
  h.session.setSeen(false);
  await until('closed', () => h.engines[0]!.destroyed);
  assert.equal(h.kinds().at(-1), 'idle');
  assert.deepEqual(h.lastFrames, [1]);
  h.session.setSeen(true);
  await until('engine 2', () => h.engines.length === 2);
  assert.deepEqual(h.asked, [0, 0], 'a fresh source, as a first attempt');
});

test("the window's hold, as the operator set it, applies to holds started after it is set", async (t) => {
  const { MediaWindow } = await import('../../renderer/media/media-window');
  const media = new MediaWindow();
  t.after(() => media.destroy());
  const h = harness(t, { media });
  await h.started();
  media.setHoldUnseen(50);
  h.session.setSeen(false);
  await until('closed after the 50 ms set', () => h.engines[0]!.destroyed);
  media.setHoldUnseen(null);
  assert.equal(media.holdUnseenMs, HOLD_UNSEEN_MS, 'emptied: the default again');
});

test('unseen, a live HLS pane holds its connection too (nothing loaded: the engine stops), and comes back on it at the rate asked', async (t) => {
  const h = harness(t, { sources: async () => hls });
  h.session.setRate('full');
  const engine = await h.started();
  h.session.setSeen(false);
  assert.equal(h.kinds().at(-1), 'held');
  assert.equal(engine.rates.at(-1), 'none');
  h.session.setSeen(true);
  assert.equal(h.kinds().at(-1), 'playing');
  assert.equal(engine.rates.at(-1), 'full');
  assert.equal(h.engines.length, 1, 'the same connection');
  assert.deepEqual(h.asked, [0], 'no new play URL asked of the platform');
  assert.deepEqual(h.relay, [], 'nothing for the relay to cut');
});

test('a held stream that fails as it is seen again (its ticket or address lapsed meanwhile) is opened afresh at once, not as a failure; a later failure is one', async (t) => {
  const h = harness(t, { sources: async () => hls });
  const engine = await h.started();
  h.session.setSeen(false);
  h.session.setSeen(true);
  engine.emit('error', { fatal: true, reason: 'networkError: levelLoadError (HTTP 404)' });
  await until('engine 2', () => h.engines.length === 2 && h.last().loaded !== null);
  assert.deepEqual(h.asked, [0, 0], 'a fresh source, as a first attempt');
  assert.ok(!h.kinds().includes('reconnecting'), `no reconnecting state: ${h.kinds().join(' ')}`);
  assert.deepEqual(h.lastFrames, [1], 'its picture kept meanwhile');
  h.last().picture();
  h.last().emit('error', { fatal: true, reason: 'networkError: fragLoadError' });
  assert.equal(h.kinds().at(-1), 'reconnecting', 'not held: a failure, with its backoff');
});

test('a recording, a pane still connecting, and a stream with sound are closed when unseen, not held', async (t) => {
  for (const [what, source, picture, reducible] of [
    ['a recording', { ...hls, live: false }, true, true],
    ['connecting', flv(1), false, true],
    ['with sound', flv(1), true, false],
  ] as const) {
    const h = harness(t, { sources: async () => source });
    const engine = await h.started(false);
    engine.reducible = reducible;
    if (picture) engine.picture();
    h.session.setSeen(false);
    assert.equal(engine.destroyed, true, what);
    assert.equal(h.kinds().at(-1), 'idle', what);
  }
});

test('nothing reconnects while unseen: a pending reconnect is dropped, a held stream that fails or must start afresh waits', async (t) => {
  // Dropped, then hidden before the backoff ends: hiding cancels the reconnect; seen, it connects.
  const h = harness(t);
  await h.started();
  h.last().emit('error', { fatal: true, reason: 'dropped' });
  h.session.setSeen(false);
  await wait(100); // past the 20-ms backoff
  assert.equal(h.engines.length, 1);
  h.session.setSeen(true);
  await until('engine 2', () => h.engines.length === 2);

  // Held, and the stream fails: closed, no reconnect until seen.
  const failed = harness(t);
  await failed.started();
  failed.session.setSeen(false);
  failed.last().emit('error', { fatal: true, reason: 'dropped' });
  assert.equal(failed.kinds().at(-1), 'idle');
  assert.equal(failed.kinds().includes('reconnecting'), false);
  await wait(100);
  assert.equal(failed.engines.length, 1);
  failed.session.setSeen(true);
  await until('engine 2', () => failed.engines.length === 2);

  // Held, and the player must start afresh ("again"): not while nobody sees it.
  const held = harness(t);
  await held.started();
  held.session.setSeen(false);
  held.last().emit('error', { fatal: false, reason: 'no audio after all', again: true });
  await wait(50);
  assert.equal(held.engines.length, 1);
  assert.deepEqual(held.asked, [0]);
  held.session.setSeen(true);
  await until('engine 2', () => held.engines.length === 2);
});

test('stats each tick; a tick at full rate throughout counts towards the frames meant to show, one at key frames or changing rate does not', async (t) => {
  const h = harness(t);
  const engine = await h.started();
  const tick = async () => {
    const n = h.stats.length;
    await until(`stats ${n + 1}`, () => h.stats.length > n);
  };
  await tick(); // the first tick after connecting follows a rate change (every connect starts at full)
  h.video.frames = { totalVideoFrames: 25, droppedVideoFrames: 1 };
  await tick();
  const s = h.stats.at(-1)!;
  assert.deepEqual([s.width, s.height, s.codec], [640, 360, 'avc1.42c01e']);
  assert.deepEqual(s.fullRate, { decoded: 25, dropped: 1 });
  engine.emit('rate', { rate: 'key' });
  h.video.frames = { totalVideoFrames: 30, droppedVideoFrames: 3 };
  await tick();
  engine.emit('rate', { rate: 'full' });
  h.video.frames = { totalVideoFrames: 40, droppedVideoFrames: 8 };
  await tick();
  assert.deepEqual(
    h.stats.at(-1)!.fullRate,
    { decoded: 25, dropped: 1 },
    'at key frames, then changing rate: left out',
  );
  h.video.frames = { totalVideoFrames: 65, droppedVideoFrames: 8 };
  await tick();
  assert.deepEqual(h.stats.at(-1)!.fullRate, { decoded: 50, dropped: 1 });
});

test('an FLV camera’s GOP and the frames cut in the page are reported; the GOP outlives a reconnect until the new connection times its own', async (t) => {
  const h = harness(t);
  const first = await h.started();
  first.gopMs = 2000;
  first.cutInPage = 7;
  const n = h.stats.length;
  await until('stats', () => h.stats.length > n);
  assert.deepEqual([h.stats.at(-1)!.gopMs, h.stats.at(-1)!.cutInPage], [2000, 7]);
  first.emit('error', { fatal: true, reason: 'dropped' });
  await until('engine 2', () => h.engines.length === 2);
  h.last().picture();
  assert.equal(h.session.gopMs, 2000, 'the same camera: its GOP is still known');
  const m = h.stats.length;
  await until('stats', () => h.stats.length > m);
  assert.deepEqual([h.stats.at(-1)!.gopMs, h.stats.at(-1)!.cutInPage], [2000, 0]);
  h.last().gopMs = 10_000;
  assert.equal(h.session.gopMs, 10_000);
});

test('a key-frame pane whose pictures a worker decodes: each picture shown is progress (its video is seldom stepped); when they stop, it reconnects', async (t) => {
  const { KeyPictures } = await import('../../renderer/media/key-frames/key-picture');
  const { KeyFrameDecoder, KeyFrameDecoders } = await import('../../renderer/media/key-frames/key-frame-decoder');
  // The window's decoders and key pictures, handed to the session as MediaWindow does.
  const decoders = new KeyFrameDecoders();
  const pictures = new KeyPictures(decoders);
  t.after(() => pictures.destroy());
  const setKeyFrameDecoder = (video: HTMLVideoElement, d: InstanceType<typeof KeyFrameDecoder>) =>
    decoders.set(video, d);
  const showKeyPicture = (video: HTMLVideoElement, canvas: HTMLCanvasElement) => pictures.showKeyPicture(video, canvas);
  const keyPicturesShown = (video: HTMLVideoElement) => pictures.keyPicturesShown(video);
  const saved = { window: g.window, requestAnimationFrame: g.requestAnimationFrame };
  g.window = { devicePixelRatio: 1 };
  g.requestAnimationFrame = (cb: () => void) => setTimeout(cb, 0);
  t.after(() => Object.assign(g, saved));
  const h = harness(t, { stallTimeoutMs: 3 * TICK, media: { decoders, pictures, audioKnown: new Map() } });
  Object.assign(h.video, {
    clientWidth: 200,
    clientHeight: 112,
    style: { visibility: '' },
    buffered: { length: 1, start: () => 0, end: () => 1 },
    pause(this: { paused: boolean }) {
      this.paused = true;
    },
    play(this: { paused: boolean }) {
      this.paused = false;
      return Promise.resolve();
    },
  });
  const canvas = {
    width: 0,
    height: 0,
    style: { display: 'none' },
    dataset: {},
    getContext: () => ({ transferFromImageBitmap: () => undefined }),
  };
  const video = h.video as unknown as HTMLVideoElement;
  h.video.paused = true; // (until its first picture it waits at the end of its data)
  await h.started();
  const decoder = new KeyFrameDecoder(decoders);
  decoder.configure(Uint8Array.from([1, 0x4d, 0x40, 0x1e, 0xff, 0xe1, 0]));
  setKeyFrameDecoder(video, decoder);
  const release = showKeyPicture(video, canvas as unknown as HTMLCanvasElement);
  t.after(() => release());
  const picture = () =>
    decoder.answer({ type: 'picture', id: decoder.id, bitmap: { width: 199, height: 112, close() {} } as never });
  // A picture every 200 ms (a GOP here) for 2.4 s, the play head never moving: no stall.
  const shownBefore = keyPicturesShown(video);
  for (let i = 0; i < 12; i++) {
    picture();
    await wait(200);
  }
  assert.ok(keyPicturesShown(video) - shownBefore >= 4, `pictures shown: ${keyPicturesShown(video) - shownBefore}`);
  assert.equal(h.video.paused, true, 'paused under its picture');
  assert.equal(h.kinds().includes('reconnecting'), false);
  // Hidden a moment and seen again: it gets its grace to bring the next GOP (it is not judged
  // against a picture count it has not seen).
  await until('its last picture shown', () => !decoder.hasPicture);
  h.session.setSeen(false);
  h.session.setSeen(true);
  await wait(1500);
  assert.equal(h.kinds().includes('reconnecting'), false, 'the grace after a hold is kept');
  // The pictures stop: at a key-frame pane's limit (1 s, or 1.5 GOPs), it reconnects.
  await until('stall', () => h.kinds().includes('reconnecting'), 8000);
  assert.match((h.states.at(-1) as { reason: string }).reason, /^stalled for/);
});

/**
 * The timers the session (and its components) set, from the moment this is called: those still
 * pending, read with `pending()`. A timer is the session's if renderer/media/session is on the
 * stack that set it.
 */
function sessionTimers(t: TestContext) {
  const live = new Set<unknown>();
  const saved = {
    setTimeout: globalThis.setTimeout,
    setInterval: globalThis.setInterval,
    clearTimeout: globalThis.clearTimeout,
    clearInterval: globalThis.clearInterval,
  };
  const mine = () => /renderer[\\/]media[\\/]session/.test(new Error().stack ?? '');
  const g2 = globalThis as unknown as Record<string, unknown>;
  g2.setTimeout = (fn: () => void, ms?: number) => {
    const own = mine();
    const h: unknown = saved.setTimeout(() => {
      live.delete(h);
      fn();
    }, ms);
    if (own) live.add(h);
    return h;
  };
  g2.setInterval = (fn: () => void, ms?: number) => {
    const h = saved.setInterval(fn, ms);
    if (mine()) live.add(h);
    return h;
  };
  g2.clearTimeout = (h: Parameters<typeof clearTimeout>[0]) => {
    live.delete(h);
    saved.clearTimeout(h);
  };
  g2.clearInterval = (h: Parameters<typeof clearInterval>[0]) => {
    live.delete(h);
    saved.clearInterval(h);
  };
  t.after(() => Object.assign(globalThis, saved));
  return { pending: () => live.size };
}

test('lifecycle: a connection loads its components; unloading destroys every one, takes its listeners off the engine and leaves no timer', async (t) => {
  const timers = sessionTimers(t);
  const h = harness(t, { holdUnseenMs: 60_000 });
  const parts = (): string[] => h.session.components;
  assert.deepEqual(parts(), [], 'nothing before it starts');
  const first = await h.started();
  assert.deepEqual(parts().sort(), ['listeners', 'rate', 'sound', 'stats', 'watch']);
  assert.ok(first.listening > 0, 'it listens to its engine');
  // Unseen: a hold (with its lapse timer) joins; seen again, it goes.
  h.session.setSeen(false);
  assert.ok(parts().includes('hold'));
  h.session.setSeen(true);
  assert.equal(parts().includes('hold'), false);
  // A failed connection's components go with it; the next connection has its own.
  first.emit('error', { fatal: true, reason: 'dropped' });
  assert.equal(first.listening, 0, 'the failed engine is listened to no more');
  assert.deepEqual(parts(), []);
  await until('engine 2', () => h.engines.length === 2);
  const second = h.last();
  second.picture();
  h.session.setSeen(false); // held again: its lapse timer is pending
  assert.ok(timers.pending() > 0);
  h.session.stop();
  assert.deepEqual(parts(), [], 'every component destroyed');
  assert.equal(second.listening, 0, 'no listener left on the engine');
  assert.equal(second.destroyed, true);
  assert.equal(timers.pending(), 0, 'no timer left: stats, reconnect and hold timers all cleared');
});

test('lifecycle, playback mode: a recording is tried as playbackRetry says, then given up with no timer left; the same components', async (t) => {
  const timers = sessionTimers(t);
  const video = fakeVideo();
  const states: PlayerState[] = [];
  const engines: FakeEngine[] = [];
  const session = new PaneSession({
    mode: 'playback',
    video: video as unknown as HTMLVideoElement,
    provider: () => Promise.resolve({ protocol: 'hls', url: 'http://127.0.0.1:1/rec.m3u8', live: false }),
    onState: (s) => states.push(s),
    createEngine: (protocol) => {
      const e = new FakeEngine(protocol);
      engines.push(e);
      return e;
    },
    // playbackRetry's numbers, faster: five tries, then given up
    backoff: { initialMs: 5, maxMs: 40, factor: 2, healthyAfterMs: 0, maxTries: 5 },
    statsIntervalMs: TICK,
  });
  t.after(() => session.stop());
  const parts = (): string[] => session.components;
  session.start();
  for (let i = 1; i <= 5; i++) {
    await until(`try ${i}`, () => engines.length === i && engines[i - 1]!.loaded !== null);
    assert.deepEqual(parts().sort(), ['listeners', 'rate', 'sound', 'stats', 'watch']);
    engines[i - 1]!.emit('error', { fatal: true, reason: 'networkError: manifestLoadError (HTTP 404)' });
    assert.equal(engines[i - 1]!.listening, 0);
  }
  assert.deepEqual(
    states.filter((s) => s.kind === 'reconnecting').map((s) => (s as { attempt: number }).attempt),
    [1, 2, 3, 4],
  );
  assert.deepEqual(states.at(-1), { kind: 'error', reason: 'networkError: manifestLoadError (HTTP 404)', attempts: 5 });
  await wait(100);
  assert.equal(engines.length, 5, 'given up: no sixth try');
  session.stop();
  assert.equal(timers.pending(), 0);
});

test('sound: one component per connection; the engine says what the stream carries, the operator choice applies at the first picture and on every change', async (t) => {
  let on = true;
  const h = harness(t, { sound: () => on });
  const engine = await h.started(false);
  assert.deepEqual(h.sounds, [{ kind: 'unknown' }], 'a new connection knows nothing of its sound yet');
  engine.emit('sound', { codec: 'G.711 A-law', playable: true });
  assert.deepEqual(h.sounds.at(-1), { kind: 'playable', codec: 'G.711 A-law' });
  assert.equal(h.video.muted, true, 'muted until the first picture (autoplay)');
  engine.picture();
  assert.equal(h.video.muted, false, 'sound on: heard from the first picture');
  on = false;
  h.session.soundChanged();
  assert.equal(h.video.muted, true, 'turned off: muted at once');
  on = true;
  h.session.soundChanged();
  assert.equal(h.video.muted, false, 'and on again');
  h.session.stop();
  assert.equal(h.video.muted, true, 'a destroyed sound component leaves the video muted');
  assert.deepEqual(h.session.components, []);
});

test('a live pane nobody listens to opens its stream without sound, so it can be cut; sound on opens it again with it', async (t) => {
  let on = false;
  const h = harness(t, { sound: () => on });
  const engine = await h.started(false);
  assert.equal(engine.loaded!.hasAudio, false, 'sound off: opened without it (the page and the relay drop it)');
  engine.emit('sound', { codec: 'G.711 A-law', playable: true });
  engine.picture();
  h.session.setRate('key');
  assert.deepEqual(h.relay.at(-1), [engine.loaded!.url, 'key'], 'the relay is told to cut it');
  assert.deepEqual(h.relaySound.at(-1), false, '… and that the pane plays it without sound');
  on = true;
  h.session.soundChanged();
  await until('engine 2', () => h.engines.length === 2 && h.last().loaded !== null);
  assert.equal(engine.destroyed, true);
  assert.deepEqual(h.lastFrames, [1], 'the picture stays until the new one shows');
  assert.equal(h.last().loaded!.hasAudio, undefined, 'opened with its sound');
  assert.equal(h.kinds().includes('reconnecting'), false, 'not a failure');
  h.last().picture();
  assert.equal(h.video.muted, false, 'heard from its first picture');
  // Turned off: nothing reopens (the stream carrying sound stays at full rate until its next connection).
  on = false;
  h.session.soundChanged();
  assert.equal(h.video.muted, true);
  assert.equal(h.engines.length, 2);
});

test('sound on for a stream known to have none (or none it can play): not opened again', async (t) => {
  let on = false;
  const h = harness(t, { sound: () => on });
  const engine = await h.started(false);
  engine.emit('sound', { codec: null });
  engine.picture();
  on = true;
  h.session.soundChanged();
  await wait(30);
  assert.equal(h.engines.length, 1);
});

test('playback: a recording carries its sound whatever the choice (playback panes are not cut); the choice only mutes', async (t) => {
  let on = false;
  const video = fakeVideo();
  const engines: FakeEngine[] = [];
  const session = new PaneSession({
    mode: 'playback',
    video: video as unknown as HTMLVideoElement,
    provider: async () => flv(1, { live: false }),
    onState: () => undefined,
    sound: () => on,
    createEngine: (protocol) => {
      const e = new FakeEngine(protocol);
      engines.push(e);
      return e;
    },
  });
  t.after(() => session.stop());
  session.start();
  await until('the engine', () => engines.length === 1 && engines[0]!.loaded !== null);
  assert.equal(engines[0]!.loaded!.hasAudio, undefined);
  engines[0]!.emit('sound', { codec: 'AAC', playable: true });
  engines[0]!.picture();
  assert.equal(video.muted, true);
  on = true;
  session.soundChanged();
  assert.equal(video.muted, false, 'unmuted at once, on the same connection');
  assert.equal(engines.length, 1);
});

test('sound the pane cannot play: said with its codec, kept muted with sound on, and the next connection knows it at once and asks for no audio', async (t) => {
  const h = harness(t, { sound: true });
  const first = await h.started(false);
  // mpegts.js refused the sound the loader let through: start again without it, the pictures play.
  first.emit('error', {
    fatal: true,
    again: true,
    reason: 'Flv: Unsupported audio codec idx: 11',
    sound: { codec: 'Speex', playable: false },
  });
  await until('engine 2', () => h.engines.length === 2 && h.last().loaded !== null);
  assert.equal(h.kinds().includes('reconnecting'), false, 'not a failure: no backoff');
  assert.equal(h.last().loaded!.hasAudio, false, 'opened knowing there is no sound to wait for');
  assert.deepEqual(h.sounds.at(-1), { kind: 'unplayable', codec: 'Speex' }, 'said at once by the new connection');
  h.last().picture();
  assert.equal(h.video.muted, true, 'sound on, but nothing to hear');
  // A stream without sound: said, and muted whatever the choice.
  h.last().emit('sound', { codec: null });
  assert.deepEqual(h.sounds.at(-1), { kind: 'none' });
  assert.equal(h.video.muted, true);
  // A stale connection's word is not taken.
  const count = h.sounds.length;
  first.emit('sound', { codec: 'AAC', playable: true });
  assert.equal(h.sounds.length, count);
});

test('lifecycle, transcoded: the rate and the transcode job load with the connection; unloading stops the job, drives the old engine no more and leaves no timer', async (t) => {
  const timers = sessionTimers(t);
  const stopped: string[] = [];
  let refuse = false;
  const link: TranscodeLink = {
    request: async () =>
      refuse
        ? { ok: false, needCores: 0.4, budgetCores: 1, usedCores: 1, holders: [] }
        : {
            ok: true,
            id: 't1',
            url: 'http://127.0.0.1:1/transcode/t1.flv',
            costCores: 0.4,
            budgetCores: 1,
            usedCores: 0.4,
          },
    stop: (id) => stopped.push(id),
    room: async () => 0,
    pane: () => ({ width: 480, height: 270, audio: false, label: 'Gate' }),
  };
  const h = harness(t, { sources: async (_, n) => flv(n, { codec: 'h265' }), transcode: link });
  const parts = (): string[] => h.session.components;
  // (This runtime decodes no H.265: the platform's word sends the stream to the transcoder at once.)
  const first = await h.started();
  assert.equal(first.loaded!.url, 'http://127.0.0.1:1/transcode/t1.flv');
  assert.deepEqual(parts().sort(), ['listeners', 'rate', 'sound', 'stats', 'transcode', 'watch']);
  // The connection fails: its job is stopped with it, its engine no longer driven by the rate.
  first.emit('error', { fatal: true, reason: 'dropped' });
  assert.deepEqual(stopped, ['t1']);
  assert.deepEqual(parts(), []);
  const rates = first.rates.length;
  h.session.setRate('key');
  assert.equal(first.rates.length, rates, 'the old engine is not driven');
  // The budget refuses the next one: the refusal is said, and a retry timer waits for room.
  refuse = true;
  await until('refused', () => h.kinds().at(-1) === 'transcode-refused');
  assert.deepEqual(parts(), [], 'no job, no connection');
  assert.ok(timers.pending() > 0);
  h.session.stop();
  assert.equal(timers.pending(), 0, 'no timer left: stats and the refused retry cleared');
  assert.deepEqual(stopped, ['t1'], 'nothing more to stop');
});

/** A window's media services as panes share them, with their Comebacks looking every `scoutMs`. */
async function sharedMedia(t: TestContext, scoutMs: number) {
  const { KeyPictures } = await import('../../renderer/media/key-frames/key-picture');
  const { KeyFrameDecoders } = await import('../../renderer/media/key-frames/key-frame-decoder');
  const { Comebacks } = await import('../../renderer/media/session/comebacks');
  const decoders = new KeyFrameDecoders();
  const pictures = new KeyPictures(decoders);
  t.after(() => pictures.destroy());
  const comebacks = new Comebacks(scoutMs);
  return { media: { decoders, pictures, audioKnown: new Map<string, boolean>(), comebacks }, comebacks };
}

test('panes waiting to reconnect try at once when another pane from their account plays again, not at the end of their backoff', async (t) => {
  // (Its scout looks a minute on: this is about the wake.)
  const { media, comebacks } = await sharedMedia(t, 60_000);
  const slow = { initialMs: 5000, maxMs: 5000, factor: 1, healthyAfterMs: 10_000 };
  // Two panes of account A and one of account B wait 5 s; a third pane of A retries after 20 ms.
  const [a1, a2, b] = [
    harness(t, { media, from: 'A', backoff: slow }),
    harness(t, { media, from: 'A', backoff: slow }),
    harness(t, { media, from: 'B', backoff: slow }),
  ];
  const quick = harness(t, { media, from: 'A' });
  for (const h of [a1, a2, b, quick]) await h.started();
  for (const h of [a1, a2, b, quick]) h.last().emit('error', { fatal: true, reason: 'the platform is down' });
  assert.equal(comebacks.waitingOn('A'), 3);
  await until('the quick pane reconnects', () => quick.engines.length === 2 && quick.last().loaded !== null);
  assert.equal(a1.engines.length, 1, 'nobody woken before a picture');
  quick.last().picture(); // A is back
  await until('both waiting panes of A reconnect', () => a1.engines.length === 2 && a2.engines.length === 2, 1000);
  assert.deepEqual(
    [a1.asked, a2.asked],
    [
      [0, 1],
      [0, 1],
    ],
    'once each, as their next attempt',
  );
  assert.equal(b.engines.length, 1, "another account's pane waits on");
  assert.equal(comebacks.waitingOn('A'), 0);
  assert.equal(comebacks.waitingOn('B'), 1);
  // A woken pane that fails again waits again; a pane that stops no longer waits.
  a1.last().emit('error', { fatal: true, reason: 'its camera is offline' });
  assert.equal(comebacks.waitingOn('A'), 1);
  a1.session.stop();
  b.session.stop();
  assert.equal(comebacks.waitingOn('A') + comebacks.waitingOn('B'), 0);
});

test('while several panes of an account wait to reconnect, they take turns to look for its return each scout interval; one pane alone keeps its backoff', async (t) => {
  const { media, comebacks } = await sharedMedia(t, 150);
  const slow = { initialMs: 10_000, maxMs: 10_000, factor: 1, healthyAfterMs: 10_000 };
  const a = [1, 2, 3].map(() => harness(t, { media, from: 'A', backoff: slow }));
  const b = harness(t, { media, from: 'B', backoff: slow });
  for (const h of [...a, b]) await h.started();
  const failed = Date.now();
  for (const h of [...a, b]) h.last().emit('error', { fatal: true, reason: 'the platform is down' });
  // The pane that waited first looks first, one scout interval on; the others wait their turn.
  const opened = (h: (typeof a)[number], n: number) => h.engines.length === n && h.last().loaded !== null;
  await until('the first pane of A scouts', () => opened(a[0]!, 2));
  assert.ok(Date.now() - failed >= 140, `scouted ${Date.now() - failed} ms after the failure, not at once`);
  assert.deepEqual(
    a.map((h) => h.asked.length),
    [2, 1, 1],
  );
  // It found nothing (its answer fails): the next in line looks a scout interval after it left.
  a[0]!.last().emit('error', { fatal: true, reason: 'still down' });
  await until('the second pane of A scouts', () => opened(a[1]!, 2), 1000);
  assert.equal(a[2]!.asked.length, 1);
  a[1]!.last().emit('error', { fatal: true, reason: 'still down' });
  await until('the third pane of A scouts', () => opened(a[2]!, 2), 1000);
  assert.equal(b.asked.length, 1, 'a pane waiting alone on its account keeps its backoff');
  assert.equal(comebacks.waitingOn('A'), 2);
  // The third one plays: A is back, and the two waiting panes try at once.
  a[2]!.last().picture();
  await until('the waiting panes of A reconnect', () => a[0]!.asked.length === 3 && a[1]!.asked.length === 3, 1000);
  assert.equal(comebacks.waitingOn('A'), 0);
  assert.equal(b.asked.length, 1);
});
