import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { VisApi } from '../../../main/platforms/huawei-vis/api';
import { VisClient } from '../../../main/platforms/huawei-vis/client';
import { endsWithin, standInCamera } from '../media/stand-in-camera';
import { VisEmulator } from './emulator';

// The controls the shift bench's faults drive on VIS (spec huawei-vis.md): a camera offline and
// back (§3.13: an invited GB28181 channel's media drops, INVITE_SUCCESS → TEMPORARY_OFFLINE and
// back; an RTMP stream's encoder stops pushing, the stream staying ACTIVE), and playback addresses
// that stop answering (§4.2.7: after a disaster-recovery switch "the pull address may change,
// which invalidates addresses already fetched").

let vis: VisEmulator;
let api: VisApi;
let cam: Awaited<ReturnType<typeof standInCamera>>;

before(async () => {
  cam = await standInCamera();
  vis = await new VisEmulator({
    inviteAfterMs: 30,
    media: { flv: () => cam.flv, hls: () => cam.media.hls('m1', 'sub') },
  }).start();
  const c = vis.credentials;
  api = new VisApi(
    new VisClient(
      {
        platform: 'huawei-vis',
        region: 'cn-north-4',
        projectId: c.projectId,
        authMode: 'token',
        domain: c.domain,
        user: c.user,
        endpoint: vis.baseUrl,
        iamEndpoint: vis.iamBaseUrl,
      },
      c.password,
    ),
  );
});
after(async () => {
  await vis?.stop();
  cam.stop();
});

async function open(url: string): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  const reader = res.body!.getReader();
  await reader.read();
  return reader;
}

async function status(url: string): Promise<number> {
  const res = await fetch(url);
  await res.body?.cancel();
  return res.status;
}

test('setCameraOnline(false) on an RTMP stream: its playback ends and answers 503, the stream stays ACTIVE; back, it plays', async () => {
  const url = (await api.getStreamEndpoint('lobby_rtmp')).pull_flow_address!;
  const reader = await open(url);
  vis.setCameraOnline('lobby_rtmp', false);
  assert.equal(await endsWithin(reader, 3000), true, 'the stream went on while its camera was offline');
  assert.equal(await status(url), 503);
  assert.equal((await api.getStream('lobby_rtmp')).state, 'ACTIVE');
  vis.setCameraOnline('lobby_rtmp', true);
  await (await open(url)).cancel();
});

test('setCameraOnline(false) on an invited GB28181 channel: TEMPORARY_OFFLINE, playback ends; back, INVITE_SUCCESS and it plays', async () => {
  const s = [...vis.streams.values()].find(
    (x) => x.access_type === 'GB28181' && x.encode_type !== 'H265' && x.state === 'ACTIVE',
  )!;
  assert.ok(s, 'the seed has an invited H.264 GB28181 camera');
  const channel = () => [...vis.devices.values()].flatMap((d) => d.channels).find((c) => c.stream_name === s.name)!;
  assert.equal(channel().invitation_status, 'INVITE_SUCCESS');
  const url = (await api.getStreamEndpoint(s.name)).pull_flow_address!;
  const reader = await open(url);
  vis.setCameraOnline(s.name, false);
  assert.equal(channel().invitation_status, 'TEMPORARY_OFFLINE');
  assert.equal(await endsWithin(reader, 3000), true);
  assert.equal(await status(url), 503);
  vis.setCameraOnline(s.name, true);
  assert.equal(channel().invitation_status, 'INVITE_SUCCESS');
  await (await open(url)).cancel();
});

test('relocateMedia: addresses fetched before answer 404 and open playback ends; endpoint hands out the new node, which plays', async () => {
  const old = (await api.getStreamEndpoint('lobby_rtmp')).pull_flow_address!;
  assert.match(old, /\/live\/work001\?app=vis&stream=lobby_rtmp$/);
  const reader = await open(old);
  assert.equal(vis.relocateMedia().node, 'work002');
  assert.equal(await endsWithin(reader, 3000), true, 'playback from the old node went on');
  assert.equal(await status(old), 404);
  const moved = (await api.getStreamEndpoint('lobby_rtmp')).pull_flow_address!;
  assert.match(moved, /\/live\/work002\?app=vis&stream=lobby_rtmp$/);
  await (await open(moved)).cancel();
});
