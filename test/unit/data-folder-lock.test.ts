import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { acquireDataFolderLock, LOCK_NAME } from '../../main/settings/lock';
import { SettingsStartupError } from '../../main/settings/settings';
import { tempDir } from '../helpers/core';

// One Vigil per data folder, for the browser host too: a lock file with the owner's pid.

const inUse = (dir: string) => (e: unknown) =>
  e instanceof SettingsStartupError && e.code === 'DATA_FOLDER_IN_USE' && e.message.includes(dir);

test('a second lock on one folder is refused with a message naming the folder; released, it can be taken again', () => {
  const dir = tempDir();
  const first = acquireDataFolderLock(dir, 'web');
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, LOCK_NAME), 'utf8')).pid, process.pid);
  assert.throws(() => acquireDataFolderLock(dir, 'web'), inUse(dir));
  // Another live process's lock is refused too.
  const other = tempDir();
  fs.writeFileSync(path.join(other, LOCK_NAME), JSON.stringify({ pid: process.ppid, host: 'electron' }));
  assert.throws(
    () => acquireDataFolderLock(other, 'web'),
    (e: unknown) => inUse(other)(e) && (e as Error).message.includes(`pid ${process.ppid}`),
  );
  first.release();
  assert.equal(fs.existsSync(path.join(dir, LOCK_NAME)), false);
  const again = acquireDataFolderLock(dir, 'web');
  again.release();
  again.release();
});

test('a stale lock (its pid no longer runs, or unreadable and old) is taken over; release leaves a newer owner’s lock alone', () => {
  const dir = tempDir();
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const file = path.join(dir, LOCK_NAME);
  fs.writeFileSync(file, JSON.stringify({ pid: dead, host: 'web' }));
  const lock = acquireDataFolderLock(dir, 'web');
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).pid, process.pid);
  // Our own pid in a lock this process does not hold: a previous run that had the same pid (containers).
  lock.release();
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: 'web' }));
  acquireDataFolderLock(dir, 'web').release();
  // Garbage left by a crash mid-write, older than a starting process could be.
  fs.writeFileSync(file, '{"pi');
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(file, old, old);
  const taken = acquireDataFolderLock(dir, 'web');
  // If someone else owns the file by the time we release, it stays.
  fs.writeFileSync(file, JSON.stringify({ pid: process.ppid, host: 'web' }));
  taken.release();
  assert.ok(fs.existsSync(file));
});
