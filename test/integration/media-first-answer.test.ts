import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { HuaweiIvmPlatform, beijing } from '../../main/platforms/huawei-ivm';
import { VcsApi } from '../../main/platforms/aliyun-vcs/api';
import { VcsClient } from '../../main/platforms/aliyun-vcs/client';
import { IvcApi } from '../../main/platforms/tencent-ivc/api';
import { IvcClient } from '../../main/platforms/tencent-ivc/client';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { ffmpegPath } from '../emulators/media/ffmpeg';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator, recordingPlaylist } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';

// Issue 22: platforms answer a playlist at once, so must the emulators. Every recording
// playlist they issue (Tencent E35 HLS, Tencent E38 MP4 download, Alibaba GetDeviceVideoUrl HLS,
// Huawei IVM §9.3 HLS) answers while the machine is busy and the recording was never encoded
// (background preparation off: the worst case); live HLS holds its first request until the
// first segment instead of answering 404; the notFoundFirst fault brings the 404s back on
// purpose. The bound here (3 s) only separates "answers at once" from "encodes the whole
// recording first" (6–12 s before); the figures are measured apart (see the issue's report).
// Alibaba §3.2.8 device-local recordings are served for every protocol the document lists.

let sim: MediaSimulator;
let ivc: IvcEmulator;
let vcs: VcsEmulator;
let ivm: IvmEmulator;
let ivcApi: IvcApi;
let vcsApi: VcsApi;
const BOUND_MS = 3000;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [
      { id: 'f1', name: 'First 1' },
      { id: 'f2', name: 'First 2' },
    ],
    recordingsPerChannel: 4,
    recordingMinutes: 2,
    recordingEveryMinutes: 10,
    prepareRecordings: false,
  });
  ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  vcs = await new VcsEmulator({ warmupMs: 0, media: platformMedia(sim) }).start();
  ivm = await new IvmEmulator({ media: platformMedia(sim) }).start();
  ivcApi = new IvcApi(
    new IvcClient(
      {
        platform: 'tencent-ivc',
        endpoint: ivc.baseUrl,
        appId: ivc.credentials.appId,
        secretId: ivc.credentials.secretId,
      },
      ivc.credentials.secretKey,
    ),
  );
  vcsApi = new VcsApi(
    new VcsClient(
      {
        platform: 'aliyun-vcs',
        regionId: 'cn-hangzhou',
        endpoint: vcs.baseUrl,
        accessKeyId: vcs.credentials.accessKeyId,
      },
      vcs.credentials.accessKeySecret,
    ),
  );
  // A busy machine: two 720p encoders run throughout.
  sim.flv('f1', 'main');
  sim.flv('f2', 'main');
});
after(async () => {
  await ivc?.stop();
  await vcs?.stop();
  await ivm?.stop();
  await sim?.stop();
});

/** Status, body and time to the whole answer. */
async function timed(url: string): Promise<{ status: number; text: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}

/** Time to the first body bytes of a stream (the connection is then closed). */
async function firstBytes(url: string): Promise<{ status: number; bytes: Buffer; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const reader = res.body!.getReader();
  const r = await reader.read();
  const ms = performance.now() - t0;
  await reader.cancel().catch(() => undefined);
  return { status: res.status, bytes: Buffer.from(r.value ?? []), ms };
}

const firstSegment = (playlist: string) => playlist.split('\n').find((l) => l.startsWith('http'))!;

async function plannedChannel() {
  const plan = (await ivcApi.listRealtimePlans())[0]!;
  return (await ivcApi.realtimePlanChannels({ PlanId: plan.PlanId, PageNumber: 1, PageSize: 1 })).List[0]!;
}

test('Tencent E35 cloud playback: the HLS playlist and its first segment answer at once for a recording never encoded', async () => {
  const ch = await plannedChannel();
  const rec = sim.recordings('f1')[0]!;
  const { Hls } = await ivcApi.cloudPlaybackUrl({
    ChannelId: ch.ChannelId,
    StartTime: Math.floor(rec.start / 1000),
    EndTime: Math.floor(rec.end / 1000),
  });
  const playlist = await timed(Hls);
  assert.equal(playlist.status, 200);
  assert.ok(playlist.ms < BOUND_MS, `playlist after ${Math.round(playlist.ms)} ms`);
  assert.match(playlist.text, /#EXT-X-ENDLIST/);
  assert.equal(playlist.text.match(/#EXTINF/g)?.length, 60, 'the whole 2-minute recording, 2-s segments');
  const seg = await timed(firstSegment(playlist.text));
  assert.equal(seg.status, 200);
  assert.ok(seg.ms < BOUND_MS, `first segment after ${Math.round(seg.ms)} ms`);
  assert.equal(seg.text.charCodeAt(0), 0x47, 'an MPEG-TS segment');
});

test('Tencent E38 download: the MP4 starts at once for a recording never encoded', async () => {
  const ch = await plannedChannel();
  const rec = sim.recordings('f1')[1]!;
  const begin = Math.floor(rec.start / 1000) + 5;
  const { Url } = await ivcApi.downloadUrl({
    ChannelId: ch.ChannelId,
    BeginTime: String(begin),
    EndTime: String(begin + 30),
    FileType: 'mp4',
  });
  const first = await firstBytes(Url);
  assert.equal(first.status, 200);
  assert.ok(first.ms < BOUND_MS, `first bytes after ${Math.round(first.ms)} ms`);
  assert.equal(first.bytes.subarray(4, 8).toString('latin1'), 'ftyp');
});

test('Alibaba GetDeviceVideoUrl (cloud): the VOD playlist answers at once for a recording never encoded', async () => {
  const d = [...vcs.devices.values()].find((x) => x.DeviceType === 'IPC' && x.media === 'f2')!;
  const rec = sim.recordings('f2')[2]!;
  const { Url } = await vcsApi.getDeviceVideoUrl({
    CorpId: d.CorpId,
    DeviceId: d.DeviceId,
    StartTime: rec.start,
    EndTime: rec.end,
    OutProtocol: 'hls',
  });
  const playlist = await timed(Url);
  assert.equal(playlist.status, 200);
  assert.ok(playlist.ms < BOUND_MS, `playlist after ${Math.round(playlist.ms)} ms`);
  const seg = await timed(firstSegment(playlist.text));
  assert.ok(seg.ms < BOUND_MS && seg.status === 200, `first segment ${seg.status} after ${Math.round(seg.ms)} ms`);
});

test('Huawei IVM §9.3 HLS playback: the ticket and the session playlist answer at once for a recording never encoded', async () => {
  const vigil = new HuaweiIvmPlatform(
    { platform: 'huawei-ivm', endpoint: ivm.baseUrl, userId: ivm.credentials.userId, ak: ivm.credentials.ak },
    ivm.credentials.sk,
  );
  const channel = [...ivm.devices.values()]
    .flatMap((d) => d.channels.map((c) => ({ d, c })))
    .find(({ d, c }) => d.device_state === 'ONLINE' && d.access_protocol === 'HOLO' && c.media === 'f2')!;
  const rec = sim.recordings('f2')[3]!;
  const url = (
    await vigil.api.playbackConnection(channel.d.device_id, channel.c.channel_id, {
      playback_protocol: 'HTTP_HLS',
      start_time: beijing(rec.start),
      end_time: beijing(rec.end),
      record_position: 'CLOUD',
    })
  ).playback_connections.cloud_trans_connections!.playback_url!;
  const t0 = performance.now();
  const master = await timed(url);
  const session = /^http\S+\/media\/hls\/\w+\.m3u8$/m.exec(master.text)![0];
  const media = await timed(session);
  const ms = performance.now() - t0;
  assert.equal(media.status, 200);
  assert.match(media.text, /#EXTINF/);
  assert.ok(ms < BOUND_MS, `master and media playlist after ${Math.round(ms)} ms`);
});

test('a recording playlist answered before encoding is the one ffmpeg writes', async () => {
  const rec = sim.recordings('f1')[3]!;
  await sim.prepareRecording('f1', rec.start);
  const written = fs.readFileSync(path.join(sim.workDir, 'rec', 'f1', String(rec.start), 'index.m3u8'), 'utf8');
  assert.equal(recordingPlaylist(rec), written);
  assert.equal((await timed(rec.url)).text, written);
});

test('live HLS: the first request waits for the first segment (≤ 3 s) instead of answering 404', async () => {
  await sim.releaseStreams();
  sim.flv('f1', 'main');
  sim.flv('f2', 'main');
  const url = sim.hls('f2', 'sub');
  const first = await timed(url);
  assert.equal(first.status, 200, first.text);
  assert.ok(first.ms < BOUND_MS, `first playlist after ${Math.round(first.ms)} ms`);
  // The remuxer no longer probes its input for 5 s (a playlist born with five segments, 5 s late).
  assert.ok((first.text.match(/#EXTINF/g) ?? []).length <= 2, first.text);
  // A URL whose remuxer is not running (released) starts it when asked for.
  await sim.releaseStreams();
  const again = await timed(url);
  assert.equal(again.status, 200);
  assert.match(again.text, /#EXTINF/);
});

test('fault notFoundFirst: media URLs answer 404 to their first N requests (playlists of the simulator, media of an emulator), API calls do not', async () => {
  sim.faults.notFoundFirst = 2;
  const live = sim.hls('f1', 'sub');
  assert.deepEqual(
    [(await timed(live)).status, (await timed(live)).status, (await timed(live)).status],
    [404, 404, 200],
  );
  sim.faults.notFoundFirst = 0;
  ivc.faults.notFoundFirst = 1;
  const ch = await plannedChannel(); // API calls are not counted
  const rec = sim.recordings('f1')[0]!;
  const { Hls } = await ivcApi.cloudPlaybackUrl({
    ChannelId: ch.ChannelId,
    StartTime: Math.floor(rec.start / 1000),
    EndTime: Math.floor(rec.end / 1000),
  });
  const refused = await fetch(Hls);
  assert.equal(refused.status, 404);
  assert.equal(refused.headers.get('access-control-allow-origin'), '*', 'a browser player sees the 404');
  assert.equal((await fetch(Hls)).status, 200);
  ivc.faults.notFoundFirst = 0;
});

test('Alibaba §3.2.8 device-local recordings (StorageType 1) play over every protocol the document lists', async () => {
  const d = [...vcs.devices.values()].find((x) => x.DeviceType === 'IPC' && x.media === 'f1')!;
  const rec = sim.recordings('f1')[3]!;
  const range = {
    CorpId: d.CorpId,
    DeviceId: d.DeviceId,
    StorageType: '1' as const,
    StartTime: rec.start + 4_000,
    EndTime: rec.end - 4_000,
  };
  for (const OutProtocol of ['hls', 'httpshls'] as const) {
    const { Url } = await vcsApi.getDeviceVideoUrl({ ...range, OutProtocol });
    const playlist = await timed(Url);
    assert.equal(playlist.status, 200, `${OutProtocol}: ${playlist.status}`);
    assert.equal((await timed(firstSegment(playlist.text))).status, 200, OutProtocol);
  }
  for (const OutProtocol of ['flv', 'httpsflv'] as const) {
    const { Url } = await vcsApi.getDeviceVideoUrl({ ...range, OutProtocol });
    const first = await firstBytes(Url);
    assert.equal(first.status, 200, `${OutProtocol}: ${first.status}`);
    assert.equal(first.bytes.subarray(0, 3).toString('latin1'), 'FLV', OutProtocol);
  }
  // RTSP: an RTSP client (ffmpeg, as VLC would) plays 2 s of it.
  const { Url } = await vcsApi.getDeviceVideoUrl({ ...range, OutProtocol: 'rtsp' });
  assert.match(Url, /^rtsp:\/\/127\.0\.0\.1:\d+\/vod\//);
  const played = await new Promise<{ code: number | null; log: string }>((resolve) => {
    const p = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', '-i', Url, '-t', '2', '-f', 'null', '-'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    p.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.on('exit', (code) => (clearTimeout(timer), resolve({ code, log })));
  });
  assert.equal(played.code, 0, played.log.slice(-600));
  const frames = Number([...played.log.matchAll(/frame=\s*(\d+)/g)].at(-1)?.[1] ?? 0);
  assert.ok(frames >= 40, `${frames} frames in 2 s`);
});
