import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { migrate, SETTINGS_VERSION } from '../../main/settings/schema';
import { Settings, settingsPath, type BackendFactory } from '../../main/settings/settings';
import { fileBackend } from '../../main/settings/file-backend';
import { samples, tempDir } from '../helpers/core';

test('a fresh folder starts from defaults and writes a versioned file', () => {
  const dir = tempDir();
  const s = new Settings(dir, fileBackend);
  assert.equal(s.get().version, SETTINGS_VERSION);
  assert.equal(s.get().preferences.language, 'system', 'a new install follows the system language');
  assert.equal(s.notices.length, 0);
  const onDisk = JSON.parse(fs.readFileSync(settingsPath(dir), 'utf8'));
  assert.equal(onDisk.version, SETTINGS_VERSION);
});

test('version 0 files (no version field) migrate to the current version, keeping preferences', () => {
  const dir = tempDir();
  fs.writeFileSync(settingsPath(dir), JSON.stringify({ preferences: { language: 'en' } }));
  const s = new Settings(dir, fileBackend);
  assert.equal(s.get().version, SETTINGS_VERSION);
  assert.equal(s.get().preferences.language, 'en');
  assert.equal(s.get().preferences.theme, 'dark');
  assert.equal(s.notices[0]?.code, 'notice.settingsMigrated');
  assert.equal(JSON.parse(fs.readFileSync(settingsPath(dir), 'utf8')).version, SETTINGS_VERSION);
});

test('migrate refuses a file from a newer Vigil', () => {
  assert.throws(() => migrate({ version: SETTINGS_VERSION + 1 }), /newer/);
});

for (const [label, content] of [
  ['truncated JSON', '{"version":1,"preferences":{"lang'],
  ['not an object', '[1,2,3]'],
  ['a version with no migration', JSON.stringify({ version: -1 })],
] as const) {
  test(`a corrupt settings file (${label}) is moved aside, reported, and Vigil starts with defaults`, () => {
    const dir = tempDir();
    fs.writeFileSync(settingsPath(dir), content);
    const s = new Settings(dir, fileBackend);
    assert.equal(s.get().accounts.length, 0);
    assert.equal(s.notices[0]?.code, 'notice.settingsCorrupt');
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('config.corrupt-'));
    assert.equal(aside.length, 1);
    assert.equal(fs.readFileSync(path.join(dir, aside[0]!), 'utf8'), content, 'the original bytes are kept');
    assert.match(s.notices[0]!.message, new RegExp(aside[0]!.replace(/[.]/g, '\\.')));
  });
}

test('updates are validated before they are written; an invalid change leaves file and memory alone', () => {
  const dir = tempDir();
  const s = new Settings(dir, fileBackend);
  const before = fs.readFileSync(settingsPath(dir), 'utf8');
  assert.throws(() => s.update((cur) => ({ ...cur, preferences: { ...cur.preferences, theme: 'neon' as 'dark' } })));
  assert.equal(fs.readFileSync(settingsPath(dir), 'utf8'), before);
  assert.equal(s.get().preferences.theme, 'dark');
});

test('a failed write is a clear SETTINGS_WRITE_FAILED error and memory keeps the old state', () => {
  const dir = tempDir();
  let fail = false;
  const flaky: BackendFactory = (o) => {
    const real = fileBackend(o);
    return {
      get store() {
        return real.store;
      },
      set store(v) {
        if (fail) throw new Error('EACCES: permission denied');
        real.store = v;
      },
    };
  };
  const s = new Settings(dir, flaky);
  fail = true;
  assert.throws(
    () => s.update((cur) => ({ ...cur, preferences: { ...cur.preferences, language: 'en' } })),
    (e: { code?: string }) => e.code === 'SETTINGS_WRITE_FAILED',
  );
  assert.equal(s.get().preferences.language, 'system');
});

test('stored accounts carry no secret field: one would be stripped by the schema', () => {
  const dir = tempDir();
  const s = new Settings(dir, fileBackend);
  s.update((cur) => ({
    ...cur,
    accounts: [{ id: 'acc_0123456789abcdef', name: 'a', config: samples.ivm, createdAt: 'x', secret: 'LEAK' } as never],
  }));
  assert.doesNotMatch(fs.readFileSync(settingsPath(dir), 'utf8'), /LEAK/);
});

test('favourites: toggled on and off, at most 500, unknown accounts refused, a removed account takes its own', async () => {
  const { FavouritesService } = await import('../../main/services/favourites');
  const dir = tempDir();
  const s = new Settings(dir, fileBackend);
  const account = (id: string) => ({ id, name: id, config: samples.tencent, createdAt: new Date(0).toISOString() });
  s.update((f) => ({ ...f, accounts: [account('acc_0000000000000001'), account('acc_0000000000000002')] }));
  const fav = new FavouritesService(s);
  const ch = (accountId: string, n: number) => ({ accountId, channelId: `ch:${n}`, name: `Camera ${n}` });
  fav.toggle(ch('acc_0000000000000001', 1));
  fav.toggle(ch('acc_0000000000000002', 2));
  assert.deepEqual(
    fav.toggle(ch('acc_0000000000000001', 3)).favourites.map((f) => f.channelId),
    ['ch:1', 'ch:2', 'ch:3'],
  );
  assert.deepEqual(
    fav.toggle(ch('acc_0000000000000001', 1)).favourites.map((f) => f.channelId),
    ['ch:2', 'ch:3'],
    'a second toggle removes',
  );
  assert.throws(() => fav.toggle(ch('acc_0000000000000009', 1)), /No account/);
  assert.deepEqual(
    JSON.parse(fs.readFileSync(settingsPath(dir), 'utf8')).favourites.length,
    2,
    'kept in the settings file',
  );
  s.update((f) => ({ ...f, accounts: f.accounts.filter((a) => a.id !== 'acc_0000000000000002') }));
  assert.deepEqual(
    fav.list().favourites.map((f) => f.channelId),
    ['ch:3'],
  );
  for (let i = 10; fav.list().favourites.length < 500; i++) fav.toggle(ch('acc_0000000000000001', i));
  assert.throws(() => fav.toggle(ch('acc_0000000000000001', 9999)), /At most 500 favourites/);
});

test('the settings file is replaced whole or not at all: a write that cannot finish leaves the old file', () => {
  const dir = tempDir();
  const s = new Settings(dir, fileBackend);
  const before = fs.readFileSync(settingsPath(dir), 'utf8');
  assert.match(before, /^\{\n\t"/, 'tab-indented, as electron-store writes it');
  // The temp file's name taken by a folder: the write fails as on a full or read-only disk.
  fs.mkdirSync(`${settingsPath(dir)}.${process.pid}.tmp`);
  assert.throws(
    () => s.update((cur) => ({ ...cur, preferences: { ...cur.preferences, theme: 'light' } })),
    /Settings could not be saved/,
  );
  assert.equal(fs.readFileSync(settingsPath(dir), 'utf8'), before);
  assert.equal(s.get().preferences.theme, 'dark', 'memory keeps what the file has');
  fs.rmdirSync(`${settingsPath(dir)}.${process.pid}.tmp`);
  s.update((cur) => ({ ...cur, preferences: { ...cur.preferences, theme: 'light' } }));
  assert.equal(new Settings(dir, fileBackend).get().preferences.theme, 'light');
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temp file left',
  );
});
