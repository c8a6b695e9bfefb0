/**
 * What makes a bookmark acceptable: one rule, read by the form as the operator types and by main
 * before anything is written (and for bookmarks other seats share). No zod here, so the renderer
 * can import it as a value (the rest of the contract it names by type only).
 */

export const BOOKMARK_NAME_MAX = 200;
export const BOOKMARK_NOTE_MAX = 4000;
export const BOOKMARK_TAG_MAX = 40;
export const BOOKMARK_TAGS_MAX = 20;
/** A range longer than this is not a moment to find again but a day's recording: refused. */
export const BOOKMARK_SPAN_MAX_MS = 24 * 3600_000;

export type BookmarkField = 'name' | 'note' | 'tags' | 'startMs' | 'endMs';
export type BookmarkProblem =
  | 'nameRequired'
  | 'nameTooLong'
  | 'noteTooLong'
  | 'tooManyTags'
  | 'tagTooLong'
  | 'badTime'
  | 'endBeforeStart'
  | 'rangeTooLong';

/** Each problem: the field it is about and the English text main answers (the renderer translates the key). */
export const BOOKMARK_PROBLEMS: Record<BookmarkProblem, { field: BookmarkField; message: string }> = {
  nameRequired: { field: 'name', message: 'A bookmark needs a name' },
  nameTooLong: { field: 'name', message: `The name is over ${BOOKMARK_NAME_MAX} characters` },
  noteTooLong: { field: 'note', message: `The note is over ${BOOKMARK_NOTE_MAX} characters` },
  tooManyTags: { field: 'tags', message: `More than ${BOOKMARK_TAGS_MAX} tags` },
  tagTooLong: { field: 'tags', message: `A tag is over ${BOOKMARK_TAG_MAX} characters` },
  badTime: { field: 'startMs', message: 'The start or end is not a time' },
  endBeforeStart: { field: 'endMs', message: 'The end is before the start' },
  rangeTooLong: { field: 'endMs', message: 'The range is longer than 24 hours' },
};

export interface BookmarkFields {
  name: string;
  note?: string;
  tags?: readonly string[];
  startMs: number;
  endMs: number;
}

/** Tags as kept: trimmed, empty ones dropped, each once (first spelling wins, compared case-blind). */
export function normalizeTags(tags: readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags ?? []) {
    const tag = raw.trim();
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/** Every problem of a bookmark's fields, in the order the form shows them; none: it may be kept. */
export function bookmarkProblems(b: BookmarkFields): BookmarkProblem[] {
  const out: BookmarkProblem[] = [];
  const name = b.name.trim();
  if (!name) out.push('nameRequired');
  // Characters as people count them (a Chinese name or an emoji is one each), not UTF-16 units.
  else if ([...name].length > BOOKMARK_NAME_MAX) out.push('nameTooLong');
  if ([...(b.note ?? '')].length > BOOKMARK_NOTE_MAX) out.push('noteTooLong');
  const tags = normalizeTags(b.tags);
  if (tags.length > BOOKMARK_TAGS_MAX) out.push('tooManyTags');
  if (tags.some((t) => [...t].length > BOOKMARK_TAG_MAX)) out.push('tagTooLong');
  const time = (ms: number) => Number.isSafeInteger(ms) && ms >= 0 && ms <= 8_640_000_000_000_000;
  if (!time(b.startMs) || !time(b.endMs)) out.push('badTime');
  else if (b.endMs < b.startMs) out.push('endBeforeStart');
  else if (b.endMs - b.startMs > BOOKMARK_SPAN_MAX_MS) out.push('rangeTooLong');
  return out;
}

/** The problems as one English sentence (main's error message). */
export function bookmarkProblemText(problems: readonly BookmarkProblem[]): string {
  return problems.map((p) => BOOKMARK_PROBLEMS[p].message).join('; ');
}
