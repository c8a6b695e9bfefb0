import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rulerTicks, timeToX, zoomAboutCursor, zoomAt, type View } from '../../renderer/model/timeline';

const DAY = 86400_000;
const day: View = { startMs: 0, spanMs: DAY };
const W = 1000;

test('the zoom buttons keep a cursor near the end of the day in the middle half, so the recording after it stays in view', () => {
  const cursor = DAY - 15 * 60_000; // 23:45, where a recording starts
  let v = day;
  for (let i = 0; i < 6; i++) v = zoomAboutCursor(v, cursor, W, 0.5);
  assert.equal(v.spanMs, DAY / 64);
  const cx = timeToX(cursor, v, W);
  assert.ok(cx >= 0.25 * W && cx <= 0.75 * W, `cursor at ${cx}`);
  // The minute after the cursor is wholly in view.
  assert.ok(timeToX(cursor + 60_000, v, W) <= W);
});

test('a cursor already in the middle half stays where it is on screen; one out of view zooms about the middle', () => {
  const cursor = DAY / 3;
  const v = zoomAboutCursor(day, cursor, W, 0.5);
  assert.equal(Math.round(timeToX(cursor, v, W)), Math.round(timeToX(cursor, day, W)));
  const away = zoomAboutCursor(day, 2 * DAY, W, 0.5);
  assert.equal(away.startMs + away.spanMs / 2, DAY / 2);
  // Zoom limits still hold.
  assert.equal(zoomAboutCursor({ startMs: 0, spanMs: 1500 }, 700, W, 0.5).spanMs, 1000);
});

const H = 3600_000;
const fixed = (hours: number) => () => hours * H;

test('ruler ticks fall on round local hours: 6-hour steps at 00, 06, 12, 18 in UTC+8, hours on the hour in UTC+5:30', () => {
  // A local day in UTC+8 starts at 16:00 UTC the day before.
  const localDay: View = { startMs: 20 * DAY - 8 * H, spanMs: DAY };
  const six = rulerTicks(localDay, 500, fixed(8)); // 500 px: room for 5 ticks → 6-hour steps
  assert.deepEqual(
    six.map((t) => ((t.ms + 8 * H) % DAY) / H),
    [0, 6, 12, 18],
  );
  const india: View = { startMs: 20 * DAY, spanMs: 6 * H };
  const hours = rulerTicks(india, 1000, fixed(5.5));
  assert.ok(hours.length >= 5);
  for (const t of hours) assert.equal((t.ms + 5.5 * H) % H, 0, `tick at ${new Date(t.ms).toISOString()}`);
});

test('midnight and day steps read as dates, short views as seconds; a label that would run past the end is left off', () => {
  const twoDays: View = { startMs: 20 * DAY - 3 * H, spanMs: 2 * DAY };
  const ticks = rulerTicks(twoDays, 800, fixed(0));
  assert.deepEqual(
    ticks.filter((t) => t.label === 'date').map((t) => t.ms),
    [20 * DAY, 21 * DAY],
  );
  assert.ok(ticks.some((t) => t.label === 'time'));
  const minutes: View = { startMs: 20 * DAY, spanMs: 5 * 60_000 };
  assert.ok(rulerTicks(minutes, 800, fixed(0)).every((t) => t.label === 'seconds' || t.label === null));
  // A tick 20 px from the right end has its line but no label.
  const late: View = { startMs: 20 * DAY + 20_000 - DAY, spanMs: DAY };
  const last = rulerTicks(late, 1000, fixed(0)).at(-1)!;
  assert.ok(last.x > 975 && last.label === null, JSON.stringify(last));
});

test('the ruler holds as many ticks as its width keeps apart', () => {
  for (const width of [300, 600, 1200]) {
    const ticks = rulerTicks(day, width, fixed(0));
    assert.ok(ticks.length <= Math.max(2, Math.floor(width / 90)) + 1, `${ticks.length} ticks in ${width} px`);
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]!.x - ticks[i - 1]!.x >= 60);
  }
});

test('a daylight-saving change inside the view moves the ticks after it with the clock', () => {
  // Offset +1 h until 02:00 local (01:00 UTC), +2 h after: ticks stay on local whole hours.
  const change = 20 * DAY + 1 * H;
  const offsetAt = (ms: number) => (ms < change ? H : 2 * H);
  const view: View = { startMs: 20 * DAY - 3 * H, spanMs: 8 * H };
  const ticks = rulerTicks(view, 1000, offsetAt);
  for (const t of ticks) assert.equal((t.ms + offsetAt(t.ms)) % H, 0);
  // The hour the clock skips (02:00) is not a tick of its own: no tick twice.
  for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]!.ms > ticks[i - 1]!.ms, JSON.stringify(ticks));
  assert.deepEqual(
    ticks.map((t) => ((t.ms + offsetAt(t.ms)) % DAY) / H),
    [22, 23, 0, 1, 3, 4, 5, 6],
  );
});

test('the hour a clock repeats (autumn) has its ticks at both instants; a day whose midnight is skipped keeps its date (review 13)', () => {
  // Offset +2 h until 03:00 local (01:00 UTC), +1 h after: 02:00–03:00 local comes twice.
  const back = 20 * DAY + 1 * H;
  const berlin = (ms: number) => (ms < back ? 2 * H : H);
  const ticks = rulerTicks({ startMs: back - 30 * 60_000, spanMs: H }, 1000, berlin); // 10-minute steps
  assert.deepEqual(
    ticks.map((t) => (t.ms - back) / 60_000),
    [-30, -20, -10, 0, 10, 20],
    'the view has ticks all along, the second 02:00 included',
  );
  assert.deepEqual(
    ticks.map((t) => ((t.ms + berlin(t.ms)) % H) / 60_000),
    [30, 40, 50, 0, 10, 20],
  );
  // Offset −4 h until local midnight, −3 h after: that day starts at 01:00, and is still labelled.
  const spring = 20 * DAY + 4 * H; // 00:00 local (−4) is 01:00 local (−3)
  const santiago = (ms: number) => (ms < spring ? -4 * H : -3 * H);
  const days = rulerTicks({ startMs: spring - 2 * DAY, spanMs: 4 * DAY }, 800, santiago);
  assert.deepEqual(
    days.filter((t) => t.label === 'date').map((t) => (t.ms - spring) / H),
    [-48, -24, 0, 23],
    'one date a day: 18th, 19th, the 20th from 01:00, the 21st',
  );
  const hours = rulerTicks({ startMs: spring - 3 * H, spanMs: 6 * H }, 1000, santiago);
  assert.equal(hours.find((t) => t.ms === spring)?.label, 'date', '01:00 opens the day');
});

test('a view not laid out yet (width 0) or a broken one draws no ticks and zooms nothing, instead of looping', () => {
  assert.deepEqual(rulerTicks(day, 0), []);
  assert.deepEqual(rulerTicks({ startMs: NaN, spanMs: DAY }, 800), []);
  assert.deepEqual(rulerTicks({ startMs: 9e15, spanMs: DAY }, 800), []); // past Date's range
  assert.deepEqual(zoomAboutCursor(day, DAY / 2, 0, 0.5), day);
  assert.deepEqual(zoomAt(day, 0, 0, 0.5), day);
});
