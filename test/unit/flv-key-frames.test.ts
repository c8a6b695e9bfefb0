import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodeRate } from '../../preload/contract';
import { FlvKeyFrameCut } from '../../main/media/flv-key-frames';
import { FlvRateFilter } from '../../renderer/media/key-frames/flv-rate';
import {
  assertHeldThenBack,
  assertKeyRateCut,
  frames,
  HEADER,
  parse,
  stream,
  tagBytes,
  type Tag,
} from '../helpers/flv-tags';

/** The stream cut into the header and one piece per tag, so "before piece k + 1" is "before tag k". */
function pieces(bytes: Uint8Array, tags: Tag[]): Buffer[] {
  const out = [Buffer.from(HEADER)];
  let p = HEADER.length;
  for (const t of tags) {
    const n = tagBytes(t).length;
    out.push(Buffer.from(bytes.subarray(p, p + n)));
    p += n;
  }
  return out;
}

function through(cut: FlvKeyFrameCut, bytes: Uint8Array, chunk: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(cut.push(Buffer.from(bytes.subarray(i, i + chunk))));
  return Buffer.concat(parts);
}

const withRate = (rate: DecodeRate) => {
  const cut = new FlvKeyFrameCut();
  cut.setRate(rate);
  return cut;
};

test("main's cut: full rate passes the stream byte for byte, however it is chunked", () => {
  const { bytes } = stream(3);
  for (const chunk of [1, 7, 100, 4096, bytes.length]) {
    const cut = new FlvKeyFrameCut();
    assert.deepEqual(through(cut, bytes, chunk), Buffer.from(bytes), `chunks of ${chunk}`);
    assert.deepEqual(cut.counts, { passed: 75, dropped: 0 });
  }
});

test("main's cut: key rate passes each key frame and the frame after it, gap-free; configuration passes", () => {
  const { bytes } = stream(4);
  for (const chunk of [1, 13, 333, bytes.length]) {
    const cut = withRate('key');
    assertKeyRateCut(through(cut, bytes, chunk), chunk);
    assert.deepEqual(cut.counts, { passed: 8, dropped: 92 });
  }
});

test("main's cut: key rate at once, full again at the next key frame; extended timestamps rewritten", () => {
  const { bytes, tags } = stream(4, { startTs: 0x01fffff0 });
  const cut = new FlvKeyFrameCut();
  const out = pieces(bytes, tags).map((part, k) => {
    const frame = k - 3; // header, script, config come first
    if (frame === 30) cut.setRate('key');
    if (frame === 60) cut.setRate('full');
    return cut.push(part);
  });
  const f = frames(parse(Buffer.concat(out)));
  assert.deepEqual(
    f.map((t) => t.n),
    [...Array.from({ length: 30 }, (_, i) => i), 50, 51, ...Array.from({ length: 25 }, (_, i) => 75 + i)],
  );
  for (let i = 1; i < f.length; i++) assert.equal(f[i]!.ts - f[i - 1]!.ts, 40, `gap-free at ${i}`);
});

test("main's cut: a stream with audio is never cut; bytes that are not FLV pass untouched", () => {
  const { bytes } = stream(3, { audio: true });
  const f = frames(parse(through(withRate('key'), bytes, 500)));
  assert.deepEqual(
    f.filter((t) => t.n >= 25).map((t) => t.n),
    Array.from({ length: 50 }, (_, i) => 25 + i),
  );
  const junk = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(withRate('key').push(junk), junk);
});

test("the renderer's filter behind main's cut: nothing more to drop, and it reports the rate that arrives", () => {
  const { bytes, tags } = stream(6);
  const cut = withRate('key');
  const seen: string[] = [];
  let frame = -3; // header, script, config come first
  const filter = new FlvRateFilter('key', (r: DecodeRate) => seen.push(`${r} at ${frame}`));
  const out: Uint8Array[] = [];
  pieces(bytes, tags).forEach((part, k) => {
    frame = k - 3;
    // The pane is selected at frame 60: the renderer knows at once, main a little later (frame 80),
    // so the key frame at 75 still comes cut.
    if (frame === 60) filter.setRate('full');
    if (frame === 80) cut.setRate('full');
    out.push(filter.push(cut.push(part)));
  });
  const f = frames(parse(Buffer.concat(out)));
  assert.deepEqual(
    f.map((t) => t.n),
    [0, 1, 25, 26, 50, 51, 75, 76, ...Array.from({ length: 50 }, (_, i) => 100 + i)],
    "main's cut passes; the renderer drops nothing of it",
  );
  assert.deepEqual(filter.counts.dropped, 0);
  // Full rate is said when frames past the one after a key frame arrive (at 102), not at 75.
  assert.deepEqual(seen, ['key at 0', 'full at 102']);
  for (let i = 1; i < f.length; i++) assert.equal(f[i]!.ts - f[i - 1]!.ts, 40, `gap-free at ${i}`);
});

test('a pane held unseen: neither filter passes a frame; seen again, both resume at the next key frame, gap-free', () => {
  const { bytes, tags } = stream(4);
  for (const back of ['full', 'key'] as const) {
    const cut = new FlvKeyFrameCut();
    const seen: string[] = [];
    let frame = -3; // header, script, config come first
    const filter = new FlvRateFilter('full', (r: DecodeRate) => seen.push(`${r} at ${frame}`));
    const mainOut: Buffer[] = [];
    const pageOut: Uint8Array[] = [];
    pieces(bytes, tags).forEach((part, k) => {
      frame = k - 3;
      const rate = frame === 30 ? 'none' : frame === 60 ? back : null;
      if (rate) cut.setRate(rate);
      if (rate) filter.setRate(rate);
      mainOut.push(cut.push(part));
      pageOut.push(filter.push(part)); // the page's filter on its own (a stream main does not relay)
    });
    assertHeldThenBack(Buffer.concat(mainOut), back);
    assertHeldThenBack(Buffer.concat(pageOut), back);
    // The page says "key" as soon as it is asked (frames are cut from then on), "full" once it is.
    assert.deepEqual(seen, back === 'full' ? ['none at 30', 'full at 77'] : ['none at 30', 'key at 60']);
  }
});

test('a stream with audio is not held: it could not be without stalling the <video>', () => {
  const { bytes } = stream(3, { audio: true });
  // Audio shows after the first key frame: every frame from the next one on passes.
  const all = Array.from({ length: 50 }, (_, i) => 25 + i);
  const f = frames(parse(through(withRate('none'), bytes, 500)));
  assert.deepEqual(
    f.filter((t) => t.n >= 25).map((t) => t.n),
    all,
  );
  const filter = new FlvRateFilter('none');
  const g = frames(parse(filter.push(bytes)));
  assert.deepEqual(
    g.filter((t) => t.n >= 25).map((t) => t.n),
    all,
  );
  assert.equal(filter.reducible, false);
});

test("held unseen, as it happens: the page's filter told first, main's cut a moment later, both before the frames come back", () => {
  const { bytes, tags } = stream(4);
  const cut = new FlvKeyFrameCut();
  const filter = new FlvRateFilter('full');
  const out: Uint8Array[] = [];
  pieces(bytes, tags).forEach((part, k) => {
    const frame = k - 3; // header, script, config come first
    if (frame === 30) filter.setRate('none');
    if (frame === 35) cut.setRate('none');
    if (frame === 60) filter.setRate('full');
    if (frame === 65) cut.setRate('full');
    out.push(filter.push(cut.push(part)));
  });
  assertHeldThenBack(Buffer.concat(out), 'full');
  assert.equal(filter.counts.dropped, 5, 'the page drops what main still sent before it heard (frames 30–34)');
});

test("main's cut: a stream the page plays without sound drops its audio and is cut like a silent one", () => {
  const { bytes, tags } = stream(3, { audio: true });
  const cut = new FlvKeyFrameCut();
  const out: Buffer[] = [];
  // Told at frame 10, after some audio went by (the budget's first word comes once the pane plays).
  pieces(bytes, tags).forEach((part, k) => {
    const tag = tags[k - 1];
    if (tag?.kind === 'inter' && tag.n === 10) {
      cut.setSound(false);
      cut.setRate('key');
    }
    out.push(cut.push(part));
  });
  const got = parse(Buffer.concat(out));
  assert.equal(got.filter((t) => t.kind === 'audio' && t.n >= 10).length, 0, 'no audio once told');
  assert.ok(got.filter((t) => t.kind === 'audio' && t.n < 10).length > 0, 'the audio before passed');
  assert.deepEqual(
    frames(got).map((t) => t.n),
    [...Array.from({ length: 10 }, (_, i) => i), 25, 26, 50, 51],
  );
});
