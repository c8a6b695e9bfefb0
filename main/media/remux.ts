import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { AppError } from '../errors';
import { redact } from '../log';
import { get, type ReadOptions } from './clip-download';
import { RELAY_PROTOCOLS } from './ffmpeg';
import { FlvSoundRewriter } from '../../common/flv-sound';
import { FlvHevcDemuxer, type DemuxedFrame } from './flv-hevc';
import { HevcTsMuxer } from './hevc-ts';

const COPY = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
// Each input reads what it needs and nothing else (an input option: before its -i).
const FILE_ONLY = ['-protocol_whitelist', 'file'];

/**
 * Bounds on every ffmpeg run here, which parses what a platform sent: no run outlives its wall
 * time and no output outgrows its size (ffmpeg's -fs), so a stream that trickles or floods can
 * neither hold a job for ever nor fill the disk.
 */
export const FFMPEG_LIMITS = {
  /** A codec probe of a written clip. */
  probeMs: 30_000,
  /** Any run: this much, plus `perSecondMs` per second of clip (device recordings come in real time). */
  baseMs: 120_000,
  perSecondMs: 3_000,
  /** Bytes: this much, plus `bytesPerSecond` per second of clip (64 Mbit/s: above any camera's stream). */
  baseBytes: 16_000_000,
  bytesPerSecond: 8_000_000,
};

/** ffmpeg's own cap on the output (-fs), above the limit main watches: the last stop, for a flood between two progress reports. */
function hardCap(duration: number): number {
  return clipLimits(duration).maxBytes + FFMPEG_LIMITS.baseBytes;
}

/** The wall time and output size a clip of `duration` seconds may take. */
export function clipLimits(duration: number): { wallMs: number; maxBytes: number } {
  const s = Math.max(0, duration);
  return {
    wallMs: Math.round(FFMPEG_LIMITS.baseMs + s * FFMPEG_LIMITS.perSecondMs),
    maxBytes: Math.round(FFMPEG_LIMITS.baseBytes + s * FFMPEG_LIMITS.bytesPerSecond),
  };
}

/**
 * The video codec ffmpeg reads in the file `file` (e.g. `h264`, `hevc`), or null when it cannot tell.
 * Asked of the clip once written, never of the platform: a play URL may be single-use (Huawei IVM
 * tickets), and a second read of it is refused.
 */
export function videoCodecOf(ffmpeg: string, file: string, o: Pick<ReadOptions, 'signal'>): Promise<string | null> {
  return new Promise((resolve) => {
    const args = ['-hide_banner', '-nostdin', ...FILE_ONLY, '-i', file];
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const kill = () => child.kill('SIGKILL');
    o.signal.addEventListener('abort', kill, { once: true });
    const timer = setTimeout(kill, FFMPEG_LIMITS.probeMs);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(0, 20_000)));
    child.on('error', () => resolve(null));
    child.on('close', () => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', kill);
      resolve(/Stream #\d+:\d+[^:]*: Video: (\w+)/.exec(err)?.[1] ?? null);
    });
  });
}

/**
 * Runs ffmpeg to its end; `onTime` gets the seconds written (`-progress pipe:1`). Aborting kills it,
 * and so do `limits.wallMs` passing and the output passing `limits.maxBytes` (as `-progress`
 * counts it): the job then fails saying which. `input` (when given) is written to its stdin and
 * told when ffmpeg has gone.
 */
export function runFfmpeg(
  ffmpeg: string,
  args: string[],
  signal: AbortSignal,
  limits: { wallMs: number; maxBytes?: number },
  onTime: (seconds: number) => void = () => undefined,
  input?: (stdin: Writable, done: Promise<void>) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Error('cancelled'));
    const child = spawn(ffmpeg, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let overtime = false;
    let written = 0;
    const timer = setTimeout(() => {
      overtime = true;
      child.kill('SIGKILL');
    }, limits.wallMs);
    const tooLarge = () => limits.maxBytes !== undefined && written >= limits.maxBytes;
    if (input) {
      child.stdin!.on('error', () => undefined); // ffmpeg stopped reading (-t reached): its exit says how it went
      input(child.stdin!, new Promise((r) => child.on('close', () => r())));
    }
    const kill = () => child.kill('SIGKILL');
    signal.addEventListener('abort', kill, { once: true });
    let errors = '';
    child.stdout!.on('data', (d: Buffer) => {
      const m = /out_time_us=(\d+)/.exec(d.toString());
      if (m) onTime(Number(m[1]) / 1e6);
      for (const size of d.toString().matchAll(/total_size=(\d+)/g)) written = Math.max(written, Number(size[1]));
      if (tooLarge()) child.kill('SIGKILL');
    });
    child.stderr!.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-2000)));
    child.on('error', (e) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      reject(e);
    });
    // Play URLs carry short-lived platform tokens: never into a message or a log line.
    child.on('close', (code) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      if (overtime && !signal.aborted)
        return reject(
          new AppError(
            'NETWORK',
            `The clip took longer than ${Math.round(limits.wallMs / 1000)} s to write and was stopped`,
          ),
        );
      // Also when ffmpeg's own -fs ended it: a clip cut at its size is not whole.
      if (tooLarge() && !signal.aborted)
        return reject(
          new AppError(
            'PLATFORM_ERROR',
            `The recording came at more than ${Math.round((FFMPEG_LIMITS.bytesPerSecond * 8) / 1e6)} Mbit/s; the clip was stopped at ${Math.round(limits.maxBytes! / 1e6)} MB`,
          ),
        );
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
 * ffmpeg's arguments for remuxToMp4. `url` is a relay ticket (export.ts sends HLS through the
 * relay), so the input may use only the relay's protocols: a regression that handed ffmpeg a
 * platform's address as it came could not have it read file:, concat: or subfile.
 */
export function remuxArgs(url: string, offset: number, duration: number, part: string, idleMs: number): string[] {
  return [
    ...COPY,
    ...['-protocol_whitelist', RELAY_PROTOCOLS],
    // -rw_timeout: a source that stops sending fails ffmpeg instead of hanging the job (µs).
    ...['-rw_timeout', String(idleMs * 1000), '-ss', offset.toFixed(3), '-i', url],
    ...['-t', duration.toFixed(3), '-c', 'copy', '-fs', String(hardCap(duration))],
    ...['-f', 'mp4', '-movflags', '+faststart', '-progress', 'pipe:1', '-y', part],
  ];
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
  const limits = clipLimits(duration);
  await runFfmpeg(ffmpeg, remuxArgs(url, offset, duration, part, o.idleMs), o.signal, limits, (seconds) =>
    o.onProgress(seconds / duration),
  );
  return tagHvc1(ffmpeg, part, o);
}

/**
 * The MP4 at `part` asked its video codec; H.265 is retagged `hvc1` in place (ffmpeg and many
 * platforms write `hev1`, which QuickTime, Safari and Windows' player refuse; the tag is refused on
 * other codecs, hence the question first).
 */
export async function tagHvc1(
  ffmpeg: string,
  part: string,
  o: Pick<ReadOptions, 'signal'>,
): Promise<{ videoCodec: string | null }> {
  const videoCodec = await videoCodecOf(ffmpeg, part, o);
  if (videoCodec === 'hevc') {
    const tagged = `${part}.hvc1`;
    try {
      // A local copy: as large as the clip (plus its index), at disk speed.
      const size = fs.statSync(part).size;
      const fsLimit = String(size + FFMPEG_LIMITS.baseBytes);
      const wallMs = FFMPEG_LIMITS.baseMs + Math.round(size / 5_000);
      const args = [...FILE_ONLY, '-i', part, '-c', 'copy', '-tag:v', 'hvc1', '-fs', fsLimit];
      await runFfmpeg(ffmpeg, [...COPY, ...args, '-f', 'mp4', '-movflags', '+faststart', '-y', tagged], o.signal, {
        wallMs,
      });
      fs.renameSync(tagged, part);
    } finally {
      fs.rmSync(tagged, { force: true });
    }
  }
  return { videoCodec };
}

/**
 * Pieces of one clip (local files, back to back) joined into `part` by ffmpeg's concat demuxer,
 * streams copied. The list comes on stdin and names only the pieces: ffmpeg may read a pipe and files.
 */
export async function concatClips(
  ffmpeg: string,
  pieces: string[],
  part: string,
  ext: 'mp4' | 'ts',
  o: Pick<ReadOptions, 'signal'>,
): Promise<void> {
  // In the list's quoting a ' is written '\''; absolute names need -safe 0.
  const list = pieces.map((f) => `file '${path.resolve(f).replace(/'/g, "'\\''")}'\n`).join('');
  // A local copy: as large as the pieces (plus an index), at disk speed.
  const size = pieces.reduce((n, f) => n + fs.statSync(f).size, 0);
  const args = [
    ...COPY,
    ...['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file,pipe', '-i', 'pipe:0'],
    ...['-c', 'copy', '-fs', String(size + FFMPEG_LIMITS.baseBytes)],
    ...(ext === 'mp4' ? ['-f', 'mp4', '-movflags', '+faststart'] : ['-f', 'mpegts']),
    ...['-y', part],
  ];
  const wallMs = FFMPEG_LIMITS.baseMs + Math.round(size / 5_000);
  await runFfmpeg(ffmpeg, args, o.signal, { wallMs }, undefined, (stdin) => stdin.end(list));
}

/**
 * An FLV recording (a device's, Tencent IVC E37) → MP4, copied. The ffmpeg Vigil ships reads no
 * H.265 in FLV (neither the codec-id-12 form Chinese platforms send nor Enhanced RTMP), so main
 * reads the FLV itself, once: H.265 goes through the demuxer into MPEG-TS (decode and presentation
 * times kept) on ffmpeg's stdin and comes out tagged `hvc1`; anything else is handed to ffmpeg as
 * the FLV bytes it is. Devices send in real time, so the clip takes as long as it lasts. Sound MP4
 * does not carry as it came (GB28181 devices' G.711, FLV SoundFormat 7/8; ffmpeg's MP4 muxer has no
 * tag for it) is encoded to AAC (8 kHz mono: a few per cent of a core); AAC and MP3 are copied.
 */
export async function remuxFlvToMp4(
  ffmpeg: string,
  url: string,
  offset: number,
  duration: number,
  part: string,
  o: ReadOptions,
): Promise<{ videoCodec: string | null }> {
  const body = await get(url, o, 'The recording');
  const chunks = body.chunks();
  // The first video tag says which: buffer until the demuxer has seen one.
  const demux = new FlvHevcDemuxer({ audio: true });
  const head: Uint8Array[] = [];
  const frames: Array<{ annexB: Uint8Array; timestampMs: number; ctsMs: number; keyframe: boolean }> = [];
  let hevc: boolean | null = null;
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    try {
      frames.push(...demux.push(next.value));
    } catch {
      hevc = false; // not H.265 (demux says which codec): ffmpeg reads it
      break;
    }
    if (demux.codec === 'hevc') {
      hevc = true;
      break;
    }
  }
  if (hevc === null) {
    await chunks.return(undefined);
    throw new AppError('PLATFORM_ERROR', 'The recording sent no video');
  }
  // What its sound is, from its first audio tag: read on (a device sends a tag every 20–130 ms) until
  // one came, the header says there is none, or a quarter of a megabyte went by without one.
  const sound = new FlvSoundRewriter();
  for (const c of head) sound.push(c);
  const saysAudio = (head[0]?.[4] ?? 0) & 0x04;
  let read = head.reduce((n, c) => n + c.length, 0);
  // (H.265: the demuxer reads on instead, its pictures kept for ffmpeg.)
  const heard = () => (hevc ? demux.audioCodec !== null : sound.sound !== null);
  while (saysAudio && !heard() && read < SOUND_SCAN_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    if (hevc) frames.push(...demux.push(next.value));
    else {
      head.push(next.value);
      sound.push(next.value);
    }
    read += next.value.length;
  }
  // G.711 in an H.265 recording reaches ffmpeg as PCM (hevc-ts.ts): encoded to AAC like the rest.
  const reencode = hevc ? demux.sound === 'pcm' : sound.sound !== null && !MP4_SOUND.has(sound.sound.format);
  // Made at the first picture: the program carries the recording's sound when it came by then (AAC's
  // config comes with the video's, before any frame). ffmpeg's default probe finds its format.
  let ts: HevcTsMuxer | null = null;
  const muxed = (frames: DemuxedFrame[]): Uint8Array[] => {
    if (frames.length) ts ??= new HevcTsMuxer({ audio: demux.sound ?? false });
    const sound = demux.takeAudio();
    if (!ts) return [];
    const m = ts;
    const out = frames.map((f) => m.push(f.annexB, f.timestampMs, f.ctsMs, f.keyframe));
    if (m.audio) out.push(...sound.map((a) => m.pushSound(a)));
    return out;
  };
  // The offset is skipped on the output side: a pipe cannot seek (an input -ss on one writes nothing).
  // ADTS (how MPEG-TS carries AAC) becomes MP4's AudioSpecificConfig form, still copied.
  const limits = clipLimits(duration);
  const output = [
    ...(offset > 0 ? ['-ss', offset.toFixed(3)] : []),
    ...['-t', duration.toFixed(3), '-c', 'copy', ...(hevc ? ['-tag:v', 'hvc1'] : [])],
    // (The PCM an H.265 recording's G.711 became is on two channels at 48 kHz: one is enough.)
    ...(reencode
      ? ['-c:a', 'aac', '-b:a', '64k', ...(hevc ? ['-ac', '1'] : [])]
      : hevc
        ? ['-bsf:a', 'aac_adtstoasc']
        : []),
    ...['-fs', String(hardCap(duration))],
  ];
  const args = [
    ...COPY,
    ...(hevc ? ['-f', 'mpegts'] : ['-f', 'flv']),
    ...['-protocol_whitelist', 'pipe', '-i', 'pipe:0', ...output],
    ...['-f', 'mp4', '-movflags', '+faststart', '-progress', 'pipe:1', '-y', part],
  ];
  await runFfmpeg(
    ffmpeg,
    args,
    o.signal,
    limits,
    (seconds) => o.onProgress(seconds / duration),
    (stdin, gone) => {
      let over = false;
      void gone.then(() => (over = true));
      const write = (b: Uint8Array) => (over ? Promise.resolve() : writeTo(stdin, b));
      void (async () => {
        try {
          if (hevc) for (const b of muxed(frames)) await write(b);
          else for (const c of head) await write(c);
          for (;;) {
            if (over) break;
            const next = await chunks.next();
            if (next.done) break;
            if (!hevc) await write(next.value);
            else for (const b of muxed(demux.push(next.value))) await write(b);
          }
        } catch {
          /* the recording broke off: ffmpeg writes what came (and says so if nothing did) */
        } finally {
          await chunks.return(undefined).catch(() => undefined);
          stdin.end();
        }
      })();
    },
  );
  return { videoCodec: hevc ? 'hevc' : await videoCodecOf(ffmpeg, part, o) };
}

/** How far an FLV recording is read for its first audio tag before it is taken to have none. */
const SOUND_SCAN_BYTES = 256 * 1024;
/** FLV sound formats an MP4 takes as they are: MP3 (2), AAC (10). */
const MP4_SOUND = new Set([2, 10]);

/**
 * Writes with backpressure: resolves once the pipe takes more — or has gone (ffmpeg exits at `-t`
 * while a write waits: a closed pipe never drains, and the writer would wait for ever).
 */
export function writeTo(stream: Writable, b: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.writableEnded) return resolve();
    if (stream.write(b)) return resolve();
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
