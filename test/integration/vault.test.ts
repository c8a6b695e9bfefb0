import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { KeyringVault, VAULT_SERVICE } from '../../main/vault/vault';

// Against the real OS keychain: on Linux the Secret Service of gnome-keyring (test/run.mjs
// starts a private, unlocked one under dbus-run-session).

const id = () => `acc_${randomBytes(8).toString('hex')}`;

function secretTool(...args: string[]): string | null {
  if (process.platform !== 'linux') return null;
  const r = spawnSync('secret-tool', args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : null;
}

test('set, get, has and delete a secret in the OS keychain', async () => {
  const vault = new KeyringVault();
  const account = id();
  const secret = `sk-${randomBytes(12).toString('hex')}-密钥`;
  assert.equal(await vault.get(account), null);
  await vault.set(account, secret);
  assert.equal(await vault.get(account), secret);
  assert.equal(await vault.has(account), true);
  assert.equal(await vault.delete(account), true);
  assert.equal(await vault.get(account), null);
  assert.equal(await vault.delete(account), false);
});

test(
  'the entry is visible to other keychain tools under service "vigil" and the account id',
  { skip: process.platform !== 'linux' },
  async () => {
    const vault = new KeyringVault();
    const account = id();
    await vault.set(account, 'visible-to-secret-tool');
    try {
      assert.equal(secretTool('lookup', 'service', VAULT_SERVICE, 'username', account), 'visible-to-secret-tool');
    } finally {
      await vault.delete(account);
    }
    assert.equal(secretTool('lookup', 'service', VAULT_SERVICE, 'username', account), null);
  },
);

test('overwriting keeps one entry with the new value', async () => {
  const vault = new KeyringVault();
  const account = id();
  await vault.set(account, 'one');
  await vault.set(account, 'two');
  assert.equal(await vault.get(account), 'two');
  await vault.delete(account);
});

test(
  'no keychain service is a clear VAULT_UNAVAILABLE error with a hint, never a fallback',
  { skip: process.platform !== 'linux' },
  () => {
    // A child process whose session bus does not exist: the Secret Service cannot be reached.
    const script = `
    import { KeyringVault } from './main/vault/vault.ts';
    const v = new KeyringVault();
    try { await v.set('acc_0000000000000000', 'must-not-be-stored'); console.log('STORED'); }
    catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message, hint: e.details?.hint })); }
  `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/vigil-bus', VIGIL_LOG_LEVEL: 'error' },
    });
    const result = JSON.parse(out.trim().split('\n').pop()!);
    assert.equal(result.code, 'VAULT_UNAVAILABLE');
    assert.match(result.hint, /unlock|Secret Service/i);
    assert.doesNotMatch(out, /must-not-be-stored|STORED/);
  },
);
