import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControlRoomSettings, type Alarm } from '../../preload/contract';
import { ControlRoomLink } from '../../main/control-room/link';
import { newSeatKey } from '../../main/control-room/signing';
import { AppError } from '../../main/errors';
import { EventBus } from '../../main/events';
import { channelNodeId } from '../../main/platforms/huawei-ivm/map';
import type { Platform } from '../../main/platforms/platform';
import type { AccountsService } from '../../main/services/accounts';
import { AlarmService } from '../../main/services/alarms';
import { AlarmDb } from '../../main/storage/alarm-db';
import { startAlarmSeat, waitFor } from '../helpers/control-room';
import { tempDir } from '../helpers/core';
import { mosquittoBinary, startMosquitto } from '../helpers/mosquitto';

// Review F3: alarms kept by a build before pushes carried `channelRef` get it from their account's
// adapter at start, so playback and "send to seat" work on the history; an account that cannot be
// opened (a locked keychain) leaves its alarms as they were.

const kept = (accountId: string, n: number): Alarm => ({
  id: `${accountId}/${n}`,
  messageId: String(n),
  accountId,
  deviceId: `dev${n}`,
  channelId: '0',
  channelName: 'Gate',
  type: 'over_line_alarm',
  at: 1_700_000_000_000 + n,
  uuid: `u${n}`,
});

test('alarms kept without channelRef get it from their adapter, once, and keep it', async () => {
  const dir = tempDir('vigil-alarm-refs-');
  const seeded = new AlarmDb(dir);
  seeded.putAlarm(kept('acc_00000000000000a1', 1));
  seeded.putAlarm(kept('acc_00000000000000a1', 2));
  seeded.putAlarm(kept('acc_00000000000000b1', 3));
  seeded.putAlarm({ ...kept('acc_00000000000000a1', 4), channelRef: 'ch:other:9' });
  seeded.close();

  let opened = 0;
  const accounts = {
    platform: async (id: string) => {
      opened++;
      if (id === 'acc_00000000000000b1') throw new AppError('VAULT_UNAVAILABLE', 'The keychain is locked');
      return { pushAlarms: { channelRef: channelNodeId } } as unknown as Platform;
    },
  } as unknown as AccountsService;
  const events = new EventBus();
  const emitted: Alarm[] = [];
  events.subscribe((event, payload) => void (event === 'main:alarm' && emitted.push(payload as Alarm)));
  const first = new AlarmService(accounts, events, dir);
  await first.refsFilled;
  // Open windows get the filled alarms as updates (a list answered before the fill is not left behind).
  assert.deepEqual(emitted.map((a) => [a.id, a.channelRef]).sort(), [
    ['acc_00000000000000a1/1', 'ch:dev1:0'],
    ['acc_00000000000000a1/2', 'ch:dev2:0'],
  ]);
  const refs = Object.fromEntries(first.list().alarms.map((a) => [a.id, a.channelRef]));
  assert.deepEqual(refs, {
    'acc_00000000000000a1/1': 'ch:dev1:0',
    'acc_00000000000000a1/2': 'ch:dev2:0',
    'acc_00000000000000b1/3': undefined,
    'acc_00000000000000a1/4': 'ch:other:9',
  });
  assert.equal(opened, 2, 'each account with such alarms opened once');
  await first.closeAll();

  // Written back: the next start opens only the account it could not fill.
  opened = 0;
  const second = new AlarmService(accounts, new EventBus(), dir);
  await second.refsFilled;
  assert.equal(second.list().alarms.find((a) => a.id === 'acc_00000000000000a1/1')?.channelRef, 'ch:dev1:0');
  assert.equal(opened, 1);
  await second.closeAll();
});

test(
  "an alarm another seat on an older build shares (no channelRef) is named by this seat's adapter",
  { skip: mosquittoBinary() ? false : 'mosquitto is not installed (.ci/run installs it)' },
  async () => {
    const broker = await startMosquitto();
    const room = { brokerUrl: broker.url, site: 'upgrade' };
    let asked = 0;
    const accounts = {
      // Slow, as a keychain waiting to be unlocked: alarms arriving meanwhile share the one lookup.
      platform: async () => {
        asked++;
        await new Promise((r) => setTimeout(r, 500));
        return { pushAlarms: { channelRef: channelNodeId } } as unknown as Platform;
      },
    } as unknown as AccountsService;
    const older = new AlarmDb(tempDir('vigil-older-'));
    const link = new ControlRoomLink(older, {
      alarm: () => undefined,
      status: () => undefined,
      command: () => undefined,
    });
    const b = await startAlarmSeat('B', { accounts, room });
    try {
      await link.configure(
        ControlRoomSettings.parse({ enabled: true, seat: 'OLD', user: 'op-old', ...room }),
        null,
        newSeatKey(),
      );
      await waitFor('the older seat online', () => link.status().state === 'online');
      for (const n of [5, 6, 7]) {
        older.putAlarm(kept('acc_00000000000000a1', n));
        link.shareAlarm(`acc_00000000000000a1/${n}`);
      }
      const named = await waitFor('B names its channel', () =>
        b.alarms.find((a) => a.id === 'acc_00000000000000a1/7' && a.channelRef),
      );
      assert.equal(named.channelRef, 'ch:dev7:0');
      assert.equal(b.service.list().alarms.find((a) => a.id === named.id)?.channelRef, 'ch:dev7:0', 'kept');
      await waitFor('all three named', () => b.service.list().alarms.filter((a) => a.channelRef).length === 3);
      assert.equal(asked, 1, 'one adapter lookup for the account, however many alarms arrived meanwhile');
    } finally {
      await b.service.closeAll();
      await link.close();
      older.close();
      await broker.stop();
    }
  },
);
