import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alarm } from '../../preload/contract';
import { AppError } from '../../main/errors';
import { EventBus } from '../../main/events';
import { channelNodeId } from '../../main/platforms/huawei-ivm/map';
import type { Platform } from '../../main/platforms/platform';
import type { AccountsService } from '../../main/services/accounts';
import { AlarmService } from '../../main/services/alarms';
import { AlarmDb } from '../../main/storage/alarm-db';
import { tempDir } from '../helpers/core';

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
  const first = new AlarmService(accounts, new EventBus(), dir);
  await first.refsFilled;
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
