import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { rpcTimestamp, signedQuery } from '../../../main/platforms/aliyun-vcs/sign';
import { endsWithin, standInCamera } from '../media/stand-in-camera';
import { VcsEmulator } from './emulator';

// The controls the shift bench's faults drive on VCS (spec aliyun-vcs.md): a camera taken offline
// and back (GetDeviceLiveUrl answers Failed "Device is offline." meanwhile, §3.2.7; in on-demand
// mode its pull is set up afresh, Retry first), and live URLs that lapse (§4.1: short-lived
// signed URLs, auth_key; an expired one answers 403). Requests are hand-signed.

let emu: VcsEmulator;
let cam: Awaited<ReturnType<typeof standInCamera>>;
before(async () => {
  cam = await standInCamera();
  emu = await new VcsEmulator({ warmupMs: 0, media: cam.media }).start();
});
after(async () => {
  await emu.stop();
  cam.stop();
});

let n = 0;
async function liveUrl(deviceId: string, OutProtocol: string): Promise<{ Code: string; Message: string; Url: string }> {
  const params = {
    Action: 'GetDeviceLiveUrl',
    Format: 'JSON',
    Version: '2020-05-15',
    AccessKeyId: emu.credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: `shift-${process.pid}-${++n}`,
    Timestamp: rpcTimestamp(new Date()),
    DeviceId: deviceId,
    OutProtocol,
  };
  const q = signedQuery({ method: 'GET', params, accessKeySecret: emu.credentials.accessKeySecret });
  return (await (await fetch(`${emu.baseUrl}/?${q}`)).json()) as { Code: string; Message: string; Url: string };
}

/** A URL at once: the on-demand pull's Retry answered first. */
async function readyUrl(deviceId: string, protocol: string): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const r = await liveUrl(deviceId, protocol);
    if (r.Code === '200') return r.Url;
    assert.equal(r.Code, 'Retry', JSON.stringify(r));
  }
  throw new Error('no live URL after 5 tries');
}

const camera = () => [...emu.devices.values()].find((d) => d.DeviceName === '南门')!.DeviceId;

test('setCameraOnline(false): GetDeviceLiveUrl answers Failed, the open stream ends, its URL answers 404; back, Retry then a URL that plays', async () => {
  const id = camera();
  const url = await readyUrl(id, 'httpsflv');
  const playing = await fetch(url);
  assert.equal(playing.status, 200);
  const reader = playing.body!.getReader();
  await reader.read();

  emu.setCameraOnline(id, false);
  assert.equal(await endsWithin(reader, 3000), true, 'the stream went on while the camera was offline');
  const refused = await liveUrl(id, 'httpsflv');
  assert.deepEqual([refused.Code, refused.Message], ['Failed', 'Device is offline.']);
  const stale = await fetch(url);
  assert.equal(stale.status, 404);
  await stale.body?.cancel();
  const d = emu.devices.get(id)!;
  assert.deepEqual([d.DeviceStatus, d.StreamStatus], ['0', '0']);

  emu.setCameraOnline(id, true);
  assert.equal((await liveUrl(id, 'httpsflv')).Code, 'Retry', 'the on-demand pull is set up afresh');
  const back = await fetch(await readyUrl(id, 'httpsflv'));
  assert.equal(back.status, 200);
  await back.body!.cancel();
});

test('lapsePlayUrls: URLs signed before answer 403 (FLV, HLS playlist and segment), open streams go on, fresh URLs play', async () => {
  const id = camera();
  const flv = await readyUrl(id, 'httpsflv');
  const hls = await readyUrl(id, 'httpshls');
  assert.match(flv, /\?auth_key=\d{10}-0-0-[0-9a-f]{32}$/);
  const playing = await fetch(flv);
  assert.equal(playing.status, 200);
  const reader = playing.body!.getReader();
  await reader.read();
  const playlist = await fetch(hls);
  assert.equal(playlist.status, 200);
  const segment = new URL(/^[^#\s].*$/m.exec(await playlist.text())![0], hls).toString();
  assert.equal((await fetch(segment)).status, 200);
  // a forged key is refused
  const forged = await fetch(flv.replace(/[0-9a-f]{4}$/, '0000'));
  assert.equal(forged.status, 403);
  await forged.body?.cancel();

  emu.lapsePlayUrls();
  for (const url of [flv, hls, segment]) {
    const r = await fetch(url);
    assert.equal(r.status, 403, `${url} outlived the lapse`);
    await r.body?.cancel();
  }
  assert.equal(await endsWithin(reader, 300), false, 'the open stream ended at the lapse');
  await reader.cancel();
  const fresh = await fetch(await readyUrl(id, 'httpsflv'));
  assert.equal(fresh.status, 200);
  await fresh.body!.cancel();
});
