/**
 * Huawei IVM §20.3: a space heat map's grey values (0–255, hotter higher) to colours. The values
 * fall into 22 buckets by the published boundaries; bucket 0 (0–11) is transparent and each other
 * bucket has one colour, from blue through cyan, green and yellow to red. Main (which checks the
 * packed values) and the renderer (which paints them over the camera's picture) share this table.
 */
export const HEAT_BOUNDARY = [
  12, 24, 35, 47, 58, 70, 82, 93, 105, 116, 128, 140, 151, 163, 174, 186, 198, 209, 221, 232, 244, 256,
] as const;

/** (R, G, B) per bucket, as the document's ARGB table has them (its A column of 255 is not used). */
export const HEAT_RGB: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0],
  [0, 0, 255],
  [0, 51, 255],
  [0, 102, 255],
  [0, 153, 255],
  [0, 204, 255],
  [0, 255, 255],
  [0, 255, 204],
  [0, 255, 153],
  [0, 255, 102],
  [0, 255, 51],
  [0, 255, 0],
  [51, 255, 0],
  [102, 255, 0],
  [153, 255, 0],
  [204, 255, 0],
  [255, 255, 0],
  [255, 204, 0],
  [255, 153, 0],
  [255, 102, 0],
  [255, 51, 0],
  [255, 0, 0],
];

/** The published fixed alpha (0x55, about a third opaque): the picture under the map stays readable. */
export const HEAT_ALPHA = 0x55;

/** The bucket of a value: the first index whose boundary is above it (values are masked to a byte first, as `& 0xFF`). */
export function heatBucket(value: number): number {
  const v = value & 0xff;
  let i = 0;
  while (i < HEAT_BOUNDARY.length && v >= HEAT_BOUNDARY[i]!) i++;
  return Math.min(i, HEAT_RGB.length - 1);
}

/** The document's result as published: packed `R*65536 + G*256 + B + 0x55000000`, or 0 for bucket 0. */
export function heatColour(value: number): number {
  const i = heatBucket(value);
  if (i === 0) return 0;
  const [r, g, b] = HEAT_RGB[i]!;
  return r * 65536 + g * 256 + b + HEAT_ALPHA * 0x1000000;
}

/**
 * RGBA bytes for a canvas `ImageData` of the grid (row-major, top row first): bucket 0 stays
 * fully transparent, the rest take the bucket's colour with `alpha`.
 */
export function heatRgba(cells: ArrayLike<number>, alpha: number = HEAT_ALPHA): Uint8ClampedArray {
  const out = new Uint8ClampedArray(cells.length * 4);
  for (let p = 0; p < cells.length; p++) {
    const i = heatBucket(cells[p]!);
    if (i === 0) continue;
    const [r, g, b] = HEAT_RGB[i]!;
    out[p * 4] = r;
    out[p * 4 + 1] = g;
    out[p * 4 + 2] = b;
    out[p * 4 + 3] = alpha;
  }
  return out;
}

/** The legend: each coloured bucket's value range (inclusive) and colour, coolest first. */
export function heatLegend(): Array<{ from: number; to: number; rgb: readonly [number, number, number] }> {
  return HEAT_RGB.slice(1).map((rgb, k) => ({ from: HEAT_BOUNDARY[k]!, to: HEAT_BOUNDARY[k + 1]! - 1, rgb }));
}
