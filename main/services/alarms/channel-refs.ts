import type { Alarm } from '../../../preload/contract';
import type { EventBus } from '../../events';
import { log } from '../../log';
import type { PushAlarmOps } from '../../platforms/platform';
import type { AlarmDb } from '../../storage/alarm-db';
import type { AccountsService } from '../accounts';

/**
 * Names alarms' channels: alarms kept from builds before main set `channelRef` (all Huawei IVM
 * pushes), or shared by a seat still on one, get it from their account's adapter and keep it, so
 * playback and "send to seat" work on them (the renderer no longer builds vendor ids); each filled
 * alarm goes to the windows again. An account that cannot be opened now (a locked keychain, an
 * account removed) leaves its alarms as they were; the next start tries again.
 */
export class ChannelNamer {
  /** Per account, its adapter's alarm operations as first asked this run (null: not available). */
  private readonly namers = new Map<string, Promise<PushAlarmOps | null>>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly db: AlarmDb,
    private readonly events: EventBus,
  ) {}

  async fill(missing = this.db.withoutChannelRef()): Promise<void> {
    for (const accountId of new Set(missing.map((a) => a.accountId))) {
      const ops = await this.namer(accountId);
      if (!ops) continue;
      for (const a of missing) {
        if (a.accountId !== accountId) continue;
        this.db.setChannelRef(a.id, ops.channelRef(a.deviceId, a.channelId));
        const filled = this.db.get(a.id);
        if (filled) this.events.emit('main:alarm', filled);
      }
    }
  }

  /** Asked once per account per run, shared by lookups in flight: a locked keychain is not asked per alarm. */
  private namer(accountId: string): Promise<PushAlarmOps | null> {
    let ops = this.namers.get(accountId);
    if (!ops) {
      ops = Promise.resolve()
        .then(() => this.accounts.platform(accountId))
        .then(
          (p) => p.pushAlarms ?? null,
          () => null,
        );
      this.namers.set(accountId, ops);
    }
    return ops;
  }

  /** An alarm as the control room stored it, to every window (and again once its channel is named). */
  shown(alarm: Alarm): void {
    this.events.emit('main:alarm', alarm);
    if (!alarm.channelRef)
      void this.fill([alarm]).catch((e: Error) => log.warn(`alarm channel not named: ${e.message}`));
  }
}
