import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { AppError } from '../../main/errors';
import type { PlaybackSource } from '../../main/platforms/platform';
import { unlistedRecordings } from '../../main/media/unlisted-recordings';

// Where a platform lists no recordings (Alibaba VCS), the range's HLS playlist says where they
// are: by its dates, else one recording from the range's start as long as its durations; a master
// playlist is followed to its media playlist; a stream (FLV) or a non-http address is refused.

const T0 = Date.parse('2026-11-23T08:00:00.000Z');
const dated = [
  '#EXTM3U',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-PLAYLIST-TYPE:VOD',
  '#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:00:00.000Z',
  '#EXTINF:2.0,',
  'a0.ts',
  '#EXTINF:2.0,',
  'a1.ts',
  '#EXT-X-DISCONTINUITY',
  '#EXT-X-PROGRAM-DATE-TIME:2026-11-23T08:05:00.000Z',
  '#EXTINF:2.0,',
  'b0.ts',
  '#EXT-X-ENDLIST',
  '',
].join('\n');
const undated = dated.replace(/#EXT-X-PROGRAM-DATE-TIME:[^\n]*\n/g, '');
const master = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nmedia/dated.m3u8\n';

let server: http.Server;
let base: string;
before(async () => {
  server = http.createServer((req, res) => {
    const body = { '/dated.m3u8': dated, '/undated.m3u8': undated, '/master.m3u8': master }[req.url ?? ''];
    const media = req.url === '/media/dated.m3u8' ? dated : body;
    if (media === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(media);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const read = () => ({ signal: new AbortController().signal, connectMs: 5000, idleMs: 5000, onProgress: () => {} });
const platform = (source: PlaybackSource, asked: Array<[number, number]> = []) => ({
  playbackSource: async (_c: string, _k: 'cloud' | 'device', startMs: number, endMs: number) => {
    asked.push([startMs, endMs]);
    return source;
  },
});

test('a dated playlist: one recording per run of dates, those outside the range left out', async () => {
  const asked: Array<[number, number]> = [];
  const all = await unlistedRecordings(
    platform({ protocol: 'hls', url: `${base}/dated.m3u8` }, asked),
    'ch',
    'cloud',
    T0 - 60_000,
    T0 + 3600_000,
    { read: read() },
  );
  assert.deepEqual(all, [
    { kind: 'cloud', startMs: T0, endMs: T0 + 4000 },
    { kind: 'cloud', startMs: T0 + 300_000, endMs: T0 + 302_000 },
  ]);
  assert.deepEqual(asked, [[T0 - 60_000, T0 + 3600_000]]);
  const later = await unlistedRecordings(
    platform({ protocol: 'hls', url: `${base}/master.m3u8` }),
    'ch',
    'device',
    T0 + 10_000,
    T0 + 3600_000,
    { read: read() },
  );
  assert.deepEqual(later, [{ kind: 'device', startMs: T0 + 300_000, endMs: T0 + 302_000 }], 'through the master');
});

test('an undated playlist is one recording from the range asked, as long as its durations', async () => {
  const all = await unlistedRecordings(
    platform({ protocol: 'hls', url: `${base}/undated.m3u8` }),
    'ch',
    'cloud',
    T0,
    T0 + 3600_000,
    { read: read() },
  );
  assert.deepEqual(all, [{ kind: 'cloud', startMs: T0, endMs: T0 + 6000 }]);
});

test('a stream, a file address or a missing playlist: refused in words', async () => {
  const ask = (source: PlaybackSource) =>
    unlistedRecordings(platform(source), 'ch', 'cloud', T0, T0 + 60_000, { read: read() });
  await assert.rejects(ask({ protocol: 'flv', url: `${base}/live.flv` }), (e: AppError) => {
    assert.equal(e.code, 'NOT_AVAILABLE');
    assert.match(e.message, /lists no recordings/);
    return true;
  });
  await assert.rejects(ask({ protocol: 'hls', url: 'file:///etc/passwd' }), /not an http\(s\) address/);
  await assert.rejects(ask({ protocol: 'hls', url: `${base}/gone.m3u8` }), AppError);
  await assert.rejects(unlistedRecordings({}, 'ch', 'cloud', T0, T0 + 1, { read: read() }), /offers no recorded video/);
});
