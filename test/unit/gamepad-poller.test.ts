import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GamepadPoller, type Camera } from '../../renderer/features/wall/gamepad-poller';
import { PaneActionsRegistry } from '../../renderer/features/wall/pane-actions';
import { STANDARD_GAMEPAD } from '../../renderer/model/gamepad-mapping';

// The wall's gamepad poller with fake deps and a hand-driven clock: the lock is held while the
// stick moves and given back after a quiet second, a refusal is said once per steering, a new
// selection stops and releases the old camera first, and stopping the poller releases too.

function rig() {
  let now = 0;
  const pad = {
    id: 'pad',
    mapping: 'standard',
    connected: true,
    axes: [0, 0, 0, 0],
    buttons: Array.from({ length: 17 }, () => ({ pressed: false, value: 0 })),
  };
  const camera: { current: Camera | null } = { current: { accountId: 'a', channelId: 'c1' } };
  const events: string[] = [];
  let refuse = false;
  const poller = new GamepadPoller({
    getGamepads: () => [pad],
    mappingFor: () => STANDARD_GAMEPAD,
    now: () => now,
    target: () => camera.current,
    send: async (c, command, speed) => {
      events.push(`${c.channelId} ${command}/${speed}`);
      if (refuse) throw new Error('Another client holds the control lock');
    },
    release: async (c) => void events.push(`${c.channelId} release`),
    act: (a) => void events.push(`act ${a}`),
    refused: (m) => void events.push(`said: ${m}`),
  });
  const tick = async (ms: number) => {
    now += ms;
    poller.poll();
    await new Promise((r) => setImmediate(r));
  };
  return { pad, camera, events, poller, tick, refuseAll: () => (refuse = true) };
}

test('the lock is given back a quiet second after the stick comes to rest, not before', async () => {
  const r = rig();
  r.pad.axes[0] = 1;
  await r.tick(50);
  r.pad.axes[0] = 0;
  await r.tick(150);
  for (let t = 0; t < 8; t++) await r.tick(100);
  assert.ok(!r.events.includes('c1 release'), 'not within the second');
  await r.tick(300);
  assert.deepEqual(r.events, ['c1 right/8', 'c1 stop/1', 'c1 release']);
});

test('a refused command is said once while the stick keeps asking', async () => {
  const r = rig();
  r.refuseAll();
  r.pad.axes[1] = -1;
  for (let t = 0; t < 20; t++) await r.tick(100);
  assert.equal(r.events.filter((e) => e.startsWith('said:')).length, 1);
  assert.ok(r.events.filter((e) => e === 'c1 up/8').length >= 4, 'the move is still repeated');
});

test('another pane selected mid-move: the old camera stops and is released, the new one moves; stop() releases', async () => {
  const r = rig();
  r.pad.axes[0] = -1;
  await r.tick(50);
  r.camera.current = { accountId: 'a', channelId: 'c2' };
  await r.tick(150);
  assert.deepEqual(r.events, ['c1 left/8', 'c1 stop/1', 'c1 release', 'c2 left/8']);
  r.poller.stop();
  await new Promise((done) => setImmediate(done));
  assert.deepEqual(r.events.slice(4), ['c2 stop/1', 'c2 release']);
});

test('buttons act once per press, also with no camera to steer', async () => {
  const r = rig();
  r.camera.current = null;
  r.pad.buttons[5] = { pressed: true, value: 1 };
  await r.tick(50);
  await r.tick(50);
  r.pad.buttons[5] = { pressed: false, value: 0 };
  await r.tick(50);
  r.pad.buttons[5] = { pressed: true, value: 1 };
  await r.tick(50);
  assert.deepEqual(r.events, ['act nextPane', 'act nextPane']);
});

test('pane actions: the selected pane’s own snapshot and pin are reached by index; a pane that unmounts leaves a newer one alone', () => {
  const panes = new PaneActionsRegistry();
  const calls: string[] = [];
  const pane = (name: string) => ({
    snapshot: () => (calls.push(`${name} snapshot`), true),
    togglePin: () => (calls.push(`${name} pin`), true),
  });
  const offOld = panes.register(2, pane('old'));
  const offNew = panes.register(2, pane('new'));
  offOld(); // the old pane's cleanup runs after the new one registered (React's order on a remount)
  assert.equal(panes.get(2)?.snapshot(), true);
  assert.equal(panes.get(2)?.togglePin(), true);
  assert.deepEqual(calls, ['new snapshot', 'new pin']);
  offNew();
  assert.equal(panes.get(2), null);
  assert.equal(panes.get(0), null);
});
