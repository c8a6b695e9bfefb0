import { z } from 'zod';
import { BOOKMARK_PROBLEMS, bookmarkProblems } from '../../common/bookmark-rules';

export * from '../../common/bookmark-rules';

/**
 * Bookmarks: a named moment or range (≤ 24 h) of one camera's recordings, kept by main in SQLite
 * with an audit trail, and shared with the other seats of a control room. The author seat alone
 * edits or deletes one; `rev` counts its versions, so a copy that arrives twice changes nothing.
 */
const EpochMs = z.number().int().min(0).max(8_640_000_000_000_000);
/** Loose bounds only: bookmark-rules says what is too long, in words the form shows too. */
const Text = (max: number) => z.string().max(max);

export const BookmarkCamera = z.object({
  accountId: z.string().min(1).max(64),
  /** Vigil's channel id (what the tree, the wall and playback use). */
  channelId: z.string().min(1).max(256),
  cameraName: z.string().max(256),
});
export type BookmarkCamera = z.infer<typeof BookmarkCamera>;

const Editable = z.object({
  name: Text(2000),
  note: Text(20_000).default(''),
  tags: z.array(Text(400)).max(200).default([]),
  startMs: EpochMs,
  /** equal to startMs: a moment */
  endMs: EpochMs,
});

export const BookmarkCreateRequest = Editable.merge(BookmarkCamera).strict();
export const BookmarkUpdateRequest = Editable.extend({ id: z.string().min(8).max(64) }).strict();
export const BookmarkIdRequest = z.object({ id: z.string().min(8).max(64) }).strict();

/** One bookmark as every seat keeps it (and as the author seat shares it). */
export const Bookmark = BookmarkCamera.extend({
  id: z.string().min(8).max(64),
  name: z.string(),
  note: z.string(),
  tags: z.array(z.string()),
  startMs: EpochMs,
  endMs: EpochMs,
  /** The author: the seat whose topic carries it, and the operator signed in there. */
  seat: z.string().max(64),
  user: z.string().max(64),
  createdAt: EpochMs,
  updatedAt: EpochMs,
  /** who made the current version (the author seat, maybe another operator at it) */
  updatedBy: z.object({ seat: z.string().max(64), user: z.string().max(64) }),
  rev: z.number().int().min(1),
}).superRefine((b, ctx) => {
  for (const p of bookmarkProblems(b))
    ctx.addIssue({ code: 'custom', path: [BOOKMARK_PROBLEMS[p].field], message: BOOKMARK_PROBLEMS[p].message });
});
export type Bookmark = z.infer<typeof Bookmark>;

/** A bookmark as this seat shows it: `mine` when this seat made it (and so may edit or delete it). */
export const BookmarkView = z.object({
  id: z.string(),
  accountId: z.string(),
  channelId: z.string(),
  cameraName: z.string(),
  name: z.string(),
  note: z.string(),
  tags: z.array(z.string()),
  startMs: z.number(),
  endMs: z.number(),
  seat: z.string(),
  user: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  updatedBy: z.object({ seat: z.string(), user: z.string() }),
  rev: z.number(),
  mine: z.boolean(),
});
export type BookmarkView = z.infer<typeof BookmarkView>;

export const BookmarkQuery = z
  .object({
    /** in the name, note, tags or camera name (case-blind) */
    text: z.string().max(200).optional(),
    tag: z.string().max(400).optional(),
    /** one camera, or several (the playback page's panes) */
    cameras: z
      .array(z.object({ accountId: z.string().max(64), channelId: z.string().max(256) }).strict())
      .max(16)
      .optional(),
    /** bookmarks that overlap [fromMs, toMs] */
    fromMs: EpochMs.optional(),
    toMs: EpochMs.optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(50),
  })
  .strict();
export type BookmarkQuery = z.infer<typeof BookmarkQuery>;

export const BookmarkList = z.object({
  bookmarks: z.array(BookmarkView),
  /** how many match the filter (the page shows `limit` of them from `offset`) */
  total: z.number(),
  /** every tag and every camera in use, for the filters */
  tags: z.array(z.string()),
  cameras: z.array(BookmarkCamera),
});
export type BookmarkList = z.infer<typeof BookmarkList>;

/** One line of a bookmark's audit trail: who, when, and each changed field as [before, after]. */
export const BookmarkAuditEntry = z.object({
  bookmarkId: z.string(),
  action: z.enum(['create', 'edit', 'delete']),
  seat: z.string(),
  user: z.string(),
  at: z.number(),
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
});
export type BookmarkAuditEntry = z.infer<typeof BookmarkAuditEntry>;
export const BookmarkHistory = z.object({ entries: z.array(BookmarkAuditEntry) });

/** `main:bookmark`: one made, edited or deleted here or by another seat. */
export const BookmarkChange = z.object({ kind: z.enum(['saved', 'deleted']), bookmark: BookmarkView });
export type BookmarkChange = z.infer<typeof BookmarkChange>;
