import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { flacFrame, flacStreamInfo, crc8, crc16 } from '../../common/flac';
import { FlvSoundRewriter, soundInfo, soundInfoOfCodecId, type SoundInfo } from '../../common/flv-sound';
import { alawToLinear, decodeG711, mulawToLinear } from '../../common/g711';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { correctAudioFlag } from '../../renderer/media/engines/flv-audio-flag';

// ITU-T G.711 Tables 1a/2a: codes as sent on the line, the decoder's output scaled to 16 bits
// (A-law ×8 of the 13-bit value, µ-law ×4 of the 14-bit one). Segment ends and both zeros.
const ALAW: Array<[number, number]> = [
  [0xd5, 8], // +1 (smallest positive output: segment 0, step 0)
  [0x55, -8],
  [0xd4, 24], // +3
  [0xc5, 264], // segment 1 opens at +33
  [0xf5, 528], // segment 2 at +66
  [0xe5, 1056], // segment 3 at +132
  [0xa5, 16896], // segment 7 at +2112
  [0xaa, 32256], // largest: +4032
  [0x2a, -32256],
];
const MULAW: Array<[number, number]> = [
  [0xff, 0], // +0
  [0x7f, 0], // −0
  [0xfe, 8], // +2 (×4)
  [0xef, 132], // segment 1 opens at +33
  [0xdf, 396], // segment 2 at +99
  [0x8f, 16764], // segment 7 opens at +4191
  [0x80, 32124], // largest: +8031
  [0x00, -32124],
];

test('G.711: A-law and µ-law decode as the ITU-T tables say', () => {
  for (const [code, linear] of ALAW) assert.equal(alawToLinear(code), linear, `A-law 0x${code.toString(16)}`);
  for (const [code, linear] of MULAW) assert.equal(mulawToLinear(code), linear, `µ-law 0x${code.toString(16)}`);
  // Odd symmetry: the sign bit alone flips the sign.
  for (let c = 0; c < 128; c++) {
    assert.equal(alawToLinear(c | 0x80) + alawToLinear(c), 0);
    assert.equal(mulawToLinear(c | 0x80) + mulawToLinear(c), 0);
  }
  // Monotonic within a sign: larger magnitude codes give larger output.
  const pos = Array.from({ length: 128 }, (_, i) => alawToLinear((i ^ 0x55) | 0x80));
  for (let i = 1; i < 128; i++) assert.ok(pos[i]! > pos[i - 1]!);
  assert.deepEqual([...decodeG711('alaw', Uint8Array.from([0xd5, 0xaa]))], [8, 32256]);
});

test('G.711: every code decodes as ffmpeg does (pcm_alaw, pcm_mulaw)', (t) => {
  const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (const law of ['alaw', 'mulaw'] as const) {
    const r = spawnSync(
      ffmpegPath(),
      ['-v', 'error', '-f', law, '-ar', '8000', '-ac', '1', '-i', 'pipe:0', '-f', 's16le', 'pipe:1'],
      {
        input: codes,
      },
    );
    if (r.error) return t.skip('no ffmpeg');
    const theirs = new Int16Array(new Uint8Array(r.stdout).buffer);
    assert.deepEqual([...decodeG711(law, codes)], [...theirs], law);
  }
});

test('FLAC: CRCs as RFC 9639 defines them; a stream of VERBATIM frames decodes to the very samples', (t) => {
  assert.equal(crc8([0xff, 0xf8, 0x69, 0x18, 0x00, 0x00]), 0xbf); // RFC 9639 Appendix D.1 example
  assert.equal(crc16(Uint8Array.from([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39])), 0xfee8); // CRC-16/UMTS check
  const fmt = { sampleRate: 8000, channels: 1 as const };
  const parts: Uint8Array[] = [Uint8Array.from([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]), flacStreamInfo(fmt)];
  const all: number[] = [];
  let n = 0;
  for (let f = 0; f < 60; f++) {
    const len = f % 3 ? 160 : 1024; // frames of different sizes, numbered past 127 (multi-byte)
    const s = Int16Array.from({ length: len }, (_, i) =>
      Math.round(20000 * Math.sin((2 * Math.PI * 1000 * (n + i)) / 8000)),
    );
    all.push(...s);
    parts.push(flacFrame(fmt, s, n));
    n += len;
  }
  assert.throws(() => flacFrame(fmt, new Int16Array(0), 0), /1–65536/);
  assert.throws(() => flacStreamInfo({ sampleRate: 0, channels: 1 }), /sample rate/);
  const r = spawnSync(ffmpegPath(), ['-v', 'warning', '-f', 'flac', '-i', 'pipe:0', '-f', 's16le', 'pipe:1'], {
    input: Buffer.concat(parts),
  });
  if (r.error) return t.skip('no ffmpeg');
  assert.equal(r.stderr.toString().trim(), '', 'no CRC or header complaint');
  assert.deepEqual([...new Int16Array(new Uint8Array(r.stdout).buffer)], all);
});

/** An FLV stream: header (audio+video), then tags [type, timestamp, data]. */
function flv(tags: Array<[number, number, Uint8Array]>): Uint8Array {
  const out: number[] = [0x46, 0x4c, 0x56, 1, 5, 0, 0, 0, 9, 0, 0, 0, 0];
  for (const [type, ts, data] of tags) {
    const size = data.length;
    out.push(
      type,
      size >> 16,
      (size >> 8) & 0xff,
      size & 0xff,
      (ts >> 16) & 0xff,
      (ts >> 8) & 0xff,
      ts & 0xff,
      0,
      0,
      0,
      0,
    );
    out.push(...data);
    const prev = size + 11;
    out.push(prev >>> 24, (prev >> 16) & 0xff, (prev >> 8) & 0xff, prev & 0xff);
  }
  return Uint8Array.from(out);
}

/** The tags of an FLV byte stream: [type, timestamp, data]. */
function tagsOf(b: Uint8Array): Array<[number, number, Uint8Array]> {
  const tags: Array<[number, number, Uint8Array]> = [];
  let at = 13;
  while (at + 11 <= b.length) {
    const size = (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
    const prev = new DataView(b.buffer, b.byteOffset + at + 11 + size, 4).getUint32(0);
    assert.equal(prev, size + 11, 'PreviousTagSize right');
    tags.push([b[at]!, (b[at + 4]! << 16) | (b[at + 5]! << 8) | b[at + 6]!, b.subarray(at + 11, at + 11 + size)]);
    at += 11 + size + 4;
  }
  assert.equal(at, b.length);
  return tags;
}

const video = (key: boolean) => Uint8Array.from([key ? 0x17 : 0x27, 1, 0, 0, 0, 9, 9, 9]);

test('FLV sound: G.711 tags become an Enhanced-RTMP FLAC sequence start and coded frames, in place and on time; pictures untouched; any chunking', () => {
  const alaw = Uint8Array.from({ length: 160 }, (_, i) => (i * 7) & 0xff);
  const stream = flv([
    [18, 0, Uint8Array.from([2, 0, 10])],
    [9, 0, video(true)],
    [8, 0, Uint8Array.from([0x72, ...alaw])], // SoundFormat 7, 16-bit flag, mono
    [9, 40, video(false)],
    [8, 20, Uint8Array.from([0x72, ...alaw])],
  ]);
  const heard: SoundInfo[] = [];
  const whole = new FlvSoundRewriter((i) => heard.push(i)).push(stream);
  assert.deepEqual(heard, [{ format: 7, codec: 'G.711 A-law', playable: true, sampleRate: 8000 }]);
  const tags = tagsOf(whole);
  assert.deepEqual(
    tags.map(([type, ts, d]) => [type, ts, d[0]]),
    [
      [18, 0, 2],
      [9, 0, 0x17],
      [8, 0, 0x90], // FLAC SequenceStart
      [8, 0, 0x91], // coded frame
      [9, 40, 0x27],
      [8, 20, 0x91],
    ],
  );
  const seq = tags[2]![2];
  assert.equal(String.fromCharCode(...seq.subarray(1, 5)), 'fLaC');
  assert.deepEqual([...seq.subarray(5, 9)], [0x80, 0, 0, 34], 'STREAMINFO after its block header');
  assert.deepEqual([...seq.subarray(9)], [...flacStreamInfo({ sampleRate: 8000, channels: 1 })]);
  assert.deepEqual(
    [...tags[3]![2].subarray(5)],
    [...flacFrame({ sampleRate: 8000, channels: 1 }, decodeG711('alaw', alaw), 0)],
  );
  assert.deepEqual(
    [...tags[5]![2].subarray(5)],
    [...flacFrame({ sampleRate: 8000, channels: 1 }, decodeG711('alaw', alaw), 160)],
    'numbered on',
  );
  // Byte by byte, the same bytes come out.
  const r = new FlvSoundRewriter();
  const parts: number[] = [];
  for (const b of stream) parts.push(...r.push(Uint8Array.of(b)));
  assert.deepEqual(parts, [...whole]);
});

test('FLV sound: AAC passes as it came; sound nothing here plays (Speex) is dropped and named, the pictures kept', () => {
  const aac = flv([
    [9, 0, video(true)],
    [8, 0, Uint8Array.from([0xaf, 0, 0x12, 0x10])],
    [8, 23, Uint8Array.from([0xaf, 1, 1, 2, 3])],
  ]);
  const heard: SoundInfo[] = [];
  assert.deepEqual([...new FlvSoundRewriter((i) => heard.push(i)).push(aac)], [...aac]);
  assert.deepEqual(
    heard.map((h) => [h.codec, h.playable]),
    [['AAC', true]],
  );
  const speex = flv([
    [9, 0, video(true)],
    [8, 0, Uint8Array.from([0xb2, 1, 2, 3])],
    [9, 40, video(false)],
    [8, 20, Uint8Array.from([0xb2, 1, 2, 3])],
  ]);
  const said: SoundInfo[] = [];
  const r = new FlvSoundRewriter((i) => said.push(i));
  const out = tagsOf(r.push(speex));
  assert.deepEqual(
    out.map(([type]) => type),
    [9, 9],
  );
  assert.deepEqual(
    said.map((h) => [h.codec, h.playable]),
    [['Speex', false]],
  );
  assert.deepEqual(r.counts, { rewritten: 0, dropped: 2 });
  // Names for the reasons the pane gives.
  assert.equal(soundInfoOfCodecId(8)?.codec, 'G.711 µ-law');
  assert.equal(soundInfoOfCodecId(1)?.playable, false);
  assert.equal(soundInfo(0x9f, 'Opus').playable, true);
  // Not FLV: handed on untouched.
  assert.deepEqual(
    [...new FlvSoundRewriter().push(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))],
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
});

test('the header audio flag: metadata naming sound the page cannot play clears it (mpegts.js must not wait), and names the codec', () => {
  const meta = (codecId: number) => {
    const key = [...'audiocodecid'].map((c) => c.charCodeAt(0));
    const num = new Uint8Array(8);
    new DataView(num.buffer).setFloat64(0, codecId);
    return Uint8Array.from([
      2,
      0,
      10,
      ...'onMetaData'.split('').map((c) => c.charCodeAt(0)),
      8,
      0,
      0,
      0,
      1,
      0,
      12,
      ...key,
      0,
      ...num,
      0,
      0,
      9,
    ]);
  };
  const g711 = correctAudioFlag(flv([[18, 0, meta(7)]]));
  assert.ok(g711 !== 'more');
  assert.equal(g711.hasAudio, true);
  assert.equal(g711.codecId, 7);
  const speex = correctAudioFlag(flv([[18, 0, meta(11)]]));
  assert.ok(speex !== 'more');
  assert.equal(speex.hasAudio, false);
  assert.equal(speex.codecId, 11);
  assert.equal(speex.bytes[4]! & 4, 0, 'audio flag cleared');
});
