import { spawn } from 'node:child_process';
import os from 'node:os';
import { AppError } from '../../errors';
import { redact } from '../../log';
import { RELAY_PROTOCOLS } from '../ffmpeg';
import { frameScore, gridFilter, MotionTracker, type MotionGrid, type MotionMoment, type Thresholds } from './detect';
import { MomentThumbnails } from './moment-thumbnails';

export interface ScanOptions {
  ffmpeg: string;
  /** The recording's play address (main's relay on loopback, or a file in tests). */
  url: string;
  /** Wall-clock time of the source's first picture. */
  originMs: number;
  /** Only pictures in [fromMs, toMs] count (a recording is often longer than the range searched). */
  fromMs: number;
  toMs: number;
  grid: MotionGrid;
  thresholds: Thresholds;
  signal: AbortSignal;
  /** Each moment as it closes (with its thumbnail when `thumbnails`). */
  onMoment: (m: MotionMoment & { thumbnail?: string | null }) => void;
  /** A small JPEG of each moment's first moving picture, from the same decode (no second read of the source). */
  thumbnails?: boolean;
  /** Niceness of ffmpeg (live panes keep the CPU first). */
  nice?: number;
  /** The wall-clock time of the picture just compared. */
  onTime?: (ms: number) => void;
  /** Protocols ffmpeg may read (default: the relay's). */
  protocols?: string;
  /** Longest a scan may take without a picture (ms). */
  idleMs?: number;
}

/** `pts_time:12.04` of ffmpeg's showinfo lines, in order. */
export function showinfoTimes(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/\] n:\s*\d+ pts:\s*-?\d+ pts_time:(-?[\d.]+)/g)) out.push(Number(m[1]));
  return out;
}

/**
 * Key frames further apart than this are too coarse to compare (a "smart codec" camera sends one
 * every 10 s; MotionTracker compares no pictures more than 5 s apart, and an event lasts seconds).
 */
export const LONG_GOP_MS = 2500;
/** Where key frames are too far apart, every picture is decoded and one each this long compared. */
export const SAMPLE_EVERY_S = 0.5;

/** How a scan reads a recording: its key frames alone, or every picture sampled at SAMPLE_EVERY_S. */
export type ScanMode = 'keys' | 'sampled';

/**
 * The first pictures' times decide the mode (pure): key frames every LONG_GOP_MS or less are
 * enough; two gaps in a row longer than that are a long GOP. Null: not known yet.
 */
export function modeFor(keyTimesMs: number[]): ScanMode | null {
  if (keyTimesMs.length < 3) return null;
  const [a, b, c] = keyTimesMs as [number, number, number];
  return b - a > LONG_GOP_MS && c - b > LONG_GOP_MS ? 'sampled' : 'keys';
}

/** ffmpeg's arguments for a scan (pure): the grid on pipe 1, with thumbnails the JPEGs on pipe 3. */
export function scanArgs(o: Pick<ScanOptions, 'url' | 'grid' | 'thumbnails' | 'protocols'>, mode: ScanMode): string[] {
  // Sampled: the decoder skips its loop filter (a motion grid does not miss it, it costs a fifth of decoding).
  const decode = mode === 'keys' ? ['-skip_frame', 'nokey'] : ['-skip_loop_filter', 'all'];
  const pick = mode === 'keys' ? '' : `select='isnan(prev_selected_t)+gte(t-prev_selected_t,${SAMPLE_EVERY_S})',`;
  const input = [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info'],
    ...['-protocol_whitelist', o.protocols ?? RELAY_PROTOCOLS],
    ...['-threads', '1', ...decode, '-i', o.url, '-an', '-sn', '-dn'],
  ];
  const raw = ['-vsync', '0', '-f', 'rawvideo'];
  return o.thumbnails
    ? [
        ...input,
        ...[
          '-filter_complex',
          `[0:v]${pick}showinfo,split[g][t];[g]${gridFilter(o.grid)}[grid];[t]${THUMB_FILTER}[thumb]`,
        ],
        ...['-map', '[grid]', ...raw, 'pipe:1'],
        ...['-map', '[thumb]', '-vsync', '0', '-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2pipe', 'pipe:3'],
      ]
    : [...input, '-vf', `${pick}showinfo,${gridFilter(o.grid)}`, ...raw, 'pipe:1'];
}

/**
 * Scans one recording: ffmpeg decodes its key frames only (`-skip_frame nokey`, one thread),
 * crops them to the regions' box and shrinks that to the grid in grey; Node compares each grid
 * with the one before inside the regions and feeds a MotionTracker. Pictures arrive on stdout
 * (fixed size), their times as showinfo lines on stderr, matched in order.
 * Where the first key frames are more than LONG_GOP_MS apart, that read stops before anything is
 * compared and a second one decodes every picture, comparing two a second (slower, but a camera
 * with long GOPs is otherwise not searched at all).
 * Resolves with the number of pictures compared; rejects with an AppError when ffmpeg fails
 * before any picture (the recording could not be read), a cancel is an `ABORTED` AppError.
 */
export async function scanRecording(o: ScanOptions): Promise<number> {
  const keys = await scanOnce(o, 'keys');
  return keys === 'long-gop' ? ((await scanOnce(o, 'sampled')) as number) : keys;
}

function scanOnce(o: ScanOptions, mode: ScanMode): Promise<number | 'long-gop'> {
  const frameBytes = o.grid.cols * o.grid.rows;
  const args = scanArgs(o, mode);
  return new Promise((resolve, reject) => {
    const child = spawn(o.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    if (o.nice && child.pid)
      try {
        os.setPriority(child.pid, o.nice);
      } catch {
        // not allowed here: it runs at normal priority
      }
    // Each moment leaves with its first picture's JPEG (see MomentThumbnails), or at once without.
    const thumbs = o.thumbnails ? new MomentThumbnails(o.onMoment, () => tracker.openFirstMs) : null;
    const emit = (m: MotionMoment) => (thumbs ? thumbs.moment(m) : o.onMoment(m));
    const tracker = new MotionTracker({ on: o.thresholds.area }, emit);
    const times: number[] = [];
    let errTail = '';
    let lineBuf = '';
    let pending: Buffer = Buffer.alloc(0);
    let prev: Uint8Array | null = null;
    let frames = 0;
    let compared = 0;
    let idle: NodeJS.Timeout | undefined;
    let failed: AppError | null = null;
    // Reading key frames, the first pictures wait here until their times say whether key frames are enough.
    let held: Array<{ ms: number; pic: Uint8Array }> | null = mode === 'keys' ? [] : null;
    let longGop = false;
    const kill = () => child.kill('SIGKILL');
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        failed = new AppError('NETWORK', 'The recording stopped arriving');
        kill();
      }, o.idleMs ?? 30_000);
    };
    const onAbort = () => {
      failed = new AppError('INTERNAL', 'Motion search cancelled');
      kill();
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    if (o.signal.aborted) onAbort();
    arm();
    const take = (ms: number, pic: Uint8Array) => {
      if (ms < o.fromMs || ms > o.toMs) {
        prev = ms < o.fromMs ? pic : prev;
        return;
      }
      tracker.push(ms, prev ? frameScore(o.grid, prev, pic, o.thresholds.pixel) : null);
      prev = pic;
      compared++;
      o.onTime?.(ms);
    };
    const release = () => {
      const waiting = held ?? [];
      held = null;
      for (const h of waiting) take(h.ms, h.pic);
    };
    const drain = () => {
      while (!longGop && pending.length >= frameBytes && times.length > 0) {
        const pic = new Uint8Array(pending.subarray(0, frameBytes));
        pending = pending.subarray(frameBytes);
        const ms = o.originMs + Math.round(times.shift()! * 1000);
        thumbs?.picture(ms);
        frames++;
        if (!held) {
          take(ms, pic);
          continue;
        }
        held.push({ ms, pic });
        const decided = modeFor(held.map((h) => h.ms));
        if (decided === 'keys') release();
        else if (decided === 'sampled') {
          longGop = true;
          kill();
        }
      }
    };
    child.stdout!.on('data', (d: Buffer) => {
      arm();
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      drain();
    });
    (child.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (d: Buffer) => thumbs?.data(d));
    child.stderr!.on('data', (d: Buffer) => {
      const text = lineBuf + d.toString('latin1');
      const cut = text.lastIndexOf('\n');
      lineBuf = text.slice(cut + 1);
      const lines = text.slice(0, cut + 1);
      times.push(...showinfoTimes(lines));
      // What ffmpeg says about a failure, without the per-picture lines (and without its address: a signed URL).
      const rest = lines
        .split('\n')
        .filter((l) => l && !l.includes('pts_time:') && !l.startsWith('    '))
        .join('\n');
      if (rest) errTail = (errTail + '\n' + rest).slice(-2000);
      drain();
    });
    child.on('error', (e) => {
      failed ??= new AppError('NOT_AVAILABLE', `ffmpeg could not start: ${e.message}`);
    });
    child.on('close', (code) => {
      clearTimeout(idle);
      o.signal.removeEventListener('abort', onAbort);
      // A long GOP: nothing was compared yet, the second read starts from scratch.
      if (longGop && !failed) return resolve('long-gop');
      if (!longGop) {
        times.push(...showinfoTimes(lineBuf));
        drain();
        release();
        tracker.finish();
      }
      thumbs?.finish();
      if (failed) return reject(failed);
      if (code !== 0 && frames === 0)
        return reject(new AppError('PLATFORM_ERROR', `The recording could not be read: ${lastLine(errTail)}`));
      resolve(compared);
    });
  });
}

const THUMB_FILTER = 'scale=160:90,format=yuvj420p';

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return redact(lines.at(-1)?.replace(/https?:\/\/\S+/g, '<address>') ?? 'ffmpeg ended without a picture').slice(
    0,
    300,
  );
}
