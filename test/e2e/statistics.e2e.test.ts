import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { heatRgba } from '../../common/heatmap';
import { addDays, platformToday, weekStart } from '../../common/stats-periods';
import type { WebHost } from '../../main/host/web';
import type { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { closePagesAfterEach, pickOption } from '../helpers/browser';
import { startStack, type Stack } from '../helpers/stack';

// Issue 57 §4: the Statistics page against the Huawei IVM emulator. The numbers the chart, the
// table, the CSV and the heat maps show are the emulator's own seeded counts (read from its
// counting model, not through Vigil's client), for last week of the gate camera.

let ivm: IvmEmulator;
let browser: Browser;
let host: WebHost;
let stack: Stack;
const CAMERA = '21A0123456SMY01/0';

before(async () => {
  stack = await startStack({ ivm: {} });
  ({ host, browser } = stack);
  ivm = stack.ivm!;
});

closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** A chart's series as ECharts holds them (name and data), read back from its option by EChart.tsx. */
const chartSeries = async (page: Page, testId: string) =>
  JSON.parse((await page.getByTestId(testId).getAttribute('data-series')) ?? '[]') as Array<{
    name: string;
    data: unknown[];
  }>;

test('last week of a camera: chart, table and CSV carry the emulator’s counts; the time heat grid and the space heat map with its legend', async () => {
  const page = await (
    await browser.newContext({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true })
  ).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Statistics|统计分析/ }).click();
  await page.getByTestId('statistics-page').waitFor();
  await pickOption(page, page.getByTestId('statistics-camera'), '大门球机', '大门');
  await page.getByTestId('flow-table').waitFor();

  // A week, one back: a whole week in the past (no hour still counting).
  await page
    .getByTestId('statistics-period')
    .getByText(/^(Week|周)$/)
    .click();
  const monday = addDays(weekStart(platformToday(Date.now())), -7);
  await page.getByTestId('statistics-previous').click();
  await page.waitForFunction(
    (m) => (document.querySelector('[data-testid="statistics-range"]')?.textContent ?? '').startsWith(m),
    monday,
  );
  await page.locator('[data-testid="flow-row-6"]').waitFor();
  const first = new Date(`${monday}T00:00:00Z`);
  const want = {
    in: ivm.dataflow.counts.series(CAMERA, 'WEEK', first, 'in'),
    out: ivm.dataflow.counts.series(CAMERA, 'WEEK', first, 'out'),
  };
  // The chart's own data, read back from ECharts (EChart.tsx puts it on the chart's box), not its pixels.
  await page.waitForFunction(() => {
    const series = document.querySelector<HTMLElement>('[data-testid="flow-chart"]')?.dataset.series;
    return !!series && (JSON.parse(series) as Array<{ data: unknown[] }>)[0]?.data.length === 7;
  });
  assert.ok(await page.locator('[data-testid="flow-chart"] svg').count(), 'drawn by ECharts (SVG renderer)');
  const bars = await chartSeries(page, 'flow-chart');
  assert.deepEqual(bars[0]!.data, want.in, 'chart bars (in)');
  assert.deepEqual(bars[1]!.data, want.out, 'chart bars (out)');
  for (let i = 0; i < 7; i++) {
    const cells = await page.locator(`[data-testid="flow-row-${i}"] td`).allTextContents();
    assert.deepEqual(cells.slice(1, 4).map(Number), [want.in[i], want.out[i], want.in[i]! - want.out[i]!], `row ${i}`);
  }
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  assert.match((await page.getByTestId('flow-total-in').textContent()) ?? '', new RegExp(`${total(want.in)}$`));
  assert.match((await page.getByTestId('flow-total-out').textContent()) ?? '', new RegExp(`${total(want.out)}$`));

  // CSV: a heading with the platform's zone, then the seven days with their counts.
  const download = page.waitForEvent('download');
  await page.getByTestId('flow-export-csv').click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^people-flow-.+-week-\d{4}-\d\d-\d\d\.csv$/);
  const lines = fs
    .readFileSync((await file.path())!, 'utf8')
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split(/\r\n/);
  assert.match(lines[0]!, /\(UTC\+08:00\),(In|进入),(Out|离开)$/);
  assert.deepEqual(
    lines.slice(1),
    want.in.map((v, i) => `${addDays(monday, i)},${v},${want.out[i]}`),
  );

  // Time heat map: the same week, 7 days × 24 hours, each the people in and out of that hour.
  await page.getByRole('tab', { name: /Time heat map|时间热度图/ }).click();
  // The week's grid once it is in the chart: 7 days × 24 hours, each cell [hour, day row, count].
  await page.waitForFunction(() => {
    const series = document.querySelector<HTMLElement>('[data-testid="time-heat-chart"]')?.dataset.series;
    return !!series && (JSON.parse(series) as Array<{ data: unknown[] }>)[0]?.data.length === 7 * 24;
  });
  const heatCells = (await chartSeries(page, 'time-heat-chart'))[0]!.data as Array<[number, number, number]>;
  const grid: number[] = [];
  for (const [h, d, v] of heatCells) grid[d * 24 + h] = v;
  const expected: number[] = [];
  for (let d = 0; d < 7; d++)
    for (let h = 0; h < 24; h++) {
      const day = addDays(monday, d);
      expected.push(ivm.dataflow.counts.hour(CAMERA, day, h, 'in') + ivm.dataflow.counts.hour(CAMERA, day, h, 'out'));
    }
  assert.deepEqual(grid, expected);
  assert.equal(Number(await page.getByTestId('time-heat-max').textContent()), Math.max(...expected));
  await page.getByTestId('time-heat-legend').waitFor();

  // Space heat map: the grid painted with §20.3 colours at the fixed alpha, over the camera's picture, with its legend.
  await page.getByRole('tab', { name: /Space heat map|空间热度图/ }).click();
  const canvas = page.getByTestId('space-heat-canvas');
  await canvas.waitFor();
  await page.getByTestId('space-heat-picture').waitFor();
  assert.ok(await page.getByTestId('space-heat-picture').evaluate((img: HTMLImageElement) => img.naturalWidth > 0));
  assert.equal(await page.getByTestId('space-legend-swatch').count(), 21);
  assert.equal(await page.getByTestId('space-legend-swatch').first().getAttribute('data-rgb'), '0,0,255');
  assert.equal(await page.getByTestId('space-legend-swatch').last().getAttribute('data-rgb'), '255,0,0');
  const [w, h] = [Number(await canvas.getAttribute('data-width')), Number(await canvas.getAttribute('data-height'))];
  const cells = ivm.dataflow.counts.space(CAMERA, `WEEK/${monday}`, w, h);
  const want2 = [...heatRgba(cells)];
  const painted = await canvas.evaluate((c: HTMLCanvasElement) => [
    ...c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data,
  ]);
  assert.equal(painted.length, want2.length);
  const off = painted.findIndex((v, i) => Math.abs(v - want2[i]!) > 1);
  assert.equal(off, -1, `pixel ${off >> 2}: painted ${painted.slice(off, off + 4)} for ${want2.slice(off, off + 4)}`);
  assert.ok(
    want2.some((v, i) => i % 4 === 3 && v > 0) && want2.some((v, i) => i % 4 === 3 && v === 0),
    'the map has coloured and clear cells',
  );
});

test('a GB28181 camera is refused by the platform and the page says so', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Statistics|统计分析/ }).click();
  await pickOption(page, page.getByTestId('statistics-camera'), '停车场 1', '停车场');
  await page.getByTestId('flow-error').waitFor();
  assert.match((await page.getByTestId('flow-error').textContent()) ?? '', /\S/);
});
