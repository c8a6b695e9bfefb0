import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstVariant, readMediaPlaylist } from '../../common/m3u8';

// The one playlist reader both sides use: each segment's start from the playlist's first, its
// date carried on by the durations, and whether every #EXTINF can be read.

test('segments start where the durations before them end; a date carries on, a date between #EXTINF and its URI is that segment’s', () => {
  const p = readMediaPlaylist(
    [
      '#EXTM3U',
      '#EXT-X-TARGETDURATION:2',
      '#EXTINF:2.0,',
      'a.ts',
      '#EXTINF:1.5,',
      '#EXT-X-PROGRAM-DATE-TIME:2026-11-26T10:00:00.000Z',
      'b.ts',
      '#EXTINF:2,',
      'c.ts',
      '#EXTINF:2,',
    ].join('\r\n'),
  )!;
  assert.deepEqual(
    p.segments.map((s) => [s.uri, s.startS, s.dateMs === null ? null : new Date(s.dateMs).toISOString()]),
    [
      ['a.ts', 0, null],
      ['b.ts', 2, '2026-11-26T10:00:00.000Z'],
      ['c.ts', 3.5, '2026-11-26T10:00:01.500Z'],
      ['', 5.5, '2026-11-26T10:00:03.500Z'],
    ],
  );
  assert.equal(p.malformed, false);
});

test('an #EXTINF without a readable duration marks the playlist malformed; no #EXTM3U: not a playlist', () => {
  for (const bad of ['#EXTINF:-1,', '#EXTINF:abc,', '#EXTINF:', '#EXTINF'])
    assert.equal(readMediaPlaylist(`#EXTM3U\n${bad}\nx.ts\n`)!.malformed, true, bad);
  assert.equal(readMediaPlaylist('#EXTINF:2,\nx.ts\n'), null);
});

test('a master playlist’s first variant is followed; a media playlist names none', () => {
  assert.equal(
    firstVariant(
      '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlow/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2000000\nhigh/index.m3u8\n',
    ),
    'low/index.m3u8',
  );
  assert.equal(firstVariant('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nseg0.ts\n'), null);
});
