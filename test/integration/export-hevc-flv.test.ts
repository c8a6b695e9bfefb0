import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  AnnexBReader,
  FlvHevcDemuxer,
  flvTag,
  HevcFlvMuxer,
  splitAnnexB,
  type FlvHevcForm,
} from '../../main/media/flv-hevc';
import { splitAdts } from '../../main/media/aac';
import { HevcTsMuxer } from '../../main/media/hevc-ts';
import { remuxFlvToMp4, writeTo } from '../../main/media/remux';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { tempDir } from '../helpers/core';

// Issue 24: a device's H.265 recording comes as FLV (Tencent IVC E37), in a form the bundled
// ffmpeg cannot read (codec id 12, or Enhanced RTMP). Main demuxes it, hands ffmpeg MPEG-TS with
// each picture's decode and presentation time, and the export is MP4 `hvc1`, copied. The same
// path hands H.264 FLV to ffmpeg unchanged.

const dir = tempDir();
const flv: Partial<Record<FlvHevcForm | 'h264' | 'sound' | 'g711' | 'hevc-g711', Buffer>> = {};
let server: http.Server;
let base = '';
let annexB: Buffer;

/** 4 s of 25-fps x265 (no B-frames: raw HEVC carries no times) muxed into FLV by flv-hevc.ts. */
before(async () => {
  const enc = spawnSync(ffmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=s=320x180:r=25', '-t', '4'],
    ...['-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-x265-params', 'bframes=0:keyint=25:log-level=error'],
    ...['-f', 'hevc', 'pipe:1'],
  ]);
  annexB = enc.stdout;
  for (const form of ['legacy', 'enhanced'] as const) {
    const reader = new AnnexBReader();
    const muxer = new HevcFlvMuxer({ width: 320, height: 180, fps: 25 });
    const parts: Uint8Array[] = [];
    let n = 0;
    for (const unit of [...reader.push(annexB), ...reader.flush()]) {
      const opened = !!muxer.record;
      const frame = muxer.frame(unit, n * 40);
      if (!frame) continue;
      if (!opened) parts.push(muxer.opening(form)!);
      parts.push(frame.tags[form]);
      n++;
    }
    flv[form] = Buffer.concat(parts);
  }
  // A recording with sound: the legacy form with AAC tags between the pictures (times interleaved).
  const adts = spawnSync(ffmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '4'],
    ...['-c:a', 'aac', '-b:a', '64k', '-f', 'adts', 'pipe:1'],
  ]).stdout;
  {
    const reader = new AnnexBReader();
    const muxer = new HevcFlvMuxer({ width: 320, height: 180, fps: 25, audio: true });
    const tags: Array<{ at: number; tag: Uint8Array }> = [];
    splitAdts(adts).frames.forEach((f, i) =>
      tags.push({ at: (i * 1024 * 1000) / 44100, tag: muxer.audioFrame(f, (i * 1024 * 1000) / 44100) }),
    );
    let n = 0;
    for (const unit of [...reader.push(annexB), ...reader.flush()]) {
      const frame = muxer.frame(unit, n * 40);
      if (frame) tags.push({ at: n++ * 40, tag: frame.tags.legacy });
    }
    tags.sort((a, b) => a.at - b.at);
    flv.sound = Buffer.concat([muxer.opening('legacy')!, ...tags.map((t) => t.tag)]);
  }
  flv.h264 = spawnSync(ffmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=s=320x180:r=25', '-t', '4'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p', '-f', 'flv', 'pipe:1'],
  ]).stdout;
  // A GB28181 device's recording: H.264 with G.711 A-law sound (FLV SoundFormat 7), a 1-kHz tone.
  flv.g711 = spawnSync(ffmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=s=320x180:r=25'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=8000', '-t', '4'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'pcm_alaw', '-ar', '8000', '-ac', '1', '-f', 'flv', 'pipe:1'],
  ]).stdout;
  // An H.265 GB28181 camera's recording: the legacy form with G.711 A-law tags (20 ms each) between the pictures.
  {
    const alaw = spawnSync(ffmpegPath(), [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=8000', '-t', '4'],
      ...['-c:a', 'pcm_alaw', '-f', 'alaw', 'pipe:1'],
    ]).stdout;
    const reader = new AnnexBReader();
    const muxer = new HevcFlvMuxer({ width: 320, height: 180, fps: 25 });
    const tags: Array<{ at: number; tag: Uint8Array }> = [];
    for (let i = 0; i * 160 < alaw.length; i++)
      tags.push({
        at: i * 20,
        tag: flvTag(8, i * 20, Uint8Array.from([0x72, ...alaw.subarray(i * 160, i * 160 + 160)])),
      });
    let n = 0;
    for (const unit of [...reader.push(annexB), ...reader.flush()]) {
      const frame = muxer.frame(unit, n * 40);
      if (frame) tags.push({ at: n++ * 40, tag: frame.tags.legacy });
    }
    tags.sort((a, b) => a.at - b.at);
    const opening = Buffer.from(muxer.opening('legacy')!);
    opening[4] = 0x05; // the header says audio and video, as a device's does
    flv['hevc-g711'] = Buffer.concat([opening, ...tags.map((t) => t.tag)]);
  }
  server = http.createServer((req, res) => {
    const body = flv[req.url!.slice(1) as FlvHevcForm];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    // Sent in pieces, as a device does.
    let at = 0;
    const timer = setInterval(() => {
      res.write(body.subarray(at, (at += 16_384)));
      if (at >= body.length) {
        clearInterval(timer);
        res.end();
      }
    }, 5);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ffmpegSays(file: string): Promise<{ line: string; duration: number }> {
  const child = spawn(ffmpegPath(), ['-hide_banner', '-i', file]);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise((r) => child.on('close', r));
  const d = /Duration: (\d+):(\d+):([\d.]+)/.exec(err);
  return { line: /Video: [^\n]*/.exec(err)?.[0] ?? '', duration: d ? +d[1]! * 3600 + +d[2]! * 60 + +d[3]! : 0 };
}

const read = () => ({
  signal: new AbortController().signal,
  connectMs: 5000,
  idleMs: 5000,
  onProgress: () => undefined,
});

for (const form of ['legacy', 'enhanced'] as const)
  test(`H.265 in ${form} FLV exports as MP4 hvc1, copied, for the length asked`, async () => {
    const part = path.join(dir, `${form}.mp4`);
    const r = await remuxFlvToMp4(ffmpegPath(), `${base}/${form}`, 0, 3, part, read());
    assert.equal(r.videoCodec, 'hevc');
    const got = await ffmpegSays(part);
    assert.match(got.line, /^Video: hevc \(Main\) \(hvc1 \/ 0x31637668\), [^,]+, 320x180/);
    assert.ok(Math.abs(got.duration - 3) < 0.2, `${got.duration} s`);
    // Copied, not re-encoded: the pictures are the camera's bytes.
    const copied = spawnSync(ffmpegPath(), ['-v', 'error', '-i', part, '-c', 'copy', '-f', 'hevc', 'pipe:1']).stdout;
    const last = splitAnnexB(copied).at(-1)!;
    assert.ok(last.length > 100 && annexB.includes(Buffer.from(last)), 'the last picture is the source bytes');
  });

test('an H.265 FLV recording with sound exports with its AAC, both copied', async () => {
  const part = path.join(dir, 'sound.mp4');
  const r = await remuxFlvToMp4(ffmpegPath(), `${base}/sound`, 1, 2, part, read());
  assert.equal(r.videoCodec, 'hevc');
  const child = spawnSync(ffmpegPath(), ['-hide_banner', '-i', part, '-f', 'null', '-'], { encoding: 'utf8' });
  assert.match(child.stderr, /Video: hevc \(Main\) \(hvc1/);
  assert.match(child.stderr, /Audio: aac \(LC\) \(mp4a \/ 0x6134706D\), 44100 Hz/);
  // About 2 s of 44.1-kHz mono decoded as 16-bit PCM (~172 kB); none when the AAC does not decode.
  const kb = Number(/audio:(\d+)kB/.exec(child.stderr)?.[1]);
  assert.ok(kb >= 150 && kb <= 200, `${kb} kB of sound`);
  const got = await ffmpegSays(part);
  assert.ok(Math.abs(got.duration - 2) < 0.2, `${got.duration} s`);
});

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

test('a G.711 FLV recording (GB28181 devices) exports with its sound as AAC, the pictures copied', async () => {
  const part = path.join(dir, 'g711.mp4');
  const r = await remuxFlvToMp4(ffmpegPath(), `${base}/g711`, 1, 2, part, read());
  assert.equal(r.videoCodec, 'h264');
  const info = spawnSync(ffmpegPath(), ['-hide_banner', '-i', part], { encoding: 'utf8' }).stderr;
  assert.match(info, /Video: h264 [^\n]*avc1/);
  assert.match(info, /Audio: aac \(LC\) \(mp4a \/ 0x6134706D\), 8000 Hz, mono/);
  // The sound decodes, lasts the clip, and is the camera's 1-kHz tone.
  const pcm = spawnSync(ffmpegPath(), ['-v', 'error', '-i', part, '-map', '0:a', '-f', 's16le', '-ac', '1', 'pipe:1']);
  const samples = new Int16Array(new Uint8Array(pcm.stdout).buffer, 0, pcm.stdout.length >> 1);
  assert.ok(Math.abs(samples.length / 8000 - 2) < 0.2, `${samples.length / 8000} s of sound`);
  const share = toneShare(samples.subarray(800), 8000, 1000);
  assert.ok(share > 0.8, `1 kHz is ${(share * 100).toFixed(0)} % of the sound`);
});

test('an H.265 FLV recording with G.711 (GB28181 devices) exports with its sound as AAC: the tone, in step', async () => {
  const part = path.join(dir, 'hevc-g711.mp4');
  const r = await remuxFlvToMp4(ffmpegPath(), `${base}/hevc-g711`, 1, 2, part, read());
  assert.equal(r.videoCodec, 'hevc');
  const info = spawnSync(ffmpegPath(), ['-hide_banner', '-i', part], { encoding: 'utf8' }).stderr;
  assert.match(info, /Video: hevc \(Main\) \(hvc1/);
  assert.match(info, /Audio: aac \(LC\) \(mp4a \/ 0x6134706D\), 48000 Hz, mono/);
  const pcm = spawnSync(ffmpegPath(), [
    ...['-v', 'error', '-i', part, '-map', '0:a', '-f', 's16le', '-ac', '1', '-ar', '8000', 'pipe:1'],
  ]);
  const samples = new Int16Array(new Uint8Array(pcm.stdout).buffer, 0, pcm.stdout.length >> 1);
  assert.ok(Math.abs(samples.length / 8000 - 2) < 0.25, `${samples.length / 8000} s of sound`);
  const share = toneShare(samples.subarray(800), 8000, 1000);
  assert.ok(share > 0.8, `1 kHz is ${(share * 100).toFixed(0)} % of the sound`);
});

test('H.264 FLV is handed to ffmpeg as it is', async () => {
  const part = path.join(dir, 'h264.mp4');
  const r = await remuxFlvToMp4(ffmpegPath(), `${base}/h264`, 1, 2, part, read());
  assert.equal(r.videoCodec, 'h264');
  const got = await ffmpegSays(part);
  assert.match(got.line, /^Video: h264 [^\n]*avc1/);
  assert.ok(Math.abs(got.duration - 2) < 0.2, `${got.duration} s`);
});

test('MPEG-TS keeps each picture its decode and presentation time (B-frames: pts = dts + cts)', async () => {
  const demux = new FlvHevcDemuxer();
  const frames = demux.push(flv.legacy!);
  assert.ok(frames.length >= 99, `${frames.length} pictures`);
  const ts = new HevcTsMuxer();
  // Give every second picture a composition offset of 80 ms, as a B-frame stream has.
  const bytes = Buffer.concat(frames.map((f, i) => ts.push(f.annexB, f.timestampMs, i % 2 ? 80 : 0, f.keyframe)));
  assert.equal(bytes.length % 188, 0);
  const out = spawnSync(
    ffmpegPath(),
    ['-v', 'error', '-f', 'mpegts', '-i', 'pipe:0', '-c', 'copy', '-f', 'framecrc', '-'],
    {
      input: bytes,
    },
  );
  const rows = out.stdout
    .toString()
    .split('\n')
    .filter((l) => /^0,/.test(l))
    .map((l) => l.split(',').map((c) => c.trim()));
  assert.equal(rows.length, frames.length, out.stderr.toString());
  for (const [i, row] of rows.entries()) {
    const [dts, pts] = [Number(row[1]), Number(row[2])];
    assert.equal(pts - dts, i % 2 ? 7200 : 0, `picture ${i}: dts ${dts} pts ${pts}`); // 90 kHz
    if (i) assert.equal(dts - Number(rows[i - 1]![1]), 3600, 'dts 40 ms apart');
  }
});

test('a write waiting for the pipe settles when its reader exits (ffmpeg stops at -t mid-write)', async () => {
  const within = (p: Promise<void>, ms: number) =>
    Promise.race([
      p.then(() => 'settled'),
      new Promise((r) => setTimeout(r, ms).unref()).then(() => `still waiting after ${ms} ms`),
    ]);
  // A reader that takes nothing and exits after 300 ms: the 4 MB write cannot drain, and never will.
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => process.exit(0), 300)'], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.stdin.on('error', () => undefined); // EPIPE: as runFfmpeg does
  assert.equal(await within(writeTo(child.stdin, Buffer.alloc(4 << 20)), 5000), 'settled');
  // A write after the pipe has gone settles too.
  assert.equal(await within(writeTo(child.stdin, Buffer.alloc(16)), 1000), 'settled');
});
