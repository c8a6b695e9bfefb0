import { theme } from 'antd';
import { BarChart, HeatmapChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import { init, use, type ECharts } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { ChartColours, ChartOption } from '../../model/stats-chart-options';

// Only what this page draws: bars, a heat map with its visual map, axes, tooltip, legend and the
// accessible description; the SVG renderer (a few hundred shapes at most: crisp at any zoom, light
// on memory). Imported by this page's chunk alone, so the wall and the other pages never load ECharts.
use([
  BarChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapContinuousComponent,
  AriaComponent,
  SVGRenderer,
]);

/** What the chart holds now, read back from ECharts: each series' name and data, on the element for tests and tools. */
function seriesOf(chart: ECharts): string {
  const series = (chart.getOption() as { series?: Array<{ name?: string; data?: unknown[] }> }).series ?? [];
  return JSON.stringify(series.map((s) => ({ name: s.name ?? '', data: s.data ?? [] })));
}

/**
 * One ECharts instance in a div: created when the component mounts and disposed when it unmounts,
 * resized with its box, given a whole new option on every change (no merging with the last).
 * `build` receives the theme's colours, so a theme switch redraws in the new ones.
 */
export function EChart(props: {
  build: (colours: ChartColours) => ChartOption;
  height: number;
  testId: string;
  label: string;
}) {
  const { build, height, testId, label } = props;
  const { token } = theme.useToken();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const el = box.current!;
    const c = init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    const el = box.current;
    if (!c || !el) return;
    const option = build({
      text: token.colorText,
      textSecondary: token.colorTextSecondary,
      line: token.colorBorderSecondary,
      tooltipBg: token.colorBgElevated,
    });
    c.setOption({ ...option, aria: { enabled: true, label: { description: label } } }, { notMerge: true });
    el.dataset.series = seriesOf(c);
  }, [build, token, label]);

  // ECharts' aria component labels the box with `label` (the table below each chart has the numbers).
  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} />;
}
