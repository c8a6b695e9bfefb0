import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LEASE_S, LiveLeases } from '../../main/platforms/huawei-ivm/live-leases';

// A channel's lease: the newest URL IVM handed out, held while it can still be opened.

test('the newest URL per channel and stream is held, until a minute before its expiry', () => {
  let now = 0;
  const leases = new LiveLeases(() => now);
  assert.equal(leases.held('a:sub'), null);
  assert.equal(leases.take('a:sub', { url: 'u1', codec: 'h265' }), null);
  assert.equal(leases.codecOf('a:sub'), 'h265');
  assert.equal(leases.take('a:sub', { url: 'u2' }), 'u1', 'the URL it replaced, for revoking');
  assert.equal(leases.take('a:sub', { url: 'u2' }), null, 'the same URL replaces nothing');
  leases.take('a:main', { url: 'm1' });
  assert.deepEqual(leases.held('a:sub'), { url: 'u2' });
  now = (LEASE_S - 61) * 1000;
  assert.deepEqual(leases.held('a:main'), { url: 'm1' });
  now = (LEASE_S - 59) * 1000;
  assert.equal(leases.held('a:main'), null, 'too close to its expiry to be opened');
});

test('drain hands back every valid lease once, for revoking', () => {
  let now = 0;
  const leases = new LiveLeases(() => now);
  leases.take('a:sub', { url: 'u1' });
  now = 1000;
  leases.take('b:sub', { url: 'u2' });
  now = LEASE_S * 1000 + 500; // a:sub has lapsed on its own
  assert.deepEqual(leases.drain(), ['u2']);
  assert.deepEqual(leases.drain(), []);
  assert.equal(leases.held('b:sub'), null);
});
