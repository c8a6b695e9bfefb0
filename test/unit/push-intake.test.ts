import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { test } from 'node:test';
import { PushIntake, SIGNATURE_WINDOW_MS, type KnownAlarm } from '../../main/net/push-intake';
import { readPush, signatureOf } from '../../main/platforms/huawei-ivm/push';
import type { PushedAlarm } from '../../main/platforms/platform';
import { tempDir } from '../helpers/core';

// What the alarm receiver does with signed IVM pushes, on a clock of our own: a signature is good
// for its second and the platform's wait, a message id is kept once per body, a storm is set aside.

const headers = (ts: number) => ({ 'x-ivm-timestamp': String(ts), 'x-ivm-signature': `sig-${ts}` });
const body = (id: number, type = 'over_line_alarm') =>
  Buffer.from(
    `{"message_id": 16760218519659${String(id).padStart(5, '0')}, "message_type": "device_alarm", "data": {"device_id": "D1", "channel_id": "0", "channel_name": "Gate", "alarm_type": "${type}", "alarm_time": "2026-11-23T08:00:00+08:00", "alarm_uuid": "D1_0_${type}_${id}"}}`,
  );

function intake(rate?: { burst: number; perSecond: number }) {
  let now = 1_800_000_000_000;
  const kept = new Map<string, KnownAlarm>();
  const notices: string[] = [];
  const file = path.join(tempDir(), 'aside.jsonl');
  const i = new PushIntake({
    ops: { signatureOf, readPush },
    known: (id) => kept.get(id),
    keep: (a: PushedAlarm, suspect) => void kept.set(a.messageId, { ...a, suspect }),
    flag: (id) => void kept.set(id, { ...kept.get(id)!, suspect: true }),
    setAsideFile: file,
    notice: (code) => void notices.push(code),
    log: () => undefined,
    ...(rate ? { rate } : {}),
    clock: () => now,
    wallClock: () => now,
  });
  return { i, kept, notices, file, advance: (ms: number) => (now += ms), now: () => now };
}

test('a signature carries any number of pushes within its window and none after it', () => {
  const { i, advance, now } = intake();
  const ts = Math.floor(now() / 1000);
  for (let n = 0; n < 200; n++) assert.equal(i.checkSignatureWindow(headers(ts)), null, 'one busy second');
  advance(SIGNATURE_WINDOW_MS - 1);
  assert.equal(i.checkSignatureWindow(headers(ts)), null, 'a push the platform still waits for');
  advance(2);
  assert.match(i.checkSignatureWindow(headers(ts)) ?? '', /replay/);
  assert.equal(i.checkSignatureWindow(headers(ts + 11)), null, 'the next second’s signature');
  i.close();
});

test('the same message id: a duplicate is dropped, other content is kept beside it and both are flagged', async () => {
  const { i, kept, notices } = intake();
  const h = headers(1);
  assert.equal(await i.accept(body(1), h), 200);
  assert.equal(await i.accept(body(1), h), 200);
  assert.equal(await i.accept(body(1, 'forged'), h), 200);
  assert.equal(await i.accept(body(1, 'forged'), h), 200);
  assert.equal(await i.accept(body(1, 'another'), h), 200);
  await i.settled();
  assert.deepEqual(
    [...kept.values()].map((a) => [a.messageId.slice(-7), a.type, a.suspect]),
    [
      ['5900001', 'over_line_alarm', true],
      ['00001-2', 'forged', true],
      ['00001-3', 'another', true],
    ],
  );
  assert.deepEqual([i.received, i.duplicates, i.suspect], [5, 2, 2]);
  assert.deepEqual(notices, ['notice.alarmPushSuspect'], 'told once, then counted');
  i.close();
});

test('past the rate, alarms are set aside in the file (answered all the same); the budget refills', async () => {
  const { i, kept, notices, file, advance } = intake({ burst: 10, perSecond: 2 });
  for (let n = 0; n < 15; n++) assert.equal(await i.accept(body(n), headers(1)), 200);
  await i.settled();
  assert.equal(kept.size, 10);
  assert.equal(i.setAside, 5);
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(lines.length, 5);
  assert.equal((JSON.parse(lines[0]!) as { why: string }).why, 'over the rate');
  assert.deepEqual(notices, ['notice.alarmPushesSetAside']);
  advance(1000);
  void i.accept(body(100), headers(2));
  void i.accept(body(101), headers(2));
  void i.accept(body(102), headers(2));
  await i.settled();
  assert.equal(kept.size, 12, 'two a second');
  i.close();
});

test('a push is answered once its alarm is shared, not before; a duplicate at once', async () => {
  const file = path.join(tempDir(), 'aside.jsonl');
  const kept = new Map<string, KnownAlarm>();
  let share: () => void = () => undefined;
  const i = new PushIntake({
    ops: { signatureOf, readPush },
    known: (id) => kept.get(id),
    keep: (a: PushedAlarm) => {
      kept.set(a.messageId, a);
      return new Promise<void>((resolve) => (share = () => resolve()));
    },
    flag: () => undefined,
    setAsideFile: file,
    notice: () => undefined,
    log: () => undefined,
    answerWithinMs: 10_000,
  });
  let answered: number | null = null;
  const first = i.accept(body(1), headers(1)).then((s) => (answered = s));
  await i.settled();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(kept.size, 1, 'kept');
  assert.equal(answered, null, 'not answered while the broker has not acknowledged it');
  share();
  assert.equal(await first, 200);
  assert.equal(await i.accept(body(1), headers(1)), 200, 'a duplicate needs no sharing');
  i.close();
});

test('a push whose alarm is never shared is answered all the same after answerWithinMs', async () => {
  const i = new PushIntake({
    ops: { signatureOf, readPush },
    known: () => undefined,
    keep: () => new Promise<void>(() => undefined),
    flag: () => undefined,
    setAsideFile: path.join(tempDir(), 'aside.jsonl'),
    notice: () => undefined,
    log: () => undefined,
    answerWithinMs: 50,
  });
  const started = Date.now();
  assert.equal(await i.accept(body(7), headers(1)), 200);
  const took = Date.now() - started;
  assert.ok(took >= 45 && took < 2_000, `answered after ${took} ms`);
  i.close();
});
