import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Core } from '../../main/core';
import { TencentIvcPlatform } from '../../main/platforms/tencent-ivc';
import type { ExportJob } from '../../preload/contract';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount } from '../helpers/accounts';
import { addAccount, makeCore, MemoryVault, tempDir } from '../helpers/core';
import { probeSeconds } from '../helpers/probe';

// Tencent IVC's day and length limits against its emulator with real video: footage placed over
// a UTC+8 midnight lists as one cloud segment per day and plays from the device as asked (E36 has
// no day limit); a 45-minute cloud clip is downloaded as two E38 pieces and joined into one MP4.

const DAY = 86_400;
const now = Math.floor(Date.now() / 1000);
/** The UTC+8 midnight that began yesterday in Beijing: everything placed around it is past. */
const midnight = Math.floor((now + 8 * 3600) / DAY) * DAY - 8 * 3600 - DAY;
/** Noon of the day before that midnight: far from any midnight, for the export. */
const noon = midnight - 12 * 3600;

let sim: MediaSimulator;
let ivc: IvcEmulator;
let core: Core;
let accountId: string;
let platform: TencentIvcPlatform;
let nodeId: string;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [{ id: 'd1', name: 'Days 1' }],
    recordingsPerChannel: 2,
    recordingMinutes: 1,
  });
  const [a, b] = sim.recordings('d1');
  // The simulator's recordings (one minute each), placed at chosen times: two minutes over the
  // midnight, and one minute at noon and another 30 minutes later.
  const placed = [
    { start: (midnight - 60) * 1000, end: (midnight + 60) * 1000, url: a!.url },
    { start: noon * 1000, end: (noon + 60) * 1000, url: a!.url },
    { start: (noon + 1800) * 1000, end: (noon + 1860) * 1000, url: b!.url },
  ];
  ivc = await new IvcEmulator({ media: { ...platformMedia(sim), recordings: () => placed } }).start();
  platform = new TencentIvcPlatform(
    {
      platform: 'tencent-ivc',
      endpoint: ivc.baseUrl,
      appId: ivc.credentials.appId,
      secretId: ivc.credentials.secretId,
    },
    ivc.credentials.secretKey,
  );
  // A channel in a real-time plan: it has cloud footage.
  const plan = (await platform.api.listRealtimePlans())[0]!;
  const ch = (await platform.api.realtimePlanChannels({ PlanId: plan.PlanId, PageNumber: 1, PageSize: 1 })).List[0]!;
  nodeId = `ch:${ch.DeviceId}:${ch.ChannelId}`;
  ({ core } = makeCore({ vault: new MemoryVault(), exportDir: tempDir() }));
  accountId = await addAccount(core, 'IVC days', ivcAccount(ivc));
});
after(async () => {
  await core?.dispose();
  await ivc?.stop();
  await sim?.stop();
});

test('a cloud recording over a UTC+8 midnight lists as one segment per day, each one E35 request; the device one stays whole', async () => {
  const segments = await platform.recordings(nodeId, (midnight - 3600) * 1000, (midnight + 3600) * 1000);
  assert.deepEqual(
    segments.filter((s) => s.kind === 'cloud').map((s) => [s.startMs / 1000, s.endMs / 1000]),
    [
      [midnight - 60, midnight],
      [midnight, midnight + 60],
    ],
  );
  assert.deepEqual(
    segments.filter((s) => s.kind === 'device').map((s) => [s.startMs / 1000, s.endMs / 1000]),
    [[midnight - 60, midnight + 60]],
  );
  // Each listed cloud segment plays by one E35 request within its day (the emulator refuses one across).
  for (const s of segments.filter((x) => x.kind === 'cloud')) {
    const { url } = await platform.playbackSource(nodeId, 'cloud', s.startMs, s.endMs);
    const q = new URL(url).searchParams;
    assert.equal(Number(q.get('starttime')), s.startMs / 1000);
    assert.ok(Number(q.get('endtime')) >= s.endMs / 1000 - 1, url);
  }
});

test('device playback over a UTC+8 midnight: one E36 request for the range as asked', async () => {
  const before = ivc.server.callsTo('POST', /^\/ivc\/cms\/control\/record$/).length;
  const source = await platform.playbackSource(nodeId, 'device', (midnight - 60) * 1000, (midnight + 60) * 1000);
  const calls = ivc.server.callsTo('POST', /^\/ivc\/cms\/control\/record$/).slice(before);
  assert.deepEqual(
    calls.map((c) => c.body as { Start: number; End: number }).map((b) => [b.Start, b.End]),
    [[midnight - 60, midnight + 60]],
  );
  assert.equal(source.protocol, 'flv');
  const q = new URL(source.url).searchParams;
  assert.deepEqual([Number(q.get('start')), Number(q.get('end'))], [midnight - 60, midnight + 60]);
  await platform.playbackControl(nodeId, source.session!, 'stop');
});

test('a download ending exactly at 00:00 UTC+8 is one E38 request; 30 minutes and a second is refused', async () => {
  const url = await platform.downloadUrl(nodeId, (midnight - 600) * 1000, midnight * 1000, 'mp4');
  assert.equal(new URL(url).searchParams.get('source')?.split(';').slice(1, 3).join(), `${midnight - 600},${midnight}`);
  await assert.rejects(platform.downloadUrl(nodeId, noon * 1000, (noon + 1801) * 1000, 'mp4'), /at most 30 minutes/);
});

test('a 45-minute cloud clip exports as two E38 downloads joined into one MP4', async () => {
  const e38 = () => ivc.server.callsTo('POST', /^\/ivc\/vds\/VideoDownloadUrl$/);
  const before = e38().length;
  const started = await core.call('export:start', {
    accountId,
    channelId: nodeId,
    name: 'gate',
    kind: 'cloud',
    startMs: noon * 1000,
    endMs: (noon + 2700) * 1000,
  });
  assert.ok(started.ok, JSON.stringify(started));
  const job = await ended((started.result as ExportJob).id);
  assert.equal(job.state, 'done', job.message ?? '');
  assert.deepEqual(
    e38()
      .slice(before)
      .map((c) => c.body as { BeginTime: string; EndTime: string })
      .map((b) => [Number(b.BeginTime), Number(b.EndTime)]),
    [
      [noon, noon + 1800],
      [noon + 1800, noon + 2700],
    ],
  );
  // Each piece holds its one minute of footage: two minutes, read whole by ffmpeg.
  const { duration, decoded } = probeSeconds(job.file!);
  assert.ok(
    Math.abs((duration ?? 0) - 120) <= 3 && Math.abs(decoded - 120) <= 3,
    `duration ${duration} s, plays ${decoded} s`,
  );
  assert.deepEqual(
    fs.readdirSync(path.dirname(job.file!)).filter((f) => f !== path.basename(job.file!)),
    [],
    'no piece or part left',
  );
});

function ended(id: string): Promise<ExportJob> {
  return new Promise((resolve) => {
    const off = core.events.subscribe((event, payload) => {
      const job = payload as ExportJob;
      if (event === 'main:export' && job.id === id && ['done', 'failed', 'cancelled'].includes(job.state)) {
        off();
        resolve(job);
      }
    });
  });
}
