/**
 * HEVC access units (Annex-B, with decode and presentation times) → MPEG-TS, the container the
 * ffmpeg Vigil ships reads HEVC from with its timestamps kept. Used for H.265 in FLV, which that
 * ffmpeg cannot read in either form: main demuxes the FLV (flv-hevc.ts) and hands ffmpeg this.
 * One program: one video stream (stream type 0x24, PID 0x100, PCR on it) and, when asked, one
 * sound stream on PID 0x101 — AAC (ADTS, 0x0f), or G.711 as Blu-ray LPCM (0x80 under an "HDMV"
 * registration, pcm-bluray.ts); PAT/PMT before every key frame (and before sound that comes first); one PES per access unit
 * with PTS and DTS on the 90-kHz clock, one per sound frame with its PTS.
 */
import { pcmBlurayUnit, Upsampler } from './pcm-bluray';
import type { DemuxedAudio } from './flv-hevc';

/** The program's sound: AAC as it came, or PCM (a G.711 camera's, decoded) for ffmpeg to encode. */
export type TsSound = 'aac' | 'pcm';
/**
 * G.711 samples (8 kHz) per LPCM unit: the first 10 ms alone (~2 KB at 48 kHz stereo), so the
 * program tables and a whole first unit fit in the transcoder's 8-KB probe (ffmpeg learns the
 * sound's format from a packet inside it, as with AAC); then up to 200 ms, as the tags bring them
 * (few packets: ffmpeg queues them until its video encoder starts). The size field holds 2730.
 */
const PCM_FIRST_UNIT_SAMPLES = 80;
const PCM_UNIT_SAMPLES = 1600;

const PACKET = 188;
const PMT_PID = 0x1000;
const VIDEO_PID = 0x100;
const AUDIO_PID = 0x101;

/** CRC-32/MPEG-2 over the PSI section. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

/** A PSI section (table, with its CRC) in one TS packet. */
function psiPacket(pid: number, cc: number, table: number[]): Uint8Array {
  const section = Uint8Array.from(table);
  const crc = crc32(section);
  const p = new Uint8Array(PACKET).fill(0xff);
  p.set([0x47, 0x40 | (pid >> 8), pid & 0xff, 0x10 | (cc & 0x0f), 0x00], 0); // payload start, pointer field 0
  p.set(section, 5);
  p.set([crc >>> 24, (crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff], 5 + section.length);
  return p;
}

function pat(cc: number): Uint8Array {
  // table 0, section length 13, TS id 1, version 0 current, program 1 → PMT PID
  return psiPacket(0, cc, [
    0x00,
    0xb0,
    13,
    0x00,
    0x01,
    0xc1,
    0x00,
    0x00,
    0x00,
    0x01,
    0xe0 | (PMT_PID >> 8),
    PMT_PID & 0xff,
  ]);
}

function pmt(cc: number, sound: TsSound | null): Uint8Array {
  // table 2, program 1, PCR PID, one HEVC stream (0x24) and, with sound, one ADTS AAC (0x0f) or one
  // Blu-ray LPCM (0x80), whose type only counts under the program's "HDMV" registration descriptor
  const streams = [[0x24, VIDEO_PID], ...(sound ? [[sound === 'aac' ? 0x0f : 0x80, AUDIO_PID]] : [])];
  const info = sound === 'pcm' ? [0x05, 4, 0x48, 0x44, 0x4d, 0x56] : [];
  return psiPacket(PMT_PID, cc, [
    ...[0x02, 0xb0, 13 + info.length + 5 * streams.length, 0x00, 0x01, 0xc1, 0x00, 0x00],
    ...[0xe0 | (VIDEO_PID >> 8), VIDEO_PID & 0xff, 0xf0, info.length, ...info],
    ...streams.flatMap(([type, pid]) => [type!, 0xe0 | (pid! >> 8), pid! & 0xff, 0xf0, 0x00]),
  ]);
}

/** A 33-bit timestamp in the PES header's 5 bytes, after the 4-bit marker `prefix`. */
function pesTime(prefix: number, t: number): number[] {
  const hi = Math.floor(t / 2 ** 30) & 0x07;
  const mid = Math.floor(t / 2 ** 15) & 0x7fff;
  const lo = t & 0x7fff;
  return [(prefix << 4) | (hi << 1) | 1, mid >> 7, ((mid & 0x7f) << 1) | 1, lo >> 7, ((lo & 0x7f) << 1) | 1];
}

/** The stream's first decode time on the 90-kHz clock (a second of headroom for B-frames), in ms. */
export const TS_START_MS = 1000;

export class HevcTsMuxer {
  private cc = { pat: 0, pmt: 0, video: 0, audio: 0 };
  /** The time (ms, the caller's clock) of the first unit, picture or sound: it goes out as TS_START_MS. */
  base: number | null = null;

  /**
   * `live`: each access unit ends with the next one's delimiter (an AUD NAL), so a reader's HEVC
   * parser knows the picture is whole at once instead of when the next one starts (live
   * transcoding would otherwise run a picture — at key frames only, a second — late).
   * `audio`: the program also carries sound: AAC (`true` or 'aac': ADTS frames, `pushAudio`) or
   * PCM ('pcm': a G.711 camera's samples, `pushPcm`).
   */
  constructor(private readonly o: { live?: boolean; audio?: boolean | TsSound } = {}) {
    this.sound = o.audio === true ? 'aac' : o.audio || null;
  }

  /** The program's sound stream, if any. */
  readonly sound: TsSound | null;
  /** A G.711 stream's interpolation to 48 kHz (its history runs across units). */
  private upsampler: Upsampler | null = null;

  /** The program carries a sound stream. */
  get audio(): boolean {
    return this.sound !== null;
  }

  /** One demuxed sound frame, of the program's kind (any other is dropped: empty). */
  pushSound(a: DemuxedAudio): Uint8Array {
    if ('adts' in a) return this.sound === 'aac' ? this.pushAudio(a.adts, a.timestampMs) : new Uint8Array(0);
    return this.sound === 'pcm' ? this.pushPcm(a.pcm, a.timestampMs) : new Uint8Array(0);
  }

  /**
   * 8-kHz samples (a G.711 camera's, decoded) shown from `ptsMs`, as Blu-ray LPCM at 48 kHz;
   * empty if before the program's start.
   */
  pushPcm(samples: Int16Array, ptsMs: number): Uint8Array {
    if (this.sound !== 'pcm') throw new Error('this MPEG-TS program has no PCM stream');
    this.base ??= ptsMs;
    const up = (this.upsampler ??= new Upsampler());
    const out: Uint8Array[] = [];
    for (let at = 0, n = 0; at < samples.length; at += n) {
      n = this.cc.audio === 0 ? PCM_FIRST_UNIT_SAMPLES : PCM_UNIT_SAMPLES;
      const part = up.push(samples.subarray(at, at + n));
      const pts = Math.round((ptsMs + at / 8 - this.base + TS_START_MS) * 90);
      if (pts < 0) continue;
      const tables = this.cc.pat === 0 ? [pat(this.cc.pat++), pmt(this.cc.pmt++, this.sound)] : [];
      const unit = pes(0xbd, [0x80, 0x80, 5, ...pesTime(2, pts)], pcmBlurayUnit(part));
      out.push(joined([...tables, ...this.packets(AUDIO_PID, 'audio', unit, null)]));
    }
    return out.length === 1 ? out[0]! : joinedBytes(out);
  }

  /** One access unit: decode time and composition offset in ms (relative times; the first is 0). */
  push(annexB: Uint8Array, dtsMs: number, ctsMs: number, keyframe: boolean): Uint8Array {
    if (this.o.live) annexB = withTrailingAud(annexB);
    this.base ??= dtsMs;
    // A second of headroom: a B-frame's PTS never goes below the stream's start.
    const dts = Math.round((dtsMs - this.base + TS_START_MS) * 90);
    const pts = dts + Math.round(ctsMs * 90);
    const out: Uint8Array[] = [];
    if (keyframe || this.cc.video === 0) out.push(pat(this.cc.pat++), pmt(this.cc.pmt++, this.sound));
    const header = [0x80, 0xc0, 10, ...pesTime(3, pts), ...pesTime(1, dts)];
    // The first packet of a PES carries the PCR (= DTS) and, at a key frame, random access.
    out.push(
      ...this.packets(VIDEO_PID, 'video', pes(0xe0, header, annexB), [0x10 | (keyframe ? 0x40 : 0), ...pcr(dts)]),
    );
    return joined(out);
  }

  /** One AAC frame with its ADTS header, shown at `ptsMs` (the video's clock); empty if before the program's start. */
  pushAudio(adts: Uint8Array, ptsMs: number): Uint8Array {
    if (this.sound !== 'aac')
      throw new Error(
        this.sound ? 'this MPEG-TS program carries PCM, not AAC' : 'this MPEG-TS program has no audio stream',
      );
    // The program's clock starts at whichever comes first (pictures stamped up to TS_START_MS earlier still fit).
    this.base ??= ptsMs;
    const pts = Math.round((ptsMs - this.base + TS_START_MS) * 90);
    if (pts < 0) return new Uint8Array(0);
    // Sound before the first picture: the program tables go first, or a reader drops these packets
    // of a PID it does not know yet (ffmpeg then found no AAC in its probe, and the transcode had no sound).
    const tables = this.cc.pat === 0 ? [pat(this.cc.pat++), pmt(this.cc.pmt++, 'aac')] : [];
    return joined([
      ...tables,
      ...this.packets(AUDIO_PID, 'audio', pes(0xc0, [0x80, 0x80, 5, ...pesTime(2, pts)], adts), null),
    ]);
  }

  /** A PES cut into TS packets; the first packet carries `first` as its adaptation field. */
  private packets(pid: number, stream: 'video' | 'audio', bytes: Uint8Array, first: number[] | null): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let at = 0, isFirst = true; at < bytes.length; isFirst = false) {
      const left = bytes.length - at;
      let af: number[] | null = isFirst && first ? [...first] : null;
      const room = PACKET - 4 - (af ? af.length + 1 : 0);
      if (af && left < room) af.push(...new Array<number>(room - left).fill(0xff));
      if (!af && left < PACKET - 4) {
        // The last packet: an adaptation field of stuffing fills it (just its length byte when one short).
        const pad = PACKET - 4 - left;
        af = pad === 1 ? [] : [0x00, ...new Array<number>(pad - 2).fill(0xff)];
      }
      const p = new Uint8Array(PACKET);
      p.set([0x47, (isFirst ? 0x40 : 0) | (pid >> 8), pid & 0xff, (af ? 0x30 : 0x10) | (this.cc[stream]++ & 0x0f)]);
      let o = 4;
      if (af) {
        p[o++] = af.length;
        p.set(af, o);
        o += af.length;
      }
      const take = PACKET - o;
      p.set(bytes.subarray(at, at + take), o);
      at += take;
      out.push(p);
    }
    return out;
  }
}

/**
 * A PES packet: start code, stream id, length, the optional header's bytes, the payload. The
 * length when it fits (16 bits): a reader can hand the unit on as soon as it is whole, instead of
 * waiting for the next one to start (a live transcode would run a picture late).
 */
function pes(streamId: number, header: number[], payload: Uint8Array): Uint8Array {
  const size = header.length + payload.length;
  const length = size <= 0xffff ? size : 0;
  const out = new Uint8Array(6 + size);
  out.set([0x00, 0x00, 0x01, streamId, length >> 8, length & 0xff, ...header], 0);
  out.set(payload, 6 + header.length);
  return out;
}

function joinedBytes(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  return all;
}

function joined(packets: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(packets.length * PACKET);
  packets.forEach((p, i) => all.set(p, i * PACKET));
  return all;
}

/** An access unit delimiter (NAL type 35, any picture type) after the unit. */
const AUD = Uint8Array.from([0, 0, 0, 1, 35 << 1, 1, 0x50]);
function withTrailingAud(annexB: Uint8Array): Uint8Array {
  const out = new Uint8Array(annexB.length + AUD.length);
  out.set(annexB, 0);
  out.set(AUD, annexB.length);
  return out;
}

/** The 6 PCR bytes for a 90-kHz time. */
function pcr(t: number): number[] {
  const b = Math.floor(t / 2) >>> 0; // the top 32 of the 33 bits
  return [b >>> 24, (b >> 16) & 0xff, (b >> 8) & 0xff, b & 0xff, ((t & 1) << 7) | 0x7e, 0x00];
}
