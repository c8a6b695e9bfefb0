import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Alarm, AlarmAction } from '../../preload/contract';
import { lifecycle } from '../../main/control-room/lifecycle';
import { AlarmDb, DB_FILE } from '../../main/storage/alarm-db';
import { makeCore, MemoryVault, tempDir } from '../helpers/core';

const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-alarmdb-'));
const alarm = (n: number, at = 1_700_000_000_000 + n): Alarm => ({
  id: `acc_0000000000000001/${n}`,
  messageId: String(n),
  accountId: 'acc_0000000000000001',
  deviceId: 'dev',
  channelId: '0',
  channelName: `Gate ${n}`,
  type: 'motion',
  at,
  uuid: `u${n}`,
});
const act = (id: string, alarmId: string, kind: AlarmAction['kind'], at: number, more: Partial<AlarmAction> = {}) =>
  ({ id, alarmId, kind, seat: 'B', user: 'bo', at, ...more }) as AlarmAction;

test('lifecycle is the same whatever order the actions arrive in; a repeat changes nothing', () => {
  const id = 'a/1';
  const actions = [
    act('act-00001', id, 'acknowledge', 10, { seat: 'B' }),
    act('act-00002', id, 'acknowledge', 12, { seat: 'C' }),
    act('act-00003', id, 'assign', 20, { to: 'C' }),
    act('act-00004', id, 'close', 30, { note: 'false alarm' }),
    act('act-00005', id, 'assign', 40, { to: 'A' }),
  ];
  const forward = lifecycle(actions);
  assert.deepEqual(lifecycle([...actions].reverse()), forward);
  assert.deepEqual(lifecycle([...actions, actions[0]!, actions[3]!]), forward);
  assert.equal(forward.state, 'closed');
  assert.deepEqual(forward.acknowledgedBy, { seat: 'B', user: 'bo' });
  assert.equal(forward.assignedTo, 'C', 'an assignment after the close does not count');
  assert.equal(forward.note, 'false alarm');
  assert.equal(lifecycle([act('act-00009', id, 'close', 5)]).acknowledgedAt, 5, 'closing acknowledges');
  assert.equal(lifecycle([]).state, 'new');
});

test('alarms and actions survive a reopen; duplicates are skipped; actions before their alarm count', () => {
  const d = dir();
  let db = new AlarmDb(d);
  db.putAlarm(alarm(1));
  assert.equal(
    db.applyActions([act('act-early', alarm(2).id, 'acknowledge', alarm(2).at + 5)]).length,
    0,
    'no alarm yet',
  );
  // Dated in 1970: waits like any other, but does not count once its alarm comes.
  db.applyActions([act('act-1970', alarm(3).id, 'close', 1)]);
  db.putAlarm(alarm(2));
  db.putAlarm(alarm(3));
  assert.equal(db.get(alarm(2).id)!.state, 'acknowledged');
  assert.equal(db.get(alarm(3).id)!.state, 'new', 'an action dated before its alarm does not count');
  assert.deepEqual(db.actions(alarm(3).id), []);
  const changed = db.applyActions([act('act-00001', alarm(1).id, 'acknowledge', 100)]);
  assert.equal(changed.length, 1);
  assert.equal(db.applyActions([act('act-00001', alarm(1).id, 'acknowledge', 100)]).length, 0, 'duplicate');
  db.close();
  db = new AlarmDb(d);
  const a = db.get(alarm(1).id)!;
  assert.equal(a.state, 'acknowledged');
  assert.deepEqual(a.acknowledgedBy, { seat: 'B', user: 'bo' });
  assert.equal(db.actions(alarm(1).id).length, 1);
  assert.equal(db.unacknowledged(), 1, 'alarm 3: its 1970 close did not count');
  db.close();
});

test('retention deletes old handled alarms, never an unacknowledged one', () => {
  const db = new AlarmDb(dir());
  const day = 86_400_000;
  const now = 1_800_000_000_000;
  db.putAlarm(alarm(1, now - 100 * day)); // old, never acknowledged
  db.putAlarm(alarm(2, now - 100 * day)); // old, closed
  db.putAlarm(alarm(3, now - day)); // recent, closed
  db.applyActions([
    act('act-00002', alarm(2).id, 'close', now - 99 * day, { note: 'ok' }),
    act('act-00003', alarm(3).id, 'close', now - day, { note: 'ok' }),
  ]);
  assert.deepEqual(
    db.prune(90, now).map((r) => r.id),
    [alarm(2).id],
  );
  assert.deepEqual(
    db.list().map((a) => a.id),
    [alarm(3).id, alarm(1).id],
  );
  assert.equal(db.actions(alarm(2).id).length, 0, 'its actions went with it');
  db.close();
});

test('the outbox keeps order, replaces a keyed message that is still waiting, survives a reopen', () => {
  const d = dir();
  let db = new AlarmDb(d);
  db.enqueue('site/actions/B', '{"a":1}', false);
  db.enqueue('site/alarms/x', '{"v":1}', true, 'state:x');
  db.enqueue('site/alarms/x', '{"v":2}', true, 'state:x');
  db.close();
  db = new AlarmDb(d);
  const rows = db.outbox();
  assert.deepEqual(
    rows.map((r) => [r.topic, r.payload, r.retain]),
    [
      ['site/actions/B', '{"a":1}', false],
      ['site/alarms/x', '{"v":2}', true],
    ],
  );
  db.sent(rows[0]!);
  // replaced while in flight: the newer payload stays queued
  db.enqueue('site/alarms/x', '{"v":3}', true, 'state:x');
  db.sent(rows[1]!);
  assert.deepEqual(
    db.outbox().map((r) => r.payload),
    ['{"v":3}'],
  );
  assert.equal(db.firstTime('cmd-00001'), true);
  assert.equal(db.firstTime('cmd-00001'), false);
  db.close();
});

test('the JSON-lines journal of earlier versions is imported once, acknowledgements included', () => {
  const d = dir();
  const lines = [
    JSON.stringify({ alarm: alarm(1) }),
    JSON.stringify({ alarm: alarm(2) }),
    JSON.stringify({ ack: alarm(1).id, at: 123 }),
    '{"alarm": {"torn',
  ];
  fs.writeFileSync(path.join(d, 'alarms.jsonl'), `${lines.join('\n')}\n`);
  let db = new AlarmDb(d);
  assert.equal(db.get(alarm(1).id)!.state, 'acknowledged');
  assert.equal(db.get(alarm(1).id)!.acknowledgedAt, 123);
  assert.equal(db.get(alarm(2).id)!.state, 'new');
  db.close();
  assert.ok(!fs.existsSync(path.join(d, 'alarms.jsonl')));
  assert.ok(fs.existsSync(path.join(d, 'alarms.jsonl.imported')));
  db = new AlarmDb(d);
  assert.equal(db.list().length, 2);
  db.close();
});

test('audit rows: each alarm received and each action, oldest first', () => {
  const db = new AlarmDb(dir());
  db.putAlarm({ ...alarm(1, 1000), receivedBy: 'A', receivedAt: 1001 });
  db.applyActions([
    act('act-00002', alarm(1).id, 'close', 3000, { note: 'checked' }),
    act('act-00001', alarm(1).id, 'acknowledge', 2000),
  ]);
  assert.deepEqual(
    db.audit().map((r) => [r.event, r.seat, r.note]),
    [
      ['received', 'A', ''],
      ['acknowledge', 'B', ''],
      ['close', 'B', 'checked'],
    ],
  );
  db.close();
});

test('an alarm history SQLite cannot read is moved aside whole and a fresh one starts; the operator is told', async () => {
  const dir = tempDir();
  const junk = crypto.randomBytes(4096);
  fs.writeFileSync(path.join(dir, DB_FILE), junk);
  const db = new AlarmDb(dir);
  assert.ok(db.setAside, 'set aside');
  assert.deepEqual(fs.readFileSync(db.setAside!), junk, 'the damaged file is kept as it was');
  assert.equal(db.list().length, 0);
  db.close();
  const { core } = makeCore({ dataDir: dir, vault: new MemoryVault() });
  try {
    // The file is readable now: nothing more is moved, and no notice.
    const info = await core.call('app:info', {});
    assert.ok(info.ok);
    assert.equal((info.result as { notices: unknown[] }).notices.length, 0);
  } finally {
    await core.dispose();
  }
  // A damaged copy: the file replaced, no journal beside it.
  for (const ext of ['-wal', '-shm']) fs.rmSync(path.join(dir, DB_FILE + ext), { force: true });
  fs.writeFileSync(path.join(dir, DB_FILE), junk);
  const again = makeCore({ dataDir: dir, vault: new MemoryVault() }).core;
  try {
    const info = await again.call('app:info', {});
    assert.ok(info.ok);
    const notices = (info.result as { notices: Array<{ code: string; message: string }> }).notices;
    assert.deepEqual(
      notices.map((n) => n.code),
      ['notice.alarmHistoryCorrupt'],
    );
    assert.match(notices[0]!.message, /alarms\.sqlite\.corrupt-/);
  } finally {
    await again.dispose();
  }
});

test("another seat's action or alarm with a time no Date can hold is refused at the contract (it broke every audit export)", async () => {
  const { AlarmAction: Action } = await import('../../preload/contract');
  const ok = { id: 'act-12345678', alarmId: 'acc/1', kind: 'acknowledge', seat: 'B', user: 'op', at: Date.now() };
  assert.equal(Action.safeParse(ok).success, true);
  for (const at of [1e20, -1, 1.5, Number.NaN])
    assert.equal(Action.safeParse({ ...ok, at }).success, false, String(at));
});

test('a command from another seat older than 10 minutes is dropped, not carried out (review F4)', () => {
  const db = new AlarmDb(dir());
  const now = 1_700_000_000_000;
  const cmd = (n: number, at: number) => ({
    id: `cmd-0000000${n}`,
    from: { seat: 'A', user: 'al' },
    at,
    command: { kind: 'open-channel' as const, accountId: 'acc_0000000000000001', channelId: 'ch:dev:0', name: 'Gate' },
  });
  // Kept a week ago (a headless main, no window since); kept now but sent a week ago (retained on the broker).
  assert.ok(db.keepCommand(cmd(1, now - 7 * 86_400_000), now - 7 * 86_400_000));
  assert.ok(db.keepCommand(cmd(2, now - 7 * 86_400_000), now));
  assert.ok(db.keepCommand(cmd(3, now - 9 * 60_000), now - 9 * 60_000));
  assert.ok(db.keepCommand(cmd(4, now - 1000), now - 1000));
  assert.deepEqual(
    db.takeCommands(now).map((c) => c.id),
    ['cmd-00000003', 'cmd-00000004'],
  );
  assert.deepEqual(db.takeCommands(now), [], 'the stale ones are gone too, not kept for later');
  // prune() drops what no window took in time.
  assert.ok(db.keepCommand(cmd(5, now - 11 * 60_000), now - 11 * 60_000));
  assert.ok(db.keepCommand(cmd(6, now - 1000), now - 1000));
  db.prune(90, now);
  assert.deepEqual(
    db.takeCommands(now - 60 * 60_000).map((c) => c.id),
    ['cmd-00000006'],
    'pruned: the 11-minute-old one is gone even for a clock that reads it as fresh',
  );
  db.close();
});

test('alarm pages walk the whole history newest first, each alarm once; a bad cursor is said', () => {
  const db = new AlarmDb(dir());
  // Two alarms share each time: the cursor orders by time, then id.
  for (let n = 0; n < 250; n++) db.putAlarm(alarm(n, 1_700_000_000_000 + Math.floor(n / 2)));
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = db.page(cursor, 60);
    assert.ok(page.alarms.length <= 60);
    seen.push(...page.alarms.map((a) => a.id));
    cursor = page.next ?? undefined;
    pages++;
  } while (cursor);
  assert.equal(pages, 5);
  assert.equal(new Set(seen).size, 250, 'each alarm once');
  const ats = seen.map((id) => db.get(id)!.at);
  assert.deepEqual(
    ats,
    [...ats].sort((a, b) => b - a),
    'newest first',
  );
  assert.throws(() => db.page('not-a-cursor'), /not a cursor of the alarm list/);
  db.close();
});

test('actions for alarms not here wait apart, are counted per seat and pruned after a day', () => {
  const db = new AlarmDb(dir());
  const now = 1_800_000_000_000;
  for (let i = 0; i < 5; i++)
    db.applyActions([act(`orphan-${i}0000`, `acc/none${i}`, 'acknowledge', now, { seat: 'R' })], now);
  assert.equal(db.counts('R').orphansOfSeat, 5);
  assert.equal(db.counts('B').orphansOfSeat, 0);
  assert.equal(db.counts('B').orphans, 5);
  db.prune(90, now + 2 * 86_400_000);
  assert.equal(db.counts('R').orphans, 0);
  db.close();
});

test('pinned keys: the first one stays; another for the same seat changes nothing until unpinned', () => {
  const db = new AlarmDb(dir());
  db.pin('site', 'A', 'key-1', 10);
  db.pin('site', 'A', 'key-2', 20);
  db.pin('other', 'A', 'key-3', 30);
  assert.deepEqual(db.pins('site'), [{ seat: 'A', key: 'key-1', firstSeen: 10, lastSeen: 10 }]);
  db.pin('site', 'A', 'key-1', 40);
  assert.equal(db.pins('site')[0]!.lastSeen, 40);
  assert.equal(db.unpin('site', 'A'), true);
  db.pin('site', 'A', 'key-2', 50);
  assert.equal(db.pins('site')[0]!.key, 'key-2');
  db.close();
});
