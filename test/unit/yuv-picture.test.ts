import assert from 'node:assert/strict';
import { test } from 'node:test';
import { yuvToRgba, type YuvFrame } from '../../renderer/media/yuv-picture';

/** An I420 frame of `w`×`h` (even), rows padded to `pad` extra bytes, from per-pixel Y and per-2×2 U, V. */
function i420(w: number, h: number, Y: (x: number, y: number) => number, U: number, V: number, pad = 0) {
  const [ys, cs] = [w + pad, w / 2 + pad];
  const planes = [
    { offset: 0, stride: ys },
    { offset: ys * h, stride: cs },
    { offset: ys * h + (cs * h) / 2, stride: cs },
  ];
  const bytes = new Uint8Array(ys * h + cs * h).fill(7); // padding: never read
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) bytes[y * ys + x] = Y(x, y);
  for (let y = 0; y < h / 2; y++)
    for (let x = 0; x < w / 2; x++)
      [bytes[planes[1]!.offset + y * cs + x], bytes[planes[2]!.offset + y * cs + x]] = [U, V];
  return { bytes, frame: { format: 'I420', width: w, height: h, planes } as YuvFrame };
}

/** The same picture as NV12 (U and V interleaved in one plane). */
function nv12(w: number, h: number, Y: (x: number, y: number) => number, U: number, V: number) {
  const bytes = new Uint8Array(w * h * 1.5);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) bytes[y * w + x] = Y(x, y);
  for (let i = w * h; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [U, V];
  const planes = [
    { offset: 0, stride: w },
    { offset: w * h, stride: w },
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

test('NV12 gives what I420 gives', () => {
  const Y = (x: number, y: number) => 16 + ((x * 13 + y * 29) % 200);
  const a = i420(16, 8, Y, 100, 170);
  const b = nv12(16, 8, Y, 100, 170);
  assert.deepEqual([...yuvToRgba(b.bytes, b.frame, 5, 3)], [...yuvToRgba(a.bytes, a.frame, 5, 3)]);
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

test('odd sizes, and scaled up by nearest pixel', () => {
  const { bytes, frame } = i420(6, 4, (x) => (x < 3 ? 16 : 235), 128, 128);
  const up = yuvToRgba(bytes, { ...frame, width: 5, height: 3 }, 10, 6);
  near(pixel(up, 0), [0, 0, 0, 255], 0);
  near(pixel(up, 9), [255, 255, 255, 255], 0);
  const odd = yuvToRgba(bytes, frame, 3, 1);
  assert.equal(odd.length, 12);
});
