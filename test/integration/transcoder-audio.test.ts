import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { FlvHevcDemuxer, flvTag } from '../../main/media/flv-hevc';
import type { MediaRelay } from '../../main/media/relay';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { MediaSimulator } from '../emulators/media/simulator';
import { ORIGIN, relayAndTranscoder } from '../helpers/transcoder';

// Issue 24: "no audio unless the pane has it on" — and with it on, the camera's sound. An H.265
// camera's FLV carries AAC beside the pictures; main demuxes both, hands ffmpeg one MPEG-TS
// program (HEVC + ADTS AAC) and copies the AAC into the H.264 FLV the pane plays. Before, the
// demuxer skipped audio tags and the FLV path always ran `-an`.

let sim: MediaSimulator;
let relay: MediaRelay;
let transcoder: Transcoder;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [
      { id: 'ha', name: 'HEVC with sound', codec: 'h265', audio: true },
      { id: 'hb', name: 'HEVC with sound (enhanced)', codec: 'h265', audio: true, flvForm: 'enhanced' },
    ],
    prepareRecordings: false,
  });
  ({ relay, transcoder } = relayAndTranscoder({ budgetCores: () => 4 }));
});
after(async () => {
  transcoder.close();
  relay.close();
  await sim.stop();
});

/** `ms` of an HTTP-FLV stream. */
function read(url: string, ms: number, headers: Record<string, string> = {}): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve(Buffer.concat(parts)));
        setTimeout(() => {
          res.destroy();
          resolve(Buffer.concat(parts));
        }, ms);
      })
      .on('error', reject);
  });
}

/** The FLV's tags: type, timestamp, the first two body bytes. */
function tags(flv: Buffer): Array<{ type: number; ts: number; head: number[] }> {
  const out = [];
  for (let at = flv.readUInt32BE(5) + 4; at + 11 <= flv.length; ) {
    const size = flv.readUIntBE(at + 1, 3);
    if (at + 11 + size + 4 > flv.length) break;
    const ts = ((flv[at + 7]! << 24) | flv.readUIntBE(at + 4, 3)) >>> 0;
    out.push({ type: flv[at]! & 0x1f, ts, head: [flv[at + 11]!, flv[at + 12]!] });
    at += 11 + size + 4;
  }
  return out;
}

/** `ms` of a simulator channel's sub stream (or any FLV address) through main's relay and transcoder. */
async function transcoded(channel: string, audio: boolean, ms: number, url = sim.flv(channel, 'sub')): Promise<Buffer> {
  relay.issue(url);
  const a = await transcoder.start({
    url: await relay.open(url, 'flv'),
    protocol: 'flv',
    width: 640,
    height: 360,
    audio,
    label: `${channel} audio ${audio}`,
    live: true,
  });
  assert.ok(a.ok, JSON.stringify(a));
  return read(a.url, ms, { Origin: ORIGIN });
}

test('the simulator sends an H.265 camera with sound as HEVC FLV with AAC tags', async () => {
  const demux = new FlvHevcDemuxer({ audio: true });
  const video = demux.push(await read(sim.flv('ha', 'sub'), 2000));
  const sound = demux.takeAudio();
  assert.equal(demux.audioCodec, 10, 'AAC');
  assert.ok(demux.hasAac, 'the AAC config came');
  assert.ok(video.length >= 25, `${video.length} pictures`);
  // 44.1 kHz AAC: 43 frames a second.
  assert.ok(sound.length >= 50, `${sound.length} AAC frames in 2 s`);
  const first = sound[0]!;
  assert.ok('adts' in first && first.adts[0] === 0xff, 'ADTS sync');
});

for (const channel of ['ha', 'hb']) {
  test(`H.265 FLV with AAC (${channel === 'ha' ? 'legacy' : 'enhanced'} form) → H.264 FLV with the AAC, in step with the pictures`, async () => {
    const out = await transcoded(channel, true, 4000);
    assert.equal(out[4]! & 0x04, 0x04, "the FLV header's audio flag");
    const all = tags(out);
    const video = all.filter((t) => t.type === 9 && t.head[1] === 1);
    const audio = all.filter((t) => t.type === 8);
    assert.ok(video.length >= 40, `${video.length} pictures`);
    assert.ok(audio.length >= 80, `${audio.length} audio tags in 4 s`);
    assert.ok(
      audio.every((t) => t.head[0]! >> 4 === 10),
      'AAC',
    );
    assert.equal(audio[0]!.head[1], 0, 'the AAC config first');
    // In step: the last sound and the last picture within half a second of each other.
    const gap = Math.abs(audio.at(-1)!.ts - video.at(-1)!.ts);
    process.stderr.write(`  ${channel}: ${video.length} pictures, ${audio.length} audio tags, end gap ${gap} ms\n`);
    assert.ok(gap < 500, `sound and pictures ${gap} ms apart`);
  });
}

test('the AAC that comes out decodes (ffmpeg reads the transcode as H.264 + AAC)', async () => {
  const flv = await transcoded('ha', true, 3000);
  const info = await new Promise<string>((resolve, reject) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-i', 'pipe:0', '-f', 'null', '-']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(err));
    child.stdin.on('error', () => undefined);
    child.stdin.end(flv);
  });
  assert.match(info, /Video: h264/);
  assert.match(info, /Audio: aac/);
  // What was decoded: about 3 s of 44.1-kHz mono as 16-bit PCM is ~260 kB (0 kB when the AAC does not decode).
  const sizes = /video:(\d+)kB audio:(\d+)kB/.exec(info);
  assert.ok(sizes, info.slice(-400));
  assert.ok(Number(sizes[2]) >= 100, `${sizes[2]} kB of sound decoded`);
  assert.ok(Number(sizes[1]) > 0, 'pictures decoded');
});

test('a pane without sound gets none: the same camera transcoded with audio off has no audio tags', async () => {
  const out = await transcoded('ha', false, 2500);
  assert.equal(out[4]! & 0x04, 0, 'video-only header');
  assert.equal(tags(out).filter((t) => t.type === 8).length, 0);
});

test('sound asked for, with the AAC config coming after the first pictures: the transcode still carries the sound', async () => {
  // The camera's own FLV as a camera whose sound starts a moment after its pictures sends it: the
  // first 10 video tags (the config and 9 pictures, with the header and the metadata) without their sound,
  // then 300 ms later the AAC config and everything after — main used to decide "no sound" at the
  // first pictures, for good.
  const flv = await read(sim.flv('ha', 'sub'), 2500);
  const body = flv.readUInt32BE(5) + 4;
  const first: Buffer[] = [flv.subarray(0, body)];
  const rest: Buffer[] = [];
  let pictures = 0;
  for (let at = body; at + 11 <= flv.length; ) {
    const end = at + 11 + flv.readUIntBE(at + 1, 3) + 4;
    if (end > flv.length) break;
    const tag = flv.subarray(at, end);
    const type = flv[at]! & 0x1f;
    const config = type === 8 && flv[at + 12] === 0;
    const early = pictures < 10;
    if (type === 9 && early) pictures++;
    if (early) {
      if (type !== 8) first.push(tag);
      else if (config) rest.push(tag); // the sound of the first pictures never comes, its config does
    } else rest.push(tag);
    at = end;
  }
  assert.equal(pictures, 10);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    res.write(Buffer.concat(first));
    setTimeout(() => res.write(Buffer.concat(rest)), 300);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/live/late-aac.flv`;
    const out = await transcoded('late AAC config', true, 2500, url);
    assert.equal(out[4]! & 0x04, 0x04, "the FLV header's audio flag");
    const audio = tags(out).filter((t) => t.type === 8);
    assert.ok(audio.length >= 20, `${audio.length} audio tags`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('an H.265 camera with G.711 sound (GB28181) keeps it through the transcoder: AAC out, the 1-kHz tone', async () => {
  // The simulator's H.265 camera with its AAC tags swapped for G.711 A-law ones (20 ms each) over
  // the same time, as a GB28181 camera sends: header and pictures as they came.
  const src = await read(sim.flv('ha', 'sub'), 3000);
  const alaw = spawnSync(ffmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=8000', '-t', '10'],
    ...['-c:a', 'pcm_alaw', '-f', 'alaw', 'pipe:1'],
  ]).stdout;
  const body = src.readUInt32BE(5) + 4;
  const kept: Array<{ ts: number; tag: Buffer }> = [];
  for (let at = body; at + 11 <= src.length; ) {
    const end = at + 11 + src.readUIntBE(at + 1, 3) + 4;
    if (end > src.length) break;
    const ts = ((src[at + 7]! << 24) | src.readUIntBE(at + 4, 3)) >>> 0;
    if ((src[at]! & 0x1f) !== 8) kept.push({ ts, tag: src.subarray(at, end) });
    at = end;
  }
  const pictures = kept.filter((k) => k.tag[0] === 9 && k.tag[12] === 1); // coded pictures, not the sequence header
  const [from, to] = [pictures[0]!.ts, pictures.at(-1)!.ts];
  for (let t = from, i = 0; t <= to && (i + 1) * 160 <= alaw.length; t += 20, i++)
    kept.push({
      ts: t,
      tag: Buffer.from(flvTag(8, t, Uint8Array.from([0x72, ...alaw.subarray(i * 160, (i + 1) * 160)]))),
    });
  kept.sort((a, b) => a.ts - b.ts); // stable: a picture stays before the sound stamped with it
  const flv = Buffer.concat([src.subarray(0, body), ...kept.map((k) => k.tag)]);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'video/x-flv' });
    res.write(flv);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/live/hevc-g711.flv`;
    const out = await transcoded('HEVC G.711', true, 3000, url);
    assert.equal(out[4]! & 0x04, 0x04, "the FLV header's audio flag");
    const audio = tags(out).filter((t) => t.type === 8);
    assert.ok(audio.length >= 40, `${audio.length} audio tags`);
    assert.ok(
      audio.every((t) => t.head[0]! >> 4 === 10),
      'AAC',
    );
    // In step: the last sound and the last picture within half a second of each other.
    const video = tags(out).filter((t) => t.type === 9 && t.head[1] === 1);
    const gap = Math.abs(audio.at(-1)!.ts - video.at(-1)!.ts);
    assert.ok(gap < 500, `sound and pictures ${gap} ms apart`);
    const pcm = spawnSync(
      ffmpegPath(),
      ['-v', 'error', '-i', 'pipe:0', '-map', '0:a', '-f', 's16le', '-ac', '1', '-ar', '8000', 'pipe:1'],
      {
        input: out,
      },
    );
    const samples = new Int16Array(new Uint8Array(pcm.stdout).buffer, 0, pcm.stdout.length >> 1);
    assert.ok(samples.length > 8000, `${samples.length / 8000} s of sound decoded`);
    const share = toneShare(samples.subarray(800), 8000, 1000);
    process.stderr.write(
      `  HEVC G.711: ${video.length} pictures, ${audio.length} AAC tags, end gap ${gap} ms, ${(samples.length / 8000).toFixed(2)} s of sound, ${(share * 100).toFixed(0)} % at 1 kHz\n`,
    );
    assert.ok(share > 0.8, `1 kHz is ${(share * 100).toFixed(0)} % of the sound`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
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
