import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeToX, zoomAboutCursor, type View } from '../../renderer/model/timeline';

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
