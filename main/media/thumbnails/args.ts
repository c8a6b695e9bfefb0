import { RELAY_PROTOCOLS } from '../ffmpeg';

/** Pictures are this wide (height by the aspect, even); JPEG quality 2 (best) … 31. */
export const THUMB_WIDTH = 192;
const QUALITY = 6;

/** Bounds on one picture's ffmpeg: it parses what a platform sent. */
export const THUMB_LIMITS = {
  /** One HLS segment read through the relay, decoded to its first key frame. */
  hlsWallMs: 15_000,
  /** A device recording comes in real time: its first key frame may take a GOP or two to arrive. */
  flvWallMs: 20_000,
  /** Bytes of a device recording read before giving up on finding a key frame. */
  flvInputBytes: 8_000_000,
  /** A picture larger than this is no thumbnail: the run is stopped. */
  outputBytes: 1_000_000,
};

export type ThumbInput =
  /** One HLS segment (MPEG-TS) on main's relay. */
  | { kind: 'relay'; url: string }
  /** Bytes main writes to stdin: FLV as it came, or MPEG-TS main made of H.265 in FLV. */
  | { kind: 'pipe'; format: 'flv' | 'mpegts' };

/**
 * ffmpeg's arguments for one key-frame picture as JPEG on stdout: the input's first key frame,
 * only key frames decoded (`-skip_frame nokey`: the cheapest picture there is). No seek: an HLS
 * segment starts at a key frame and lasts a few seconds, and MPEG-TS has no index, so a seek
 * inside one lands past its key frame as often as not and, with nothing else decoded, gives no
 * picture. One thread, audio and subtitles ignored, scaled small.
 */
export function keyFrameArgs(input: ThumbInput, idleMs = 10_000, width = THUMB_WIDTH): string[] {
  const common = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-threads', '1', '-skip_frame', 'nokey'];
  const source =
    input.kind === 'relay'
      ? [...['-protocol_whitelist', RELAY_PROTOCOLS, '-rw_timeout', String(idleMs * 1000)], ...['-i', input.url]]
      : ['-protocol_whitelist', 'pipe', '-f', input.format, '-i', 'pipe:0'];
  return [
    ...common,
    ...source,
    ...['-an', '-sn', '-dn', '-frames:v', '1'],
    ...['-vf', `scale=${width}:-2`, '-q:v', String(QUALITY)],
    ...['-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'],
  ];
}

/** A JPEG (SOI … EOI), as ffmpeg's mjpeg writes one. */
export function isJpeg(b: Uint8Array): boolean {
  return b.length > 4 && b[0] === 0xff && b[1] === 0xd8 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9;
}
