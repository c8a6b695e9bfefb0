import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawIvm } from './raw';

// §10.4 (seed 003 tables 10-77 … 10-88) over plain HTTP: the emulator's seeded counts follow the
// document's fields, bucketing and WEEK ↔ MONTH rules, and add up the way a real counter's do.

const NOW = Date.UTC(2026, 10, 26, 4, 30); // 2026-11-26 12:30 in Beijing
const { call } = rawIvm({ gbRegisterAfterMs: null, clock: () => NOW });
const GATE = 'device_id=21A0123456SMY01&channel_id=0';
const GB = 'device_id=34020000001180000001&channel_id=34020000001320000001';
type Flow = { in: number[]; out: number[] };
const people = async (q: string) => {
  const r = await call<Flow>('GET', `/statistics/people?${GATE}&${q}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

test('the document’s example (YEAR, start_date = end_date = 20200101) answers twelve monthly integers in and out', async () => {
  const r = await people('start_date=20200101&end_date=20200101&type=YEAR');
  assert.deepEqual(Object.keys(r).sort(), ['in', 'out']);
  assert.equal(r.in.length, 12);
  assert.equal(r.out.length, 12);
  assert.ok([...r.in, ...r.out].every((v) => Number.isInteger(v) && v >= 0));
});

test('DAY is 24 hours; WEEK is the 7 days from Monday of the week holding start_date, each a DAY’s sum', async () => {
  const week = await people('type=WEEK&start_date=20261119');
  assert.equal(week.in.length, 7);
  assert.deepEqual(await people('type=WEEK&start_date=20261122'), week, 'any day of the week asks the same week');
  for (let i = 0; i < 7; i++) {
    const day = await people(`type=DAY&start_date=202611${16 + i}`);
    assert.equal(day.in.length, 24);
    assert.equal(sum(day.in), week.in[i], `in on 11-${16 + i}`);
    assert.equal(sum(day.out), week.out[i], `out on 11-${16 + i}`);
  }
});

test('MONTH is one value per day of the month; YEAR’s months are the MONTH sums', async () => {
  const oct = await people('type=MONTH&start_date=20261001&end_date=20261031');
  assert.equal(oct.in.length, 31);
  const year = await people('type=YEAR&start_date=20260101');
  assert.equal(year.in[9], sum(oct.in));
  assert.equal(year.out[9], sum(oct.out));
});

test('WEEK with a span of 7 days or more is answered as MONTH; MONTH under 7 days as WEEK; end_date defaults to start_date', async () => {
  assert.equal((await people('type=WEEK&start_date=20240201&end_date=20240208')).in.length, 29);
  assert.equal((await people('type=WEEK&start_date=20240201&end_date=20240207')).in.length, 7);
  assert.equal((await people('type=MONTH&start_date=20240201&end_date=20240207')).in.length, 7);
  assert.equal((await people('type=MONTH&start_date=20240201')).in.length, 7, 'a MONTH without end_date has no span');
});

test('hours after the platform’s clock count nothing yet; the year’s later months are 0', async () => {
  const today = await people('type=DAY&start_date=20261126');
  assert.deepEqual(today.in.slice(13), Array(11).fill(0));
  assert.ok(sum(today.in.slice(7, 12)) > 0, 'the morning has been counted');
  const year = await people('type=YEAR&start_date=20260101');
  assert.equal(year.in[11], 0);
});

test('§10.4.2 time heat map: the period holding start_time, the people of each bucket; the space may be %20 or +', async () => {
  const day = await people('type=DAY&start_date=20261120');
  for (const space of ['%20', '+']) {
    const r = await call<{ data: number[] }>(
      'GET',
      `/time-heatmap?${GATE}&type=DAY&start_time=2026-11-20${space}17:45:00`,
    );
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.data,
      day.in.map((v, h) => v + day.out[h]!),
    );
  }
  const month = await call<{ data: number[] }>(
    'GET',
    `/time-heatmap?${GATE}&type=MONTH&start_time=2024-02-10%2008:00:00`,
  );
  assert.equal(month.body.data.length, 29);
});

test('§10.4.3 space heat map: width × height bytes of base64, the same map for any time in the period', async () => {
  type Space = { width: number; height: number; rawbase64: string };
  const a = await call<Space>('GET', `/space-heatmap?${GATE}&type=WEEK&start_time=2026-11-16%2000:00:00`);
  const b = await call<Space>('GET', `/space-heatmap?${GATE}&type=WEEK&start_time=2026-11-19%2013:14:21`);
  assert.deepEqual(Object.keys(a.body).sort(), ['height', 'rawbase64', 'width']);
  assert.equal(Buffer.from(a.body.rawbase64, 'base64').length, a.body.width * a.body.height);
  assert.deepEqual(a.body, b.body);
  const cells = [...Buffer.from(a.body.rawbase64, 'base64')];
  assert.ok(Math.max(...cells) >= 128 && Math.min(...cells) < 12, 'hot spots and cold floor both present');
});

test('§10.4 errors: GB28181 cameras (IVM.20020011 / IVM.20090022), a bad type (IVM.20090019), bad dates', async () => {
  const code = async (path: string) => (await call<{ error_code: string }>('GET', path)).body.error_code;
  assert.equal(await code(`/statistics/people?${GB}&type=DAY&start_date=20261120`), 'IVM.20020011');
  assert.equal(await code(`/time-heatmap?${GB}&type=DAY&start_time=2026-11-20%2000:00:00`), 'IVM.20090022');
  assert.equal(await code(`/space-heatmap?${GB}&type=DAY&start_time=2026-11-20%2000:00:00`), 'IVM.20090022');
  assert.equal(await code(`/statistics/people?${GATE}&type=HOUR&start_date=20261120`), 'IVM.20090019');
  assert.equal(await code(`/statistics/people?${GATE}&type=DAY&start_date=2026-11-20`), 'IVM.10020005');
  assert.equal(
    await code(`/statistics/people?${GATE}&type=WEEK&start_date=20261120&end_date=20261101`),
    'IVM.10020007',
  );
});
