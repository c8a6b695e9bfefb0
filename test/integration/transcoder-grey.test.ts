import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { AnnexBReader, isKeyNal } from '../../main/media/flv-hevc';
import { HevcTsMuxer, TS_START_MS } from '../../main/media/hevc-ts';
import type { MediaRelay } from '../../main/media/relay';
import { transcodeArgs } from '../../main/media/transcode/ffmpeg-args';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { encodeHevcFile, flvPictures, PacedHevcFlv } from '../helpers/hevc-file-flv';
import { ORIGIN, relayAndTranscoder } from '../helpers/transcoder';

// The shift soak's grey pane (issue 55): a transcoded H.265 pane showed a flat mid-grey picture at
// full rate until it was reopened, and some transcodes began a second late. Both came from the
// start of ffmpeg's reading of main's MPEG-TS: a probe that did not know the stream left it
// guessing 90,000 fps (libx264, told that rate, planned a few bits a picture under the bit-rate
// cap: no detail at all, flat grey), and a probe smaller than the 8 KB the shipped ffmpeg's MPEG-TS
// reader looks at first could not go back to the start on a pipe, so the first key frame with its
// parameter sets was lost. The camera is a sub stream (640×360 at 300 kb/s) into a wall pane's box.

let relay: MediaRelay;
let transcoder: Transcoder;

before(() => ({ relay, transcoder } = relayAndTranscoder({ budgetCores: () => 8 })));
after(() => {
  transcoder.close();
  relay.close();
});

/** Each picture of an H.264 FLV as a 16×9 grey thumbnail: its spread of luma (0 for a flat picture). */
async function lumaSpreads(flv: Buffer): Promise<number[]> {
  const ff = spawn(
    ffmpegPath(),
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'flv', '-i', 'pipe:0'],
      ...['-vf', 'scale=16:9', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  const chunks: Buffer[] = [];
  ff.stdout.on('data', (c: Buffer) => chunks.push(c));
  ff.stdin.end(flv);
  await new Promise((r) => ff.on('close', r));
  const raw = Buffer.concat(chunks);
  const spreads: number[] = [];
  for (let at = 0; at + 144 <= raw.length; at += 144) {
    const px = [...raw.subarray(at, at + 144)];
    const mean = px.reduce((a, b) => a + b, 0) / px.length;
    spreads.push(Math.sqrt(px.reduce((a, b) => a + (b - mean) ** 2, 0) / px.length));
  }
  return spreads;
}

test('a live transcode whose first key frame outgrows ffmpeg’s probe shows the picture, not flat grey', async () => {
  const source = { width: 640, height: 360, kbps: 300 };
  const file = await encodeHevcFile({ ...source, fps: 25, seconds: 4, gop: 50 });
  const camera = await PacedHevcFlv.start(file, { ...source, fps: 25 });
  try {
    for (let round = 0; round < 2; round++) {
      relay.issue(camera.url);
      const a = await transcoder.start({
        url: await relay.open(camera.url, 'flv'),
        protocol: 'flv',
        width: 280,
        height: 214,
        audio: false,
        label: 'sub stream',
      });
      assert.ok(a.ok, JSON.stringify(a));
      const res = await new Promise<http.IncomingMessage>((r) => http.get(a.url, { headers: { Origin: ORIGIN } }, r));
      const got: Buffer[] = [];
      res.on('data', (c: Buffer) => got.push(c));
      // The camera's next key frame within its 2-s GOP, then seconds of pictures.
      await new Promise((r) => setTimeout(r, 5000));
      transcoder.stop(a.id);
      const spreads = await lumaSpreads(Buffer.concat(got));
      const flat = spreads.filter((s) => s < 4).length;
      assert.ok(spreads.length >= 25, `round ${round}: ${spreads.length} pictures in 5 s`);
      // The test pattern under noise: a picture with detail has a spread of tens.
      assert.equal(flat, 0, `round ${round}: ${flat} of ${spreads.length} pictures flat grey`);
    }
  } finally {
    await camera.stop();
  }
});

test('ffmpeg keeps the first key frame however its pipe hands over the first bytes', async () => {
  // The shipped ffmpeg's MPEG-TS reader reads 8 KB to find the packet size, then seeks back; on a
  // pipe it can seek back only as far as its probe size. When main's first bytes reach it in small
  // reads (a pipe hands a reader what has come), a smaller probe lost them: the program tables and
  // the first key frame, so nothing decoded until the next key frame ("PPS id out of range").
  const file = await encodeHevcFile({ width: 640, height: 360, fps: 25, seconds: 4, kbps: 300, gop: 50 });
  const reader = new AnnexBReader();
  const units = [...reader.push(fs.readFileSync(file)), ...reader.flush()].slice(0, 75); // 1.5 GOPs
  assert.ok(units[0]!.some(isKeyNal), 'the clip starts at a key frame');
  const box = { width: 280, height: 214 };
  const args = transcodeArgs({ url: 'pipe:', protocol: 'flv', ...box, audio: false, label: 'probe' }, box);
  const ff = spawn(ffmpegPath(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = flvPictures();
  let errors = '';
  ff.stdout.on('data', (c: Buffer) => out.push(c));
  ff.stderr.on('data', (c: Buffer) => (errors += c.toString()));
  const closed = new Promise((r) => ff.on('close', r));
  const muxer = new HevcTsMuxer({ live: true });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  for (const [i, unit] of units.entries()) {
    const annexB = Buffer.concat(unit.flatMap((nal) => [Buffer.from([0, 0, 0, 1]), Buffer.from(nal)]));
    const ts = muxer.push(annexB, i * 40, 0, unit.some(isKeyNal));
    // The first ten pictures a TS packet a read, the rest a picture at a time, at the camera's pace.
    if (i < 10) {
      for (let at = 0; at < ts.length; at += 188) {
        ff.stdin.write(ts.subarray(at, at + 188));
        await pause(1);
      }
    } else {
      ff.stdin.write(ts);
      await pause(40);
    }
  }
  ff.stdin.end();
  await closed;
  assert.doesNotMatch(errors, /PPS id out of range/);
  // Every picture of the first GOP is transcoded (the rate cap keeps 25 a second: all of them).
  assert.ok(out.pictures.length >= units.length - 2, `${out.pictures.length} of ${units.length} pictures: ${errors}`);
  assert.equal(out.pictures[0]?.ts, TS_START_MS, 'the first picture out is the first key frame');
});
