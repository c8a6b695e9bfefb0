import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { EventBus } from '../../main/events';
import { checkSignature, readPush, signatureOf } from '../../main/platforms/huawei-ivm/push';
import type { Platform } from '../../main/platforms/platform';
import type { AccountsService } from '../../main/services/accounts';
import { AlarmService } from '../../main/services/alarms';
import { freePort } from '../emulators/media/simulator';
import { tempDir } from '../helpers/core';

// A receiver standing by with an account's shared push key (an agent behind a failover proxy)
// over real loopback HTTP: it verifies and keeps what it is handed without registering; taking
// over promotes the same listener (registered once, with the shared key); giving the account up
// again leaves it listening; stopping a standby leaves the receiving member's registration alone.

const ACCOUNT = 'acc_00000000000000b1';
const KEY = 'shared-Key_0123456';

function stubAccounts() {
  const calls: string[] = [];
  const pushAlarms = {
    registration: async () => ({ url: 'the receiving member’s', updated: '' }),
    register: async (url: string, key: string) => void calls.push(`register ${url} ${key === KEY ? 'shared' : 'own'}`),
    unregister: async () => void calls.push('unregister'),
    picture: async () => null,
    checkHeaders: (headers: Record<string, string>, url: string, key: string, now: number) => {
      const sig = checkSignature(headers, url, key, now);
      return sig.ok ? null : sig.reason;
    },
    signatureOf,
    readPush,
  };
  const accounts = {
    platform: async () => ({ pushAlarms }) as unknown as Platform,
    records: () => [{ id: ACCOUNT, name: 'HQ cameras' }],
  } as unknown as AccountsService;
  return { accounts, calls };
}

const body = (id: number) =>
  `{"message_id": 167602185196593${String(id).padStart(4, '0')}, "message_type": "device_alarm", "data": {"device_id": "21A0123456SMY01", "channel_id": "0", "channel_name": "大门", "alarm_type": "over_line_alarm", "alarm_time": "2026-11-23T08:00:00+08:00", "alarm_uuid": "21A0123456SMY01_0_over_line_alarm_sb${id}"}}`;

test('a standby keeps what it is handed, is promoted on the same listener, and stands by again when it yields', async () => {
  const port = await freePort();
  const url = `https://alarms.example/ivm`; // the proxy's URL, which the platform signs
  const { accounts, calls } = stubAccounts();
  const service = new AlarmService(accounts, new EventBus(), tempDir());
  const post = (id: number, key = KEY) => {
    const ts = Math.floor(Date.now() / 1000);
    const signature = createHash('sha256').update(`${url}|${ts}|${key}`).digest('hex');
    return fetch(`http://127.0.0.1:${port}/push`, {
      method: 'POST',
      headers: { 'X-Ivm-Timestamp': String(ts), 'X-Ivm-Signature': signature, 'Content-Type': 'application/json' },
      body: body(id),
    }).then((r) => r.status);
  };
  try {
    await service.ready;
    assert.equal(await service.receivers.standBy(ACCOUNT, url, port, undefined, KEY), true);
    assert.equal(await service.receivers.standBy(ACCOUNT, url, port, undefined, KEY), false, 'already standing by');
    assert.deepEqual(service.receivers.standingBy(), [ACCOUNT]);
    assert.deepEqual(service.receivers.running(), []);
    assert.equal((await service.state(ACCOUNT)).running, false);

    assert.equal(await post(1), 200);
    assert.equal(await post(2, 'another-key-123456'), 401, 'verified with the shared key');
    await service.receivers.settled();
    assert.deepEqual(
      service.list().alarms.map((a) => a.uuid.slice(-3)),
      ['sb1'],
    );
    assert.deepEqual(calls, [], 'a standby registers nothing');

    // Taking over: the same listener (no EADDRINUSE), registered once with the shared key.
    const state = await service.start(ACCOUNT, url, port, undefined, KEY);
    assert.equal(state.running, true);
    assert.deepEqual(calls, [`register ${url} shared`]);
    assert.deepEqual(service.receivers.standingBy(), []);
    assert.equal(await post(3), 200);

    // Another member's claim won: standing by again, still keeping what arrives.
    await service.receivers.yieldTo(ACCOUNT, 'agent-2');
    assert.deepEqual(service.receivers.standingBy(), [ACCOUNT]);
    assert.equal(service.receivers.has(ACCOUNT), false);
    assert.equal(await post(4), 200);
    await service.receivers.settled();
    assert.equal(service.list().alarms.length, 3);

    // Stopping a standby leaves the receiving member's registration alone.
    await service.stop(ACCOUNT);
    assert.deepEqual(calls, [`register ${url} shared`]);
    assert.equal(await post(5).catch(() => 'closed'), 'closed');
  } finally {
    await service.closeAll();
  }
});
