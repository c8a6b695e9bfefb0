import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mediaToWall, wallToMedia } from '../../renderer/media/session/dated';
import { normalizeRange, unlistedWindow, UNLISTED_WINDOW_MS } from '../../renderer/model/timeline';
import {
  cursorOnDay,
  dayStart,
  daysBetween,
  mergeSegments,
  monthDays,
  nextDay,
  openingPosition,
} from '../../renderer/model/playback-days';

// Recordings are read per local day (no platform has a REST recording calendar): the days the
// calendar and the timeline ask for, and how several days' answers become one track.

test('local days: midnight of any moment, the next midnight, the days a view intersects', () => {
  const noon = new Date(2026, 10, 22, 12, 30).getTime();
  assert.equal(dayStart(noon), new Date(2026, 10, 22).getTime());
  assert.equal(nextDay(dayStart(noon)), new Date(2026, 10, 23).getTime());
  assert.deepEqual(
    daysBetween(new Date(2026, 10, 21, 23).getTime(), new Date(2026, 10, 23, 1).getTime()),
    [21, 22, 23].map((d) => new Date(2026, 10, d).getTime()),
  );
  // A view ending exactly at midnight does not ask for the next day.
  assert.deepEqual(daysBetween(new Date(2026, 10, 22).getTime(), new Date(2026, 10, 23).getTime()), [
    new Date(2026, 10, 22).getTime(),
  ]);
  assert.equal(daysBetween(0, 400 * 86400_000, 31).length, 31, 'a wide view is capped');
});

test('a month has its own number of days (February 2028 is a leap month)', () => {
  assert.equal(monthDays(2026, 10).length, 30);
  assert.equal(monthDays(2028, 1).length, 29);
  assert.equal(monthDays(2026, 11).at(-1), new Date(2026, 11, 31).getTime());
});

test('a recording across midnight, listed by both days, is one segment; kinds stay apart', () => {
  const cross = { kind: 'cloud' as const, startMs: 1000, endMs: 5000 };
  const merged = mergeSegments([
    [cross, { kind: 'device', startMs: 1000, endMs: 3000 }],
    [
      { ...cross, endMs: 4000 },
      { kind: 'cloud', startMs: 6000, endMs: 7000 },
    ],
  ]);
  assert.deepEqual(merged, [
    cross,
    { kind: 'device', startMs: 1000, endMs: 3000 },
    { kind: 'cloud', startMs: 6000, endMs: 7000 },
  ]);
});

test('a dragged range is ordered and must be at least a second long', () => {
  assert.deepEqual(normalizeRange(5000.4, 2000.6), { startMs: 2001, endMs: 5000 });
  assert.equal(normalizeRange(1000, 1500), null);
});

test('without a recording list a pane asks for ten minutes from the cursor and keeps that window while inside it', () => {
  const now = Date.now();
  const first = unlistedWindow(now - 3600_000 + 123, undefined);
  assert.equal(first.startMs, Math.floor((now - 3600_000 + 123) / 1000) * 1000);
  assert.equal(first.endMs - first.startMs, UNLISTED_WINDOW_MS);
  assert.equal(unlistedWindow(first.startMs + 60_000, first.startMs).startMs, first.startMs);
  assert.notEqual(unlistedWindow(first.startMs + UNLISTED_WINDOW_MS, first.startMs).startMs, first.startMs);
  assert.notEqual(unlistedWindow(first.startMs - 1000, first.startMs).startMs, first.startMs, 'going back asks again');
  assert.ok(unlistedWindow(now - 1000, undefined).endMs <= now + 1000, 'never past now');
});

test('a dated playlist maps wall time to media time across the gap between two recordings', () => {
  // Two 60-s recordings five minutes apart, played back to back: media 0–60 s and 60–120 s.
  const t0 = Date.UTC(2026, 10, 22, 2, 0, 0);
  const frags = [0, 1].flatMap((r) =>
    Array.from({ length: 30 }, (_, i) => ({ start: r * 60 + i * 2, duration: 2, wallMs: t0 + r * 300_000 + i * 2000 })),
  );
  assert.equal(wallToMedia(frags, t0 + 20_000), 20);
  assert.equal(wallToMedia(frags, t0 + 300_000 + 20_000), 80, 'the second recording, not 320 s in');
  assert.equal(wallToMedia(frags, t0 + 120_000), null, 'in the gap');
  assert.equal(mediaToWall(frags, 80), t0 + 320_000);
  assert.equal(mediaToWall(frags, 200), t0 + 300_000 + 58_000 + 82_000, 'past the end: the last fragment extended');
});

test('playback opens an hour back on the day that holds that moment, just after midnight as just before', () => {
  const afterMidnight = new Date(2026, 10, 23, 0, 55).getTime();
  const at = openingPosition(afterMidnight);
  assert.equal(at.cursorMs, new Date(2026, 10, 22, 23, 55).getTime());
  assert.equal(at.dayStartMs, new Date(2026, 10, 22).getTime(), 'yesterday, where the cursor is — not today');
  const beforeMidnight = openingPosition(new Date(2026, 10, 22, 23, 55).getTime());
  assert.equal(beforeMidnight.dayStartMs, new Date(2026, 10, 22).getTime());
  assert.equal(dayStart(beforeMidnight.cursorMs), beforeMidnight.dayStartMs);
  for (let h = 0; h < 24; h++) {
    const p = openingPosition(new Date(2026, 10, 22, h, 7).getTime());
    assert.equal(dayStart(p.cursorMs), p.dayStartMs, `at ${h}:07 the day shown holds the cursor`);
  }
});

test('once a day is read the cursor moves onto its first recording, unless it is already in one', () => {
  const day = new Date(2026, 10, 22).getTime();
  const h = (n: number) => day + n * 3600_000;
  const segs = [
    { kind: 'cloud' as const, startMs: h(-1), endMs: h(1) }, // crosses midnight into the day
    { kind: 'cloud' as const, startMs: h(5), endMs: h(6) },
  ];
  assert.equal(cursorOnDay(segs, day, h(3)), day, 'a recording from the day before: the day’s start');
  assert.equal(cursorOnDay(segs, day, h(5.5)), null, 'already in a recording');
  assert.equal(cursorOnDay(segs.slice(1), day, h(3)), h(5));
  assert.equal(cursorOnDay(segs, nextDay(day), h(30)), null, 'a day without recordings');
});
