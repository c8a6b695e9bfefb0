import { ControlRoomSetRequest, type Alarm, type SeatCommand } from '../../preload/contract';
import { EventBus } from '../../main/events';
import type { AccountsService } from '../../main/services/accounts';
import { AlarmService } from '../../main/services/alarms';
import { fileBackend } from '../../main/settings/file-backend';
import { Settings } from '../../main/settings/settings';
import { MemoryVault, tempDir } from './core';

// What the control-room integration tests share: a poller, and a seat as the app runs one
// (AlarmService on its own data folder, settings and vault, the control room configured).

/** The IVM account the control-room tests' alarms belong to. */
export const TEST_ACCOUNT = 'acc_00000000000000c1';

/** Alarm `n` of TEST_ACCOUNT as a seat's receiver stores it, at `at`. */
export function testAlarm(n: number | string, at = Date.now(), more: Partial<Alarm> = {}): Alarm {
  return {
    id: `${TEST_ACCOUNT}/${n}`,
    messageId: String(n),
    accountId: TEST_ACCOUNT,
    deviceId: 'dev',
    channelId: '0',
    channelRef: 'ch:dev:0',
    channelName: 'Gate',
    type: 'over_line_alarm',
    at,
    uuid: `u${n}`,
    ...more,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `get` every 50 ms until it gives a truthy value; throws naming `what` after `ms`. */
export async function waitFor<T>(what: string, get: () => T | undefined | null | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface AlarmSeat {
  name: string;
  dataDir: string;
  service: AlarmService;
  vault: MemoryVault;
  /** `main:alarm` and `main:seatCommand` events the seat emitted, in order. */
  alarms: Alarm[];
  commands: SeatCommand[];
}

export interface AlarmSeatOptions {
  /** Control-room settings beyond `enabled`, `seat` and `user: op-<seat>` (brokerUrl and site at least). */
  room: Record<string, unknown> & { brokerUrl: string; site: string };
  accounts?: AccountsService;
  dataDir?: string;
  /** AlarmService's test options (e.g. `{ pollEveryMs: 0 }`). */
  service?: ConstructorParameters<typeof AlarmService>[4];
  /** Wait until the seat's link is online (default true). */
  online?: boolean;
  /** The seat's event bus (to start more services on it, as the core does). */
  events?: EventBus;
}

/** Starts a seat named `name`; the caller closes it with `seat.service.closeAll()`. */
export async function startAlarmSeat(name: string, opts: AlarmSeatOptions): Promise<AlarmSeat> {
  const dataDir = opts.dataDir ?? tempDir(`vigil-seat-${name}-`);
  const events = opts.events ?? new EventBus();
  const alarms: Alarm[] = [];
  const commands: SeatCommand[] = [];
  events.subscribe((event, payload) => {
    if (event === 'main:alarm') alarms.push(payload as Alarm);
    if (event === 'main:seatCommand') commands.push(payload as SeatCommand);
  });
  const vault = new MemoryVault();
  const accounts = opts.accounts ?? ({ platform: async () => ({}) } as unknown as AccountsService);
  const service = new AlarmService(
    accounts,
    events,
    dataDir,
    { settings: new Settings(dataDir, fileBackend), vault },
    opts.service,
  );
  await service.ready;
  await service.setControlRoom(
    ControlRoomSetRequest.parse({ enabled: true, seat: name, user: `op-${name}`, ...opts.room }),
  );
  if (opts.online !== false) await waitFor(`${name} online`, () => service.link.status().state === 'online');
  return { name, dataDir, service, vault, alarms, commands };
}
