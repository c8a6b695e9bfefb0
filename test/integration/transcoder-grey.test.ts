import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { after, before, test } from 'node:test';
import type { MediaRelay } from '../../main/media/relay';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { encodeHevcFile, PacedHevcFlv } from '../helpers/hevc-file-flv';
import { ORIGIN, relayAndTranscoder } from '../helpers/transcoder';

// The shift soak's grey pane (issue 55): a transcoded H.265 pane showed a flat mid-grey picture at
// full rate until it was reopened. ffmpeg reads the first 4 KB of main's MPEG-TS to learn the
// stream; a key frame larger than that (here every time: a viewer starts at one) can leave it
// guessing 90,000 fps, and libx264, told that rate, planned a few bits a picture under the
// bit-rate cap: pictures with no detail at all, flat grey. The camera here is a sub stream
// (640×360 at 300 kb/s) played into a wall pane's box, as in the soak.

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
