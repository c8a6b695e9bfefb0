import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TranscodeRequest } from '../../preload/contract';
import type { DecodeRate } from '../../renderer/media/flv-rate';
import type { Engine } from '../../renderer/media/live-session';
import type { TranscodeLink } from '../../renderer/media/transcode';
import type { PlaySource, PlayerEvents, PlayerState, PlayerStats } from '../../renderer/media/types';
import { Emitter } from '../../renderer/media/emitter';

// LiveSession imports the real players; mpegts.js reads `self` and `navigator` when it loads
// (Node 20 has neither). The players themselves are replaced by fakes below.
const g = globalThis as Record<string, unknown>;
g.self ??= globalThis;
g.navigator ??= { userAgent: 'node' };
const { LiveSession, FinalSourceError } = await import('../../renderer/media/live-session');

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
  constructor(readonly kind: 'flv' | 'hls') {
    super();
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
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await wait(5);
  }
}

/** A session over fakes: the sources it asked for, the engines it built, the states it said. */
function harness(o: {
  sources?: (attempt: number, asked: number) => Promise<PlaySource>;
  transcode?: TranscodeLink;
  sound?: boolean;
  stallTimeoutMs?: number;
  connectTimeoutMs?: number;
  holdUnseenMs?: number;
}) {
  const video = fakeVideo();
  const asked: number[] = [];
  const engines: FakeEngine[] = [];
  const states: PlayerState[] = [];
  const stats: PlayerStats[] = [];
  const relay: Array<[string, DecodeRate]> = [];
  const lastFrames: number[] = [];
  const session = new LiveSession({
    video: video as unknown as HTMLVideoElement,
    provider: (attempt) => {
      asked.push(attempt);
      return o.sources ? o.sources(attempt, asked.length) : Promise.resolve(flv(asked.length));
    },
    onState: (s) => states.push(s),
    onStats: (s) => stats.push(s),
    onLastFrame: () => lastFrames.push(engines.length),
    relayRate: (url, rate) => relay.push([url, rate]),
    engine: (protocol) => {
      const e = new FakeEngine(protocol);
      engines.push(e);
      return e;
    },
    backoff: { initialMs: 20, maxMs: 80, factor: 2, healthyAfterMs: 10_000 },
    ...(o.transcode ? { transcode: o.transcode } : {}),
    sound: () => o.sound ?? false,
    stallTimeoutMs: o.stallTimeoutMs ?? 60_000,
    connectTimeoutMs: o.connectTimeoutMs ?? 60_000,
    ...(o.holdUnseenMs ? { holdUnseenMs: o.holdUnseenMs } : {}),
  });
  const last = () => engines[engines.length - 1]!;
  const kinds = () => states.map((s) => s.kind);
  return { session, video, asked, engines, states, stats, relay, lastFrames, last, kinds };
}

test('connects: the source asked with attempt 0 loads into a new engine; its first picture plays, with the sound as chosen', async () => {
  const h = harness({ sound: true });
  h.session.start();
  await until('an engine', () => h.engines.length === 1 && h.last().loaded !== null);
  assert.deepEqual(h.asked, [0]);
  assert.equal(h.last().kind, 'flv');
  assert.equal(h.last().loaded!.url, flv(1).url);
  assert.deepEqual(h.kinds(), ['connecting']);
  h.last().picture();
  assert.deepEqual(h.kinds(), ['connecting', 'playing']);
  assert.equal(h.video.muted, false, 'sound on: unmuted at the first picture');
  h.session.stop();
  assert.equal(h.last().destroyed, true);
  assert.equal(h.kinds().at(-1), 'idle');
});

test('a failing stream reconnects with a fresh source and a growing delay; the last picture is kept while it waits', async () => {
  const h = harness({});
  h.session.start();
  await until('engine 1', () => h.engines.length === 1);
  h.last().picture();
  h.last().emit('error', { fatal: true, reason: 'network dropped' });
  assert.deepEqual(h.states.at(-1), { kind: 'reconnecting', attempt: 1, inMs: 20, reason: 'network dropped' });
  assert.equal(h.engines[0]!.destroyed, true);
  assert.deepEqual(h.lastFrames, [1], 'the frame on screen was kept before the engine went');
  await until('engine 2', () => h.engines.length === 2 && h.last().loaded !== null);
  assert.equal(h.last().loaded!.url, flv(2).url, 'a fresh source (play URLs may be single-use)');
  h.last().emit('error', { fatal: true, reason: 'again' });
  assert.deepEqual(h.states.at(-1), { kind: 'reconnecting', attempt: 2, inMs: 40, reason: 'again' });
  await until('engine 3', () => h.engines.length === 3);
  assert.deepEqual(h.asked, [0, 1, 2]);
  assert.deepEqual(h.lastFrames, [1], 'no picture to keep from a connection that showed none');
  h.session.stop();
});

test('events of an engine already replaced are ignored', async () => {
  const h = harness({});
  h.session.start();
  await until('engine 1', () => h.engines.length === 1);
  const first = h.last();
  first.emit('error', { fatal: true, reason: 'dropped' });
  await until('engine 2', () => h.engines.length === 2);
  const before = h.states.length;
  first.emit('first-frame', { ttffMs: 1 });
  first.emit('error', { fatal: true, reason: 'late' });
  assert.equal(h.states.length, before, 'the old engine said nothing more');
  h.session.stop();
});

test('a codec this runtime cannot decode, with no transcoder, is a final state: no reconnect loop', async () => {
  const h = harness({});
  h.session.start();
  await until('engine', () => h.engines.length === 1);
  h.last().emit('error', { fatal: true, reason: 'unsupported', unsupportedCodec: 'hvc1.1.6.L93.B0' });
  assert.deepEqual(h.states.at(-1), { kind: 'unsupported-codec', codec: 'hvc1.1.6.L93.B0' });
  await wait(150); // several backoff delays
  assert.deepEqual(h.asked, [0]);
  assert.equal(h.engines.length, 1);
  h.session.stop();
});

test('H.265 the decoder refuses goes through main’s transcoder at once, sized to the pane; stopping ends the transcode', async () => {
  const requests: TranscodeRequest[] = [];
  const stopped: string[] = [];
  const h = harness({
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
  h.session.start();
  await until('engine 1', () => h.engines.length === 1);
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

test('a refusal asking again cannot change (FinalSourceError) is said once and not retried', async () => {
  const h = harness({ sources: async () => Promise.reject(new FinalSourceError('main relays no such address')) });
  h.session.start();
  await until('the error', () => h.kinds().includes('error'));
  assert.deepEqual(h.states.at(-1), { kind: 'error', reason: 'main relays no such address' });
  await wait(150);
  assert.deepEqual(h.asked, [0]);
  h.session.stop();
});

test('a provider that fails (network, expired token) is retried with backoff', async () => {
  const h = harness({
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
  h.session.stop();
});

test('a source answered after stop() builds nothing', async () => {
  let answer!: (s: PlaySource) => void;
  const h = harness({ sources: () => new Promise((r) => (answer = r)) });
  h.session.start();
  await until('asked', () => h.asked.length === 1);
  h.session.stop();
  answer(flv(1));
  await wait(20);
  assert.equal(h.engines.length, 0);
});

test('"again" (start afresh, the stream has no audio) reconnects at once without backoff and says so to the next source', async () => {
  const h = harness({});
  h.session.start();
  await until('engine 1', () => h.engines.length === 1);
  h.last().emit('error', { fatal: false, reason: 'no audio after all', again: true });
  await until('engine 2', () => h.engines.length === 2 && h.last().loaded !== null);
  assert.equal(h.kinds().includes('reconnecting'), false);
  assert.equal(h.last().loaded!.hasAudio, false);
  h.session.stop();
});

test('no progress of the play head past the stall limit reconnects; no first picture past the connect limit too', async () => {
  const stall = harness({ stallTimeoutMs: 300 });
  stall.session.start();
  await until('engine', () => stall.engines.length === 1);
  stall.last().picture();
  stall.video.currentTime = 1; // then frozen
  await until('stall', () => stall.kinds().includes('reconnecting'), 4000);
  assert.match((stall.states.at(-1) as { reason: string }).reason, /^stalled for/);
  stall.session.stop();

  const never = harness({ connectTimeoutMs: 300 });
  never.session.start();
  await until('connect timeout', () => never.kinds().includes('reconnecting'), 4000);
  assert.equal((never.states.at(-1) as { reason: string }).reason, 'no picture within 0.3 s');
  never.session.stop();
});

test('a paused video is not a stall', async () => {
  const h = harness({ stallTimeoutMs: 300 });
  h.session.start();
  await until('engine', () => h.engines.length === 1);
  h.last().picture();
  h.video.paused = true;
  await wait(2300); // two stats ticks past the limit
  assert.equal(h.kinds().includes('reconnecting'), false);
  h.session.stop();
});

test('unseen, a live FLV pane holds its connection decoding nothing, and comes back on it at the rate asked', async () => {
  const h = harness({});
  h.session.start();
  h.session.setRate('key');
  await until('engine', () => h.engines.length === 1);
  h.last().picture();
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
  h.session.stop();
});

test('unseen longer than the hold, the connection closes (last picture kept) and opens afresh at live when seen', async () => {
  const h = harness({ holdUnseenMs: 50 });
  h.session.start();
  await until('engine', () => h.engines.length === 1);
  h.last().picture();
  h.session.setSeen(false);
  await until('closed', () => h.engines[0]!.destroyed);
  assert.equal(h.kinds().at(-1), 'idle');
  assert.deepEqual(h.lastFrames, [1]);
  h.session.setSeen(true);
  await until('engine 2', () => h.engines.length === 2);
  assert.deepEqual(h.asked, [0, 0], 'a fresh source, as a first attempt');
  h.session.stop();
});

test('HLS, a pane still connecting, and a stream with sound are closed when unseen, not held', async () => {
  for (const [what, source, picture, reducible] of [
    ['HLS', { protocol: 'hls', url: 'http://127.0.0.1:1/live.m3u8', live: true } as PlaySource, true, true],
    ['connecting', flv(1), false, true],
    ['with sound', flv(1), true, false],
  ] as const) {
    const h = harness({ sources: async () => source });
    h.session.start();
    await until('engine', () => h.engines.length === 1);
    h.last().reducible = reducible;
    if (picture) h.last().picture();
    h.session.setSeen(false);
    assert.equal(h.engines[0]!.destroyed, true, what);
    assert.equal(h.kinds().at(-1), 'idle', what);
    h.session.stop();
  }
});

test('a reconnect due while unseen waits to be seen', async () => {
  // A dropped stream, then hidden before the backoff ends.
  const h = harness({});
  h.session.start();
  await until('engine', () => h.engines.length === 1);
  h.last().emit('error', { fatal: true, reason: 'dropped' });
  h.session.setSeen(false);
  await wait(100); // past the 20-ms backoff
  assert.equal(h.engines.length, 1);
  h.session.setSeen(true);
  await until('engine 2', () => h.engines.length === 2);
  h.session.stop();
  // A held stream whose player must start afresh ("again"): not while nobody sees it.
  const held = harness({});
  held.session.start();
  await until('engine', () => held.engines.length === 1);
  held.last().picture();
  held.session.setSeen(false);
  held.last().emit('error', { fatal: false, reason: 'no audio after all', again: true });
  await wait(50);
  assert.equal(held.engines.length, 1);
  assert.deepEqual(held.asked, [0]);
  held.session.setSeen(true);
  await until('engine 2', () => held.engines.length === 2);
  held.session.stop();
});

test('stats once a second; a second at full rate counts towards the frames meant to show, one whose rate changed does not', async () => {
  const h = harness({});
  h.session.start();
  await until('engine', () => h.engines.length === 1);
  h.last().picture();
  await until('first stats', () => h.stats.length >= 1, 2500);
  h.video.frames = { totalVideoFrames: 25, droppedVideoFrames: 1 };
  h.video.currentTime = 1;
  await until('second stats', () => h.stats.length >= 2, 2500);
  const s = h.stats.at(-1)!;
  assert.deepEqual([s.width, s.height, s.codec], [640, 360, 'avc1.42c01e']);
  // The first tick after connecting follows a rate change (every connect starts at full, marked changed).
  assert.deepEqual(s.fullRate, { decoded: 25, dropped: 1 });
  // Key frames only for a second, then full again: neither second counts (one at key frames, one
  // that changed rate part-way); the next whole second at full rate does.
  h.last().emit('rate', { rate: 'key' });
  h.video.frames = { totalVideoFrames: 30, droppedVideoFrames: 3 };
  await until('third stats', () => h.stats.length >= 3, 2500);
  h.last().emit('rate', { rate: 'full' });
  h.video.frames = { totalVideoFrames: 40, droppedVideoFrames: 8 };
  await until('fourth stats', () => h.stats.length >= 4, 2500);
  assert.deepEqual(
    h.stats.at(-1)!.fullRate,
    { decoded: 25, dropped: 1 },
    'the seconds at key frames or changing rate are left out',
  );
  h.video.frames = { totalVideoFrames: 65, droppedVideoFrames: 8 };
  await until('fifth stats', () => h.stats.length >= 5, 2500);
  assert.deepEqual(h.stats.at(-1)!.fullRate, { decoded: 50, dropped: 1 });
  h.session.stop();
});
