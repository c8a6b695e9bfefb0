import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brokerCarriesPasswordSafely, brokerDestination } from '../../preload/contract';
import { makeCore, MemoryVault, tempDir } from '../helpers/core';

// The broker password lives in the keychain and goes only to the broker it was typed for, and
// never in clear text across the network (the rule issue 20 set for account secrets).

test('where a stored broker password would go: scheme, host, port, login and CA', () => {
  const base = { brokerUrl: 'mqtts://broker.site:8883', username: 'seat', ca: '' };
  assert.equal(brokerDestination(base), brokerDestination({ ...base, brokerUrl: 'mqtts://broker.site:8883/' }));
  for (const changed of [
    { brokerUrl: 'mqtts://evil.example:8883' },
    { brokerUrl: 'mqtts://broker.site:8884' },
    { brokerUrl: 'wss://broker.site:8883' },
    { username: 'other' },
    { ca: '-----BEGIN CERTIFICATE-----x' },
  ])
    assert.notEqual(brokerDestination(base), brokerDestination({ ...base, ...changed }), JSON.stringify(changed));
  assert.equal(brokerCarriesPasswordSafely('mqtts://broker.site:8883'), true);
  assert.equal(brokerCarriesPasswordSafely('wss://broker.site/mqtt'), true);
  assert.equal(brokerCarriesPasswordSafely('mqtt://127.0.0.1:1883'), true, 'this machine');
  assert.equal(brokerCarriesPasswordSafely('mqtt://broker.site:1883'), false);
  assert.equal(brokerCarriesPasswordSafely('ws://10.0.0.5:8080'), false);
});

test('controlRoom:set: a new broker, login or CA needs the password again; plain mqtt carries none off this machine', async () => {
  const vault = new MemoryVault();
  const { core } = makeCore({ dataDir: tempDir(), vault });
  try {
    const room = { enabled: false, site: 'hq', seat: 'A', user: 'op', username: 'seat-a' };
    const first = await core.call('controlRoom:set', {
      ...room,
      brokerUrl: 'mqtts://broker.site:8883',
      password: 'Pw-1',
    });
    assert.ok(first.ok, JSON.stringify(first));
    // The same broker, other fields changed: the stored password stays in use.
    assert.ok((await core.call('controlRoom:set', { ...room, user: 'op2', brokerUrl: 'mqtts://broker.site:8883' })).ok);
    // Another host without the password: refused, nothing saved.
    const moved = await core.call('controlRoom:set', { ...room, brokerUrl: 'mqtts://evil.example:8883' });
    assert.equal(moved.ok, false);
    assert.equal(!moved.ok && moved.error.code, 'VALIDATION');
    assert.match(!moved.ok ? moved.error.message : '', /type the broker password again/);
    assert.doesNotMatch(JSON.stringify(moved), /Pw-1/);
    const kept = await core.call('controlRoom:get', {});
    assert.ok(kept.ok);
    assert.equal((kept.result as { settings: { brokerUrl: string } }).settings.brokerUrl, 'mqtts://broker.site:8883');
    const login = await core.call('controlRoom:set', {
      ...room,
      username: 'other',
      brokerUrl: 'mqtts://broker.site:8883',
    });
    assert.equal(login.ok, false, 'another login is another destination');
    // With the password typed again it is accepted.
    assert.ok(
      (await core.call('controlRoom:set', { ...room, brokerUrl: 'mqtts://evil.example:8883', password: 'Pw-2' })).ok,
    );
    // Plain mqtt:// off this machine: refused with a password, accepted without one.
    const plain = await core.call('controlRoom:set', {
      ...room,
      brokerUrl: 'mqtt://broker.site:1883',
      password: 'Pw-3',
    });
    assert.equal(plain.ok, false);
    assert.match(!plain.ok ? plain.error.message : '', /mqtts:\/\/ or wss:\/\//);
    assert.ok((await core.call('controlRoom:set', { ...room, brokerUrl: 'mqtt://broker.site:1883', password: '' })).ok);
    assert.ok(
      (await core.call('controlRoom:set', { ...room, brokerUrl: 'mqtt://127.0.0.1:1883', password: 'Pw-4' })).ok,
      'a broker on this machine may take one over plain mqtt',
    );
  } finally {
    await core.dispose();
  }
});
