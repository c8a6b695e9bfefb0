import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mediaToWall, wallToMedia } from '../../renderer/media/dated';
import { normalizeRange, unlistedWindow, UNLISTED_WINDOW_MS } from '../../renderer/features/playback/timeline';
import { dayStart, daysBetween, mergeSegments, monthDays, nextDay } from '../../renderer/stores/playback/days';

// Recordings are read per local day (no platform has a REST recording calendar): the days the
// calendar and the timeline ask for, and how several days' answers become one track.

test('local days: midnight of any moment, the next midnight, the days a view intersects', () => {
  const noon = new Date(2026, 10, 22, 12, 30).getTime();
  assert.equal(dayStart(noon), new Date(2026, 10, 22).getTime());
  assert.equal(nextDay(dayStart(noon)), new Date(2026, 10, 23).getTime());
  assert.deepEqual(daysBetween(new Date(2026, 10, 21, 23).getTime(), new Date(2026, 10, 23, 1).getTime()), [21, 22, 23].map((d) => new Date(2026, 10, d).getTime()));
  // A view ending exactly at midnight does not ask for the next day.
  assert.deepEqual(daysBetween(new Date(2026, 10, 22).getTime(), new Date(2026, 10, 23).getTime()), [new Date(2026, 10, 22).getTime()]);
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
    [{ ...cross, endMs: 4000 }, { kind: 'cloud', startMs: 6000, endMs: 7000 }],
  ]);
  assert.deepEqual(merged, [cross, { kind: 'device', startMs: 1000, endMs: 3000 }, { kind: 'cloud', startMs: 6000, endMs: 7000 }]);
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
  const frags = [0, 1].flatMap((r) => Array.from({ length: 30 }, (_, i) => ({ start: r * 60 + i * 2, duration: 2, wallMs: t0 + r * 300_000 + i * 2000 })));
  assert.equal(wallToMedia(frags, t0 + 20_000), 20);
  assert.equal(wallToMedia(frags, t0 + 300_000 + 20_000), 80, 'the second recording, not 320 s in');
  assert.equal(wallToMedia(frags, t0 + 120_000), null, 'in the gap');
  assert.equal(mediaToWall(frags, 80), t0 + 320_000);
  assert.equal(mediaToWall(frags, 200), t0 + 300_000 + 58_000 + 82_000, 'past the end: the last fragment extended');
});
