/**
 * The smallest FLAC encoder: STREAMINFO and frames whose subframes are VERBATIM (the samples as
 * they are, no prediction). It exists to hand PCM to a browser's MediaSource, which takes FLAC in
 * fMP4 but no PCM at all (Chromium: `audio/mp4; codecs="flac"` yes, `"ipcm"` no): the bytes grow
 * by ~12 per frame and nothing is computed but two CRCs. Pure. Layout: RFC 9639 §8–§9.
 */

/** Sample rates with a 4-bit code of their own in a frame header (RFC 9639 §9.1.2). */
const RATE_CODES: Record<number, number> = {
  88200: 1,
  176400: 2,
  192000: 3,
  8000: 4,
  16000: 5,
  22050: 6,
  24000: 7,
  32000: 8,
  44100: 9,
  48000: 10,
  96000: 11,
};

export interface FlacFormat {
  sampleRate: number;
  channels: 1 | 2;
}

/**
 * STREAMINFO's 34 bytes for 16-bit samples: block sizes 16–65535 (a stream's frames may differ:
 * one per FLV tag), frame sizes and total unknown (0), no MD5.
 */
export function flacStreamInfo(f: FlacFormat): Uint8Array {
  if (!Number.isInteger(f.sampleRate) || f.sampleRate < 1 || f.sampleRate > 0xfffff)
    throw new Error(`FLAC cannot carry a sample rate of ${f.sampleRate} Hz`);
  const b = new Uint8Array(34);
  b[0] = 0;
  b[1] = 16; // minimum block size
  b[2] = 0xff;
  b[3] = 0xff; // maximum block size
  // bytes 4–9: frame sizes unknown
  b[10] = (f.sampleRate >> 12) & 0xff;
  b[11] = (f.sampleRate >> 4) & 0xff;
  b[12] = ((f.sampleRate & 0x0f) << 4) | ((f.channels - 1) << 1) | ((16 - 1) >> 4);
  b[13] = ((16 - 1) & 0x0f) << 4; // bits per sample − 1 (low 4 bits); total samples unknown
  return b;
}

/** The coded number of a variable-block-size frame: its first sample's number, UTF-8-like (36 bits). */
function codedNumber(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  let bytes = 2;
  while (bytes < 7 && n >= 2 ** (5 * bytes + 1)) bytes++;
  for (let i = bytes - 1; i > 0; i--) {
    out.unshift(0x80 | n % 64);
    n = Math.floor(n / 64);
  }
  out.unshift(((0xff00 >> bytes) & 0xff) | n);
  return out;
}

export function crc8(b: ArrayLike<number>, end = b.length): number {
  let crc = 0;
  for (let i = 0; i < end; i++) {
    crc ^= b[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** CRC-16 (polynomial 0x8005) of each byte value: read-only, built at load. */
const CRC16_TABLE = Uint16Array.from({ length: 256 }, (_, v) => {
  let crc = v << 8;
  for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

export function crc16(b: Uint8Array, end = b.length): number {
  let crc = 0;
  for (let i = 0; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[(crc >> 8) ^ b[i]!]!;
  return crc;
}

/**
 * One FLAC frame of 16-bit `samples` (interleaved when stereo), numbered by its first sample
 * (`firstSample`: the stream uses variable block sizes, so each frame says where it starts).
 */
export function flacFrame(f: FlacFormat, samples: Int16Array, firstSample: number): Uint8Array {
  const perChannel = samples.length / f.channels;
  if (!Number.isInteger(perChannel) || perChannel < 1 || perChannel > 65536)
    throw new Error(`a FLAC frame holds 1–65536 samples per channel, not ${samples.length / f.channels}`);
  const rateCode = RATE_CODES[f.sampleRate];
  const rateExtra =
    rateCode !== undefined
      ? []
      : f.sampleRate % 1000 === 0 && f.sampleRate / 1000 < 256
        ? [f.sampleRate / 1000]
        : f.sampleRate < 0x10000
          ? [f.sampleRate >> 8, f.sampleRate & 0xff]
          : null;
  if (!rateExtra) throw new Error(`a FLAC frame header cannot name ${f.sampleRate} Hz`);
  const rateBits = rateCode ?? (rateExtra.length === 1 ? 12 : 13);
  const header = [
    0xff,
    0xf9, // sync, reserved 0, variable block size
    (7 << 4) | rateBits, // block size: 16 bits (−1) at the end of the header
    ((f.channels - 1) << 4) | (4 << 1), // independent channels, 16-bit samples
    ...codedNumber(firstSample),
    (perChannel - 1) >> 8,
    (perChannel - 1) & 0xff,
    ...rateExtra,
  ];
  header.push(crc8(header));
  const out = new Uint8Array(header.length + f.channels * (1 + 2 * perChannel) + 2);
  out.set(header);
  let at = header.length;
  for (let c = 0; c < f.channels; c++) {
    out[at++] = 0x02; // subframe: VERBATIM, no wasted bits
    for (let i = c; i < samples.length; i += f.channels) {
      const s = samples[i]!;
      out[at++] = (s >> 8) & 0xff;
      out[at++] = s & 0xff;
    }
  }
  const crc = crc16(out, at);
  out[at++] = crc >> 8;
  out[at] = crc & 0xff;
  return out;
}
