import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownMatrix, yuvToRgba, type YuvFrame } from '../../renderer/media/key-frames/yuv-picture';

/** Per-pixel Y, and U, V per 2×2 block (x, y: the block's top-left pixel). */
type Plane = (x: number, y: number) => number;
const flat =
  (v: number): Plane =>
  () =>
    v;

/** An I420 frame of `w`×`h` (odd sizes: chroma rounded up), rows padded by `pad` bytes the picture never reads (255). */
function i420(w: number, h: number, Y: Plane, U: Plane | number, V: Plane | number, pad = 0) {
  const [u, v] = [typeof U === 'number' ? flat(U) : U, typeof V === 'number' ? flat(V) : V];
  const [cw, ch] = [Math.ceil(w / 2), Math.ceil(h / 2)];
  const [ys, cs] = [w + pad, cw + pad];
  const planes = [
    { offset: 0, stride: ys },
    { offset: ys * h, stride: cs },
    { offset: ys * h + cs * ch, stride: cs },
  ];
  // (no byte after the last plane: a read past it would be undefined → NaN → 0 in the picture)
  const bytes = new Uint8Array(ys * h + 2 * cs * ch - pad).fill(255);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) bytes[y * ys + x] = Y(x, y);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      bytes[planes[1]!.offset + y * cs + x] = u(2 * x, 2 * y);
      bytes[planes[2]!.offset + y * cs + x] = v(2 * x, 2 * y);
    }
  return { bytes, frame: { format: 'I420', width: w, height: h, planes } as YuvFrame };
}

/** The same picture as NV12 (U and V interleaved in one plane). */
function nv12(w: number, h: number, Y: Plane, U: Plane, V: Plane) {
  const [cw, ch] = [Math.ceil(w / 2), Math.ceil(h / 2)];
  const bytes = new Uint8Array(w * h + 2 * cw * ch);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) bytes[y * w + x] = Y(x, y);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++)
      [bytes[w * h + y * 2 * cw + 2 * x], bytes[w * h + y * 2 * cw + 2 * x + 1]] = [U(2 * x, 2 * y), V(2 * x, 2 * y)];
  const planes = [
    { offset: 0, stride: w },
    { offset: w * h, stride: 2 * cw },
  ];
  return { bytes, frame: { format: 'NV12', width: w, height: h, planes } as YuvFrame };
}

const pixel = (rgba: Uint8ClampedArray, i = 0) => [...rgba.subarray(i * 4, i * 4 + 4)];
const near = (got: number[], want: number[], tol = 2) =>
  assert.ok(
    got.every((v, i) => Math.abs(v - want[i]!) <= tol),
    `${JSON.stringify(got)} is not ${JSON.stringify(want)}`,
  );

test('video-level white, black and grey (BT.601, the default): 235 → 255, 16 → 0', () => {
  for (const [Y, want] of [
    [235, 255],
    [16, 0],
    [126, 128],
  ] as const) {
    const { bytes, frame } = i420(8, 4, () => Y, 128, 128);
    const out = yuvToRgba(bytes, frame, 4, 2);
    assert.equal(out.length, 4 * 2 * 4);
    for (let i = 0; i < 8; i++) near(pixel(out, i), [want, want, want, 255]);
  }
});

test("primaries by each matrix: BT.601's and BT.709's coding of pure red, green and blue", () => {
  // Y'CbCr of the primaries at video levels (ITU-R BT.601 and BT.709 tables, rounded).
  const cases: Array<[string | null, [number, number, number], number[]]> = [
    [null, [81, 90, 240], [255, 0, 0]],
    ['smpte170m', [145, 54, 34], [0, 255, 0]],
    ['bt470bg', [41, 240, 110], [0, 0, 255]],
    ['bt709', [63, 102, 240], [255, 0, 0]],
    ['bt709', [173, 42, 26], [0, 255, 0]],
    ['bt709', [32, 240, 118], [0, 0, 255]],
  ];
  for (const [matrix, [Y, U, V], rgb] of cases) {
    const { bytes, frame } = i420(4, 4, () => Y, U, V);
    near(pixel(yuvToRgba(bytes, { ...frame, matrix }, 2, 2)), [...rgb, 255], 3);
  }
});

test('full-range levels: 0 and 255 are black and white', () => {
  for (const [Y, want] of [
    [255, 255],
    [0, 0],
  ] as const) {
    const { bytes, frame } = i420(4, 4, () => Y, 128, 128);
    near(pixel(yuvToRgba(bytes, { ...frame, fullRange: true }, 2, 2)), [want, want, want, 255], 0);
  }
});

/** Chroma that differs block by block: a wrong chroma row, column or interleave shows. */
const U: Plane = (x, y) => 60 + ((x * 7 + y * 13) % 140);
const V: Plane = (x, y) => 200 - ((x * 11 + y * 5) % 150);

test('NV12 gives what I420 gives, chroma block by block', () => {
  const Y: Plane = (x, y) => 16 + ((x * 13 + y * 29) % 200);
  for (const [w, h, pw, ph] of [
    [16, 8, 5, 3],
    [16, 8, 16, 8],
    [15, 9, 15, 9],
    [15, 9, 4, 3],
  ] as const) {
    const a = i420(w, h, Y, U, V);
    const b = nv12(w, h, Y, U, V);
    assert.deepEqual([...yuvToRgba(b.bytes, b.frame, pw, ph)], [...yuvToRgba(a.bytes, a.frame, pw, ph)], `${w}×${h}`);
  }
});

test('at its own size each pixel is its own Y with the U, V of its 2×2 block (odd sizes too: nothing read past a plane)', () => {
  const Y: Plane = (x, y) => 30 + ((x * 17 + y * 31) % 190);
  for (const [w, h] of [
    [6, 4],
    [7, 5],
    [1, 1],
  ] as const) {
    const { bytes, frame } = i420(w, h, Y, U, V, 3);
    const out = yuvToRgba(bytes, frame, w, h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const [l, cb, cr] = [
          ((Y(x, y) - 16) * 255) / 219,
          ((U(x & ~1, y & ~1) - 128) * 255) / 224,
          ((V(x & ~1, y & ~1) - 128) * 255) / 224,
        ];
        const want = [l + 1.402 * cr, l - 0.344136 * cb - 0.714136 * cr, l + 1.772 * cb].map((c) =>
          Math.round(Math.min(255, Math.max(0, c))),
        );
        near(pixel(out, y * w + x), [...want, 255], 1);
      }
  }
});

test('each picture pixel is the average of the luma it covers: fine stripes become grey, not one stripe', () => {
  // 1-pixel black and white columns, 640×360 to 200×112: nearest-pixel scaling would give some
  // columns all white and others all black (aliasing); averaging the 3 or 4 columns each covers
  // gives greys between a third and two thirds of white.
  const { bytes, frame } = i420(640, 360, (x) => (x % 2 ? 235 : 16), 128, 128, 32);
  const out = yuvToRgba(bytes, frame, 200, 112);
  for (let i = 0; i < 200 * 112; i++) {
    const [r] = pixel(out, i);
    assert.ok(r! >= 80 && r! <= 175, `pixel ${i}: ${r}`);
  }
  // A left half black and a right half white stay where they are.
  const halves = i420(64, 32, (x) => (x < 32 ? 16 : 235), 128, 128);
  const small = yuvToRgba(halves.bytes, halves.frame, 8, 4);
  for (let y = 0; y < 4; y++) {
    near(pixel(small, y * 8 + 3), [0, 0, 0, 255], 0);
    near(pixel(small, y * 8 + 4), [255, 255, 255, 255], 0);
  }
});

test('the buffer given is written and reused; one too small is not', () => {
  const { bytes, frame } = i420(8, 8, () => 235, 128, 128);
  const buffer = new Uint8ClampedArray(new ArrayBuffer(4 * 4 * 4 * 2));
  const out = yuvToRgba(bytes, frame, 4, 4, buffer);
  assert.equal(out.buffer, buffer.buffer);
  assert.equal(out.length, 64);
  const bigger = yuvToRgba(bytes, frame, 8, 8, buffer);
  assert.notEqual(bigger.buffer, buffer.buffer);
  assert.equal(bigger.length, 256);
});

test('scaled up (non-square pixels): each picture pixel is the source pixel it falls in', () => {
  const { bytes, frame } = i420(6, 4, (x) => (x < 3 ? 16 : 235), 128, 128);
  const up = yuvToRgba(bytes, frame, 12, 4);
  for (let y = 0; y < 4; y++)
    for (let x = 0; x < 12; x++) near(pixel(up, y * 12 + x), x < 6 ? [0, 0, 0, 255] : [255, 255, 255, 255], 0);
});

test('BT.2020 known; matrices yuvToRgba does not know are left to the browser', () => {
  const { bytes, frame } = i420(4, 4, () => 74, 97, 240); // BT.2020 red at video levels
  near(pixel(yuvToRgba(bytes, { ...frame, matrix: 'bt2020-ncl' }, 2, 2)), [255, 0, 0, 255], 3);
  assert.equal(knownMatrix(null), true);
  assert.equal(knownMatrix('bt709'), true);
  assert.equal(knownMatrix('smpte170m'), true);
  assert.equal(knownMatrix('rgb'), false);
  assert.equal(knownMatrix('smpte240m'), false);
});
