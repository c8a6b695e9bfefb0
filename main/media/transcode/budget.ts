import os from 'node:os';

// The transcode budget's geometry: what a transcode is charged in cores and the box it is made at. Pure.

/**
 * Cores one 640×360 25-fps transcode takes (HEVC decode + x264 ultrafast + FLV demux), measured
 * on the 2-core build machine: 6–11 % of a core per 360p pane (`npm run bench -- wall --codec h265`);
 * charged at 0.15 to leave room for the renderer decoding what comes out.
 */
export const CORES_PER_360P25 = 0.15;
const REF_PIXEL_RATE = 640 * 360 * 25;
export const MAX_FPS = 25;

/** Default budget: half the machine's cores (the other half decodes and draws), at least half a core. */
export function defaultBudgetCores(cpus = os.cpus().length): number {
  return Math.max(0.5, cpus / 2);
}

/** Estimated cores for a transcode to w×h at fps (pixel rate relative to 360p25). */
export function costCores(width: number, height: number, fps = MAX_FPS): number {
  return Math.round(((CORES_PER_360P25 * width * height * Math.min(fps, MAX_FPS)) / REF_PIXEL_RATE) * 100) / 100;
}

/** The output box for a pane: its size, never above the source's stream size, even numbers. */
export function outputBox(width: number, height: number): { width: number; height: number } {
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return { width: even(Math.min(width, 1920)), height: even(Math.min(height, 1080)) };
}

/** The smallest box a transcode is made at when the budget has no room for the pane's: a sub stream's. */
const FLOOR_BOX = { width: 640, height: 360 };

/** The smallest box a pane is transcoded at: its own shape at a sub stream's area (640×360), or the pane's if smaller. */
export function floorBox(box: { width: number; height: number }): { width: number; height: number } {
  const area = FLOOR_BOX.width * FLOOR_BOX.height;
  if (box.width * box.height <= area) return box;
  const k = Math.sqrt(area / (box.width * box.height));
  const even = (n: number) => Math.max(2, Math.ceil(n / 2) * 2);
  return { width: even(box.width * k), height: even(box.height * k) };
}

/**
 * The pane's box, or where the budget's room is smaller, the largest box of the same shape whose
 * estimate fits it, down to floorBox; null when even that does not fit (a refusal then names the
 * floor box's cost, so "room ≥ need" always means a retry fits). A maximized pane on the main
 * stream (estimated 1.35 cores at 1080p) so plays at about 1650×930 on a 1-core budget instead of
 * being refused outright. Pure.
 */
export function boxWithin(
  box: { width: number; height: number },
  roomCores: number,
): { width: number; height: number } | null {
  const cost = costCores(box.width, box.height);
  if (cost <= roomCores + 1e-9) return box;
  const floor = floorBox(box);
  if (costCores(floor.width, floor.height) > roomCores + 1e-9) return null;
  const scale = Math.sqrt(Math.max(0, roomCores) / cost);
  const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);
  const fit = { width: even(box.width * scale), height: even(box.height * scale) };
  const fits =
    fit.width * fit.height >= floor.width * floor.height && costCores(fit.width, fit.height) <= roomCores + 1e-9;
  return fits ? fit : floor;
}
