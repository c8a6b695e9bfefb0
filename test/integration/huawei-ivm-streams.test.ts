import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IvmClient, type IvmConfig } from '../../main/platforms/huawei-ivm/client';
import { IvmStreamApi } from '../../main/platforms/huawei-ivm/streams';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';
import { rejectsWithCode as rejects } from '../helpers/platform';

// Huawei IVM chapter 17 (stream capability and configuration) against the emulator.

let emu: IvmEmulator;
let api: IvmStreamApi;
const CAM = '21A0123456SMY02';

before(async () => {
  emu = await new IvmEmulator().start();
  const config: IvmConfig = {
    platform: 'huawei-ivm',
    endpoint: emu.baseUrl,
    userId: emu.credentials.userId,
    ak: emu.credentials.ak,
  };
  api = new IvmStreamApi(new IvmClient(config, emu.credentials.sk));
});
after(() => emu.stop());

test('capabilities per stream (frame rates read as numbers), current settings, a write within the capabilities is read back', async () => {
  const ability = await api.ability(CAM, '0');
  const main = ability.abilities[0]!.stream_info.find((s) => s.stream_type === 0)!;
  const h264 = main.encode_mode.find((e) => e.type === 'H.264')!;
  assert.ok(h264.resolution.some((r) => r.type === '1920*1080'));
  assert.equal(typeof h264.resolution[0]!.frame_rate[0], 'number');
  const detail = await api.detail(CAM, '0');
  assert.equal(detail.stream_info[0]!.resolution, '1920*1080');
  const next = {
    ...detail,
    stream_info: detail.stream_info.map((s) =>
      s.stream_type === 0
        ? { ...s, encode_type: 'H.265', resolution: '2560*1440', frame_rate: 20, bit_rate: 6144, profile: 0 }
        : s,
    ),
  };
  await api.setDetail(CAM, '0', next);
  const read = await api.detail(CAM, '0');
  assert.deepEqual(
    [
      read.stream_info[0]!.encode_type,
      read.stream_info[0]!.resolution,
      read.stream_info[0]!.frame_rate,
      read.stream_info[0]!.bit_rate,
    ],
    ['H.265', '2560*1440', 20, 6144],
  );
  assert.equal((read.stream_info[0] as Record<string, unknown>).definition, '2K');
});

test('values outside the capabilities are refused; GB and offline devices get their codes', async () => {
  const detail = await api.detail(CAM, '0');
  const main = (patch: Record<string, unknown>) => ({
    ...detail,
    stream_info: detail.stream_info.map((s) => (s.stream_type === 0 ? { ...s, ...patch } : s)),
  });
  await rejects(api.setDetail(CAM, '0', main({ resolution: '3840*2160' })), 'IVM.20150003');
  await rejects(api.setDetail(CAM, '0', main({ bit_rate: 20000 })), 'IVM.20150003');
  await rejects(api.setDetail(CAM, '0', main({ frame_rate: 30 })), 'IVM.20150003');
  await rejects(api.setDetail(CAM, '0', main({ i_frame_interval: 501 })), 'IVM.10020001');
  await rejects(api.setDetail(CAM, '0', { ...detail, max_frame_rate: 30 }), 'IVM.20150003');
  await rejects(api.ability('34020000001180000001', '0'), 'IVM.20020011');
  await rejects(api.detail('21A0123456SMY03', '0'), 'IVM.20000036');
});

test('device settings through the installer service: offers enforced before sending, rename, camera password, delete', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  const config: IvmConfig = {
    platform: 'huawei-ivm',
    endpoint: emu.baseUrl,
    userId: emu.credentials.userId,
    ak: emu.credentials.ak,
  };
  const accountId = await addAccount(core, 'IVM devices', { config, secret: emu.credentials.sk });
  const channelId = 'ch:21A0123456SMY04:0';
  type Settings = {
    streams: Array<{
      current: { stream: number; encoder: string; resolution: string; frameRate: number; bitRate: number };
      options: Array<{ encoder: string }>;
    }>;
  };
  const got = await core.call('device:streams', { accountId, channelId });
  assert.ok(got.ok, JSON.stringify(got));
  const settings = got.result as Settings;
  assert.equal(settings.streams.length, 3);
  assert.deepEqual(
    settings.streams[0]!.options.map((o) => o.encoder),
    ['H.264', 'H.265'],
  );
  const before = emu.calls.length;
  const bad = await core.call('device:setStreams', {
    accountId,
    channelId,
    streams: [{ stream: 1, encoder: 'H.264', resolution: '1920*1080', frameRate: 25, bitRate: 2048 }],
  });
  assert.equal(bad.ok ? null : bad.error.code, 'VALIDATION', '1080p is not offered on the sub stream');
  assert.ok(!emu.calls.slice(before).some((c) => c.method === 'POST'), 'nothing was written');
  const ok = await core.call('device:setStreams', {
    accountId,
    channelId,
    streams: [{ stream: 1, encoder: 'H.265', resolution: '704*576', frameRate: 15, bitRate: 1024 }],
  });
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.deepEqual((ok.result as Settings).streams[1]!.current, {
    stream: 1,
    encoder: 'H.265',
    resolution: '704*576',
    frameRate: 15,
    bitRate: 1024,
  });
  assert.equal((ok.result as Settings).streams[0]!.current.resolution, '1920*1080', 'other streams unchanged');

  assert.ok((await core.call('device:renameChannel', { accountId, channelId, name: '分公司 前台' })).ok);
  const state = await core.call('device:passwordState', { accountId, channelId });
  assert.ok(state.ok);
  const weak = await core.call('device:setPassword', { accountId, channelId, next: 'aaaaaaaa' });
  assert.equal(weak.ok ? null : weak.error.code, 'VALIDATION');
  const gone = await core.call('device:delete', { accountId, deviceIds: ['dev:21B000000024', 'dev:NOPE000000'] });
  assert.ok(gone.ok);
  assert.deepEqual(
    (gone.result as { results: Array<{ ok: boolean }> }).results.map((r) => r.ok),
    [true, false],
  );
  assert.ok(!emu.devices.has('21B000000024'));
});
