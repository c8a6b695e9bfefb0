import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assignButton,
  CommandPacer,
  defaultMapping,
  deviceName,
  mappingForDevice,
  readyMadeOf,
  presetOf,
  pressedActions,
  PTZ_JOYSTICK,
  readSticks,
  shape,
  speedOf,
  STANDARD_GAMEPAD,
  type GamepadFrame,
} from '../../renderer/model/gamepad-mapping';

// Joystick and gamepad PTZ, pure: the dead zone and response curve, the sticks as PTZ moves, the
// buttons as actions once per press, and the pacing that bounds commands per control.

const frame = (axes: number[], pressed: number[] = [], values: Record<number, number> = {}): GamepadFrame => ({
  axes,
  buttons: Array.from({ length: 17 }, (_, i) => ({
    pressed: pressed.includes(i) || (values[i] ?? 0) > 0.5,
    value: values[i] ?? (pressed.includes(i) ? 1 : 0),
  })),
});

test('dead zone: rest inside it, speed from nothing at its edge; the curve is gentle near the centre, full at the edge', () => {
  assert.equal(shape(0.1, 0.15, 2), 0);
  assert.equal(shape(-0.15, 0.15, 2), 0);
  assert.equal(shape(1, 0.15, 2), 1);
  assert.equal(shape(-1, 0.15, 2), -1);
  assert.ok(Math.abs(shape(0.575, 0.15, 1) - 0.5) < 1e-9, 'linear: halfway past the dead zone is half');
  assert.ok(Math.abs(shape(0.575, 0.15, 2) - 0.25) < 1e-9, 'squared: a quarter');
  assert.equal(shape(Number.NaN, 0.1, 1), 0, 'a device that reports NaN is at rest');
  assert.equal(shape(3, 0.1, 1), 1, 'out-of-range values are clamped');
  assert.deepEqual([speedOf(0.01), speedOf(0.5), speedOf(1)], [1, 4, 8]);
});

test('standard gamepad: left stick forward tilts up, right pans right, diagonals, full deflection is speed 8', () => {
  assert.deepEqual(readSticks(frame([0, -1]), STANDARD_GAMEPAD).move, { command: 'up', speed: 8 });
  assert.deepEqual(readSticks(frame([1, 0]), STANDARD_GAMEPAD).move, { command: 'right', speed: 8 });
  assert.deepEqual(readSticks(frame([-0.7, 0.7]), STANDARD_GAMEPAD).move?.command, 'downleft');
  assert.equal(readSticks(frame([0.05, -0.1]), STANDARD_GAMEPAD).move, null, 'resting stick drift');
  assert.equal(readSticks(frame([0.4, 0]), STANDARD_GAMEPAD).move?.speed, 1, 'a light push is slow');
});

test('zoom: the right trigger zooms in, the left out (standard); the joystick twist zooms (PTZ joystick)', () => {
  assert.deepEqual(readSticks(frame([0, 0], [], { 7: 1 }), STANDARD_GAMEPAD).zoom, { command: 'zoomin', speed: 8 });
  assert.equal(readSticks(frame([0, 0], [], { 6: 0.6 }), STANDARD_GAMEPAD).zoom?.command, 'zoomout');
  assert.equal(readSticks(frame([0, 0], [], { 6: 0.1 }), STANDARD_GAMEPAD).zoom, null, 'a trigger at rest');
  assert.deepEqual(readSticks(frame([0, 0, -1]), PTZ_JOYSTICK).zoom, { command: 'zoomin', speed: 8 });
  assert.equal(readSticks(frame([0, 0, 0.5]), PTZ_JOYSTICK).zoom?.command, 'zoomout');
});

test('buttons act once per press; presets 1–9', () => {
  assert.deepEqual(pressedActions([], frame([0, 0], [0, 5]), STANDARD_GAMEPAD), ['preset1', 'nextPane']);
  const held = [true, false, false, false, false, true];
  assert.deepEqual(pressedActions(held, frame([0, 0], [0, 5]), STANDARD_GAMEPAD), [], 'held: nothing again');
  assert.deepEqual(pressedActions([], frame([0, 0], [8]), PTZ_JOYSTICK), ['preset9']);
  assert.deepEqual([presetOf('preset1'), presetOf('preset9'), presetOf('snapshot')], [1, 9, null]);
  assert.equal(defaultMapping('standard'), STANDARD_GAMEPAD);
  assert.equal(defaultMapping(''), PTZ_JOYSTICK);
});

test('pacing: one command per change, a held move repeated every 400 ms, never two within 100 ms', () => {
  const pacer = new CommandPacer<string>(100);
  assert.equal(pacer.next(null, '', 0), undefined, 'at rest from the start: nothing');
  assert.equal(pacer.next('up/3', 'up/3', 0), 'up/3');
  assert.equal(pacer.next('up/3', 'up/3', 300), undefined, 'held still: nothing…');
  assert.equal(pacer.next('up/3', 'up/3', 400), 'up/3', '…until it is said again, as the pad repeats');
  assert.equal(pacer.next('up/4', 'up/4', 550), 'up/4');
  assert.equal(pacer.next('up/5', 'up/5', 600), undefined, 'a change 50 ms later waits');
  assert.equal(pacer.next('up/5', 'up/5', 650), 'up/5', 'and goes when the gap ends');
  assert.equal(pacer.moving, true);
  assert.equal(pacer.next(null, '', 800), null, 'released: the stop');
  assert.equal(pacer.moving, false);
  // A sweep polled every 10 ms for a second sends at most 11 commands.
  const sweep = new CommandPacer<string>(100);
  let sent = 0;
  for (let t = 0; t <= 1000; t += 10) if (sweep.next(`s${t}`, `s${t}`, 1000 + t) !== undefined) sent++;
  assert.ok(sent <= 11, `${sent} commands`);
});

test('a device steers with the mapping kept for its id, else its ready-made one', () => {
  const mine = assignButton(STANDARD_GAMEPAD, 4, 'snapshot');
  const kept = { 'Pad A (STANDARD GAMEPAD Vendor: 045e Product: 028e)': mine };
  assert.equal(
    mappingForDevice(kept, { id: 'Pad A (STANDARD GAMEPAD Vendor: 045e Product: 028e)', mapping: 'standard' }),
    mine,
  );
  assert.equal(mappingForDevice(kept, { id: 'Pad B', mapping: 'standard' }), STANDARD_GAMEPAD);
  assert.equal(mappingForDevice(kept, { id: 'Stick', mapping: '' }), PTZ_JOYSTICK);
  assert.equal(
    mappingForDevice(kept, { id: 'constructor', mapping: '' }),
    PTZ_JOYSTICK,
    'an id is never an object key of the language',
  );
  // The kept mapping drives the buttons: button 4 now takes a snapshot.
  assert.deepEqual(pressedActions([], frame([0, 0], [4]), mine), ['snapshot']);
});

test('assigning buttons; which ready-made mapping a draft is; the device’s name without the browser’s suffix', () => {
  const cleared = assignButton(STANDARD_GAMEPAD, 0, null);
  assert.equal(cleared.buttons['0'], undefined);
  assert.equal(STANDARD_GAMEPAD.buttons[0], 'preset1', 'the ready-made mapping is not changed');
  assert.equal(readyMadeOf(STANDARD_GAMEPAD), 'standard');
  assert.equal(readyMadeOf(JSON.parse(JSON.stringify(PTZ_JOYSTICK))), 'joystick', 'after a round trip through main');
  assert.equal(readyMadeOf({ ...STANDARD_GAMEPAD, pan: { index: 0, invert: false } }), 'standard');
  assert.equal(readyMadeOf(cleared), null);
  assert.equal(
    deviceName('Xbox 360 Controller (XInput STANDARD GAMEPAD)'),
    'Xbox 360 Controller (XInput STANDARD GAMEPAD)',
  );
  assert.equal(deviceName('Wireless Controller (STANDARD GAMEPAD Vendor: 054c Product: 09cc)'), 'Wireless Controller');
  assert.equal(deviceName('PTZ Joystick (Vendor: 1209 Product: 5a1e)'), 'PTZ Joystick');
});
