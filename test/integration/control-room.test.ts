import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ControlRoomSetRequest,
  type ControlRoomSettings,
  type Alarm,
  type ControlRoomStatus,
} from '../../preload/contract';
import { EventBus } from '../../main/events';
import { checkSignature, readPush, signatureOf } from '../../main/platforms/huawei-ivm/push';
import type { Platform } from '../../main/platforms/platform';
import type { AccountsService } from '../../main/services/accounts';
import { AlarmService, BROKER_SECRET } from '../../main/services/alarms';
import { fileBackend } from '../../main/settings/file-backend';
import { Settings } from '../../main/settings/settings';
import { freePort } from '../emulators/media/simulator';
import { startAlarmSeat, waitFor, sleep, TEST_ACCOUNT, testAlarm, type AlarmSeat } from '../helpers/control-room';
import { MemoryVault, readAllFiles, tempDir } from '../helpers/core';
import { mosquittoBinary, startMosquitto, type Broker } from '../helpers/mosquitto';

// The control room against Debian's mosquitto on a loopback port: three seats share an alarm
// pushed to one of them, an acknowledgement, a restart, a 10 s broker outage with a close and a
// send-to-seat queued through it, a late joiner, and a killed seat's last will.

const ACCOUNT = TEST_ACCOUNT;
const skip = mosquittoBinary() ? false : 'mosquitto is not installed (.ci/run installs it)';

function stubAccounts(): { accounts: AccountsService; key: () => string } {
  let authKey = '';
  const pushAlarms = {
    registration: async () => null,
    register: async (_url: string, key: string) => void (authKey = key),
    unregister: async () => undefined,
    picture: async () => null,
    checkHeaders: (headers: Record<string, string>, url: string, key: string, now: number) => {
      const sig = checkSignature(headers, url, key, now);
      return sig.ok ? null : sig.reason;
    },
    signatureOf,
    readPush,
  };
  const accounts = { platform: async () => ({ pushAlarms }) as unknown as Platform } as unknown as AccountsService;
  return { accounts, key: () => authKey };
}

interface Seat extends AlarmSeat {
  status: () => ControlRoomStatus;
  alarm: (id: string) => Alarm | undefined;
}

const stub = stubAccounts();

async function seat(
  name: string,
  broker: { url: string },
  dataDir?: string,
  more: Partial<ControlRoomSettings> & { password?: string } = {},
): Promise<Seat> {
  const s = await startAlarmSeat(name, {
    accounts: stub.accounts,
    dataDir,
    room: { brokerUrl: broker.url, site: 'test', ...more },
    online: false,
  });
  return {
    ...s,
    status: () => s.service.link.status(),
    alarm: (id) => s.service.list().alarms.find((a) => a.id === id),
  };
}

const online = (s: Seat) => waitFor(`${s.name} online`, () => s.status().state === 'online');

let broker: Broker;
const seats: Seat[] = [];
before(async () => {
  if (!skip) broker = await startMosquitto();
});
after(async () => {
  for (const s of seats) await s.service.closeAll().catch(() => undefined);
  await broker?.stop();
});

test('three seats share an alarm, an acknowledgement, a restart and a broker outage', { skip }, async () => {
  const [a, b] = [await seat('A', broker), await seat('B', broker)];
  let c = await seat('C', broker);
  seats.push(a, b, c);
  await Promise.all([a, b, c].map(online));
  await waitFor('every seat sees the three', () =>
    [a, b, c].every((s) => s.status().seats.filter((p) => p.online).length === 3),
  );

  // An IVM push to A's receiver.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/push`;
  await a.service.start(ACCOUNT, url, port);
  const ts = Math.floor(Date.now() / 1000);
  const body = `{"message_id": 1676021851965920001, "message_type": "device_alarm", "data": {"device_id": "21A0123456SMY01", "channel_id": "0", "channel_name": "大门", "alarm_type": "over_line_alarm", "alarm_time": "2026-11-23T08:00:00+08:00", "alarm_uuid": "u1"}}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'X-Ivm-Timestamp': String(ts),
      'X-Ivm-Signature': createHash('sha256').update(`${url}|${ts}|${stub.key()}`).digest('hex'),
    },
    body,
  });
  assert.equal(res.status, 200);
  const id = `${ACCOUNT}/1676021851965920001`;
  for (const s of [a, b, c]) await waitFor(`the alarm on ${s.name}`, () => s.alarm(id));
  assert.equal(a.alarm(id)!.receivedBy, 'A');
  assert.equal(c.alarm(id)!.channelName, '大门');

  // One receiving seat per account: B cannot start a receiver for it while A has one.
  await waitFor('B knows A receives', () => b.service.link.receiverElsewhere(ACCOUNT) === 'A');
  await assert.rejects(b.service.start(ACCOUNT, url, await freePort()), /Seat A receives this account's alarms/);

  // B acknowledges; A and C show "acknowledged by B".
  b.service.acknowledge(id);
  for (const s of [a, c])
    await waitFor(`${s.name} shows acknowledged by B`, () => s.alarm(id)?.acknowledgedBy?.seat === 'B');
  assert.equal(c.alarm(id)!.acknowledgedBy!.user, 'op-B');

  // C restarts and still shows it (from its own database, before the broker answers).
  await c.service.closeAll();
  await waitFor('C offline on A', () => a.status().seats.find((p) => p.seat === 'C')?.online === false);
  const cDir = c.dataDir;
  const events = new EventBus();
  const restarted = new AlarmService(stub.accounts, events, cDir, {
    settings: new Settings(cDir, fileBackend),
    vault: new MemoryVault(),
  });
  assert.equal(restarted.list().alarms.find((x) => x.id === id)?.acknowledgedBy?.seat, 'B', 'C after a restart');
  await restarted.closeAll();
  c = await seat('C', broker, cDir);
  seats.push(c);
  await online(c);

  // The broker stops for 10 s while B closes the alarm and A sends a camera to C's wall.
  await broker.stop();
  await Promise.all([a, b, c].map((s) => waitFor(`${s.name} sees the outage`, () => s.status().state !== 'online')));
  b.service.close(id, 'Checked on camera: a delivery van');
  const sent = a.service.sendToSeat('C', {
    kind: 'open-channel',
    accountId: ACCOUNT,
    channelId: 'ch:21A0123456SMY01:0',
    name: '大门',
  });
  assert.ok(b.status().queued >= 2, "the close waits in B's outbox (action and state)");
  assert.ok(a.status().queued >= 1, "the command waits in A's outbox");
  assert.equal(b.alarm(id)!.state, 'closed', 'B keeps working locally');
  await sleep(10_000);
  await broker.start();
  await Promise.all([a, b, c].map(online));
  for (const s of [a, c]) await waitFor(`${s.name} sees the close`, () => s.alarm(id)?.state === 'closed');
  await waitFor('the command on C', () => c.commands.length > 0);
  await waitFor('outboxes empty', () => a.status().queued === 0 && b.status().queued === 0 && c.status().queued === 0);
  await sleep(1500); // time for any duplicate to arrive
  assert.equal(c.commands.length, 1, 'the command arrived exactly once');
  assert.equal(c.commands[0]!.id, sent.id);
  assert.deepEqual(c.commands[0]!.from, { seat: 'A', user: 'op-A' });
  assert.equal(a.alarm(id)!.note, 'Checked on camera: a delivery van');
  for (const s of [a, b, c]) {
    const actions = s.service.history(id).actions;
    assert.deepEqual(
      actions.map((x) => `${x.kind}:${x.seat}`),
      ['acknowledge:B', 'close:B'],
      `${s.name}'s audit trail has each action once`,
    );
  }

  // A late joiner gets the alarm from the retained state (the broker kept it through its restart).
  const d = await seat('D', broker);
  seats.push(d);
  await waitFor('D has the alarm', () => d.alarm(id)?.state === 'closed');
  assert.equal(d.alarm(id)!.closedBy!.seat, 'B');

  // The audit export of C holds the receipt and both actions.
  const csv = Buffer.from((await c.service.exportAudit('csv')).base64, 'base64').toString('utf8');
  assert.match(csv, /received,.*大门/);
  assert.match(csv, /acknowledge,.*,B,op-B/);
  assert.match(csv, /close,.*Checked on camera: a delivery van/);
  const xlsx = await c.service.exportAudit('xlsx');
  assert.equal(xlsx.rows, 3);
  assert.equal(Buffer.from(xlsx.base64, 'base64').subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
});

test(
  'a seat rejoining a site with 1,500 retained alarm states gets the ones shared while it was away',
  { skip },
  async () => {
    // The shift soak lost alarms after a broker restart late in a run: a seat that subscribes is
    // sent every retained alarm state at once, and mosquitto's default queue (1,000 per client)
    // dropped the newest. The site configuration raises it; the tests' broker runs with it.
    const [a, b] = [
      await seat('RA', broker, undefined, { site: 'rejoin' }),
      await seat('RB', broker, undefined, { site: 'rejoin' }),
    ];
    seats.push(a, b);
    await Promise.all([a, b].map(online));
    const id = (n: number) => `${ACCOUNT}/rejoin-${n}`;
    const share = (from: number, count: number, acknowledged: boolean) => {
      for (let n = from; n < from + count; n++) {
        a.service.store.db.putAlarm(testAlarm(`rejoin-${n}`, Date.now(), { receivedBy: 'RA' }));
        // The older ones shared acknowledged: a member's burst of unacknowledged alarms is bounded.
        if (acknowledged) a.service.acknowledge(id(n));
        else a.service.link.shareAlarm(id(n));
      }
    };
    const has = (s: Seat, from: number, count: number) =>
      Array.from({ length: count }, (_, k) => from + k).filter((n) => s.service.store.db.get(id(n))).length;
    share(0, 1500, true);
    await waitFor('B has the 1,500', () => has(b, 0, 1500) === 1500, 60_000);
    const settings = (enabled: boolean) =>
      ControlRoomSetRequest.parse({ enabled, brokerUrl: broker.url, site: 'rejoin', seat: 'RB', user: 'op-RB' });
    await b.service.setControlRoom(settings(false));
    share(1500, 5, false);
    a.service.close(id(7), 'done'); // a state B took before, changed while it was away
    await waitFor('A has shared the 5', () => a.status().queued === 0);
    // The 1,500 come again: the ones B took before, byte for byte, are not read again (each cost
    // its signatures checked and the database asked: seconds of main's time at a site's size).
    const db = b.service.store.db;
    const get = db.get.bind(db);
    let looked = 0;
    db.get = (alarmId: string) => (looked++, get(alarmId));
    await b.service.setControlRoom(settings(true));
    await online(b);
    await waitFor('B has the 5 shared while it was away', () => has(b, 1500, 5) === 5, 30_000).catch(() => undefined);
    assert.equal(has(b, 1500, 5), 5, 'the alarms shared while B was away');
    await waitFor('the changed state taken', () => db.get(id(7))?.state === 'closed', 10_000).catch(() => undefined);
    assert.equal(db.get(id(7))?.state, 'closed', 'a state changed while B was away is taken');
    assert.ok(looked < 100, `${looked} alarm lookups for a rejoin: the states taken before are skipped`);
  },
);

test("a killed seat's presence turns offline through its last will", { skip }, async () => {
  const watcher = await seat('W', broker);
  seats.push(watcher);
  await online(watcher);
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '../helpers/seat-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, broker.url, 'test', 'K', tempDir()], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => String(d).includes('online') && resolve());
      child.once('exit', (code) => reject(new Error(`seat process exited ${code}`)));
    });
    await waitFor('K online on W', () => watcher.status().seats.find((p) => p.seat === 'K')?.online);
  } finally {
    child.kill('SIGKILL');
  }
  await waitFor(
    'K offline on W (last will)',
    () => watcher.status().seats.find((p) => p.seat === 'K')?.online === false,
  );
});

test('bad broker settings are refused in a sentence; the password stays in the keychain', { skip }, async () => {
  const bad = (brokerUrl: string) => {
    const r = ControlRoomSetRequest.safeParse({ enabled: true, brokerUrl });
    return r.success ? '' : r.error.issues.map((i) => i.message).join('; ');
  };
  assert.match(bad('http://broker:1883'), /mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\//);
  assert.match(bad('not a url'), /a broker URL/);
  assert.match(bad('mqtt://user:secret@broker'), /no user or password in the URL/);
  assert.match(
    ControlRoomSetRequest.safeParse({ seat: 'a/b' }).error?.issues[0]?.message ?? '',
    /no \/ # \+ in a seat name/,
  );

  // A broker that checks logins: a wrong password is said, and the seat stops retrying.
  const guarded = await startMosquitto({ users: { operator: 'right-password-1' } });
  try {
    const wrong = await seat('P', guarded, undefined, { username: 'operator', password: 'wrong-password-9' });
    seats.push(wrong);
    const status = await waitFor('refused', () => (wrong.status().state === 'error' ? wrong.status() : null));
    assert.match(status.error ?? '', /refused the login: wrong user name or password/);
    assert.ok(!readAllFiles(wrong.dataDir).includes('wrong-password-9'), 'no password in the data folder');
    assert.equal(wrong.vault.data.get(BROKER_SECRET), 'wrong-password-9', 'the password is in the keychain');
    await wrong.service.closeAll();
    const right = await seat('P2', guarded, undefined, { username: 'operator', password: 'right-password-1' });
    seats.push(right);
    await online(right);
    assert.equal(right.status().hasPassword, true);
    assert.ok(!JSON.stringify(await right.service.controlRoom()).includes('right-password-1'));
  } finally {
    await guarded.stop();
  }

  // TLS: a private CA is refused until it is given; TLS to a plain port; a port nobody listens on.
  const secure = await startMosquitto({ tls: true });
  try {
    const unknown = await seat('T1', secure);
    seats.push(unknown);
    const t = await waitFor('TLS failure', () => (unknown.status().error ? unknown.status() : null));
    assert.match(
      t.error ?? '',
      /TLS to the broker mqtts:\/\/127\.0\.0\.1:\d+ failed: its certificate is self-signed: add its CA/,
    );
    await unknown.service.closeAll();
    const trusted = await seat('T2', secure, undefined, { ca: secure.ca! });
    seats.push(trusted);
    await online(trusted);
  } finally {
    await secure.stop();
  }
  const plain = await seat('T3', { url: broker.url.replace('mqtt://', 'mqtts://') });
  seats.push(plain);
  const p = await waitFor('TLS to a plain port', () => (plain.status().error ? plain.status() : null));
  assert.match(p.error ?? '', /TLS to the broker mqtts:\/\/127\.0\.0\.1:\d+ failed/);
  const nobody = await seat('N', { url: `mqtt://127.0.0.1:${await freePort()}` });
  seats.push(nobody);
  const n = await waitFor('refused connection', () => (nobody.status().error ? nobody.status() : null));
  assert.match(n.error ?? '', /refuses connections \(is it running\?\)/);
  assert.equal(n.state, 'offline');
  assert.ok(fs.existsSync(path.join(nobody.dataDir, 'alarms.sqlite')));
});
