import assert from 'node:assert/strict';
import type http from 'node:http';
import { test } from 'node:test';
import type { IncomingRequest } from '../common/http';
import { MediaGate } from './media-gate';

// §9.1 / §9.3's URL rules as the media side applies them: use_times 1 is "any number of uses within
// the validity" (not after it), and each use of a live HLS URL refreshes the validity by 60 s.

function gate() {
  let now = 1_000_000;
  const g = new MediaGate(
    () => 'http://ivm.test',
    () => now,
    () => false,
  );
  const open = (url: string) => {
    const u = new URL(url);
    const reply = g.serve({ url: u, path: u.pathname, res: {} as http.ServerResponse } as IncomingRequest);
    return reply === 'handled' ? 200 : reply.status;
  };
  return { g, open, advance: (ms: number) => (now += ms) };
}

test('use_times 1: opened any number of times within expire_time, refused after it', () => {
  const { g, open, advance } = gate();
  const url = g.issueHls('http://sim.test/a.m3u8', '/live/live.m3u8', { device_id: 'd', channel_id: '0' }, 90, 1);
  assert.equal(open(url), 200);
  advance(80_000);
  assert.equal(open(url), 200, 'again, within its 90 s');
  advance(70_000); // 150 s: past 90 s, and past the 60 s the use at 80 s gave (140 s)
  assert.equal(open(url), 403, 'an unlimited URL is unlimited within its validity only');
});

test('a use of a live HLS URL refreshes its validity by 60 s; a playback one keeps the validity asked', () => {
  const { g, open, advance } = gate();
  const url = g.issueHls('http://sim.test/a.m3u8', '/live/live.m3u8', { device_id: 'd', channel_id: '0' }, 30, 1);
  advance(25_000);
  assert.equal(open(url), 200);
  advance(50_000); // 75 s: past the 30 s asked, within 25 + 60 s
  assert.equal(open(url), 200, 'kept valid by its use');
  advance(61_000);
  assert.equal(open(url), 403);
  const playback = g.issueHls('http://sim.test/r.m3u8', '/vod/vod.m3u8', { device_id: 'd', channel_id: '0' }, 30, 1);
  advance(25_000);
  assert.equal(open(playback), 200);
  advance(10_000);
  assert.equal(open(playback), 403, '§9.3 documents no refresh: 35 s is past its 30 s');
});

test('use_times 0: once, and not after expire_time', () => {
  const { g, open, advance } = gate();
  const first = g.issueHls('http://sim.test/a.m3u8', '/vod/vod.m3u8', { device_id: 'd', channel_id: '0' }, 30, 0);
  assert.equal(open(first), 200);
  assert.equal(open(first), 403, 'used');
  const late = g.issueHls('http://sim.test/a.m3u8', '/vod/vod.m3u8', { device_id: 'd', channel_id: '0' }, 30, 0);
  advance(31_000);
  assert.equal(open(late), 403, 'expired before it was opened');
});
