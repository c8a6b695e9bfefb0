/**
 * H.265 in FLV, both forms platforms send: the legacy codec id 12 that Chinese platforms use
 * (FLV video tag `0x1c`, then an AVC-like packet type and composition time), and Enhanced RTMP
 * (ex-header bit, packet type in the low nibble, FourCC `hvc1`). Pure functions and small
 * stateful parsers over bytes, no I/O:
 * - the media simulator muxes an encoder's Annex-B stream into FLV with them (no ffmpeg here
 *   writes HEVC into FLV);
 * - main's transcoder turns a camera's HEVC-in-FLV back into Annex-B for ffmpeg (the bundled
 *   ffmpeg reads neither FLV form).
 */

import {
  adtsHeader,
  audioSpecificConfig,
  flvAacBody,
  FLV_SOUND_AAC,
  parseAudioSpecificConfig,
  type AacConfig,
  type AdtsFrame,
} from './aac';
import { decodeG711 } from '../../common/g711';

export type FlvHevcForm = 'legacy' | 'enhanced';

const AUDIO_TAG = 8;
const VIDEO_TAG = 9;
const SCRIPT_TAG = 18;
const NAL_VPS = 32;
const NAL_SPS = 33;
const NAL_PPS = 34;
const NAL_AUD = 35;
const START_CODE = Uint8Array.from([0, 0, 0, 1]);

export const nalType = (nal: Uint8Array): number => (nal[0]! >> 1) & 0x3f;
/** IRAP pictures (BLA, IDR, CRA: types 16–23) start a GOP a decoder can join. */
export const isKeyNal = (nal: Uint8Array): boolean => nalType(nal) >= 16 && nalType(nal) <= 23;
const isVcl = (nal: Uint8Array): boolean => nalType(nal) < 32;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ------------------------------------------------------------------ Annex-B

/** Start-code positions in `b` from `from`: [index of the code, its length]. */
function nextStartCode(b: Uint8Array, from: number): [number, number] | null {
  for (let i = from; i + 2 < b.length; i++) {
    if (b[i] !== 0 || b[i + 1] !== 0) continue;
    if (b[i + 2] === 1) return i > from && b[i - 1] === 0 ? [i - 1, 4] : [i, 3];
  }
  return null;
}

/** Every NAL unit of a whole Annex-B buffer, without start codes. */
export function splitAnnexB(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let code = nextStartCode(b, 0);
  while (code) {
    const start = code[0] + code[1];
    const next = nextStartCode(b, start);
    const end = next ? next[0] : b.length;
    if (end > start) out.push(b.subarray(start, end));
    code = next;
  }
  return out;
}

/**
 * Splits a live Annex-B byte stream into access units (one picture's NAL units). An access unit
 * ends where the next begins: at an access unit delimiter, at parameter sets after a picture, or
 * at a slice that starts a new picture (first_slice_segment_in_pic_flag). The last unit is held
 * until the next one starts (one frame of delay; `flush` hands it on at the end).
 */
export class AnnexBReader {
  private pending: Uint8Array = new Uint8Array(0);
  private unit: Uint8Array[] = [];
  private unitHasPicture = false;

  push(chunk: Uint8Array): Uint8Array[][] {
    const buf = this.pending.length ? concat([this.pending, chunk]) : chunk;
    const units: Uint8Array[][] = [];
    let code = nextStartCode(buf, 0);
    if (!code) {
      this.pending = buf.slice();
      return units;
    }
    for (;;) {
      const start = code[0] + code[1];
      const next = nextStartCode(buf, start);
      if (!next) {
        // The last NAL may still grow: keep it, start code included.
        this.pending = buf.slice(code[0]);
        return units;
      }
      if (next[0] > start) this.add(buf.slice(start, next[0]), units);
      code = next;
    }
  }

  flush(): Uint8Array[][] {
    const units: Uint8Array[][] = [];
    for (const nal of splitAnnexB(this.pending)) this.add(nal.slice(), units);
    this.pending = new Uint8Array(0);
    if (this.unit.length) units.push(this.unit);
    this.unit = [];
    this.unitHasPicture = false;
    return units;
  }

  private add(nal: Uint8Array, units: Uint8Array[][]): void {
    const type = nalType(nal);
    const startsPicture = isVcl(nal) && nal.length > 2 && (nal[2]! & 0x80) !== 0;
    const startsUnit = type === NAL_AUD || (type >= NAL_VPS && type <= NAL_PPS) || startsPicture;
    if (startsUnit && this.unitHasPicture) {
      units.push(this.unit);
      this.unit = [];
      this.unitHasPicture = false;
    }
    if (type === NAL_AUD) return; // FLV carries no delimiters
    this.unit.push(nal);
    if (isVcl(nal)) this.unitHasPicture = true;
  }
}

/** Removes emulation-prevention bytes (00 00 03 → 00 00) from a NAL unit's payload. */
export function unescapeRbsp(nal: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of nal) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    out.push(byte);
  }
  return Uint8Array.from(out);
}

/** The 12 bytes of general profile_tier_level in an SPS (profile space/tier/idc, 32 compatibility flags, 48 constraint bits, level). */
function spsProfileTierLevel(sps: Uint8Array): Uint8Array {
  const rbsp = unescapeRbsp(sps);
  // 2-byte NAL header, then vps id (4 bits), max_sub_layers_minus1 (3), temporal_id_nesting (1)
  if (rbsp.length < 15) throw new Error('SPS too short');
  return rbsp.subarray(3, 15);
}

/** HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3) for 8-bit 4:2:0 from VPS, SPS, PPS. */
export function hevcConfigRecord(vps: Uint8Array, sps: Uint8Array, pps: Uint8Array): Uint8Array {
  const ptl = spsProfileTierLevel(sps);
  const head = Uint8Array.from([
    1, // configurationVersion
    ...ptl.subarray(0, 12), // profile space/tier/idc, compatibility flags, constraint flags, level
    0xf0,
    0x00, // reserved + min_spatial_segmentation_idc 0
    0xfc, // reserved + parallelismType 0
    0xfd, // reserved + chroma_format_idc 1 (4:2:0)
    0xf8, // reserved + bit_depth_luma_minus8 0
    0xf8, // reserved + bit_depth_chroma_minus8 0
    0x00,
    0x00, // avgFrameRate unknown
    0x0f, // constantFrameRate 0, numTemporalLayers 1, temporalIdNested 1, lengthSizeMinusOne 3
    3, // numOfArrays
  ]);
  const array = (type: number, nal: Uint8Array) =>
    Uint8Array.from([0x80 | type, 0, 1, nal.length >> 8, nal.length & 0xff, ...nal]);
  return concat([head, array(NAL_VPS, vps), array(NAL_SPS, sps), array(NAL_PPS, pps)]);
}

/** RFC 6381 codec string of an HEVC stream from its SPS, e.g. `hvc1.1.6.L93.B0` (ISO/IEC 14496-15 Annex E). */
export function hevcCodecString(sps: Uint8Array, fourcc: 'hvc1' | 'hev1' = 'hvc1'): string {
  const p = spsProfileTierLevel(sps);
  const space = ['', 'A', 'B', 'C'][p[0]! >> 6]!;
  const tier = p[0]! & 0x20 ? 'H' : 'L';
  const idc = p[0]! & 0x1f;
  let flags = ((p[1]! << 24) | (p[2]! << 16) | (p[3]! << 8) | p[4]!) >>> 0;
  let reversed = 0;
  for (let i = 0; i < 32; i++, flags >>>= 1) reversed = ((reversed << 1) | (flags & 1)) >>> 0;
  const constraints = Array.from(p.subarray(5, 11));
  while (constraints.length && constraints.at(-1) === 0) constraints.pop();
  const c = constraints.map((x) => x.toString(16).toUpperCase());
  return [`${fourcc}`, `${space}${idc}`, reversed.toString(16).toUpperCase(), `${tier}${p[11]}`, ...c].join('.');
}

// ------------------------------------------------------------------ FLV writing

/** FLV file header (video, and audio when asked) and PreviousTagSize0. */
export function flvHeader(audio = false): Uint8Array {
  return Uint8Array.from([0x46, 0x4c, 0x56, 1, audio ? 0x05 : 0x01, 0, 0, 0, 9, 0, 0, 0, 0]);
}

/** One FLV tag and the PreviousTagSize after it. */
export function flvTag(type: number, timestampMs: number, data: Uint8Array): Uint8Array {
  const ts = Math.max(0, Math.round(timestampMs)) >>> 0;
  const out = new Uint8Array(11 + data.length + 4);
  const v = new DataView(out.buffer);
  out[0] = type;
  out[1] = (data.length >> 16) & 0xff;
  out[2] = (data.length >> 8) & 0xff;
  out[3] = data.length & 0xff;
  out[4] = (ts >> 16) & 0xff;
  out[5] = (ts >> 8) & 0xff;
  out[6] = ts & 0xff;
  out[7] = (ts >>> 24) & 0xff; // TimestampExtended
  out.set(data, 11);
  v.setUint32(11 + data.length, 11 + data.length);
  return out;
}

/** onMetaData (AMF0) naming the video: width, height, frame rate, and the codec id or FourCC. */
export function metadataTag(o: {
  width: number;
  height: number;
  fps: number;
  form: FlvHevcForm;
  audio?: boolean;
}): Uint8Array {
  const bytes: number[] = [];
  const str = (s: string) => bytes.push(s.length >> 8, s.length & 0xff, ...Array.from(s, (c) => c.charCodeAt(0)));
  const num = (n: number) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, n);
    bytes.push(0, ...b);
  };
  bytes.push(2);
  str('onMetaData');
  bytes.push(8, 0, 0, 0, 5); // ECMA array of 5
  str('width');
  num(o.width);
  str('height');
  num(o.height);
  str('framerate');
  num(o.fps);
  str('videocodecid');
  num(o.form === 'legacy' ? 12 : 0x68766331); // Enhanced RTMP names the codec by its FourCC as a number
  str('hasAudio');
  bytes.push(1, o.audio ? 1 : 0);
  bytes.push(0, 0, 9); // end of object
  return flvTag(SCRIPT_TAG, 0, Uint8Array.from(bytes));
}

/** The sequence header tag (the decoder configuration record). */
export function hevcSequenceTag(form: FlvHevcForm, record: Uint8Array): Uint8Array {
  const head = form === 'legacy' ? [0x1c, 0, 0, 0, 0] : [0x90, 0x68, 0x76, 0x63, 0x31]; // key frame + codec 12 | ex-header, SequenceStart, 'hvc1'
  return flvTag(VIDEO_TAG, 0, concat([Uint8Array.from(head), record]));
}

/** One picture (its NAL units, 4-byte length prefixed), no B-frames (composition time 0). */
export function hevcFrameTag(
  form: FlvHevcForm,
  nals: Uint8Array[],
  keyframe: boolean,
  timestampMs: number,
): Uint8Array {
  const frameType = keyframe ? 1 : 2;
  // Enhanced: CodedFramesX (3) = coded frames with composition time 0 implied.
  const head =
    form === 'legacy' ? [(frameType << 4) | 12, 1, 0, 0, 0] : [0x80 | (frameType << 4) | 3, 0x68, 0x76, 0x63, 0x31];
  const body: Uint8Array[] = [Uint8Array.from(head)];
  for (const nal of nals) {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, nal.length);
    body.push(len, nal);
  }
  return flvTag(VIDEO_TAG, timestampMs, concat(body));
}

/**
 * Annex-B access units → FLV tags of one form: the header, metadata and sequence header once the
 * parameter sets are known (`start`, kept for every new viewer), then frame tags (`frame`).
 */
export class HevcFlvMuxer {
  private vps: Uint8Array | null = null;
  private sps: Uint8Array | null = null;
  private pps: Uint8Array | null = null;
  /** What a viewer joining now receives first (header, metadata, sequence header); null until the parameter sets came. */
  start: Uint8Array | null = null;
  record: Uint8Array | null = null;

  /** The AAC config, from the first audio frame (a source with audio). */
  private aac: AacConfig | null = null;

  /** `audio`: the source sends AAC too; a viewer's opening then waits for its config. */
  constructor(private readonly o: { width: number; height: number; fps: number; audio?: boolean }) {}

  /** One AAC frame (from an ADTS stream) → its FLV audio tag, the same in both forms. */
  audioFrame(frame: AdtsFrame, timestampMs: number): Uint8Array {
    this.aac ??= frame.config;
    return flvTag(AUDIO_TAG, timestampMs, flvAacBody('frame', frame.raw));
  }

  /** One access unit → the frame tags for each form (null before the first parameter sets). */
  frame(unit: Uint8Array[], timestampMs: number): { keyframe: boolean; tags: Record<FlvHevcForm, Uint8Array> } | null {
    for (const nal of unit) {
      const t = nalType(nal);
      if (t === NAL_VPS) this.vps = nal;
      else if (t === NAL_SPS) this.sps = nal;
      else if (t === NAL_PPS) this.pps = nal;
    }
    if (!this.record && this.vps && this.sps && this.pps) this.record = hevcConfigRecord(this.vps, this.sps, this.pps);
    if (!this.record) return null;
    const pictures = unit.filter(isVcl);
    if (!pictures.length) return null;
    const keyframe = pictures.some(isKeyNal);
    return {
      keyframe,
      tags: {
        legacy: hevcFrameTag('legacy', pictures, keyframe, timestampMs),
        enhanced: hevcFrameTag('enhanced', pictures, keyframe, timestampMs),
      },
    };
  }

  /** The first bytes a viewer of `form` needs: FLV header, onMetaData, sequence headers (null until all are known). */
  opening(form: FlvHevcForm): Uint8Array | null {
    if (!this.record || (this.o.audio && !this.aac)) return null;
    const audio = this.aac ? [flvTag(AUDIO_TAG, 0, flvAacBody('header', audioSpecificConfig(this.aac)))] : [];
    const meta = metadataTag({ ...this.o, form, audio: !!this.o.audio });
    return concat([flvHeader(!!this.o.audio), meta, hevcSequenceTag(form, this.record), ...audio]);
  }
}

// ------------------------------------------------------------------ FLV reading

export interface DemuxedFrame {
  /** Annex-B: start codes, and the parameter sets before every key frame. */
  annexB: Uint8Array;
  keyframe: boolean;
  /** Decode time (the tag's timestamp). */
  timestampMs: number;
  /** Composition time offset: the picture shows at timestampMs + ctsMs (B-frames). */
  ctsMs: number;
}

/**
 * One sound frame for MPEG-TS: AAC behind its ADTS header, or a G.711 camera's samples decoded to
 * 8-kHz PCM (MPEG-TS has no G.711; hevc-ts.ts carries it as LPCM).
 */
export type DemuxedAudio = { timestampMs: number } & ({ adts: Uint8Array } | { pcm: Int16Array });

/** FLV's SoundFormat for G.711 A-law and µ-law. */
const FLV_SOUND_ALAW = 7;
const FLV_SOUND_MULAW = 8;

/**
 * FLV bytes → HEVC access units as Annex-B, from either form. A video codec other than HEVC is an
 * error (`codec` says which). With `{ audio: true }`, AAC frames are kept as ADTS for `takeAudio()`
 * (what MPEG-TS carries), and G.711 (GB28181 cameras) as decoded PCM; other audio and script tags
 * are skipped, `audioCodec` saying what the stream sent.
 */
export class FlvHevcDemuxer {
  private buf: Uint8Array = new Uint8Array(0);
  private aac: AacConfig | null = null;
  private audio: DemuxedAudio[] = [];
  /** The FLV sound format of the stream's audio (10 = AAC), once an audio tag came. */
  audioCodec: number | null = null;

  constructor(private readonly o: { audio?: boolean } = {}) {}

  /** Sound frames (AAC, or G.711 as PCM) demuxed since the last call (with `{ audio: true }`). */
  takeAudio(): DemuxedAudio[] {
    const out = this.audio;
    this.audio = [];
    return out;
  }

  /** The stream has sent its AAC config: its frames can be carried. */
  get hasAac(): boolean {
    return this.aac !== null;
  }

  private headerDone = false;
  private headerSaysAudio = true;

  /** The stream's sound as MPEG-TS will carry it: AAC once its config came, PCM once G.711 came; else null. */
  get sound(): 'aac' | 'pcm' | null {
    if (this.aac) return 'aac';
    return this.audioCodec === FLV_SOUND_ALAW || this.audioCodec === FLV_SOUND_MULAW ? 'pcm' : null;
  }

  /** No sound that can be carried is coming: the header says video only, or the stream sends neither AAC nor G.711. */
  get noSound(): boolean {
    return (
      (this.headerDone && !this.headerSaysAudio) ||
      (this.audioCodec !== null && ![FLV_SOUND_AAC, FLV_SOUND_ALAW, FLV_SOUND_MULAW].includes(this.audioCodec))
    );
  }

  /** No AAC can be coming: the header says video only, or the sound the stream sends is not AAC (G.711…). */
  get noAac(): boolean {
    return (
      (this.headerDone && !this.headerSaysAudio) || (this.audioCodec !== null && this.audioCodec !== FLV_SOUND_AAC)
    );
  }
  private lengthSize = 4;
  private paramSets: Uint8Array | null = null;
  /** 'hevc' once a HEVC video tag came; the codec id or FourCC otherwise. */
  codec: string | null = null;
  form: FlvHevcForm | null = null;

  push(chunk: Uint8Array): DemuxedFrame[] {
    this.buf = this.buf.length ? concat([this.buf, chunk]) : chunk;
    const out: DemuxedFrame[] = [];
    let at = 0;
    if (!this.headerDone) {
      if (this.buf.length < 13) return out;
      if (this.buf[0] !== 0x46 || this.buf[1] !== 0x4c || this.buf[2] !== 0x56) throw new Error('not an FLV stream');
      const headerSize = new DataView(this.buf.buffer, this.buf.byteOffset).getUint32(5);
      // The header is 9 bytes (FLV 1); a stream claiming kilobytes would only make this buffer grow.
      if (headerSize < 9 || headerSize > 1024) throw new Error(`FLV header of ${headerSize} bytes`);
      at = headerSize + 4;
      if (this.buf.length < at) return out;
      this.headerDone = true;
      this.headerSaysAudio = (this.buf[4]! & 0x04) !== 0;
    }
    for (;;) {
      if (this.buf.length < at + 11) break;
      const type = this.buf[at]! & 0x1f;
      const size = (this.buf[at + 1]! << 16) | (this.buf[at + 2]! << 8) | this.buf[at + 3]!;
      if (this.buf.length < at + 11 + size + 4) break;
      const ts =
        ((this.buf[at + 7]! << 24) | (this.buf[at + 4]! << 16) | (this.buf[at + 5]! << 8) | this.buf[at + 6]!) >>> 0;
      if (type === VIDEO_TAG && size > 0) {
        const frame = this.video(this.buf.subarray(at + 11, at + 11 + size), ts);
        if (frame) out.push(frame);
      } else if (type === AUDIO_TAG && size > 0) this.audioTag(this.buf.subarray(at + 11, at + 11 + size), ts);
      at += 11 + size + 4;
    }
    this.buf = this.buf.slice(at);
    return out;
  }

  private video(data: Uint8Array, ts: number): DemuxedFrame | null {
    const b0 = data[0]!;
    const frameType = (b0 >> 4) & 0x07;
    let packetType: number;
    let payload: Uint8Array;
    let cts = 0;
    const si24 = (at: number) => (((data[at]! << 16) | (data[at + 1]! << 8) | data[at + 2]!) << 8) >> 8;
    if (b0 & 0x80) {
      const fourcc = String.fromCharCode(...data.subarray(1, 5));
      if (fourcc !== 'hvc1') throw this.other(fourcc);
      this.form = 'enhanced';
      packetType = b0 & 0x0f;
      if (packetType === 1) {
        payload = data.subarray(8); // CodedFrames: SI24 composition time first
        cts = si24(5);
      } else if (packetType === 3) {
        payload = data.subarray(5);
        packetType = 1;
      } else payload = data.subarray(5);
    } else {
      const codecId = b0 & 0x0f;
      if (codecId !== 12) throw this.other(String(codecId));
      this.form = 'legacy';
      packetType = data[1]!;
      cts = si24(2);
      payload = data.subarray(5);
    }
    this.codec = 'hevc';
    if (frameType === 5) return null; // video info/command frame
    if (packetType === 0) {
      this.readRecord(payload);
      return null;
    }
    if (packetType !== 1 || !this.paramSets) return null;
    const nals: Uint8Array[] = [];
    for (let i = 0; i + this.lengthSize <= payload.length; ) {
      let len = 0;
      for (let k = 0; k < this.lengthSize; k++) len = len * 256 + payload[i + k]!;
      i += this.lengthSize;
      if (len === 0 || i + len > payload.length) break;
      nals.push(START_CODE, payload.subarray(i, i + len));
      i += len;
    }
    const keyframe = frameType === 1;
    return { annexB: concat(keyframe ? [this.paramSets, ...nals] : nals), keyframe, timestampMs: ts, ctsMs: cts };
  }

  private audioTag(data: Uint8Array, ts: number): void {
    this.audioCodec = data[0]! >> 4;
    if (this.o.audio && (this.audioCodec === FLV_SOUND_ALAW || this.audioCodec === FLV_SOUND_MULAW)) {
      if (data.length > 1)
        this.audio.push({
          pcm: decodeG711(this.audioCodec === FLV_SOUND_ALAW ? 'alaw' : 'mulaw', data.subarray(1)),
          timestampMs: ts,
        });
      return;
    }
    if (!this.o.audio || this.audioCodec !== FLV_SOUND_AAC || data.length < 3) return;
    const body = data.subarray(2);
    if (data[1] === 0) {
      // A config ADTS cannot carry (an explicit rate, a rare object type) leaves the sound out, not the pictures.
      try {
        this.aac = parseAudioSpecificConfig(body);
      } catch {
        this.aac = null;
      }
    } else if (this.aac) this.audio.push({ adts: concat([adtsHeader(this.aac, body.length), body]), timestampMs: ts });
  }

  private readRecord(rec: Uint8Array): void {
    if (rec.length < 23) throw new Error('HEVC decoder configuration record too short');
    this.lengthSize = (rec[21]! & 0x03) + 1;
    const sets: Uint8Array[] = [];
    let at = 23;
    for (let a = 0, n = rec[22]!; a < n; a++) {
      const count = (rec[at + 1]! << 8) | rec[at + 2]!;
      at += 3;
      for (let k = 0; k < count; k++) {
        const len = (rec[at]! << 8) | rec[at + 1]!;
        sets.push(START_CODE, rec.subarray(at + 2, at + 2 + len));
        at += 2 + len;
      }
    }
    this.paramSets = concat(sets);
  }

  private other(codec: string): Error {
    this.codec = codec;
    return new Error(`the stream's video is not H.265 (FLV codec ${codec === '7' ? 'H.264' : codec})`);
  }
}
