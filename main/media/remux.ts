import { spawn } from 'node:child_process';
import { AppError } from '../errors';
import { redact } from '../log';
import type { ReadOptions } from './clip-download';

/**
 * The video codec ffmpeg reads in `url` (e.g. `h264`, `hevc`), or null when it cannot tell.
 * H.265 needs its MP4 sample entry named `hvc1` (ffmpeg writes `hev1`, which QuickTime, Safari
 * and Windows' player refuse), and ffmpeg refuses that tag on any other codec: so ask first.
 */
export function videoCodecOf(
  ffmpeg: string,
  url: string,
  o: Pick<ReadOptions, 'idleMs' | 'signal'>,
): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-rw_timeout', String(o.idleMs * 1000), '-i', url], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const kill = () => child.kill('SIGKILL');
    o.signal.addEventListener('abort', kill, { once: true });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(0, 20_000)));
    child.on('error', () => resolve(null));
    child.on('close', () => {
      o.signal.removeEventListener('abort', kill);
      resolve(/Stream #\d+:\d+[^:]*: Video: (\w+)/.exec(err)?.[1] ?? null);
    });
  });
}

/**
 * ffmpeg copies the streams of `url` from `offset` for `duration` seconds (no re-encode) into an
 * MP4 at `part`; `-progress` reports the time written. H.265 is copied too, its sample entry
 * tagged `hvc1`. Aborting `o.signal` kills ffmpeg; the promise settles only once it has exited,
 * with the video codec it copied.
 */
export async function remuxToMp4(
  ffmpeg: string,
  url: string,
  offset: number,
  duration: number,
  part: string,
  o: Omit<ReadOptions, 'connectMs'>,
): Promise<{ videoCodec: string | null }> {
  const videoCodec = await videoCodecOf(ffmpeg, url, o);
  // -rw_timeout: a source that stops sending fails ffmpeg instead of hanging the job (µs).
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-rw_timeout',
    String(o.idleMs * 1000),
    '-ss',
    offset.toFixed(3),
    '-i',
    url,
    '-t',
    duration.toFixed(3),
    '-c',
    'copy',
    ...(videoCodec === 'hevc' ? ['-tag:v', 'hvc1'] : []),
    '-f',
    'mp4',
    '-movflags',
    '+faststart',
    '-progress',
    'pipe:1',
    '-y',
    part,
  ];
  return new Promise<{ videoCodec: string | null }>((resolve, reject) => {
    if (o.signal.aborted) return reject(new Error('cancelled'));
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = () => child.kill('SIGKILL');
    o.signal.addEventListener('abort', kill, { once: true });
    let errors = '';
    child.stdout.on('data', (d: Buffer) => {
      const m = /out_time_us=(\d+)/.exec(d.toString());
      if (m) o.onProgress(Number(m[1]) / 1e6 / duration);
    });
    child.stderr.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-2000)));
    child.on('error', (e) => {
      o.signal.removeEventListener('abort', kill);
      reject(e);
    });
    // Play URLs carry short-lived platform tokens: never into a message or a log line.
    child.on('close', (code) => {
      o.signal.removeEventListener('abort', kill);
      if (code === 0) return resolve({ videoCodec });
      const last = errors.trim().split('\n').pop() ?? `exit ${code}`;
      reject(
        new AppError(
          'INTERNAL',
          `ffmpeg could not write the clip: ${redact(last.replace(/[a-z]+:\/\/\S+/gi, '<url>'))}`,
        ),
      );
    });
  });
}
