import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import type { MediaRelay } from '../../main/media/relay';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import { MediaSimulator } from '../emulators/media/simulator';
import { ORIGIN, relayAndTranscoder } from '../helpers/transcoder';

// Review R10: a platform or gateway that stamps FLV on arrival gives pictures whose times bunch
// and spread by tens of ms. The transcode keeps the camera's times (-copyts), so those went
// straight to the pane, where Chromium drops a picture that comes too close to the one before.
// The simulator's camera here stamps each picture 0–30 ms after its capture time; what the
// transcode puts out must be a picture every 40 ms again.

let sim: MediaSimulator;
let relay: MediaRelay;
let transcoder: Transcoder;
const JITTER_MS = 30;
const FRAME_MS = 40; // the simulator's 25 fps

before(async () => {
  sim = await MediaSimulator.start({
    channels: [{ id: 'j1', name: 'Jittery', codec: 'h265', jitterMs: JITTER_MS }],
    prepareRecordings: false,
  });
  ({ relay, transcoder } = relayAndTranscoder({ budgetCores: () => 4 }));
});
after(async () => {
  transcoder.close();
  relay.close();
  await sim.stop();
});

/** Timestamps (ms) of the coded pictures of an FLV stream read for `ms` (H.264 or either HEVC form). */
async function pictureTimes(url: string, ms: number, headers: Record<string, string> = {}): Promise<number[]> {
  const times: number[] = [];
  let buf = Buffer.alloc(0);
  let at = 13;
  await new Promise<void>((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      res.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        while (at + 16 <= buf.length) {
          const size = buf.readUIntBE(at + 1, 3);
          if ((buf[at]! & 0x1f) === 9) {
            const b = buf[at + 11]!;
            // AVC / legacy HEVC: packet type 1 is a coded picture; Enhanced RTMP: 1 or 3 (no composition time)
            const coded = b & 0x80 ? (b & 0x0f) === 1 || (b & 0x0f) === 3 : buf[at + 12] === 1;
            if (coded) times.push(((buf[at + 7]! << 24) | buf.readUIntBE(at + 4, 3)) >>> 0);
          }
          at += 11 + size + 4;
        }
      });
      setTimeout(() => {
        req.destroy();
        resolve();
      }, ms);
    });
    req.on('error', reject);
  });
  return times;
}

const gaps = (t: number[]) => t.slice(1).map((x, i) => x - t[i]!);
const even = (g: number[]) => g.filter((d) => Math.abs(d - FRAME_MS) <= 2).length;

test('a source that stamps its pictures on arrival comes out of the transcode a frame interval apart', async () => {
  const url = sim.flv('j1', 'sub');
  // The camera's own stamps are jittered (else this test proves nothing).
  const source = gaps(await pictureTimes(url, 3000));
  assert.ok(source.length >= 50, `${source.length + 1} source pictures in 3 s`);
  assert.ok(even(source) < source.length / 2, `source gaps: ${source.join(' ')}`);

  relay.issue(url);
  const a = await transcoder.start({
    url: await relay.open(url, 'flv'),
    protocol: 'flv',
    width: 640,
    height: 360,
    audio: false,
    label: 'jittery',
    live: true,
  });
  assert.ok(a.ok, JSON.stringify(a));
  const out = await pictureTimes(a.url, 8000, { Origin: ORIGIN });
  transcoder.stop(a.id);
  // Skip the first second: the interval is learnt from the first pictures.
  const settled = gaps(out.filter((t) => t >= out[0]! + 1000));
  assert.ok(settled.length >= 100, `${settled.length + 1} pictures came out in 7 s (25 fps: 175)`);
  const tooClose = settled.filter((d) => d < FRAME_MS / 2);
  assert.equal(tooClose.length, 0, `pictures less than half a frame apart: ${settled.join(' ')}`);
  assert.ok(
    even(settled) >= 0.95 * settled.length,
    `${even(settled)}/${settled.length} gaps are 40 ± 2 ms: ${settled.join(' ')}`,
  );
});
