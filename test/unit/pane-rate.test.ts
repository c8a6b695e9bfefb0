import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodeRate } from '../../preload/contract';
import type { Engine } from '../../renderer/media/session/pane-session';
import { PaneRate } from '../../renderer/media/session/rate';
import type { PlaySource, Protocol } from '../../renderer/media/session/types';

// PaneRate on its own: the pane's decode rate as the budget gives it, applied to the engine of the
// connection it is loaded on and told to main's relay (FLV only), with the camera's GOP kept
// across connections. PaneSession's own tests drive it through whole connections.

/** The part of an engine the rate touches: its rate, what it can do, its GOP. */
function engine(protocol: Protocol, gopMs: number | null = null) {
  const flv = protocol === 'flv';
  const e = {
    protocol,
    rates: [] as DecodeRate[],
    gopMs,
    can: { hold: flv, relayCut: flv, fullUntilFirstFrame: flv },
    setRate(rate: DecodeRate) {
      e.rates.push(rate);
    },
    measures: () => ({ keyFrameIntervalMs: e.gopMs, framesCutInPage: 0 }),
  };
  return e;
}
const asEngine = (e: ReturnType<typeof engine>) => e as unknown as Engine;
const source = (url: string): PlaySource => ({ protocol: 'flv', url, live: true });

function rate() {
  const told: DecodeRate[] = [];
  const relay: Array<[string, DecodeRate]> = [];
  const r = new PaneRate({ onRate: (x) => told.push(x), relayRate: (url, x) => relay.push([url, x]) });
  return { r, told, relay };
}

test('an FLV connection decodes every frame until its first picture, then the rate asked, and main’s relay is told each change once', () => {
  const { r, told, relay } = rate();
  r.set('key'); // asked before any connection: kept
  assert.equal(r.loaded, false);
  const e = engine('flv');
  r.load(asEngine(e), source('http://127.0.0.1:1/a.flv'));
  assert.equal(r.loaded, true);
  assert.deepEqual(e.rates, ['full']);
  assert.deepEqual(told, ['full'], 'the pane says full while it starts');
  assert.deepEqual(relay, [], 'a new relay ticket starts at full: nothing to tell');
  r.set('full');
  assert.deepEqual(e.rates, ['full'], 'no rate before the first picture');
  r.set('key');
  r.firstFrame();
  assert.deepEqual(e.rates, ['full', 'key']);
  assert.deepEqual(relay, [['http://127.0.0.1:1/a.flv', 'key']]);
  r.set('key');
  assert.deepEqual(relay.length, 1, 'the relay is told a change, not every word');
  r.reached('key');
  assert.deepEqual(told, ['full', 'key'], 'the engine’s word goes to the pane');
});

test('held, nothing is decoded and the relay cuts every frame; seen again, the rate asked comes back', () => {
  const { r, relay } = rate();
  const e = engine('flv');
  r.load(asEngine(e), source('u'));
  r.firstFrame();
  r.hold(true);
  r.set('key'); // the budget may speak while the pane is held: it waits
  assert.deepEqual(e.rates.slice(-2), ['none', 'none']);
  r.hold(false);
  assert.equal(e.rates.at(-1), 'key');
  assert.deepEqual(relay, [
    ['u', 'none'],
    ['u', 'key'],
  ]);
});

test('an HLS connection takes the rate from its first picture, and main’s relay is never told', () => {
  const { r, relay } = rate();
  r.set('key');
  const e = engine('hls');
  r.load(asEngine(e), { protocol: 'hls', url: 'h', live: true });
  assert.deepEqual(e.rates, []);
  r.firstFrame();
  assert.deepEqual(e.rates, ['key']);
  assert.deepEqual(relay, []);
});

test('unloaded, it drives no engine; the rate asked and the camera’s GOP carry to the next connection', () => {
  const { r, told, relay } = rate();
  const first = engine('flv', 2000);
  r.load(asEngine(first), source('a'));
  r.firstFrame();
  assert.equal(r.gopMs, 2000);
  r.unload();
  assert.equal(r.loaded, false);
  r.set('key');
  r.hold(true);
  assert.deepEqual(first.rates, ['full', 'full'], 'the old engine is not touched');
  assert.equal(r.gopMs, 2000, 'the same camera between connections');
  r.idle();
  assert.equal(told.at(-1), 'full');
  const second = engine('flv');
  r.load(asEngine(second), source('b'));
  r.firstFrame();
  assert.equal(second.rates.at(-1), 'key', 'a new connection is not held: the hold went with the old one');
  assert.equal(r.gopMs, 2000, 'kept until the new connection times its own');
  second.gopMs = 10_000;
  assert.equal(r.gopMs, 10_000);
  assert.deepEqual(relay.at(-1), ['b', 'key'], 'the new relay ticket is told afresh');
  r.destroy();
  assert.equal(r.loaded, false);
});
