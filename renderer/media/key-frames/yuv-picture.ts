/**
 * A decoded frame's planes (I420 or NV12, as WebCodecs' `VideoFrame.copyTo` lays them out) made
 * into an RGBA picture of a smaller size. Pure: numbers in, pixels out.
 *
 * Why not `createImageBitmap(frame, { resizeWidth, resizeHeight })`: in Chromium without a GPU it
 * took 4–7 ms of the key-frame worker per 360p frame (a whole-frame RGB conversion, then a Skia
 * scale); at 64 panes that is most of the worker's third of a core, and the pictures of a burst of
 * key frames came late. Converting only the pixels the pane shows takes ~0.5 ms (docs/benchmarks.md).
 */

export interface Plane {
  /** where the plane starts in the buffer */
  offset: number;
  /** bytes from one row to the next */
  stride: number;
}

export interface YuvFrame {
  format: 'I420' | 'NV12';
  /** the frame's visible pixels (copyTo's default rect) */
  width: number;
  height: number;
  /** Y, then U and V (I420) or interleaved UV (NV12) */
  planes: readonly Plane[];
  /** VideoColorSpace's matrix: see knownMatrix (null, a stream that says nothing: BT.601, SD cameras') */
  matrix?: string | null;
  /** full-range (JPEG) levels rather than video levels (16–235) */
  fullRange?: boolean | null;
}

/**
 * R'G'B' from Y' and the colour differences (Cb, Cr: U and V less 128, at full range):
 * R = Y + rv·Cr; G = Y − gu·Cb − gv·Cr; B = Y + bu·Cb (from Kr, Kb of ITU-R BT.601, BT.709, BT.2020).
 */
const MATRIX = {
  bt601: { rv: 1.402, gu: 0.344136, gv: 0.714136, bu: 1.772 },
  bt709: { rv: 1.5748, gu: 0.187324, gv: 0.468124, bu: 1.8556 },
  bt2020: { rv: 1.4746, gu: 0.164553, gv: 0.571353, bu: 1.8814 },
};
const MATRIX_OF: Record<string, keyof typeof MATRIX> = {
  bt709: 'bt709',
  bt470bg: 'bt601',
  smpte170m: 'bt601',
  'bt2020-ncl': 'bt2020',
};

/** Whether yuvToRgba knows this VideoColorSpace matrix (null included: BT.601); others (rgb, …) are left to the browser. */
export function knownMatrix(matrix: string | null | undefined): boolean {
  return matrix == null || matrix in MATRIX_OF;
}

/**
 * The frame scaled to `width`×`height` (each picture pixel the average of the luma it covers, the
 * chroma at its middle), as RGBA bytes written into `out` where it is large enough (one buffer
 * reused picture after picture), else a new array. Scales up too (each picture pixel the source
 * pixel it falls in): a stream with non-square pixels is shown at its display size.
 */
export function yuvToRgba(
  bytes: Uint8Array,
  f: YuvFrame,
  width: number,
  height: number,
  out?: Uint8ClampedArray<ArrayBuffer>,
): Uint8ClampedArray<ArrayBuffer> {
  const n = width * height * 4;
  const rgba = out && out.length >= n ? out.subarray(0, n) : new Uint8ClampedArray(n);
  const m = MATRIX[(f.matrix && MATRIX_OF[f.matrix]) || 'bt601'];
  // Video levels: Y 16–235 and chroma 16–240 stretched to 0–255.
  const [ys, yo, cs] = f.fullRange ? [1, 0, 1] : [255 / 219, 16, 255 / 224];
  const [y, u, v] = [f.planes[0]!, f.planes[1]!, f.planes[2]];
  const nv12 = f.format === 'NV12';
  // Each picture column's span of source columns [x0, x1), and its chroma column.
  const x0 = new Int32Array(width);
  const x1 = new Int32Array(width);
  const cx = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    x0[x] = Math.min(f.width - 1, Math.floor((x * f.width) / width));
    x1[x] = Math.max(x0[x]! + 1, Math.min(f.width, Math.floor(((x + 1) * f.width) / width)));
    // the middle source column ((x0 + x1 - 1) / 2), halved again for the half-width chroma plane
    cx[x] = (x0[x]! + x1[x]! - 1) >> 2;
  }
  let k = 0;
  for (let py = 0; py < height; py++) {
    const r0 = Math.min(f.height - 1, Math.floor((py * f.height) / height));
    const r1 = Math.max(r0 + 1, Math.min(f.height, Math.floor(((py + 1) * f.height) / height)));
    const crow = (r0 + r1 - 1) >> 2;
    for (let px = 0; px < width; px++) {
      let sum = 0;
      for (let r = r0; r < r1; r++) {
        const row = y.offset + r * y.stride;
        for (let c = x0[px]!; c < x1[px]!; c++) sum += bytes[row + c]!;
      }
      const luma = (sum / ((r1 - r0) * (x1[px]! - x0[px]!)) - yo) * ys;
      let cb: number;
      let cr: number;
      if (nv12) {
        const at = u.offset + crow * u.stride + cx[px]! * 2;
        cb = bytes[at]!;
        cr = bytes[at + 1]!;
      } else {
        cb = bytes[u.offset + crow * u.stride + cx[px]!]!;
        cr = bytes[v!.offset + crow * v!.stride + cx[px]!]!;
      }
      cb = (cb - 128) * cs;
      cr = (cr - 128) * cs;
      rgba[k] = luma + m.rv * cr;
      rgba[k + 1] = luma - m.gu * cb - m.gv * cr;
      rgba[k + 2] = luma + m.bu * cb;
      rgba[k + 3] = 255;
      k += 4;
    }
  }
  return rgba;
}
