import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { MediaRelay } from '../../main/media/relay';
import { Transcoder } from '../../main/media/transcoder';
import { isRelayTicketUrl } from '../../main/services/transcode';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { stitchPlaylist } from '../emulators/media/playlist';
import { MediaSimulator, type Recording } from '../emulators/media/simulator';

// Issue 24: an H.265 recording over HLS, transcoded from the cursor. A platform answers a time
// range with a playlist that may begin elsewhere than the range asked (Alibaba VCS: a window from
// the cursor, beginning at its first recording), and a play URL may be single-use (Huawei IVM
// §9.3). Main reads the playlist once, finds the cursor by its dates and starts ffmpeg there.

let sim: MediaSimulator;
let relay: MediaRelay;
let transcoder: Transcoder;
let platform: http.Server;
let recs: Recording[];
/** Requests for the platform's playlist (a single-use URL answers 403 after the first). */
let asked = 0;
const ORIGIN = 'http://127.0.0.1:1';

before(async () => {
  // Two 12-s recordings 30 s apart: the stitched playlist is 24 s of media over 42 s of wall time.
  sim = await MediaSimulator.start({
    channels: [{ id: 'h1', name: 'HEVC one', codec: 'h265' }],
    recordingsPerChannel: 2,
    recordingMinutes: 0.2,
    recordingEveryMinutes: 0.5,
    prepareRecordings: false,
  });
  recs = sim.recordings('h1');
  for (const r of recs) await sim.prepareRecording('h1', r.start);
  const playlist = await stitchPlaylist(recs);
  platform = http.createServer((req, res) => {
    if (req.url !== '/play.m3u8') return void res.writeHead(404).end();
    if (asked++ > 0) return void res.writeHead(403).end('this play URL was used');
    res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(playlist);
  });
  await new Promise<void>((r) => platform.listen(0, '127.0.0.1', r));
  relay = new MediaRelay();
  relay.allowOrigins([ORIGIN]);
  transcoder = new Transcoder({
    budgetCores: () => 1,
    isRelayUrl: (url) => isRelayTicketUrl(url, relay.lanePorts),
    origins: () => relay.origins,
    ffmpeg: ffmpegPath,
  });
});
after(async () => {
  transcoder.close();
  relay.close();
  platform.close();
  await sim.stop();
});

/** A fresh single-use play URL, relayed as playback:source hands one out. */
async function playUrl(): Promise<string> {
  asked = 0;
  const url = `http://127.0.0.1:${(platform.address() as AddressInfo).port}/play.m3u8`;
  relay.issue(url);
  return relay.open(url, 'hls');
}

/** Pictures in the whole output (a recording is read faster than real time). */
async function pictures(url: string): Promise<number> {
  const child = spawn(ffmpegPath(), [
    ...['-hide_banner', '-headers', `Origin: ${ORIGIN}\r\n`, '-i', url, '-f', 'framecrc', 'pipe:1'],
  ]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.resume();
  await new Promise((r) => child.on('exit', r));
  return out.split('\n').filter((l) => /^0,/.test(l)).length;
}

const base = { protocol: 'hls', width: 640, height: 360, audio: false, label: 'h1 rec', live: false } as const;
/** Pictures of the whole second recording, transcoded (the encoder's rate here is 20–25 fps). */
let whole = 0;

test('the cursor in the gap before a recording: it opens at that recording, and says when it starts', async () => {
  // What the pane knew before: seconds from the window's start (here 40 s: past the 24-s playlist).
  const a = await transcoder.start({ ...base, url: await playUrl(), atMs: recs[1]!.start - 5_000, startAt: 40 });
  assert.ok(a.ok, JSON.stringify(a));
  assert.equal(a.startsAtMs, recs[1]!.start);
  whole = await pictures(a.url);
  assert.ok(whole >= 200 && whole <= 325, `${whole} pictures (the second recording's 12 s expected)`);
  assert.equal(asked, 1, 'the single-use play URL was asked for once');
});

test('the cursor inside the second recording: ffmpeg starts there (its seek across recordings found nothing)', async () => {
  const atMs = recs[1]!.start + 6_000;
  const a = await transcoder.start({ ...base, url: await playUrl(), atMs, startAt: 60 });
  assert.ok(a.ok, JSON.stringify(a));
  assert.equal(a.startsAtMs, atMs);
  const n = await pictures(a.url);
  // Its last 6 of 12 s.
  assert.ok(n >= whole * 0.35 && n <= whole * 0.65, `${n} pictures of the recording's ${whole} (half expected)`);
  assert.equal(asked, 1, 'the single-use play URL was asked for once');
});

test('a play URL already used: the pane is told why, and nothing holds the budget', async () => {
  const url = `http://127.0.0.1:${(platform.address() as AddressInfo).port}/play.m3u8`;
  relay.issue(url);
  const used = await relay.open(url, 'hls');
  await assert.rejects(
    () => transcoder.start({ ...base, url: used, atMs: recs[0]!.start }),
    /playlist could not be read: the relay answered HTTP (403|502)/,
  );
  assert.equal(transcoder.list().transcodes.length, 0);
  assert.equal(transcoder.list().usedCores, 0);
});
