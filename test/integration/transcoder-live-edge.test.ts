import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { MediaRelay } from '../../main/media/relay';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import { MediaSimulator } from '../emulators/media/simulator';
import { stripAges } from '../helpers/strip-age';
import { ORIGIN, pidNotingFfmpeg, relayAndTranscoder } from '../helpers/transcoder';

// Issue 24: a transcoded H.265 pane stays near live when main's ffmpeg gets too little CPU to
// keep up (bench runs at load 8–15 showed a 38–40-s-old picture as live). The starvation is made
// here without loading the machine: the transcode's own ffmpeg is stopped and continued so that
// it runs 8 ms of every 100 ms. The age of what comes out is read off the simulator's clock strip.

let sim: MediaSimulator;
let relay: MediaRelay;
let transcoder: Transcoder;
let dir: string;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [{ id: 'h1', name: 'HEVC one', codec: 'h265' }],
    prepareRecordings: false,
  });
  // ffmpeg noting its pid, so the test can starve that process.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-edge-'));
  const wrapper = pidNotingFfmpeg(dir);
  ({ relay, transcoder } = relayAndTranscoder({ budgetCores: () => 4, ffmpeg: wrapper }));
});
after(async () => {
  transcoder.close();
  relay.close();
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Lets `pid` run `runMs` of every `periodMs` (a CPU share), until stopped. */
function starve(pid: number, runMs: number, periodMs: number): () => void {
  let on = true;
  const tick = () => {
    if (!on) return;
    try {
      process.kill(pid, 'SIGCONT');
      setTimeout(() => {
        try {
          if (on) process.kill(pid, 'SIGSTOP');
        } catch {
          /* gone */
        }
      }, runMs);
    } catch {
      /* gone */
    }
  };
  const timer = setInterval(tick, periodMs);
  return () => {
    on = false;
    clearInterval(timer);
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      /* gone */
    }
  };
}

test('a transcode whose ffmpeg gets a sliver of the CPU keeps showing a recent picture, not an ever older one', async () => {
  const url = sim.flv('h1', 'sub');
  relay.issue(url);
  const a = await transcoder.start({
    url: await relay.open(url, 'flv'),
    protocol: 'flv',
    width: 640,
    height: 360,
    audio: false,
    label: 'starved',
  });
  assert.ok(a.ok, JSON.stringify(a));
  const reader = stripAges('flv');
  const res = await new Promise<http.IncomingMessage>((r) => http.get(a.url, { headers: { Origin: ORIGIN } }, r));
  res.pipe(reader.input as NodeJS.WritableStream);
  // Playing normally first.
  await new Promise((r) => setTimeout(r, 3000));
  const pid = Number(fs.readFileSync(path.join(dir, 'pids'), 'utf8').trim().split('\n').at(-1));
  const release = starve(pid, 4, 100);
  const starvedAt = Date.now();
  await new Promise((r) => setTimeout(r, 24_000));
  release();
  const releasedAt = Date.now();
  // Given its CPU back, it returns to every picture within a few seconds.
  await new Promise((r) => setTimeout(r, 8000));
  res.destroy();
  reader.stop();
  transcoder.stop(a.id);
  // The pictures that came out in the last 8 s of the starvation: each recent.
  const late = reader.ages.filter(([at]) => at > starvedAt + 16_000 && at <= releasedAt).map(([, age]) => age);
  const all = reader.ages.filter(([at]) => at > starvedAt && at <= releasedAt).length;
  assert.ok(late.length >= 3, `pictures came out while starved (${all} in all, ${late.length} late)`);
  const worst = Math.max(...late);
  const buckets = [0, 4, 8, 12, 16, 20, 24, 28].map((s) => {
    const b = reader.ages.filter(([at]) => at > starvedAt + s * 1000 && at <= starvedAt + (s + 4) * 1000);
    return `${s}-${s + 4} s: ${b.length} pictures, newest ${b.length ? (b.at(-1)![1] / 1000).toFixed(1) : '-'} s old`;
  });
  process.stderr.write(`  ${buckets.join('; ')}\n`);
  assert.ok(worst < 2000, `the newest pictures were up to ${(worst / 1000).toFixed(1)} s old (${late.length} read)`);
  const after = reader.ages.filter(([at]) => at > releasedAt + 5000).map(([, age]) => age);
  assert.ok(after.length >= 50, `${after.length} pictures in the 3 s after the CPU came back (25 fps: 75)`);
  assert.ok(Math.max(...after) < 1000, `up to ${Math.max(...after)} ms old after the CPU came back`);
});
