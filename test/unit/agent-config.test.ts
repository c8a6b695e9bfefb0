import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseAccountImport, parseAgentConfig } from '../../main/agent/config';
import { parseAgentArgs } from '../../main/agent/cli';
import { CredentialsFileVault, credentialsFileRefusal, parseCredentials } from '../../main/vault/credentials-file';
import { tempDir } from '../helpers/core';

test('a credentials file is read only when its owner alone can read it, and owns it', () => {
  const uid = 1000;
  assert.equal(credentialsFileRefusal('/c', { mode: 0o100600, uid, isFile: true }, uid), null);
  assert.equal(credentialsFileRefusal('/c', { mode: 0o100400, uid, isFile: true }, uid), null);
  assert.match(credentialsFileRefusal('/c', { mode: 0o100644, uid, isFile: true }, uid)!, /mode 0644.*chmod 600 \/c/);
  assert.match(credentialsFileRefusal('/c', { mode: 0o100640, uid, isFile: true }, uid)!, /mode 0640/);
  assert.match(credentialsFileRefusal('/c', { mode: 0o100600, uid: 0, isFile: true }, uid)!, /belongs to user 0/);
  assert.match(credentialsFileRefusal('/c', { mode: 0o40700, uid, isFile: false }, uid)!, /not a regular file/);
  // systemd's credentials folder: the owner is systemd's choice, the mode still counts.
  assert.equal(credentialsFileRefusal('/c', { mode: 0o100400, uid: 0, isFile: true }, null), null);
});

test('credentials: a bad file is said without its content; the agent’s own secrets are written 0600', async () => {
  assert.throws(
    () => parseCredentials('/c', '{"a": "s3cr3t",'),
    (e: Error) => !e.message.includes('s3cr3t'),
  );
  assert.throws(() => parseCredentials('/c', '["x"]'), /one JSON object/);
  assert.throws(() => parseCredentials('/c', '{"a": 1}'), /"a" is not a secret string/);
  const dir = tempDir();
  const given = path.join(dir, 'given.json');
  fs.writeFileSync(given, '{"acc_0000000000000001": "sk"}', { mode: 0o600 });
  const vault = new CredentialsFileVault({ given, own: path.join(dir, 'state', 'credentials.json') });
  vault.load();
  assert.equal(await vault.get('acc_0000000000000001'), 'sk');
  await vault.set('control-room:seat-key:s/a', 'key');
  assert.equal(fs.statSync(path.join(dir, 'state', 'credentials.json')).mode & 0o777, 0o600);
  assert.equal(fs.readFileSync(given, 'utf8'), '{"acc_0000000000000001": "sk"}', 'the given file is never written');
  assert.equal(
    await new CredentialsFileVault({ given, own: path.join(dir, 'state', 'credentials.json') }).get(
      'control-room:seat-key:s/a',
    ),
    'key',
  );
  assert.equal(await vault.delete('control-room:seat-key:s/a'), true);
  assert.equal(await vault.get('control-room:seat-key:s/a'), null);
});

test('agent.json: a bad one says where; defaults fill the rest', () => {
  const ok = parseAgentConfig('a.json', '{"controlRoom":{"brokerUrl":"mqtts://b:8883","site":"s","seat":"agent-1"}}');
  assert.equal(ok.healthPort, 9120);
  assert.deepEqual(ok.receivers, []);
  assert.throws(
    () => parseAgentConfig('a.json', '{"controlRoom":{"brokerUrl":"http://x","site":"s","seat":"a"}}'),
    /a\.json: controlRoom\.brokerUrl/,
  );
  assert.throws(
    () =>
      parseAgentConfig(
        'a.json',
        '{"controlRoom":{"brokerUrl":"mqtt://b","site":"s","seat":"a"},"receivers":[{"accountId":"acc_0000000000000001","publicUrl":"https://x/p","port":8443,"certFile":"/c"}]}',
      ),
    /certFile and keyFile go together/,
  );
  assert.throws(() => parseAgentConfig('a.json', '{'), /a\.json is not JSON/);
  assert.throws(
    () => parseAccountImport('l.json', '[{"name":"x","config":{"platform":"nope"},"secret":"s"}]'),
    /l\.json: 0\.config/,
  );
});

test('the agent’s folders and secrets: systemd’s directories first, a D-Bus session means the keychain', () => {
  const sd = parseAgentArgs(
    [],
    {
      STATE_DIRECTORY: '/var/lib/vigil-agent',
      CONFIGURATION_DIRECTORY: '/etc/vigil-agent',
      CREDENTIALS_DIRECTORY: '/run/credentials/vigil-agent.service',
    },
    '/home/x',
  );
  assert.equal(sd.command, 'run');
  assert.equal(sd.dataDir, '/var/lib/vigil-agent');
  assert.equal(sd.configFile, '/etc/vigil-agent/agent.json');
  assert.deepEqual(sd.credentials, { file: '/run/credentials/vigil-agent.service/vigil', systemd: true });
  assert.equal(sd.secrets, 'file');
  const desk = parseAgentArgs(['--data', '/d'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }, '/home/x');
  assert.equal(desk.secrets, 'keychain');
  assert.equal(desk.configFile, '/d/agent.json');
  assert.equal(parseAgentArgs([], {}, '/home/x').dataDir, '/home/x/.local/state/vigil-agent');
  assert.throws(() => parseAgentArgs(['serve'], {}), /unknown command "serve"/);
  assert.throws(() => parseAgentArgs(['--secrets', 'plain'], {}), /keychain or file/);
});
