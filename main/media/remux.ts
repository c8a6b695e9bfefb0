import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { AppError } from '../errors';
import { redact } from '../log';
import type { ReadOptions } from './clip-download';

/**
 * The video codec ffmpeg reads in the file `file` (e.g. `h264`, `hevc`), or null when it cannot tell.
 * Asked of the clip once written, never of the platform: a play URL may be single-use (Huawei IVM
 * tickets), and a second read of it is refused.
 */
export function videoCodecOf(ffmpeg: string, file: string, o: Pick<ReadOptions, 'signal'>): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-i', file], { stdio: ['ignore', 'ignore', 'pipe'] });
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

/** Runs ffmpeg to its end; `onTime` gets the seconds written (`-progress pipe:1`). Aborting kills it. */
function runFfmpeg(
  ffmpeg: string,
  args: string[],
  signal: AbortSignal,
  onTime: (seconds: number) => void = () => undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Error('cancelled'));
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = () => child.kill('SIGKILL');
    signal.addEventListener('abort', kill, { once: true });
    let errors = '';
    child.stdout.on('data', (d: Buffer) => {
      const m = /out_time_us=(\d+)/.exec(d.toString());
      if (m) onTime(Number(m[1]) / 1e6);
    });
    child.stderr.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-2000)));
    child.on('error', (e) => {
      signal.removeEventListener('abort', kill);
      reject(e);
    });
    // Play URLs carry short-lived platform tokens: never into a message or a log line.
    child.on('close', (code) => {
      signal.removeEventListener('abort', kill);
      if (code === 0) return resolve();
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

/**
 * ffmpeg copies the streams of `url` from `offset` for `duration` seconds (no re-encode) into an
 * MP4 at `part`; `-progress` reports the time written. The platform is read once. H.265 is copied
 * too, then its sample entry is retagged `hvc1` locally (ffmpeg writes `hev1`, which QuickTime,
 * Safari and Windows' player refuse, and refuses the tag on other codecs, so the clip is asked its
 * codec first). Aborting `o.signal` kills ffmpeg; the promise settles only once it has exited.
 */
export async function remuxToMp4(
  ffmpeg: string,
  url: string,
  offset: number,
  duration: number,
  part: string,
  o: Omit<ReadOptions, 'connectMs'>,
): Promise<{ videoCodec: string | null }> {
  // -rw_timeout: a source that stops sending fails ffmpeg instead of hanging the job (µs).
  const copy = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
  await runFfmpeg(
    ffmpeg,
    [
      ...copy,
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
      '-f',
      'mp4',
      '-movflags',
      '+faststart',
      '-progress',
      'pipe:1',
      '-y',
      part,
    ],
    o.signal,
    (seconds) => o.onProgress(seconds / duration),
  );
  const videoCodec = await videoCodecOf(ffmpeg, part, o);
  if (videoCodec === 'hevc') {
    const tagged = `${part}.hvc1`;
    try {
      const args = ['-i', part, '-c', 'copy', '-tag:v', 'hvc1', '-f', 'mp4', '-movflags', '+faststart', '-y', tagged];
      await runFfmpeg(ffmpeg, [...copy, ...args], o.signal);
      fs.renameSync(tagged, part);
    } finally {
      fs.rmSync(tagged, { force: true });
    }
  }
  return { videoCodec };
}
