import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { bytesNeeded, rangeEnd } from '../../renderer/media/key-frames/hls-key-refresh';
import { annexBUnits, tsKeyFrameOf } from '../../renderer/media/key-frames/ts-key-frame';
import { ffmpegPath } from '../emulators/media/ffmpeg';

// MPEG-TS as live HLS origins write it: ffmpeg's HLS muxer (libx264, 25 fps, a key frame every 25,
// with and without sound), checked NAL unit by NAL unit against ffmpeg's own Annex B of the stream.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ts-'));

/** ffmpeg's HLS of 3 s of test pattern in 1-s MPEG-TS segments (in order), and its Annex B stream. */
function hls(name: string, extra: string[] = []): { segments: Uint8Array[]; annexB: Buffer } {
  const out = path.join(dir, name);
  fs.mkdirSync(out);
  execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', ...extra, '-t', '3'],
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '25', '-threads', '1'],
    ...['-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod'],
    ...['-hls_segment_filename', path.join(out, 'seg%d.ts'), path.join(out, 'index.m3u8')],
  ]);
  const segments = [0, 1, 2].map((i) => new Uint8Array(fs.readFileSync(path.join(out, `seg${i}.ts`))));
  const annexB = execFileSync(ffmpegPath(), [
    ...['-v', 'error', '-i', path.join(out, 'index.m3u8'), '-map', '0:v', '-c', 'copy', '-f', 'h264', '-'],
  ]);
  return { segments, annexB };
}

/** The NAL units of a length-prefixed frame; asserts the lengths run exactly to its end. */
function units(frame: Uint8Array, lengthSize = 4): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < frame.length) {
    const len = Buffer.from(frame.subarray(at, at + lengthSize)).readUIntBE(0, lengthSize);
    out.push(frame.subarray(at + lengthSize, at + lengthSize + len));
    at += lengthSize + len;
  }
  assert.equal(at, frame.length, 'NAL lengths run to the frame end');
  return out;
}

function assertKeyFrame(frame: Uint8Array | null, annexB: Buffer, lengthSize = 4): void {
  assert.ok(frame, 'found');
  const types = units(frame, lengthSize).map((u) => u[0]! & 0x1f);
  assert.ok(types.includes(5), 'an IDR slice');
  assert.ok(!types.some((t) => t === 7 || t === 8 || t === 9), 'no SPS, PPS or delimiter: the avcC has them');
  for (const u of units(frame, lengthSize)) assert.ok(annexB.includes(Buffer.from(u)), 'a NAL unit ffmpeg wrote');
}

test("tsKeyFrameOf: each of ffmpeg's HLS segments opens on a key frame, its very bytes", () => {
  const { segments, annexB } = hls('video');
  for (const s of segments) assertKeyFrame(tsKeyFrameOf(s), annexB);
  // All its slices: the whole picture (libx264 here writes one slice a picture, with an SEI first).
  const first = units(tsKeyFrameOf(segments[0]!)!);
  assert.deepEqual(
    first.map((u) => u[0]! & 0x1f),
    [6, 5],
  );
  // A 2-byte length, as some avcC say
  assertKeyFrame(tsKeyFrameOf(segments[1]!, 2), annexB, 2);
});

test('tsKeyFrameOf: with sound muxed in (AAC on its own PID), the video PID from the PMT', () => {
  const { segments, annexB } = hls('muxed', ['-f', 'lavfi', '-i', 'sine=frequency=440', '-c:a', 'aac']);
  for (const s of segments) assertKeyFrame(tsKeyFrameOf(s), annexB);
});

test('tsKeyFrameOf: a segment cut inside its first frame, opening mid-GOP, or not TS at all gives null', () => {
  const { segments } = hls('cuts');
  const s = segments[0]!;
  // Packets up to the video PID's second unit start: cut one packet earlier, the frame is not whole.
  const key = tsKeyFrameOf(s)!;
  assert.ok(key.length > 1000);
  let cut = 0;
  for (let at = 0, seen = 0; at < s.length; at += 188) {
    const pid = ((s[at + 1]! & 0x1f) << 8) | s[at + 2]!;
    if (pid === 0x100 && s[at + 1]! & 0x40 && ++seen === 2) {
      cut = at;
      break;
    }
  }
  assert.ok(cut > 0, 'a second frame in the segment');
  assert.deepEqual(tsKeyFrameOf(s.subarray(0, cut + 188)), key, 'the first frame ends where the second starts');
  // Cut before the second starts: the first may not be whole (a video PES says no length).
  assert.equal(tsKeyFrameOf(s.subarray(0, cut)), null, 'not known whole');
  assert.equal(tsKeyFrameOf(s.subarray(0, cut - 188)), null, 'cut short');
  const psi = s.subarray(0, 3 * 188); // SDT, PAT, PMT
  const fromSecond = new Uint8Array(Buffer.concat([psi, s.subarray(cut)]));
  assert.equal(tsKeyFrameOf(fromSecond), null, 'opens on a predicted frame');
  assert.equal(tsKeyFrameOf(new Uint8Array(0)), null);
  assert.equal(tsKeyFrameOf(new TextEncoder().encode('#EXTM3U\n')), null);
  assert.equal(tsKeyFrameOf(psi), null, 'tables only');
  // H.265 (stream type 0x24): not this decoder's.
  const hevc = Uint8Array.from(s);
  for (let at = 0; at < hevc.length; at += 188) {
    const pid = ((hevc[at + 1]! & 0x1f) << 8) | hevc[at + 2]!;
    if (pid === 0x1000) {
      const i = Buffer.from(hevc.subarray(at, at + 188)).indexOf(Buffer.from([0x1b, 0xe1, 0x00]));
      assert.ok(i > 0, 'the H.264 entry of the PMT');
      hevc[at + i] = 0x24;
    }
  }
  assert.equal(tsKeyFrameOf(hevc), null);
});

test('bytesNeeded on ffmpeg segments: the key frame from the packets up to where the second frame starts, a part of the segment (what a key-frame pane fetches)', () => {
  const { segments } = hls('prefix');
  for (const s of segments) {
    const needed = bytesNeeded(s, (x) => tsKeyFrameOf(x))!;
    assert.equal(needed % 188, 0, 'whole packets');
    assert.deepEqual(tsKeyFrameOf(s.subarray(0, needed)), tsKeyFrameOf(s), 'the same frame');
    assert.equal(tsKeyFrameOf(s.subarray(0, needed - 188)), null, 'one packet fewer: not whole');
    // what the binary search relies on: every shorter prefix gives none, every longer one the same frame
    const whole = tsKeyFrameOf(s);
    for (let n = 188; n <= s.length; n += 188) {
      const got = tsKeyFrameOf(s.subarray(0, n));
      if (n < needed) assert.equal(got, null, `${n} bytes`);
      else assert.deepEqual(got, whole, `${n} bytes`);
    }
    assert.ok(rangeEnd(needed) + 1 < s.length, `${needed} of ${s.length} bytes needed, ${rangeEnd(needed) + 1} asked`);
  }
});

test('tsKeyFrameOf never throws: cut at every packet and byte of its first frame, bytes overwritten at random', () => {
  const { segments } = hls('fuzz');
  const s = segments[0]!;
  for (let n = 0; n <= 40 * 188; n += n < 3 * 188 ? 1 : 47) assert.doesNotThrow(() => tsKeyFrameOf(s.subarray(0, n)));
  let seed = 11;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let k = 0; k < 2000; k++) {
    const broken = Uint8Array.from(s.subarray(0, 30 * 188));
    for (let j = 0; j < 6; j++) broken[Math.floor(random() * broken.length)] = Math.floor(random() * 256);
    const key = tsKeyFrameOf(broken); // must not throw
    if (key) units(key).forEach((u) => assert.ok(u.length > 0));
  }
});

test('annexBUnits: 3- and 4-byte start codes; trailing zeros are not the unit', () => {
  const es = Uint8Array.from([0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x65, 0x88, 0, 0, 0, 1, 0x41, 0x9a, 0]);
  assert.deepEqual(
    annexBUnits(es).map((u) => [...u]),
    [
      [0x09, 0xf0],
      [0x65, 0x88],
      [0x41, 0x9a],
    ],
  );
  assert.deepEqual(annexBUnits(Uint8Array.from([1, 2, 3])), []);
});

// Layouts other muxers write (camera gateways, PS → TS): built packet by packet.
const VIDEO_PID = 0x100;

/** A PES of `es` (stream 0xE0, a PTS), its length said (`bounded`) or 0, as TS packets, stuffed by adaptation field. */
function packets(es: Uint8Array, bounded: boolean): Uint8Array[] {
  const header = [0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5, 0x21, 0, 1, 0, 1];
  const length = bounded ? header.length - 6 + es.length : 0;
  [header[4], header[5]] = [length >> 8, length & 0xff];
  const pes = Buffer.concat([Buffer.from(header), es]);
  const out: Uint8Array[] = [];
  for (let at = 0, first = true; at < pes.length; first = false) {
    const n = Math.min(184, pes.length - at);
    const p = new Uint8Array(188).fill(0xff);
    [p[0], p[1], p[2], p[3]] = [0x47, (first ? 0x40 : 0) | (VIDEO_PID >> 8), VIDEO_PID & 0xff, n < 184 ? 0x30 : 0x10];
    if (n < 184) [p[4], p[5]] = [183 - n, 0]; // adaptation field: its length, no flags, then stuffing
    p.set(pes.subarray(at, at + n), 188 - n);
    out.push(p);
    at += n;
  }
  return out;
}

const nal = (...bytes: number[]) => Uint8Array.from([0, 0, 0, 1, ...bytes]);
/** A slice body with no start code inside it (no two zero bytes running). */
const body = (n: number, seed: number) => Array.from({ length: n }, (_, i) => 1 + ((i * 31 + seed) % 255));
const AUD = nal(0x09, 0xf0);
const SPS = nal(0x67, 0x4d, 0x40, 0x1e);
const PPS = nal(0x68, 0xee, 0x3c, 0x80);
const IDR = nal(0x65, 0x88, ...body(3000, 1)); // first_mb_in_slice 0
const IDR_2ND_SLICE = nal(0x65, 0x40, ...body(500, 2)); // first_mb_in_slice > 0: the same picture
const P = nal(0x41, 0x9a, ...body(400, 3));

/** PAT and PMT from ffmpeg's segment (the H.264 stream on PID 0x100), then the packets given. */
function segmentOf(psi: Uint8Array, ...pes: Uint8Array[][]): Uint8Array {
  return new Uint8Array(Buffer.concat([psi, ...pes.flat()]));
}

test('tsKeyFrameOf: an IDR split over PES packets of stated length, or sharing one with the next frame, or in two slices: the whole first frame, nothing of the next', () => {
  const psi = hls('psi').segments[0]!.subarray(0, 3 * 188); // SDT, PAT, PMT
  const cat = (...u: Uint8Array[]) => new Uint8Array(Buffer.concat(u));
  const expect = (...slices: Uint8Array[]) =>
    cat(
      ...slices.map((s) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(s.length - 4);
        return cat(len, s.subarray(4));
      }),
    );
  const split = 1500;
  const idrHead = IDR.subarray(0, split);
  const idrTail = IDR.subarray(split); // goes on without a start code
  assert.deepEqual(
    tsKeyFrameOf(
      segmentOf(psi, packets(cat(AUD, SPS, PPS, idrHead), true), packets(idrTail, true), packets(cat(AUD, P), true)),
    ),
    expect(IDR),
    'split over two PES packets',
  );
  assert.deepEqual(
    tsKeyFrameOf(segmentOf(psi, packets(cat(AUD, IDR, AUD, P), false), packets(cat(AUD, P), false))),
    expect(IDR),
    'one PES holding two frames',
  );
  assert.deepEqual(
    tsKeyFrameOf(segmentOf(psi, packets(cat(SPS, PPS, IDR, IDR_2ND_SLICE, P), false), packets(P, false))),
    expect(IDR, IDR_2ND_SLICE),
    'two slices of one picture, the next picture without a delimiter',
  );
  assert.equal(
    tsKeyFrameOf(segmentOf(psi, packets(cat(AUD, SPS, PPS, idrHead), true), packets(idrTail, true))),
    null,
    'the end of the frame not in the segment',
  );
});
