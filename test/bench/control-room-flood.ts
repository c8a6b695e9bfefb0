import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import mqtt from 'mqtt';
import { topics } from '../../main/control-room/link';
import { newSeatKey, seal, signAction } from '../../main/control-room/signing';
import { Core } from '../../main/core';
import { fileBackend } from '../../main/settings/file-backend';
import { MemoryVault, tempDir } from '../helpers/core';
import { startMosquitto } from '../helpers/mosquitto';

// The audit's floods against one seat, through Debian's mosquitto on a loopback port: 5,000
// retained alarm states, 5,000 actions for alarms the seat does not have, 2,000 retained
// commands, then 2,000 ordinary `alarms:list` requests through the core's dispatch. One member
// with a valid key sends each message twice: sealed by it (what a signing seat reads) and as
// plain JSON (what a seat before signatures read). Paced, so the broker's per-client queue
// drops nothing. `node --import tsx test/bench/control-room-flood.ts` prints one JSON line.

const STATES = Number(process.env.FLOOD_STATES ?? 5000);
const ORPHANS = Number(process.env.FLOOD_ACTIONS ?? 5000);
const COMMANDS = Number(process.env.FLOOD_COMMANDS ?? 2000);
const REQUESTS = Number(process.env.FLOOD_REQUESTS ?? 2000);
const ACCOUNT = 'acc_00000000000000c1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function measure(file: string) {
  const db = new Database(file);
  try {
    db.exec('PRAGMA busy_timeout = 2000; PRAGMA wal_checkpoint(TRUNCATE);');
    const n = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
    const has = (t: string) => n(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = '${t}'`) > 0;
    return {
      alarms: n('SELECT COUNT(*) AS n FROM alarms'),
      unacknowledged: n("SELECT COUNT(*) AS n FROM alarms WHERE state = 'new'"),
      orphanActions:
        n('SELECT COUNT(*) AS n FROM actions WHERE alarm_id NOT IN (SELECT id FROM alarms)') +
        (has('orphan_actions') ? n('SELECT COUNT(*) AS n FROM orphan_actions') : 0),
      pendingCommands: n('SELECT COUNT(*) AS n FROM commands_pending'),
      fileMB: +(fs.statSync(file).size / 1e6).toFixed(2),
    };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const broker = await startMosquitto({ persistence: false });
  const dataDir = tempDir('vigil-flood-');
  const core = new Core({ host: 'web', dataDir, settingsBackend: fileBackend, vault: new MemoryVault() });
  const set = await core.call('controlRoom:set', {
    enabled: true,
    brokerUrl: broker.url,
    site: 'audit',
    seat: 'seat-b',
    user: 'op-b',
  });
  if (!(set as { ok: boolean }).ok) throw new Error(JSON.stringify(set));
  const file = path.join(dataDir, 'alarms.sqlite');
  await sleep(1000);
  const before = measure(file);

  const c = await mqtt.connectAsync(broker.url, { clientId: 'flooder', protocolVersion: 4 });
  const key = newSeatKey();
  const t = topics('audit');
  let pending: Array<Promise<unknown>> = [];
  // `plain`: what a seat before signatures read (an action without its `sig`).
  const send = async (topic: string, body: unknown, retain: boolean, plain: unknown = body) => {
    pending.push(c.publishAsync(topic, seal(topic, JSON.stringify(body), 'rogue', key), { qos: 1, retain }));
    pending.push(c.publishAsync(topic, JSON.stringify(plain), { qos: 1, retain }));
    if (pending.length >= 200) {
      await Promise.all(pending);
      pending = [];
      await sleep(100);
    }
  };
  const settle = async () => {
    await Promise.all(pending);
    pending = [];
    await sleep(3000);
  };
  const presence = t.presenceOf('rogue');
  await send(presence, { seat: 'rogue', user: 'x', online: true, at: Date.now(), key: key.publicKey }, true);
  await settle();

  const now = Date.now();
  const t0 = Date.now();
  for (let i = 0; i < STATES; i++) {
    const alarm = {
      id: `${ACCOUNT}/${1_000_000 + i}`,
      messageId: String(1_000_000 + i),
      accountId: ACCOUNT,
      deviceId: 'dev',
      channelId: '0',
      channelName: 'Gate',
      type: 'over_line_alarm',
      at: now - i,
      uuid: `u${i}`,
      receivedBy: 'rogue',
    };
    await send(t.alarm(ACCOUNT, alarm.messageId), { alarm, actions: [] }, true);
  }
  await settle();
  const afterStates = { ...measure(file), seconds: (Date.now() - t0) / 1000 };
  process.stderr.write(`states: ${JSON.stringify(afterStates)}\n`);

  for (let i = 0; i < ORPHANS; i++) {
    const a = {
      id: randomUUID(),
      alarmId: `${ACCOUNT}/none-${i}`,
      kind: 'acknowledge',
      seat: 'rogue',
      user: 'x',
      at: Date.now(),
      note: 'n'.repeat(1000),
    };
    await send(t.actionsOf('rogue'), signAction(a as Parameters<typeof signAction>[0], key), false, a);
  }
  await settle();
  const afterActions = measure(file);
  process.stderr.write(`actions: ${JSON.stringify(afterActions)}\n`);

  for (let i = 0; i < COMMANDS; i++) {
    const id = randomUUID();
    const cmd = {
      id,
      from: { seat: 'rogue', user: 'x' },
      at: Date.now(),
      command: { kind: 'open-channel', accountId: ACCOUNT, channelId: `ch:${i}`, name: 'x' },
    };
    await send(t.commandTo('seat-b', id), cmd, true);
  }
  await settle();
  const afterCommands = measure(file);
  process.stderr.write(`commands: ${JSON.stringify(afterCommands)}\n`);
  await c.endAsync();

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const r0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const r = await core.call('alarms:list', {});
    if (i === 0) bytes = Buffer.byteLength(JSON.stringify(r));
  }
  const requests = {
    count: REQUESTS,
    seconds: +((performance.now() - r0) / 1000).toFixed(2),
    answerKB: +(bytes / 1024).toFixed(1),
    rssMB: { before: Math.round(rssBefore / 1e6), after: Math.round(process.memoryUsage().rss / 1e6) },
  };
  const status = (await core.call('controlRoom:get', {})) as {
    ok: boolean;
    value?: { status: { notices?: unknown[] } };
  };
  process.stdout.write(
    `${JSON.stringify({ before, afterStates, afterActions, afterCommands, requests, notices: status.value?.status.notices ?? null })}\n`,
  );
  await core.dispose();
  await broker.stop();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
