import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { MediaRelay } from '../../main/media/relay';
import { costCores, defaultBudgetCores, outputBox } from '../../main/media/transcode/budget';
import { transcodeArgs } from '../../main/media/transcode/ffmpeg-args';
import { Transcoder } from '../../main/media/transcode/transcoder';
import type { TranscodeAnswer } from '../../main/media/transcode/types';
import { isRelayTicketUrl } from '../../main/services/transcode';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { MediaSimulator } from '../emulators/media/simulator';
import { ORIGIN, relayAndTranscoder } from '../helpers/transcoder';

// Issue 24: main's H.265 → H.264 transcoder. Real streams: the simulator's H.265 cameras (FLV in
// both forms, HLS), read through main's relay as the renderer's would be, transcoded by the
// bundled ffmpeg and checked by decoding what comes out.

let sim: MediaSimulator;
let relay: MediaRelay;
let transcoder: Transcoder;
let budget = 1;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [
      { id: 'h1', name: 'HEVC one', codec: 'h265' },
      { id: 'h2', name: 'HEVC two', codec: 'h265', flvForm: 'enhanced' },
    ],
    recordingsPerChannel: 1,
    prepareRecordings: false,
  });
  ({ relay, transcoder } = relayAndTranscoder({ budgetCores: () => budget }));
});
after(async () => {
  transcoder.close();
  relay.close();
  await sim.stop();
});

/** A relay ticket for a simulator URL, as wall.liveSource hands one out. */
async function relayed(url: string, kind: 'flv' | 'hls' = 'flv'): Promise<string> {
  relay.issue(url);
  return relay.open(url, kind);
}

/** What ffmpeg reads from `url` in `seconds`: codec, size, pictures. */
async function probe(url: string, seconds: number): Promise<{ codec: string; size: string; frames: number }> {
  const child = spawn(ffmpegPath(), [
    ...['-hide_banner', '-headers', `Origin: ${ORIGIN}\r\n`, '-t', String(seconds), '-i', url],
    ...['-f', 'framecrc', 'pipe:1'],
  ]);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise((r) => child.on('exit', r));
  const m = /Video: (\w+)[^\n]*?, (\d+x\d+)/.exec(err);
  return { codec: m?.[1] ?? '', size: m?.[2] ?? '', frames: out.split('\n').filter((l) => /^0,/.test(l)).length };
}

const ok = (a: TranscodeAnswer) => {
  assert.ok(a.ok, JSON.stringify(a));
  return a;
};

test('cost, box and default budget', () => {
  assert.equal(costCores(640, 360), 0.15);
  assert.equal(costCores(1280, 720), 0.6);
  assert.deepEqual(outputBox(641, 359), { width: 642, height: 360 });
  assert.equal(defaultBudgetCores(2), 1);
  assert.equal(defaultBudgetCores(16), 8);
  assert.equal(defaultBudgetCores(0), 0.5);
});

for (const [channel, form] of [
  ['h1', 'legacy FLV'],
  ['h2', 'Enhanced RTMP FLV'],
] as const) {
  test(`H.265 ${form} through the relay comes out H.264 at the pane's size, ~25 fps`, async () => {
    const a = ok(
      await transcoder.start({
        url: await relayed(sim.flv(channel, 'sub')),
        protocol: 'flv',
        width: 320,
        height: 240,
        audio: false,
        label: channel,
      }),
    );
    assert.equal(a.costCores, costCores(320, 240));
    const got = await probe(a.url, 3);
    assert.equal(got.codec, 'h264');
    assert.equal(got.size, '320x180', 'fits the 320×240 box, 16:9 kept');
    // 25 fps would be 75; a loaded CI machine gets fewer, but a stream that stalls gets almost none.
    assert.ok(got.frames >= 20, `${got.frames} pictures in 3 s`);
    // one connection per ticket; the transcode ends with it and frees the budget
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(transcoder.list().transcodes.length, 0);
  });
}

test('live HLS (MPEG-TS H.265) through the relay comes out H.264', async () => {
  const a = ok(
    await transcoder.start({
      url: await relayed(sim.hls('h1', 'sub'), 'hls'),
      protocol: 'hls',
      width: 640,
      height: 360,
      audio: false,
      label: 'h1 hls',
    }),
  );
  const got = await probe(a.url, 2);
  assert.equal(got.codec, 'h264');
  assert.equal(got.size, '640x360');
  assert.ok(got.frames >= 25, `${got.frames} pictures`);
});

test('the budget refuses past it, names who holds it; replace moves it; stop frees it', async () => {
  budget = 0.35; // two 360p transcodes (0.15 each), not three
  const req = async (label: string, replace?: string) =>
    transcoder.start({
      url: await relayed(sim.flv('h1', 'sub')),
      protocol: 'flv',
      width: 640,
      height: 360,
      audio: false,
      label,
      ...(replace ? { replace } : {}),
    });
  const a = ok(await req('A'));
  const b = ok(await req('B'));
  const c = await req('C');
  assert.equal(c.ok, false);
  if (c.ok) return;
  assert.equal(c.needCores, 0.15);
  assert.equal(c.budgetCores, 0.35);
  assert.equal(c.usedCores, 0.3);
  assert.deepEqual(
    c.holders.map((h) => h.label),
    ['A', 'B'],
  );
  const c2 = ok(await req('C', a.id));
  assert.deepEqual(
    transcoder.list().transcodes.map((h) => h.label),
    ['B', 'C'],
  );
  // A's output is gone with it
  assert.equal((await fetch(a.url).catch(() => null))?.status ?? 'closed', 'closed');
  transcoder.stop(b.id);
  transcoder.stop(c2.id);
  assert.equal(transcoder.list().usedCores, 0);
  budget = 1;
});

test("a sub stream in a large pane is charged the sub stream's size once ffmpeg's output says it", async () => {
  budget = 1.5;
  const req = async (label: string) =>
    transcoder.start({
      url: await relayed(sim.flv('h1', 'sub')),
      protocol: 'flv',
      width: 1920,
      height: 1080, // a 2×2 wall's pane at a device-pixel ratio of 2, or a 1-pane wall on a 1080p screen
      audio: false,
      label,
    });
  const a = ok(await req('A'));
  assert.equal(a.costCores, 1.35, 'charged for the box until the output says');
  const res = await fetch(a.url);
  const reader = res.body!.getReader();
  const charged = () => transcoder.list().transcodes.find((t) => t.id === a.id)?.costCores;
  for (let i = 0; i < 100 && charged() !== 0.15; i++) await reader.read();
  assert.equal(charged(), 0.15, 'the 640×360 sub stream comes out 640×360, charged as such');
  // Room for a second large pane now (0.15 + 1.35 ≤ 1.5); charged by the box, it was refused.
  const b = ok(await req('B'));
  await reader.cancel();
  transcoder.stop(a.id);
  transcoder.stop(b.id);
  assert.equal(transcoder.list().usedCores, 0);
  budget = 1;
});

test('a pane that goes without saying so (its window closed, main lost the page) frees the budget when its connection ends', async () => {
  budget = 1;
  const a = ok(
    await transcoder.start({
      url: await relayed(sim.flv('h1', 'sub')),
      protocol: 'flv',
      width: 640,
      height: 360,
      audio: false,
      label: 'gone',
    }),
  );
  const res = await fetch(a.url);
  const reader = res.body!.getReader();
  await reader.read(); // playing
  assert.equal(transcoder.list().usedCores, 0.15);
  // No transcodeStop: only the connection ends, as when the renderer crashes.
  const left = performance.now();
  await reader.cancel();
  // How soon is measured and said, not asserted (a loaded machine takes longer): that it is freed is.
  let freedMs = Infinity;
  for (let i = 0; i < 1000; i++) {
    if (transcoder.list().usedCores === 0) {
      freedMs = performance.now() - left;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  console.log(`budget freed ${Math.round(freedMs)} ms after the pane's connection ended`);
  assert.ok(Number.isFinite(freedMs), 'freed without transcodeStop (waited 10 s)');
  assert.deepEqual(transcoder.list().transcodes, []);
});

test('a swap to a pane that does not fit leaves the other pane its transcode', async () => {
  budget = 0.2;
  const req = async (label: string, width: number, height: number, replace?: string) =>
    transcoder.start({
      url: await relayed(sim.flv('h1', 'sub')),
      protocol: 'flv',
      width,
      height,
      audio: false,
      label,
      ...(replace ? { replace } : {}),
    });
  const a = ok(await req('A', 320, 180)); // 0.04
  const b = ok(await req('B', 640, 360)); // 0.15
  // 720p made as small as 640×360 still costs 0.15: with A's 0.04 given back, 0.05 is free.
  const big = await req('big', 1280, 720, a.id);
  assert.equal(big.ok, false);
  if (!big.ok) assert.equal(big.needCores, 0.15, 'what the smallest it would be made at needs');
  assert.deepEqual(
    transcoder.list().transcodes.map((h) => h.label),
    ['A', 'B'],
    'A still transcodes',
  );
  transcoder.stop(a.id);
  transcoder.stop(b.id);
  budget = 1;
});

test('a pane larger than the room left is transcoded smaller, not refused', async () => {
  budget = 0.5;
  // A maximized pane on the 1280×720 main stream: 1.35 cores at its 1920×1080 box.
  const a = ok(
    await transcoder.start({
      url: await relayed(sim.flv('h1', 'main')),
      protocol: 'flv',
      width: 1920,
      height: 1080,
      audio: false,
      label: 'max',
    }),
  );
  assert.ok(a.costCores <= 0.5 && a.costCores > 0.45, `charged ${a.costCores}`);
  const got = await probe(a.url, 2);
  const [w, h] = got.size.split('x').map(Number) as [number, number];
  assert.ok(w < 1280 && w >= 960 && Math.abs(w / h - 16 / 9) < 0.02, `made at ${got.size}`);
  // Stopped here, not left to the probe's closed connection: under load that release came after
  // the next test had read the budget (0.5 cores still held: its first request was refused).
  transcoder.stop(a.id);
  budget = 1;
});

test('requests at the same moment cannot both take the last room in the budget', async () => {
  budget = 0.2; // room for one 360p transcode (0.15)
  const urls = [await relayed(sim.flv('h1', 'sub')), await relayed(sim.flv('h1', 'sub'))];
  const answers = await Promise.all(
    urls.map((url, i) =>
      transcoder.start({ url, protocol: 'flv', width: 640, height: 360, audio: false, label: `same-${i}` }),
    ),
  );
  assert.deepEqual(
    answers.map((a) => a.ok),
    [true, false],
  );
  assert.equal(transcoder.list().usedCores, 0.15);
  for (const a of answers) if (a.ok) transcoder.stop(a.id);
  budget = 1;
});

test('ffmpeg opens the ticket as the URL parser read it, with only the protocols a ticket needs', async () => {
  // A tab is dropped by the URL parser (so the ticket check passes) but ffmpeg would send it on.
  const url = await relayed(sim.hls('h1', 'sub'), 'hls');
  const tabbed = url.replace('/hls/', '/hl\ts/');
  assert.ok(isRelayTicketUrl(tabbed, relay.lanePorts) && tabbed !== url);
  const args = transcodeArgs(
    { url: tabbed, protocol: 'hls', width: 640, height: 360, audio: false, label: 'x' },
    {
      width: 640,
      height: 360,
    },
  );
  assert.equal(args[args.indexOf('-i') + 1], url);
  assert.equal(args[args.indexOf('-protocol_whitelist') + 1], 'http,tcp,crypto');
  assert.ok(args.indexOf('-protocol_whitelist') < args.indexOf('-i'), 'an input option');
  const flv = transcodeArgs(
    { url, protocol: 'flv', width: 640, height: 360, audio: false, label: 'x' },
    {
      width: 640,
      height: 360,
    },
  );
  assert.equal(flv[flv.indexOf('-protocol_whitelist') + 1], 'pipe');
  // And it plays: the transcode of the tabbed ticket reads the relay's playlist.
  const a = ok(
    await transcoder.start({ url: tabbed, protocol: 'hls', width: 640, height: 360, audio: false, label: 'tab' }),
  );
  const got = await probe(a.url, 2);
  assert.equal(got.codec, 'h264');
  transcoder.stop(a.id);
});

test('the output has a key frame every second (a wall showing key frames only still refreshes it)', async () => {
  const args = transcodeArgs(
    {
      url: 'http://127.0.0.1:1/relay/00112233445566778899aabbccddeeff.flv',
      protocol: 'flv',
      width: 640,
      height: 360,
      audio: false,
      label: 'k',
    },
    { width: 640, height: 360 },
  );
  assert.equal(args[args.indexOf('-g') + 1], '25');
  assert.equal(args[args.indexOf('-keyint_min') + 1], '25');
  const a = ok(
    await transcoder.start({
      url: await relayed(sim.flv('h1', 'sub')),
      protocol: 'flv',
      width: 640,
      height: 360,
      audio: false,
      label: 'keys',
    }),
  );
  // Key frames in what comes out: one every 25 pictures.
  const child = spawn(ffmpegPath(), [
    ...['-hide_banner', '-headers', `Origin: ${ORIGIN}\r\n`, '-t', '4', '-i', a.url],
    ...['-c', 'copy', '-f', 'framecrc', 'pipe:1'],
  ]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => child.on('exit', r));
  // framecrc: "stream, dts, pts, duration, size, crc[, F=0x0]" in the stream's time base (FLV: ms);
  // it flags a packet that is not a key frame (F=0x0), a key frame has no F= field.
  assert.match(out, /^#tb 0: 1\/1000$/m);
  const video = out
    .split('\n')
    .filter((l) => /^0,/.test(l))
    .map((l) => ({ pts: Number(l.split(',')[2]), key: !/F=0x/.test(l) }));
  const keys = video.map((v, i) => (v.key ? i : -1)).filter((i) => i >= 0);
  const said = `key frames at ${keys.map((i) => `${i}@${video[i]!.pts}`).join(' ')}`;
  assert.ok(video.length >= 50, `${video.length} pictures`);
  assert.ok(keys.length >= 3, said);
  // The rule ffmpeg was given: a key frame every 25 pictures (-g), and one at the first picture a
  // second or more after the last one forced by time. On a loaded machine LiveEdge thins the
  // pictures, so the second comes first: key frames then fewer than 25 pictures apart.
  let forcedAt = video[keys[0]!]!.pts;
  for (let i = keys[0]! + 1, last = keys[0]!; i < video.length; i++) {
    const late = video[i]!.pts - forcedAt >= 1000;
    if (late) assert.ok(video[i]!.key, `picture ${i} is a second after the last forced key frame: ${said}`);
    if (!video[i]!.key) continue;
    assert.ok(late || i - last === 25, `key frame ${i} is neither 25 pictures on nor a second on: ${said}`);
    if (late) forcedAt = video[i]!.pts;
    last = i;
  }
  assert.ok(
    keys.every((k, i) => i === 0 || k - keys[i - 1]! <= 25),
    said,
  );
});

test('only relay tickets are transcoded; foreign origins are refused; a ticket serves one connection', async () => {
  await assert.rejects(
    transcoder.start({
      url: sim.flv('h1', 'sub'),
      protocol: 'flv',
      width: 640,
      height: 360,
      audio: false,
      label: 'x',
    }),
    /transcodes only streams it relays/,
  );
  assert.equal(isRelayTicketUrl('http://127.0.0.1:1/relay/00112233445566778899aabbccddeeff.flv', [1]), true);
  assert.equal(isRelayTicketUrl('http://127.0.0.1:2/relay/00112233445566778899aabbccddeeff.flv', [1]), false);
  assert.equal(isRelayTicketUrl('http://10.0.0.1:1/relay/00112233445566778899aabbccddeeff.flv', [1]), false);
  const a = ok(
    await transcoder.start({
      url: await relayed(sim.flv('h1', 'sub')),
      protocol: 'flv',
      width: 640,
      height: 360,
      audio: false,
      label: 'origin',
    }),
  );
  assert.equal((await fetch(a.url, { headers: { Origin: 'http://evil.example' } })).status, 403);
  const first = await fetch(a.url, { headers: { Origin: ORIGIN } });
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal((await fetch(a.url)).status, 403, 'used');
  await first.body?.cancel();
  transcoder.stop(a.id);
});

test('an ffmpeg that does not start ends the transcode instead of crashing main', async () => {
  const broken = new Transcoder({
    budgetCores: () => 1,
    isRelayUrl: () => true,
    origins: () => new Set(),
    ffmpeg: () => '/nonexistent/ffmpeg',
  });
  const a = ok(
    await broken.start({
      url: 'http://127.0.0.1:1/relay/00112233445566778899aabbccddeeff.flv',
      protocol: 'flv',
      width: 640,
      height: 360,
      audio: false,
      label: 'broken',
    }),
  );
  for (let i = 0; i < 20 && broken.list().transcodes.length; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(broken.list().transcodes.length, 0);
  assert.equal((await fetch(a.url).catch(() => null))?.status ?? 'closed', 'closed');
});
