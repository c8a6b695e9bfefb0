import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SETTINGS_VERSION } from '../../main/settings/schema';
import { Settings, SettingsStartupError, settingsPath } from '../../main/settings/settings';
import { confBackend } from '../../main/settings/conf-backend';
import { makeCore, MemoryVault, samples, tempDir } from '../helpers/core';

// Settings are not all-or-nothing: one bad entry is set aside, everything valid is kept.

const account = (n: number, config: object = samples.tencent, name = `Account ${n}`) => ({
  id: `acc_${String(n).padStart(16, '0')}`,
  name,
  config,
  createdAt: '2026-01-01T00:00:00.000Z',
});
const view = (n: number, accountId: string) => ({
  id: `view_${String(n).padStart(12, '0')}`,
  name: `View ${n}`,
  layout: '4',
  panes: [{ accountId, channelId: `ch:d:${n}`, name: `Cam ${n}` }, null, null, null],
});
const fav = (accountId: string, n: number) => ({ accountId, channelId: `ch:d:${n}`, name: `Cam ${n}` });

function quarantineFiles(dir: string): Array<{
  name: string;
  body: { entries: Array<{ field: string; index?: number; reason: string; entry: Record<string, unknown> }> };
}> {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('config.quarantine-'))
    .map((name) => ({ name, body: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) }));
}

test('one invalid account is set aside alone: every other account, view and favourite is kept', () => {
  const dir = tempDir();
  const a1 = account(1);
  const bad = { ...account(2, { ...samples.ivm, userId: 'not digits' }, 'Broken IVM'), secret: 'HAND-EDITED-SK' };
  const a3 = account(3, samples.aliyun);
  const file = {
    version: 1,
    preferences: { language: 'en', theme: 'light' },
    accounts: [a1, bad, a3],
    views: [view(1, a1.id), view(2, a3.id)],
    startupViewId: view(2, a3.id).id,
    favourites: [fav(a1.id, 1), fav(a3.id, 2)],
  };
  fs.writeFileSync(settingsPath(dir), JSON.stringify(file));
  const s = new Settings(dir, confBackend);
  assert.deepEqual(
    s.get().accounts.map((a) => a.id),
    [a1.id, a3.id],
  );
  assert.equal(s.get().views.length, 2);
  assert.equal(s.get().startupViewId, view(2, a3.id).id);
  assert.equal(s.get().favourites.length, 2);
  assert.deepEqual(s.get().preferences, { language: 'en', theme: 'light' });
  assert.deepEqual(
    s.notices.map((n) => n.code),
    ['notice.settingsQuarantined'],
  );
  const [q] = quarantineFiles(dir);
  assert.ok(q, 'a quarantine file');
  assert.match(s.notices[0]!.message, new RegExp(q.name.replace(/\./g, '\\.')));
  assert.match(s.notices[0]!.message, /Broken IVM/);
  assert.deepEqual(
    q.body.entries.map((e) => [e.field, e.index, e.entry.id]),
    [['accounts', 1, bad.id]],
  );
  assert.match(q.body.entries[0]!.reason, /userId/);
  // The rewritten settings file no longer has it, and no secret reached either file.
  const onDisk = fs.readFileSync(settingsPath(dir), 'utf8');
  assert.equal(JSON.parse(onDisk).accounts.length, 2);
  assert.doesNotMatch(onDisk + JSON.stringify(q.body), /HAND-EDITED-SK/);
  assert.equal(
    fs.readdirSync(dir).filter((f) => f.startsWith('config.corrupt-')).length,
    0,
    'the file was not moved aside whole',
  );
});

test('invalid views, favourites, preferences and window state are set aside one by one', () => {
  const dir = tempDir();
  const a1 = account(1);
  const file = {
    version: 1,
    preferences: { language: 'klingon', theme: 'dark' },
    accounts: [a1],
    window: { width: 10, height: 10, maximized: false },
    views: [view(1, a1.id), { ...view(2, a1.id), layout: 'spiral' }, 'not a view'],
    startupViewId: view(2, a1.id).id,
    favourites: [fav(a1.id, 1), { accountId: 'nope', channelId: 'x', name: 'y' }, fav(a1.id, 1)],
    windowByDisplay: [
      { x: 0, y: 0, width: 1200, height: 800, maximized: false, display: '1:1920x1080' },
      { width: 5, height: 5, maximized: false, display: '2:800x600' },
    ],
  };
  fs.writeFileSync(settingsPath(dir), JSON.stringify(file));
  const s = new Settings(dir, confBackend);
  assert.deepEqual(
    s.get().windowByDisplay.map((w) => w.display),
    ['1:1920x1080'],
    'a display whose saved state is invalid is set aside alone',
  );
  assert.deepEqual(
    s.get().preferences,
    { language: 'system', theme: 'dark' },
    'a bad language falls back alone; the theme is kept',
  );
  assert.deepEqual(
    s.get().views.map((v) => v.id),
    [view(1, a1.id).id],
  );
  assert.equal(s.get().startupViewId, null, 'the startup view was set aside');
  assert.deepEqual(s.get().favourites, [fav(a1.id, 1)]);
  assert.equal(s.get().window, undefined);
  const [q] = quarantineFiles(dir);
  assert.deepEqual(
    q!.body.entries.map((e) => `${e.field}${e.index ?? ''}`).sort(),
    ['favourites1', 'favourites2', 'preferences.language', 'views1', 'views2', 'window', 'windowByDisplay1'].sort(),
  );
  assert.match(q!.body.entries.find((e) => e.field === 'favourites' && e.index === 2)!.reason, /more than once/);
});

test('duplicate account ids: the first is kept, the second set aside; an update with a duplicate is refused', () => {
  const dir = tempDir();
  const first = account(1, samples.tencent, 'First');
  const again = account(1, samples.aliyun, 'Second with the same id');
  fs.writeFileSync(
    settingsPath(dir),
    JSON.stringify({ version: 1, preferences: { language: 'en', theme: 'dark' }, accounts: [first, again] }),
  );
  const s = new Settings(dir, confBackend);
  assert.deepEqual(
    s.get().accounts.map((a) => a.name),
    ['First'],
  );
  assert.match(s.notices[0]!.message, /account id appears more than once/);
  assert.equal(quarantineFiles(dir)[0]!.body.entries[0]!.entry.name, 'Second with the same id');
  assert.throws(
    () => s.update((cur) => ({ ...cur, accounts: [...cur.accounts, { ...again } as never] })),
    /duplicate id/,
  );
  assert.equal(JSON.parse(fs.readFileSync(settingsPath(dir), 'utf8')).accounts.length, 1);
});

test('a UTF-8 byte order mark (Notepad) is accepted: nothing set aside, and the file stays writable', () => {
  const dir = tempDir();
  const a1 = account(1);
  fs.writeFileSync(
    settingsPath(dir),
    `\uFEFF${JSON.stringify({ version: 1, preferences: { language: 'en', theme: 'dark' }, accounts: [a1] })}`,
  );
  const s = new Settings(dir, confBackend);
  assert.deepEqual(s.notices, []);
  assert.deepEqual(
    s.get().accounts.map((a) => a.id),
    [a1.id],
  );
  s.update((cur) => ({ ...cur, preferences: { ...cur.preferences, theme: 'light' } }));
  const text = fs.readFileSync(settingsPath(dir), 'utf8');
  assert.equal(JSON.parse(text).preferences.theme, 'light');
  assert.equal(JSON.parse(text).accounts[0].id, a1.id);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['config.json']);
});

test('a settings file from a newer Vigil: refuses to start with a clear message, the file untouched', () => {
  const dir = tempDir();
  const content = JSON.stringify({
    version: SETTINGS_VERSION + 1,
    preferences: { language: 'en', theme: 'dark' },
    accounts: [account(1)],
    somethingNew: { a: 1 },
  });
  fs.writeFileSync(settingsPath(dir), content);
  assert.throws(
    () => new Settings(dir, confBackend),
    (e: unknown) =>
      e instanceof SettingsStartupError &&
      e.code === 'SETTINGS_NEWER' &&
      e.message.includes(settingsPath(dir)) &&
      /newer Vigil/.test(e.message),
  );
  assert.equal(fs.readFileSync(settingsPath(dir), 'utf8'), content);
  assert.deepEqual(fs.readdirSync(dir), ['config.json']);
});

test('the core turns a quarantine into a warning notice the renderer shows (app:info)', async () => {
  const dir = tempDir();
  fs.writeFileSync(
    settingsPath(dir),
    JSON.stringify({
      version: 1,
      preferences: { language: 'en', theme: 'dark' },
      accounts: [account(1), { id: 'bad' }],
    }),
  );
  const { core } = makeCore({ dataDir: dir, vault: new MemoryVault() });
  const info = await core.call('app:info', {});
  assert.ok(info.ok);
  const notices = (info.result as { notices: Array<{ level: string; code: string; message: string }> }).notices;
  assert.deepEqual(
    notices.map((n) => [n.level, n.code]),
    [['warning', 'notice.settingsQuarantined']],
  );
  const list = await core.call('accounts:list', {});
  assert.ok(list.ok);
  assert.equal((list.result as { accounts: unknown[] }).accounts.length, 1);
});
