import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IvmClient } from '../../main/platforms/huawei-ivm/client';
import { IvmStreamApi } from '../../main/platforms/huawei-ivm/streams';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import type { PlatformMedia } from '../emulators/media/platform-media';

// Issue 24: the IVM emulator documents an H.265 camera where the platform does, in §17's
// stream settings (encode_type of every stream), and offers H.264 for its sub streams.

const CAM = '21A0123456SMY02';

async function streamsOf(codec: 'h264' | 'h265') {
  const media: PlatformMedia = {
    flv: () => 'http://127.0.0.1:1/x.flv',
    hls: () => 'http://127.0.0.1:1/x.m3u8',
    recordings: () => [],
    channels: ['cam'],
    codec: () => codec,
  };
  const emu = await new IvmEmulator({ media }).start();
  try {
    const api = new IvmStreamApi(
      new IvmClient(
        { platform: 'huawei-ivm', endpoint: emu.baseUrl, userId: emu.credentials.userId, ak: emu.credentials.ak },
        emu.credentials.sk,
      ),
    );
    const detail = await api.detail(CAM, '0');
    const ability = await api.ability(CAM, '0');
    return {
      encode: detail.stream_info.map((s) => s.encode_type),
      subOffers: ability.abilities[0]!.stream_info.find((s) => s.stream_type === 1)!.encode_mode.map((e) => e.type),
    };
  } finally {
    await emu.stop();
  }
}

test('§17.2: a channel whose camera sends H.265 says H.265 for each stream; its sub stream offers H.264 too', async () => {
  const h265 = await streamsOf('h265');
  assert.deepEqual(h265.encode, ['H.265', 'H.265', 'H.265']);
  assert.deepEqual(h265.subOffers, ['H.264', 'H.265']);
  assert.deepEqual((await streamsOf('h264')).encode, ['H.264', 'H.264', 'H.264']);
});
