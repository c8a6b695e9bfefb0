import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEAT_RGB } from '../../common/heatmap';
import { escapeHtml, flowOption, timeHeatOption, type ChartColours } from '../../renderer/model/stats-chart-options';

// The Statistics page's ECharts options, built without a DOM: the numbers the charts are given
// are the platform's as they came (a missing bucket is ECharts' '-', never 0), the time heat map's
// cells sit at (hour, day row) and its visual map spans the grid in the §20.3 colours.

const colours: ChartColours = { text: '#eee', textSecondary: '#aaa', line: '#333', tooltipBg: '#222' };
type Series = Array<{ type: string; name: string; data: unknown[] }>;

test('people flow: two bar series with the counts as given, a missing bucket drawn as none and said in the tooltip', () => {
  const bars = [
    { label: 'Mon', title: 'Mon 2026-11-16', in: 12, out: 10 },
    { label: 'Tue', title: 'Tue <b>2026-11-17</b>', in: null, out: 0 },
  ];
  const o = flowOption(bars, { in: 'In', out: 'Out', noValue: '—' }, colours);
  const series = o.series as unknown as Series;
  assert.deepEqual(
    series.map((s) => [s.type, s.name, s.data]),
    [
      ['bar', 'In', [12, '-']],
      ['bar', 'Out', [10, 0]],
    ],
  );
  assert.deepEqual((o.xAxis as unknown as { data: string[] }).data, ['Mon', 'Tue']);
  const format = (o.tooltip as unknown as { formatter: (p: unknown) => string }).formatter;
  const tip = format([
    { dataIndex: 1, seriesName: 'In', value: '-', marker: '' },
    { dataIndex: 1, seriesName: 'Out', value: 0, marker: '' },
  ]);
  assert.equal(tip, 'Tue &lt;b&gt;2026-11-17&lt;/b&gt;<br/>In: —<br/>Out: 0', 'a name is text, never markup');
  assert.equal(
    escapeHtml(`<img src=x onerror="a('1')">&`),
    '&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;',
  );
});

test('time heat map: a cell per known hour at (hour, row), refused and future hours left out, the visual map from 1 to the maximum', () => {
  const hours = (f: (h: number) => number | null) => Array.from({ length: 24 }, (_, h) => f(h));
  const heat = {
    max: 40,
    days: [
      { date: '2026-11-16', hours: hours((h) => h) },
      { date: '2026-11-17', hours: hours(() => null), error: 'IVM.20090022 not a HOLO camera' },
      { date: '2026-11-18', hours: hours((h) => (h < 12 ? 40 - h : null)) },
    ],
  };
  const o = timeHeatOption(heat, { day: (d) => `day ${d}`, count: 'People per hour' }, colours);
  const [series] = o.series as unknown as Series;
  const data = series!.data as Array<[number, number, number]>;
  assert.equal(series!.type, 'heatmap');
  assert.equal(data.length, 24 + 12);
  assert.deepEqual(data[5], [5, 0, 5]);
  assert.deepEqual(data[24], [0, 2, 40]);
  assert.ok(!data.some(([, row]) => row === 1), 'the refused day has no cells');
  assert.deepEqual((o.yAxis as unknown as { data: string[] }).data, [
    'day 2026-11-16',
    'day 2026-11-17',
    'day 2026-11-18',
  ]);
  const vm = o.visualMap as unknown as { min: number; max: number; range: number[]; inRange: { color: string[] } };
  assert.deepEqual([vm.min, vm.max, vm.range], [0, 40, [1, 40]]);
  assert.equal(vm.inRange.color.length, HEAT_RGB.length - 1);
  assert.equal(vm.inRange.color[0], 'rgb(0,0,255)');
  assert.equal(vm.inRange.color.at(-1), 'rgb(255,0,0)');
  const format = (o.tooltip as unknown as { formatter: (p: unknown) => string }).formatter;
  assert.equal(format({ value: [8, 2, 32] }), '2026-11-18 08:00 — People per hour: 32');
  // An empty grid still has a visual map that is a scale.
  const quiet = timeHeatOption({ max: 0, days: [] }, { day: (d) => d, count: 'n' }, colours).visualMap as unknown as {
    min: number;
    max: number;
  };
  assert.ok(quiet.max > quiet.min);
});
