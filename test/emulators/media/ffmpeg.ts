import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * ffmpeg for the media simulator: the binary from @ffmpeg-installer/ffmpeg (ships libx264 and
 * libx265), else `ffmpeg` on PATH; test-pattern filter graphs with the clock strip; and
 * process-group spawning so a stop never leaves an orphan encoder.
 */
export function ffmpegPath(): string {
  try {
    const p = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    if (fs.existsSync(p)) return p;
  } catch {
    /* fall back to PATH */
  }
  return 'ffmpeg';
}

const fontCandidates = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
];
export function fontFile(): string | null {
  return fontCandidates.find((f) => fs.existsSync(f)) ?? null;
}

export const STRIP_BITS = 24;
export const STRIP_BLOCK = 16;

/**
 * The clock strip: 24 black/white 16×16 blocks, bit k = bit k of (epoch ms mod 2^24), least
 * significant first. A `color` source through `geq` (cheap: 384×16 pixels), overlaid top-left.
 * `epochAtZeroMs` is the wall clock of pts 0; T is the frame time in seconds.
 */
export function clockStripFilter(epochAtZeroMs: number, rate: number): string {
  const base = epochAtZeroMs % 2 ** STRIP_BITS;
  const expr = `255*mod(floor(mod(${base}+T*1000\\,16777216)/pow(2\\,floor(X/${STRIP_BLOCK})))\\,2)`;
  return `color=c=black:size=${STRIP_BITS * STRIP_BLOCK}x${STRIP_BLOCK}:rate=${rate},format=gray,geq=lum='${expr}'`;
}

export interface PatternOptions {
  width: number;
  height: number;
  rate: number;
  label: string;
  /** wall clock of the first frame, for the strip and the burned-in time */
  epochAtZeroMs: number;
}

/** Test pattern + channel name + wall-clock text + clock strip, as one -filter_complex graph ending in [v]. */
export function patternGraph(o: PatternOptions): string {
  const font = fontFile();
  const size = Math.round(o.height / 12);
  const text = (t: string, y: string) =>
    font
      ? `,drawtext=fontfile=${font}:text='${t}':fontcolor=white:fontsize=${size}:box=1:boxcolor=black@0.6:x=(w-tw)/2:y=${y}`
      : '';
  const label = o.label.replace(/[^A-Za-z0-9 _.-]/g, '_');
  // %{pts\:localtime\:EPOCH} prints the frame's own wall-clock time (not the encoder's), matching the strip.
  const clock = `%{pts\\:localtime\\:${Math.floor(o.epochAtZeroMs / 1000)}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}`;
  return (
    `testsrc2=size=${o.width}x${o.height}:rate=${o.rate}[bg];` +
    `${clockStripFilter(o.epochAtZeroMs, o.rate)}[strip];` +
    `[bg][strip]overlay=0:0${text(label, `h*0.12`)}${text(clock, `h*0.80`)},format=yuv420p[v]`
  );
}

/**
 * Live test pattern: two lavfi inputs read at native rate (-re) and stamped with the wall clock
 * at the moment each frame is produced (-use_wallclock_as_timestamps), so the strip encodes the
 * true capture time (T is then epoch seconds); the output is re-based to start at 0.
 * Returns the input arguments and a -filter_complex graph ending in [v].
 */
export function liveInputs(o: { width: number; height: number; rate: number; label: string }): {
  inputs: string[];
  graph: string;
} {
  const font = fontFile();
  const size = Math.round(o.height / 12);
  const label = o.label.replace(/[^A-Za-z0-9 _.-]/g, '_');
  const text = (t: string, y: string) =>
    font
      ? `,drawtext=fontfile=${font}:text='${t}':fontcolor=white:fontsize=${size}:box=1:boxcolor=black@0.6:x=(w-tw)/2:y=${y}`
      : '';
  // `realtime` inside the source graph paces generation (-re would compare epoch timestamps with
  // elapsed time and never read); each frame is stamped with the wall clock when it is read.
  const lavfi = (src: string) => ['-f', 'lavfi', '-use_wallclock_as_timestamps', '1', '-i', `${src},realtime`];
  const strip = `255*mod(floor(mod(T*1000\\,16777216)/pow(2\\,floor(X/${STRIP_BLOCK})))\\,2)`;
  return {
    // -copyts: keep the wall-clock timestamps instead of shifting the first to 0
    inputs: [
      '-copyts',
      ...lavfi(`testsrc2=size=${o.width}x${o.height}:rate=${o.rate}`),
      ...lavfi(`color=c=black:size=${STRIP_BITS * STRIP_BLOCK}x${STRIP_BLOCK}:rate=${o.rate}`),
    ],
    graph:
      `[1:v]format=gray,geq=lum='${strip.replace(/\\\\/g, '\\')}'[strip];` +
      `[0:v][strip]overlay=0:0${text(label, 'h*0.12')}${text('%{localtime\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}', 'h*0.80')},setpts=PTS-STARTPTS,format=yuv420p[v]`,
  };
}

export interface Proc {
  child: ChildProcess;
  stop(): Promise<void>;
  readonly exited: boolean;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * A detached child starts a session of its own, and where the kernel groups tasks by session
 * (Linux's autogroup, on by default on desktops and here) a session competes as one, whatever
 * its processes' nice values: every detached ffmpeg would weigh as much as the whole browser under
 * test. Its session's own nice is set too (the child leads it alone); ignored where there is none.
 */
function niceAutogroup(child: ChildProcess, nice: number, tries = 5): void {
  if (process.platform !== 'linux' || !child.pid || child.exitCode !== null) return;
  try {
    fs.writeFileSync(`/proc/${child.pid}/autogroup`, String(nice));
  } catch (e) {
    // Without CAP_SYS_ADMIN the kernel takes one such change per 100 ms: try again shortly.
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN' && tries > 1)
      setTimeout(() => niceAutogroup(child, nice, tries - 1), 150).unref();
    // else no autogroup here, or not allowed: the process's own nice still holds inside its session
  }
}

/** Spawn in its own process group; stop() kills the whole group. */
export function spawnGroup(
  cmd: string,
  args: string[],
  opts: {
    onExit?: (code: number | null) => void;
    log?: (line: string) => void;
    /** A fourth pipe (fd 3) for a second output (`pipe:3`). */
    fd3?: boolean;
    /** Run at this nice value (through nice(1), so every thread of it has it; ignored where there is no nice). */
    nice?: number;
  } = {},
): Proc {
  if (opts.nice && niceAvailable()) [cmd, args] = ['nice', ['-n', String(opts.nice), cmd, ...args]];
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    const killAll = () => {
      for (const c of live) killGroup(c, 'SIGKILL');
    };
    process.on('exit', killAll);
    // A bench or test stopped by Ctrl-C or a runner's SIGTERM runs no 'exit' handlers by default:
    // its encoders and media server would live on in their own process groups.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    }
  }
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.fd3 ? ['pipe' as const] : [])],
  });
  live.add(child);
  if (opts.nice) niceAutogroup(child, opts.nice);
  let exited = false;
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4000);
  });
  child.stdout?.on('data', (d: Buffer) => opts.log?.(d.toString()));
  child.on('exit', (code) => {
    exited = true;
    live.delete(child);
    if (process.env.VIGIL_MEDIA_DEBUG)
      process.stderr.write(`[media] ${path.basename(cmd)} → ${args.at(-1)} exited ${code}: ${tail.slice(-800)}\n`);
    opts.onExit?.(code);
  });
  return {
    child,
    get exited() {
      return exited;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        killGroup(child, 'SIGTERM');
        setTimeout(() => killGroup(child, 'SIGKILL'), 1500).unref();
      }),
  };
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

let nice: boolean | undefined;
export function niceAvailable(): boolean {
  nice ??= fs.existsSync('/usr/bin/nice') || fs.existsSync('/bin/nice');
  return nice;
}

/**
 * The sound arguments of a device sending a camera's recording as FLV (read from the recording's
 * HLS, whose sound is AAC): a G.711 camera's device sends G.711 (`codec` 'alaw' or 'mulaw', 8 kHz
 * mono), as GB28181 devices store it; any other sound is copied.
 */
export function deviceFlvSound(codec: string | undefined): string[] {
  if (codec !== 'alaw' && codec !== 'mulaw') return ['-c:a', 'copy'];
  return ['-c:a', codec === 'alaw' ? 'pcm_alaw' : 'pcm_mulaw', '-ar', '8000', '-ac', '1'];
}
