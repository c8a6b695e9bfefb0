import type { Alarm } from '../../../preload/contract';
import type { ControlRoomLink } from '../../control-room/link';
import { AppError } from '../../errors';
import type { EventBus } from '../../events';
import { log } from '../../log';
import { AlarmDb } from '../../storage/alarm-db';

type Page = { alarms: Alarm[]; next: string | null; unacknowledged: number };

/**
 * The alarm history as a seat or an agent keeps it: the database, and the alarms the disk refused
 * (listed from memory until a later write succeeds). Unacknowledged alarms are never dropped.
 */
export class AlarmHistory {
  readonly db: AlarmDb;
  /** Alarms the disk refused: listed until a later write succeeds. */
  private readonly unsaved = new Map<string, Alarm>();
  /** When the last alarm of this member's own sources was kept (null: none this run). */
  lastKeptAt: number | null = null;
  /** Receipt times of the last minute's alarms (this member's own sources), for the rate. */
  private readonly recent: number[] = [];

  constructor(
    dataDir: string,
    private readonly link: () => ControlRoomLink,
    private readonly events: EventBus,
  ) {
    this.db = new AlarmDb(dataDir);
  }

  /** The unreadable history file moved aside at start, if any. */
  get setAside(): string | null {
    return this.db.setAside;
  }

  /** An alarm kept here or waiting for the disk. */
  stored(id: string): Alarm | undefined {
    return this.db.get(id) ?? this.unsaved.get(id);
  }

  /**
   * A new alarm of this member's own sources: on disk, shared with the other members, shown.
   * Answers 500 when the disk refused it (it is listed from memory all the same, and written with
   * the next one that succeeds).
   */
  keep(alarm: Alarm, now = Date.now()): number {
    let status = 200;
    let shown = alarm;
    this.lastKeptAt = now;
    this.recent.push(now);
    while (this.recent.length && this.recent[0]! < now - 60_000) this.recent.shift();
    try {
      for (const [uid, u] of this.unsaved) {
        this.db.putAlarm(u); // the disk is back: what it refused goes first
        this.unsaved.delete(uid);
      }
      shown = this.db.putAlarm(alarm);
      this.link().shareAlarm(alarm.id);
    } catch (e) {
      // Shown all the same, and listed until a later write succeeds.
      log.error(`alarm ${alarm.id} could not be written to disk: ${(e as Error).message}`);
      this.unsaved.set(alarm.id, { ...alarm, state: 'new' });
      status = 500;
    }
    this.events.emit('main:alarm', shown);
    return status;
  }

  /** Alarms this member's own sources kept in the last minute. */
  perMinute(now = Date.now()): number {
    while (this.recent.length && this.recent[0]! < now - 60_000) this.recent.shift();
    return this.recent.length;
  }

  list(): { alarms: Alarm[] } {
    const listed = this.db.list();
    if (this.unsaved.size === 0) return { alarms: listed };
    const ids = new Set(listed.map((a) => a.id));
    const extra = [...this.unsaved.values()].filter((a) => !ids.has(a.id));
    return { alarms: [...extra, ...listed].sort((a, b) => b.at - a.at) };
  }

  /** One page of the history for a window (newest first); alarms the disk refused lead the first page. */
  page(cursor?: string, limit?: number): Page {
    let page: { alarms: Alarm[]; next: string | null };
    try {
      page = this.db.page(cursor, limit);
    } catch (e) {
      throw new AppError('VALIDATION', (e as Error).message);
    }
    if (!cursor && this.unsaved.size) {
      const ids = new Set(page.alarms.map((a) => a.id));
      const extra = [...this.unsaved.values()].filter((a) => !ids.has(a.id));
      page = { ...page, alarms: [...extra, ...page.alarms].sort((a, b) => b.at - a.at) };
    }
    return { ...page, unacknowledged: this.unacknowledged() };
  }

  unacknowledged(): number {
    return this.db.unacknowledged() + this.unsaved.size;
  }

  /** Deletes what is past the retention here, and its retained state on the broker. */
  prune(retentionDays: number): void {
    try {
      const removed = this.db.prune(retentionDays);
      if (removed.length) log.info(`alarm history: ${removed.length} alarm(s) past the retention period deleted`);
      this.link().forget(removed);
    } catch (e) {
      log.warn(`alarm history not pruned: ${(e as Error).message}`);
    }
  }

  close(): void {
    this.db.close();
  }
}
