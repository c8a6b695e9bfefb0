import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BookmarkQuery, type BookmarkChange, type BookmarkView } from '../../preload/contract';
import { EventBus } from '../../main/events';
import { BookmarkService } from '../../main/services/bookmarks';
import { startAlarmSeat, waitFor, type AlarmSeat } from '../helpers/control-room';
import { tempDir } from '../helpers/core';
import { mosquittoBinary, startMosquitto, type Broker } from '../helpers/mosquitto';

// Bookmarks between seats on Debian's mosquitto: made, edited and deleted by their author seat
// and seen by the other; a seat that joins late gets every bookmark (and no deleted one); a
// bookmark made while the broker is down arrives once it is back; a seat restarting gets every
// retained copy again and records nothing twice.

const skip = mosquittoBinary() ? false : 'mosquitto is not installed (.ci/run installs it)';
const T = Date.UTC(2026, 10, 25, 2, 0, 0);

interface Seat extends AlarmSeat {
  bookmarks: BookmarkService;
  changes: BookmarkChange[];
  list: () => BookmarkView[];
}

let broker: Broker;
const seats: Seat[] = [];

async function seat(name: string, dataDir = tempDir(`vigil-bm-${name}-`)): Promise<Seat> {
  const events = new EventBus();
  const changes: BookmarkChange[] = [];
  events.subscribe((e, p) => e === 'main:bookmark' && changes.push(p as BookmarkChange));
  const s = await startAlarmSeat(name, {
    dataDir,
    events,
    room: { brokerUrl: broker.url, site: 'bm' },
    service: { pollEveryMs: 0 },
  });
  // As the core starts it: over the seat's link, on its event bus.
  const bookmarks = new BookmarkService(dataDir, s.service.link, events, () => broker.url);
  const out: Seat = {
    ...s,
    bookmarks,
    changes,
    list: () => bookmarks.list(BookmarkQuery.parse({ limit: 1000, order: 'asc' })).bookmarks,
  };
  seats.push(out);
  return out;
}

async function stop(s: Seat): Promise<void> {
  seats.splice(seats.indexOf(s), 1);
  s.bookmarks.close();
  await s.service.closeAll();
}

before(async () => {
  if (!skip) broker = await startMosquitto();
});
after(async () => {
  for (const s of [...seats]) await stop(s).catch(() => undefined);
  await broker?.stop();
});

const draft = (name: string, startMs: number, endMs = startMs) => ({
  accountId: 'acc_00000000000000b1',
  channelId: 'ch-gate',
  cameraName: '大门',
  name,
  note: `${name} note`,
  tags: ['shared'],
  startMs,
  endMs,
});

test('two seats share bookmarks under author-only rules; a late seat gets every one', { skip }, async () => {
  const a = await seat('A');
  let b = await seat('B');

  // A marks a range: B gets it, read-only there, with an audit row naming A.
  const x = a.bookmarks.create(draft('Van', T, T + 90_000));
  const atB = await waitFor('B has the van', () => b.list().find((v) => v.id === x.id));
  assert.equal(atB.mine, false);
  assert.equal(atB.seat, 'A');
  assert.equal(atB.user, 'op-A');
  assert.deepEqual([atB.startMs, atB.endMs], [T, T + 90_000]);
  assert.deepEqual(
    b.bookmarks.history(x.id).entries.map((e) => [e.action, e.seat, e.user]),
    [['create', 'A', 'op-A']],
  );
  assert.throws(
    () => b.bookmarks.update({ id: x.id, name: 'B renames', note: '', tags: [], startMs: T, endMs: T }),
    /only that seat can edit or delete it/,
  );

  // A edits it: B follows, and its audit says what changed.
  a.bookmarks.update({
    id: x.id,
    name: 'Van leaving',
    note: 'plate seen',
    tags: ['shared'],
    startMs: T,
    endMs: T + 120_000,
  });
  await waitFor('B has the edit', () => b.list().find((v) => v.id === x.id && v.name === 'Van leaving'));
  const edit = b.bookmarks.history(x.id).entries[1]!;
  assert.equal(edit.action, 'edit');
  assert.deepEqual(edit.changes.name, ['Van', 'Van leaving']);
  assert.deepEqual(edit.changes.endMs, [T + 90_000, T + 120_000]);

  // B marks a moment: A gets it.
  const y = b.bookmarks.create(draft('Gate left open', T + 600_000));
  await waitFor('A has the moment', () => a.list().find((v) => v.id === y.id));

  // A deletes its bookmark: gone at B too.
  a.bookmarks.remove(x.id);
  await waitFor('B lost the van', () => !b.list().some((v) => v.id === x.id));
  assert.equal(b.changes.at(-1)?.kind, 'deleted');

  // The broker goes away; A marks a moment meanwhile (kept, queued); it arrives once the broker is back.
  await broker.stop();
  const z = a.bookmarks.create(draft('During the outage', T + 900_000));
  assert.equal(a.list().find((v) => v.id === z.id)?.name, 'During the outage', 'kept at A at once');
  await broker.start();
  await waitFor('B has the outage bookmark', () => b.list().find((v) => v.id === z.id), 30_000);

  // A seat that joins late: every bookmark there is, none that was deleted.
  const c = await seat('C');
  await waitFor('C has both', () => c.list().length === 2).catch((e) => {
    console.error(
      'C has',
      c.list().map((v) => v.name),
      'A',
      a.list().map((v) => v.name),
    );
    throw e;
  });
  assert.deepEqual(
    c.list().map((v) => v.name),
    ['Gate left open', 'During the outage'],
  );
  assert.throws(() => c.bookmarks.get(x.id), /No such bookmark/);
  assert.deepEqual(
    c.bookmarks.history(x.id).entries.map((e) => e.action),
    ['delete'],
    'the tombstone: a late copy of the van cannot come back',
  );

  // B restarts on the same data folder: every retained copy comes again and nothing is recorded twice.
  const trail = () => b.bookmarks.history(y.id).entries.length + b.bookmarks.history(z.id).entries.length;
  const before = trail();
  await stop(b);
  b = await seat('B', b.dataDir);
  await waitFor('B back online', () => b.service.link.status().state === 'online');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(trail(), before);
  assert.deepEqual(
    b.list().map((v) => [v.name, v.mine]),
    [
      ['Gate left open', true],
      ['During the outage', false],
    ],
  );
});
