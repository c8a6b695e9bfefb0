import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AliyunVcsPlatform } from '../../main/platforms/aliyun-vcs';
import { HuaweiIvmPlatform, beijing } from '../../main/platforms/huawei-ivm';
import { HuaweiVisPlatform } from '../../main/platforms/huawei-vis';
import { VisApi } from '../../main/platforms/huawei-vis/api';
import { TencentIvcPlatform } from '../../main/platforms/tencent-ivc';
import { VisClient } from '../../main/platforms/huawei-vis/client';
import { IvcApi } from '../../main/platforms/tencent-ivc/api';
import { IvcClient } from '../../main/platforms/tencent-ivc/client';
import { parsePlaybackSession, splitByChinaDay } from '../../main/platforms/tencent-ivc/map';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { VisEmulator } from '../emulators/huawei-vis/emulator';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivmAccount } from '../helpers/accounts';
import { waitFor } from '../helpers/control-room';
import { addAccount, makeCore, MemoryVault, tempDir } from '../helpers/core';
import { rejectsWithCode } from '../helpers/platform';
import { probeSeconds } from '../helpers/probe';

// Platform media paths with real video: Tencent live/cloud/device playback and download,
// VIS play addresses and its 5-viewer limit, all served from the media simulator.

let sim: MediaSimulator;
let ivc: IvcEmulator;
let vis: VisEmulator;
let vcs: VcsEmulator;
let ivm: IvmEmulator;
let ivcApi: IvcApi;
let visApi: VisApi;

before(async () => {
  sim = await MediaSimulator.start({
    channels: [
      { id: 'm1', name: 'Media 1' },
      { id: 'm2', name: 'Media 2' },
    ],
    recordingsPerChannel: 3,
    recordingMinutes: 1,
    recordingEveryMinutes: 10,
    sharedSubEncoder: true,
  });
  ivc = await new IvcEmulator({ media: platformMedia(sim) }).start();
  ivm = await new IvmEmulator({ media: platformMedia(sim) }).start();
  vcs = await new VcsEmulator({ warmupMs: 100, media: platformMedia(sim) }).start();
  vis = await new VisEmulator({
    inviteAfterMs: 50,
    media: { flv: () => sim.flv('m1', 'sub'), hls: () => sim.hls('m1', 'sub') },
  }).start();
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
  visApi = new VisApi(
    new VisClient(
      {
        platform: 'huawei-vis',
        region: 'cn-north-4',
        projectId: vis.projectId,
        authMode: 'aksk',
        ak: vis.credentials.ak,
        endpoint: vis.baseUrl,
      },
      vis.credentials.sk,
    ),
  );
});
after(async () => {
  await ivc?.stop();
  await vis?.stop();
  await vcs?.stop();
  await ivm?.stop();
  await sim?.stop();
});

/** Reads a stream for `ms` and returns the bytes received (0 if refused). */
async function bytesFrom(
  url: string,
  ms = 1500,
  headers: Record<string, string> = {},
): Promise<{ status: number; bytes: number }> {
  const res = await fetch(url, { headers });
  if (!res.body || res.status !== 200) return { status: res.status, bytes: 0 };
  const reader = res.body.getReader();
  let bytes = 0;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const r = await Promise.race([
      reader.read(),
      new Promise<null>((ok) => setTimeout(() => ok(null), until - Date.now())),
    ]);
    if (!r || r.done) break;
    bytes += r.value.length;
  }
  await reader.cancel().catch(() => undefined);
  return { status: res.status, bytes };
}

async function plannedChannel() {
  const plan = (await ivcApi.listRealtimePlans())[0]!;
  return (await ivcApi.realtimePlanChannels({ PlanId: plan.PlanId, PageNumber: 1, PageSize: 1 })).List[0]!;
}

test('Tencent live: E32 FLV URL carries real video', async () => {
  const ch = await plannedChannel();
  const urls = await ivcApi.liveUrls({ ChannelId: ch.ChannelId, StreamType: 2 });
  const r = await bytesFrom(urls.Flv, 2500);
  assert.equal(r.status, 200);
  assert.ok(r.bytes > 20_000, `only ${r.bytes} bytes`);
});

test('Tencent cloud playback: timeline shows the recordings with gaps, E35 HLS playlist plays them', async () => {
  const ch = await plannedChannel();
  const recs = sim.recordings('m1');
  const first = Math.floor(recs[0]!.start / 1000);
  const last = Math.floor(recs.at(-1)!.end / 1000);
  const [day] = splitByChinaDay(first - 60, Math.min(last + 60, Math.floor(Date.now() / 1000)));
  const timeline = await ivcApi.cloudTimeline({
    DeviceId: ch.DeviceId,
    ChannelId: ch.ChannelId,
    StartTime: day![0],
    EndTime: day![1],
  });
  assert.ok(timeline.List.length >= 1);
  for (let i = 1; i < timeline.List.length; i++)
    assert.ok(timeline.List[i]!.Begin > timeline.List[i - 1]!.End, 'segments have gaps');
  const seg = timeline.List[0]!;
  const { Hls } = await ivcApi.cloudPlaybackUrl({ ChannelId: ch.ChannelId, StartTime: seg.Begin, EndTime: seg.End });
  const playlist = await (await fetch(Hls)).text();
  assert.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD/);
  assert.match(playlist, /#EXT-X-PROGRAM-DATE-TIME/);
  const firstSegment = playlist.split('\n').find((l) => l.startsWith('http'))!;
  const bytes = (await (await fetch(firstSegment)).arrayBuffer()).byteLength;
  assert.ok(bytes > 10_000);
});

test('Tencent device playback: E34 timeline, E36 FLV from the recording, E37 pause, speed and stop paced on the media clock', async () => {
  const ch = await plannedChannel();
  const rec = sim.recordings('m1')[0]!;
  const start = Math.floor(rec.start / 1000);
  const timeline = await ivcApi.deviceTimeline({ ChannelId: ch.ChannelId, Start: start - 60, End: start + 120 });
  assert.ok(timeline.length >= 1);
  const { Flv } = await ivcApi.devicePlaybackUrl({ ChannelId: ch.ChannelId, Start: start, End: start + 60 });
  const session = parsePlaybackSession(Flv)!;
  assert.equal(session.channelId, ch.ChannelId);
  // The recording arrives in real time, stops while paused and runs twice as fast at Scale 2:
  // measured on the FLV tags' own timestamps against the wall clock.
  const flv = await flvClock(Flv);
  const during = async (ms: number) => {
    const before = flv.mediaMs();
    await new Promise((r) => setTimeout(r, ms));
    return flv.mediaMs() - before;
  };
  await during(1000);
  const normal = await during(2000);
  assert.ok(normal > 1400 && normal < 2800, `1×: ${normal} ms of video in 2 s`);
  assert.ok(flv.bytes() > 10_000, `only ${flv.bytes()} bytes`);
  await assert.rejects(
    ivcApi.devicePlaybackControl({
      ChannelId: ch.ChannelId,
      Session: session.session,
      Action: 'play',
      Pos: 5,
      Scale: 2,
    }),
    /41630/,
  );
  await ivcApi.devicePlaybackControl({ ChannelId: ch.ChannelId, Session: session.session, Action: 'pause' });
  await during(700); // what was already sent ahead drains
  const paused = await during(1500);
  assert.ok(paused <= 100, `paused: ${paused} ms of video in 1.5 s`);
  await ivcApi.devicePlaybackControl({ ChannelId: ch.ChannelId, Session: session.session, Action: 'play', Scale: 2 });
  const fast = await during(2000);
  assert.ok(fast > 3000 && fast < 5000, `2×: ${fast} ms of video in 2 s`);
  await ivcApi.devicePlaybackControl({ ChannelId: ch.ChannelId, Session: session.session, Action: 'stop' });
  await flv.ended;
  await assert.rejects(
    ivcApi.devicePlaybackControl({ ChannelId: ch.ChannelId, Session: session.session, Action: 'play' }),
    /40006/,
  );
});

test('Tencent download: E38 URL (≤ 30 min, same day) gives an MP4 of the right length; a tampered URL is 42503', async () => {
  const ch = await plannedChannel();
  const rec = sim.recordings('m1')[0]!;
  const begin = Math.floor(rec.start / 1000) + 5;
  await assert.rejects(
    ivcApi.downloadUrl({
      ChannelId: ch.ChannelId,
      BeginTime: String(begin),
      EndTime: String(begin + 1801),
      FileType: 'mp4',
    }),
    /40001/,
  );
  const { Url } = await ivcApi.downloadUrl({
    ChannelId: ch.ChannelId,
    BeginTime: String(begin),
    EndTime: String(begin + 30),
    FileType: 'mp4',
  });
  const res = await fetch(Url);
  assert.equal(res.status, 200);
  const file = path.join(tempDir(), 'clip.mp4');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const { decoded } = probeSeconds(file);
  assert.ok(Math.abs(decoded - 30) <= 2, `clip plays ${decoded} s`);
  const tampered = await fetch(Url.replace(/sign=[0-9a-f]+/, 'sign=00'));
  assert.equal(tampered.status, 403);
  assert.equal(((await tampered.json()) as { StatusCode: number }).StatusCode, 42503);
});

test('VIS: an invited GB channel plays from its pull address; the 6th simultaneous viewer is refused', async () => {
  const dev = (await visApi.listDevices({ state: 'ONLINE', type: 'IPC' })).items.find(
    (d) => d.channels[0]?.invitation_status === 'INVITE_SUCCESS',
  )!;
  const ep = await visApi.getStreamEndpoint(dev.channels[0]!.stream_name!);
  const viewers: Array<{ cancel(): Promise<void> }> = [];
  for (let i = 0; i < 5; i++) {
    const res = await fetch(ep.pull_flow_address!);
    assert.equal(res.status, 200, `viewer ${i + 1}`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.ok(!first.done && first.value.length > 0);
    viewers.push({ cancel: () => reader.cancel() });
  }
  const sixth = await fetch(ep.pull_flow_address!);
  assert.equal(sixth.status, 403);
  await sixth.body?.cancel();
  for (const v of viewers) await v.cancel();
});

test('Tencent adapter: presets within 1–10, cloud and device segments merged, playback sources for both', async () => {
  const platform = new TencentIvcPlatform(
    {
      platform: 'tencent-ivc',
      endpoint: ivc.baseUrl,
      appId: ivc.credentials.appId,
      secretId: ivc.credentials.secretId,
    },
    ivc.credentials.secretKey,
  );
  const nodes = await platform.tree();
  const ptzChannel = nodes.find((n) => n.kind === 'channel' && n.ptz && n.status === 'online')!;
  assert.deepEqual(platform.presets.limits, { minIndex: 1, maxIndex: 10, maxCount: 10, nameEditable: false });
  await platform.presets.set(ptzChannel.id, 2);
  assert.deepEqual(await platform.presets.list(ptzChannel.id), [{ index: 2, name: '2' }]);
  await platform.presets.goTo(ptzChannel.id, 2);
  await platform.presets.remove(ptzChannel.id, 2);
  assert.deepEqual(await platform.presets.list(ptzChannel.id), []);

  const ch = await plannedChannel();
  const nodeId = `ch:${ch.DeviceId}:${ch.ChannelId}`;
  const recs = sim.recordings('m1');
  const segments = await platform.recordings(nodeId, recs[0]!.start - 60_000, recs.at(-1)!.end + 60_000);
  assert.ok(segments.some((s) => s.kind === 'cloud'));
  assert.ok(segments.some((s) => s.kind === 'device'));
  assert.ok(
    segments.every((s, i) => i === 0 || s.startMs >= segments[i - 1]!.startMs),
    'sorted',
  );
  const cloud = await platform.playbackSource(nodeId, 'cloud', recs[0]!.start, recs[0]!.end);
  assert.equal(cloud.protocol, 'hls');
  assert.match(await (await fetch(cloud.url)).text(), /#EXTINF/);
  const device = await platform.playbackSource(nodeId, 'device', recs[0]!.start, recs[0]!.end);
  assert.equal(device.protocol, 'flv');
  assert.match(device.session!, /^[0-9a-f-]{36}$/);
  const url = await platform.downloadUrl(nodeId, recs[0]!.start + 5000, recs[0]!.start + 35_000, 'ts');
  assert.equal((await fetch(url)).status, 200);
  await assert.rejects(
    platform.downloadUrl(nodeId, recs[0]!.start, recs[0]!.start + 31 * 60_000, 'mp4'),
    /at most 30 minutes/,
  );
});

test('VIS adapter: health has every statistics list and packet reception rates', async () => {
  const platform = new HuaweiVisPlatform(
    {
      platform: 'huawei-vis',
      region: 'cn-north-4',
      projectId: vis.projectId,
      authMode: 'aksk',
      ak: vis.credentials.ak,
      endpoint: vis.baseUrl,
    },
    vis.credentials.sk,
  );
  const h = await platform.health.lists();
  assert.deepEqual(h.problems, []);
  assert.equal(h.lists.length, 6);
  for (const l of h.lists) assert.ok(l.items.length > 0, `${l.key} is empty`);
  assert.ok(h.packetRates.length > 0 && h.packetRates.every((r) => r.expected > 0 && r.received <= r.expected));
});

test('Alibaba VCS: the live URL (after on-demand Retry) carries real video; a recording range plays from its HLS playlist', async () => {
  const vigil = new AliyunVcsPlatform(
    {
      platform: 'aliyun-vcs',
      regionId: 'cn-hangzhou',
      endpoint: vcs.baseUrl,
      accessKeyId: vcs.credentials.accessKeyId,
    },
    vcs.credentials.accessKeySecret,
    fetch,
    (ms) => new Promise((r) => setTimeout(r, ms / 10)),
  );
  const cam = (await vigil.tree()).find((n) => n.kind === 'channel' && n.status === 'online')!;
  const live = await vigil.liveSource(cam.id, 'sub');
  const r = await bytesFrom(live.url, 2500);
  assert.equal(r.status, 200);
  assert.ok(r.bytes > 20_000, `only ${r.bytes} bytes`);
  const rec = sim.recordings('m1')[0]!;
  const deviceCam = (await vigil.tree())
    .filter((n) => n.kind === 'channel')
    .find((n) => vcs.devices.get(n.id.split(':')[2]!)?.media === 'm1')!;
  const source = await vigil.playbackSource(deviceCam.id, 'cloud', rec.start + 5_000, rec.end - 5_000);
  // The range's recordings as one VOD playlist, dated so a player can place it on the timeline.
  assert.equal(source.protocol, 'hls');
  const playlist = await (await fetch(source.url)).text();
  assert.match(playlist, /#EXTINF/);
  assert.match(playlist, new RegExp(`#EXT-X-PROGRAM-DATE-TIME:${new Date(rec.start).toISOString()}`));
  assert.ok(playlist.includes(new URL('seg00000.ts', rec.url).toString()), 'segments of the simulator recording');
  await assert.rejects(vigil.playbackSource(deviceCam.id, 'cloud', rec.end + 1_000, rec.end + 2_000), /No recording/);
});

test('Huawei IVM: §9.1 live FLV carries real video; §9.2 recordings match the simulator; §9.3 HLS playlist plays them', async () => {
  const vigil = new HuaweiIvmPlatform(
    { platform: 'huawei-ivm', endpoint: ivm.baseUrl, userId: ivm.credentials.userId, ak: ivm.credentials.ak },
    ivm.credentials.sk,
  );
  const node = 'ch:21A0123456SMY02:0';
  const live = await vigil.liveSource(node, 'sub');
  const r = await bytesFrom(live.url, 2500);
  assert.equal(r.status, 200);
  assert.ok(r.bytes > 20_000, `only ${r.bytes} bytes`);
  const asked = ivm.calls.filter((c) => c.path.endsWith('/media/live-connections')).at(-1)!.body;
  assert.deepEqual(
    [(asked as { use_times?: number }).use_times, (asked as { expire_time?: number }).expire_time],
    [1, 3600],
    'Vigil asks for an hour-long reusable URL (use_times 1): its lease while IVM cannot answer',
  );
  // The media side keeps §9.1's rules: single use by default, open within expire_time, revocable.
  const api = vigil.api;
  const url = async (extra: { expire_time?: number; use_times?: 0 | 1 } = {}) =>
    (
      await api.liveConnections({
        channels: [
          {
            device_id: '21A0123456SMY02',
            channel_id: '0',
            live_protocol: 'HTTP_FLV',
            stream_type: 'SECONDARY_STREAM_1',
          },
        ],
        ...extra,
      })
    ).live_connections[0]!.cloud_trans_connections!.live_url!;
  const once = await url();
  assert.equal((await bytesFrom(once, 300)).status, 200);
  assert.equal(
    (await bytesFrom(once, 200)).status,
    403,
    'use_times 0 (the default): a used URL cannot be opened again',
  );
  const reusable = await url({ use_times: 1, expire_time: 60 });
  assert.equal((await bytesFrom(reusable, 300)).status, 200);
  assert.equal((await bytesFrom(reusable, 300)).status, 200, 'use_times 1: reusable within its lifetime');
  const revoked = await url({ use_times: 1 });
  await api.revokeUrls([revoked]);
  assert.equal((await bytesFrom(revoked, 200)).status, 403, 'revoked (§9.4)');
  assert.equal((await bytesFrom(`${ivm.mediaBaseUrl}/live/x.flv?token=${'0'.repeat(24)}`, 200)).status, 404);
  // §9.1's media host is not the API's: an API that fails leaves a handed-out URL playing.
  assert.notEqual(new URL(reusable).origin, new URL(ivm.baseUrl).origin);
  ivm.faults.fail5xx = 1e9;
  try {
    assert.equal((await bytesFrom(reusable, 300)).status, 200, 'the media host serves while the API fails');
  } finally {
    ivm.faults.fail5xx = 0;
  }
  const media = ivm.devices.get('21A0123456SMY02')!.channels[0]!.media;
  const recs = sim.recordings(media);
  const segments = await vigil.recordings(node, recs[0]!.start - 60_000, recs.at(-1)!.end + 60_000);
  const cloud = segments.filter((s) => s.kind === 'cloud');
  assert.deepEqual(
    cloud.map((s) => [s.startMs, s.endMs]),
    recs.map((x) => [Math.floor(x.start / 1000) * 1000, Math.floor(x.end / 1000) * 1000]),
  );
  assert.ok(segments.some((s) => s.kind === 'device'));
  const source = await vigil.playbackSource(node, 'cloud', cloud[0]!.startMs, cloud[0]!.endMs);
  assert.equal(source.protocol, 'hls');
  assert.match(
    source.url,
    /\/vod\/vod\.m3u8\?token=\w+&device_id=21A0123456SMY02&channel_id=0$/,
    'the documented URL form',
  );
  // §9.3 HLS tickets: opening one answers a master playlist naming a session, which plays on
  // (reloads, segments) while the ticket itself is spent.
  const master = await (await fetch(source.url)).text();
  const session = /^http\S+\/media\/hls\/\w+\.m3u8$/m.exec(master)?.[0];
  assert.ok(session, master);
  assert.equal((await fetch(source.url)).status, 403, 'single use');
  const sessionPlaylist = await (await fetch(session)).text();
  assert.match(sessionPlaylist, /#EXTINF/);
  assert.ok(
    sessionPlaylist.includes(new URL('seg00000.ts', recs[0]!.url).toString()),
    'segments straight from the media side',
  );
  assert.match(await (await fetch(session)).text(), /#EXTINF/, 'the session serves again');
  const reusablePlayback = (
    await api.playbackConnection('21A0123456SMY02', '0', {
      playback_protocol: 'HTTP_HLS',
      start_time: beijing(cloud[0]!.startMs),
      end_time: beijing(cloud[0]!.endMs),
      record_position: 'CLOUD',
      use_times: 1,
      expire_time: 60,
    })
  ).playback_connections.cloud_trans_connections!.playback_url!;
  assert.equal((await fetch(reusablePlayback)).status, 200);
  assert.equal((await fetch(reusablePlayback)).status, 200, 'use_times 1');
  await rejectsWithCode(
    api.playbackConnection('21A0123456SMY02', '0', {
      playback_protocol: 'HTTP_HLS',
      start_time: beijing(cloud[0]!.startMs),
      end_time: beijing(cloud[0]!.endMs),
      record_position: 'CLOUD',
      expire_time: 10,
    }),
    'IVM.10020001',
  );
});

test('Huawei IVM: a pane reconnecting while IVM cannot answer plays on its channel’s lease; not past a camera offline; revoked when the adapter goes', async () => {
  const vigil = new HuaweiIvmPlatform(
    { platform: 'huawei-ivm', endpoint: ivm.baseUrl, userId: ivm.credentials.userId, ak: ivm.credentials.ak },
    ivm.credentials.sk,
  );
  const node = 'ch:21A0123456SMY02:0';
  const other = 'ch:21A0123456SMY01:0';
  const first = await vigil.liveSource(node, 'sub');
  assert.equal((await bytesFrom(first.url, 300)).status, 200);
  try {
    ivm.faults.fail5xx = 1e9;
    await rejectsWithCode(vigil.liveSource(other, 'sub'), 'IVM.90000011'); // no lease yet: the pane waits for IVM
    // IVM answers 5xx: the reconnect gets the lease, which the media host still serves.
    const again = await vigil.liveSource(node, 'sub');
    assert.equal(again.url, first.url);
    assert.equal((await bytesFrom(again.url, 300)).status, 200, 'the lease plays again');
    await rejectsWithCode(vigil.liveSource(node, 'main'), 'IVM.90000011'); // each stream has its own lease
  } finally {
    ivm.faults.fail5xx = 0;
  }
  // IVM holds its answers: with a lease in hand the pane waits 4 s, not 15.
  ivm.faults.latencyMs = 20_000;
  const t0 = Date.now();
  try {
    assert.equal((await vigil.liveSource(node, 'sub')).url, first.url);
    assert.ok(
      Date.now() - t0 < 10_000,
      `waited ${Date.now() - t0} ms for a hung IVM (4 s meant; 15 s without a lease)`,
    );
  } finally {
    ivm.faults.latencyMs = 0;
  }
  // A camera offline is IVM's answer, not its failure: no lease hides it.
  ivm.setChannelOnline('21A0123456SMY02', '0', false);
  try {
    await rejectsWithCode(vigil.liveSource(node, 'sub'), 'IVM.20000043');
  } finally {
    ivm.setChannelOnline('21A0123456SMY02', '0', true);
  }
  // The adapter goes (account changed or removed, quit): every lease is revoked (§9.4).
  const leased = [(await vigil.liveSource(node, 'sub')).url, (await vigil.liveSource(other, 'sub')).url];
  const revokes = ivm.calls.filter((c) => c.path.endsWith('/media/urls/batch-delete')).length;
  await vigil.close();
  const sent = ivm.calls.filter((c) => c.path.endsWith('/media/urls/batch-delete')).slice(revokes);
  assert.equal(sent.length, 1);
  assert.deepEqual(
    (sent[0]!.body as { urls: Array<{ url: string }> }).urls.map((u) => u.url).sort(),
    [...leased].sort(),
  );
  for (const url of leased) assert.equal((await bytesFrom(url, 200)).status, 403, 'revoked');
  ivm.faults.fail5xx = 1e9;
  try {
    await rejectsWithCode(vigil.liveSource(node, 'sub'), 'IVM.90000011'); // no lease after the adapter closed
  } finally {
    ivm.faults.fail5xx = 0;
  }
  // The same through the core: an account removed gives its leases back.
  const { core } = makeCore({ vault: new MemoryVault() });
  const accountId = await addAccount(core, 'IVM leases', ivmAccount(ivm));
  const played = await core.call('live:source', { accountId, channelId: node, stream: 'sub' });
  assert.ok(played.ok);
  const before = ivm.calls.filter((c) => c.path.endsWith('/media/urls/batch-delete')).length;
  assert.ok((await core.call('accounts:remove', { id: accountId })).ok);
  const revoked = await waitFor(
    'the removed account’s lease revoked',
    () => ivm.calls.filter((c) => c.path.endsWith('/media/urls/batch-delete'))[before],
    5000,
  );
  assert.equal((revoked.body as { urls: unknown[] }).urls.length, 1);
  await core.dispose();
});

test('Huawei IVM: the wall renews the lease of a channel it still plays, so a pane reconnecting while IVM fails plays after IVM stopped honouring the old one', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  const node = 'ch:21A0123456SMY01:0';
  const accountId = await addAccount(core, 'IVM renewal', ivmAccount(ivm));
  const renewals = () => ivm.calls.filter((c) => c.path.endsWith('/media/live-connections')).length;
  try {
    const played = await core.call('live:source', { accountId, channelId: node, stream: 'sub' });
    assert.ok(played.ok, JSON.stringify(played));
    const playedUrl = (played.result as { url: string }).url;
    // The pane plays on (its relay connection open) while IVM stops honouring every URL it gave.
    const res = await fetch(playedUrl);
    const reader = res.body!.getReader();
    assert.ok(!(await reader.read()).done);
    ivm.lapsePlayUrls();
    const before = renewals();
    await core.wall.renewal.renew();
    assert.equal(renewals(), before + 1, 'one §9.1 call renewed the played channel');
    // The media server restarts under the pane while IVM answers 5xx: it reconnects on the renewed lease.
    ivm.faults.fail5xx = 1e9;
    try {
      const again = await core.call('live:source', { accountId, channelId: node, stream: 'sub' });
      assert.ok(again.ok, `a lease to reconnect on: ${JSON.stringify(again)}`);
      const got = await bytesFrom((again.result as { url: string }).url, 500);
      assert.equal(got.status, 200, 'the renewed lease plays (the lapsed one answers 403)');
      assert.ok(got.bytes > 0);
    } finally {
      ivm.faults.fail5xx = 0;
    }
    await reader.cancel();
    // A channel no longer played is forgotten: the next round asks IVM nothing.
    await waitFor('the relay lets the streams go', () => core.relay.active === 0 || null, 5000);
    const after = renewals();
    await core.wall.renewal.renew();
    await core.wall.renewal.renew();
    assert.equal(renewals(), after, 'nothing renewed for a channel off screen');
  } finally {
    await core.dispose();
  }
});

test('Huawei IVM renewLive: leases renewed in one call per stream type; a replaced one nobody plays revoked, one still played kept', async () => {
  const vigil = new HuaweiIvmPlatform(
    { platform: 'huawei-ivm', endpoint: ivm.baseUrl, userId: ivm.credentials.userId, ak: ivm.credentials.ak },
    ivm.credentials.sk,
  );
  const a = 'ch:21A0123456SMY01:0';
  const b = 'ch:21A0123456SMY02:0';
  const urls = [(await vigil.liveSource(a, 'sub')).url, (await vigil.liveSource(b, 'sub')).url];
  const mainUrl = (await vigil.liveSource(a, 'main')).url;
  const live = () => ivm.calls.filter((c) => c.path.endsWith('/media/live-connections'));
  const revokes = () => ivm.calls.filter((c) => c.path.endsWith('/media/urls/batch-delete'));
  const channels = [
    { channelId: a, stream: 'sub' as const },
    { channelId: b, stream: 'sub' as const },
    { channelId: a, stream: 'main' as const },
  ];
  const [l0, r0] = [live().length, revokes().length];
  await vigil.renewLive(channels, (url) => url === urls[0]);
  const sent = live().slice(l0);
  assert.equal(sent.length, 2, 'one §9.1 call per stream type');
  const subCall = sent.find((c) => JSON.stringify(c.body).includes('SECONDARY_STREAM_1'))!;
  assert.equal((subCall.body as { channels: unknown[] }).channels.length, 2);
  const revoked = revokes().slice(r0);
  assert.equal(revoked.length, 1);
  assert.deepEqual(
    (revoked[0]!.body as { urls: Array<{ url: string }> }).urls.map((u) => u.url).sort(),
    [urls[1]!, mainUrl].sort(),
    'the replaced leases nobody plays are revoked; the played one is kept',
  );
  assert.equal((await bytesFrom(urls[0]!, 200)).status, 200, 'the played URL still opens');
  // IVM failing leaves the leases as they were: the renewed ones are what a reconnect gets.
  ivm.faults.fail5xx = 1e9;
  try {
    await assert.rejects(vigil.renewLive(channels, () => true));
    const held = await vigil.liveSource(a, 'sub');
    assert.notEqual(held.url, urls[0]);
    assert.equal((await bytesFrom(held.url, 300)).status, 200, 'the renewed lease plays');
  } finally {
    ivm.faults.fail5xx = 0;
  }
  await vigil.close();
});

test('clip export (issue 9): an IVM cloud range remuxed by ffmpeg to MP4 of that length; cancel leaves nothing', async () => {
  const exportDir = tempDir();
  const { core } = makeCore({ vault: new MemoryVault(), exportDir });
  const accountId = await addAccount(core, 'IVM export', ivmAccount(ivm));
  const media = ivm.devices.get('21A0123456SMY02')!.channels[0]!.media;
  const rec = sim.recordings(media)[1]!;
  const done = (id: string) =>
    new Promise<{ state: string; file: string | null; message: string | null }>((resolve) => {
      const off = core.events.subscribe((event, payload) => {
        const job = payload as { id: string; state: string; file: string | null; message: string | null };
        if (event === 'main:export' && job.id === id && ['done', 'failed', 'cancelled'].includes(job.state)) {
          off();
          resolve(job);
        }
      });
    });
  const startMs = Math.ceil(rec.start / 1000) * 1000 + 10_000;
  const started = await core.call('export:start', {
    accountId,
    channelId: 'ch:21A0123456SMY02:0',
    name: '大厅',
    kind: 'cloud',
    startMs,
    endMs: startMs + 30_000,
  });
  assert.ok(started.ok, JSON.stringify(started));
  const job = await done((started.result as { id: string }).id);
  assert.equal(job.state, 'done', job.message ?? '');
  assert.match(job.file!, /大厅_21A0123456SMY02-0_\d{8}_\d{6}-\d{6}\.mp4$/);
  const { duration, decoded } = probeSeconds(job.file!);
  assert.ok(
    Math.abs((duration ?? 0) - 30) <= 2 && Math.abs(decoded - 30) <= 2,
    `duration ${duration} s, plays ${decoded} s`,
  );
  assert.deepEqual(
    fs.readdirSync(exportDir).filter((f) => f.endsWith('.part')),
    [],
    'no partial files',
  );

  // A cancelled export leaves no file behind.
  const second = await core.call('export:start', {
    accountId,
    channelId: 'ch:21A0123456SMY02:0',
    name: 'cancelled',
    kind: 'cloud',
    startMs,
    endMs: startMs + 40_000,
  });
  const id = (second.ok && (second.result as { id: string }).id) || '';
  const ended = done(id);
  await core.call('export:cancel', { id });
  assert.equal((await ended).state, 'cancelled');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!fs.readdirSync(exportDir).some((f) => f.startsWith('cancelled')), fs.readdirSync(exportDir).join());
});

/** Reads an HTTP-FLV stream and tracks the newest tag timestamp (ms), as a player's clock would. */
async function flvClock(url: string): Promise<{ mediaMs(): number; bytes(): number; ended: Promise<void> }> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let buf = Buffer.alloc(0);
  let header = false;
  let first: number | null = null;
  let newest = 0;
  let total = 0;
  const ended = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done || !value) return;
      total += value.length;
      buf = Buffer.concat([buf, Buffer.from(value)]);
      if (!header && buf.length >= 13) {
        buf = buf.subarray(buf.readUInt32BE(5) + 4);
        header = true;
      }
      while (header && buf.length >= 11 && buf.length >= 15 + buf.readUIntBE(1, 3)) {
        const ts = (buf[7]! << 24) | buf.readUIntBE(4, 3);
        first ??= ts;
        newest = Math.max(newest, ts - first);
        buf = buf.subarray(15 + buf.readUIntBE(1, 3));
      }
    }
  })();
  return { mediaMs: () => newest, bytes: () => total, ended };
}
