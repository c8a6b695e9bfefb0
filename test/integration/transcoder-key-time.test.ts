import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { MediaRelay } from '../../main/media/relay';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import { MediaSimulator } from '../emulators/media/simulator';
import { ORIGIN, pidNotingFfmpeg, relayAndTranscoder } from '../helpers/transcoder';

// A wall pane the decode budget keeps at key frames shows a transcoded camera's key frames only.
// The transcode's key frames must then come by time (a second apart), not by count: when main's
// LiveEdge thins a starved transcode to a picture now and then, a key frame every 25 pictures came
// many seconds apart, and such a pane sat 2–3 s (and more) behind the other transcode of the same
// camera (the shift soak's "one transcoded pane behind"). The starvation is made as in
// transcoder-live-edge.test.ts: ffmpeg runs a few ms of every 100 ms.

let sim: MediaSimulator;
let relay: MediaRelay;
let transcoder: Transcoder;
let dir: string;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [{ id: 'h1', name: 'HEVC one', codec: 'h265' }],
    prepareRecordings: false,
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-keytime-'));
  ({ relay, transcoder } = relayAndTranscoder({ budgetCores: () => 4, ffmpeg: pidNotingFfmpeg(dir) }));
});
after(async () => {
  transcoder.close();
  relay.close();
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The pictures of a live FLV byte stream as they arrive: [arrival ms, timestamp ms, key frame]. */
function flvPictures(): { push(chunk: Buffer): void; pictures: Array<[number, number, boolean]> } {
  let buf = Buffer.alloc(0);
  let headerDone = false;
  const pictures: Array<[number, number, boolean]> = [];
  return {
    pictures,
    push(chunk) {
      buf = Buffer.concat([buf, chunk]);
      if (!headerDone) {
        if (buf.length < 13) return;
        buf = buf.subarray(13);
        headerDone = true;
      }
      while (buf.length >= 11) {
        const size = buf.readUIntBE(1, 3);
        if (buf.length < 11 + size + 4) return;
        const ts = buf.readUIntBE(4, 3) + (buf[7]! << 24);
        // Video (9), AVC NALUs (packet type 1): frame type 1 is a key frame.
        if (buf[0] === 9 && size >= 2 && buf[12] === 1) pictures.push([Date.now(), ts, buf[11]! >> 4 === 1]);
        buf = buf.subarray(11 + size + 4);
      }
    },
  };
}

/** Lets `pid` run `runMs` of every `periodMs` until the returned function is called. */
function starve(pid: number, runMs: number, periodMs: number): () => void {
  let on = true;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      /* gone */
    }
  };
  const timer = setInterval(() => {
    if (!on) return;
    signal('SIGCONT');
    setTimeout(() => on && signal('SIGSTOP'), runMs);
  }, periodMs);
  return () => {
    on = false;
    clearInterval(timer);
    signal('SIGCONT');
  };
}

test('a live transcode puts a key frame a second apart in time, at full rate and when starved to a picture now and then', async () => {
  const url = sim.flv('h1', 'sub');
  relay.issue(url);
  const a = await transcoder.start({
    url: await relay.open(url, 'flv'),
    protocol: 'flv',
    width: 640,
    height: 360,
    audio: false,
    label: 'key time',
  });
  assert.ok(a.ok, JSON.stringify(a));
  const out = flvPictures();
  const res = await new Promise<http.IncomingMessage>((r) => http.get(a.url, { headers: { Origin: ORIGIN } }, r));
  res.on('data', (c: Buffer) => out.push(c));
  await new Promise((r) => setTimeout(r, 5000));
  const fullEnd = Date.now();
  const pid = Number(fs.readFileSync(path.join(dir, 'pids'), 'utf8').trim().split('\n').at(-1));
  const release = starve(pid, 6, 100);
  await new Promise((r) => setTimeout(r, 20_000));
  release();
  res.destroy();
  transcoder.stop(a.id);

  /** Pictures more than 1.2 s (their own time) after the last key frame that are not key frames. */
  const lateInter = (pics: Array<[number, number, boolean]>) => {
    let lastKey: number | null = null;
    let late = 0;
    for (const [, ts, key] of pics) {
      if (key) lastKey = ts;
      else if (lastKey !== null && ts - lastKey > 1200) late++;
    }
    return late;
  };
  const full = out.pictures.filter(([at]) => at > fullEnd - 4000 && at <= fullEnd);
  const starved = out.pictures.filter(([at]) => at > fullEnd + 4000);
  const keys = (p: Array<[number, number, boolean]>) => p.filter(([, , k]) => k).length;
  const span = (p: Array<[number, number, boolean]>) => ((p.at(-1)?.[1] ?? 0) - (p[0]?.[1] ?? 0)) / 1000;
  process.stderr.write(
    `  full rate: ${full.length} pictures, ${keys(full)} key over ${span(full).toFixed(1)} s; ` +
      `starved: ${starved.length} pictures, ${keys(starved)} key over ${span(starved).toFixed(1)} s, ` +
      `${lateInter(starved)} inter pictures > 1.2 s after a key frame\n`,
  );
  assert.ok(full.length >= 75, `${full.length} pictures in 4 s at full rate`);
  // At full rate a key frame a second, not every picture.
  assert.ok(keys(full) >= 3 && keys(full) <= 6, `${keys(full)} key frames in 4 s at full rate`);
  assert.equal(lateInter(full), 0, 'at full rate, a picture more than 1.2 s after a key frame was not one');
  assert.ok(starved.length >= 5, `${starved.length} pictures came out while starved`);
  assert.equal(lateInter(starved), 0, 'starved, pictures more than 1.2 s after a key frame were not key frames');
});
