import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BOOKMARK_SPAN_MAX_MS,
  Bookmark,
  BookmarkCreateRequest,
  bookmarkProblems,
  bookmarkProblemText,
  normalizeTags,
} from '../../preload/contract';
import { readSharedBookmark, receipt } from '../../main/control-room/bookmarks';
import { en } from '../../renderer/i18n/en';
import { zhCN } from '../../renderer/i18n/zh-CN';

const T = 1_780_000_000_000;
const ok = { name: 'Van at the gate', startMs: T, endMs: T + 60_000 };

test('a moment and a range up to 24 h with a name of up to 200 characters are accepted', () => {
  assert.deepEqual(bookmarkProblems({ name: 'x', startMs: T, endMs: T }), []);
  assert.deepEqual(bookmarkProblems(ok), []);
  assert.deepEqual(bookmarkProblems({ ...ok, endMs: T + BOOKMARK_SPAN_MAX_MS }), []);
  assert.deepEqual(bookmarkProblems({ ...ok, name: '门'.repeat(200) }), []);
  // Characters as people count them: 200 emoji are 400 UTF-16 units and still fine.
  assert.deepEqual(bookmarkProblems({ ...ok, name: '🚗'.repeat(200) }), []);
});

test('end before start, a range over 24 h, a name over 200 characters or blank: refused in words', () => {
  assert.deepEqual(bookmarkProblems({ ...ok, endMs: T - 1 }), ['endBeforeStart']);
  assert.deepEqual(bookmarkProblems({ ...ok, endMs: T + BOOKMARK_SPAN_MAX_MS + 1 }), ['rangeTooLong']);
  assert.deepEqual(bookmarkProblems({ ...ok, name: 'a'.repeat(201) }), ['nameTooLong']);
  assert.deepEqual(bookmarkProblems({ ...ok, name: '   ' }), ['nameRequired']);
  assert.deepEqual(bookmarkProblems({ ...ok, startMs: Number.NaN }), ['badTime']);
  assert.deepEqual(bookmarkProblems({ name: '', startMs: T, endMs: T - 5 }), ['nameRequired', 'endBeforeStart']);
  assert.equal(
    bookmarkProblemText(['nameRequired', 'endBeforeStart']),
    'A bookmark needs a name; The end is before the start',
  );
  assert.deepEqual(bookmarkProblems({ ...ok, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }), ['tooManyTags']);
  assert.deepEqual(bookmarkProblems({ ...ok, tags: ['x'.repeat(41)] }), ['tagTooLong']);
  assert.deepEqual(bookmarkProblems({ ...ok, note: 'n'.repeat(4001) }), ['noteTooLong']);
});

test('tags are trimmed, blank ones dropped, each kept once whatever its case', () => {
  assert.deepEqual(normalizeTags([' theft ', 'Theft', '', 'gate', '  ']), ['theft', 'gate']);
  assert.deepEqual(normalizeTags(undefined), []);
});

test('every problem has words in both catalogues (the form shows them)', () => {
  for (const p of [
    'nameRequired',
    'nameTooLong',
    'noteTooLong',
    'tooManyTags',
    'tagTooLong',
    'badTime',
    'endBeforeStart',
    'rangeTooLong',
  ] as const) {
    assert.ok(en.bookmarks.problem[p], `en ${p}`);
    assert.ok(zhCN.bookmarks.problem[p], `zh-CN ${p}`);
  }
});

test('the request schema leaves the rule its words; the kept record enforces it', () => {
  const req = { accountId: 'acc', channelId: 'ch', cameraName: 'Gate', ...ok, name: 'a'.repeat(300) };
  assert.ok(BookmarkCreateRequest.safeParse(req).success, 'the service answers "over 200 characters", not zod');
  const record = {
    id: '00000000-0000-4000-8000-000000000001',
    accountId: 'acc',
    channelId: 'ch',
    cameraName: 'Gate',
    note: '',
    tags: [],
    seat: 'A',
    user: 'ann',
    createdAt: T,
    updatedAt: T,
    updatedBy: { seat: 'A', user: 'ann' },
    rev: 1,
    ...ok,
  };
  assert.ok(Bookmark.safeParse(record).success);
  assert.ok(
    !Bookmark.safeParse({ ...record, endMs: T - 1 }).success,
    'a seat cannot share a bookmark the rule refuses',
  );
});

const shared = (over: Record<string, unknown> = {}, deleted = false) => ({
  bookmark: {
    id: 'bm-000000001',
    accountId: 'acc',
    channelId: 'ch',
    cameraName: 'Gate',
    note: '',
    tags: [],
    seat: 'A',
    user: 'ann',
    createdAt: T,
    updatedAt: T,
    updatedBy: { seat: 'A', user: 'ann' },
    rev: 1,
    ...ok,
    ...over,
  },
  deleted,
});

test('a shared bookmark counts on its author seat’s topic only, under its own id', () => {
  assert.equal(readSharedBookmark('A', 'bm-000000001', JSON.stringify(shared())).bookmark.name, ok.name);
  assert.throws(() => readSharedBookmark('B', 'bm-000000001', JSON.stringify(shared())), /seat A on seat B/);
  assert.throws(() => readSharedBookmark('A', 'bm-000000002', JSON.stringify(shared())), /id and topic differ/);
  assert.throws(() => readSharedBookmark('A', 'bm-000000001', JSON.stringify(shared({ name: '' }))));
});

test('receipt: new is taken, a repeat or older version is not, another seat cannot take over an id', () => {
  const s1 = readSharedBookmark('A', 'bm-000000001', JSON.stringify(shared()));
  const s2 = readSharedBookmark('A', 'bm-000000001', JSON.stringify(shared({ rev: 2, name: 'renamed' })));
  assert.deepEqual(receipt(undefined, s1, 'B'), { take: true, mine: false });
  assert.deepEqual(receipt(undefined, s1, 'A'), { take: true, mine: true }, 'restored to its author');
  const kept = { bookmark: s2.bookmark, deleted: false, mine: false };
  assert.deepEqual(receipt(kept, s1, 'B'), { take: false, why: null });
  assert.deepEqual(receipt(kept, s2, 'B'), { take: false, why: null });
  assert.deepEqual(receipt({ ...kept, bookmark: s1.bookmark }, s2, 'B'), { take: true, mine: false });
  assert.deepEqual(receipt({ ...kept, mine: true }, s2, 'A'), { take: false, why: null }, 'the echo of our own');
  const hijack = readSharedBookmark('C', 'bm-000000001', JSON.stringify(shared({ seat: 'C', rev: 9 })));
  assert.equal(receipt(kept, hijack, 'B').take, false);
});
