import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { MediaRelay } from '../../main/media/relay';
import type { Transcoder } from '../../main/media/transcode/transcoder';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { stitchPlaylist } from '../emulators/media/playlist';
import { MediaSimulator, type Recording } from '../emulators/media/simulator';
import { ORIGIN, relayAndTranscoder } from '../helpers/transcoder';

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
/** Serve the playlist without its dates (as a platform that dates nothing). */
let undated = false;

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
    const body = undated ? playlist.replace(/^#EXT-X-PROGRAM-DATE-TIME:.*\n/gm, '') : playlist;
    res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' }).end(body);
  });
  await new Promise<void>((r) => platform.listen(0, '127.0.0.1', r));
  ({ relay, transcoder } = relayAndTranscoder({ budgetCores: () => 1 }));
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

test('the cursor in the gap before a recording: it opens at that recording, and says when it starts', async () => {
  // What the pane knew before: seconds from the window's start (here 40 s: past the 24-s playlist).
  const a = await transcoder.start({ ...base, url: await playUrl(), atMs: recs[1]!.start - 5_000, startAt: 40 });
  assert.ok(a.ok, JSON.stringify(a));
  assert.equal(a.startsAtMs, recs[1]!.start);
  const n = await pictures(a.url);
  // The whole second recording: 12 s at 25 fps (its first second too: no +nobuffer on a recording).
  assert.ok(n >= 295 && n <= 305, `${n} pictures (300 expected)`);
  assert.equal(asked, 1, 'the single-use play URL was asked for once');
});

test('the cursor 7 s into the second recording: from that picture (not the next key frame), to its end', async () => {
  const atMs = recs[1]!.start + 7_000;
  const a = await transcoder.start({ ...base, url: await playUrl(), atMs, startAt: 60 });
  assert.ok(a.ok, JSON.stringify(a));
  assert.equal(a.startsAtMs, atMs);
  // Its last 5 s (the 2-s segment holding 7 s begins at 6 s: an input seek went on to 8 s, 100 pictures).
  const n = await pictures(a.url);
  assert.ok(n >= 120 && n <= 130, `${n} pictures (125 expected)`);
  assert.equal(asked, 1, 'the single-use play URL was asked for once');
});

test('the cursor in the first recording: the transcode ends with that recording (ffmpeg would drop the next one)', async () => {
  const a = await transcoder.start({ ...base, url: await playUrl(), atMs: recs[0]!.start + 6_000 });
  assert.ok(a.ok, JSON.stringify(a));
  const n = await pictures(a.url);
  assert.ok(n >= 145 && n <= 155, `${n} pictures (the first recording's last 6 s: 150)`);
  for (let i = 0; i < 50 && transcoder.list().transcodes.length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(transcoder.list().transcodes.length, 0, 'ended, and its budget freed');
});

test('an undated playlist is cut by its durations: seconds from its start', async () => {
  undated = true;
  try {
    const a = await transcoder.start({ ...base, url: await playUrl(), startAt: 19 });
    assert.ok(a.ok, JSON.stringify(a));
    assert.equal(a.startsAtMs, undefined, 'no wall time to say');
    const n = await pictures(a.url);
    // 19 s = 7 s into the second recording: its last 5 s.
    assert.ok(n >= 120 && n <= 130, `${n} pictures (125 expected)`);
  } finally {
    undated = false;
  }
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
