import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveChannel, Platform } from '../../main/platforms/platform';
import { LiveRenewal } from '../../main/services/live-renewal';

// The wall's renewal of reconnect leases: only channels the relay still carries, an account at a
// time, a failing account left as it was, no timer once nothing is played.

function fakePlatform(calls: Array<{ channels: LiveChannel[]; playing: boolean[] }>, fail = false): Platform {
  return {
    renewLive: async (channels: LiveChannel[], playing: (url: string) => boolean) => {
      calls.push({ channels, playing: ['u-a', 'u-b', 'u-x'].map(playing) });
      if (fail) throw new Error('IVM.90000011 service unavailable');
    },
  } as unknown as Platform;
}

test('a round renews what the relay carries, per account; what it stopped carrying is forgotten', async () => {
  const carried = new Set(['u-a', 'u-b', 'u-x']);
  const good: Array<{ channels: LiveChannel[]; playing: boolean[] }> = [];
  const bad: typeof good = [];
  const platforms: Record<string, Platform> = { one: fakePlatform(good), two: fakePlatform(bad, true) };
  const renewal = new LiveRenewal(
    async (id) => platforms[id] ?? Promise.reject(new Error('no such account')),
    (url) => carried.has(url),
    60_000,
  );
  try {
    renewal.handedOut('one', { channelId: 'a', stream: 'sub' }, 'u-a');
    renewal.handedOut('one', { channelId: 'b', stream: 'main' }, 'u-b');
    renewal.handedOut('two', { channelId: 'x', stream: 'sub' }, 'u-x');
    renewal.handedOut('gone', { channelId: 'y', stream: 'sub' }, 'u-x');
    await Promise.all([renewal.renew(), renewal.renew()]); // a round running is not doubled
    assert.equal(good.length, 1);
    assert.deepEqual(good[0]!.channels, [
      { channelId: 'a', stream: 'sub' },
      { channelId: 'b', stream: 'main' },
    ]);
    assert.deepEqual(good[0]!.playing, [true, true, true], 'the relay answers what is played');
    assert.equal(bad.length, 1, 'a failing account does not stop the others');
    carried.delete('u-b');
    await renewal.renew();
    assert.deepEqual(good[1]!.channels, [{ channelId: 'a', stream: 'sub' }], 'b is off screen');
    // A pane reconnected on another URL: the channel's entry follows it.
    renewal.handedOut('one', { channelId: 'a', stream: 'sub' }, 'u-new');
    await renewal.renew();
    assert.equal(good.length, 2, 'u-new is not carried (yet): nothing of account one renewed');
  } finally {
    renewal.close();
  }
});

test('the timer runs while something is played, and stops when nothing is (or on close)', async () => {
  const carried = new Set(['u-a']);
  const calls: Array<{ channels: LiveChannel[]; playing: boolean[] }> = [];
  const renewal = new LiveRenewal(
    async () => fakePlatform(calls),
    (url) => carried.has(url),
    20,
  );
  const timer = () => (renewal as unknown as { timer: NodeJS.Timeout | null }).timer;
  assert.equal(timer(), null, 'no timer before anything is played');
  renewal.handedOut('one', { channelId: 'a', stream: 'sub' }, 'u-a');
  await new Promise((r) => setTimeout(r, 90));
  assert.ok(calls.length >= 2, `renewed every 20 ms (${calls.length} rounds)`);
  carried.clear();
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(timer(), null, 'stopped once nothing is carried');
  const n = calls.length;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(calls.length, n);
  renewal.handedOut('one', { channelId: 'a', stream: 'sub' }, 'u-a');
  assert.ok(timer());
  renewal.close();
  assert.equal(timer(), null);
});
