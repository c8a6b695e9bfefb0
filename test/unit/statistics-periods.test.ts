import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEAT_ALPHA, heatBucket, heatColour, heatLegend, heatRgba } from '../../common/heatmap';
import {
  fitSeries,
  flowQuery,
  gridDays,
  platformToday,
  shiftPeriod,
  statsDateProblem,
  weekStart,
} from '../../common/stats-periods';
import { bucketLabel } from '../../renderer/model/stats-chart';

// Huawei IVM §10.4 and §20.3 (seed 003): the period arithmetic of people-flow questions and the
// space heat map's colours, with the document's tables and example as the expected values.

/** Seed 003 §20.3 "热度值和颜色对应关系": value range → (A, R, G, B), as printed. */
const TABLE: Array<[number, number, [number, number, number, number]]> = [
  [0, 11, [0, 0, 0, 0]],
  [12, 23, [255, 0, 0, 255]],
  [24, 34, [255, 0, 51, 255]],
  [35, 46, [255, 0, 102, 255]],
  [47, 57, [255, 0, 153, 255]],
  [58, 69, [255, 0, 204, 255]],
  [70, 81, [255, 0, 255, 255]],
  [82, 92, [255, 0, 255, 204]],
  [93, 104, [255, 0, 255, 153]],
  [105, 115, [255, 0, 255, 102]],
  [116, 127, [255, 0, 255, 51]],
  [128, 139, [255, 0, 255, 0]],
  [140, 150, [255, 51, 255, 0]],
  [151, 162, [255, 102, 255, 0]],
  [163, 173, [255, 153, 255, 0]],
  [174, 185, [255, 204, 255, 0]],
  [186, 197, [255, 255, 255, 0]],
  [198, 208, [255, 255, 204, 0]],
  [209, 220, [255, 255, 153, 0]],
  [221, 231, [255, 255, 102, 0]],
  [232, 243, [255, 255, 51, 0]],
  [244, 255, [255, 255, 0, 0]],
];

test('§20.3: every value of every printed range gets its colour, packed as R*256*256 + G*256 + B + 0x55000000', () => {
  for (const [from, to, [, r, g, b]] of TABLE)
    for (let v = from; v <= to; v++) {
      const expected = from === 0 ? 0 : r * 256 * 256 + g * 256 + b + 0x55000000;
      assert.equal(heatColour(v), expected, `value ${v}`);
    }
  // The second pseudo-code's worked case: 0–11 give 0; 12–23 the first row's RGB plus max.
  assert.equal(heatColour(11), 0);
  assert.equal(heatColour(12), 0x55000000 + 255);
});

test('§20.3: a Java byte is masked with & 0xFF first (−1 is 255, red); buckets run 0…21', () => {
  assert.equal(heatColour(-1), heatColour(255));
  assert.equal(heatColour(-128), heatColour(128));
  assert.equal(heatBucket(0), 0);
  assert.equal(heatBucket(255), 21);
});

test('§20.3 as RGBA for a canvas: bucket 0 fully transparent, the rest the table colour at the fixed 0x55 alpha', () => {
  const rgba = heatRgba([0, 11, 12, 70, 128, 186, 255]);
  assert.equal(rgba.length, 7 * 4);
  assert.deepEqual([...rgba.subarray(0, 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...rgba.subarray(8, 12)], [0, 0, 255, HEAT_ALPHA], 'blue');
  assert.deepEqual([...rgba.subarray(12, 16)], [0, 255, 255, 0x55], 'cyan');
  assert.deepEqual([...rgba.subarray(16, 20)], [0, 255, 0, 0x55], 'green');
  assert.deepEqual([...rgba.subarray(20, 24)], [255, 255, 0, 0x55], 'yellow');
  assert.deepEqual([...rgba.subarray(24, 28)], [255, 0, 0, 0x55], 'red');
  assert.deepEqual([...heatRgba([200], 200)], [255, 204, 0, 200], 'another alpha');
});

test('the legend lists the 21 coloured ranges of the table, coolest first, without gaps', () => {
  const legend = heatLegend();
  assert.equal(legend.length, 21);
  legend.forEach((row, k) => {
    const [from, to, [, r, g, b]] = TABLE[k + 1]!;
    assert.deepEqual([row.from, row.to, [...row.rgb]], [from, to, [r, g, b]]);
  });
});

test('§10.4.1 questions: DAY 24 hours, WEEK from Monday with no span, MONTH first to last day, YEAR 12 months', () => {
  // The document's example asks YEAR with start_date 20200101: twelve monthly values.
  const year = flowQuery('year', '2020-01-01');
  assert.deepEqual([year.type, year.startDate, year.endDate, year.buckets.length], ['YEAR', '20200101', undefined, 12]);
  assert.deepEqual(
    [year.from, year.to, year.buckets[0], year.buckets[11]],
    ['2020-01-01', '2020-12-31', '2020-01', '2020-12'],
  );
  const day = flowQuery('day', '2026-11-22');
  assert.deepEqual([day.type, day.startDate, day.endDate], ['DAY', '20261122', undefined]);
  assert.deepEqual([day.buckets[0], day.buckets[23]], ['2026-11-22 00:00', '2026-11-22 23:00']);
  // 2026-11-22 is a Sunday: its week starts Monday 16 November.
  const week = flowQuery('week', '2026-11-22');
  assert.deepEqual(
    [week.type, week.startDate, week.endDate, week.from, week.to],
    ['WEEK', '20261116', '20261116', '2026-11-16', '2026-11-22'],
  );
  // A MONTH with a span under 7 days is answered as WEEK, so the whole month is asked.
  const feb = flowQuery('month', '2024-02-10');
  assert.deepEqual([feb.type, feb.startDate, feb.endDate, feb.buckets.length], ['MONTH', '20240201', '20240229', 29]);
  assert.equal(flowQuery('month', '2023-02-10').buckets.length, 28);
});

test('weeks start on Monday, across month and year ends', () => {
  assert.equal(weekStart('2026-11-16'), '2026-11-16');
  assert.equal(weekStart('2027-01-01'), '2026-12-28');
  assert.equal(weekStart('2024-03-03'), '2024-02-26');
  assert.deepEqual(gridDays('week', '2027-01-01'), [
    '2026-12-28',
    '2026-12-29',
    '2026-12-30',
    '2026-12-31',
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
  ]);
  assert.equal(gridDays('month', '2024-02-29').length, 29);
});

test('stepping periods keeps the day, clamped to shorter months', () => {
  assert.equal(shiftPeriod('day', '2026-03-01', -1), '2026-02-28');
  assert.equal(shiftPeriod('week', '2026-12-29', 1), '2027-01-05');
  assert.equal(shiftPeriod('month', '2024-01-31', 1), '2024-02-29');
  assert.equal(shiftPeriod('month', '2026-01-15', -1), '2025-12-15');
  assert.equal(shiftPeriod('year', '2024-02-29', 1), '2025-02-28');
});

test("today is the platform's (UTC+8): 16:00 UTC is already the next day", () => {
  assert.equal(platformToday(Date.UTC(2026, 10, 26, 15, 59, 59)), '2026-11-26');
  assert.equal(platformToday(Date.UTC(2026, 10, 26, 16, 0, 0)), '2026-11-27');
  assert.equal(platformToday(Date.UTC(2026, 10, 26, 16, 0, 0), 0), '2026-11-26');
});

test('a day that is not one, in the future or before 2000 is refused in words', () => {
  assert.equal(statsDateProblem('2026-11-22', '2026-11-26'), null);
  assert.equal(statsDateProblem('2026-11-26', '2026-11-26'), null);
  assert.match(statsDateProblem('2026-11-27', '2026-11-26')!, /future/);
  assert.match(statsDateProblem('2026-02-30', '2026-11-26')!, /not a date/);
  assert.match(statsDateProblem('20261122', '2026-11-26')!, /not a date/);
  assert.match(statsDateProblem('1999-12-31', '2026-11-26')!, /before 2000/);
});

test('a series fits its buckets: short ones leave unknowns (not zeros), long ones are cut, both said', () => {
  assert.deepEqual(fitSeries([1, 2, 3], 3), { values: [1, 2, 3], mismatch: null });
  assert.deepEqual(fitSeries([1, 2], 4), { values: [1, 2, null, null], mismatch: 'short' });
  assert.deepEqual(fitSeries([1, 2, 3, 4, 5], 3), { values: [1, 2, 3], mismatch: 'long' });
});

test('bucket labels read the calendar day, whatever this computer’s zone', () => {
  assert.equal(bucketLabel('2026-11-22 08:00', 'day', 'en'), '08:00');
  assert.equal(bucketLabel('2026-11-22', 'month', 'en'), '22');
  assert.equal(bucketLabel('2026-11', 'year', 'en'), 'Nov');
  assert.equal(bucketLabel('2026-11', 'year', 'en', true), 'November 2026');
  assert.match(bucketLabel('2026-11-16', 'week', 'en'), /Mon/);
  assert.match(bucketLabel('2026-11-16', 'week', 'zh-CN'), /周一/);
});
