import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { BookmarkChange, ControlRoomStatus } from '../../preload/contract';
import { BookmarkQuery } from '../../preload/contract';
import type { ControlRoomLink } from '../../main/control-room/link';
import { EventBus } from '../../main/events';
import { BookmarkService } from '../../main/services/bookmarks';
import { BOOKMARK_DB_FILE, BookmarkDb } from '../../main/storage/bookmark-db';
import { makeCore, MemoryVault, tempDir } from '../helpers/core';

const T = Date.UTC(2026, 10, 20, 8, 0, 0);
const q = (over: Partial<BookmarkQuery> = {}) => BookmarkQuery.parse(over);

/** The control room's link as the service sees it: a seat, and what it was handed to share. */
function fakeLink(seat = 'A', user = 'ann') {
  const shared: Array<{ id: string; payload: string }> = [];
  let inbox: ((seat: string, id: string, text: string) => void) | null = null;
  const link = {
    sharing: false,
    seat: { seat, user },
    status: () => ({ site: 'test', seat }) as ControlRoomStatus,
    onBookmark: (fn: typeof inbox) => void (inbox = fn),
    shareBookmark(id: string, payload: string) {
      if (!link.sharing) return false;
      shared.push({ id, payload });
      return true;
    },
  };
  return { link, shared, deliver: (s: string, id: string, text: string) => inbox?.(s, id, text) };
}

function service(dataDir = tempDir('vigil-bm-'), seat = 'A') {
  const events = new EventBus();
  const changes: BookmarkChange[] = [];
  events.subscribe((e, p) => e === 'main:bookmark' && changes.push(p as BookmarkChange));
  const fake = fakeLink(seat);
  const svc = new BookmarkService(dataDir, fake.link as unknown as ControlRoomLink, events);
  return { svc, events, changes, dataDir, ...fake };
}

const draft = (name: string, startMs: number, endMs = startMs, more: Record<string, unknown> = {}) => ({
  accountId: 'acc_1',
  channelId: 'ch-1',
  cameraName: '大门',
  name,
  note: '',
  tags: [] as string[],
  startMs,
  endMs,
  ...more,
});

test('create, edit, delete: each on disk with an audit row of who, when and old → new', () => {
  const { svc, changes, dataDir } = service();
  const b = svc.create(
    draft('  Van  ', T, T + 30_000, { note: 'white van', tags: ['vehicle', ' Vehicle ', 'gate'] }),
    T,
  );
  assert.equal(b.name, 'Van', 'trimmed');
  assert.deepEqual(b.tags, ['vehicle', 'gate']);
  assert.equal(b.seat, 'A');
  assert.equal(b.user, 'ann');
  assert.equal(b.mine, true);
  assert.equal(b.rev, 1);
  const e = svc.update(
    { id: b.id, name: 'Van leaving', note: 'white van', tags: ['vehicle'], startMs: T, endMs: T + 45_000 },
    T + 5,
  );
  assert.equal(e.rev, 2);
  svc.remove(b.id, T + 9);
  assert.deepEqual(
    changes.map((c) => c.kind),
    ['saved', 'saved', 'deleted'],
  );
  const trail = svc.history(b.id).entries;
  assert.deepEqual(
    trail.map((x) => [x.action, x.seat, x.user, x.at]),
    [
      ['create', 'A', 'ann', T],
      ['edit', 'A', 'ann', T + 5],
      ['delete', 'A', 'ann', T + 9],
    ],
  );
  assert.deepEqual(trail[0]!.changes.name, [null, 'Van']);
  assert.deepEqual(trail[1]!.changes, {
    name: ['Van', 'Van leaving'],
    tags: [['vehicle', 'gate'], ['vehicle']],
    endMs: [T + 30_000, T + 45_000],
  });
  assert.deepEqual(trail[2]!.changes.name, ['Van leaving', null]);
  assert.throws(() => svc.get(b.id), /No such bookmark/);
  svc.close();
  // Written before the answer: a second opening (another process after a crash) reads it all.
  const db = new BookmarkDb(dataDir);
  assert.equal(db.get(b.id)!.deleted, true);
  assert.equal(db.audit(b.id).length, 3);
  db.close();
});

test('refused by main in words (the rule the form uses): end before start, > 24 h, name > 200', () => {
  const { svc } = service();
  assert.throws(() => svc.create(draft('x', T, T - 1)), { code: 'VALIDATION', message: 'The end is before the start' });
  assert.throws(() => svc.create(draft('x', T, T + 86_400_001)), /longer than 24 hours/);
  assert.throws(
    () => svc.create(draft('n'.repeat(201), T)),
    (e: { code: string; message: string; details: { fields: Record<string, { key: string }> } }) =>
      e.code === 'VALIDATION' &&
      /over 200 characters/.test(e.message) &&
      e.details.fields.name!.key === 'bookmarks.problem.nameTooLong',
  );
  const b = svc.create(draft('ok', T));
  assert.throws(() => svc.update({ id: b.id, name: '', note: '', tags: [], startMs: T, endMs: T }), /needs a name/);
  assert.equal(svc.list(q()).total, 1, 'nothing refused was kept');
  svc.close();
});

test('filters: text (name, note, tag, camera; case-blind, wildcards literal), tag, camera, time overlap; sorted by time; paged', () => {
  const { svc } = service();
  const mk = (name: string, at: number, more: Record<string, unknown> = {}) => svc.create(draft(name, at, at, more));
  mk('Van at gate', T, { tags: ['vehicle'], note: 'WHITE' });
  mk('Person 100%', T + 3600_000, { tags: ['person'] });
  mk('Dog', T + 7200_000, { channelId: 'ch-2', cameraName: 'Yard' });
  svc.create(draft('Long stay', T - 3600_000, T + 600_000, { tags: ['vehicle'] }));
  const names = (query: Partial<BookmarkQuery>) => svc.list(q(query)).bookmarks.map((b) => b.name);
  assert.deepEqual(names({}), ['Dog', 'Person 100%', 'Van at gate', 'Long stay'], 'newest first by default');
  assert.deepEqual(names({ order: 'asc' }), ['Long stay', 'Van at gate', 'Person 100%', 'Dog']);
  assert.deepEqual(names({ text: 'white' }), ['Van at gate'], 'the note, case-blind');
  assert.deepEqual(names({ text: 'yard' }), ['Dog'], 'the camera name');
  assert.deepEqual(names({ text: '100%' }), ['Person 100%']);
  assert.deepEqual(names({ text: '%' }), ['Person 100%'], 'a % is a percent sign, not a wildcard');
  assert.deepEqual(names({ text: 'vehic' }), ['Van at gate', 'Long stay'], 'a tag');
  assert.deepEqual(names({ tag: 'vehicle', order: 'asc' }), ['Long stay', 'Van at gate']);
  assert.deepEqual(names({ cameras: [{ accountId: 'acc_1', channelId: 'ch-2' }] }), ['Dog']);
  assert.deepEqual(names({ cameras: [] }), []);
  // A range that began before the window and reaches into it is in it.
  assert.deepEqual(names({ fromMs: T + 60_000, toMs: T + 3600_000, order: 'asc' }), ['Long stay', 'Person 100%']);
  const page = svc.list(q({ order: 'asc', offset: 1, limit: 2 }));
  assert.equal(page.total, 4);
  assert.deepEqual(
    page.bookmarks.map((b) => b.name),
    ['Van at gate', 'Person 100%'],
  );
  assert.deepEqual(page.tags, ['person', 'vehicle']);
  assert.deepEqual(
    page.cameras.map((c) => c.cameraName),
    ['Yard', '大门'],
  );
  svc.close();
});

test('sharing: every version made here goes to the link once; those made while off go when it comes on', () => {
  const s = service();
  const b = s.svc.create(draft('Made alone', T));
  assert.equal(s.shared.length, 0);
  s.link.sharing = true;
  s.events.emit('main:controlRoom', { state: 'online' } as ControlRoomStatus);
  assert.deepEqual(
    s.shared.map((m) => m.id),
    [b.id],
  );
  s.svc.update({ id: b.id, name: 'Renamed', note: '', tags: [], startMs: T, endMs: T });
  s.events.emit('main:controlRoom', { state: 'online' } as ControlRoomStatus);
  s.svc.remove(b.id);
  const msgs = s.shared.map((m) => JSON.parse(m.payload) as { bookmark: { rev: number }; deleted: boolean });
  assert.deepEqual(
    msgs.map((m) => [m.bookmark.rev, m.deleted]),
    [
      [1, false],
      [2, false],
      [3, true],
    ],
    'each version once, the deletion as a tombstone',
  );
  s.svc.close();
});

test('received from another seat: kept with an audit row, read-only here, a repeat changes nothing', () => {
  const a = service(undefined, 'A');
  a.link.sharing = true;
  const made = a.svc.create(draft('From A', T, T + 1000, { tags: ['x'] }));
  const b = service(undefined, 'B');
  const deliver = () => a.shared.forEach((m) => b.deliver('A', m.id, m.payload));
  deliver();
  deliver();
  const there = b.svc.get(made.id);
  assert.equal(there.mine, false);
  assert.equal(there.seat, 'A');
  assert.equal(b.svc.history(made.id).entries.length, 1, 'a repeat is one audit row');
  assert.equal(b.changes.length, 1);
  assert.throws(
    () => b.svc.update({ id: made.id, name: 'mine now', note: '', tags: [], startMs: T, endMs: T }),
    /Seat A made this bookmark: only that seat can edit or delete it/,
  );
  assert.throws(() => b.svc.remove(made.id), /only that seat/);
  // A's edit and deletion arrive in any order: the newest version wins.
  a.svc.update({ id: made.id, name: 'Edited', note: '', tags: [], startMs: T, endMs: T });
  a.svc.remove(made.id);
  const [, edit, del] = a.shared;
  b.deliver('A', made.id, del!.payload);
  b.deliver('A', made.id, edit!.payload);
  assert.throws(() => b.svc.get(made.id), /No such bookmark/);
  assert.deepEqual(
    b.svc.history(made.id).entries.map((e) => e.action),
    ['create', 'delete'],
  );
  // Forged: A's bookmark on C's topic.
  b.deliver('C', made.id, edit!.payload);
  assert.equal(b.svc.list(q()).total, 0);
  a.svc.close();
  b.svc.close();
});

test('an unreadable bookmark file is moved aside and the core says so', () => {
  const dataDir = tempDir('vigil-bm-corrupt-');
  fs.writeFileSync(path.join(dataDir, BOOKMARK_DB_FILE), 'this is not a database '.repeat(400));
  const { core } = makeCore({ dataDir, vault: new MemoryVault() });
  try {
    assert.ok(core.bookmarks.setAside);
    assert.ok(fs.existsSync(core.bookmarks.setAside!));
    assert.equal(core.bookmarks.list(q()).total, 0);
  } finally {
    void core.dispose();
  }
});

test('through the contract: a create answers after the commit and the list finds it', async () => {
  const { core } = makeCore({ vault: new MemoryVault() });
  try {
    const r = await core.call('bookmarks:create', draft('Via IPC', T, T + 5000, { tags: ['t'] }));
    assert.ok(r.ok, JSON.stringify(r));
    const bad = await core.call('bookmarks:create', draft('x', T, T - 5));
    assert.ok(!bad.ok && bad.error.code === 'VALIDATION' && bad.error.message === 'The end is before the start');
    const list = await core.call('bookmarks:list', { tag: 't' });
    assert.ok(list.ok && (list.result as { total: number }).total === 1);
  } finally {
    await core.dispose();
  }
});

test('bounds: another seat’s bookmarks past its share are refused with one notice naming it; its edits of kept ones still count', () => {
  const events = new EventBus();
  const notices: string[] = [];
  events.subscribe((e, p) => e === 'main:notice' && notices.push((p as { message: string }).message));
  const fake = fakeLink('B');
  const svc = new BookmarkService(tempDir('vigil-bm-'), fake.link as unknown as ControlRoomLink, events, () => '', {
    perSeat: 3,
    total: 5,
  });
  const from = (seat: string, n: number, rev = 1) => {
    const id = `${seat}-bookmark-${String(n).padStart(4, '0')}`;
    const bookmark = {
      id,
      accountId: 'acc_1',
      channelId: 'ch-1',
      cameraName: '大门',
      name: `${seat} ${n}`,
      note: '',
      tags: [],
      startMs: T + n,
      endMs: T + n,
      seat,
      user: 'x',
      createdAt: T,
      updatedAt: T + rev,
      updatedBy: { seat, user: 'x' },
      rev,
    };
    fake.deliver(seat, id, JSON.stringify({ bookmark, deleted: false }));
    return id;
  };
  for (let n = 0; n < 10; n++) from('A', n);
  for (let n = 0; n < 10; n++) from('C', n);
  const kept = (seat: string) => svc.list(BookmarkQuery.parse({ text: `${seat} `, limit: 100 })).total;
  assert.equal(kept('A'), 3, 'three of A');
  assert.equal(kept('C'), 2, 'two of C: the total is full');
  assert.equal(notices.filter((m) => /by A refused/.test(m)).length, 1, 'one notice for A');
  assert.equal(notices.filter((m) => /by C refused/.test(m)).length, 1, 'one notice for C');
  // A newer version of one kept is no new row: taken.
  from('A', 0, 2);
  assert.equal(svc.get('A-bookmark-0000').rev, 2);
  svc.close();
});
