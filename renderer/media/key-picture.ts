/**
 * What a key-frame pane shows (issue 26): its <video> decodes the key frames hidden, and its
 * picture is a pane-sized bitmap on a canvas — every such pane of the window changed in one
 * animation frame, at most every PAINT_EVERY_MS.
 *
 * Why: without a GPU, Chromium's display compositor redraws one damage rectangle, the union of what
 * changed. Sixty small videos each presenting its key frame when its own decode ended made about
 * five redraws of the whole wall a second (one burst's decodes spread over ~200 ms; cameras whose
 * key frames fall at different moments would make more), 20 ms of CPU each, and the full-rate
 * panes' frames due then were dropped: 4–14 % at 36–64 panes. Hidden, the same videos cost the
 * compositor nothing, and the batched canvases make one redraw per batch with quads drawn 1:1.
 *
 * The bitmaps are made one pane at a time (each a short task: the page stays responsive) and
 * shown together by `transferFromImageBitmap`, which hands the bitmap over without a copy. The
 * video stays visible until its canvas has a picture, so a pane never shows an empty canvas.
 *
 * An FLV pane's video is paused and stepped here (stepToNewest). An HLS pane's player already keeps
 * its video paused on the newest segment's first frame (hls-player.ts): here it is only drawn.
 */
const PAINT_EVERY_MS = 500;
/**
 * How often the panes are looked at for a new frame: a round starts soon after the first one
 * decodes (a burst of key frames, or one camera's), not up to PAINT_EVERY_MS later.
 */
const LOOK_EVERY_MS = 100;

interface Entry {
  video: HTMLVideoElement;
  canvas: HTMLCanvasElement;
  /** The frame last made into a bitmap, by the video's decoded-frame count and position. */
  made: string;
  /** The buffered end the video was last put on. */
  steppedTo: number;
  /** The player pauses the video and puts it on its newest key frame itself (HLS): drawn, not stepped, here. */
  playerSteps: boolean;
  /** Its first picture is on the canvas: the canvas is the pane's, the video hidden. */
  shown: boolean;
}

const entries = new Set<Entry>();
let timer: ReturnType<typeof setInterval> | null = null;
let busy = false;
/** A pane came while a round was under way: another round follows at once. */
let again = false;
/** When the last round's pictures were shown (performance.now(): a wall clock set back would stop the rounds). */
let lastShown = -Infinity;

/**
 * Shows `video`'s picture on `canvas` (both the pane's, the canvas styled to fill the pane with
 * object-fit: contain) with the window's other key-frame panes; the returned function gives the
 * pane back to its video.
 */
export function showKeyPicture(
  video: HTMLVideoElement,
  canvas: HTMLCanvasElement,
  { playerSteps = false }: { playerSteps?: boolean } = {},
): () => void {
  const entry: Entry = { video, canvas, made: '', steppedTo: 0, playerSteps, shown: false };
  entries.add(entry);
  timer ??= setInterval(look, LOOK_EVERY_MS);
  void paint();
  return () => {
    entries.delete(entry);
    video.style.visibility = '';
    canvas.style.display = 'none';
    if (stepped.delete(video)) void video.play().catch(() => undefined); // on from its newest frame
    if (entries.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

function frameKey(video: HTMLVideoElement): string {
  return `${video.getVideoPlaybackQuality().totalVideoFrames}@${video.currentTime}`;
}

/**
 * A video the page does not draw gets no underflow: where a drawn one waits at the end of its data
 * for the next key frame, a hidden one's clock runs on past it, and the key frames that come later
 * are already in its past — never shown (seen: a picture 6 s old until the stall watchdog
 * reconnected). So a hidden key-frame video is paused, and put on its newest frame each time
 * data comes: one seek a GOP, within what is buffered (nothing is asked of the server again).
 */
function stepToNewest(e: Entry): void {
  const { video } = e;
  if (!video.paused) video.pause();
  const b = video.buffered;
  if (b.length === 0 || video.seeking) return;
  const end = b.end(b.length - 1);
  if (end <= e.steppedTo) return;
  e.steppedTo = end;
  video.currentTime = Math.max(b.start(b.length - 1), end - NEWEST_FRAME_S);
}
/** Before the buffer's end by less than a frame: the newest frame, whatever the camera's rate. */
const NEWEST_FRAME_S = 0.01;

/** Videos key-picture.ts paused on purpose: the player's stall watchdog goes by their steps, not by paused. */
const stepped = new WeakSet<HTMLVideoElement>();
export function isSteppedByKeyPicture(video: HTMLVideoElement): boolean {
  return stepped.has(video);
}

/** Starts a round once some pane has a new frame, at most every PAINT_EVERY_MS. */
function look(): void {
  for (const e of entries) if (e.shown && !e.playerSteps) stepToNewest(e);
  if (busy || performance.now() - lastShown < PAINT_EVERY_MS) return;
  for (const e of entries) if (!e.video.seeking && e.made !== frameKey(e.video)) return void paint();
}

async function paint(): Promise<void> {
  if (busy) {
    again = true;
    return;
  }
  busy = true;
  try {
    const made: Array<[Entry, ImageBitmap]> = [];
    for (const e of [...entries]) {
      const { video } = e;
      const key = frameKey(video);
      if (key === e.made || video.seeking || video.readyState < 2 || !video.videoWidth || !video.videoHeight) continue;
      // The pane's box from the video, which keeps its layout hidden (the canvas has none until shown).
      const dpr = window.devicePixelRatio || 1;
      const [bw, bh] = [video.clientWidth * dpr, video.clientHeight * dpr];
      if (bw < 1 || bh < 1) continue;
      const box = containSize(video.videoWidth, video.videoHeight, bw, bh);
      try {
        made.push([e, await createImageBitmap(video, { ...box, resizeQuality: 'low' })]);
        e.made = key;
      } catch {
        // the video lost its frame meanwhile (a reconnect): the next round tries again
      }
      await yieldToPage(); // a video's bitmap is made at once (2–4 ms): one per task, not 60 in one
    }
    if (made.length === 0) return;
    await new Promise((r) => requestAnimationFrame(r));
    lastShown = performance.now();
    for (const [e, bitmap] of made) {
      const ctx = entries.has(e) ? e.canvas.getContext('bitmaprenderer') : null;
      if (!ctx) {
        bitmap.close(); // the pane left key frames meanwhile
        continue;
      }
      // The canvas keeps its own size (300×150 by default) whatever the bitmap's: object-fit goes by it.
      if (e.canvas.width !== bitmap.width || e.canvas.height !== bitmap.height)
        [e.canvas.width, e.canvas.height] = [bitmap.width, bitmap.height];
      try {
        ctx.transferFromImageBitmap(bitmap); // the bitmap is the canvas's now (released by the next transfer)
      } catch {
        bitmap.close(); // (a canvas torn down meanwhile)
        continue;
      }
      if (!e.shown) {
        // its first picture is shown: from now on the canvas is the pane's, the video hidden (and stepped)
        e.shown = true;
        e.canvas.style.display = 'block';
        e.video.style.visibility = 'hidden'; // hidden, not removed: it keeps decoding and its in-view test
        if (e.playerSteps) continue;
        stepped.add(e.video);
        stepToNewest(e);
      }
    }
  } finally {
    busy = false;
    if (again) {
      again = false;
      void paint();
    }
  }
}

/** Lets the page's other tasks run (input first): scheduler.yield where there is one (Chromium 129+). */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((r) => setTimeout(r, 0));
}

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
