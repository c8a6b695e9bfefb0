import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  datedRecordings,
  playlistSegments,
  recordingFrom,
  startAtDate,
  startAtSecond,
} from '../../main/media/hls-dates';

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
  assert.deepEqual(playlistSegments(stitched), [
    { start: 0, duration: 2, wallMs: T0 },
    { start: 2, duration: 2, wallMs: T0 + 2000 },
    { start: 4, duration: 2, wallMs: T0 + 600_000 },
    { start: 6, duration: 1.5, wallMs: T0 + 602_000 },
  ]);
});

test('an undated segment has no date (a first date carries on from where it is); no segments or a bad duration: null', () => {
  const undatedFirst = playlistSegments(stitched.replace('#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:00:00.000Z\r\n', ''))!;
  assert.deepEqual(
    undatedFirst.map((x) => x.wallMs),
    [null, null, T0 + 600_000, T0 + 602_000],
  );
  // An undated playlist is not placed by dates, and a bad date counts as none.
  assert.equal(startAtDate(undatedFirst, T0 + 601_000), null);
  assert.equal(playlistSegments(stitched.replace('2026-11-23T08:10:00.000Z', 'yesterday'))![2]!.wallMs, null);
  assert.equal(playlistSegments('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n'), null);
  assert.equal(playlistSegments('#EXTM3U\n#EXTINF:x,\na.ts\n'), null);
});

test('a second from the start by the durations: the segment and the seconds into it; past the end, null', () => {
  const s = playlistSegments(stitched)!;
  assert.deepEqual(startAtSecond(s, 0), { segment: 0, into: 0 });
  assert.deepEqual(startAtSecond(s, 4.5), { segment: 2, into: 0.5 });
  assert.deepEqual(startAtSecond(s, 7), { segment: 3, into: 1 });
  assert.equal(startAtSecond(s, 7.5), null);
});

test('the cursor inside a segment, in a gap, and past the end', () => {
  const s = playlistSegments(stitched)!;
  assert.deepEqual(startAtDate(s, T0 + 3_000), { segment: 1, into: 1, wallMs: T0 + 3_000 });
  assert.deepEqual(startAtDate(s, T0 + 601_000), { segment: 2, into: 1, wallMs: T0 + 601_000 });
  // Between the recordings: the second one's start, and the wall time it shows.
  assert.deepEqual(startAtDate(s, T0 + 120_000), { segment: 2, into: 0, wallMs: T0 + 600_000 });
  // Before the first: the first.
  assert.deepEqual(startAtDate(s, T0 - 60_000), { segment: 0, into: 0, wallMs: T0 });
  assert.equal(startAtDate(s, T0 + 603_500), null);
});

test('from a segment on: the header, that segment without its discontinuity, to the end of its recording', () => {
  assert.equal(
    recordingFrom(stitched, 2),
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
  // The first recording ends at the discontinuity: ffmpeg stops there (it would drop the next one's pictures).
  assert.deepEqual(recordingFrom(stitched, 1).split('\n').slice(4), [
    '#EXTINF:2.000000,',
    'http://h/a1.ts',
    '#EXT-X-ENDLIST',
    '',
  ]);
  // A header's DISCONTINUITY-SEQUENCE is not a discontinuity (nor a segment's tag).
  const withSequence = stitched.replace('#EXT-X-VERSION:3', '#EXT-X-VERSION:3\r\n#EXT-X-DISCONTINUITY-SEQUENCE:4');
  assert.deepEqual(recordingFrom(withSequence, 2).split('\n').slice(0, 5), [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-DISCONTINUITY-SEQUENCE:4',
    '#EXT-X-TARGETDURATION:2',
    '#EXT-X-PLAYLIST-TYPE:VOD',
  ]);
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
  const kept = (first: number) => recordingFrom(keyed, first).split('\n').slice(2, -2);
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

test('a stitched playlist holds the recordings its dates say: one per run of segments that follow on', () => {
  assert.deepEqual(datedRecordings(playlistSegments(stitched)!), [
    { startMs: T0, endMs: T0 + 4000 },
    { startMs: T0 + 600_000, endMs: T0 + 603_500 },
  ]);
  // Dates a little off (rounding in the platform's clock) are the same recording; a jump back is another.
  const drift = [
    { start: 0, duration: 2, wallMs: T0 },
    { start: 2, duration: 2, wallMs: T0 + 2400 },
    { start: 4, duration: 2, wallMs: T0 - 60_000 },
  ];
  assert.deepEqual(datedRecordings(drift), [
    { startMs: T0, endMs: T0 + 4400 },
    { startMs: T0 - 60_000, endMs: T0 - 58_000 },
  ]);
  // Not every segment dated, or none at all: nothing said.
  assert.equal(datedRecordings([{ start: 0, duration: 2, wallMs: null }]), null);
  assert.equal(datedRecordings([]), null);
});
