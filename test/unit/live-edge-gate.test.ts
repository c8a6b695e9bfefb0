import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveEdgeGate } from '../../main/media/transcoder';

// A GOP of 25 pictures, 4 KB each, 100 KB/s: the gate's threshold is max(64 KiB, one second of bytes).
const gop = (n: number) => Array.from({ length: n }, (_, i) => ({ keyframe: i % 25 === 0, size: 4000 }));

test('a transcode keeping up writes every picture', () => {
  let t = 0;
  const gate = new LiveEdgeGate(() => t);
  for (const f of gop(100)) {
    assert.equal(gate.accept(f, 8000), true);
    t += 40;
  }
  assert.equal(gate.dropped, 0);
});

test('ffmpeg behind by more than a second: pictures dropped up to the next key frame, then written again', () => {
  let t = 0;
  const gate = new LiveEdgeGate(() => t);
  const frames = gop(75);
  const written: number[] = [];
  frames.forEach((f, i) => {
    // The pipe backs up during pictures 30–34 (ffmpeg starved), then drains.
    const queued = i >= 30 && i < 35 ? 400_000 : 1000;
    if (gate.accept(f, queued)) written.push(i);
    t += 40;
  });
  assert.deepEqual(
    written.filter((i) => i >= 29 && i <= 51),
    [29, 50, 51],
    'from the backlog to the next key frame (50) nothing goes to ffmpeg: a P-frame after a gap would not decode',
  );
  assert.equal(gate.dropped, 20);
  assert.equal(written.length, 75 - 20);
});

test('a key frame that arrives while still behind is dropped too; the first one after the backlog resumes', () => {
  let t = 0;
  const gate = new LiveEdgeGate(() => t);
  const accepted = gop(60).map((f, i) => {
    t += 40;
    return gate.accept(f, i >= 10 && i <= 26 ? 500_000 : 0);
  });
  assert.equal(accepted[25], false, 'key frame 25 came while the pipe still held half a megabyte');
  assert.equal(accepted[49], false);
  assert.equal(accepted[50], true, 'key frame 50 restarts the picture');
});
