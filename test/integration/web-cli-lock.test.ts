import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../helpers/core';

// One Vigil per data folder, for the browser host too (issue 20): the real CLI, started twice.
// (Names written out rather than imported, so this file also runs against builds without the lock.)
const LOCK_NAME = 'vigil.lock';
const settingsPath = (dir: string) => path.join(dir, 'config.json');

const started: ChildProcess[] = [];
after(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Runs the browser host's CLI; `ready` says whether it printed its URL or exited first. */
function startHost(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/host/web-cli.ts', '--data-dir', dataDir], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<'listening' | 'exited'>((resolve) => {
    child.stdout.on('data', () => out.includes('Vigil browser host: http') && resolve('listening'));
    void exited.then(() => resolve('exited'));
  });
  return { child, ready, exited, out: () => out, err: () => err };
}

test('browser host CLI: a second host on the same data folder says why in one line and exits non-zero; a newer settings file likewise', async () => {
  const dir = tempDir();
  const first = startHost(dir);
  assert.equal(await first.ready, 'listening', first.err());
  const second = startHost(dir);
  assert.equal(await second.ready, 'exited');
  assert.equal(await second.exited, 3);
  const lines = second.err().trim().split('\n');
  assert.equal(lines.length, 1, second.err());
  assert.match(
    lines[0]!,
    new RegExp(
      `data folder ${dir.replace(/[/\\.]/g, '\\$&')} is in use by another Vigil \\(web, pid ${first.child.pid}`,
    ),
  );
  // SIGTERM: the first host closes and frees the folder.
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  assert.equal(fs.existsSync(path.join(dir, LOCK_NAME)), false);

  // Killed outright (no chance to clean up): the next start takes the stale lock over.
  const third = startHost(dir);
  assert.equal(await third.ready, 'listening', third.err());
  third.child.kill('SIGKILL');
  await third.exited;
  assert.ok(fs.existsSync(path.join(dir, LOCK_NAME)), 'a killed host leaves its lock');
  fs.writeFileSync(
    settingsPath(dir),
    JSON.stringify({ version: 999, preferences: { language: 'en', theme: 'dark' }, accounts: [] }),
  );
  const newer = startHost(dir);
  assert.equal(await newer.exited, 3);
  assert.equal(newer.err().trim().split('\n').length, 1, newer.err());
  assert.match(newer.err(), /written by a newer Vigil \(settings version 999/);
  assert.equal(fs.existsSync(path.join(dir, LOCK_NAME)), false, 'a host that refused to start leaves no lock');
  assert.equal(JSON.parse(fs.readFileSync(settingsPath(dir), 'utf8')).version, 999);
});
