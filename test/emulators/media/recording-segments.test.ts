import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { MediaSimulator } from './simulator';

// A recording segment asked for before its recording is encoded is encoded alone, at once; it must
// be the segment the whole recording has: the same number of pictures at the same timestamps, so
// a player going from one to the other (or a reader mixing both) sees one continuous recording.

let sim: MediaSimulator;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [
      { id: 's1', name: 'Segments' },
      { id: 's2', name: 'Segments H265', codec: 'h265' },
    ],
    recordingsPerChannel: 1,
    recordingMinutes: 0.2, // 12 s: 6 segments
    prepareRecordings: false,
  });
});
after(async () => {
  await sim?.stop();
});

/** The presentation times (90 kHz) of the video PES packets of an MPEG-TS segment. */
function videoPts(ts: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at + 188 <= ts.length; at += 188) {
    assert.equal(ts[at], 0x47, `sync byte at ${at}`);
    if (!(ts[at + 1]! & 0x40)) continue; // not the start of a PES
    const adaptation = (ts[at + 3]! >> 4) & 0x3;
    let p = at + 4 + (adaptation & 0x2 ? 1 + ts[at + 4]! : 0);
    if (ts[p] !== 0 || ts[p + 1] !== 0 || ts[p + 2] !== 1 || (ts[p + 3]! & 0xf0) !== 0xe0) continue;
    if (!(ts[p + 7]! & 0x80)) continue;
    p += 9;
    out.push(
      (ts[p]! & 0x0e) * 2 ** 29 +
        ts[p + 1]! * 2 ** 22 +
        (ts[p + 2]! >> 1) * 2 ** 15 +
        ts[p + 3]! * 2 ** 7 +
        (ts[p + 4]! >> 1),
    );
  }
  return out;
}

for (const [channel, codec] of [
  ['s1', 'H.264'],
  ['s2', 'H.265'],
] as const)
  test(`${codec}: a segment encoded alone has the pictures and timestamps of the same segment of the whole recording`, async () => {
    const rec = sim.recordings(channel)[0]!;
    const url = new URL('seg00003.ts', rec.url).toString();
    const t0 = performance.now();
    const res = await fetch(url);
    const alone = Buffer.from(await res.arrayBuffer());
    assert.equal(res.status, 200);
    assert.ok(performance.now() - t0 < 5000, 'encoded at once');
    await sim.prepareRecording(channel, rec.start);
    const whole = fs.readFileSync(path.join(sim.workDir, 'rec', channel, String(rec.start), 'seg00003.ts'));
    const [a, w] = [videoPts(alone), videoPts(whole)];
    assert.equal(a.length, 50, '2 s at 25 fps');
    assert.deepEqual(a, w);
    // Once the recording is whole, the same address serves its file.
    assert.deepEqual(Buffer.from(await (await fetch(url)).arrayBuffer()), whole);
  });

test('a segment past the end of the recording is 404', async () => {
  const rec = sim.recordings('s1')[0]!;
  assert.equal((await fetch(new URL('seg00006.ts', rec.url))).status, 404);
  assert.equal((await fetch(new URL('seg00099.ts', rec.url))).status, 404);
});
