import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import {
  AnnexBReader,
  FlvHevcDemuxer,
  HevcFlvMuxer,
  flvTag,
  hevcCodecString,
  nalType,
  splitAnnexB,
  unescapeRbsp,
  type FlvHevcForm,
} from '../../main/media/flv-hevc';
import { ffmpegPath } from '../emulators/media/ffmpeg';

// A real H.265 elementary stream from the bundled ffmpeg (libx265): 50 pictures, a key frame
// every 25, parameter sets repeated, access unit delimiters on — what the simulator's encoder writes.
const FRAMES = 50;
const encoded = spawnSync(
  ffmpegPath(),
  [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25'],
    ...['-frames:v', String(FRAMES), '-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-x265-params', 'keyint=25:min-keyint=25:bframes=0:aud=1:repeat-headers=1:log-level=error'],
    ...['-f', 'hevc', 'pipe:1'],
  ],
  { maxBuffer: 64 * 1024 * 1024 },
);
const sample = new Uint8Array(encoded.stdout);

/** How many pictures ffmpeg decodes from an Annex-B stream. */
function decodedFrames(annexB: Uint8Array): number {
  const r = spawnSync(ffmpegPath(), ['-hide_banner', '-f', 'hevc', '-i', 'pipe:0', '-f', 'framecrc', 'pipe:1'], {
    input: annexB,
    maxBuffer: 64 * 1024 * 1024,
  });
  return r.stdout
    .toString()
    .split('\n')
    .filter((l) => /^0,/.test(l)).length;
}

function accessUnits(bytes: Uint8Array, chunk: number): Uint8Array[][] {
  const reader = new AnnexBReader();
  const units: Uint8Array[][] = [];
  for (let i = 0; i < bytes.length; i += chunk) units.push(...reader.push(bytes.subarray(i, i + chunk)));
  return [...units, ...reader.flush()];
}

test('the sample is a real H.265 stream (ffmpeg decodes all its pictures)', () => {
  assert.equal(encoded.status, 0, encoded.stderr.toString());
  assert.equal(decodedFrames(sample), FRAMES);
});

test('Annex-B access units: one per picture whatever the chunking, delimiters dropped, parameter sets with key frames', () => {
  for (const chunk of [7, 1000, 65536, sample.length]) {
    const units = accessUnits(sample, chunk);
    assert.equal(units.length, FRAMES, `chunks of ${chunk}`);
    assert.ok(units.every((u) => u.every((n) => nalType(n) !== 35)));
    assert.deepEqual(
      units.map((u, i) => (u.some((n) => nalType(n) === 33) ? i : -1)).filter((i) => i >= 0),
      [0, 25],
    );
  }
  assert.equal(splitAnnexB(sample).filter((n) => nalType(n) < 32).length, FRAMES);
});

test('emulation prevention bytes are removed; the codec string is read from the SPS', () => {
  assert.deepEqual([...unescapeRbsp(Uint8Array.from([1, 0, 0, 3, 1, 0, 0, 3, 0, 3]))], [1, 0, 0, 1, 0, 0, 0, 3]);
  const sps = splitAnnexB(sample).find((n) => nalType(n) === 33)!;
  // x265 Main profile (1), compatibility flags 1 and 2 (reversed: 0x6), Main tier, level 2 (60 = 2 × 30) for
  // 320×180, constraint byte 0x90 (progressive source, frame only)
  assert.equal(hevcCodecString(sps), 'hvc1.1.6.L60.90');
  assert.match(hevcCodecString(sps, 'hev1'), /^hev1\.1\.6\./);
});

for (const form of ['legacy', 'enhanced'] as FlvHevcForm[]) {
  test(`FLV ${form}: muxed and read back, every picture decodes; the tags are the form's`, () => {
    const mux = new HevcFlvMuxer({ width: 320, height: 180, fps: 25 });
    const tags: Uint8Array[] = [];
    for (const [i, unit] of accessUnits(sample, 4096).entries()) {
      const f = mux.frame(unit, i * 40);
      if (f) tags.push(f.tags[form]);
    }
    const flv = Buffer.concat([mux.opening(form)!, ...tags]);
    // the sequence header tag: legacy = key frame + codec id 12, packet type 0; enhanced = ex-header, SequenceStart, 'hvc1'
    const first = 13 + 11 + ((flv[14]! << 16) | (flv[15]! << 8) | flv[16]!) + 4;
    assert.equal(flv[first], 9);
    if (form === 'legacy') assert.deepEqual([...flv.subarray(first + 11, first + 13)], [0x1c, 0]);
    else assert.equal(flv.subarray(first + 11, first + 16).toString('latin1'), '\x90hvc1');
    const demux = new FlvHevcDemuxer();
    const frames = [];
    for (let i = 0; i < flv.length; i += 3333) frames.push(...demux.push(flv.subarray(i, i + 3333)));
    assert.equal(demux.codec, 'hevc');
    assert.equal(demux.form, form);
    assert.equal(frames.length, FRAMES);
    assert.deepEqual(
      frames.map((f) => f.timestampMs),
      Array.from({ length: FRAMES }, (_, i) => i * 40),
    );
    assert.deepEqual(
      frames.flatMap((f, i) => (f.keyframe ? [i] : [])),
      [0, 25],
    );
    assert.equal(decodedFrames(Buffer.concat(frames.map((f) => f.annexB))), FRAMES);
  });
}

test('an H.264 FLV is refused by name; timestamps past 24 bits use the extended byte', () => {
  const avc = Buffer.concat([
    Buffer.from([0x46, 0x4c, 0x56, 1, 1, 0, 0, 0, 9, 0, 0, 0, 0]),
    flvTag(9, 0, Uint8Array.from([0x17, 0, 0, 0, 0, 1])),
  ]);
  const demux = new FlvHevcDemuxer();
  assert.throws(() => demux.push(avc), /not H\.265 \(FLV codec H\.264\)/);
  assert.equal(demux.codec, '7');
  const tag = flvTag(9, 0x12345678, Uint8Array.from([1]));
  assert.deepEqual([...tag.subarray(4, 8)], [0x34, 0x56, 0x78, 0x12]);
  assert.throws(() => new FlvHevcDemuxer().push(Buffer.from('not an flv at all')), /not an FLV/);
});

test('an FLV header claiming an absurd size is refused at once instead of buffering what follows', () => {
  const header = (size: number) => {
    const b = new Uint8Array(13);
    b.set([0x46, 0x4c, 0x56, 1, 1]);
    new DataView(b.buffer).setUint32(5, size);
    return b;
  };
  assert.throws(() => new FlvHevcDemuxer().push(header(0xffffffff)), /FLV header of 4294967295 bytes/);
  assert.throws(() => new FlvHevcDemuxer().push(header(3)), /FLV header of 3 bytes/);
  assert.deepEqual(new FlvHevcDemuxer().push(header(9)), [], 'a proper header waits for tags');
});
