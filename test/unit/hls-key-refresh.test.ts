import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bytesNeeded, HlsKeyRefresh, newestSegment, rangeEnd } from '../../renderer/media/key-frames/hls-key-refresh';

// A live HLS pane at key frames fetches its playlist once a segment is due and the newest segment
// only (issue 26): what it reads from a playlist, and what it asks of the origin over a few segments.

const playlist = (first: number, count: number, durationS = 0.2, extra = '') =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-TARGETDURATION:1',
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    ...Array.from({ length: count }, (_, i) => [
      `#EXTINF:${durationS.toFixed(3)},`,
      `seg${first + i}.ts?token=abc`,
    ]).flat(),
    extra,
  ].join('\n');

test('newestSegment: the last listed segment, its address resolved against the playlist; VOD, ended or empty: null', () => {
  assert.deepEqual(newestSegment(playlist(40, 3), 'http://127.0.0.1:9/live/b1_sub/index.m3u8?s=1'), {
    sequence: 42,
    durationS: 0.2,
    targetS: 1,
    url: 'http://127.0.0.1:9/live/b1_sub/seg42.ts?token=abc',
  });
  const crlf = playlist(7, 1).replace(/\n/g, '\r\n').replace('seg7.ts?token=abc', '/abs/seg7.ts');
  assert.equal(newestSegment(crlf, 'http://h:1/a/index.m3u8')?.url, 'http://h:1/abs/seg7.ts');
  assert.equal(newestSegment(playlist(1, 2, 1, '#EXT-X-ENDLIST'), 'http://h/x.m3u8'), null, 'ended');
  assert.equal(
    newestSegment(playlist(1, 2).replace(/#EXTINF:0.200/g, '#EXTINF: .5'), 'http://h/x.m3u8')?.durationS,
    0.5,
    'EXTINF as hls.js reads it',
  );
  assert.equal(newestSegment('#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n', 'http://h/x.m3u8'), null);
  assert.equal(newestSegment('#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n', 'http://h/x.m3u8'), null, 'no URI');
  assert.equal(newestSegment('<html>', 'http://h/x.m3u8'), null);
});

/**
 * A stand-in origin: segment n is listed `everyMs` × n after it starts (`durationS` each in the
 * playlist); segment bytes say their number; each answer takes `delayMs` and honours the signal.
 */
function origin(
  everyMs: number,
  opts: {
    durationS?: number;
    delayMs?: number;
    playlist?: (text: string) => string;
    segmentStatus?: () => number;
    /** segment n's length (default 1 byte: its number); its first byte is n either way */
    segmentBytes?: (n: number) => number;
    /** answer `Range: bytes=a-b` with 206 and those bytes (default: ignore it, 200 and all) */
    ranges?: boolean;
  } = {},
) {
  const started = performance.now();
  const asked: string[] = [];
  /** each segment request's Range header (null: none) */
  const ranged: Array<string | null> = [];
  const listedAt = (n: number) => started + n * everyMs;
  let aborted = 0;
  const fetch = (async (url: string, init?: RequestInit) => {
    asked.push(url.replace(/^http:\/\/o\//, ''));
    const newest = Math.floor((performance.now() - started) / everyMs);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, opts.delayMs ?? 0);
      init?.signal?.addEventListener('abort', () => {
        clearTimeout(t);
        aborted++;
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
    if (url.endsWith('index.m3u8')) {
      const text = playlist(Math.max(0, newest - 2), Math.min(3, newest + 1), opts.durationS);
      return new Response(opts.playlist ? opts.playlist(text) : text, { status: 200 });
    }
    const n = Number(/seg(\d+)/.exec(url)![1]);
    const body = new Uint8Array(opts.segmentBytes?.(n) ?? 1).fill(n, 0, 1);
    const range = new Headers(init?.headers).get('range');
    ranged.push(range);
    const r = range && opts.ranges ? /^bytes=(\d+)-(\d+)$/.exec(range) : null;
    if (r) return new Response(body.slice(Number(r[1]), Number(r[2]) + 1), { status: 206 });
    return new Response(body, { status: opts.segmentStatus?.() ?? 200 });
  }) as typeof globalThis.fetch;
  return { asked, ranged, fetch, listedAt, aborted: () => aborted };
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** A refresh that must fetch no segment: what it does with its playlist answers alone. */
function playlistOnly(fetch: typeof globalThis.fetch, onUnreadable: () => void): HlsKeyRefresh {
  return new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    after: -1,
    keyFrameOf: () => assert.fail('no segment fetched'),
    onKeyFrame: () => assert.fail('no segment fetched'),
    onUnreadable,
    fetch,
  });
}

test('HlsKeyRefresh: each new segment fetched once and its key frame handed on, after the one hls.js showed; the playlist asked about once or twice a segment', async () => {
  const o = origin(1000, { durationS: 1 });
  const frames: Array<[number, number]> = [];
  const r = new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    after: 0,
    keyFrameOf: (segment) => Uint8Array.from([segment[0]!, 0xaa]),
    onKeyFrame: (frame, segment) => frames.push([frame[0]!, segment.sequence]),
    onUnreadable: () => assert.fail('all readable'),
    fetch: o.fetch,
  });
  r.start();
  await sleep(3500);
  r.stop();
  const n = frames.length;
  await sleep(1200);
  assert.equal(frames.length, n, 'nothing after stop');
  assert.deepEqual(
    frames.map(([, s]) => s),
    [1, 2, 3],
    'each once, in order, from the one after hls.js’s',
  );
  for (const [fromBytes, sequence] of frames) assert.equal(fromBytes, sequence, 'the newest segment’s own bytes');
  assert.equal(o.asked.filter((u) => u.startsWith('seg')).length, n, `only the newest segments: ${o.asked.join(' ')}`);
  const playlists = o.asked.filter((u) => u.startsWith('index')).length;
  assert.ok(playlists <= 2 * n + 4, `playlist asked ${playlists} times for ${n} segments: ${o.asked.join(' ')}`);
});

test('HlsKeyRefresh: slow answers do not make every next picture later (the next ask goes by when a segment was listed)', async () => {
  const o = origin(1000, { durationS: 1, delayMs: 120 });
  const lags: number[] = [];
  // what the refresh says of when each was listed, against when it was (the player resumes at live from it)
  const listingErrors: number[] = [];
  const r = new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    after: -1,
    keyFrameOf: (segment) => segment,
    onKeyFrame: (_f, segment, _bytes, listedAt) => {
      lags.push(performance.now() - o.listedAt(segment.sequence));
      listingErrors.push(listedAt - o.listedAt(segment.sequence));
    },
    onUnreadable: () => assert.fail('all readable'),
    fetch: o.fetch,
  });
  r.start();
  await sleep(7300);
  r.stop();
  const steady = lags.slice(1); // (the first is whatever was newest at the start)
  assert.ok(steady.length >= 5, `a picture a segment: ${lags.map(Math.round).join(' ')}`);
  assert.ok(Math.max(...steady) < 600, `each noticed soon after it is listed: ${steady.map(Math.round).join(' ')} ms`);
  // (a sighting is at or after the listing: the estimate errs late by a poll at most, never early)
  const errors = listingErrors.slice(1);
  assert.ok(
    errors.every((e) => e > -50 && e < 600),
    `listed when it was, within a poll: ${errors.map(Math.round).join(' ')} ms`,
  );
});

test('HlsKeyRefresh: a segment not fetched is asked for again; stop() ends a request in flight', async () => {
  let fail = true;
  const o = origin(1000, { durationS: 1, delayMs: 50, segmentStatus: () => (fail ? ((fail = false), 404) : 200) });
  const got: number[] = [];
  const r = new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    after: -1,
    keyFrameOf: (segment) => segment,
    onKeyFrame: (_f, segment) => got.push(segment.sequence),
    onUnreadable: () => assert.fail('a 404 is not unreadable'),
    fetch: o.fetch,
  });
  r.start();
  await sleep(900);
  assert.deepEqual(got, [0], `the first, after its 404: ${o.asked.join(' ')}`);
  r.stop();
  const slow = origin(1000, { delayMs: 5000 });
  const r2 = playlistOnly(slow.fetch, () => assert.fail('nothing fetched'));
  r2.start();
  await sleep(100);
  r2.stop();
  await sleep(10);
  assert.equal(slow.aborted(), 1, 'the playlist request ended');
});

test('HlsKeyRefresh: segments, or playlists, it cannot read twice running hand the pane back; an unreachable origin is asked again', async () => {
  const o = origin(300);
  let unreadable = 0;
  const r = new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    after: -1,
    keyFrameOf: () => null,
    onKeyFrame: () => assert.fail('none readable'),
    onUnreadable: () => unreadable++,
    fetch: o.fetch,
  });
  r.start();
  await sleep(2600);
  assert.equal(unreadable, 1, 'once, then it stops');
  assert.equal(o.asked.filter((u) => u.startsWith('seg')).length, 2);

  for (const change of [
    (t: string) => t.replace(/#EXTINF/g, '#EXT-X-BYTERANGE:1000@0\n#EXTINF'),
    (t: string) => t.replace('#EXT-X-MEDIA-SEQUENCE', '#EXT-X-KEY:METHOD=AES-128,URI="k"\n#EXT-X-MEDIA-SEQUENCE'),
    () => '<html>busy</html>',
  ]) {
    const odd = origin(300, { playlist: change });
    let back = 0;
    const r3 = playlistOnly(odd.fetch, () => back++);
    r3.start();
    await sleep(1300);
    r3.stop();
    assert.equal(back, 1, `handed back: ${change('#EXTINF').slice(0, 30)}`);
  }

  const down = origin(300);
  const failing = (async () => {
    down.asked.push('index.m3u8');
    throw new TypeError('Failed to fetch');
  }) as typeof globalThis.fetch;
  const r2 = playlistOnly(failing, () =>
    assert.fail('not a reason to give up: the player reconnects after 10 s of nothing'),
  );
  r2.start();
  await sleep(1500);
  r2.stop();
  assert.equal(down.asked.length, 2, `asked again a second later: ${down.asked.join(' ')}`);
});

/** A stand-in reader: segment n's key frame is its first `need(n)` bytes (null from fewer). */
const keyOfFirst = (need: (n: number) => number) => (segment: Uint8Array) =>
  segment.length >= need(segment[0]!) ? segment.subarray(0, need(segment[0]!)) : null;

test('bytesNeeded: the shortest prefix that gives the key frame (whole TS packets for TS); rangeEnd leaves room', () => {
  const reader = keyOfFirst(() => 1234);
  assert.equal(bytesNeeded(new Uint8Array(5000).fill(7, 0, 1), reader), 1234);
  const ts = new Uint8Array(188 * 30).fill(0x47, 0, 1);
  assert.equal(
    bytesNeeded(ts, (s) => (s.length >= 1000 ? s : null)),
    188 * 6,
    'rounded up to a packet',
  );
  assert.equal(
    bytesNeeded(ts, (s) => (s.length >= 188 * 30 ? s : null)),
    188 * 30,
    'all of it',
  );
  assert.equal(
    bytesNeeded(ts, () => null),
    null,
    'none in it',
  );
  for (const needed of [1, 1234, 188 * 6, 40_000]) {
    const end = rangeEnd(needed);
    assert.equal((end + 1) % 188, 0, 'whole packets');
    assert.ok(end + 1 >= needed * 1.25 + 4096 && end + 1 < needed * 1.25 + 4096 + 188, `room over ${needed}: ${end}`);
  }
});

test('HlsKeyRefresh: after a whole segment only the opening its key frame needs is fetched; a bigger key frame costs one whole fetch', async () => {
  // segments of 60 KB whose key frames need 10 KB, but segment 3's needs 20 KB (a busier scene)
  const need = (n: number) => (n === 3 ? 20_000 : 10_000);
  const o = origin(1000, { durationS: 1, segmentBytes: () => 60_000, ranges: true });
  const got: Array<[number, number]> = [];
  const r = new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    after: 0,
    keyFrameOf: keyOfFirst(need),
    onKeyFrame: (frame, segment, bytes) => {
      assert.equal(frame.length, need(segment.sequence), 'the whole key frame');
      got.push([segment.sequence, bytes]);
    },
    onUnreadable: () => assert.fail('all readable'),
    fetch: o.fetch,
  });
  r.start();
  await sleep(5500);
  r.stop();
  assert.deepEqual(
    got.map(([n]) => n),
    [1, 2, 3, 4, 5],
    'each once, in order',
  );
  const [small, big] = [rangeEnd(10_000), rangeEnd(20_000)];
  // 1 whole (learns 10 KB); 2 ranged; 3 ranged, too short, then whole (learns 20 KB); 4, 5 ranged, more
  assert.deepEqual(o.ranged, [null, `bytes=0-${small}`, `bytes=0-${small}`, null, `bytes=0-${big}`, `bytes=0-${big}`]);
  assert.deepEqual(
    got.map(([, bytes]) => bytes),
    [60_000, small + 1, 60_000, big + 1, big + 1],
    'the bytes read for each (what the pane counts)',
  );
});

test('HlsKeyRefresh: an origin that ignores ranges gets none asked again (the whole segment, as before)', async () => {
  const o = origin(1000, { durationS: 1, segmentBytes: () => 60_000 });
  const got: number[] = [];
  const r = new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    after: 0,
    keyFrameOf: keyOfFirst(() => 10_000),
    onKeyFrame: (_f, _s, bytes) => got.push(bytes),
    onUnreadable: () => assert.fail('all readable'),
    fetch: o.fetch,
  });
  r.start();
  await sleep(3500);
  r.stop();
  assert.deepEqual(got, [60_000, 60_000, 60_000], 'whole segments');
  assert.deepEqual(o.ranged, [null, `bytes=0-${rangeEnd(10_000)}`, null], 'asked once, then not');
});
