import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Capability } from '../../preload/contract';
import { canSteer } from '../../renderer/model/capabilities';

const account = (...capabilities: Capability[]) => ({ capabilities });

test('the wall steers a PTZ camera only where its platform offers PTZ control', () => {
  // Alibaba VCS marks its PTZ camera types (DeviceSubType 2/4) but has no PTZ operation.
  assert.equal(canSteer(account('live', 'snapshot'), true), false);
  assert.equal(canSteer(account('live', 'ptz', 'presets'), true), true);
  assert.equal(canSteer(account('live', 'ptz'), false), false, 'a fixed camera on a PTZ platform');
  assert.equal(canSteer(undefined, true), false, 'accounts not read yet');
});
