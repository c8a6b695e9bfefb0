import { spawn } from 'node:child_process';
import os from 'node:os';
import type { Writable } from 'node:stream';
import { AppError } from '../../errors';
import { redact } from '../../log';
import { isJpeg, THUMB_LIMITS } from './args';

/**
 * Runs one picture's ffmpeg and answers the JPEG it wrote on stdout. Bounded: killed at `wallMs`,
 * at `THUMB_LIMITS.outputBytes` of output, or when `signal` aborts; run at a lower priority than
 * Vigil itself so a burst of cold pictures yields the CPU to the panes that play. `input`, when
 * given, feeds its stdin (a device recording main reads).
 */
export function runPicture(
  ffmpeg: string,
  args: string[],
  signal: AbortSignal,
  wallMs: number,
  input?: (stdin: Writable, gone: Promise<void>) => void,
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    if (signal.aborted) return reject(new AppError('INTERNAL', 'cancelled'));
    const child = spawn(ffmpeg, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    try {
      if (child.pid) os.setPriority(child.pid, 10);
    } catch {
      // not allowed here (some sandboxes): it runs at normal priority, still one thread
    }
    let overtime = false;
    let tooLarge = false;
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      overtime = true;
      kill();
    }, wallMs);
    signal.addEventListener('abort', kill, { once: true });
    const out: Buffer[] = [];
    let size = 0;
    let errors = '';
    child.stdout!.on('data', (d: Buffer) => {
      size += d.length;
      if (size > THUMB_LIMITS.outputBytes) {
        tooLarge = true;
        kill();
      } else out.push(d);
    });
    child.stderr!.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-2000)));
    if (input) {
      child.stdin!.on('error', () => undefined); // ffmpeg had its picture and stopped reading
      input(child.stdin!, new Promise((r) => child.on('close', () => r())));
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
    };
    child.on('error', (e) => {
      done();
      reject(
        new AppError('NOT_AVAILABLE', `ffmpeg could not be started (${(e as NodeJS.ErrnoException).code ?? 'error'})`),
      );
    });
    child.on('close', (code) => {
      done();
      if (signal.aborted) return reject(new AppError('INTERNAL', 'cancelled'));
      if (overtime) return reject(new AppError('NETWORK', `No key frame came within ${Math.round(wallMs / 1000)} s`));
      if (tooLarge) return reject(new AppError('PLATFORM_ERROR', 'The picture came out larger than a thumbnail'));
      const jpeg = Buffer.concat(out);
      if (code === 0 && isJpeg(jpeg)) return resolve(jpeg);
      // Relay and platform addresses carry tickets and tokens: never into a message.
      const last =
        errors.trim().split('\n').pop() || (code === 0 ? 'no picture in the recording here' : `exit ${code}`);
      reject(new AppError('PLATFORM_ERROR', `No picture: ${redact(last.replace(/[a-z+]+:\/\/\S+/gi, '<url>'))}`));
    });
  });
}
