/**
 * The H.264 key frame that opens an HLS segment, read from the fragmented MP4 hls.js appends
 * (ISO/IEC 14496-12 boxes; hls.js remuxes MPEG-TS segments to one moof + mdat each, fMP4 segments
 * pass as they came). A live HLS pane the decode budget cut to key frames shows one picture a
 * segment: its worker decodes this frame (key-frame-decoder.ts), so the page's main thread neither
 * makes the picture nor its video seeks to every segment. Pure functions: bytes in, bytes out.
 */

/** The video track of an initialization segment: its id and its AVCDecoderConfigurationRecord. */
export interface AvcTrack {
  trackId: number;
  avcC: Uint8Array;
}

interface Box {
  type: string;
  /** where its payload starts and its box ends, in the buffer */
  body: number;
  end: number;
  start: number;
}

/** The boxes between `from` and `to`; stops at the first that runs past `to` (a truncated buffer). */
function boxes(b: Uint8Array, from: number, to: number): Box[] {
  const out: Box[] = [];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = from; at + 8 <= to; ) {
    let size = view.getUint32(at);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) break;
      size = Number(view.getBigUint64(at + 8));
      body = at + 16;
    } else if (size === 0) size = to - at; // to the end of what holds it
    if (size < body - at || at + size > to) break;
    out.push({
      type: String.fromCharCode(b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!),
      start: at,
      body,
      end: at + size,
    });
    at += size;
  }
  return out;
}

function child(b: Uint8Array, parent: Box | undefined, type: string): Box | undefined {
  return parent && boxes(b, parent.body, parent.end).find((x) => x.type === type);
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** The first H.264 video track of an initialization segment (moov), or null (none, another codec, malformed). */
export function avcTrackOf(init: Uint8Array): AvcTrack | null {
  const moov = boxes(init, 0, init.length).find((x) => x.type === 'moov');
  if (!moov) return null;
  for (const trak of boxes(init, moov.body, moov.end).filter((x) => x.type === 'trak')) {
    const tkhd = child(init, trak, 'tkhd');
    const stsd = child(init, child(init, child(init, child(init, trak, 'mdia'), 'minf'), 'stbl'), 'stsd');
    if (!tkhd || !stsd || tkhd.end - tkhd.body < 24) continue;
    // tkhd: version/flags, then creation and modification times (32 or 64 bits each), then track_ID
    const trackId = u32(init, tkhd.body + (init[tkhd.body] === 1 ? 20 : 12));
    // stsd: version/flags, entry count, then sample entries; an avc1/avc3 entry's boxes follow its
    // 78 bytes of fields (VisualSampleEntry, §12.1.3)
    for (const entry of boxes(init, stsd.body + 8, stsd.end)) {
      if (entry.type !== 'avc1' && entry.type !== 'avc3') continue;
      const avcC = boxes(init, entry.body + 78, entry.end).find((x) => x.type === 'avcC');
      if (avcC && avcC.end - avcC.body >= 7 && init[avcC.body] === 1)
        return { trackId, avcC: init.slice(avcC.body, avcC.end) };
    }
  }
  return null;
}

/**
 * The first sample of `track` in a media segment (moof + mdat) if it is a key frame (holds an IDR
 * NAL unit), as length-prefixed NAL units — what an FLV tag carries; a view into `segment`. Null
 * otherwise: another track's fragment, a segment (or LL-HLS part) that does not open on a key
 * frame, sizes only the init's defaults give (not read here), a layout not read here (a traf after
 * the first without a base), or malformed bytes. Never throws.
 */
export function keyFrameOf(segment: Uint8Array, track: AvcTrack): Uint8Array | null {
  const moof = boxes(segment, 0, segment.length).find((x) => x.type === 'moof');
  if (!moof) return null;
  const trafs = boxes(segment, moof.body, moof.end).filter((x) => x.type === 'traf');
  for (const [index, traf] of trafs.entries()) {
    const tfhd = child(segment, traf, 'tfhd');
    const trun = child(segment, traf, 'trun');
    if (!tfhd || !trun || tfhd.end - tfhd.body < 8 || u32(segment, tfhd.body + 4) !== track.trackId) continue;
    const tfFlags = u32(segment, tfhd.body) & 0xffffff;
    // tfhd's optional fields in order: base data offset (8), description index (4), default duration (4), default size (4)
    let at = tfhd.body + 8;
    let base: number | null = null;
    if (tfFlags & 0x1) {
      if (at + 8 > tfhd.end || u32(segment, at) !== 0) return null;
      base = u32(segment, at + 4); // an offset in the file: this buffer is the segment's file
      at += 8;
    } else if (tfFlags & 0x20000 || index === 0) base = moof.start; // default-base-is-moof, or the moof's first traf (§8.8.7.1)
    if (tfFlags & 0x2) at += 4;
    if (tfFlags & 0x8) at += 4;
    const defaultSize = tfFlags & 0x10 && at + 4 <= tfhd.end ? u32(segment, at) : 0;
    // trun: flags, sample count, then data offset (0x1) and first sample flags (0x4), then per-sample fields
    if (trun.end - trun.body < 8) return null;
    const trFlags = u32(segment, trun.body) & 0xffffff;
    if (u32(segment, trun.body + 4) === 0) return null;
    let p = trun.body + 8;
    const field = () => {
      if (p + 4 > trun.end) throw new RangeError('trun too short');
      const v = u32(segment, p);
      p += 4;
      return v;
    };
    let from: number;
    let size: number;
    try {
      const dataOffset = trFlags & 0x1 ? field() | 0 : null; // signed
      if (trFlags & 0x4) field();
      if (trFlags & 0x100) field(); // the first sample's duration
      size = trFlags & 0x200 ? field() : defaultSize;
      if (dataOffset !== null) {
        if (base === null) return null;
        from = base + dataOffset;
      } else if (base !== null && tfFlags & 0x1) from = base;
      else {
        // no offset anywhere: the data follows the moof, in its mdat
        const mdat = boxes(segment, moof.end, segment.length).find((x) => x.type === 'mdat');
        if (!mdat || index !== 0) return null;
        from = mdat.body;
      }
    } catch {
      return null;
    }
    if (!size || from < 0 || from + size > segment.length) return null;
    const sample = segment.subarray(from, from + size);
    return holdsIdr(sample, (track.avcC[4]! & 0x3) + 1) ? sample : null;
  }
  return null;
}

/** Whether length-prefixed NAL units (lengths of `lengthSize` bytes) hold an IDR slice (type 5). */
function holdsIdr(sample: Uint8Array, lengthSize: number): boolean {
  for (let at = 0; at + lengthSize < sample.length; ) {
    let len = 0;
    for (let k = 0; k < lengthSize; k++) len = len * 256 + sample[at + k]!;
    at += lengthSize;
    if (len === 0 || at + len > sample.length) return false;
    if ((sample[at]! & 0x1f) === 5) return true;
    at += len;
  }
  return false;
}
