import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HlsKeyRefresh, newestSegment } from '../../renderer/media/hls-key-refresh';

// A live HLS pane at key frames fetches its playlist once a segment is due and the newest segment
// only (issue 26): what it reads from a playlist, and what it asks of the origin over a few segments.

const playlist = (first: number, count: number, extra = '') =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-TARGETDURATION:1',
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    ...Array.from({ length: count }, (_, i) => [`#EXTINF:0.200,`, `seg${first + i}.ts?token=abc`]).flat(),
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
  assert.equal(newestSegment(playlist(1, 2, '#EXT-X-ENDLIST'), 'http://h/x.m3u8'), null, 'ended');
  assert.equal(newestSegment('#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n', 'http://h/x.m3u8'), null);
  assert.equal(newestSegment('#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n', 'http://h/x.m3u8'), null, 'no URI');
  assert.equal(newestSegment('<html>', 'http://h/x.m3u8'), null);
});

/** A stand-in origin: the playlist grows by a segment every `everyMs`; segment bytes say their number. */
function origin(everyMs: number, opts: { unreadableFrom?: number; failPlaylist?: boolean } = {}) {
  const started = Date.now();
  const asked: string[] = [];
  const fetch = (async (url: string) => {
    asked.push(url.replace(/^http:\/\/o\//, ''));
    const newest = Math.floor((Date.now() - started) / everyMs);
    if (url.endsWith('index.m3u8')) {
      if (opts.failPlaylist) throw new TypeError('Failed to fetch');
      return new Response(playlist(Math.max(0, newest - 2), Math.min(3, newest + 1)), { status: 200 });
    }
    const n = Number(/seg(\d+)/.exec(url)![1]);
    return new Response(Uint8Array.from([n]), { status: 200 });
  }) as typeof globalThis.fetch;
  return { asked, fetch };
}

test('HlsKeyRefresh: each new segment fetched once and its key frame handed on; the playlist asked about once a segment', async () => {
  const o = origin(1000);
  const frames: Array<[number, number]> = [];
  const r = new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    keyFrameOf: (segment) => Uint8Array.from([segment[0]!, 0xaa]),
    onKeyFrame: (frame, sequence) => frames.push([frame[0]!, sequence]),
    onUnreadable: () => assert.fail('all readable'),
    fetch: o.fetch,
  });
  r.start();
  await new Promise((res) => setTimeout(res, 3500));
  r.stop();
  const n = frames.length;
  await new Promise((res) => setTimeout(res, 1200));
  assert.equal(frames.length, n, 'nothing after stop');
  assert.ok(n >= 3 && n <= 4, `a key frame a segment: ${JSON.stringify(frames)}`);
  for (const [fromBytes, sequence] of frames) assert.equal(fromBytes, sequence, 'the newest segment’s own bytes');
  assert.deepEqual(
    frames.map(([, s]) => s),
    [...new Set(frames.map(([, s]) => s))].sort((a, b) => a - b),
    'each once, in order',
  );
  const segments = o.asked.filter((u) => u.startsWith('seg'));
  assert.equal(segments.length, n, `only the newest segments: ${o.asked.join(' ')}`);
  const playlists = o.asked.length - segments.length;
  assert.ok(playlists <= 2 * n + 1, `playlist asked ${playlists} times for ${n} segments`);
});

test('HlsKeyRefresh: segments that give no key frame twice running hand the pane back; an unreachable origin is asked again', async () => {
  const o = origin(300);
  let unreadable = 0;
  const r = new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    keyFrameOf: () => null,
    onKeyFrame: () => assert.fail('none readable'),
    onUnreadable: () => unreadable++,
    fetch: o.fetch,
  });
  r.start();
  await new Promise((res) => setTimeout(res, 2600));
  assert.equal(unreadable, 1, 'once, then it stops');
  assert.equal(o.asked.filter((u) => u.startsWith('seg')).length, 2);

  const down = origin(300, { failPlaylist: true });
  const r2 = new HlsKeyRefresh({
    playlistUrl: 'http://o/index.m3u8',
    keyFrameOf: () => assert.fail('nothing fetched'),
    onKeyFrame: () => assert.fail('nothing fetched'),
    onUnreadable: () => assert.fail('not a reason to give up: the player reconnects after 10 s of nothing'),
    fetch: down.fetch,
  });
  r2.start();
  await new Promise((res) => setTimeout(res, 1500));
  r2.stop();
  assert.equal(down.asked.length, 2, `asked again a second later: ${down.asked.join(' ')}`);
});
