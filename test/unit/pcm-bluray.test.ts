import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { HevcTsMuxer } from '../../main/media/hevc-ts';
import { pcmBlurayUnit, UPSAMPLE, Upsampler } from '../../main/media/pcm-bluray';
import { ffmpegPath } from '../emulators/media/ffmpeg';

// An H.265 GB28181 camera's G.711 goes to ffmpeg beside its pictures as Blu-ray LPCM in MPEG-TS
// (pcm-bluray.ts, hevc-ts.ts): 8 kHz interpolated to 48 kHz through a low-pass filter.

/** Goertzel: the power of `freq` in `pcm` against the whole signal's (0–1). */
function toneShare(pcm: Int16Array, rate: number, freq: number): number {
  const w = (2 * Math.PI * freq) / rate;
  let [s1, s2, energy] = [0, 0, 0];
  for (const x of pcm) {
    const s0 = x + 2 * Math.cos(w) * s1 - s2;
    [s2, s1] = [s1, s0];
    energy += x * x;
  }
  const power = s1 * s1 + s2 * s2 - 2 * Math.cos(w) * s1 * s2;
  return energy ? (2 * power) / (pcm.length * energy) : 0;
}

const tone = (hz: number, n: number, rate = 8000, amp = 8000) =>
  Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * i) / rate)));

test('×6 interpolation keeps a 1-kHz tone at its level and leaves no image of it (7, 9, 15, 17 kHz)', () => {
  const up = new Upsampler();
  const input = tone(1000, 8000);
  // In pieces of a G.711 tag's 160 samples: the filter's history runs across them.
  const parts: Int16Array[] = [];
  for (let i = 0; i < input.length; i += 160) parts.push(up.push(input.subarray(i, i + 160)));
  const out = new Int16Array(input.length * UPSAMPLE);
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  const steady = out.subarray(4800); // past the filter's start
  assert.ok(toneShare(steady, 48000, 1000) > 0.99, `1 kHz: ${toneShare(steady, 48000, 1000)}`);
  for (const image of [7000, 9000, 15000, 17000])
    assert.ok(toneShare(steady, 48000, image) < 1e-3, `${image} Hz: ${toneShare(steady, 48000, image)}`);
  const peak = steady.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  assert.ok(Math.abs(peak - 8000) < 400, `level kept: peak ${peak}`);
});

test('a Blu-ray LPCM unit: size, stereo at 48 kHz, 16 bits; each sample big-endian on both channels', () => {
  const unit = pcmBlurayUnit(Int16Array.from([1, -2, 0x1234]));
  assert.deepEqual([...unit.subarray(0, 4)], [0, 12, 0x31, 0x40]);
  assert.deepEqual([...unit.subarray(4)], [0, 1, 0, 1, 0xff, 0xfe, 0xff, 0xfe, 0x12, 0x34, 0x12, 0x34]);
});

test('MPEG-TS with G.711 as LPCM: its program says HDMV and stream type 0x80, and ffmpeg decodes the tone from it', () => {
  const mux = new HevcTsMuxer({ audio: 'pcm' });
  assert.equal(mux.sound, 'pcm');
  const input = tone(1000, 16000);
  const ts: Uint8Array[] = [];
  for (let i = 0; i < input.length; i += 160) ts.push(mux.pushPcm(input.subarray(i, i + 160), i / 8));
  const bytes = Buffer.concat(ts);
  assert.equal(bytes.length % 188, 0);
  assert.ok(bytes.includes(Buffer.from('HDMV')), 'the registration descriptor');
  // Without pictures: ffmpeg reads the sound alone (its video stream has none to probe).
  const run = spawnSync(
    ffmpegPath(),
    ['-hide_banner', '-f', 'mpegts', '-i', 'pipe:0', '-map', '0:a', '-f', 's16le', '-ac', '1', '-ar', '8000', 'pipe:1'],
    { input: bytes, maxBuffer: 1 << 24 },
  );
  assert.match(run.stderr.toString(), /Audio: pcm_bluray/, run.stderr.toString().slice(-600));
  const pcm = new Int16Array(new Uint8Array(run.stdout).buffer, 0, run.stdout.length >> 1);
  assert.ok(Math.abs(pcm.length / 8000 - 2) < 0.1, `${pcm.length / 8000} s`);
  assert.ok(toneShare(pcm.subarray(800), 8000, 1000) > 0.95, `${toneShare(pcm.subarray(800), 8000, 1000)}`);
});

test('a frame of another kind than the program carries is dropped, not mislabelled', () => {
  const aac = new HevcTsMuxer({ audio: 'aac' });
  assert.equal(aac.pushSound({ pcm: new Int16Array(160), timestampMs: 0 }).length, 0);
  const pcm = new HevcTsMuxer({ audio: 'pcm' });
  assert.equal(pcm.pushSound({ adts: new Uint8Array(9), timestampMs: 0 }).length, 0);
  assert.ok(pcm.pushSound({ pcm: new Int16Array(160), timestampMs: 0 }).length > 0);
  assert.equal(new HevcTsMuxer({ audio: true }).sound, 'aac', 'true stays AAC, as before');
});
