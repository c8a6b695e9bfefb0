import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { MediaRelay } from '../../main/media/relay';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import type { TranscodeRequest } from '../../main/media/transcode/types';
import { MediaSimulator } from '../emulators/media/simulator';
import { ORIGIN, relayAndTranscoder } from '../helpers/transcoder';

// Review R7: an H.265 FLV *recording* (a device playback) is paused by the operator — the device
// stops sending — and resumes where it was, its times continuing. Every picture after the pause
// then arrives late against the stream's best lag; the live-edge rules dropped them all and gave
// the transcode up as stale. A recording (live: false) keeps every picture, paced by ffmpeg.

let sim: MediaSimulator;
let relay: MediaRelay;
let transcoder: Transcoder;
let server: http.Server;
let recording: Buffer;

/** Video tags in an FLV byte stream (whole ones). */
function videoTags(flv: Buffer): number {
  let n = 0;
  for (let at = 13; at + 11 <= flv.length; ) {
    const size = flv.readUIntBE(at + 1, 3);
    if (at + 11 + size + 4 > flv.length) break;
    if ((flv[at]! & 0x1f) === 9) n++;
    at += 11 + size + 4;
  }
  return n;
}

before(async () => {
  sim = await MediaSimulator.start({
    channels: [{ id: 'h1', name: 'HEVC one', codec: 'h265' }],
    prepareRecordings: false,
  });
  // Four seconds of the camera's HEVC FLV stand for a recording.
  recording = await new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    http
      .get(sim.flv('h1', 'sub'), (res) => {
        res.on('data', (c: Buffer) => parts.push(c));
        setTimeout(() => {
          res.destroy();
          resolve(Buffer.concat(parts));
        }, 4000);
      })
      .on('error', reject);
  });
  // The device: the first half, a pause (3 s; 12 s at /long), then the rest (times continuing).
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    const half = Math.floor(recording.length / 2);
    res.write(recording.subarray(0, half));
    setTimeout(() => res.end(recording.subarray(half)), req.url === '/long.flv' ? 12_000 : 3000);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  ({ relay, transcoder } = relayAndTranscoder({ budgetCores: () => 4 }));
});
after(async () => {
  transcoder.close();
  relay.close();
  server.close();
  await sim.stop();
});

async function transcodedPictures(live: boolean, path = '/rec.flv'): Promise<number> {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  relay.issue(url);
  const req: TranscodeRequest = {
    url: await relay.open(url, 'flv'),
    protocol: 'flv',
    width: 640,
    height: 360,
    audio: false,
    label: `paused ${live}`,
    live,
  };
  const a = await transcoder.start(req);
  assert.ok(a.ok, JSON.stringify(a));
  const out = await new Promise<Buffer>((resolve, reject) => {
    http
      .get(a.url, { headers: { Origin: ORIGIN } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve(Buffer.concat(parts)));
        res.on('close', () => resolve(Buffer.concat(parts)));
      })
      .on('error', reject);
  });
  return videoTags(out);
}

test('a paused H.265 FLV recording keeps every picture after it resumes (live: false)', async () => {
  const source = videoTags(recording);
  assert.ok(source >= 75, `${source} pictures in the 4-s source`);
  const kept = await transcodedPictures(false);
  assert.ok(kept >= source - 2, `${kept} of ${source} pictures came out of the paused recording`);
  // The same stream taken as live loses what came after the pause (the rules R7 was about).
  const thinned = await transcodedPictures(true);
  process.stderr.write(`  source ${source} pictures; as a recording ${kept}; as live ${thinned}\n`);
  assert.ok(thinned < source - 10, `as live: ${thinned} of ${source}`);
});

test('a recording paused longer than the answer timeout (10 s) is not given up: silence is the pause', async () => {
  const source = videoTags(recording);
  const kept = await transcodedPictures(false, '/long.flv');
  assert.ok(kept >= source - 2, `${kept} of ${source} pictures came out of the recording paused 12 s`);
});
