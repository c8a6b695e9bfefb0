import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodeRate } from '../../preload/contract';
import { videoTagKind } from '../../common/flv-tags';
import { FlvRateFilter } from '../../renderer/media/key-frames/flv-rate';
import { LONG_GOP_MS } from '../../renderer/media/budget/decode-budget';
import { assertKeyRateCut, frames, HEADER, parse, stream, tagBytes } from '../helpers/flv-tags';

/** Runs `bytes` through a filter in chunks of `chunk` bytes; `at` changes the rate before chunk i. */
function run(
  bytes: Uint8Array,
  rate: DecodeRate,
  chunk: number,
  at: Record<number, DecodeRate> = {},
  onRate?: (r: DecodeRate) => void,
): { out: Uint8Array; filter: FlvRateFilter } {
  const filter = new FlvRateFilter(rate, onRate);
  const parts: Uint8Array[] = [];
  for (let i = 0, k = 0; i < bytes.length; i += chunk, k++) {
    const change = at[k];
    if (change) filter.setRate(change);
    parts.push(filter.push(bytes.slice(i, i + chunk)));
  }
  const out = new Uint8Array(parts.reduce((s, b) => s + b.length, 0));
  let o = 0;
  for (const b of parts) {
    out.set(b, o);
    o += b.length;
  }
  return { out, filter };
}

/**
 * Pushes `bytes` (the stream helper's `tags`) through `filter` one tag a chunk, the header first;
 * `before(frame)` runs before each tag (frame −2 and −1: the script and configuration tags).
 */
function pushByTag(
  filter: FlvRateFilter,
  { bytes, tags }: ReturnType<typeof stream>,
  before: (frame: number) => void,
): Uint8Array {
  const out: Uint8Array[] = [filter.push(Uint8Array.from(HEADER))];
  let p = 13;
  tags.forEach((t, k) => {
    before(k - 2);
    const size = tagBytes(t).length;
    out.push(filter.push(bytes.slice(p, p + size)));
    p += size;
  });
  const all = new Uint8Array(out.reduce((n, b) => n + b.length, 0));
  out.reduce((at, b) => (all.set(b, at), at + b.length), 0);
  return all;
}

test('full rate passes the stream byte for byte, however it is chunked', () => {
  const { bytes } = stream(3);
  for (const chunk of [1, 7, 100, 4096, bytes.length]) {
    const { out, filter } = run(bytes, 'full', chunk);
    assert.deepEqual(out, bytes, `chunks of ${chunk}`);
    assert.deepEqual(filter.counts, { passed: 75, dropped: 0 });
  }
});

test('key rate passes each key frame and the frame after it; the gaps are closed so time stays gap-free', () => {
  const { bytes } = stream(4);
  for (const chunk of [1, 13, 333, bytes.length]) {
    const { out, filter } = run(bytes, 'key', chunk);
    assertKeyRateCut(out, chunk);
    assert.deepEqual(filter.counts, { passed: 8, dropped: 92 });
    assert.equal(filter.effective, 'key');
  }
});

test('back to full rate at the next key frame, never mid-GOP; key rate starts at once; timestamps stay monotonic', () => {
  const seen: DecodeRate[] = [];
  const filter = new FlvRateFilter('full', (r) => seen.push(r));
  // Chunks of one tag each, so "before tag k" is before frame k.
  const all = pushByTag(filter, stream(4), (frame) => {
    if (frame === 30) filter.setRate('key'); // mid-GOP: reduced from here
    if (frame === 60) filter.setRate('full'); // mid-GOP: full again from frame 75
  });
  const out = parse(all);
  const passed = frames(out).map((t) => t.n);
  const expected = [
    ...Array.from({ length: 30 }, (_, i) => i), // full 0–29
    50,
    51, // key rate: the key frame at 50 and the one after it
    ...Array.from({ length: 25 }, (_, i) => 75 + i), // full again at the key frame 75
  ];
  assert.deepEqual(passed, expected);
  assert.deepEqual(seen, ['key', 'full']);
  const ts = frames(out).map((t) => t.ts);
  for (let i = 1; i < ts.length; i++) {
    assert.ok(ts[i]! > ts[i - 1]!, `monotonic at ${i}`);
    assert.ok(ts[i]! - ts[i - 1]! <= 40, `no gap at ${i}: ${ts[i - 1]} → ${ts[i]}`);
  }
});

test('a stream with audio stays at full rate (dropping video under audio would stall the <video>)', () => {
  const { bytes } = stream(3, { audio: true });
  const { out, filter } = run(bytes, 'key', 500);
  const f = frames(parse(out));
  // The frames before the first audio tag was seen may be reduced; from the next key frame on, all pass.
  assert.deepEqual(
    f.filter((t) => t.n >= 25).map((t) => t.n),
    Array.from({ length: 50 }, (_, i) => 25 + i),
  );
  assert.equal(filter.reducible, false);
  assert.equal(filter.effective, 'full');
});

test('large and extended timestamps are rewritten in all four bytes', () => {
  const start = 0x01fffff0; // crosses into the extension byte
  const { bytes } = stream(2, { startTs: start });
  const f = frames(parse(run(bytes, 'key', 64).out));
  assert.deepEqual(
    f.map((t) => t.ts),
    [start, start + 40, start + 80, start + 120],
  );
});

test('a new connection starts a new timeline; bytes that are not FLV pass untouched', () => {
  const { bytes } = stream(2);
  const filter = new FlvRateFilter('key');
  filter.push(bytes);
  filter.reset();
  assert.equal(filter.effective, 'full');
  const again = parse(filter.push(bytes));
  assert.deepEqual(
    frames(again).map((t) => t.ts),
    [0, 40, 80, 120],
  );
  const other = new FlvRateFilter('key');
  const junk = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(other.push(junk), junk);
  assert.equal(other.reducible, false);
});

test('video tag kinds: legacy AVC/HEVC and Enhanced RTMP', () => {
  assert.equal(videoTagKind(0x17, 0), 'config'); // AVC sequence header
  assert.equal(videoTagKind(0x17, 1), 'key');
  assert.equal(videoTagKind(0x27, 1), 'inter');
  assert.equal(videoTagKind(0x1c, 1), 'key'); // HEVC (codec 12)
  assert.equal(videoTagKind(0x27, 2), 'config'); // end of sequence
  assert.equal(videoTagKind(0x50 | 7, 0), 'config'); // command frame
  assert.equal(videoTagKind(0x90, 0x68), 'config'); // Enhanced: key, SequenceStart
  assert.equal(videoTagKind(0x91, 0x68), 'key'); // Enhanced: key, CodedFrames
  assert.equal(videoTagKind(0xa3, 0x68), 'inter'); // Enhanced: inter, CodedFramesX
});

test("the camera's GOP is timed by when key frames arrive: not by timestamps (main closes them up), not the first burst, not across a hold", () => {
  const { tags } = stream(8);
  let now = 0;
  const filter = new FlvRateFilter('full', undefined, () => now);
  const gops: Array<number | null> = [];
  tags.forEach((t, k) => {
    // The server's cached GOP arrives at once (frames 0–19), then one frame every 40 ms.
    if (t.kind === 'key' || t.kind === 'inter') now = Math.max(0, t.n - 19) * 40;
    if (t.n === 120 && t.kind === 'inter') filter.setRate('none'); // held a moment (main cuts key frames too)...
    if (t.n === 125 && t.kind === 'key') return; // ...so this one never comes
    if (t.n === 140 && t.kind === 'inter') filter.setRate('full');
    filter.push(Uint8Array.from([...(k === 0 ? HEADER : []), ...tagBytes(t)]));
    if (t.kind === 'key') gops.push(filter.gopMs);
  });
  // Keys at 0 (the burst, t=0), 25 (t=240: the cached GOP's end, same burst), 50 (t=1240: the first
  // interval, from a key frame sent late), 75 (one GOP timed: not yet enough) and 100 (two); after the
  // hold 150 and 175 keep the GOP until whole ones are timed again.
  assert.deepEqual(gops, [null, null, null, null, 1000, 1000, 1000]);
  assert.equal(new FlvRateFilter('full').gopMs, null, 'no clock, no GOP');
});

test('a key frame that arrives late does not make a 1-s GOP look long; a 10-s GOP with jitter stays long', () => {
  const gopAfter = (arrivals: number[]) => {
    const { tags } = stream(1);
    const key = Uint8Array.from([...HEADER, ...tagBytes(tags.find((t) => t.kind === 'key')!)]);
    let now = 0;
    const filter = new FlvRateFilter('full', undefined, () => now);
    const tag = key.subarray(HEADER.length);
    arrivals.forEach((at, i) => {
      now = at;
      filter.push(i === 0 ? key : tag);
    });
    return filter.gopMs;
  };
  // The burst at 0, the late-sent first at 1000, then a GOP a second — one held up 1.6 s by a busy
  // page (a 2.6-s interval), the next right behind it (0.4 s).
  assert.equal(gopAfter([0, 1000, 2000, 3000, 5600]), 1000);
  assert.equal(gopAfter([0, 1000, 2000, 3000, 5600, 6000]), 1000);
  assert.equal(gopAfter([0, 1000, 2000, 3000, 5600, 6000, 7000]), 1000);
  // A 10-s GOP, one key frame 2.5 s late: still long, not the 7.5 s after it (nor the 12.5 s before).
  assert.equal(gopAfter([0, 10_000, 20_000, 32_500, 40_000]), 10_000);
  assert.ok(gopAfter([0, 10_000, 20_000, 30_000, 42_500, 50_000])! > LONG_GOP_MS, 'a smart-codec camera');
});

test('the tap gets the AVC configuration and each key frame that passes (payload after the 5-byte AVC head), at any rate and chunking', () => {
  const { bytes } = stream(3);
  for (const [rate, chunk] of [
    ['full', 7],
    ['key', 333],
    ['none', bytes.length],
  ] as const) {
    const filter = new FlvRateFilter(rate);
    const got: string[] = [];
    filter.tap = (kind, payload, ts) => got.push(`${kind}@${ts}:${[...payload].join(',')}`);
    for (let i = 0; i < bytes.length; i += chunk) filter.push(bytes.slice(i, i + chunk));
    // payload: the frame number (2 bytes) and 0xab, as the helper writes it; key frames at 0, 1 s, 2 s
    const keys = ['key@0:0,0,171', 'key@1000:0,25,171', 'key@2000:0,50,171'];
    assert.deepEqual(got, rate === 'none' ? ['config@0:0,0,171'] : ['config@0:0,0,171', ...keys], `${rate}`);
  }
});

test('the tap skips what is not legacy AVC (an Enhanced RTMP HEVC key frame) and inter frames', () => {
  const filter = new FlvRateFilter('full');
  const got: string[] = [];
  filter.tap = (kind) => got.push(kind);
  const tag = (data: number[]) => {
    const size = data.length;
    return [9, 0, 0, size, 0, 0, 0, 0, 0, 0, 0, ...data, 0, 0, 0, 11 + size];
  };
  const hevcKey = [0x90 | 1, 0x68, 0x76, 0x63, 0x31, 1, 2, 3]; // IsExHeader, key, CodedFrames, 'hvc1'
  const avcInter = [0x27, 0x01, 0, 0, 0, 9];
  filter.push(Uint8Array.from([...HEADER, ...tag(hevcKey), ...tag(avcInter)]));
  assert.deepEqual(got, []);
});

test('at key rate with the worker showing the pane, key frames go to the tap only; the video gets them again when it stops, and full rate at the next key frame, time closed up', () => {
  const filter = new FlvRateFilter('full');
  const tapped: number[] = [];
  filter.tap = (kind, payload) => kind === 'key' && tapped.push((payload[0]! << 8) | payload[1]!);
  let worker = true;
  filter.keysToVideo = () => !worker;
  const withheld: boolean[] = [];
  const all = pushByTag(filter, stream(6), (frame) => {
    if (frame === 10) filter.setRate('key');
    if (frame === 60) worker = false; // the worker failed: the video makes the pictures again
    if (frame === 80) worker = true;
    if (frame === 110) filter.setRate('full');
    if (frame === 25 || frame === 50 || frame === 75 || frame === 100 || frame === 125)
      withheld.push(filter.keysWithheld);
  });
  const out = parse(all);
  assert.deepEqual(
    frames(out).map((t) => t.n),
    [
      ...Array.from({ length: 10 }, (_, i) => i), // full 0–9
      // key rate, the worker showing it: nothing at 25 and 50
      75,
      76, // the worker stopped: the key frame and the one after, as at any key rate
      // the worker again: nothing at 100
      ...Array.from({ length: 25 }, (_, i) => 125 + i), // full again at the key frame 125
    ],
  );
  assert.deepEqual(tapped, [0, 25, 50, 75, 100, 125], 'every key frame reaches the worker');
  // (read before each key frame's tag: withheld after 25 and 50, not after 75, again after 100)
  assert.deepEqual(withheld, [false, true, true, false, true]);
  assert.equal(filter.keysWithheld, false, 'the video has the newest key frame again');
  const ts = frames(out).map((t) => t.ts);
  for (let i = 1; i < ts.length; i++) assert.ok(ts[i]! > ts[i - 1]! && ts[i]! - ts[i - 1]! <= 40, `closed up at ${i}`);
  assert.equal(filter.effective, 'full');
});

test('while the worker shows the pane, its video gets no key frame however long (what reads the pane takes its picture, key-picture.ts)', () => {
  let at = 0; // the page's clock: frame n arrives at n × 40 ms
  const filter = new FlvRateFilter('full', undefined, () => at);
  const tapped: number[] = [];
  filter.tap = (kind, payload) => kind === 'key' && tapped.push((payload[0]! << 8) | payload[1]!);
  filter.keysToVideo = () => false;
  const all = pushByTag(filter, stream(40), (frame) => {
    at = Math.max(0, frame) * 40;
    if (frame === 10) filter.setRate('key');
  });
  // full 0–9, then 39 key frames (39 s) to the worker only
  assert.deepEqual(
    frames(parse(all)).map((x) => x.n),
    Array.from({ length: 10 }, (_, i) => i),
  );
  assert.equal(tapped.length, 40, 'every key frame reaches the worker');
  assert.equal(filter.keysWithheld, true);
  assert.equal(filter.effective, 'key');
});

test('a stream opened without sound (nobody listens to the pane): its audio is dropped and it is cut like a silent one', () => {
  const { bytes } = stream(3, { audio: true });
  for (const chunk of [1, 97, 500, bytes.length]) {
    const filter = new FlvRateFilter('key');
    filter.withoutSound = true;
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += chunk) parts.push(filter.push(bytes.slice(i, i + chunk)));
    const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    parts.reduce((at, b) => (out.set(b, at), at + b.length), 0);
    const tags = parse(out);
    assert.equal(tags.filter((t) => t.kind === 'audio').length, 0, `no audio passes (chunks of ${chunk})`);
    assert.deepEqual(
      frames(tags).map((t) => t.n),
      [0, 1, 25, 26, 50, 51],
      `key frames and the frame after each (chunks of ${chunk})`,
    );
    assert.equal(filter.reducible, true);
    assert.equal(filter.effective, 'key');
  }
});
