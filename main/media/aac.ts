/**
 * AAC as the two containers carry it: FLV sends an AudioSpecificConfig once (AAC packet type 0)
 * and then raw frames (type 1); MPEG-TS (and ffmpeg's `adts` muxer) sends each frame behind a
 * 7-byte ADTS header that repeats the config. Pure functions over bytes (ISO/IEC 14496-3
 * §1.6.2.1 and §1.A.2.2), used where H.265 in FLV is turned into MPEG-TS for ffmpeg (main) and
 * where the media simulator muxes an encoder's ADTS into FLV (tests).
 */

export const AAC_SAMPLE_RATES = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];
/** Samples per AAC frame (AAC-LC): a frame lasts 1024 / rate seconds. */
export const AAC_FRAME_SAMPLES = 1024;
/** FLV sound format 10 (AAC); its audio tag header byte is always 0xAF (44 kHz, 16-bit, stereo flags). */
export const FLV_SOUND_AAC = 10;
const FLV_AAC_HEAD = 0xaf;

export interface AacConfig {
  /** Audio object type (2 = AAC-LC). */
  objectType: number;
  /** Index into AAC_SAMPLE_RATES. */
  rateIndex: number;
  /** Channel configuration (1 = mono, 2 = stereo). */
  channels: number;
}

/** The first two bytes of an AudioSpecificConfig: object type (5 bits), rate index (4), channels (4). */
export function parseAudioSpecificConfig(b: Uint8Array): AacConfig {
  if (b.length < 2) throw new Error('AAC AudioSpecificConfig too short');
  const objectType = b[0]! >> 3;
  const rateIndex = ((b[0]! & 0x07) << 1) | (b[1]! >> 7);
  const channels = (b[1]! >> 3) & 0x0f;
  // ADTS has two bits for the profile and no escape for an explicit rate (index 15).
  if (objectType < 1 || objectType > 4 || rateIndex >= AAC_SAMPLE_RATES.length)
    throw new Error(`AAC config not carried in ADTS (object type ${objectType}, rate index ${rateIndex})`);
  return { objectType, rateIndex, channels };
}

export function audioSpecificConfig(c: AacConfig): Uint8Array {
  return Uint8Array.from([(c.objectType << 3) | (c.rateIndex >> 1), ((c.rateIndex & 1) << 7) | (c.channels << 3)]);
}

/** The ADTS header (no CRC) for a raw frame of `payloadLength` bytes. */
export function adtsHeader(c: AacConfig, payloadLength: number): Uint8Array {
  const len = payloadLength + 7;
  if (len > 0x1fff) throw new Error(`AAC frame of ${payloadLength} bytes does not fit ADTS`);
  return Uint8Array.from([
    0xff,
    0xf1, // sync, MPEG-4, layer 0, no CRC
    ((c.objectType - 1) << 6) | (c.rateIndex << 2) | (c.channels >> 2),
    ((c.channels & 3) << 6) | (len >> 11),
    (len >> 3) & 0xff,
    ((len & 7) << 5) | 0x1f, // buffer fullness 0x7FF: variable rate
    0xfc, // ... and one raw data block
  ]);
}

/** An ADTS frame: the header's config and the raw frame after it. */
export interface AdtsFrame {
  config: AacConfig;
  raw: Uint8Array;
}

/**
 * Splits an ADTS byte stream into frames; `rest` is an incomplete frame to prepend to the next
 * chunk. Bytes before a sync word (a stream joined mid-frame) are skipped.
 */
export function splitAdts(b: Uint8Array): { frames: AdtsFrame[]; rest: Uint8Array } {
  const frames: AdtsFrame[] = [];
  let at = 0;
  while (at + 7 <= b.length) {
    if (b[at] !== 0xff || (b[at + 1]! & 0xf6) !== 0xf0) {
      at++;
      continue;
    }
    const headerLength = b[at + 1]! & 0x01 ? 7 : 9; // protection_absent: no CRC
    const len = ((b[at + 3]! & 0x03) << 11) | (b[at + 4]! << 3) | (b[at + 5]! >> 5);
    if (len < headerLength) {
      at++;
      continue;
    }
    if (at + len > b.length) break;
    const config = {
      objectType: (b[at + 2]! >> 6) + 1,
      rateIndex: (b[at + 2]! >> 2) & 0x0f,
      channels: ((b[at + 2]! & 0x01) << 2) | (b[at + 3]! >> 6),
    };
    frames.push({ config, raw: b.subarray(at + headerLength, at + len) });
    at += len;
  }
  return { frames, rest: b.slice(at) };
}

/** An FLV audio tag's body: the config (`header`) or a raw frame. */
export function flvAacBody(kind: 'header' | 'frame', data: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + data.length);
  out[0] = FLV_AAC_HEAD;
  out[1] = kind === 'header' ? 0 : 1;
  out.set(data, 2);
  return out;
}
