import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { keyTimeFor, sign } from '../../../main/platforms/tencent-ivc/sign';
import { endsWithin, standInCamera } from '../media/stand-in-camera';
import { IvcEmulator } from './emulator';

// The controls the shift bench's faults drive on IVC (spec tencent-ivc.md): a channel taken
// offline and back (E32 answers 41634 通道离线 meanwhile), and play URLs that lapse (§4.4: with
// pull authentication on, URLs expire; the emulator's convention answers 403 at the media host).
// Requests are hand-signed: no Vigil client in between.

let emu: IvcEmulator;
let cam: Awaited<ReturnType<typeof standInCamera>>;
before(async () => {
  cam = await standInCamera();
  emu = await new IvcEmulator({ registerAfterMs: null, media: cam.media }).start();
});
after(async () => {
  await emu.stop();
  cam.stop();
});

async function e32(body: Record<string, unknown>): Promise<{ StatusCode: number; Data: { Flv: string; Hls: string } }> {
  const path = '/ivc/cms/control/stream';
  const url = new URL(`${emu.baseUrl}${path}`);
  const { authorization } = sign({
    method: 'POST',
    pathname: path,
    query: {},
    headers: { host: url.host },
    secretId: emu.credentials.secretId,
    secretKey: emu.credentials.secretKey,
    keyTime: keyTimeFor(Date.now() / 1000, 300),
  });
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: authorization, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { StatusCode: number; Data: { Flv: string; Hls: string } };
}

/** A GB camera of the seed, online, with its first channel. */
function camera(): { DeviceId: string; ChannelId: string } {
  const d = [...emu.devices.values()].find((x) => x.AccessProtocol === 2 && x.Status === 1 && x.Type === 1)!;
  return { DeviceId: d.Id, ChannelId: d.channels[0]!.ChannelId };
}

test('setChannelOnline(false): E32 answers 41634, the open stream ends, its URL answers 404; back, a fresh URL plays', async () => {
  const ids = camera();
  const first = await e32({ ...ids, StreamType: 2 });
  assert.equal(first.StatusCode, 200);
  const playing = await fetch(first.Data.Flv);
  assert.equal(playing.status, 200);
  const reader = playing.body!.getReader();
  await reader.read();

  emu.setChannelOnline(ids.ChannelId, false);
  assert.equal(await endsWithin(reader, 3000), true, 'the stream went on while the camera was offline');
  assert.equal((await e32({ ...ids, StreamType: 2 })).StatusCode, 41634);
  const stale = await fetch(first.Data.Flv);
  assert.equal(stale.status, 404);
  await stale.body?.cancel();
  assert.equal(emu.devices.get(ids.DeviceId)!.Status, 1, 'only the channel went offline, not its device');

  emu.setChannelOnline(ids.ChannelId, true);
  const again = await e32({ ...ids, StreamType: 2 });
  assert.equal(again.StatusCode, 200);
  const back = await fetch(again.Data.Flv);
  assert.equal(back.status, 200);
  await back.body!.cancel();
});

test('lapsePlayUrls: with pull auth on, URLs signed before answer 403 (FLV and HLS), open streams go on, fresh URLs play; without it nothing lapses', async () => {
  const ids = camera();
  // Pull auth off: URLs carry no expiry, and a lapse changes nothing.
  const plain = await e32({ ...ids, StreamType: 2 });
  assert.equal(emu.lapsePlayUrls().lapsed, false);
  const stillPlays = await fetch(plain.Data.Flv);
  assert.equal(stillPlays.status, 200);
  await stillPlays.body!.cancel();

  Object.assign(emu.authStream, { PullState: 1, PullSecret: 'shift01', PullExpired: 10 });
  try {
    const old = await e32({ ...ids, StreamType: 2 });
    const playing = await fetch(old.Data.Flv);
    assert.equal(playing.status, 200);
    const reader = playing.body!.getReader();
    await reader.read();
    const playlist = await fetch(old.Data.Hls.replace(/^hls:/, 'http:'));
    assert.equal(playlist.status, 200);
    const segment = new URL(/^[^#\s].*$/m.exec(await playlist.text())![0], old.Data.Hls).toString();
    assert.equal((await fetch(segment)).status, 200);

    assert.equal(emu.lapsePlayUrls().lapsed, true);
    for (const url of [old.Data.Flv, old.Data.Hls, segment]) {
      const r = await fetch(url);
      assert.equal(r.status, 403, `${url} outlived the lapse`);
      await r.body?.cancel();
    }
    // the stream already open goes on, as a CDN's does
    assert.equal(await endsWithin(reader, 300), false);
    await reader.cancel();

    // a URL signed after the lapse (the same second included) plays
    const fresh = await e32({ ...ids, StreamType: 2 });
    const r = await fetch(fresh.Data.Flv);
    assert.equal(r.status, 200);
    await r.body!.cancel();
  } finally {
    Object.assign(emu.authStream, { PullState: 0, PullSecret: '', PullExpired: 0 });
  }
});
