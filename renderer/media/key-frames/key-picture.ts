/**
 * What a key-frame pane shows (issue 26): a pane-sized bitmap on a canvas — every such pane of the
 * window changed in one animation frame, at most every PAINT_EVERY_MS — over its hidden <video>.
 * A live H.264 pane's bitmaps are decoded in a worker from its key frames as they arrive (FLV) or
 * from each segment's first frame (HLS; key-frame-decoder.ts), and its video is stepped only now
 * and then; otherwise (no WebCodecs, a stream the decoder refuses) its video decodes the key frames
 * and the bitmaps are made from it here.
 *
 * Why: without a GPU, Chromium's display compositor redraws one damage rectangle, the union of what
 * changed. Sixty small videos each presenting its key frame when its own decode ended made about
 * five redraws of the whole wall a second (one burst's decodes spread over ~200 ms; cameras whose
 * key frames fall at different moments would make more), 20 ms of CPU each, and the full-rate
 * panes' frames due then were dropped: 4–14 % at 36–64 panes. Hidden, the same videos cost the
 * compositor nothing, and the batched canvases make one redraw per batch with quads drawn 1:1.
 *
 * Bitmaps made from a video are made one pane at a time (each a short task: the page stays
 * responsive); all are shown together by `transferFromImageBitmap`, which hands the bitmap over
 * without a copy. The video stays visible until its canvas has a picture, so a pane never shows an
 * empty canvas.
 *
 * An FLV pane's video is paused and stepped here (stepToNewest). An HLS pane's player pauses and
 * steps its video itself (hls-player.ts): here it is only drawn.
 */
import { containSize } from './contain-size';
import type { KeyFrameDecoder, KeyFrameDecoders } from './key-frame-decoder';

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
  /** When it was last stepped (performance.now()). */
  steppedAt: number;
  /** The player pauses the video and moves it on itself (HLS, hls-player.ts): drawn, not stepped, here. */
  playerSteps: boolean;
  /** Its first picture is on the canvas: the canvas is the pane's, the video hidden. */
  shown: boolean;
  /** Its pictures came from a worker (key-frame-decoder.ts): its video holds a frame as old as that. */
  fed: boolean;
}

/** The size of a picture paneImage gave: a video's only while it has a frame to draw (0 × 0 otherwise). */
export function imageSize(image: HTMLVideoElement | HTMLCanvasElement): [number, number] {
  if (!(image instanceof HTMLVideoElement)) return [image.width, image.height];
  return image.readyState >= 2 ? [image.videoWidth, image.videoHeight] : [0, 0];
}

/** A picture kept over a video that seeks to its newest frame, at most this long (a seek within the buffer takes tens of ms). */
const REVEAL_WITHIN_MS = 500;
/**
 * …or to where nothing is buffered yet: an HLS pane whose player stopped hls.js while at key frames
 * (hls-key-refresh.ts) loads where it resumes first, the live position, never before its picture
 * (isMovingToPicture); its video holds a frame from when hls.js stopped.
 */
const REVEAL_LOADED_WITHIN_MS = 3000;
/**
 * …or to what comes now, which the player says (isMovingToPicture): an FLV pane's video, given no
 * key frames while the worker made its pictures, holds a frame as old as that until the next key
 * frame plays (flv-player.ts says so within as long: "smart codec" cameras stretch GOPs to 10 s).
 * Only if the player never says so is the video shown anyway.
 */
const REVEAL_MOVING_WITHIN_MS = 15_000;

function inBuffer(video: HTMLVideoElement): boolean {
  const b = video.buffered;
  for (let i = 0; i < b.length; i++) if (b.start(i) <= video.currentTime && video.currentTime < b.end(i)) return true;
  return false;
}

function frameKey(video: HTMLVideoElement): string {
  return `${video.getVideoPlaybackQuality().totalVideoFrames}@${video.currentTime}`;
}

/** Puts a paused video on its newest buffered frame; false where it is there already (or has nothing). */
function stepToEnd(video: HTMLVideoElement): boolean {
  const b = video.buffered;
  if (b.length === 0) return false;
  const to = Math.max(b.start(b.length - 1), b.end(b.length - 1) - NEWEST_FRAME_S);
  if (Math.abs(video.currentTime - to) < NEWEST_FRAME_S) return false;
  video.currentTime = to;
  return true;
}
/**
 * How often a video whose pictures are decoded elsewhere (key-frame-decoder.ts) is stepped: only so
 * its buffer stays bounded (the back buffer is cleaned behind the play head). A step is a seek and
 * a decode on the media thread: once a GOP for 60 panes it took a third of a core. (At most one
 * such step per LOOK_EVERY_MS: 10 a second, enough for 100 panes.) An FLV pane's video is given no
 * key frames while the worker makes its pictures (flv-rate.ts): it seldom has anything to step to.
 */
const FED_STEP_EVERY_MS = 10_000;
/** Before the buffer's end by less than a frame: the newest frame, whatever the camera's rate. */
const NEWEST_FRAME_S = 0.01;

/** A burst of pictures is over once none came for this long; a round waits for one at most SETTLE_AT_MOST_MS. */
const SETTLE_MS = 150;
const SETTLE_AT_MOST_MS = 400;

/** Lets the page's other tasks run (input first): scheduler.yield where there is one (Chromium 129+). */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((r) => setTimeout(r, 0));
}

/**
 * The window's key pictures: every key-frame pane of the window changed in one animation frame, at
 * most every PAINT_EVERY_MS. One per window (MediaWindow), handed to the panes; it reads the
 * window's key-frame decoders (which engine's decoder makes which video's pictures).
 */
export class KeyPictures {
  private readonly entries = new Set<Entry>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;
  /** A pane came while a round was under way: another round follows at once. */
  private again = false;
  /** When the last round's pictures were shown (performance.now(): a wall clock set back would stop the rounds). */
  private lastShown = -Infinity;
  /** Videos given back with their picture still over them until they are on their newest frame: how to call that off. */
  private readonly unrevealed = new WeakMap<HTMLVideoElement, () => void>();
  /** The canvas over each video whose pane shows its key picture (shown, or given back but not yet revealed). */
  private readonly covering = new WeakMap<HTMLVideoElement, HTMLCanvasElement>();
  /** When each key picture's canvas got its current picture (Date.now()). */
  private readonly pictureTimes = new WeakMap<HTMLCanvasElement, number>();
  /** Pictures shown per video: progress for the stall watchdog where the video itself is seldom stepped. */
  private readonly shownCount = new WeakMap<HTMLVideoElement, number>();
  /** Videos key-picture.ts paused on purpose: the player's stall watchdog goes by their steps, not by paused. */
  private readonly stepped = new WeakSet<HTMLVideoElement>();

  constructor(private readonly decoders: KeyFrameDecoders) {}

  /**
   * Shows `video`'s picture on `canvas` (both the pane's, the canvas styled to fill the pane with
   * object-fit: contain) with the window's other key-frame panes; the returned function gives the
   * pane back to its video.
   */
  showKeyPicture(
    video: HTMLVideoElement,
    canvas: HTMLCanvasElement,
    { playerSteps = false }: { playerSteps?: boolean } = {},
  ): () => void {
    const entry: Entry = {
      video,
      canvas,
      made: '',
      steppedTo: 0,
      steppedAt: -Infinity,
      playerSteps,
      shown: false,
      fed: false,
    };
    const revealing = this.unrevealed.get(video);
    if (revealing) {
      // Back to key frames before its video was shown again: its picture is still up, keep it.
      revealing();
      entry.shown = true;
      video.pause();
      if (!playerSteps) this.stepped.add(video);
    }
    this.entries.add(entry);
    this.timer ??= setInterval(() => this.look(), LOOK_EVERY_MS);
    void this.paint();
    return () => {
      this.entries.delete(entry);
      this.decoders.stop(video);
      if (this.entries.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
      const show = () => {
        this.covering.delete(video);
        video.style.visibility = '';
        canvas.style.display = 'none';
      };
      // On from its newest frame. A video whose pictures were decoded elsewhere was stepped seldom and
      // may hold a frame seconds old: the picture stays until the video is on its newest. An FLV
      // pane's is put there here; an HLS pane's player has just put it there (hls-player.ts).
      const mine = this.stepped.delete(video);
      if (!entry.shown) return show(); // no picture yet: its video is what shows already
      // (an FLV pane's video may be moving too: given few key frames while the worker made its pictures, flv-player.ts)
      const moving = this.decoders.isMoving(video);
      const behind = (mine && stepToEnd(video)) || video.seeking || moving;
      if (mine) void video.play().catch(() => undefined);
      if (!behind) return show();
      const settle = () => {
        clearTimeout(timeout);
        video.removeEventListener('seeked', check);
        video.removeEventListener('timeupdate', check);
        this.unrevealed.delete(video);
      };
      const reveal = () => {
        settle();
        show();
      };
      const check = () => {
        if (!video.seeking && !this.decoders.isMoving(video)) reveal();
      };
      video.addEventListener('seeked', check);
      video.addEventListener('timeupdate', check);
      const timeout = setTimeout(
        reveal,
        // (an HLS pane's player moves its video itself, within what REVEAL_LOADED_WITHIN_MS allows: hls-player.ts)
        moving && !playerSteps
          ? REVEAL_MOVING_WITHIN_MS
          : moving || !inBuffer(video)
            ? REVEAL_LOADED_WITHIN_MS
            : REVEAL_WITHIN_MS,
      );
      this.unrevealed.set(video, settle);
    };
  }

  /**
   * What the pane shows: its key picture while that covers the video, else the video. The video of
   * a pane whose pictures a worker makes holds a frame as old as the reduction (flv-rate.ts gives it
   * no key frames meanwhile): a snapshot, a stream switch's handover picture and a reconnect's last
   * picture take this instead.
   */
  paneImage(video: HTMLVideoElement): HTMLVideoElement | HTMLCanvasElement {
    return this.covering.get(video) ?? video;
  }

  /** When the picture paneImage gave was on screen: a key picture's own time (up to a GOP ago), a video's now. */
  imageTime(image: HTMLVideoElement | HTMLCanvasElement): Date {
    return new Date((!(image instanceof HTMLVideoElement) && this.pictureTimes.get(image)) || Date.now());
  }

  /** The pane's picture once its video shows what comes now, waiting at most `waitMs`; then what it shows (paneImage). */
  async currentPicture(video: HTMLVideoElement, waitMs: number): Promise<HTMLVideoElement | HTMLCanvasElement> {
    const until = performance.now() + waitMs;
    while (this.covering.has(video) && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
    return this.paneImage(video);
  }

  /**
   * The worker making the pane's pictures, if one does. Once it stops (failed, or silent) the video
   * makes them again, but the frame it holds is as old as the reduction (it got no key frames,
   * flv-rate.ts): that one counts as made, and only the newer ones it gets now are drawn.
   */
  private decoderOf(e: Entry): KeyFrameDecoder | null {
    const decoder = this.decoders.of(e.video);
    if (decoder) e.fed = true;
    else if (e.fed) [e.fed, e.made] = [false, frameKey(e.video)];
    return decoder;
  }

  /**
   * A video the page does not draw gets no underflow: where a drawn one waits at the end of its data
   * for the next key frame, a hidden one's clock runs on past it, and the key frames that come later
   * are already in its past — never shown (seen: a picture 6 s old until the stall watchdog
   * reconnected). So a hidden key-frame video is paused, and put on its newest frame each time
   * data comes: one seek a GOP, within what is buffered (nothing is asked of the server again).
   */
  private stepToNewest(e: Entry, fedStepAllowed = true): boolean {
    const { video } = e;
    if (!video.paused) video.pause();
    const b = video.buffered;
    if (b.length === 0 || video.seeking) return false;
    const end = b.end(b.length - 1);
    if (end <= e.steppedTo) return false;
    // Its pictures decoded elsewhere, the video is stepped only so its buffer stays bounded.
    const fed = !!this.decoders.of(video);
    if (fed && (!fedStepAllowed || performance.now() - e.steppedAt < FED_STEP_EVERY_MS)) return false;
    e.steppedTo = end;
    e.steppedAt = performance.now();
    stepToEnd(video);
    return fed;
  }

  keyPicturesShown(video: HTMLVideoElement): number {
    return this.shownCount.get(video) ?? 0;
  }

  isSteppedByKeyPicture(video: HTMLVideoElement): boolean {
    return this.stepped.has(video);
  }

  /** Starts a round once some pane has a new frame, at most every PAINT_EVERY_MS. */
  private look(): void {
    // At most one seldom-stepped video a look: panes cut to key frames together would otherwise all
    // seek at one moment every 10 s (27 seeks and decodes at once on the media thread, at 36 panes).
    let fedStep = true;
    for (const e of this.entries) {
      this.decoderOf(e); // first: a worker that just stopped leaves its video's old frame marked made before a step moves it
      if (e.shown && !e.playerSteps && this.stepToNewest(e, fedStep)) fedStep = false;
    }
    const now = performance.now();
    if (this.busy || now - this.lastShown < PAINT_EVERY_MS) return;
    // Pictures decoded off the page come one by one as the worker gets through a burst of key frames
    // (cameras whose GOPs line up): the round waits until they stop coming (SETTLE_MS), at most
    // SETTLE_AT_MOST_MS, so the burst is shown in one redraw of the wall rather than two.
    let first = Infinity;
    let last = -Infinity;
    let due = false;
    for (const e of this.entries) {
      const decoder = this.decoderOf(e);
      if (decoder?.hasPicture) {
        [first, last] = [Math.min(first, decoder.waitingSince), Math.max(last, decoder.pictureAt)];
      } else if (!decoder && !e.video.seeking && e.made !== frameKey(e.video)) due = true;
    }
    if (first === Infinity ? due : now - last >= SETTLE_MS || now - first >= SETTLE_AT_MOST_MS) void this.paint();
  }

  private async paint(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      const made: Array<[Entry, ImageBitmap, 'decoder' | 'video']> = [];
      for (const e of [...this.entries]) {
        const { video } = e;
        // The pane's box from the video, which keeps its layout hidden (the canvas has none until shown).
        const dpr = window.devicePixelRatio || 1;
        const [bw, bh] = [video.clientWidth * dpr, video.clientHeight * dpr];
        const decoder = this.decoderOf(e);
        if (decoder) {
          // Decoded off the main thread as the key frames arrive (key-frame-decoder.ts): only shown here.
          decoder.show({ width: bw, height: bh });
          const bitmap = decoder.take();
          if (bitmap) made.push([e, bitmap, 'decoder']);
          continue;
        }
        const key = frameKey(video);
        if (key === e.made || video.seeking || video.readyState < 2 || !video.videoWidth || !video.videoHeight)
          continue;
        if (bw < 1 || bh < 1) continue;
        const box = containSize(video.videoWidth, video.videoHeight, bw, bh);
        try {
          made.push([e, await createImageBitmap(video, { ...box, resizeQuality: 'low' }), 'video']);
          e.made = key;
        } catch {
          // the video lost its frame meanwhile (a reconnect): the next round tries again
        }
        await yieldToPage(); // a video's bitmap is made at once (2–4 ms): one per task, not 60 in one
      }
      if (made.length === 0) return;
      await new Promise((r) => requestAnimationFrame(r));
      this.lastShown = performance.now();
      for (const [e, bitmap, source] of made) {
        const ctx = this.entries.has(e) ? e.canvas.getContext('bitmaprenderer') : null;
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
        this.shownCount.set(e.video, this.keyPicturesShown(e.video) + 1);
        this.pictureTimes.set(e.canvas, Date.now());
        // What made the pictures and how many were shown (for diagnosis and the e2e suite).
        [e.canvas.dataset.source, e.canvas.dataset.pictures] = [source, String(this.keyPicturesShown(e.video))];
        if (!e.shown) {
          // its first picture is shown: from now on the canvas is the pane's, the video hidden (and stepped)
          e.shown = true;
          this.covering.set(e.video, e.canvas);
          e.canvas.style.display = 'block';
          e.video.style.visibility = 'hidden'; // hidden, not removed: it keeps decoding and its in-view test
          if (e.playerSteps) continue;
          this.stepped.add(e.video);
          this.stepToNewest(e);
        }
      }
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        void this.paint();
      }
    }
  }

  /** The window closes: no more rounds. */
  destroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.entries.clear();
  }
}
