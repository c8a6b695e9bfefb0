import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { avcTrackOf, keyFrameOf, type AvcTrack } from '../../renderer/media/key-frames/fmp4-key-frame';
import { ffmpegPath } from '../emulators/media/ffmpeg';

// Fragmented MP4 as real muxers write it: ffmpeg (libx264, 25 fps, a key frame every 25) in its two
// layouts, and the layout hls.js's remuxer writes (mp4-generator.ts: tfhd without a base, trun with
// a data offset from the moof, per-sample sizes and flags), built here byte by byte.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-fmp4-'));

/** ffmpeg's fMP4 of 3 s of test pattern, split as a player receives it: the init, then each moof + mdat. */
function muxed(
  name: string,
  movflags: string,
  extra: string[] = [],
): { init: Uint8Array; fragments: Uint8Array[]; file: string; bytes: Uint8Array } {
  const file = path.join(dir, `${name}.mp4`);
  execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-t', '3'],
    ...[
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-profile:v',
      'main',
      '-g',
      '25',
      '-bf',
      '0',
      '-threads',
      '1',
      ...extra,
    ],
    ...['-movflags', movflags, '-y', file],
  ]);
  const b = new Uint8Array(fs.readFileSync(file));
  const tops: Array<[string, number, number]> = [];
  for (let at = 0; at < b.length; ) {
    const size = Buffer.from(b.buffer, b.byteOffset + at, 4).readUInt32BE(0);
    tops.push([Buffer.from(b.subarray(at + 4, at + 8)).toString('latin1'), at, at + size]);
    at += size;
  }
  const moov = tops.find((t) => t[0] === 'moov')!;
  const fragments = tops
    .filter((t) => t[0] === 'moof')
    .map(([, start]) => {
      const mdat = tops.find((t) => t[0] === 'mdat' && t[1] > start)!;
      return b.slice(start, mdat[2]);
    });
  return { init: b.slice(0, moov[2]), fragments, file, bytes: b };
}

/** The NAL unit types of length-prefixed NAL units; throws where the lengths do not run exactly to the end. */
function nalTypes(sample: Uint8Array, lengthSize: number): number[] {
  const types: number[] = [];
  let at = 0;
  while (at < sample.length) {
    const len = Buffer.from(sample.subarray(at, at + lengthSize)).readUIntBE(0, lengthSize);
    types.push(sample[at + lengthSize]! & 0x1f);
    at += lengthSize + len;
  }
  assert.equal(at, sample.length, 'NAL lengths run to the sample end');
  return types;
}

test('avcTrackOf: the H.264 track id and avcC of ffmpeg init segments; no moov or no H.264: null', () => {
  const { init } = muxed('base-moof', 'frag_keyframe+empty_moov+default_base_moof');
  const track = avcTrackOf(init)!;
  assert.equal(track.trackId, 1);
  assert.equal(track.avcC[0], 1, 'configurationVersion');
  assert.equal(track.avcC[1], 0x4d, 'Main profile, as asked of libx264');
  assert.equal(avcTrackOf(init.subarray(0, 40)), null, 'truncated before the moov');
  assert.equal(avcTrackOf(new Uint8Array(0)), null);
  const hevcInit = Uint8Array.from(init);
  const at = Buffer.from(hevcInit).indexOf('avc1');
  hevcInit.set(Buffer.from('hvc1'), at); // a sample entry of another codec
  assert.equal(avcTrackOf(hevcInit), null);
});

/** Checks `key` is an H.264 key frame whose every NAL unit ffmpeg's own demuxer reads from `file` too (as Annex B). */
function assertKeyFrameOf(file: string, key: Uint8Array | null, track: AvcTrack): void {
  assert.ok(key, 'found');
  const lengthSize = (track.avcC[4]! & 3) + 1;
  assert.ok(nalTypes(key, lengthSize).includes(5), 'an IDR slice');
  const annexB = execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-i', file, '-c', 'copy', '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', '-'],
  ]);
  for (let at = 0; at < key.length; ) {
    const len = Buffer.from(key.subarray(at, at + lengthSize)).readUIntBE(0, lengthSize);
    assert.ok(
      annexB.includes(Buffer.from(key.subarray(at + lengthSize, at + lengthSize + len))),
      'a NAL unit ffmpeg wrote',
    );
    at += lengthSize + len;
  }
}

test("keyFrameOf (default-base-is-moof): each fragment's opening key frame, the very bytes ffmpeg wrote", () => {
  const { init, fragments, file } = muxed('base-moof', 'frag_keyframe+empty_moov+default_base_moof');
  const track = avcTrackOf(init)!;
  assert.equal(fragments.length, 3, 'a fragment per key frame, 3 s at a 1-s GOP');
  for (const fragment of fragments) assertKeyFrameOf(file, keyFrameOf(fragment, track), track);
});

test("keyFrameOf (a base data offset in tfhd): the offset counts from the buffer's start, the segment's file", () => {
  const { init, fragments, file, bytes } = muxed('tfhd-base', 'frag_keyframe+empty_moov');
  const track = avcTrackOf(init)!;
  // The whole file up to its first fragment's end: the buffer starts where the offsets count from.
  const upToFirst = bytes.subarray(0, init.length + fragments[0]!.length);
  assertKeyFrameOf(file, keyFrameOf(upToFirst, track), track);
  assert.equal(keyFrameOf(fragments[1]!, track), null, 'cut out of its file, its offset points past it');
});

test("keyFrameOf: ffmpeg's HLS fMP4 segments (styp and sidx before the moof, sizes and flags defaulted in tfhd)", () => {
  const out = path.join(dir, 'hls');
  fs.mkdirSync(out);
  execFileSync(
    ffmpegPath(),
    [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-t', '3', '-pix_fmt', 'yuv420p'],
      ...['-c:v', 'libx264', '-g', '25', '-bf', '0', '-threads', '1', '-f', 'hls', '-hls_time', '1'],
      ...['-hls_segment_type', 'fmp4', '-hls_playlist_type', 'vod', '-hls_fmp4_init_filename', 'init.mp4'],
      ...['-hls_segment_filename', path.join(out, 'seg%d.m4s'), path.join(out, 'out.m3u8')],
    ],
    { cwd: out },
  );
  const track = avcTrackOf(new Uint8Array(fs.readFileSync(path.join(out, 'init.mp4'))))!;
  assert.ok(track);
  const segments = fs.readdirSync(out).filter((f) => f.endsWith('.m4s'));
  assert.equal(segments.length, 3);
  for (const f of segments)
    assertKeyFrameOf(
      path.join(out, 'out.m3u8'),
      keyFrameOf(new Uint8Array(fs.readFileSync(path.join(out, f))), track),
      track,
    );
});

test('keyFrameOf: a fragment that opens on a predicted frame, another track, or broken bytes gives null', () => {
  const { init, fragments } = muxed('mid-gop', 'empty_moov+default_base_moof', ['-frag_duration', '400000']);
  const track = avcTrackOf(init)!;
  // Fragments at 0, 0.4 … 2.8 s, key frames at 0, 1 and 2 s: two fragments open on one.
  const found = fragments.map((f) => keyFrameOf(f, track) !== null);
  assert.deepEqual(found, [true, false, false, false, false, true, false, false]);
  assert.equal(keyFrameOf(fragments[0]!, { ...track, trackId: 2 }), null, 'another track');
  // Cut inside its first sample (a segment still arriving): the frame is not whole.
  const first = fragments[0]!;
  const moofSize = Buffer.from(first).readUInt32BE(0);
  assert.ok(keyFrameOf(first, track)!.length > 1000, 'a key frame of some size');
  assert.equal(keyFrameOf(first.subarray(0, moofSize + 8 + 500), track), null, 'cut short');
  assert.equal(keyFrameOf(new Uint8Array(16), track), null);
});

/** A box: size, type, payload. */
function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return new Uint8Array(Buffer.concat([head, body]));
}
const u32s = (...v: number[]) => {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeUInt32BE(x >>> 0, 4 * i));
  return new Uint8Array(b);
};

test("keyFrameOf: hls.js's remuxer layout (tfhd without a base, trun 0xf01 with an offset from the moof, sdtp after it)", () => {
  const track: AvcTrack = { trackId: 1, avcC: Uint8Array.from([1, 0x4d, 0x40, 0x1e, 0xff, 0xe1, 0]) };
  const idr = Uint8Array.from([0, 0, 0, 3, 0x65, 0x88, 0x84, 0, 0, 0, 2, 0x06, 0x05]);
  const p = Uint8Array.from([0, 0, 0, 2, 0x41, 0x9a]);
  const samples = [idr, p];
  const build = (dataOffset: number) => {
    const trun = box(
      'trun',
      u32s(0x000f01, samples.length, dataOffset),
      ...samples.map((s, i) => u32s(40, s.length, i === 0 ? 0x02000000 : 0x01010000, 0)),
    );
    const traf = box(
      'traf',
      box('tfhd', u32s(0, track.trackId)),
      box('tfdt', u32s(0x01000000, 0, 90000)),
      trun,
      box('sdtp', u32s(0), Uint8Array.from([0x20, 0x10])),
    );
    return box('moof', box('mfhd', u32s(0, 7)), traf);
  };
  const moofLength = build(0).length;
  const segment = new Uint8Array(Buffer.concat([build(moofLength + 8), box('mdat', idr, p)]));
  assert.deepEqual(keyFrameOf(segment, track), idr);
  // Its first sample a predicted frame: nothing.
  samples.reverse();
  const other = new Uint8Array(Buffer.concat([build(moofLength + 8), box('mdat', p, idr)]));
  assert.equal(keyFrameOf(other, track), null);
});

test('keyFrameOf and avcTrackOf never throw: cut at every length, bytes overwritten at random (a key frame within the bytes, or null)', () => {
  const { init, fragments } = muxed('fuzz', 'frag_keyframe+empty_moov+default_base_moof');
  const track = avcTrackOf(init)!;
  const fragment = fragments[0]!;
  const moofEnd = Buffer.from(fragment).readUInt32BE(0) + 8;
  for (let n = 0; n <= moofEnd + 64; n++) assert.equal(keyFrameOf(fragment.subarray(0, n), track), null, `cut at ${n}`);
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let k = 0; k < 2000; k++) {
    const broken = Uint8Array.from(fragment);
    for (let j = 0; j < 4; j++) broken[Math.floor(random() * moofEnd)] = Math.floor(random() * 256);
    const key = keyFrameOf(broken, track); // must not throw
    if (key) assert.ok(key.buffer === broken.buffer && key.byteOffset + key.length <= broken.length);
    const brokenInit = Uint8Array.from(init);
    for (let j = 0; j < 4; j++) brokenInit[Math.floor(random() * init.length)] = Math.floor(random() * 256);
    const t = avcTrackOf(brokenInit); // must not throw either
    if (t) assert.ok(t.avcC.length >= 7 && t.avcC[0] === 1);
  }
  for (let n = 0; n < init.length; n++) assert.doesNotThrow(() => avcTrackOf(init.subarray(0, n)));
});

test('keyFrameOf: a muxed fragment with the audio traf first (default-base-is-moof), the video one second', () => {
  const track: AvcTrack = { trackId: 2, avcC: Uint8Array.from([1, 0x4d, 0x40, 0x1e, 0xff, 0xe1, 0]) };
  const aac = Uint8Array.from([0x21, 0x10, 0x04]);
  const idr = Uint8Array.from([0, 0, 0, 3, 0x65, 0x88, 0x84]);
  const build = (audioOffset: number, videoOffset: number) =>
    box(
      'moof',
      box('mfhd', u32s(0, 1)),
      box('traf', box('tfhd', u32s(0x020000, 1)), box('trun', u32s(0x000201, 1, audioOffset, aac.length))),
      box('traf', box('tfhd', u32s(0x020000, 2)), box('trun', u32s(0x000201, 1, videoOffset, idr.length))),
    );
  const moofLength = build(0, 0).length;
  const segment = new Uint8Array(
    Buffer.concat([build(moofLength + 8, moofLength + 8 + aac.length), box('mdat', aac, idr)]),
  );
  assert.deepEqual(keyFrameOf(segment, track), idr);
  assert.equal(keyFrameOf(segment, { ...track, trackId: 1 }), null, 'the audio sample is no key frame');
});
