import { z } from 'zod';
import { Bookmark } from '../../preload/contract';
import { log } from '../log';
import type { BookmarkDb, KeptBookmark } from '../storage/bookmark-db';
import type { ControlRoomLink } from './link';

/**
 * Bookmarks through the control room, under the rules alarm actions follow: a seat shares only
 * its own bookmarks, each as one retained message on its own branch (`bookmarks/<seat>/<id>`, a
 * deletion as a tombstone), so a seat that joins late gets every one; a copy counts only on its
 * author's branch, and a version this seat already holds (same id, same or older `rev`) changes
 * nothing, however often the broker delivers it.
 */
export const SharedBookmark = z.object({ bookmark: Bookmark, deleted: z.boolean() }).strict();
export type SharedBookmark = z.infer<typeof SharedBookmark>;

/** The message on `bookmarks/<seat>/<id>`: refused unless it is that seat's bookmark of that id. */
export function readSharedBookmark(seat: string, id: string, text: string): SharedBookmark {
  const shared = SharedBookmark.parse(JSON.parse(text));
  if (shared.bookmark.seat !== seat)
    throw new Error(`a bookmark of seat ${shared.bookmark.seat} on seat ${seat}'s topic`);
  if (shared.bookmark.id !== id) throw new Error('bookmark id and topic differ');
  return shared;
}

/** Bookmarks another member may keep here, and all other members together: beyond, refused with a notice. */
export const BOOKMARK_BOUNDS = { perSeat: 10_000, total: 50_000 };

export type Receipt = { take: false; why: string | null } | { take: true; mine: boolean };

/**
 * Whether a shared version replaces what this seat keeps. This seat's own bookmarks are its to
 * change (their echo is ignored); a bookmark the broker brings back on this seat's branch that is
 * not here (a data folder restored) is this seat's again. Another seat cannot take over an id.
 */
export function receipt(known: KeptBookmark | undefined, shared: SharedBookmark, mySeat: string): Receipt {
  const b = shared.bookmark;
  if (!known) return { take: true, mine: b.seat === mySeat };
  if (known.mine) return { take: false, why: null };
  if (known.bookmark.seat !== b.seat)
    return { take: false, why: `seat ${b.seat} shared bookmark ${b.id}, which seat ${known.bookmark.seat} made` };
  if (b.rev <= known.bookmark.rev) return { take: false, why: null };
  return { take: true, mine: false };
}

/**
 * One seat's side of it: reads what the link receives into the bookmark database (with its audit
 * row), and hands the link every version made here that the broker does not have yet — on each
 * change, and when the control room comes on or moves to another broker or seat name.
 */
export class BookmarkSharing {
  private sharing = false;
  /** Other seats' bookmarks kept here, by seat: the bounds' count. */
  private readonly others: Map<string, number>;
  /** Seats already told about once (a flood is one notice, not one per message). */
  private readonly refused = new Set<string>();

  constructor(
    private readonly db: BookmarkDb,
    private readonly link: ControlRoomLink,
    private readonly changed: (kept: KeptBookmark) => void,
    private readonly notice: (code: string, message: string) => void = () => undefined,
    private readonly bounds = BOOKMARK_BOUNDS,
  ) {
    this.others = db.othersBySeat();
    link.onBookmark((seat, id, text) => this.receive(seat, id, text));
  }

  close(): void {
    this.link.onBookmark(null);
  }

  /**
   * The control room's destination (broker, site, seat) now: when it is not the one this seat's
   * bookmarks went to, all of them go again (retained messages do not follow a seat to a new broker).
   */
  destination(key: string): void {
    if (this.db.meta('sharedTo') !== key) {
      this.db.unshareAll();
      this.db.setMeta('sharedTo', key);
    }
    this.share();
  }

  /** Queues every version made here that was not queued yet; each is marked once the outbox has it. */
  share(): void {
    if (this.sharing || !this.link.sharing) return;
    this.sharing = true;
    try {
      const seat = this.link.seat.seat;
      for (const kept of this.db.unshared()) {
        // Published under this seat's name now (the topic and the author must agree).
        const message: SharedBookmark = { bookmark: { ...kept.bookmark, seat }, deleted: kept.deleted };
        if (!this.link.shareBookmark(kept.bookmark.id, JSON.stringify(message))) return;
        this.db.markShared(kept.bookmark.id, kept.bookmark.rev);
      }
    } finally {
      this.sharing = false;
    }
  }

  private receive(seat: string, id: string, text: string): void {
    let shared: SharedBookmark;
    try {
      shared = readSharedBookmark(seat, id, text);
    } catch (e) {
      return log.warn(
        `control room: bookmark ${id.slice(0, 64)} of seat ${seat.slice(0, 64)} dropped: ${(e as Error).message}`,
      );
    }
    const known = this.db.get(id);
    const r = receipt(known, shared, this.link.seat.seat);
    if (!r.take) {
      if (r.why) log.warn(`control room: ${r.why}; ignored`);
      return;
    }
    if (!known && !r.mine && !this.room(seat)) return;
    const action = shared.deleted ? 'delete' : known && !known.deleted ? 'edit' : 'create';
    this.db.save(shared.bookmark, { deleted: shared.deleted, mine: r.mine, action });
    // Restored to its author: the broker has this version already.
    if (r.mine) this.db.markShared(id, shared.bookmark.rev);
    else if (!known) this.others.set(seat, (this.others.get(seat) ?? 0) + 1);
    this.changed(this.db.get(id)!);
  }

  /** Whether one more bookmark of `seat` fits the bounds; said once per seat when it does not. */
  private room(seat: string): boolean {
    let total = 0;
    for (const n of this.others.values()) total += n;
    const fits = (this.others.get(seat) ?? 0) < this.bounds.perSeat && total < this.bounds.total;
    if (!fits && !this.refused.has(seat)) {
      this.refused.add(seat);
      this.notice(
        'notice.bookmarksRefused',
        `Bookmarks shared by ${seat} refused: this seat keeps at most ${this.bounds.perSeat} bookmarks of one seat and ${this.bounds.total} of all others`,
      );
    }
    if (!fits) log.warn(`control room: a bookmark of seat ${seat.slice(0, 64)} refused: over the bounds`);
    return fits;
  }
}
