import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { type Alarm, type AlarmAction, ControlRoomSetRequest, ControlRoomSettings } from '../../preload/contract';
import mqtt from 'mqtt';
import { ControlRoomLink, MAX_SEATS, topics } from '../../main/control-room/link';
import { newSeatKey } from '../../main/control-room/signing';
import { EventBus } from '../../main/events';
import type { AccountsService } from '../../main/services/accounts';
import { AlarmService } from '../../main/services/alarms';
import { fileBackend } from '../../main/settings/file-backend';
import { Settings } from '../../main/settings/settings';
import { AlarmDb } from '../../main/storage/alarm-db';
import { sleep, startAlarmSeat, TEST_ACCOUNT, testAlarm, waitFor } from '../helpers/control-room';
import { MemoryVault, tempDir } from '../helpers/core';
import { mosquittoBinary, startMosquitto, type Broker } from '../helpers/mosquitto';

// Review findings on the control room (issue 25), each against Debian's mosquitto: a command that
// arrives before any window is open, a keyed outbox message replaced while in flight, retention
// and the broker's retained copies, two configure() calls at once, a remote state un-flagging a
// reused signature.

const skip = mosquittoBinary() ? false : 'mosquitto is not installed (.ci/run installs it)';
const ACCOUNT = TEST_ACCOUNT;
const DAY = 86_400_000;

let broker: Broker;
const closers: Array<() => Promise<unknown>> = [];
before(async () => {
  if (!skip) broker = await startMosquitto();
});
after(async () => {
  for (const c of closers.reverse()) await c().catch(() => undefined);
  await broker?.stop();
});

const settings = (site: string, seat: string, more: Partial<ControlRoomSettings> = {}) =>
  ControlRoomSettings.parse({ enabled: true, brokerUrl: broker.url, site, seat, user: `op-${seat}`, ...more });

/** A seat's link and database without the service (what the seat process helper does). */
async function linkSeat(site: string, seat: string, more: Partial<ControlRoomSettings> = {}, url?: string) {
  const db = new AlarmDb(tempDir(`vigil-review-${seat}-`));
  const alarms: Alarm[] = [];
  const link = new ControlRoomLink(db, {
    alarm: (a) => alarms.push(a),
    status: () => undefined,
    command: () => undefined,
  });
  await link.configure({ ...settings(site, seat, more), ...(url ? { brokerUrl: url } : {}) }, null, newSeatKey());
  closers.push(async () => {
    await link.close();
    db.close();
  });
  await waitFor(`${seat} online`, () => link.status().state === 'online');
  return { db, link, alarms };
}

/** A seat as the app runs it (service, settings, events) on a data folder; close() is idempotent. */
async function serviceSeat(site: string, seat: string, dataDir: string, more: Partial<ControlRoomSettings> = {}) {
  const s = await startAlarmSeat(seat, { dataDir, room: { brokerUrl: broker.url, site, ...more } });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await s.service.closeAll();
  };
  closers.push(close);
  return { ...s, close };
}

const alarm = testAlarm;
const ack = (id: string, seat: string, at: number): AlarmAction => ({
  id: `ack-${seat}-${id}`.slice(0, 64),
  alarmId: id,
  kind: 'acknowledge',
  seat,
  user: `op-${seat}`,
  at,
});

test(
  'a command that arrives while no window is open waits in the database until a window takes it',
  { skip },
  async () => {
    const dir = tempDir('vigil-review-cmd-');
    const a = await linkSeat('cmd', 'A');
    let b = await serviceSeat('cmd', 'B', dir);
    await waitFor('A sees B', () => a.link.status().seats.some((s) => s.seat === 'B' && s.online));
    const sent = a.link.sendToSeat('B', {
      kind: 'open-channel',
      accountId: ACCOUNT,
      channelId: 'ch:dev:0',
      name: 'Gate',
    });
    // Main announces it (no window listens), and the broker's retained copy is cleared.
    await waitFor('the command reached B', () => b.commands.length === 1);
    await waitFor("A's outbox empty", () => a.link.status().queued === 0);
    await waitFor("B's outbox empty (retained copy cleared)", () => b.service.link.status().queued === 0);
    // B restarts before any window opened: the command is still there for the first window.
    await b.close();
    b = await serviceSeat('cmd', 'B', dir);
    await sleep(500); // a redelivery, if the broker still had one, would come now
    assert.equal(b.commands.length, 0, 'not delivered again after the restart');
    const taken = b.service.takeCommands().commands;
    assert.deepEqual(
      taken.map((c) => c.id),
      [sent.id],
    );
    assert.deepEqual(taken[0]!.from, { seat: 'A', user: 'op-A' });
    assert.deepEqual(b.service.takeCommands().commands, [], 'taken once: a second window gets nothing');
  },
);

test(
  'a keyed message replaced while the broker had not yet acknowledged it is sent without waiting for another',
  { skip },
  async () => {
    const a = await linkSeat('outbox', 'A');
    const b = await linkSeat('outbox', 'B');
    // Hold then release at once: the hold is in flight when the release replaces it in the outbox.
    a.link.holdPtz(ACCOUNT, 'ch:dev:0', true);
    a.link.holdPtz(ACCOUNT, 'ch:dev:0', false);
    await waitFor("A's outbox empty", () => a.link.status().queued === 0, 3000);
    await sleep(300);
    assert.deepEqual(b.link.status().ptz, [], 'B sees nobody steering');
  },
);

test(
  "retention: a pruned alarm's retained state is cleared, and an expired one is not brought back",
  { skip },
  async () => {
    const now = Date.now();
    const old = alarm(7, now - 10 * DAY);
    // B keeps it (90 days) and shares it: the broker retains its state.
    const b = await linkSeat('retain', 'B');
    b.db.putAlarm(old);
    b.db.applyActions([ack(old.id, 'B', now - 10 * DAY + 1000)]);
    b.link.shareAlarm(old.id);
    await waitFor("B's outbox empty", () => b.link.status().queued === 0);
    // A has it too and keeps 1 day: its prune deletes it and clears the retained state.
    const dirA = tempDir('vigil-review-retain-A-');
    const seeded = new AlarmDb(dirA);
    seeded.putAlarm(old);
    seeded.applyActions([ack(old.id, 'B', now - 10 * DAY + 1000)]);
    seeded.close();
    const a = await serviceSeat('retain', 'A', dirA, { retentionDays: 1 });
    await waitFor('A pruned it', () => !a.service.list().alarms.some((x) => x.id === old.id));
    await waitFor("A's outbox empty", () => a.service.link.status().queued === 0);
    // A reconnects: the alarm does not come back.
    await a.service.setControlRoom(ControlRoomSetRequest.parse(settings('retain', 'A', { retentionDays: 1 })));
    await waitFor('A online again', () => a.service.link.status().state === 'online');
    await sleep(500);
    assert.ok(!a.service.list().alarms.some((x) => x.id === old.id), 'not re-imported on reconnect');
    // A late seat keeping 90 days gets nothing: the broker no longer retains it.
    const c = await linkSeat('retain', 'C');
    await sleep(500);
    assert.equal(c.db.get(old.id), undefined, 'the retained state is gone from the broker');
    // A seat keeping 1 day refuses an expired, acknowledged alarm another seat shares again.
    const d = await linkSeat('retain', 'D', { retentionDays: 1 });
    b.link.shareAlarm(old.id);
    await waitFor('C has it again from B', () => c.db.get(old.id));
    await sleep(300);
    assert.equal(d.db.get(old.id), undefined, 'D does not import what its retention would delete');
  },
);

test('two configure() calls at once leave one client, and close() ends it', { skip }, async () => {
  // A TCP relay in front of the broker counts the connections the link holds.
  const open = new Set<net.Socket>();
  let made = 0;
  const relay = net.createServer((socket) => {
    made++;
    open.add(socket);
    const up = net.connect(broker.port, '127.0.0.1');
    socket.pipe(up).pipe(socket);
    const done = () => {
      open.delete(socket);
      socket.destroy();
      up.destroy();
    };
    socket.on('close', done).on('error', done);
    up.on('close', done).on('error', done);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => relay.close(r)));
  const url = `mqtt://127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
  const db = new AlarmDb(tempDir('vigil-review-twice-'));
  const link = new ControlRoomLink(db, { alarm: () => undefined, status: () => undefined, command: () => undefined });
  const s = { ...settings('twice', 'T'), brokerUrl: url };
  const key = newSeatKey();
  await Promise.all([link.configure(s, null, key), link.configure(s, null, key)]);
  await waitFor('online', () => link.status().state === 'online');
  await sleep(2500); // two clients with one client id would knock each other off and reconnect meanwhile
  assert.equal(open.size, 1, 'one connection');
  assert.ok(made <= 2, `connections made: ${made}`);
  await link.close();
  await sleep(1500);
  assert.equal(open.size, 0, 'none after close()');
  db.close();
});

test("another seat's state cannot clear the reused-signature flag this seat set (local wins)", { skip }, async () => {
  const now = Date.now();
  const a = await linkSeat('flag', 'A');
  const b = await linkSeat('flag', 'B');
  // B received the push on a reused signature and flagged it.
  const flagged = alarm(9, now, { replayedSignature: true, receivedBy: 'B' });
  b.db.putAlarm(flagged);
  // A claims the same alarm without the flag.
  a.db.putAlarm(alarm(9, now, { receivedBy: 'A', channelName: 'Forged' }));
  a.link.shareAlarm(flagged.id);
  await waitFor("A's outbox empty", () => a.link.status().queued === 0);
  await sleep(500);
  const kept = b.db.get(flagged.id)!;
  assert.equal(kept.replayedSignature, true, 'still flagged on B');
  assert.equal(kept.channelName, 'Gate', 'B keeps what its own receiver took');
});

test(
  "retention on a restart (the usual path, settings already saved) clears the broker's retained copy (review F1)",
  { skip },
  async () => {
    const now = Date.now();
    const old = alarm(8, now - 10 * DAY);
    // B keeps it (90 days) and shares it: the broker retains its state.
    const b = await linkSeat('restart', 'B');
    b.db.putAlarm(old);
    b.db.applyActions([ack(old.id, 'B', now - 10 * DAY + 1000)]);
    b.link.shareAlarm(old.id);
    await waitFor("B's outbox empty", () => b.link.status().queued === 0);
    // A has it, and its settings (retention 1 day) were saved before: A starts as after a restart.
    const dirA = tempDir('vigil-review-restart-A-');
    const seeded = new AlarmDb(dirA);
    seeded.putAlarm(old);
    seeded.applyActions([ack(old.id, 'B', now - 10 * DAY + 1000)]);
    seeded.close();
    new Settings(dirA, fileBackend).update((f) => ({
      ...f,
      controlRoom: settings('restart', 'A', { retentionDays: 1 }),
    }));
    const a = new AlarmService({} as AccountsService, new EventBus(), dirA, {
      settings: new Settings(dirA, fileBackend),
      vault: new MemoryVault(),
    });
    closers.push(() => a.closeAll());
    await a.ready;
    await waitFor('A online', () => a.link.status().state === 'online');
    await waitFor('A pruned it', () => !a.list().alarms.some((x) => x.id === old.id));
    await waitFor("A's outbox empty", () => a.link.status().queued === 0);
    // A late seat keeping 90 days gets nothing: the broker no longer retains it.
    const c = await linkSeat('restart', 'C');
    await sleep(500);
    assert.equal(c.db.get(old.id), undefined, 'the retained state is gone from the broker');
  },
);

test(
  "a broker client's flood of seats, PTZ holders and receiver claims is bounded: the status stays a site's size",
  { skip },
  async () => {
    // Anyone who may publish on the site's topics (a seat's credentials, an open broker) could
    // retain thousands of fake seats: every status (one per message, sent to each window) carried them all.
    const flood = await mqtt.connectAsync(broker.url, { clientId: 'flooder', protocolVersion: 4 });
    const p = topics('flood').prefix;
    const publishes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 3 * MAX_SEATS; i++) {
      const seat = `fake-${i}`;
      const at = Date.now();
      publishes.push(
        flood.publishAsync(`${p}/seats/${seat}/presence`, JSON.stringify({ seat, user: 'x', online: true, at }), {
          qos: 1,
          retain: true,
        }),
        flood.publishAsync(
          `${p}/ptz/acc/${seat}`,
          JSON.stringify({ accountId: 'acc', channelId: seat, seat, user: 'x', at }),
          { qos: 1, retain: true },
        ),
      );
    }
    // A presence whose body names another seat than its topic, and one with a 60 KB user name.
    publishes.push(
      flood.publishAsync(`${p}/seats/liar/presence`, JSON.stringify({ seat: 'A', user: 'x', online: false, at: 1 }), {
        qos: 1,
        retain: true,
      }),
      flood.publishAsync(
        `${p}/seats/long/presence`,
        JSON.stringify({ seat: 'long', user: 'u'.repeat(60_000), online: true, at: 1 }),
        { qos: 1, retain: true },
      ),
    );
    await Promise.all(publishes);
    await flood.endAsync();
    const a = await linkSeat('flood', 'A');
    await sleep(1500);
    const status = a.link.status();
    assert.ok(status.seats.length <= MAX_SEATS, `${status.seats.length} seats listed`);
    assert.ok(status.ptz.length <= MAX_SEATS * 4, `${status.ptz.length} PTZ holders listed`);
    assert.ok(!status.seats.some((s) => s.user.length > 64), 'a 60 KB user name is not listed');
    assert.ok(!status.seats.some((s) => s.seat === 'A' && !s.online), "no other topic speaks for seat A's presence");
  },
);
