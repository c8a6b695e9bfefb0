/**
 * The H.264 key frame that opens an MPEG-TS segment (ISO/IEC 13818-1), as length-prefixed NAL
 * units the key-frame decoder takes (the layout of an MP4 sample). A live HLS pane at key frames
 * fetches its newest segment itself, without hls.js (hls-key-refresh.ts): live HLS is mostly
 * MPEG-TS, which hls.js would have remuxed to fMP4 first (fmp4-key-frame.ts reads those). Pure:
 * bytes in, bytes out; never throws on what a server sends.
 */

const PACKET = 188;
const STREAM_TYPE_H264 = 0x1b;
const NAL_IDR = 5;
/** Left out: the access unit delimiter, and the SPS and PPS the configuration (avcC) already carries. */
const NAL_DROPPED: ReadonlySet<number> = new Set([7, 8, 9]);

/** A TS packet's payload (after its header and adaptation field), or null for none. */
function payloadOf(b: Uint8Array, at: number): Uint8Array | null {
  const control = (b[at + 3]! >> 4) & 3;
  if (!(control & 1)) return null;
  const start = control === 3 ? at + 5 + b[at + 4]! : at + 4;
  return start < at + PACKET ? b.subarray(start, at + PACKET) : null;
}

const pidOf = (b: Uint8Array, at: number) => ((b[at + 1]! & 0x1f) << 8) | b[at + 2]!;
const unitStarts = (b: Uint8Array, at: number) => (b[at + 1]! & 0x40) !== 0;

/** A PSI section's body (after the pointer field and the 8-byte long header) up to its CRC. */
function section(payload: Uint8Array): Uint8Array | null {
  const s = payload.subarray(1 + payload[0]!);
  if (s.length < 12) return null;
  const length = ((s[1]! & 0x0f) << 8) | s[2]!;
  return s.length >= 3 + length && length >= 9 ? s.subarray(8, 3 + length - 4) : null;
}

/** The PID of the first H.264 stream the segment's PAT and PMT name, or null. */
function videoPid(b: Uint8Array): number | null {
  let pmtPid: number | null = null;
  for (let at = 0; at + PACKET <= b.length; at += PACKET) {
    if (b[at] !== 0x47 || !unitStarts(b, at)) continue;
    const pid = pidOf(b, at);
    const payload = payloadOf(b, at);
    const body = payload && payload.length > 1 ? section(payload) : null;
    if (!body) continue;
    if (pid === 0 && pmtPid === null) {
      // program entries of 4 bytes; program 0 names the network PID, not a PMT
      for (let i = 0; i + 4 <= body.length; i += 4)
        if ((body[i]! << 8) | body[i + 1]!) {
          pmtPid = ((body[i + 2]! & 0x1f) << 8) | body[i + 3]!;
          break;
        }
    } else if (pmtPid !== null && pid === pmtPid) {
      let i = 4 + (((body[2]! & 0x0f) << 8) | body[3]!); // PCR PID, program info
      for (; i + 5 <= body.length; i += 5 + (((body[i + 3]! & 0x0f) << 8) | body[i + 4]!))
        if (body[i] === STREAM_TYPE_H264) return ((body[i + 1]! & 0x1f) << 8) | body[i + 2]!;
      return null;
    }
  }
  return null;
}

/**
 * The elementary stream of the first `max` PES packets on `pid`, in order, from the first that
 * starts in the segment (headers taken off). Not the rest: a 1-s segment has ~25, and the first
 * frame is nearly always in the first two.
 */
function pesPayloads(b: Uint8Array, pid: number, max: number): Uint8Array[] {
  const packets: Uint8Array[][] = [];
  for (let at = 0; at + PACKET <= b.length; at += PACKET) {
    if (b[at] !== 0x47 || pidOf(b, at) !== pid) continue;
    if (unitStarts(b, at)) {
      if (packets.length === max) break;
      packets.push([]);
    }
    const payload = payloadOf(b, at);
    if (payload && packets.length) packets[packets.length - 1]!.push(payload);
  }
  return packets.flatMap((parts) => {
    const pes = concat(parts);
    // packet start code prefix, then stream id, length, flags and the optional header's length
    if (pes.length < 9 || pes[0] !== 0 || pes[1] !== 0 || pes[2] !== 1) return [];
    const length = (pes[4]! << 8) | pes[5]!;
    const start = 9 + pes[8]!;
    return start <= pes.length ? [pes.subarray(start, length ? Math.min(6 + length, pes.length) : pes.length)] : [];
  });
}

/** PES packets read for the first access unit at most (a frame split in more is not looked for further). */
const MAX_PES = 16;

const isSlice = (type: number) => type >= 1 && type <= 5;

/**
 * The NAL units of the stream's first access unit (H.264 §7.4.1.2.3): it ends where, after its
 * slices, a delimiter, parameter set or SEI comes, or a slice whose first_mb_in_slice is 0 (a new
 * picture). Null while that end is not in `es` (the unit may be cut short). A frame may be split
 * over PES packets, or one PES may hold more than one: NAL units are read across them.
 */
function firstAccessUnit(es: Uint8Array): Uint8Array[] | null {
  const units = annexBUnits(es);
  let sliceSeen = false;
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    const type = u[0]! & 0x1f;
    if (sliceSeen && (type === 9 || type === 7 || type === 8 || type === 6)) return units.slice(0, i);
    // (first_mb_in_slice is ue(v): 0 is a single 1 bit)
    if (sliceSeen && isSlice(type) && u.length > 1 && u[1]! & 0x80) return units.slice(0, i);
    if (isSlice(type)) sliceSeen = true;
  }
  return null;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The NAL units of an Annex B byte stream (split at 00 00 01 start codes; trailing zeros dropped). */
export function annexBUnits(es: Uint8Array): Uint8Array[] {
  const starts: number[] = [];
  for (let i = 0; i + 2 < es.length; i++)
    if (es[i] === 0 && es[i + 1] === 0 && es[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  return starts.map((from, k) => {
    let to = k + 1 < starts.length ? starts[k + 1]! - 3 : es.length;
    while (to > from && es[to - 1] === 0) to--;
    return es.subarray(from, to);
  });
}

/**
 * The segment's opening key frame as NAL units each prefixed by its length (`lengthSize` bytes,
 * the avcC's lengthSizeMinusOne + 1), without the parameter sets and delimiter; null when the
 * segment is not MPEG-TS with H.264, is cut short, or does not open on an IDR picture.
 */
export function tsKeyFrameOf(segment: Uint8Array, lengthSize = 4): Uint8Array | null {
  if (segment[0] !== 0x47 || lengthSize < 1 || lengthSize > 4) return null;
  const pid = videoPid(segment);
  const payloads = pid === null ? [] : pesPayloads(segment, pid, MAX_PES);
  // The first PES packets, one more at a time, until the first access unit's end is among them.
  let au: Uint8Array[] | null = null;
  for (let k = 1; k < payloads.length && !au; k++) au = firstAccessUnit(concat(payloads.slice(0, k + 1)));
  if (!au) return null;
  const units = au.filter((u) => u.length && !NAL_DROPPED.has(u[0]! & 0x1f));
  if (!units.some((u) => (u[0]! & 0x1f) === NAL_IDR)) return null;
  if (units.some((u) => u.length >= 2 ** (8 * lengthSize))) return null;
  const out = new Uint8Array(units.reduce((n, u) => n + lengthSize + u.length, 0));
  let at = 0;
  for (const u of units) {
    for (let k = lengthSize - 1, n = u.length; k >= 0; k--, n = Math.floor(n / 256)) out[at + k] = n & 0xff;
    out.set(u, at + lengthSize);
    at += lengthSize + u.length;
  }
  return out;
}
