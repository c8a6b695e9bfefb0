import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  BOOKMARK_PROBLEMS,
  bookmarkProblems,
  bookmarkProblemText,
  normalizeTags,
  type Bookmark,
  type BookmarkChange,
  type BookmarkCreateRequest,
  type BookmarkList,
  type BookmarkQuery,
  type BookmarkUpdateRequest,
  type BookmarkView,
  type FieldIssue,
} from '../../preload/contract';
import { BOOKMARK_BOUNDS, BookmarkSharing } from '../control-room/bookmarks';
import type { ControlRoomLink } from '../control-room/link';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { HandlerSlice } from '../ipc/handlers';
import { log } from '../log';
import { BookmarkDb, type KeptBookmark } from '../storage/bookmark-db';

/**
 * Bookmarks: kept in this seat's `bookmarks.sqlite` with an audit row per version, answered only
 * once on disk, and shared through the control room (when it is on) by the author seat alone.
 * Who made a change is the control room's seat and operator, as alarm actions record them.
 */
export class BookmarkService {
  private readonly db: BookmarkDb;
  private readonly sharing: BookmarkSharing;
  private readonly unsubscribe: () => void;
  /** Every tag and camera in use (a scan of all bookmarks): kept until a bookmark changes. */
  private facets: Pick<BookmarkList, 'tags' | 'cameras'> | null = null;

  constructor(
    dataDir: string,
    private readonly link: ControlRoomLink,
    private readonly events: EventBus,
    /** Where the control room's broker is (its URL): with the site and seat, where bookmarks went. */
    private readonly broker: () => string = () => '',
    bounds = BOOKMARK_BOUNDS,
  ) {
    this.db = new BookmarkDb(dataDir);
    this.sharing = new BookmarkSharing(
      this.db,
      link,
      (kept) => this.emit(kept),
      (code, message) =>
        events.emit('main:notice', { id: randomUUID(), level: 'warning', code, message, at: new Date().toISOString() }),
      bounds,
    );
    // Whenever the control room (re)connects: what waits goes, to a new broker everything goes.
    this.unsubscribe = events.subscribe((event, payload) => {
      if (event !== 'main:controlRoom') return;
      const state = (payload as { state: string }).state;
      if (state === 'online' || state === 'connecting') this.share();
    });
    this.share();
  }

  /** The unreadable bookmark file moved aside at start, if any. */
  get setAside(): string | null {
    return this.db.setAside;
  }

  private share(): void {
    try {
      if (!this.link.sharing) return;
      const { site, seat } = this.link.status();
      this.sharing.destination(JSON.stringify([this.broker(), site, seat]));
    } catch (e) {
      log.warn(`bookmarks not shared: ${(e as Error).message}`);
    }
  }

  private view(kept: KeptBookmark): BookmarkView {
    return { ...kept.bookmark, mine: kept.mine };
  }

  private emit(kept: KeptBookmark): void {
    this.facets = null;
    const change: BookmarkChange = { kind: kept.deleted ? 'deleted' : 'saved', bookmark: this.view(kept) };
    this.events.emit('main:bookmark', change);
  }

  /** Refused in words when bookmark-rules finds a problem; `fields` tells the form where. */
  private check(fields: Pick<Bookmark, 'name' | 'note' | 'tags' | 'startMs' | 'endMs'>): void {
    const problems = bookmarkProblems(fields);
    if (!problems.length) return;
    const issues: Record<string, FieldIssue> = {};
    for (const p of problems)
      issues[BOOKMARK_PROBLEMS[p].field] ??= { key: `bookmarks.problem.${p}`, message: BOOKMARK_PROBLEMS[p].message };
    throw new AppError('VALIDATION', bookmarkProblemText(problems), { fields: issues });
  }

  private known(id: string): KeptBookmark {
    const kept = this.db.get(id);
    if (!kept || kept.deleted) throw new AppError('NOT_FOUND', 'No such bookmark (it may have been deleted)');
    return kept;
  }

  private mine(id: string): KeptBookmark {
    const kept = this.known(id);
    if (!kept.mine)
      throw new AppError(
        'VALIDATION',
        `Seat ${kept.bookmark.seat || '(unnamed)'} made this bookmark: only that seat can edit or delete it`,
      );
    return kept;
  }

  /** On disk (with its audit row) first, then told to the windows and queued for the other seats. */
  private keep(bookmark: Bookmark, deleted: boolean, action: 'create' | 'edit' | 'delete'): KeptBookmark {
    this.db.save(bookmark, { deleted, mine: true, action });
    const kept = this.db.get(bookmark.id)!;
    this.emit(kept);
    this.share();
    return kept;
  }

  list(q: BookmarkQuery): BookmarkList {
    const { bookmarks, total } = this.db.list(q);
    this.facets ??= { tags: this.db.tags(), cameras: this.db.cameras() };
    return { bookmarks: bookmarks.map((k) => this.view(k)), total, ...this.facets };
  }

  get(id: string): BookmarkView {
    return this.view(this.known(id));
  }

  create(req: z.infer<typeof BookmarkCreateRequest>, now = Date.now()): BookmarkView {
    const fields = { name: req.name.trim(), note: req.note.trim(), tags: normalizeTags(req.tags) };
    this.check({ ...fields, startMs: req.startMs, endMs: req.endMs });
    const who = this.link.seat;
    const bookmark: Bookmark = {
      id: randomUUID(),
      accountId: req.accountId,
      channelId: req.channelId,
      cameraName: req.cameraName,
      ...fields,
      startMs: req.startMs,
      endMs: req.endMs,
      seat: who.seat,
      user: who.user,
      createdAt: now,
      updatedAt: now,
      updatedBy: who,
      rev: 1,
    };
    return this.view(this.keep(bookmark, false, 'create'));
  }

  update(req: z.infer<typeof BookmarkUpdateRequest>, now = Date.now()): BookmarkView {
    const old = this.mine(req.id).bookmark;
    const fields = { name: req.name.trim(), note: req.note.trim(), tags: normalizeTags(req.tags) };
    this.check({ ...fields, startMs: req.startMs, endMs: req.endMs });
    const next: Bookmark = {
      ...old,
      ...fields,
      startMs: req.startMs,
      endMs: req.endMs,
      updatedAt: Math.max(now, old.updatedAt),
      updatedBy: this.link.seat,
      rev: old.rev + 1,
    };
    return this.view(this.keep(next, false, 'edit'));
  }

  /** Kept as a tombstone (shared too): a late copy of the bookmark does not bring it back. */
  remove(id: string, now = Date.now()): null {
    const old = this.mine(id).bookmark;
    this.keep(
      { ...old, updatedAt: Math.max(now, old.updatedAt), updatedBy: this.link.seat, rev: old.rev + 1 },
      true,
      'delete',
    );
    return null;
  }

  history(id: string) {
    if (!this.db.get(id)) throw new AppError('NOT_FOUND', 'No such bookmark');
    return { entries: this.db.audit(id) };
  }

  close(): void {
    this.unsubscribe();
    this.sharing.close();
    this.db.close();
  }
}

export function bookmarkHandlers(bookmarks: BookmarkService): HandlerSlice {
  return {
    'bookmarks:list': (q) => bookmarks.list(q),
    'bookmarks:get': ({ id }) => bookmarks.get(id),
    'bookmarks:create': (req) => bookmarks.create(req),
    'bookmarks:update': (req) => bookmarks.update(req),
    'bookmarks:delete': ({ id }) => bookmarks.remove(id),
    'bookmarks:history': ({ id }) => bookmarks.history(id),
  };
}
