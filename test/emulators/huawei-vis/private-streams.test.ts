import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { VisApi } from '../../../main/platforms/huawei-vis/api';
import { VisClient } from '../../../main/platforms/huawei-vis/client';
import { VisEmulator } from './emulator';
import { MediaSimulator } from '../media/simulator';

// Huawei VIS PRIVATE streams, emulator side (seed 004 §4.2.1, §4.2.7): "when PRIVATE, pulling
// the stream is authenticated: the request header must carry X-Auth-Token holding the token of
// the user who created the stream". Every media request — FLV, HLS playlist, HLS segment —
// without it answers 401; with the creator's token it plays.

let sim: MediaSimulator;
let vis: VisEmulator;
let api: VisApi;
let client: VisClient;

before(async () => {
  sim = await MediaSimulator.start({ channels: [{ id: 'v1', name: 'VIS 1' }], prepareRecordings: false });
  vis = await new VisEmulator({
    inviteAfterMs: 30,
    media: { flv: () => sim.flv('v1', 'sub'), hls: () => sim.hls('v1', 'sub') },
  }).start();
  const c = vis.credentials;
  client = new VisClient(
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
  );
  api = new VisApi(client);
});
after(async () => {
  await vis?.stop();
  await sim?.stop();
});

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; bytes: Buffer }> {
  const res = await fetch(url, { headers });
  const reader = res.body!.getReader();
  const first = await reader.read();
  await reader.cancel().catch(() => undefined);
  const bytes = Buffer.from(first.value ?? []);
  return { status: res.status, text: bytes.toString('utf8'), bytes };
}

test('a stream created without share_type is PRIVATE (the documented default); its FLV, HLS playlist and segments need the creator’s X-Auth-Token', async () => {
  await api.createStream({ name: 'private_cam', access_type: 'RTMP', encode_type: 'H264' });
  assert.equal((await api.getStream('private_cam')).share_type, 'PRIVATE');
  await api.updateStream('private_cam', { state: 'ACTIVE' });
  const ep = await api.getStreamEndpoint('private_cam');
  const flv = ep.pull_flow_address!;
  const refused = await get(flv);
  assert.equal(refused.status, 401);
  assert.equal(refused.text, 'PRIVATE stream: X-Auth-Token of the creator required');
  assert.equal((await get(flv, { 'X-Auth-Token': 'MIIE-not-a-token' })).status, 401, 'an unknown token');
  const token = await client.accessToken();
  const played = await get(flv, { 'X-Auth-Token': token });
  assert.equal(played.status, 200);
  assert.equal(played.bytes.subarray(0, 3).toString('latin1'), 'FLV');
  const hls = `${vis.baseUrl}/hls/work001/private_cam.m3u8`;
  assert.equal((await get(hls)).status, 401);
  const playlist = await (await fetch(hls, { headers: { 'X-Auth-Token': token } })).text();
  const segment = playlist.split('\n').find((l) => l && !l.startsWith('#'))!;
  // Resolved against the playlist's own address, as a player does (the emulator names them under the stream).
  const segmentUrl = new URL(segment, hls).toString();
  assert.equal((await get(segmentUrl)).status, 401, 'a segment needs the token too');
  assert.equal((await get(segmentUrl, { 'X-Auth-Token': token })).status, 200);
});

test('setShareType marks any stream PRIVATE (a GB28181 channel’s too) and back', async () => {
  const dev = (await api.listDevices({ state: 'ONLINE', type: 'IPC' })).items.find(
    (d) => d.channels[0]?.invitation_status === 'INVITE_SUCCESS',
  )!;
  const name = dev.channels[0]!.stream_name!;
  const flv = (await api.getStreamEndpoint(name)).pull_flow_address!;
  assert.equal((await get(flv)).status, 200, 'seeded channels are PUBLIC');
  const r = await fetch(`${vis.baseUrl}/__emulator/setShareType`, {
    method: 'POST',
    body: JSON.stringify({ name, share_type: 'PRIVATE' }),
  });
  assert.deepEqual(await r.json(), { name, share_type: 'PRIVATE' });
  assert.equal((await get(flv)).status, 401);
  assert.equal((await get(flv, { 'X-Auth-Token': await client.accessToken() })).status, 200);
  vis.setShareType(name, 'PUBLIC');
  assert.equal((await get(flv)).status, 200);
});

test('Vigil plays a PRIVATE stream through main: the relay adds the creator’s token, the renderer never sees it; AK/SK accounts are told why they cannot', async () => {
  const { makeCore, MemoryVault, addAccount } = await import('../../helpers/core');
  await api.createStream({ name: 'private_wall', access_type: 'RTMP', encode_type: 'H264', share_type: 'PRIVATE' });
  await api.updateStream('private_wall', { state: 'ACTIVE' });
  const c = vis.credentials;
  const { core } = makeCore({ vault: new MemoryVault() });
  try {
    const accountId = await addAccount(core, 'VIS', {
      config: {
        platform: 'huawei-vis',
        region: 'cn-north-4',
        projectId: c.projectId,
        authMode: 'token',
        domain: c.domain,
        user: c.user,
        endpoint: vis.baseUrl,
        iamEndpoint: vis.iamBaseUrl,
      },
      secret: c.password,
    });
    const r = await core.call('live:source', { accountId, channelId: 'stream:private_wall', stream: 'sub' });
    assert.ok(r.ok, JSON.stringify(r));
    const source = r.result as { url: string; relayed?: boolean };
    assert.equal(source.relayed, true);
    assert.match(
      source.url,
      /^http:\/\/127\.0\.0\.1:\d+\/relay\/[0-9a-f]{32}\.flv$/,
      'a loopback relay URL, not the platform’s',
    );
    const token = await client.accessToken();
    assert.ok(!JSON.stringify(r).includes(token), 'the token is not in the reply');
    const played = await get(source.url);
    assert.equal(played.status, 200, played.text);
    assert.equal(played.bytes.subarray(0, 3).toString('latin1'), 'FLV');

    const aksk = await addAccount(core, 'VIS AK/SK', {
      config: {
        platform: 'huawei-vis',
        region: 'cn-north-4',
        projectId: c.projectId,
        authMode: 'aksk',
        ak: c.ak,
        endpoint: vis.baseUrl,
      },
      secret: c.sk,
    });
    const refused = await core.call('live:source', {
      accountId: aksk,
      channelId: 'stream:private_wall',
      stream: 'sub',
    });
    assert.equal(refused.ok ? null : refused.error.code, 'NOT_AVAILABLE');
    assert.match(refused.ok ? '' : refused.error.message, /private.*IAM token/);
  } finally {
    core.relay.close();
  }
});
