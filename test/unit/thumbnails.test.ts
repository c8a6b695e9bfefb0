import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isJpeg, keyFrameArgs, THUMB_WIDTH } from '../../main/media/thumbnails/args';
import { bucketAtLeast, bucketStart, fileOfKey, isBucket, keyOfFile, thumbKey } from '../../main/media/thumbnails/keys';
import { locate } from '../../main/media/thumbnails/locate';
import { LruIndex } from '../../main/media/thumbnails/lru';
import { identity, pictureTime, sourceRange } from '../../main/services/thumbnails';
import { THUMB_BUCKETS_MS, ThumbnailRequest } from '../../preload/contract';
import { BUCKETS_MS, filmstripSlots, hoverBucket, recordingAt, recordingNear } from '../../renderer/model/thumbnails';

const id = {
  accountId: 'acc_0000000000000001',
  channelId: 'ch:dev:0',
  kind: 'cloud' as const,
  recordingStartMs: 1_700_000_000_000,
  bucketMs: 5000,
  bucketStartMs: 1_700_000_010_000,
};

test('buckets: floored to the size, also before 1970; only the contract’s sizes', () => {
  assert.equal(bucketStart(1_700_000_012_345, 5000), 1_700_000_010_000);
  assert.equal(bucketStart(1_700_000_010_000, 5000), 1_700_000_010_000);
  assert.equal(bucketStart(-1, 1000), -1000);
  assert.throws(() => bucketStart(0, 1234), RangeError);
  assert.ok(isBucket(60_000) && !isBucket(7000));
  assert.equal(bucketAtLeast(3000), 5000);
  assert.equal(bucketAtLeast(1), 1000);
  assert.equal(bucketAtLeast(1e9), 3_600_000);
});

test('keys: stable, differ in every field, no field can run into the next, file names round-trip', () => {
  const k = thumbKey(id);
  assert.match(k, /^[0-9a-f]{40}$/);
  assert.equal(thumbKey({ ...id }), k);
  for (const change of [
    { accountId: 'acc_0000000000000002' },
    { channelId: 'ch:dev:1' },
    { kind: 'device' as const },
    { recordingStartMs: id.recordingStartMs + 1 },
    { bucketMs: 10_000 },
    { bucketStartMs: id.bucketStartMs + 5000 },
  ])
    assert.notEqual(thumbKey({ ...id, ...change }), k, JSON.stringify(change));
  // "ab"+"c" and "a"+"bc" are different identities
  assert.notEqual(
    thumbKey({ ...id, accountId: 'ab', channelId: 'c' }),
    thumbKey({ ...id, accountId: 'a', channelId: 'bc' }),
  );
  assert.equal(keyOfFile(fileOfKey(k)), k);
  assert.equal(keyOfFile(`${k}.jpg.tmp-1234`), null);
  assert.equal(keyOfFile('../etc.jpg'), null);
});

test('LRU: evicts least recently used first, a use counts, a resize trims, a load orders by time', () => {
  const lru = new LruIndex(100);
  assert.deepEqual(lru.add('a', 40), []);
  assert.deepEqual(lru.add('b', 40), []);
  assert.ok(lru.touch('a'));
  assert.deepEqual(lru.add('c', 40), ['b']);
  assert.equal(lru.totalBytes, 80);
  assert.deepEqual(lru.add('a', 10), [], 'a replaced, not counted twice');
  assert.equal(lru.totalBytes, 50);
  assert.deepEqual(lru.resize(20), ['c']);
  assert.deepEqual(lru.add('huge', 500), ['a', 'huge'], 'larger than the budget: not kept');
  assert.equal(lru.totalBytes, 0);
  assert.equal(lru.touch('nothing'), false);
  const loaded = new LruIndex(60);
  assert.deepEqual(
    loaded.load([
      { key: 'new', bytes: 30, usedMs: 3 },
      { key: 'old', bytes: 30, usedMs: 1 },
      { key: 'mid', bytes: 30, usedMs: 2 },
    ]),
    ['old'],
  );
  assert.deepEqual([loaded.size, loaded.totalBytes], [2, 60]);
  assert.throws(() => new LruIndex(-1), RangeError);
  assert.throws(() => loaded.add('x', Number.NaN), RangeError);
});

test('ffmpeg arguments: key frames only, relay protocols only, one picture, small, JPEG on stdout', () => {
  const relay = keyFrameArgs({ kind: 'relay', url: 'http://127.0.0.1:1/hls/x/1/seg.ts' });
  const at = (flag: string) => relay.indexOf(flag);
  assert.ok(at('-skip_frame') < at('-i') && relay[at('-skip_frame') + 1] === 'nokey', 'nokey is an input option');
  assert.equal(relay[at('-protocol_whitelist') + 1], 'http,tcp,crypto');
  assert.ok(!relay.includes('-ss'), 'the segment’s first key frame: no seek into MPEG-TS');
  assert.equal(relay[at('-frames:v') + 1], '1');
  assert.equal(relay[at('-vf') + 1], `scale=${THUMB_WIDTH}:-2`);
  assert.deepEqual(relay.slice(-5), ['-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1']);
  assert.equal(relay[at('-threads') + 1], '1');
  const pipe = keyFrameArgs({ kind: 'pipe', format: 'mpegts' });
  assert.equal(pipe[pipe.indexOf('-protocol_whitelist') + 1], 'pipe');
  assert.equal(pipe[pipe.indexOf('-f') + 1], 'mpegts');
  assert.equal(pipe[pipe.indexOf('-i') + 1], 'pipe:0');
  assert.ok(isJpeg(Uint8Array.of(0xff, 0xd8, 0, 0, 0xff, 0xd9)));
  assert.ok(!isJpeg(Uint8Array.of(0xff, 0xd8, 0, 0, 0xff)));
});

test('locate: by the playlist’s dates, by durations when undated, none past the end or far into a gap', () => {
  const t0 = 1_700_000_000_000;
  const dated = [
    { start: 0, duration: 2, wallMs: t0 },
    { start: 2, duration: 2, wallMs: t0 + 2000 },
    { start: 4, duration: 2, wallMs: t0 + 60_000 }, // after a gap
  ];
  assert.deepEqual(locate(dated, t0 + 2500, 0), { segment: 1, seekS: 0.5 });
  assert.deepEqual(locate(dated, t0 + 55_000, 0), { segment: 2, seekS: 0 }, 'near the next: its first picture');
  assert.equal(locate(dated, t0 + 20_000, 0), null, 'deep in a gap');
  assert.equal(locate(dated, t0 + 70_000, 0), null, 'past the end');
  const undated = dated.map((s) => ({ ...s, wallMs: null }));
  assert.deepEqual(locate(undated, t0 + 4500, t0), { segment: 2, seekS: 0.5 });
  assert.equal(locate(undated, t0 + 7000, t0), null);
});

test('requests: the bucket names the picture; its time stays inside the recording; source ranges per kind', () => {
  const req = ThumbnailRequest.parse({
    accountId: id.accountId,
    channelId: id.channelId,
    kind: 'cloud',
    atMs: 1_700_000_012_345,
    bucketMs: 60_000,
    recording: { startMs: 1_700_000_010_000, endMs: 1_700_000_070_000 },
    purpose: 'hover',
    requester: 'w1',
  });
  const i = identity(req);
  assert.equal(i.bucketStartMs, 1_699_999_980_000);
  assert.equal(i.recordingStartMs, 1_700_000_010_000);
  assert.equal(pictureTime(req, i), 1_700_000_010_000, 'the bucket began before the recording');
  assert.deepEqual(sourceRange({ req, atMs: 1_700_000_010_000, id: i }), {
    fromMs: 1_700_000_010_000,
    toMs: 1_700_000_070_000,
  });
  const device = { ...req, kind: 'device' as const };
  assert.deepEqual(sourceRange({ req: device, atMs: 1_700_000_020_000, id: identity(device) }), {
    fromMs: 1_700_000_020_000,
    toMs: 1_700_000_070_000,
  });
  const unlisted = { ...req, recording: undefined };
  const u = identity(unlisted);
  assert.equal(u.recordingStartMs % 3_600_000, 0);
  assert.equal(sourceRange({ req: unlisted, atMs: u.bucketStartMs, id: u }).toMs - u.recordingStartMs, 3_600_000);
  assert.equal(ThumbnailRequest.safeParse({ ...req, bucketMs: 7000 }).success, false);
  assert.equal(ThumbnailRequest.safeParse({ ...req, extra: 1 }).success, false);
});

test('renderer: the recording at a moment (cloud first), hover buckets by zoom, filmstrip slots at ≤ 10 minutes', () => {
  const segs = [
    { kind: 'device' as const, startMs: 0, endMs: 100_000 },
    { kind: 'cloud' as const, startMs: 50_000, endMs: 80_000 },
  ];
  assert.deepEqual(recordingAt(segs, 60_000, false), { kind: 'cloud', recording: { startMs: 50_000, endMs: 80_000 } });
  assert.deepEqual(recordingAt(segs, 10_000, false), { kind: 'device', recording: { startMs: 0, endMs: 100_000 } });
  assert.equal(recordingAt(segs, 100_000, false), null, 'the end is not in it');
  assert.deepEqual(recordingAt([], 5, true), { kind: 'cloud' }, 'unlisted: any moment');
  assert.deepEqual([...BUCKETS_MS], [...THUMB_BUCKETS_MS], 'the renderer’s copy of the contract’s sizes');
  assert.equal(hoverBucket(86_400_000, 1000), 900_000, 'a whole day');
  assert.equal(hoverBucket(600_000, 1000), 5_000, 'ten minutes');
  assert.equal(filmstripSlots({ startMs: 0, spanMs: 600_001 }, 1000), null, 'beyond ten minutes: no strip');
  const s = filmstripSlots({ startMs: 1_234, spanMs: 600_000 }, 960)!;
  assert.equal(s.stepMs, 60_000);
  assert.deepEqual(s.times.slice(0, 2), [0, 60_000], 'at bucket starts, from the one the view begins in');
  assert.ok(s.times.length <= 11);
  assert.ok(s.times.every((t) => t % s.stepMs === 0));
});

test('renderer: a short recording drawn wider than it lasts is the one under the pointer, the moment moved into it', () => {
  const segs = [
    { kind: 'device' as const, startMs: 100_000, endMs: 160_000 },
    { kind: 'cloud' as const, startMs: 400_000, endMs: 460_000 },
  ];
  assert.deepEqual(recordingNear(segs, 120_000, false, 0), {
    kind: 'device',
    recording: { startMs: 100_000, endMs: 160_000 },
    atMs: 120_000,
  });
  assert.deepEqual(
    recordingNear(segs, 250_000, false, 200_000),
    {
      kind: 'device',
      recording: { startMs: 100_000, endMs: 160_000 },
      atMs: 159_999,
    },
    'the nearer one',
  );
  assert.equal(recordingNear(segs, 250_000, false, 50_000), null, 'too far from either');
  assert.equal(recordingNear(segs, 380_000, false, 30_000)!.atMs, 400_000);
  assert.deepEqual(recordingNear([], 5, true, 0), { kind: 'cloud', atMs: 5 });
});
