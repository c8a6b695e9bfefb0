import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { GAMEPAD_MAX_DEVICES, GamepadMapping, type GamepadMappings } from '../../preload/contract';
import { EventBus } from '../../main/events';
import { GamepadMappingService } from '../../main/services/gamepads';
import { fileBackend } from '../../main/settings/file-backend';
import { Settings, settingsPath } from '../../main/settings/settings';
import { PTZ_JOYSTICK, STANDARD_GAMEPAD } from '../../renderer/model/gamepad-mapping';
import { makeCore, MemoryVault, tempDir } from '../helpers/core';

// Issue 57 §1: joystick and gamepad mappings kept by main per device id, in the settings file,
// validated by the contract (bounds) and gamepad-rules (what cannot work together).

const PAD = 'Xbox Wireless Controller (STANDARD GAMEPAD Vendor: 045e Product: 0b13)';
const STICK = 'PTZ Keyboard Joystick (Vendor: 1209 Product: 5a1e)';
const mine = {
  ...STANDARD_GAMEPAD,
  deadZone: 0.2,
  buttons: { ...STANDARD_GAMEPAD.buttons, 4: 'pinFullRate' as const },
};

function rig(dir = tempDir()) {
  const events = new EventBus();
  const heard: GamepadMappings[] = [];
  events.subscribe((name, payload) => {
    if (name === 'main:gamepads') heard.push(payload as GamepadMappings);
  });
  const settings = new Settings(dir, fileBackend);
  return {
    dir,
    settings,
    heard,
    service: new GamepadMappingService(settings, events, () => new Date(1_700_000_000_000)),
  };
}

test('the ready-made mappings are valid mappings', () => {
  assert.ok(GamepadMapping.safeParse(STANDARD_GAMEPAD).success);
  assert.ok(GamepadMapping.safeParse(PTZ_JOYSTICK).success);
});

test('mappings that cannot work are refused, each with its reason', () => {
  const refused = (m: unknown) => {
    const r = GamepadMapping.safeParse(m);
    assert.ok(!r.success, JSON.stringify(m));
    return r.error.issues.map((i) => i.message).join('; ');
  };
  assert.match(refused({ ...STANDARD_GAMEPAD, tilt: { index: 0 } }), /Pan and tilt cannot share one axis/);
  assert.match(refused({ ...PTZ_JOYSTICK, zoom: { axis: { index: 1 } } }), /zoom axis already pans or tilts/);
  assert.match(refused({ ...STANDARD_GAMEPAD, zoom: { buttons: [7, 7] } }), /two different buttons/);
  assert.match(refused({ ...STANDARD_GAMEPAD, buttons: { 7: 'snapshot' } }), /zoom button also has an action/);
  refused({ ...STANDARD_GAMEPAD, pan: { index: 16 } });
  refused({ ...STANDARD_GAMEPAD, deadZone: 0.7 });
  refused({ ...STANDARD_GAMEPAD, curve: 5 });
  refused({ ...STANDARD_GAMEPAD, buttons: { x: 'preset1' } });
  refused({ ...STANDARD_GAMEPAD, buttons: { 64: 'preset1' } });
  refused({ ...STANDARD_GAMEPAD, buttons: { 0: 'selfDestruct' } });
  refused({ ...STANDARD_GAMEPAD, extra: true });
  refused({ ...STANDARD_GAMEPAD, zoom: { buttons: [70, 6] } });
});

test('a mapping is kept per device id, replaced by a newer save, forgotten on reset, and every window hears it', () => {
  const r = rig();
  assert.deepEqual(r.service.list(), { mappings: [] });
  r.service.save(PAD, mine);
  r.service.save(STICK, PTZ_JOYSTICK);
  const again = r.service.save(PAD, { ...mine, curve: 1.4 });
  assert.deepEqual(
    again.mappings.map((g) => [g.deviceId, g.mapping.curve]),
    [
      [PAD, 1.4],
      [STICK, PTZ_JOYSTICK.curve],
    ],
  );
  assert.equal(again.mappings[0]!.savedAt, '2023-11-14T22:13:20.000Z');
  // On disk (the settings file), read back by the next start.
  const reread = new Settings(r.dir, fileBackend).get().gamepads;
  assert.deepEqual(
    reread.map((g) => g.deviceId),
    [PAD, STICK],
  );
  assert.equal(reread[0]!.mapping.buttons['4'], 'pinFullRate');
  const after = r.service.forget(PAD);
  assert.deepEqual(
    after.mappings.map((g) => g.deviceId),
    [STICK],
  );
  assert.deepEqual(r.service.forget('never saved'), after, 'forgetting an unknown device changes nothing');
  assert.equal(r.heard.length, 4, 'three saves and one reset were announced, the no-op was not');
  assert.deepEqual(r.heard.at(-1), after);
});

test('past the device limit a new device is refused with a clear error and nothing kept is lost', () => {
  const r = rig();
  for (let i = 0; i < GAMEPAD_MAX_DEVICES; i++) r.service.save(`pad ${i}`, STANDARD_GAMEPAD);
  assert.throws(
    () => r.service.save('one more', STANDARD_GAMEPAD),
    (e: Error & { code?: string }) => e.code === 'VALIDATION' && /at most 32 devices/.test(e.message),
  );
  assert.equal(r.service.list().mappings.length, GAMEPAD_MAX_DEVICES);
  // A device already kept can still be saved again.
  r.service.save('pad 3', PTZ_JOYSTICK);
  assert.equal(r.service.list().mappings[3]!.mapping.curve, PTZ_JOYSTICK.curve);
});

test('through the contract: a bad mapping is a VALIDATION error naming the field, and nothing is written', async () => {
  const { core, dataDir } = makeCore({ vault: new MemoryVault() });
  try {
    const ok = await core.call('gamepads:save', { deviceId: `  ${PAD}  `, mapping: mine });
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.equal((ok.result as GamepadMappings).mappings[0]!.deviceId, PAD, 'the id is kept trimmed');
    const before = fs.readFileSync(settingsPath(dataDir), 'utf8');
    const bad = await core.call('gamepads:save', { deviceId: PAD, mapping: { ...mine, tilt: { index: 0 } } });
    assert.equal(bad.ok ? null : bad.error.code, 'VALIDATION');
    assert.match(bad.ok ? '' : JSON.stringify(bad.error), /tilt/);
    const noId = await core.call('gamepads:save', { deviceId: '   ', mapping: mine });
    assert.equal(noId.ok ? null : noId.error.code, 'VALIDATION');
    assert.equal(fs.readFileSync(settingsPath(dataDir), 'utf8'), before, 'the file is as it was');
    const listed = await core.call('gamepads:list', {});
    assert.ok(listed.ok);
    assert.equal((listed.result as GamepadMappings).mappings[0]!.mapping.buttons['4'], 'pinFullRate');
    const forgot = await core.call('gamepads:forget', { deviceId: PAD });
    assert.deepEqual(forgot.ok && forgot.result, { mappings: [] });
  } finally {
    await core.dispose();
  }
});

test('a hand-edited settings file: a broken or repeated mapping is set aside, the others are kept', () => {
  const dir = tempDir();
  const entry = (deviceId: string, mapping: unknown) => ({ deviceId, mapping, savedAt: '2026-01-01T00:00:00.000Z' });
  fs.writeFileSync(
    settingsPath(dir),
    JSON.stringify({
      version: 1,
      preferences: { language: 'en', theme: 'dark' },
      accounts: [],
      gamepads: [
        entry(PAD, STANDARD_GAMEPAD),
        entry(STICK, { ...PTZ_JOYSTICK, tilt: { index: 0 } }),
        entry(PAD, PTZ_JOYSTICK),
      ],
    }),
  );
  const s = new Settings(dir, fileBackend);
  assert.deepEqual(
    s.get().gamepads.map((g) => [g.deviceId, g.mapping.curve]),
    [[PAD, STANDARD_GAMEPAD.curve]],
  );
  assert.equal(s.notices[0]?.code, 'notice.settingsQuarantined');
  const side = fs.readdirSync(dir).find((n) => n.startsWith('config.quarantine-'))!;
  const set = JSON.parse(fs.readFileSync(`${dir}/${side}`, 'utf8')) as { entries: Array<{ field: string }> };
  assert.deepEqual(
    set.entries.map((e) => e.field),
    ['gamepads', 'gamepads'],
  );
});
