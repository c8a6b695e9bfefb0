import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datedSegments, fromSegment, startAtDate } from '../../main/media/hls-dates';

// A platform's playback playlist over two recordings (Tencent E35 / Alibaba GetDeviceVideoUrl
// style): each recording opens with a discontinuity and its own date.
const T0 = Date.parse('2026-11-23T08:00:00.000Z');
const stitched = [
  '#EXTM3U',
  '#EXT-X-VERSION:3',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-PLAYLIST-TYPE:VOD',
  '#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:00:00.000Z',
  '#EXTINF:2.000000,',
  'http://h/a0.ts',
  '#EXTINF:2.000000,',
  'http://h/a1.ts',
  '#EXT-X-DISCONTINUITY',
  '#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:10:00.000Z',
  '#EXTINF:2.000000,',
  'http://h/b0.ts',
  '#EXTINF:1.500000,',
  'http://h/b1.ts',
  '#EXT-X-ENDLIST',
].join('\r\n');

test('a date carries on to the following segments by their durations; the next date resets it', () => {
  assert.deepEqual(datedSegments(stitched), [
    { start: 0, duration: 2, wallMs: T0 },
    { start: 2, duration: 2, wallMs: T0 + 2000 },
    { start: 4, duration: 2, wallMs: T0 + 600_000 },
    { start: 6, duration: 1.5, wallMs: T0 + 602_000 },
  ]);
});

test('a playlist with an undated segment, a bad date or none at all is not dated', () => {
  assert.equal(datedSegments(stitched.replace('#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:00:00.000Z\r\n', '')), null);
  assert.equal(datedSegments(stitched.replace('2026-11-23T08:10:00.000Z', 'yesterday')), null);
  assert.equal(datedSegments('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n'), null);
});

test('the cursor inside a segment, in a gap, and past the end', () => {
  const s = datedSegments(stitched)!;
  assert.deepEqual(startAtDate(s, T0 + 3_000), { segment: 1, into: 1, wallMs: T0 + 3_000 });
  assert.deepEqual(startAtDate(s, T0 + 601_000), { segment: 2, into: 1, wallMs: T0 + 601_000 });
  // Between the recordings: the second one's start, and the wall time it shows.
  assert.deepEqual(startAtDate(s, T0 + 120_000), { segment: 2, into: 0, wallMs: T0 + 600_000 });
  // Before the first: the first.
  assert.deepEqual(startAtDate(s, T0 - 60_000), { segment: 0, into: 0, wallMs: T0 });
  assert.equal(startAtDate(s, T0 + 603_500), null);
});

test('from a segment on: the header, that segment without its discontinuity, the rest and the end list', () => {
  assert.equal(
    fromSegment(stitched, 2),
    [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-PLAYLIST-TYPE:VOD',
      '#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:10:00.000Z',
      '#EXTINF:2.000000,',
      'http://h/b0.ts',
      '#EXTINF:1.500000,',
      'http://h/b1.ts',
      '#EXT-X-ENDLIST',
      '',
    ].join('\n'),
  );
  assert.equal(fromSegment(stitched, 0), stitched.replace(/\r\n/g, '\n') + '\n');
});

test('the key and init section of a dropped segment still apply to the first one kept, unless it has its own', () => {
  const keyed = [
    '#EXTM3U',
    '#EXT-X-TARGETDURATION:2',
    '#EXT-X-MAP:URI="http://h/init.mp4"',
    '#EXT-X-KEY:METHOD=AES-128,URI="http://h/k1"',
    '#EXTINF:2,',
    'http://h/s0.m4s',
    '#EXT-X-KEY:METHOD=AES-128,URI="http://h/k2"',
    '#EXTINF:2,',
    'http://h/s1.m4s',
    '#EXTINF:2,',
    'http://h/s2.m4s',
    '#EXT-X-KEY:METHOD=AES-128,URI="http://h/k3"',
    '#EXTINF:2,',
    'http://h/s3.m4s',
  ].join('\n');
  const kept = (first: number) => fromSegment(keyed, first).split('\n').slice(2, -1);
  assert.deepEqual(kept(2), [
    '#EXT-X-MAP:URI="http://h/init.mp4"',
    '#EXT-X-KEY:METHOD=AES-128,URI="http://h/k2"',
    '#EXTINF:2,',
    'http://h/s2.m4s',
    '#EXT-X-KEY:METHOD=AES-128,URI="http://h/k3"',
    '#EXTINF:2,',
    'http://h/s3.m4s',
  ]);
  assert.deepEqual(kept(3), [
    '#EXT-X-MAP:URI="http://h/init.mp4"',
    '#EXT-X-KEY:METHOD=AES-128,URI="http://h/k3"',
    '#EXTINF:2,',
    'http://h/s3.m4s',
  ]);
});
