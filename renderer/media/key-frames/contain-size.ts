/** The size a picture of `w`×`h` takes, whole, in a box of `bw`×`bh` (object-fit: contain), at least 1×1, at most its own. */
export function containSize(
  w: number,
  h: number,
  bw: number,
  bh: number,
): { resizeWidth: number; resizeHeight: number } {
  // Never larger than the video: a small stream in a big pane is scaled up by the compositor, not here.
  const scale = Math.min(bw / w, bh / h, 1);
  return { resizeWidth: Math.max(1, Math.round(w * scale)), resizeHeight: Math.max(1, Math.round(h * scale)) };
}
