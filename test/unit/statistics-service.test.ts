import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlowQuery } from '../../common/stats-periods';
import { AppError } from '../../main/errors';
import type { Platform, StatisticsOps } from '../../main/platforms/platform';
import type { AccountsService } from '../../main/services/accounts';
import { StatisticsService } from '../../main/services/statistics';

// The statistics service with a fake platform: which question it asks for a period, how it
// fits and totals the answer, the day × hour grid with a failing day, refusals and exports.

const ACCOUNT = 'acc_0123456789abcdef';
const CAMERA = { accountId: ACCOUNT, channelId: 'ch:21A0123456SMY01:0' };
const NOW = Date.UTC(2026, 10, 26, 4, 0, 0); // 12:00 on 2026-11-26 in Beijing

function service(ops: Partial<StatisticsOps> | null) {
  const platform = { statistics: ops ? { utcOffsetMinutes: 480, ...ops } : undefined } as unknown as Platform;
  const accounts = { platform: async () => platform } as unknown as AccountsService;
  return new StatisticsService(accounts, () => NOW);
}

test('people flow: the period’s question, its buckets and totals; a short answer leaves unknowns and says so', async () => {
  const asked: FlowQuery[] = [];
  const s = service({
    peopleFlow: async (_c, q) => (asked.push(q), { in: [5, 7, 1], out: [2, 3] }),
  });
  const flow = await s.peopleFlow({ ...CAMERA, period: 'week', date: '2026-11-22' });
  assert.deepEqual([asked[0]!.type, asked[0]!.startDate, asked[0]!.endDate], ['WEEK', '20261116', '20261116']);
  assert.equal(flow.buckets.length, 7);
  assert.deepEqual(flow.buckets[0], { key: '2026-11-16', in: 5, out: 2 });
  assert.deepEqual(flow.buckets[2], { key: '2026-11-18', in: 1, out: null });
  assert.deepEqual(flow.buckets[6], { key: '2026-11-22', in: null, out: null });
  assert.deepEqual(flow.totals, { in: 13, out: 5 });
  assert.equal(flow.mismatch, 'short');
  assert.equal(flow.timeZone, 'UTC+08:00');
});

test('a day after today on the platform’s calendar, or no day at all, is refused before asking', async () => {
  let calls = 0;
  const s = service({ peopleFlow: async () => (calls++, { in: [], out: [] }) });
  await assert.rejects(s.peopleFlow({ ...CAMERA, period: 'day', date: '2026-11-27' }), (e: AppError) => {
    assert.equal(e.code, 'VALIDATION');
    assert.match(e.message, /future/);
    return true;
  });
  await assert.rejects(s.peopleFlow({ ...CAMERA, period: 'day', date: '2026-02-30' }), /not a date/);
  assert.equal(calls, 0);
});

test('an account whose platform has no statistics is NOT_AVAILABLE', async () => {
  await assert.rejects(service(null).peopleFlow({ ...CAMERA, period: 'day', date: '2026-11-20' }), (e: AppError) => {
    assert.equal(e.code, 'NOT_AVAILABLE');
    return true;
  });
});

test('time heat map: one DAY per row up to today, a failing day keeps its reason, days to come stay blank', async () => {
  const asked: string[] = [];
  const s = service({
    timeHeat: async (_c, type, start) => {
      assert.equal(type, 'DAY');
      asked.push(start);
      if (start.startsWith('2026-11-24')) throw new AppError('PLATFORM_ERROR', 'Get time heatmap failed');
      return Array.from({ length: 24 }, (_, h) => h + Number(start.slice(8, 10)));
    },
  });
  const heat = await s.timeHeat({ ...CAMERA, span: 'week', date: '2026-11-26' });
  assert.deepEqual([heat.from, heat.to, heat.days.length], ['2026-11-23', '2026-11-29', 7]);
  assert.deepEqual(
    asked.sort(),
    ['23', '24', '25', '26'].map((d) => `2026-11-${d} 00:00:00`),
  );
  assert.equal(heat.days[0]!.hours[5], 28);
  assert.equal(heat.days[1]!.error, 'Get time heatmap failed');
  assert.deepEqual(heat.days[6]!.hours, Array(24).fill(null));
  assert.equal(heat.max, 23 + 26);
});

test('time heat map: when every day fails, that failure is the answer', async () => {
  const s = service({
    timeHeat: async () => {
      throw new AppError('PLATFORM_ERROR', 'GB device not support heatmap operation');
    },
  });
  await assert.rejects(s.timeHeat({ ...CAMERA, span: 'month', date: '2026-10-01' }), /GB device/);
});

test('space heat map: the period’s type and first second; the grid as base64 with its size', async () => {
  const s = service({
    spaceHeat: async (_c, type, start) => {
      assert.deepEqual([type, start], ['MONTH', '2026-10-01 00:00:00']);
      return { width: 2, height: 2, cells: Uint8Array.from([0, 12, 128, 255]), complete: false };
    },
  });
  const map = await s.spaceHeat({ ...CAMERA, period: 'month', date: '2026-10-17' });
  assert.deepEqual(
    [map.width, map.height, map.complete, [...Buffer.from(map.cells, 'base64')]],
    [2, 2, false, [0, 12, 128, 255]],
  );
});

test('export: CSV with a BOM, localized headings with the zone, one row per bucket, unknowns empty; XLSX readable', async () => {
  const s = service({ peopleFlow: async () => ({ in: Array(12).fill(10), out: [1, 2] }) });
  const request = {
    ...CAMERA,
    period: 'year' as const,
    date: '2025-06-01',
    cameraName: '大门/球机',
    columns: { time: '时间', in: '进入', out: '离开' },
  };
  const csv = await s.export({ ...request, format: 'csv' });
  assert.equal(csv.fileName, 'people-flow-大门_球机-2025.csv');
  assert.equal(csv.rows, 12);
  const text = Buffer.from(csv.base64, 'base64').toString('utf8');
  const lines = text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  assert.ok(text.startsWith('\uFEFF'));
  assert.deepEqual(lines.slice(0, 4), ['时间 (UTC+08:00),进入,离开', '2025-01,10,1', '2025-02,10,2', '2025-03,10,']);
  const xlsx = await s.export({ ...request, format: 'xlsx' });
  const { readSheet } = await import('../../main/formats/sheets');
  const sheet = await readSheet(Buffer.from(xlsx.base64, 'base64'));
  assert.deepEqual(sheet?.header, ['时间 (UTC+08:00)', '进入', '离开']);
  assert.deepEqual(sheet?.rows[1], ['2025-02', '10', '2']);
});
