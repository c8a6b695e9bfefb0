/**
 * The simulator's clock strip: 24 black/white 16×16 blocks in the top-left corner, bit k =
 * bit k of (epoch ms mod 2^24), least significant first. Decoding it from a frame on screen gives
 * true glass-to-glass latency. Pure: works on RGBA pixels of the strip region.
 */
export const STRIP_BITS = 24;
export const STRIP_BLOCK = 16;
const MOD = 2 ** STRIP_BITS;

/**
 * `rgba` is the strip region (width = 24 × block px, any height ≥ block) as RGBA bytes;
 * `blockPx` is the block size in those pixels (16 at the source resolution).
 * Returns null when the region does not look like a strip (no clear black/white).
 */
export function decodeStrip(rgba: Uint8ClampedArray, width: number, blockPx: number = STRIP_BLOCK): number | null {
  let value = 0;
  const y = Math.floor(blockPx / 2);
  for (let k = 0; k < STRIP_BITS; k++) {
    const x = Math.floor(k * blockPx + blockPx / 2);
    const i = (y * width + x) * 4;
    const luma = 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
    if (luma > 80 && luma < 175) return null; // grey: not a strip, or a frame mid-blend
    if (luma >= 175) value += 2 ** k;
  }
  return value;
}

/** Latency in ms between a strip value and `nowMs`, handling the 2^24 ms (~4.6 h) wrap. */
export function stripLatencyMs(stripValue: number, nowMs: number): number {
  return ((((nowMs % MOD) - stripValue) % MOD) + MOD) % MOD;
}

/** Draws the strip region of `video` into `canvas` and decodes it; null if unreadable. */
export function readStripFromVideo(video: HTMLVideoElement, canvas: HTMLCanvasElement): number | null {
  if (!video.videoWidth) return null;
  const w = STRIP_BITS * STRIP_BLOCK;
  canvas.width = w;
  canvas.height = STRIP_BLOCK;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(video, 0, 0, w, STRIP_BLOCK, 0, 0, w, STRIP_BLOCK);
  return decodeStrip(ctx.getImageData(0, 0, w, STRIP_BLOCK).data, w);
}
