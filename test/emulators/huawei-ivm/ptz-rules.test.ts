import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawIvm } from './raw';

// §8.3 (seed 003 table 8-9) and §20.2 over plain HTTP: a channel without PTZ answers
// IVM.20002008 (HTTP 500, "device has no PTZ"); heartbeat_mode is OPEN or CLOSE.

const { call } = rawIvm();

test('§8.3 a channel without PTZ answers §20.2 IVM.20002008 (HTTP 500); a PTZ one moves', async () => {
  const lobby = '/devices/21A0123456SMY02/channels/0';
  const lock = (await call('GET', `${lobby}/control-lock`)).body.control_token as string;
  const r = await call('POST', `${lobby}/ptz/angle-spin`, { direction: 'LEFT', control_lock: lock, mode: 'NON_POINT' });
  assert.equal(r.status, 500);
  assert.equal(r.body.error_code, 'IVM.20002008');
  const gate = '/devices/21A0123456SMY01/channels/0';
  const gateLock = (await call('GET', `${gate}/control-lock`)).body.control_token as string;
  const ok = await call('POST', `${gate}/ptz/angle-spin`, { direction: 'LEFT', control_lock: gateLock, speed: 5 });
  assert.deepEqual(ok.body, { device_id: '21A0123456SMY01', channel_id: '0' });
});

test('§8.3 heartbeat_mode is OPEN or CLOSE', async () => {
  const gate = '/devices/21A0123456SMY01/channels/0';
  await call('POST', `${gate}/control-lock`);
  const lock = (await call('GET', `${gate}/control-lock`)).body.control_token as string;
  for (const heartbeat_mode of ['OPEN', 'CLOSE'])
    assert.equal(
      (await call('POST', `${gate}/ptz/angle-spin`, { direction: 'STOP', control_lock: lock, heartbeat_mode })).status,
      200,
    );
  const bad = await call('POST', `${gate}/ptz/angle-spin`, {
    direction: 'STOP',
    control_lock: lock,
    heartbeat_mode: 'ON',
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error_code, 'IVM.10020001');
});
