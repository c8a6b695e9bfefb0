import { spawn } from 'node:child_process';
import { ffmpegPath, STRIP_BITS, STRIP_BLOCK } from '../emulators/media/ffmpeg';

const W = STRIP_BITS * STRIP_BLOCK;

/**
 * The age of each picture of a stream, read off the simulator's clock strip (wall clock now −
 * the time burned into the picture, ms) by an ffmpeg decoder fed on `input`. The stream must keep
 * the source's size at the strip (no scaling).
 */
export function stripAges(format: 'hevc' | 'flv'): {
  input: NodeJS.WritableStream;
  /** [when read (ms epoch), age (ms)] per decoded picture */
  ages: Array<[number, number]>;
  stop(): void;
} {
  const ff = spawn(
    ffmpegPath(),
    [
      ...['-hide_banner', '-loglevel', 'fatal', '-fflags', 'nobuffer', '-flags', 'low_delay'],
      ...['-probesize', '32768', '-analyzeduration', '0', '-f', format, '-i', 'pipe:0'],
      ...['-vf', `crop=${W}:${STRIP_BLOCK}:0:0`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  const ages: Array<[number, number]> = [];
  const size = W * STRIP_BLOCK;
  let pending = Buffer.alloc(0);
  ff.stdout.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    for (; pending.length >= size; pending = pending.subarray(size)) {
      let v = 0;
      for (let k = 0; k < STRIP_BITS; k++)
        if (pending[(STRIP_BLOCK / 2) * W + k * STRIP_BLOCK + STRIP_BLOCK / 2]! >= 128) v += 2 ** k;
      const now = Date.now();
      ages.push([now, ((((now % 2 ** 24) - v) % 2 ** 24) + 2 ** 24) % 2 ** 24]);
    }
  });
  ff.stdin.on('error', () => undefined);
  return { input: ff.stdin, ages, stop: () => ff.kill('SIGKILL') };
}
