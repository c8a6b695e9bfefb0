import fs from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import { Alarm, AlarmAction, SeatCommand } from '../../preload/contract';
import { lifecycle, platformFields, withLifecycle } from '../control-room/lifecycle';
import { CLOCK_SKEW } from '../control-room/signing';
import { log } from '../log';

/** Closed (or acknowledged) alarms listed besides every open one. */
export const KEEP_LISTED = 500;
/** Alarms one page of `alarms:list` carries unless asked for fewer. */
export const PAGE_SIZE = 200;
/** How long an action for an alarm not (yet) here is kept waiting for it. */
export const ORPHAN_TTL = 86_400_000;
export const DB_FILE = 'alarms.sqlite';
/** How long a command from another seat waits for a window here (seats' clocks agree far closer than this). */
export const COMMAND_TTL = 10 * 60_000;
/** A command still worth carrying out: kept here, and sent, within COMMAND_TTL. */
export function commandFresh(keptAt: number, sentAt: number, now: number): boolean {
  return now - keptAt <= COMMAND_TTL && now - sentAt <= COMMAND_TTL;
}

export interface OutboxRow {
  seq: number;
  topic: string;
  payload: string;
  retain: boolean;
}

export interface AuditRow {
  at: number;
  event: 'received' | AlarmAction['kind'];
  alarmId: string;
  camera: string;
  type: string;
  seat: string;
  user: string;
  to: string;
  note: string;
}

/**
 * Each seat's own history (SQLite in the data folder, through libsql's N-API binding): every
 * alarm, every action on it (the audit trail, keyed by action id so a duplicate is a no-op), the
 * messages waiting for the broker, and the commands already carried out. Writes are synchronous:
 * an alarm is on disk before the platform's push is answered, an action before it is queued.
 */
export class AlarmDb {
  private readonly db: Database.Database;
  private readonly statements: ReturnType<AlarmDb['prepare']>;

  /** Where a database SQLite could not read was moved (the app starts on a fresh one and says so). */
  readonly setAside: string | null = null;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, DB_FILE);
    try {
      this.db = AlarmDb.open(file);
    } catch (e) {
      // A damaged file (disk fault, a copy cut short) must not keep the app from starting: it is
      // moved aside whole — with its WAL — for whoever wants to recover it, and a fresh one begins.
      if (!/not a database|malformed|corrupt|SQLITE_NOTADB|SQLITE_CORRUPT/i.test(String((e as Error).message))) throw e;
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      for (const ext of ['', '-wal', '-shm']) if (fs.existsSync(file + ext)) fs.renameSync(file + ext, aside + ext);
      log.warn(
        `alarm history: ${file} could not be read (${(e as Error).message}); moved to ${aside}, starting afresh`,
      );
      this.setAside = aside;
      this.db = AlarmDb.open(file);
    }
    this.statements = this.prepare();
    this.importJournal(dataDir);
  }

  private static open(file: string): Database.Database {
    const db = new Database(file);
    try {
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 2000;');
      AlarmDb.createTables(db);
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private static createTables(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS alarms (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL,
        state TEXT NOT NULL, updated_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS alarms_state_at ON alarms(state, at);
      CREATE TABLE IF NOT EXISTS actions (
        id TEXT PRIMARY KEY, alarm_id TEXT NOT NULL, kind TEXT NOT NULL, seat TEXT NOT NULL, user TEXT NOT NULL,
        at INTEGER NOT NULL, to_whom TEXT, note TEXT);
      CREATE INDEX IF NOT EXISTS actions_alarm ON actions(alarm_id);
      CREATE TABLE IF NOT EXISTS outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, payload TEXT NOT NULL, retain INTEGER NOT NULL,
        key TEXT UNIQUE);
      CREATE TABLE IF NOT EXISTS commands_done (id TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS commands_pending (id TEXT PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS orphan_actions (
        id TEXT PRIMARY KEY, alarm_id TEXT NOT NULL, kind TEXT NOT NULL, seat TEXT NOT NULL, user TEXT NOT NULL,
        at INTEGER NOT NULL, to_whom TEXT, note TEXT, sig TEXT, kept_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS orphan_actions_alarm ON orphan_actions(alarm_id);
      CREATE INDEX IF NOT EXISTS orphan_actions_seat ON orphan_actions(seat);
      CREATE TABLE IF NOT EXISTS seat_keys (
        site TEXT NOT NULL, seat TEXT NOT NULL, key TEXT NOT NULL, first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL, PRIMARY KEY (site, seat));
    `);
    // Columns later versions added to tables earlier ones made.
    const has = (table: string, column: string) =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).some((c) => c.name === column);
    if (!has('actions', 'sig')) db.exec('ALTER TABLE actions ADD COLUMN sig TEXT');
    // The seat an alarm came from through the broker (null: this seat's own receiver or poll).
    if (!has('alarms', 'from_seat')) db.exec('ALTER TABLE alarms ADD COLUMN from_seat TEXT');
    db.exec(`
      CREATE INDEX IF NOT EXISTS alarms_from ON alarms(from_seat, state);
      CREATE INDEX IF NOT EXISTS alarms_at_id ON alarms(at, id);
    `);
  }

  private prepare() {
    const db = this.db;
    return {
      alarm: db.prepare('SELECT body FROM alarms WHERE id = ?'),
      putAlarm: db.prepare(
        `INSERT INTO alarms (id, account_id, at, body, state, updated_at, from_seat) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET account_id = excluded.account_id, at = excluded.at, body = excluded.body,
         state = excluded.state, updated_at = excluded.updated_at, from_seat = excluded.from_seat`,
      ),
      alarmAt: db.prepare('SELECT at FROM alarms WHERE id = ?'),
      setState: db.prepare('UPDATE alarms SET state = ?, updated_at = ? WHERE id = ?'),
      actions: db.prepare('SELECT * FROM actions WHERE alarm_id = ?'),
      actionsOfMany: db.prepare('SELECT * FROM actions WHERE alarm_id IN (SELECT value FROM json_each(?))'),
      putAction: db.prepare(
        'INSERT OR IGNORE INTO actions (id, alarm_id, kind, seat, user, at, to_whom, note, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      putOrphan: db.prepare(
        `INSERT OR IGNORE INTO orphan_actions (id, alarm_id, kind, seat, user, at, to_whom, note, sig, kept_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      orphansFor: db.prepare('SELECT * FROM orphan_actions WHERE alarm_id = ?'),
      dropOrphans: db.prepare('DELETE FROM orphan_actions WHERE alarm_id = ?'),
      orphansOf: db.prepare('SELECT COUNT(*) AS n FROM orphan_actions WHERE seat = ?'),
      orphanCount: db.prepare('SELECT COUNT(*) AS n FROM orphan_actions'),
      actionCount: db.prepare('SELECT COUNT(*) AS n FROM actions WHERE alarm_id = ?'),
      newFrom: db.prepare("SELECT COUNT(*) AS n FROM alarms WHERE from_seat = ? AND state = 'new'"),
      newFromBroker: db.prepare("SELECT COUNT(*) AS n FROM alarms WHERE from_seat IS NOT NULL AND state = 'new'"),
      newFromSince: db.prepare(
        "SELECT COUNT(*) AS n FROM alarms WHERE from_seat = ? AND state = 'new' AND updated_at >= ?",
      ),
      newFromBrokerSince: db.prepare(
        "SELECT COUNT(*) AS n FROM alarms WHERE from_seat IS NOT NULL AND state = 'new' AND updated_at >= ?",
      ),
      pendingFrom: db.prepare("SELECT COUNT(*) AS n FROM commands_pending WHERE json_extract(body, '$.from.seat') = ?"),
      pendingCount: db.prepare('SELECT COUNT(*) AS n FROM commands_pending'),
      firstPage: db.prepare('SELECT body, id, at FROM alarms ORDER BY at DESC, id DESC LIMIT ?'),
      page: db.prepare(
        'SELECT body, id, at FROM alarms WHERE at < ? OR (at = ? AND id < ?) ORDER BY at DESC, id DESC LIMIT ?',
      ),
      pins: db.prepare('SELECT seat, key, first_seen, last_seen FROM seat_keys WHERE site = ? ORDER BY seat'),
      pin: db.prepare(
        `INSERT INTO seat_keys (site, seat, key, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(site, seat) DO UPDATE SET last_seen = excluded.last_seen WHERE key = excluded.key`,
      ),
      unpin: db.prepare('DELETE FROM seat_keys WHERE site = ? AND seat = ?'),
      open: db.prepare("SELECT body, id FROM alarms WHERE state != 'closed' ORDER BY at DESC, rowid DESC"),
      closed: db.prepare("SELECT body, id FROM alarms WHERE state = 'closed' ORDER BY at DESC, rowid DESC LIMIT ?"),
      unacknowledged: db.prepare("SELECT COUNT(*) AS n FROM alarms WHERE state = 'new'"),
      newIds: db.prepare("SELECT id FROM alarms WHERE state = 'new'"),
      enqueue: db.prepare(
        `INSERT INTO outbox (topic, payload, retain, key) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET payload = excluded.payload`,
      ),
      outbox: db.prepare('SELECT seq, topic, payload, retain FROM outbox WHERE seq > ? ORDER BY seq'),
      sent: db.prepare('DELETE FROM outbox WHERE seq = ? AND payload = ?'),
      queued: db.prepare('SELECT COUNT(*) AS n FROM outbox'),
      commandDone: db.prepare('INSERT OR IGNORE INTO commands_done (id, at) VALUES (?, ?)'),
      keepCommand: db.prepare('INSERT OR IGNORE INTO commands_pending (id, at, body) VALUES (?, ?, ?)'),
      pendingCommands: db.prepare('SELECT id, at, body FROM commands_pending ORDER BY at, id'),
      dropCommand: db.prepare('DELETE FROM commands_pending WHERE id = ?'),
      meta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    };
  }

  private depth = 0;
  /** One transaction (libsql's own does not nest: an inner call joins the outer one). */
  private tx(fn: () => void): void {
    if (this.depth > 0) return fn();
    this.depth++;
    this.db.exec('BEGIN');
    try {
      fn();
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    } finally {
      this.depth--;
    }
  }

  close(): void {
    this.db.close();
  }

  private actionsOf(id: string): AlarmAction[] {
    return (this.statements.actions.all(id) as ActionRow[]).map(toAction);
  }

  private full(body: string, id: string): Alarm {
    return withLifecycle(JSON.parse(body) as Alarm, this.actionsOf(id));
  }

  /** Many alarms with their actions read in one query (a page is one query, not one per row). */
  private fullMany(rows: ReadonlyArray<{ body: string; id: string }>): Alarm[] {
    if (rows.length === 0) return [];
    const byAlarm = new Map<string, AlarmAction[]>();
    for (const r of this.statements.actionsOfMany.all(JSON.stringify(rows.map((x) => x.id))) as ActionRow[]) {
      const list = byAlarm.get(r.alarm_id);
      if (list) list.push(toAction(r));
      else byAlarm.set(r.alarm_id, [toAction(r)]);
    }
    return rows.map((r) => withLifecycle(JSON.parse(r.body) as Alarm, byAlarm.get(r.id) ?? []));
  }

  get(id: string): Alarm | undefined {
    const row = this.statements.alarm.get(id) as { body: string } | undefined;
    return row ? this.full(row.body, id) : undefined;
  }

  actions(id: string): AlarmAction[] {
    return this.actionsOf(id).sort((a, b) => a.at - b.at);
  }

  /**
   * Keeps (or replaces) the platform's alarm; its actions stay with it. `from` is the seat that
   * shared it through the broker (absent: this seat took it itself). Actions that came before
   * it join it now, unless dated before it (beyond clock skew).
   */
  putAlarm(alarm: Alarm, now = Date.now(), from: string | null = null): Alarm {
    const body = platformFields(alarm);
    this.tx(() => {
      const waiting = (this.statements.orphansFor.all(alarm.id) as ActionRow[]).map(toAction);
      if (waiting.length) {
        this.statements.dropOrphans.run(alarm.id);
        for (const a of waiting) if (a.at >= alarm.at - CLOCK_SKEW) this.insertAction(a);
      }
      const state = lifecycle(this.actionsOf(alarm.id)).state;
      this.statements.putAlarm.run(alarm.id, alarm.accountId, alarm.at, JSON.stringify(body), state, now, from);
    });
    return this.get(alarm.id)!;
  }

  private insertAction(a: AlarmAction): boolean {
    const r = this.statements.putAction.run(
      a.id,
      a.alarmId,
      a.kind,
      a.seat,
      a.user,
      a.at,
      a.to ?? null,
      a.note ?? null,
      a.sig ?? null,
    );
    return r.changes > 0;
  }

  /**
   * Records actions (known ids are skipped) and answers the alarms they changed. An action on an
   * alarm not yet here is kept: it counts once the alarm arrives.
   */
  applyActions(actions: readonly AlarmAction[], now = Date.now()): Alarm[] {
    const touched = new Set<string>();
    this.tx(() => {
      for (const a of actions) {
        if (!this.statements.alarmAt.get(a.alarmId)) {
          // Kept apart (and bounded by the caller, pruned after ORPHAN_TTL) until its alarm comes.
          this.statements.putOrphan.run(
            a.id,
            a.alarmId,
            a.kind,
            a.seat,
            a.user,
            a.at,
            a.to ?? null,
            a.note ?? null,
            a.sig ?? null,
            now,
          );
          continue;
        }
        if (this.insertAction(a)) touched.add(a.alarmId);
      }
      for (const id of touched) this.statements.setState.run(lifecycle(this.actionsOf(id)).state, now, id);
    });
    return [...touched].map((id) => this.get(id)).filter((a): a is Alarm => !!a);
  }

  /** Every alarm not closed, then the newest closed ones; newest first. */
  list(): Alarm[] {
    const rows = [
      ...(this.statements.open.all() as Array<{ body: string; id: string }>),
      ...(this.statements.closed.all(KEEP_LISTED) as Array<{ body: string; id: string }>),
    ];
    return this.fullMany(rows).sort((a, b) => b.at - a.at);
  }

  /**
   * One page of every alarm kept, newest first (time, then id: a cursor never skips or repeats
   * one). `cursor` is the `next` of the page before; null `next` on the last page.
   */
  page(cursor?: string, limit = PAGE_SIZE): { alarms: Alarm[]; next: string | null } {
    const after = cursor ? readCursor(cursor) : null;
    const rows = (
      after
        ? this.statements.page.all(after.at, after.at, after.id, limit + 1)
        : this.statements.firstPage.all(limit + 1)
    ) as Array<{ body: string; id: string; at: number }>;
    const more = rows.length > limit;
    const kept = rows.slice(0, limit);
    const last = kept[kept.length - 1];
    return {
      alarms: this.fullMany(kept),
      next: more && last ? writeCursor(Number(last.at), last.id) : null,
    };
  }

  /** Unacknowledged alarms that came through the broker since `sinceMs`: from `seat`, and in all. */
  newSince(seat: string, sinceMs: number): { fromSeat: number; fromBroker: number } {
    const n = (s: Database.Statement, ...args: unknown[]) => Number((s.get(...args) as { n: number }).n);
    return {
      fromSeat: n(this.statements.newFromSince, seat, sinceMs),
      fromBroker: n(this.statements.newFromBrokerSince, sinceMs),
    };
  }

  /** How many of what came through the broker is kept (the link bounds each, per member and in total). */
  counts(seat: string): {
    newFromSeat: number;
    newFromBroker: number;
    orphansOfSeat: number;
    orphans: number;
    pendingFromSeat: number;
    pending: number;
  } {
    const n = (s: Database.Statement, ...args: unknown[]) => Number((s.get(...args) as { n: number }).n);
    const st = this.statements;
    return {
      newFromSeat: n(st.newFrom, seat),
      newFromBroker: n(st.newFromBroker),
      orphansOfSeat: n(st.orphansOf, seat),
      orphans: n(st.orphanCount),
      pendingFromSeat: n(st.pendingFrom, seat),
      pending: n(st.pendingCount),
    };
  }

  /** Actions recorded on one alarm. */
  actionCount(alarmId: string): number {
    return Number((this.statements.actionCount.get(alarmId) as { n: number }).n);
  }

  /** The alarm's time, or null when it is not here. */
  alarmAt(id: string): number | null {
    const row = this.statements.alarmAt.get(id) as { at: number } | undefined;
    return row ? Number(row.at) : null;
  }

  /** The members' public keys pinned for a site. */
  pins(site: string): Array<{ seat: string; key: string; firstSeen: number; lastSeen: number }> {
    return (
      this.statements.pins.all(site) as Array<{ seat: string; key: string; first_seen: number; last_seen: number }>
    ).map((r) => ({ seat: r.seat, key: r.key, firstSeen: Number(r.first_seen), lastSeen: Number(r.last_seen) }));
  }

  /** Pins a member's key (first sight), or notes it was seen again; another key for a pinned member changes nothing. */
  pin(site: string, seat: string, key: string, now = Date.now()): void {
    this.statements.pin.run(site, seat, key, now, now);
  }

  unpin(site: string, seat: string): boolean {
    return this.statements.unpin.run(site, seat).changes > 0;
  }

  /** Alarms kept without `channelRef` (written by builds before pushes carried it): id, account, device, channel. */
  withoutChannelRef(): Array<{ id: string; accountId: string; deviceId: string; channelId: string }> {
    const rows = this.db
      .prepare("SELECT body FROM alarms WHERE json_extract(body, '$.channelRef') IS NULL")
      .all() as Array<{ body: string }>;
    return rows.map((r) => {
      const a = JSON.parse(r.body) as Alarm;
      return { id: a.id, accountId: a.accountId, deviceId: a.deviceId, channelId: a.channelId };
    });
  }

  setChannelRef(id: string, channelRef: string): void {
    this.db.prepare("UPDATE alarms SET body = json_set(body, '$.channelRef', ?) WHERE id = ?").run(channelRef, id);
  }

  unacknowledged(): number {
    return Number((this.statements.unacknowledged.get() as { n: number }).n);
  }

  newIds(): string[] {
    return (this.statements.newIds.all() as Array<{ id: string }>).map((r) => r.id);
  }

  /**
   * Retention: alarms someone acknowledged whose time is older than `days`, with their actions,
   * are deleted (answered, so the broker's retained copy can go too). Unacknowledged alarms stay
   * whatever their age.
   */
  prune(days: number, now = Date.now()): Array<{ id: string; accountId: string; messageId: string }> {
    const before = now - days * 86_400_000;
    const removed: Array<{ id: string; accountId: string; messageId: string }> = [];
    this.tx(() => {
      const rows = this.db.prepare("SELECT id, body FROM alarms WHERE state != 'new' AND at < ?").all(before) as Array<{
        id: string;
        body: string;
      }>;
      for (const r of rows) {
        const a = JSON.parse(r.body) as Alarm;
        removed.push({ id: r.id, accountId: a.accountId, messageId: a.messageId });
      }
      this.db
        .prepare("DELETE FROM actions WHERE alarm_id IN (SELECT id FROM alarms WHERE state != 'new' AND at < ?)")
        .run(before);
      this.db.prepare("DELETE FROM alarms WHERE state != 'new' AND at < ?").run(before);
      this.db.prepare('DELETE FROM commands_done WHERE at < ?').run(before);
      this.db.prepare('DELETE FROM commands_pending WHERE at < ?').run(now - COMMAND_TTL);
      this.db.prepare('DELETE FROM orphan_actions WHERE kept_at < ?').run(now - ORPHAN_TTL);
    });
    return removed;
  }

  /** Every alarm received and every action, oldest first, within [from, to]. */
  audit(from = 0, to = Number.MAX_SAFE_INTEGER): AuditRow[] {
    const alarms = this.db.prepare('SELECT body FROM alarms WHERE at BETWEEN ? AND ?').all(from, to) as Array<{
      body: string;
    }>;
    const byId = new Map<string, Alarm>();
    const rows: AuditRow[] = [];
    const camera = (a: Alarm | undefined) => (a ? a.channelName || `${a.deviceId}/${a.channelId}` : '');
    for (const { body } of alarms) {
      const a = JSON.parse(body) as Alarm;
      byId.set(a.id, a);
      rows.push({
        at: a.receivedAt ?? a.at,
        event: 'received',
        alarmId: a.id,
        camera: camera(a),
        type: a.typeName ? `${a.type} (${a.typeName})` : a.type,
        seat: a.receivedBy ?? '',
        user: '',
        to: '',
        note: '',
      });
    }
    const actions = this.db
      .prepare('SELECT * FROM actions WHERE at BETWEEN ? AND ? ORDER BY at, id')
      .all(from, to) as ActionRow[];
    for (const x of actions.map(toAction)) {
      const a = byId.get(x.alarmId) ?? this.get(x.alarmId);
      rows.push({
        at: x.at,
        event: x.kind,
        alarmId: x.alarmId,
        camera: camera(a),
        type: a?.type ?? '',
        seat: x.seat,
        user: x.user,
        to: x.to ?? '',
        note: x.note ?? '',
      });
    }
    return rows.sort((a, b) => a.at - b.at);
  }

  /** Queues a message for the broker; a message with the same key replaces the one waiting. */
  enqueue(topic: string, payload: string, retain: boolean, key: string | null = null): void {
    this.statements.enqueue.run(topic, payload, retain ? 1 : 0, key);
  }

  /** What waits to be sent, in order (after `afterSeq`: the rows a sender already has in hand are not read again). */
  outbox(afterSeq = 0): OutboxRow[] {
    return (
      this.statements.outbox.all(afterSeq) as Array<{ seq: number; topic: string; payload: string; retain: number }>
    ).map((r) => ({ seq: Number(r.seq), topic: r.topic, payload: r.payload, retain: !!r.retain }));
  }

  /** The broker has it: removed unless it was replaced meanwhile (false: the newer one still waits). */
  sent(row: OutboxRow): boolean {
    return this.statements.sent.run(row.seq, row.payload).changes > 0;
  }

  queued(): number {
    return Number((this.statements.queued.get() as { n: number }).n);
  }

  /** True the first time a command id is seen: a redelivered command is not carried out twice. */
  firstTime(commandId: string, now = Date.now()): boolean {
    return this.statements.commandDone.run(commandId, now).changes > 0;
  }

  /**
   * A command from another seat, kept until a window carries it out (none may be open yet). False
   * when its id was seen before: a redelivered command is kept once.
   */
  keepCommand(cmd: SeatCommand, now = Date.now()): boolean {
    let first = false;
    this.tx(() => {
      first = this.firstTime(cmd.id, now);
      if (first) this.statements.keepCommand.run(cmd.id, now, JSON.stringify(cmd));
    });
    return first;
  }

  /**
   * The commands no window has taken yet, oldest first; taking them removes them. A command kept
   * (or sent) more than COMMAND_TTL ago is dropped: a days-old "open this on your wall" would
   * replace the operator's wall when the first window starts.
   */
  takeCommands(now = Date.now()): SeatCommand[] {
    const out: SeatCommand[] = [];
    this.tx(() => {
      for (const r of this.statements.pendingCommands.all() as Array<{ id: string; at: number; body: string }>) {
        this.statements.dropCommand.run(r.id);
        const cmd = SeatCommand.safeParse(JSON.parse(r.body));
        if (cmd.success && commandFresh(r.at, cmd.data.at, now)) out.push(cmd.data);
      }
    });
    return out;
  }

  meta(key: string): string | null {
    return (this.statements.meta.get(key) as { value: string } | undefined)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value);
  }

  /**
   * The JSON-lines journal earlier versions kept (`alarms.jsonl`): read once into the database,
   * its acknowledgements as actions, then renamed so it is not read again.
   */
  private importJournal(dataDir: string): void {
    const file = path.join(dataDir, 'alarms.jsonl');
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const alarms = new Map<string, Alarm>();
    const acks = new Map<string, number>();
    let bad = 0;
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      try {
        const line = JSON.parse(raw) as { alarm?: unknown; ack?: unknown; at?: unknown };
        if (line.alarm !== undefined) {
          const a = Alarm.safeParse(line.alarm);
          if (a.success) {
            alarms.set(a.data.id, a.data);
            if (a.data.acknowledgedAt !== undefined) acks.set(a.data.id, a.data.acknowledgedAt);
            else acks.delete(a.data.id); // a replacing alarm is unacknowledged
          } else bad++;
        } else if (typeof line.ack === 'string' && typeof line.at === 'number') acks.set(line.ack, line.at);
      } catch {
        bad++; // a line cut by a crash: the others still count
      }
    }
    this.tx(() => {
      for (const a of alarms.values()) this.putAlarm(a);
      this.applyActions(
        [...acks]
          .filter(([id]) => alarms.has(id))
          .map(([alarmId, at]) => ({
            id: `journal:${alarmId}`.slice(0, 64),
            alarmId,
            kind: 'acknowledge' as const,
            seat: '',
            user: '',
            at,
          })),
      );
    });
    fs.renameSync(file, `${file}.imported`);
    log.info(
      `alarm journal imported: ${alarms.size} alarm(s), ${acks.size} acknowledgement(s)${bad ? `, ${bad} unreadable line(s) skipped` : ''}`,
    );
  }
}

function writeCursor(at: number, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function readCursor(cursor: string): { at: number; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'number' && Number.isFinite(at) && typeof id === 'string') return { at, id };
  } catch {
    // said below
  }
  throw new Error('not a cursor of the alarm list');
}

interface ActionRow {
  id: string;
  alarm_id: string;
  kind: AlarmAction['kind'];
  seat: string;
  user: string;
  at: number;
  to_whom: string | null;
  note: string | null;
  sig?: string | null;
}

function toAction(r: ActionRow): AlarmAction {
  return {
    id: r.id,
    alarmId: r.alarm_id,
    kind: r.kind,
    seat: r.seat,
    user: r.user,
    at: Number(r.at),
    ...(r.to_whom !== null ? { to: r.to_whom } : {}),
    ...(r.note !== null ? { note: r.note } : {}),
    ...(r.sig ? { sig: r.sig } : {}),
  };
}

export { AlarmAction };
