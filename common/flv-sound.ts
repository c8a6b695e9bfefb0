/**
 * An FLV stream's sound, made playable by a browser's MediaSource. mpegts.js remuxes FLV into fMP4
 * and plays AAC, MP3, Opus and FLAC; GB28181 cameras send G.711 (FLV SoundFormat 7 A-law, 8
 * µ-law), which it refuses — and the refusal took the whole stream down. This rewrites each G.711
 * (and linear PCM, SoundFormat 0/3, which Chromium's MediaSource does not take either) audio tag
 * into an Enhanced-RTMP FLAC tag (VERBATIM frames: the decoded samples as they are, flac.ts), so
 * the sound goes through the same MediaSource as the pictures and stays in step with them. Sound
 * nothing here can play is dropped, and said (`SoundInfo`), so the pictures still play.
 *
 * Pure: bytes in, bytes out. Layout: FLV v10.1 §E.4.2.1; Enhanced RTMP v2 (AudioFourCc `fLaC`).
 */
import { decodeG711, type G711Law } from './g711';
import { flacFrame, flacStreamInfo, type FlacFormat } from './flac';
import { FlvTagReader, PREV_TAG_SIZE, TAG_AUDIO, TAG_HEADER, tagType } from './flv-tags';

/** What an FLV stream's sound is, by its SoundFormat (FLV v10.1 Table E.4.2.1-1). */
export interface SoundInfo {
  /** FLV SoundFormat: 7 G.711 A-law, 8 µ-law, 10 AAC, … (9: Enhanced RTMP, with `fourcc`). */
  format: number;
  /** A name for people ("G.711 A-law", "Speex"). */
  codec: string;
  /** Whether the pane can play it (after this rewrite). */
  playable: boolean;
  /** The rate of the sound as sent (Hz), where the format fixes or says it. */
  sampleRate?: number;
}

const FORMAT_NAMES: Record<number, string> = {
  0: 'Linear PCM',
  1: 'ADPCM',
  2: 'MP3',
  3: 'Linear PCM',
  4: 'Nellymoser',
  5: 'Nellymoser',
  6: 'Nellymoser',
  7: 'G.711 A-law',
  8: 'G.711 µ-law',
  10: 'AAC',
  11: 'Speex',
  14: 'MP3',
  15: 'device-specific sound',
};
/** Formats that reach mpegts.js as they are (Enhanced RTMP's Opus and FLAC are format 9). */
const PASSED = new Set([2, 9, 10]);
/** Formats this module turns into FLAC. */
const REWRITTEN = new Set([0, 3, 7, 8]);
const FLV_RATES = [5512, 11025, 22050, 44100];

/** The SoundInfo of an audio tag's first byte (and, for Enhanced RTMP, its FourCC). */
export function soundInfo(first: number, fourcc?: string): SoundInfo {
  const format = first >> 4;
  if (format === 9) {
    const known = fourcc === 'Opus' || fourcc === 'fLaC';
    return { format, codec: fourcc === 'fLaC' ? 'FLAC' : (fourcc ?? 'Enhanced RTMP sound'), playable: known };
  }
  const playable = PASSED.has(format) || REWRITTEN.has(format);
  const codec = FORMAT_NAMES[format] ?? `FLV sound format ${format}`;
  const sampleRate =
    format === 7 || format === 8 ? 8000 : format === 0 || format === 3 ? FLV_RATES[(first >> 2) & 3] : undefined;
  return { format, codec, playable, ...(sampleRate ? { sampleRate } : {}) };
}

/** The SoundInfo an FLV onMetaData's `audiocodecid` names (null: not a known number). */
export function soundInfoOfCodecId(id: number): SoundInfo | null {
  if (!Number.isInteger(id) || id < 0 || id > 15) return null;
  return soundInfo(id << 4);
}

const FLAC_SEQUENCE = 0x90; // SoundFormat 9 (Enhanced), AudioPacketType 0 SequenceStart
const FLAC_CODED = 0x91; // … 1 CodedFrames
const FOURCC_FLAC = [0x66, 0x4c, 0x61, 0x43];

/**
 * Follows one FLV stream (one connection) tag by tag. `push` returns the bytes to hand on: every
 * tag as it came, except audio tags — rewritten to FLAC (G.711, PCM), or dropped (sound no player
 * here decodes). `onSound` hears once what the stream's sound is.
 */
export class FlvSoundRewriter {
  /** A sound tag is small: it is gathered whole, then rewritten; any other tag passes as it comes. */
  private readonly reader = new FlvTagReader({
    headSize: (header, whole) => (this.isSound(header, whole) ? whole : TAG_HEADER),
    tag: (head, out) => {
      const whole = head.length;
      if (!this.isSound(head, whole)) out.add(head);
      else for (const t of this.audio(head.subarray(TAG_HEADER, whole - PREV_TAG_SIZE), head) ?? [head]) out.add(t);
      return true;
    },
  });
  private info: SoundInfo | null = null;
  private flac: FlacFormat | null = null;
  private samplesOut = 0;
  /** Audio tags rewritten and dropped (for stats and tests). */
  readonly counts = { rewritten: 0, dropped: 0 };

  constructor(private readonly onSound: (info: SoundInfo) => void = () => undefined) {}

  /** What the stream's sound is (null until an audio tag came). */
  get sound(): SoundInfo | null {
    return this.info;
  }

  push(chunk: Uint8Array): Uint8Array {
    return this.reader.push(chunk);
  }

  /** An audio tag with data (an empty one passes like any other tag). */
  private isSound(header: Uint8Array, whole: number): boolean {
    return tagType(header, 0) === TAG_AUDIO && whole > TAG_HEADER + PREV_TAG_SIZE;
  }

  /** null: the tag passes as it is; else what replaces it (nothing: dropped). */
  private audio(body: Uint8Array, header: Uint8Array): Uint8Array[] | null {
    const first = body[0]!;
    const format = first >> 4;
    if (!this.info) {
      const fourcc = format === 9 && body.length >= 5 ? String.fromCharCode(...body.subarray(1, 5)) : undefined;
      this.info = soundInfo(first, fourcc);
      this.onSound(this.info);
    }
    if (format === 9) {
      const fourcc = body.length >= 5 ? String.fromCharCode(...body.subarray(1, 5)) : '';
      if (fourcc === 'Opus' || fourcc === 'fLaC') return null;
      this.counts.dropped++;
      return [];
    }
    if (PASSED.has(format)) return null;
    if (!REWRITTEN.has(format)) {
      this.counts.dropped++;
      return [];
    }
    const channels = (first & 1) + 1;
    const samples = pcmOf(format, first, body.subarray(1));
    if (!samples || samples.length % channels) {
      this.counts.dropped++;
      return [];
    }
    const rate = format === 7 || format === 8 ? 8000 : FLV_RATES[(first >> 2) & 3]!;
    const tags: Uint8Array[] = [];
    if (!this.flac || this.flac.sampleRate !== rate || this.flac.channels !== channels) {
      this.flac = { sampleRate: rate, channels: channels as 1 | 2 };
      const info = flacStreamInfo(this.flac);
      // mpegts.js reads STREAMINFO after four bytes: a METADATA_BLOCK_HEADER (last block, STREAMINFO, 34).
      tags.push(audioTag(header, [FLAC_SEQUENCE, ...FOURCC_FLAC, 0x80, 0, 0, info.length], info));
    }
    const frame = flacFrame(this.flac, samples, this.samplesOut);
    this.samplesOut += samples.length / channels;
    tags.push(audioTag(header, [FLAC_CODED, ...FOURCC_FLAC], frame));
    this.counts.rewritten++;
    return tags;
  }
}

/** 16-bit samples of a G.711 or PCM tag's data; null where PCM's layout does not add up. */
function pcmOf(format: number, first: number, data: Uint8Array): Int16Array | null {
  if (format === 7 || format === 8) return decodeG711((format === 7 ? 'alaw' : 'mulaw') satisfies G711Law, data);
  if (first & 2) {
    // 16-bit little-endian (FLV's format 0 is "platform endian": every encoder writes little)
    if (data.length % 2) return null;
    const out = new Int16Array(data.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = ((data[2 * i]! | (data[2 * i + 1]! << 8)) << 16) >> 16;
    return out;
  }
  return Int16Array.from(data, (b) => (b - 128) << 8); // 8-bit unsigned
}

/** An audio tag with `header`'s timestamp and stream id, its data `head` then `payload`. */
function audioTag(header: Uint8Array, head: number[], payload: Uint8Array): Uint8Array {
  const size = head.length + payload.length;
  const out = new Uint8Array(TAG_HEADER + size + PREV_TAG_SIZE);
  out.set(header.subarray(0, TAG_HEADER));
  out[0] = TAG_AUDIO;
  out[1] = (size >> 16) & 0xff;
  out[2] = (size >> 8) & 0xff;
  out[3] = size & 0xff;
  out.set(head, TAG_HEADER);
  out.set(payload, TAG_HEADER + head.length);
  const prev = TAG_HEADER + size;
  out.set([(prev >>> 24) & 0xff, (prev >> 16) & 0xff, (prev >> 8) & 0xff, prev & 0xff], TAG_HEADER + size);
  return out;
}
