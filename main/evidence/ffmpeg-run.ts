import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { AppError } from '../errors';

/** Runs ffmpeg on local files to its end; aborting kills it. `what` names the step in the error. */
export function runFfmpeg(ffmpeg: string, args: string[], signal: AbortSignal, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Error('cancelled'));
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const kill = () => child.kill('SIGKILL');
    signal.addEventListener('abort', kill, { once: true });
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-2000)));
    child.on('error', (e) => {
      signal.removeEventListener('abort', kill);
      reject(e);
    });
    child.on('close', (code) => {
      signal.removeEventListener('abort', kill);
      if (code === 0) resolve();
      else reject(new AppError('INTERNAL', `ffmpeg could not ${what}: ${errors.trim().split('\n').pop() ?? code}`));
    });
  });
}

/** Input options for a file main wrote: ffmpeg may read files only. */
export const LOCAL = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-protocol_whitelist', 'file'];

/**
 * The picture `offsetS` seconds into `clip`, as a JPEG at `out` (written beside as `.part`, then
 * renamed). Taken from the clip as written, so it shows what the evidence holds (watermark too).
 */
export async function snapshotOf(
  ffmpeg: string,
  clip: string,
  offsetS: number,
  out: string,
  signal: AbortSignal,
): Promise<void> {
  const part = `${out}.part`;
  try {
    const args = [...LOCAL, '-ss', offsetS.toFixed(3), '-i', clip, '-frames:v', '1', '-q:v', '2', '-f', 'image2'];
    await runFfmpeg(ffmpeg, [...args, '-y', part], signal, 'take the snapshot');
    if (!fs.statSync(part, { throwIfNoEntry: false })?.size)
      throw new AppError('INTERNAL', 'ffmpeg found no picture at that time');
    fs.renameSync(part, out);
  } finally {
    fs.rmSync(part, { force: true });
  }
}
