import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DemoMemoryVault } from './demo-vault';

// The demo's in-memory vault keeps the emulators' own secrets and refuses any other.

test('holds the demo’s own secrets and the device passwords of those accounts; refuses a user’s secret', async () => {
  const vault = new DemoMemoryVault(new Set(['emulator-sk']));
  await vault.set('acc_1', 'emulator-sk');
  assert.equal(await vault.get('acc_1'), 'emulator-sk');
  await vault.set('gb-devices:acc_1', '{"dev":"pw"}');
  assert.equal(await vault.has('gb-devices:acc_1'), true);
  await assert.rejects(
    vault.set('acc_2', 'a-users-own-secret'),
    (e: Error & { code?: string }) => e.code === 'VAULT_UNAVAILABLE' && /keychain/.test(e.message),
  );
  await assert.rejects(vault.set('gb-devices:acc_2', 'x'), /keychain/);
  assert.equal(await vault.get('acc_2'), null);
  assert.equal(await vault.delete('acc_1'), true);
});
