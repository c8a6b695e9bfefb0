import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flvTag, flvHeader } from '../../main/media/flv-hevc';
import { FlvVideoClock } from '../../main/media/transcode/flv-output';
import { LiveEdge, STALE_SOURCE_MS } from '../../main/media/transcode/live-edge';

// Issue 24: main keeps a live transcode near the live edge, in the camera's own time (LiveEdge),
// and reads from ffmpeg's FLV output how far it got (FlvVideoClock).

const isKey = (i: number) => i % 25 === 0;

/** ffmpeg as the edge sees it: it hands a picture on `serviceMs` after it could start on it (once the next came). */
function run(o: {
  frames: number;
  serviceMs: (i: number) => number;
  arrive?: (i: number) => number;
  media?: (i: number) => number;
}) {
  const edge = new LiveEdge();
  const arrive = o.arrive ?? ((i: number) => i * 40);
  const media = o.media ?? ((i: number) => i * 40);
  const written: number[] = [];
  const outs: Array<{ at: number; media: number; i: number }> = [];
  let busyUntil = 0;
  const verdicts: string[] = [];
  for (let i = 0; i < o.frames; i++) {
    const now = arrive(i);
    // pictures ffmpeg finished before now
    for (const out of outs.filter((x) => x.at <= now)) edge.output(out.media, out.at);
    outs.splice(0, outs.filter((x) => x.at <= now).length);
    const v = edge.accept({ mediaMs: media(i), keyframe: isKey(i) }, 0, now);
    verdicts.push(v);
    if (v !== 'write') continue;
    // the previous written picture can be handed on now that this one came
    const prev = written.at(-1);
    written.push(i);
    if (prev !== undefined) {
      busyUntil = Math.max(busyUntil, now) + o.serviceMs(prev);
      outs.push({ at: busyUntil, media: media(prev), i: prev });
      outs.sort((a, b) => a.at - b.at);
    }
  }
  return { edge, written, verdicts };
}

test('a transcode keeping up gets every picture', () => {
  const { edge, written } = run({ frames: 250, serviceMs: () => 8 });
  assert.equal(written.length, 250);
  assert.equal(edge.dropped, 0);
});

test('a starved ffmpeg gets key frames (and the picture after each) instead of every picture late', () => {
  // 400 ms a picture: a tenth of the camera's pace.
  const { written, edge } = run({ frames: 500, serviceMs: () => 400 });
  assert.ok(edge.dropped > 350, `${edge.dropped} dropped`);
  const late = written.filter((i) => i >= 100);
  // From then on only GOP starts go in: a key frame and the one after it.
  assert.ok(
    late.every((i) => i % 25 <= 1),
    `written after the start: ${late.join(' ')}`,
  );
  assert.ok(late.filter(isKey).length >= 10, 'a fresh key frame most seconds');
});

test('given its CPU back, the transcode returns to every picture', () => {
  const { written } = run({ frames: 750, serviceMs: (i) => (i < 250 ? 400 : 8) });
  const tail = written.filter((i) => i >= 500);
  assert.equal(tail.length, 250, 'the last 10 s: every picture');
});

test('a burst of old pictures after a stall is skipped up to a key frame near live', () => {
  // Pictures 100–174 (3 s) arrive at once at 7 s: the camera's uplink froze and then flushed.
  const arrive = (i: number) => (i < 100 ? i * 40 : i < 175 ? 7000 + (i - 100) : i * 40);
  const { written, verdicts } = run({ frames: 300, serviceMs: () => 5, arrive });
  assert.ok(
    verdicts.slice(100, 150).every((v) => v === 'drop'),
    'the pictures 1–3 s behind are dropped',
  );
  const resumed = written.find((i) => i >= 100)!;
  assert.ok(isKey(resumed), `resumed at ${resumed}`);
  assert.ok(resumed >= 150, `resumed at ${resumed}, within a second of live`);
});

test('a source that stays behind live is given up as stale; a camera clock a little slow is not', () => {
  // Fine for 5 s, then every picture arrives 3 s late, for good.
  const arrive = (i: number) => i * 40 + (i >= 125 ? 3000 : 0);
  const { verdicts } = run({ frames: 125 + Math.ceil(STALE_SOURCE_MS / 40) + 50, serviceMs: () => 5, arrive });
  assert.equal(verdicts.at(-1), 'stale');
  assert.ok(!verdicts.slice(0, 125 + 240).includes('stale'), 'not before STALE_SOURCE_MS');
  // A camera whose clock runs 0.1 % slow: an hour of pictures, none dropped.
  const slow = run({ frames: 90_000, serviceMs: () => 5, media: (i) => i * 40 * 0.999 });
  assert.equal(slow.edge.dropped, 0);
});

test("ffmpeg's FLV output: the timestamps of its coded pictures, whatever the chunking", () => {
  const avc = (type: number) => Uint8Array.from([0x17, type, 0, 0, 0, 1, 2, 3]);
  const bytes = Buffer.concat([
    flvHeader(),
    flvTag(9, 0, avc(0)), // sequence header: not a picture
    flvTag(18, 0, Uint8Array.from([2, 0, 1, 65])),
    flvTag(9, 1000, avc(1)),
    flvTag(8, 1010, Uint8Array.from([0xaf, 1, 9])),
    flvTag(9, 0x1234567, avc(1)),
  ]);
  for (const size of [1, 7, 64, bytes.length]) {
    const clock = new FlvVideoClock();
    const seen: number[] = [];
    for (let at = 0; at < bytes.length; at += size) {
      const t = clock.push(bytes.subarray(at, at + size));
      if (t !== null && t !== seen.at(-1)) seen.push(t);
    }
    // Each push says the newest picture it completed: never the sequence header's, never audio's.
    assert.equal(seen.at(-1), 0x1234567, `chunks of ${size}`);
    assert.ok(
      seen.every((t) => t === 1000 || t === 0x1234567),
      `chunks of ${size}: ${seen.join(' ')}`,
    );
    if (size === 1) assert.deepEqual(seen, [1000, 0x1234567]);
  }
});
