import type { ControlRoomLink } from '../../control-room/link';
import { log } from '../../log';
import type { Platform } from '../../platforms/platform';
import type { AccountsService } from '../accounts';
import type { AlarmHistory } from './history';
import type { PushReceivers } from './receivers';

const DAY = 86_400_000;
/** How often one seat lists an account's events (platforms that list rather than push). */
export const POLL_EVERY = 10_000;
/** Each poll reaches this far behind the last one too: an event the platform indexes late still comes (ids de-duplicate). */
const POLL_OVERLAP = 60_000;
/** The first poll of an account reaches this far back. */
const POLL_FIRST = 10 * 60_000;
/** After downtime a poll reaches back at most this far (days of "new" alarms at once help nobody). */
const POLL_CATCH_UP = DAY;

/**
 * Lists the events of every account whose platform lists them (Alibaba VCS) and keeps the new
 * ones as alarms. One member per account polls: the receiver claim IVM pushes use — another
 * online member holding it polls instead, and one whose claimant went offline takes over.
 */
export class EventPoller {
  private readonly timer: NodeJS.Timeout | null;
  private polling: Promise<number> | null = null;
  /** Accounts whose events this member lists (it holds their receiver claim). */
  private readonly polled = new Set<string>();

  constructor(
    private readonly deps: {
      accounts: AccountsService;
      history: AlarmHistory;
      link: ControlRoomLink;
      receivers: PushReceivers;
      /** Whether this member lists events (the control-room setting); read at every poll. */
      enabled: () => boolean;
      /** Settles once the control room is configured (a claim needs it). */
      ready: Promise<void>;
    },
    /** 0: no background poll (tests call poll() themselves). */
    every = POLL_EVERY,
  ) {
    this.timer = every > 0 ? setInterval(() => void this.poll().catch(() => undefined), every) : null;
    this.timer?.unref();
  }

  /** Answers how many alarms were new; one poll at a time (a second call shares the one running). */
  poll(now = Date.now()): Promise<number> {
    this.polling ??= this.run(now).finally(() => (this.polling = null));
    return this.polling;
  }

  private async run(now: number): Promise<number> {
    const { accounts, history, link } = this.deps;
    await this.deps.ready;
    if (!this.deps.enabled()) {
      this.release();
      return 0;
    }
    let added = 0;
    const records = accounts.records();
    // Accounts removed (or no longer listing events): their claims go, or no seat would list them.
    const listable = new Map<string, NonNullable<Platform['eventAlarms']>>();
    for (const account of records) {
      const ops = await accounts
        .platform(account.id)
        .then((p) => p.eventAlarms)
        .catch(() => undefined);
      if (ops) listable.set(account.id, ops);
    }
    this.release(new Set(listable.keys()));
    for (const account of records) {
      const ops = listable.get(account.id);
      if (!ops) continue;
      if (link.receiverElsewhere(account.id)) {
        this.polled.delete(account.id);
        continue;
      }
      if (!this.polled.has(account.id)) {
        this.polled.add(account.id);
        link.claimReceiver(account.id, true);
      }
      const cursor = `poll:${account.id}`;
      const last = Number(history.db.meta(cursor) ?? now - POLL_FIRST) - POLL_OVERLAP;
      const since = Math.max(last, now - POLL_CATCH_UP);
      if (since > last)
        log.warn(
          `events of ${account.id}: last listed ${new Date(last).toISOString()}; listing from ${new Date(since).toISOString()} (24 h) — earlier events are not brought in as alarms`,
        );
      try {
        for (const event of await ops.events(since, now)) {
          const { messageId, ...rest } = event;
          const id = `${account.id}/${messageId}`;
          if (history.stored(id)) continue;
          history.keep({ id, messageId, accountId: account.id, ...rest, ...this.deps.receivers.receipt() });
          added++;
        }
        history.db.setMeta(cursor, String(now));
      } catch (e) {
        log.warn(`events of ${account.id} not listed: ${(e as Error).message}`);
      }
    }
    return added;
  }

  /**
   * Gives up the receiver claims of accounts this member lists (all, or those not in `keep`): a
   * member holding a claim while online keeps every other member from listing that account's events.
   */
  release(keep?: ReadonlySet<string>): void {
    for (const id of this.polled) {
      if (keep?.has(id)) continue;
      this.polled.delete(id);
      if (!this.deps.receivers.has(id)) this.deps.link.claimReceiver(id, false);
    }
  }

  /** Stops the timer and waits for a poll under way. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.polling?.catch(() => undefined);
  }
}
