import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SETTINGS_VERSION, SettingsFile } from '../../main/settings/schema';
import { Settings, SettingsStartupError, settingsPath } from '../../main/settings/settings';
import { fileBackend } from '../../main/settings/file-backend';
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
  const s = new Settings(dir, fileBackend);
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
  const s = new Settings(dir, fileBackend);
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
  const s = new Settings(dir, fileBackend);
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
  const s = new Settings(dir, fileBackend);
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
    () => new Settings(dir, fileBackend),
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

/**
 * A valid value for every section of the settings file, each different from its default. The test
 * below fails when the schema gains a section this table lacks: add it here, and salvage keeps it.
 */
function sampleSections(): Record<string, unknown> {
  const a1 = account(1);
  const v1 = view(1, a1.id);
  return {
    version: SETTINGS_VERSION,
    preferences: { language: 'en', theme: 'light', transcodeCores: 2 },
    accounts: [a1],
    window: { x: 10, y: 20, width: 1200, height: 800, maximized: true, display: '1:1920x1080' },
    windowByDisplay: [{ x: 0, y: 0, width: 1000, height: 700, maximized: false, display: '2:2560x1440' }],
    views: [v1],
    startupViewId: v1.id,
    favourites: [fav(a1.id, 7)],
    updateFeedUrl: 'https://updates.example.com/vigil/',
    controlRoom: {
      enabled: true,
      brokerUrl: 'mqtts://broker.example.com:8883',
      site: 'hq',
      seat: 'desk-3',
      user: 'Li Wei',
      username: 'vigil',
      escalateAfterSec: 30,
      retentionDays: 30,
      alarmPane: true,
      pollEvents: true,
    },
    gamepads: [
      {
        deviceId: 'PTZ Joystick (Vendor: 1209 Product: 5a1e)',
        mapping: {
          pan: { index: 0 },
          tilt: { index: 1, invert: true },
          zoom: { axis: { index: 2, invert: true } },
          deadZone: 0.1,
          curve: 1.6,
          buttons: { 0: 'preset1', 9: 'snapshot' },
        },
        savedAt: '2026-11-27T03:00:00.000Z',
      },
    ],
  };
}

test('every section of the schema survives an invalid account beside it (generated from the schema’s keys)', () => {
  const sections = sampleSections();
  const keys = Object.keys(SettingsFile.shape);
  assert.deepEqual(
    keys.filter((k) => !(k in sections)),
    [],
    'a settings section without a sample here: add one to sampleSections()',
  );
  for (const key of keys) {
    const dir = tempDir();
    const file = { ...sections, accounts: [...(sections.accounts as unknown[]), { id: 'bad', name: 'Broken' }] };
    fs.writeFileSync(settingsPath(dir), JSON.stringify(file));
    const s = new Settings(dir, fileBackend);
    const expected = (SettingsFile.shape as Record<string, { parse(v: unknown): unknown }>)[key]!.parse(sections[key]);
    assert.deepEqual((s.get() as Record<string, unknown>)[key], expected, `${key} kept in memory`);
    const onDisk = JSON.parse(fs.readFileSync(settingsPath(dir), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(onDisk[key], expected, `${key} kept in the rewritten file`);
    assert.deepEqual(
      quarantineFiles(dir)[0]!.body.entries.map((e) => [e.field, e.index]),
      [['accounts', 1]],
      `${key}: only the invalid account is set aside`,
    );
  }
});

test('one invalid field of a section is set aside alone, with a notice; the rest of the section is kept', () => {
  const dir = tempDir();
  const sections = sampleSections();
  const room = { ...(sections.controlRoom as Record<string, unknown>), retentionDays: 0, colour: 'red' };
  fs.writeFileSync(settingsPath(dir), JSON.stringify({ ...sections, controlRoom: room }));
  const s = new Settings(dir, fileBackend);
  const kept = s.get().controlRoom;
  assert.deepEqual(
    [kept.enabled, kept.brokerUrl, kept.site, kept.seat, kept.user, kept.escalateAfterSec, kept.pollEvents],
    [true, 'mqtts://broker.example.com:8883', 'hq', 'desk-3', 'Li Wei', 30, true],
  );
  assert.equal(kept.retentionDays, 90, 'the invalid field falls back to its default alone');
  assert.equal(s.get().updateFeedUrl, 'https://updates.example.com/vigil/');
  assert.equal(s.get().accounts.length, 1);
  const entries = quarantineFiles(dir)[0]!.body.entries;
  assert.deepEqual(entries.map((e) => [e.field, e.entry]).sort(), [
    ['controlRoom.colour', 'red'],
    ['controlRoom.retentionDays', 0],
  ]);
  assert.deepEqual(
    s.notices.map((n) => n.code),
    ['notice.settingsQuarantined'],
  );
  assert.match(s.notices[0]!.message, /controlRoom\.retentionDays/);
  assert.equal(JSON.parse(fs.readFileSync(settingsPath(dir), 'utf8')).controlRoom.site, 'hq');
});

test('a section that is not valid at all is set aside whole and named; an invalid update feed alone too', () => {
  const dir = tempDir();
  const sections = sampleSections();
  fs.writeFileSync(
    settingsPath(dir),
    JSON.stringify({ ...sections, controlRoom: 'mqtt://nope', updateFeedUrl: 'x'.repeat(3000) }),
  );
  const s = new Settings(dir, fileBackend);
  assert.equal(s.get().controlRoom.site, 'site', 'defaults');
  assert.equal(s.get().updateFeedUrl, undefined);
  assert.deepEqual(s.get().preferences, sections.preferences);
  assert.deepEqual(
    quarantineFiles(dir)[0]!
      .body.entries.map((e) => e.field)
      .sort(),
    ['controlRoom', 'updateFeedUrl'],
  );
});
