import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { after, before, test } from 'node:test';
import type { MediaRelay } from '../../main/media/relay';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { MediaSimulator } from '../emulators/media/simulator';
import { decodeStrip, STRIP_BITS, STRIP_BLOCK } from '../helpers/clock-strip';
import { ORIGIN, relayAndTranscoder } from '../helpers/transcoder';

// A transcoded camera in a wall pane must be as readable as the others. At 0.1 bit a pixel
// (150 kbit/s for a 16-pane wall's 280×158 pane) x264's ultrafast smeared a moving picture into
// blocks: the burned-in time was illegible, and the shift soak could not read the clock strip
// off that pane for seconds at a time. Read here from every picture the transcode makes.

let sim: MediaSimulator;
let relay: MediaRelay;
let transcoder: Transcoder;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [{ id: 'h1', name: 'HEVC one', codec: 'h265' }],
    prepareRecordings: false,
  });
  ({ relay, transcoder } = relayAndTranscoder({ budgetCores: () => 4 }));
});
after(async () => {
  transcoder.close();
  relay.close();
  await sim.stop();
});

test("a transcoded pane's pictures keep the camera's detail: the clock strip reads off every one", async () => {
  const url = sim.flv('h1', 'sub');
  relay.issue(url);
  // A 16-pane wall beside the device tree on a 1600×900 window: 280×214 panes; the 640×360 camera
  // is scaled to 280×158.
  const a = await transcoder.start({
    url: await relay.open(url, 'flv'),
    protocol: 'flv',
    width: 280,
    height: 214,
    audio: false,
    label: 'picture',
  });
  assert.ok(a.ok, JSON.stringify(a));
  const scale = 280 / 640;
  const block = STRIP_BLOCK * scale;
  const width = Math.round(STRIP_BITS * block);
  const height = Math.round(block);
  // The transcode's FLV decoded by a second ffmpeg, the strip's corner only, as RGBA pictures.
  const decoder = spawn(
    ffmpegPath(),
    ['-hide_banner', '-loglevel', 'error', '-f', 'flv', '-i', 'pipe:0'].concat(
      ['-vf', `crop=${width}:${height}:0:0`, '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'],
    ),
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const frameBytes = width * height * 4;
  let pending = Buffer.alloc(0);
  const values: Array<number | null> = [];
  decoder.stdout.on('data', (c: Buffer) => {
    pending = Buffer.concat([pending, c]);
    while (pending.length >= frameBytes) {
      values.push(decodeStrip(new Uint8ClampedArray(pending.subarray(0, frameBytes)), width, block));
      pending = pending.subarray(frameBytes);
    }
  });
  const res = await new Promise<http.IncomingMessage>((r) => http.get(a.url, { headers: { Origin: ORIGIN } }, r));
  res.pipe(decoder.stdin);
  decoder.stdin.on('error', () => undefined);
  await new Promise((r) => setTimeout(r, 8000));
  res.destroy();
  transcoder.stop(a.id);
  decoder.stdin.end();
  await new Promise((r) => decoder.once('close', r));

  const pictures = values.slice(25); // the first second: the encoder's rate control settling
  const unread = pictures.filter((v) => v === null).length;
  process.stderr.write(`  ${pictures.length} pictures, ${unread} with the strip unreadable\n`);
  assert.ok(pictures.length >= 100, `${pictures.length} pictures in 7 s`);
  assert.ok(unread <= pictures.length * 0.02, `${unread} of ${pictures.length} pictures smeared past reading`);
});
