/**
 * Many servers (node-media-server among them) set the FLV header's audio flag on every stream,
 * and mpegts.js then waits for audio that never comes — most cameras have none. This reads the
 * stream's first tag (onMetaData) so the header can be corrected before mpegts.js sees it.
 * Pure and free of mpegts.js, so Node tests run it on real streams.
 */
import { soundInfoOfCodecId } from '../../../common/flv-sound';

/**
 * What the first bytes of a live FLV say about audio; 'more' until they can say. `codecId`: the
 * onMetaData's `audiocodecid` (FLV SoundFormat), where it names one.
 */
export type AudioFlagResult = 'more' | { bytes: Uint8Array; hasAudio: boolean | undefined; codecId?: number };

const SCRIPT_TAG = 18;
const AUDIO_FLAG = 0x04;
/** Give up looking for the first tag's end past this (a real onMetaData is < 1 KB). */
const MAX_HEAD = 64 * 1024;
/** onMetaData fields only a stream with audio has (ffmpeg's FLV muxer writes them per track). */
export const AUDIO_KEYS: readonly string[] = [
  'audiocodecid',
  'audiosamplerate',
  'audiodatarate',
  'audiosamplesize',
  'stereo',
];

/**
 * Pure: given the bytes received so far, decides whether the stream has audio and returns the
 * bytes to hand on, with the header's audio flag cleared when the metadata names no audio
 * (mpegts.js still takes audio that arrives after all: it turns its audio flag back on).
 * `hasAudio` is undefined when the stream does not tell (not FLV, no onMetaData first).
 */
export function correctAudioFlag(head: Uint8Array): AudioFlagResult {
  if (head.length < 9) return 'more';
  if (head[0] !== 0x46 || head[1] !== 0x4c || head[2] !== 0x56) return { bytes: head, hasAudio: undefined }; // not "FLV"
  if ((head[4]! & AUDIO_FLAG) === 0) return { bytes: head, hasAudio: false };
  const tag = readU32(head, 5) + 4; // header length, then PreviousTagSize0
  if (head.length < tag + 11) return head.length > MAX_HEAD ? { bytes: head, hasAudio: undefined } : 'more';
  if ((head[tag]! & 0x1f) !== SCRIPT_TAG) return { bytes: head, hasAudio: undefined };
  const end = tag + 11 + ((head[tag + 1]! << 16) | (head[tag + 2]! << 8) | head[tag + 3]!);
  if (head.length < end) return head.length > MAX_HEAD ? { bytes: head, hasAudio: undefined } : 'more';
  const script = head.subarray(tag + 11, end);
  const hasAudio = metadataSaysAudio(script);
  const codecId = amfNumber(script, 'audiocodecid');
  const named = codecId === undefined ? {} : { codecId };
  // Sound the page cannot play is dropped before mpegts.js (common/flv-sound.ts): it must not wait for it.
  const playable = codecId === undefined || soundInfoOfCodecId(codecId)?.playable !== false;
  if (hasAudio && playable) return { bytes: head, hasAudio, ...named };
  const bytes = head.slice();
  bytes[4] = bytes[4]! & ~AUDIO_FLAG;
  return { bytes, hasAudio: false, ...named };
}

/** An AMF0 number field's value (marker 0, then a big-endian double), or undefined. */
function amfNumber(script: Uint8Array, name: string): number | undefined {
  const at = find(script, amfKey(name));
  if (at < 0 || script[at] !== 0x00 || at + 9 > script.length) return undefined;
  const v = new DataView(script.buffer, script.byteOffset + at + 1, 8).getFloat64(0);
  return Number.isFinite(v) ? v : undefined;
}

/** AMF0 keys are a 16-bit length and the name: find `hasAudio` (a boolean) or any audio field. */
function metadataSaysAudio(script: Uint8Array): boolean {
  const flag = find(script, amfKey('hasAudio'));
  if (flag >= 0 && script[flag] === 0x01) return script[flag + 1] !== 0; // boolean marker, value
  return AUDIO_KEYS.some((k) => find(script, amfKey(k)) >= 0);
}

function amfKey(name: string): Uint8Array {
  return Uint8Array.from([name.length >> 8, name.length & 0xff, ...Array.from(name, (c) => c.charCodeAt(0))]);
}

/** Index just past `needle` in `hay`, or -1. */
function find(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i + needle.length;
  }
  return -1;
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}
