import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FlvHevcDemuxer, type DemuxedFrame } from '../../main/media/flv-hevc';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { MediaSimulator } from '../emulators/media/simulator';

// Issue 24: the simulator's H.265 cameras. Live HTTP-FLV in both forms (muxed by the simulator:
// no ffmpeg here writes HEVC into FLV), live HLS and recordings in MPEG-TS, all H.265 that a
// decoder reads. The FLV is read with Vigil's own demuxer and decoded by ffmpeg.

let sim: MediaSimulator;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [
      { id: 'legacy', name: 'HEVC legacy', codec: 'h265' },
      { id: 'ex', name: 'HEVC enhanced', codec: 'h265', flvForm: 'enhanced' },
    ],
    recordingsPerChannel: 1,
    recordingMinutes: 0.1,
    prepareRecordings: false,
  });
});
after(() => sim.stop());

/** Reads a live FLV for `ms` and demuxes it. */
async function readFlv(url: string, ms: number): Promise<{ frames: DemuxedFrame[]; demux: FlvHevcDemuxer }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(ms) });
  assert.equal(res.status, 200);
  const demux = new FlvHevcDemuxer();
  const frames: DemuxedFrame[] = [];
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) frames.push(...demux.push(chunk));
  } catch (e) {
    if ((e as Error).name !== 'TimeoutError' && (e as Error).name !== 'AbortError') throw e;
  }
  return { frames, demux };
}

/** ffmpeg decodes it (asynchronously: the simulator serving the URL runs in this process). */
async function probe(input: Uint8Array | string, extra: string[] = []): Promise<{ frames: number; codec: string }> {
  const url = typeof input === 'string';
  const child = spawn(ffmpegPath(), [
    '-hide_banner',
    ...extra,
    '-i',
    url ? input : 'pipe:0',
    '-f',
    'framecrc',
    'pipe:1',
  ]);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  if (!url) child.stdin.end(input);
  await new Promise((r) => child.on('exit', r));
  const codec = /Video: (\w+)/.exec(err)?.[1] ?? '';
  return { frames: out.split('\n').filter((l) => /^0,/.test(l)).length, codec };
}

for (const [id, form] of [
  ['legacy', 'legacy'],
  ['ex', 'enhanced'],
] as const) {
  test(`live H.265 HTTP-FLV, ${form} form: starts on a key frame, ~25 fps, every picture decodes`, async () => {
    const url = sim.flv(id, 'sub');
    await readFlv(url, 1500); // the encoder starts with the first viewer
    const { frames, demux } = await readFlv(url, 3000);
    assert.equal(demux.codec, 'hevc');
    assert.equal(demux.form, form);
    assert.ok(frames[0]?.keyframe, 'a viewer starts at a key frame (the GOP cache)');
    assert.ok(frames.length >= 40, `${frames.length} pictures in 3 s`);
    assert.equal((await probe(Buffer.concat(frames.map((f) => f.annexB)), ['-f', 'hevc'])).frames, frames.length);
    assert.throws(() => sim.wsflv(id, 'sub'), /HTTP-FLV only/);
  });
}

test('live HLS and a recording of an H.265 channel are H.265 in MPEG-TS', async () => {
  const live = await probe(sim.hls('legacy', 'sub'), ['-t', '2']);
  assert.equal(live.codec, 'hevc');
  assert.ok(live.frames > 0);
  const rec = sim.recordings('ex')[0]!;
  await sim.prepareRecording('ex', rec.start);
  const recorded = await probe(rec.url);
  assert.equal(recorded.codec, 'hevc');
  assert.equal(recorded.frames, 6 * 25);
});
