/**
 * Motion cameras of the media simulator: a still picture (a grey floor with a grid) on which a
 * white object appears at scripted times. Inside the camera's watched region it is an event (the
 * ground truth motion search must find); outside it, a distractor (motion search must not report
 * it). The script is a pure function of a seed, the channel and the recording's start, so the
 * simulator, the tests and the bench compute the same list without talking to each other.
 *
 * Key frames come every second (a short GOP, as motion-search cameras are configured), so a
 * search that decodes key frames only sees the object within a second of it appearing.
 */

/** A region in normalised picture coordinates (0..1 from the top left). */
export interface MotionRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MotionEvent {
  /** Seconds from the recording's start. */
  startS: number;
  endS: number;
}

export interface MotionScript {
  /** Where the scripted events happen: the region a test or the bench draws. */
  region: MotionRect;
  /** Where distractors happen (never overlapping `region`). */
  distractorRegion: MotionRect;
  events: MotionEvent[];
  distractors: MotionEvent[];
}

/** Key frames of a motion camera's recordings: one a second at 25 fps. */
export const MOTION_GOP = 25;
const OBJECT_PX = 48;
const WIDTH = 640;
const HEIGHT = 360;

/** The watched region: the right-hand floor area, clear of the clock strip at the top. */
export const MOTION_REGION: MotionRect = { x: 0.55, y: 0.35, w: 0.4, h: 0.55 };
const DISTRACTOR_REGION: MotionRect = { x: 0.05, y: 0.35, w: 0.4, h: 0.55 };

/** mulberry32: a small, well-known seeded PRNG (deterministic across Node versions). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/**
 * The script of one recording `seconds` long: events 3–10 s long with 8–40 s of stillness between
 * them, distractors likewise on their own timeline. Nothing happens in the first and last 3 s.
 */
export function motionScript(channelId: string, recordingStartMs: number, seconds: number, seed = 1): MotionScript {
  const timeline = (salt: string): MotionEvent[] => {
    const rnd = prng(hash(`${seed}/${channelId}/${recordingStartMs}/${salt}`));
    const out: MotionEvent[] = [];
    let t = 3 + rnd() * 10;
    for (;;) {
      const length = 3 + Math.floor(rnd() * 8);
      if (t + length > seconds - 3) break;
      out.push({ startS: Math.round(t * 10) / 10, endS: Math.round((t + length) * 10) / 10 });
      t += length + 8 + rnd() * 32;
    }
    return out;
  };
  return {
    region: MOTION_REGION,
    distractorRegion: DISTRACTOR_REGION,
    events: timeline('events'),
    distractors: timeline('distractors'),
  };
}

/**
 * The filter graph of a motion camera's recording from `fromS` seconds on, ending in [v] (and
 * `clockStrip`, the simulator's clock strip source, overlaid top-left like its other cameras).
 * The object moves across its region at 37 px/s (wrapping), so consecutive key frames differ.
 */
export function motionGraph(script: MotionScript, fromS: number, clockStrip: string, rate: number): string {
  const t = `(t+${fromS})`;
  const visible = (events: MotionEvent[]) =>
    events.length ? events.map((e) => `between(${t}\\,${e.startS}\\,${e.endS})`).join('+') : '0';
  const place = (r: MotionRect) => {
    const x0 = Math.round(r.x * WIDTH);
    const y0 = Math.round(r.y * HEIGHT);
    const span = Math.round(r.w * WIDTH) - OBJECT_PX;
    const ySpan = Math.round(r.h * HEIGHT) - OBJECT_PX;
    return `x='${x0}+mod(${t}*37\\,${span})':y='${y0}+mod(${t}*23\\,${ySpan})'`;
  };
  return (
    `color=c=0x46505a:size=${WIDTH}x${HEIGHT}:rate=${rate},drawgrid=w=64:h=60:t=2:c=0x6a7480[floor];` +
    `color=c=0xf0f0f0:size=${OBJECT_PX}x${OBJECT_PX}:rate=${rate}[obj];` +
    `color=c=0xe0c040:size=${OBJECT_PX}x${OBJECT_PX}:rate=${rate}[other];` +
    `${clockStrip}[strip];` +
    `[floor][obj]overlay=${place(script.region)}:enable='${visible(script.events)}'[a];` +
    `[a][other]overlay=${place(script.distractorRegion)}:enable='${visible(script.distractors)}'[b];` +
    `[b][strip]overlay=0:0,format=yuv420p[v]`
  );
}
