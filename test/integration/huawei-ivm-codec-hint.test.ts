import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HuaweiIvmPlatform } from '../../main/platforms/huawei-ivm';
import { IvmClient } from '../../main/platforms/huawei-ivm/client';
import { IvmStreamApi } from '../../main/platforms/huawei-ivm/streams';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import type { PlatformMedia } from '../emulators/media/platform-media';

// Review F2 (issue 24): IVM's live start asks §17.2 for the stream's codec beside the single-use
// live URL. That answer is only a hint (the pane also learns the codec from the stream), so it
// must not hold the URL back: one try, 1.5 s at most; GB28181 devices (§17 serves HOLO only) are
// not asked; a channel that failed or was late is not asked again for a minute.
// The emulator's latency switch delays every call (the live URL's too), so a slow device is
// modelled by holding only the §17 requests on their way to the emulator.

const HOLO = 'ch:21A0123456SMY02:0';
const GB = 'ch:34020000001180000001:34020000001320000001';
const media: PlatformMedia = {
  flv: () => 'http://127.0.0.1:1/x.flv',
  hls: () => 'http://127.0.0.1:1/x.m3u8',
  recordings: () => [],
  channels: ['cam'],
  codec: () => 'h265',
};
let emu: IvmEmulator;
before(async () => {
  emu = await new IvmEmulator({ media }).start();
});
after(() => emu.stop());

/** A platform whose §17 requests wait `holdMs` (or until aborted) before reaching the emulator; counts them. */
function platform(holdMs = 0) {
  const seen = { streamDetail: 0 };
  const slowFetch: typeof fetch = async (input, init) => {
    if (/\/stream-detail$/.test(new URL(String(input)).pathname)) {
      seen.streamDetail++;
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, holdMs);
        init?.signal?.addEventListener('abort', () => {
          clearTimeout(t);
          reject(init.signal!.reason as Error);
        });
      });
    }
    return fetch(input, init);
  };
  const config = {
    platform: 'huawei-ivm' as const,
    endpoint: emu.baseUrl,
    userId: emu.credentials.userId,
    ak: emu.credentials.ak,
  };
  return { vigil: new HuaweiIvmPlatform(config, emu.credentials.sk, slowFetch), seen, config };
}

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const at = performance.now();
  const value = await p;
  return { value, ms: performance.now() - at };
}

test('a device slow to answer §17.2 does not hold the live URL back, and is not asked again within the minute', async () => {
  const { vigil, seen } = platform(10_000);
  await vigil.tree(); // the token and the tree first: only the live start is timed
  const first = await timed(vigil.liveSource(HOLO, 'sub'));
  assert.ok(first.ms < 3000, `live source after ${Math.round(first.ms)} ms`);
  assert.ok(first.value.url, 'a live URL');
  assert.equal(first.value.codec, undefined, 'no hint: the pane learns the codec from the stream');
  assert.equal(seen.streamDetail, 1, 'one try, no retries');
  const again = await timed(vigil.liveSource(HOLO, 'sub'));
  assert.ok(again.ms < 1000, `reconnect's live source after ${Math.round(again.ms)} ms`);
  assert.equal(seen.streamDetail, 1, 'a late channel is not asked again within a minute');
});

test('a prompt §17.2 still gives the codec, and the next live start reads it afresh (an H.264 switch counts)', async () => {
  const { vigil, config } = platform();
  assert.equal((await vigil.liveSource(HOLO, 'sub')).codec, 'h265');
  const streams = new IvmStreamApi(new IvmClient(config, emu.credentials.sk));
  const [, id] = HOLO.split(':');
  const detail = await streams.detail(id!, '0');
  await streams.setDetail(id!, '0', {
    ...detail,
    stream_info: detail.stream_info.map((s) => (s.stream_type === 1 ? { ...s, encode_type: 'H.264' } : s)),
  });
  assert.equal((await vigil.liveSource(HOLO, 'sub')).codec, 'h264');
  assert.equal((await vigil.liveSource(HOLO, 'main')).codec, 'h265');
});

test('GB28181 channels are not asked (§17 serves HOLO devices only): known from the tree, or from the first refusal', async () => {
  const fromTree = platform();
  await fromTree.vigil.tree();
  await fromTree.vigil.liveSource(GB, 'sub');
  assert.equal(fromTree.seen.streamDetail, 0);
  const untold = platform();
  await untold.vigil.liveSource(GB, 'sub'); // IVM.20020011
  await untold.vigil.liveSource(GB, 'sub');
  assert.equal(untold.seen.streamDetail, 1);
});
