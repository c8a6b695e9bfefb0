import fs from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import type { Bookmark, BookmarkAuditEntry, BookmarkCamera, BookmarkQuery } from '../../preload/contract';
import { log } from '../log';

/** Beside the alarm history (alarms.sqlite) in the data folder. */
export const BOOKMARK_DB_FILE = 'bookmarks.sqlite';

export type BookmarkAction = BookmarkAuditEntry['action'];
export interface KeptBookmark {
  bookmark: Bookmark;
  deleted: boolean;
  /** made at this seat (it alone may edit, delete and share it) */
  mine: boolean;
}

/** The fields an audit row compares, in the order it lists them. */
const AUDITED = ['name', 'note', 'tags', 'startMs', 'endMs', 'accountId', 'channelId', 'cameraName'] as const;

/** Each audited field that differs, as [before, after] (null where there was none, or is none). */
export function bookmarkChanges(before: Bookmark | null, after: Bookmark | null): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const f of AUDITED) {
    const a = before ? before[f] : null;
    const b = after ? after[f] : null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f] = [a, b];
  }
  return out;
}

/** LIKE pattern of `text` anywhere, its wildcards taken literally. */
const contains = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** What the text filter searches: name, note, tags and camera, lower-cased here (SQLite's lower() is ASCII only). */
const searchText = (b: Bookmark) => [b.name, b.note, b.cameraName, ...b.tags].join('\n').toLowerCase();

interface Row {
  body: string;
  deleted: number;
  mine: number;
}

/**
 * Each seat's bookmarks (SQLite through libsql, as the alarm history): every bookmark with its
 * current version — a deleted one stays as a tombstone, so a late copy from the broker does not
 * bring it back — and its audit trail (keyed by bookmark and version: a version recorded twice is
 * one row). Writes are synchronous and fully synced: a bookmark is on disk before it is answered.
 */
export class BookmarkDb {
  private readonly db: Database.Database;
  /** Where a database SQLite could not read was moved (the service starts on a fresh one and says so). */
  readonly setAside: string | null = null;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, BOOKMARK_DB_FILE);
    try {
      this.db = BookmarkDb.open(file);
    } catch (e) {
      // As the alarm history does: a damaged file is moved aside whole for recovery, a fresh one begins.
      if (!/not a database|malformed|corrupt|SQLITE_NOTADB|SQLITE_CORRUPT/i.test(String((e as Error).message))) throw e;
      const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      for (const ext of ['', '-wal', '-shm']) if (fs.existsSync(file + ext)) fs.renameSync(file + ext, aside + ext);
      log.warn(`bookmarks: ${file} could not be read (${(e as Error).message}); moved to ${aside}, starting afresh`);
      this.setAside = aside;
      this.db = BookmarkDb.open(file);
    }
  }

  private static open(file: string): Database.Database {
    const db = new Database(file);
    try {
      // FULL, not the alarm history's NORMAL: an operator's bookmark is answered only once it would
      // survive a power cut too, and bookmarks are written one at a time, by hand.
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 2000;');
      db.exec(`
        CREATE TABLE IF NOT EXISTS bookmarks (
          id TEXT PRIMARY KEY, account_id TEXT NOT NULL, channel_id TEXT NOT NULL,
          start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, body TEXT NOT NULL, search TEXT NOT NULL,
          rev INTEGER NOT NULL, deleted INTEGER NOT NULL, mine INTEGER NOT NULL, shared_rev INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS bookmarks_start ON bookmarks(deleted, start_ms);
        CREATE INDEX IF NOT EXISTS bookmarks_camera ON bookmarks(account_id, channel_id, start_ms);
        CREATE TABLE IF NOT EXISTS bookmark_audit (
          id TEXT PRIMARY KEY, bookmark_id TEXT NOT NULL, action TEXT NOT NULL, seat TEXT NOT NULL,
          user TEXT NOT NULL, at INTEGER NOT NULL, changes TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS bookmark_audit_of ON bookmark_audit(bookmark_id, at);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  close(): void {
    this.db.close();
  }

  private tx<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** The bookmark as kept (deleted ones too), or undefined. */
  get(id: string): KeptBookmark | undefined {
    const row = this.db.prepare('SELECT body, deleted, mine FROM bookmarks WHERE id = ?').get(id) as Row | undefined;
    return row ? toKept(row) : undefined;
  }

  /**
   * Keeps a version of a bookmark and its audit row in one transaction: `deleted` keeps it as a
   * tombstone. The audit row records who made this version (`updatedBy`), when, and each field
   * that changed from what this seat had.
   */
  save(bookmark: Bookmark, opts: { deleted: boolean; mine: boolean; action: BookmarkAction }): void {
    this.tx(() => {
      const before = this.get(bookmark.id);
      const old = before && !before.deleted ? before.bookmark : null;
      this.db
        .prepare(
          `INSERT INTO bookmarks (id, account_id, channel_id, start_ms, end_ms, body, search, rev, deleted, mine)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET account_id = excluded.account_id, channel_id = excluded.channel_id,
           start_ms = excluded.start_ms, end_ms = excluded.end_ms, body = excluded.body, search = excluded.search,
           rev = excluded.rev, deleted = excluded.deleted, mine = excluded.mine`,
        )
        .run(
          bookmark.id,
          bookmark.accountId,
          bookmark.channelId,
          bookmark.startMs,
          bookmark.endMs,
          JSON.stringify(bookmark),
          searchText(bookmark),
          bookmark.rev,
          opts.deleted ? 1 : 0,
          opts.mine ? 1 : 0,
        );
      const changes = bookmarkChanges(old, opts.deleted ? null : bookmark);
      this.db
        .prepare(
          'INSERT OR IGNORE INTO bookmark_audit (id, bookmark_id, action, seat, user, at, changes) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          `${bookmark.id}:${bookmark.rev}`,
          bookmark.id,
          opts.action,
          bookmark.updatedBy.seat,
          bookmark.updatedBy.user,
          bookmark.updatedAt,
          JSON.stringify(changes),
        );
    });
  }

  /** The audit trail of one bookmark (or of all, within [from, to]), oldest first. */
  audit(bookmarkId?: string, from = 0, to = Number.MAX_SAFE_INTEGER): BookmarkAuditEntry[] {
    const rows = (
      bookmarkId
        ? this.db.prepare('SELECT * FROM bookmark_audit WHERE bookmark_id = ? ORDER BY at, id').all(bookmarkId)
        : this.db.prepare('SELECT * FROM bookmark_audit WHERE at BETWEEN ? AND ? ORDER BY at, id').all(from, to)
    ) as Array<{
      bookmark_id: string;
      action: BookmarkAction;
      seat: string;
      user: string;
      at: number;
      changes: string;
    }>;
    return rows.map((r) => ({
      bookmarkId: r.bookmark_id,
      action: r.action,
      seat: r.seat,
      user: r.user,
      at: Number(r.at),
      changes: JSON.parse(r.changes) as Record<string, [unknown, unknown]>,
    }));
  }

  /** The bookmarks (not deleted) matching the query, one page sorted by start time, and how many match. */
  list(q: BookmarkQuery): { bookmarks: KeptBookmark[]; total: number } {
    const where = ['deleted = 0'];
    const args: Array<string | number> = [];
    if (q.text?.trim()) {
      where.push("search LIKE ? ESCAPE '\\'");
      args.push(contains(q.text.trim()));
    }
    if (q.tag) {
      // The plain text first: reading each body's JSON for its tags is what costs.
      where.push("search LIKE ? ESCAPE '\\'", "EXISTS (SELECT 1 FROM json_each(body, '$.tags') WHERE value = ?)");
      args.push(contains(q.tag), q.tag);
    }
    if (q.cameras) {
      if (q.cameras.length === 0) return { bookmarks: [], total: 0 };
      where.push(`(${q.cameras.map(() => '(account_id = ? AND channel_id = ?)').join(' OR ')})`);
      for (const c of q.cameras) args.push(c.accountId, c.channelId);
    }
    // Overlapping the window: a range that began before it and reaches into it counts.
    if (q.fromMs !== undefined) {
      where.push('end_ms >= ?');
      args.push(q.fromMs);
    }
    if (q.toMs !== undefined) {
      where.push('start_ms <= ?');
      args.push(q.toMs);
    }
    const clause = where.join(' AND ');
    const total = Number(
      (this.db.prepare(`SELECT COUNT(*) AS n FROM bookmarks WHERE ${clause}`).get(...args) as { n: number }).n,
    );
    const dir = q.order === 'asc' ? 'ASC' : 'DESC';
    const rows = this.db
      .prepare(
        `SELECT body, deleted, mine FROM bookmarks WHERE ${clause} ORDER BY start_ms ${dir}, end_ms ${dir}, id ${dir} LIMIT ? OFFSET ?`,
      )
      .all(...args, q.limit, q.offset) as Row[];
    return { bookmarks: rows.map(toKept), total };
  }

  /** Every tag in use, sorted. */
  tags(): string[] {
    return (
      this.db
        .prepare(
          "SELECT DISTINCT j.value AS tag FROM bookmarks b, json_each(b.body, '$.tags') j WHERE b.deleted = 0 ORDER BY tag",
        )
        .all() as Array<{ tag: string }>
    ).map((r) => r.tag);
  }

  /** Every camera with a bookmark, with the name its newest one carries. */
  cameras(): BookmarkCamera[] {
    return (
      this.db
        .prepare(
          `SELECT account_id, channel_id, json_extract(body, '$.cameraName') AS name, MAX(start_ms)
           FROM bookmarks WHERE deleted = 0 GROUP BY account_id, channel_id ORDER BY name`,
        )
        .all() as Array<{ account_id: string; channel_id: string; name: string }>
    ).map((r) => ({ accountId: r.account_id, channelId: r.channel_id, cameraName: r.name ?? '' }));
  }

  /** Bookmarks made here whose newest version the broker has not been handed yet (tombstones too). */
  unshared(): KeptBookmark[] {
    return (
      this.db
        .prepare('SELECT body, deleted, mine FROM bookmarks WHERE mine = 1 AND shared_rev < rev ORDER BY rowid')
        .all() as Row[]
    ).map(toKept);
  }

  /** The version `rev` of `id` is in the control room's outbox. */
  markShared(id: string, rev: number): void {
    this.db.prepare('UPDATE bookmarks SET shared_rev = ? WHERE id = ? AND rev = ?').run(rev, id, rev);
  }

  /** How many bookmarks (tombstones too) each other seat has here: what the broker brought. */
  othersBySeat(): Map<string, number> {
    const rows = this.db
      .prepare("SELECT json_extract(body, '$.seat') AS seat, COUNT(*) AS n FROM bookmarks WHERE mine = 0 GROUP BY seat")
      .all() as Array<{ seat: string; n: number }>;
    return new Map(rows.map((r) => [String(r.seat), Number(r.n)]));
  }

  /** Another broker or seat name: every bookmark made here is to be shared again. */
  unshareAll(): void {
    this.db.prepare('UPDATE bookmarks SET shared_rev = 0').run();
  }

  meta(key: string): string | null {
    return (
      (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null
    );
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }
}

function toKept(r: Row): KeptBookmark {
  return { bookmark: JSON.parse(r.body) as Bookmark, deleted: !!r.deleted, mine: !!r.mine };
}
