import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Core } from '../../main/core';
import { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { VisEmulator } from '../emulators/huawei-vis/emulator';
import type { PlatformMedia } from '../emulators/media/platform-media';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount, ivmAccount, vcsAccount, visAccount } from '../helpers/accounts';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';

// Issue 24: each platform's emulator says a camera sends H.265 in the field its vendor document
// defines for it — Huawei IVM §17.2 `encode_type` "H.265", Huawei VIS §3.3 `encode_type` "H265"
// (GB28181 streams), Alibaba VCS §3.2 `EncodeFormat` "13" — and main hands that codec to the pane
// with the play address (live:source `codec`), so an H.265 pane goes to the transcoder before it
// tries a decoder it lacks. Tencent IVC documents no codec field: its panes learn it from the stream.

const media = (codec: 'h264' | 'h265'): PlatformMedia => ({
  flv: () => 'http://127.0.0.1:1/x.flv',
  hls: () => 'http://127.0.0.1:1/x.m3u8',
  recordings: () => [],
  channels: ['cam'],
  codec: () => codec,
});

let core: Core;
const emulators: Array<{ stop(): Promise<unknown> }> = [];
before(() => {
  ({ core } = makeCore({ vault: new MemoryVault() }));
});
after(async () => {
  await core.dispose();
  for (const e of emulators) await e.stop();
});

async function call<T>(channel: string, req: unknown): Promise<T> {
  const r = await core.call(channel as never, req as never);
  assert.ok(r.ok, JSON.stringify(r));
  return r.result as T;
}

type Node = { kind: string; id: string; name: string; status: string };
const channels = async (accountId: string) =>
  (await call<{ nodes: Node[] }>('tree:load', { accountId })).nodes.filter((n) => n.kind === 'channel');
const live = (accountId: string, channelId: string) =>
  call<{ protocol: string; codec?: string }>('live:source', { accountId, channelId, stream: 'sub' });

for (const codec of ['h265', 'h264'] as const) {
  test(`Alibaba VCS: DescribeIpcs EncodeFormat is ${codec === 'h265' ? '13' : '6'} for an ${codec} camera and live:source says ${codec}`, async () => {
    const vcs = await new VcsEmulator({ media: media(codec), warmupMs: 0 }).start();
    emulators.push(vcs);
    assert.ok(
      [...vcs.devices.values()]
        .filter((d) => d.DeviceType === 'IPC')
        .every((d) => d.attrs.EncodeFormat === (codec === 'h265' ? '13' : '6')),
    );
    const id = await addAccount(core, `VCS ${codec}`, vcsAccount(vcs));
    const gate = (await channels(id)).find((n) => n.name === '南门')!;
    assert.equal((await live(id, gate.id)).codec, codec);
  });

  test(`Alibaba VCS: a camera switched to ${codec === 'h265' ? 'H.264' : 'H.265'} after the tree loaded: the next live:source and playback:source say so`, async () => {
    const hour = { start: Date.now() - 3_600_000, end: Date.now() + 3_600_000, url: 'http://127.0.0.1:1/r.m3u8' };
    const vcs = await new VcsEmulator({ media: { ...media(codec), recordings: () => [hour] }, warmupMs: 0 }).start();
    emulators.push(vcs);
    const id = await addAccount(core, `VCS switched ${codec}`, vcsAccount(vcs));
    const gate = (await channels(id)).find((n) => n.name === '南门')!;
    assert.equal((await live(id, gate.id)).codec, codec);
    // Switched on the platform (its console, or the IVM-style stream settings of another client):
    // the tree is not loaded again. Before, main answered the tree's EncodeFormat until it was.
    const device = [...vcs.devices.values()].find((d) => gate.id.endsWith(`:${d.DeviceId}`))!;
    const now = codec === 'h265' ? 'h264' : 'h265';
    device.attrs.EncodeFormat = now === 'h265' ? '13' : '6';
    assert.equal((await live(id, gate.id)).codec, now);
    const end = Date.now();
    const played = await call<{ codec?: string }>('playback:source', {
      accountId: id,
      channelId: gate.id,
      kind: 'cloud',
      startMs: end - 60_000,
      endMs: end,
    });
    assert.equal(played.codec, now);
  });

  test(`Huawei IVM: §17.2 encode_type of the played stream gives live:source ${codec}`, async () => {
    const ivm = await new IvmEmulator({ media: media(codec) }).start();
    emulators.push(ivm);
    const id = await addAccount(core, `IVM ${codec}`, ivmAccount(ivm));
    const cam = (await channels(id)).find((n) => n.name === '大门球机')!;
    assert.equal((await live(id, cam.id)).codec, codec);
  });
}

test('Huawei VIS: a GB28181 stream whose encode_type is H265 plays as HLS with codec h265; an H264 one as FLV with h264', async () => {
  const vis = await new VisEmulator({ media: { ...media('h264'), flv: () => '', hls: () => '' } }).start();
  emulators.push(vis);
  const h265 = [...vis.streams.values()].filter((s) => s.access_type === 'GB28181' && s.encode_type === 'H265');
  assert.ok(h265.length > 0, 'the emulator seeds an H.265 GB28181 camera');
  const id = await addAccount(core, 'VIS', visAccount(vis));
  const all = await channels(id);
  const hevc = all.find((n) => n.name === h265[0]!.name)!;
  assert.deepEqual(await live(id, hevc.id).then((s) => [s.protocol, s.codec]), ['hls', 'h265']);
  const h264 = all.find((n) => n.id.startsWith('ch:') && n.status === 'online' && n.name !== h265[0]!.name)!;
  assert.deepEqual(await live(id, h264.id).then((s) => [s.protocol, s.codec]), ['flv', 'h264']);
});

test('Tencent IVC documents no codec field: live:source leaves it to the stream', async () => {
  const ivc = await new IvcEmulator({ media: media('h265') }).start();
  emulators.push(ivc);
  const id = await addAccount(core, 'IVC', ivcAccount(ivc));
  const cam = (await channels(id)).find((n) => n.status === 'online')!;
  const s = await live(id, cam.id);
  assert.equal(s.codec, undefined);
});
