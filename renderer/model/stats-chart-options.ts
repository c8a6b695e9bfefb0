import type { BarSeriesOption, HeatmapSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { HEAT_RGB } from '../../common/heatmap';
import type { TimeHeat } from '../../preload/contract';

/**
 * The Statistics page's ECharts options, pure (types only from ECharts, so tests build them
 * without a DOM): people flow as grouped bars, the time heat map as a days × hours heat map with
 * a visual map in the §20.3 colours. Every value shown comes from the platform's answer as is.
 */

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | VisualMapComponentOption
  | AriaComponentOption
>;

/** The app theme's colours a chart's text, lines and tooltip use (antd's tokens: dark and light alike). */
export interface ChartColours {
  text: string;
  textSecondary: string;
  line: string;
  tooltipBg: string;
}

export const FLOW_COLOURS = { in: '#3b8eea', out: '#f0a030' } as const;

export interface FlowBar {
  /** The axis label and the tooltip's longer one. */
  label: string;
  title: string;
  in: number | null;
  out: number | null;
}

/** ECharts' missing value: no bar, no cell (never a zero). */
const MISSING = '-';

/** Labels are the page's own, but a camera or bucket name is text, never markup, in a tooltip. */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const tooltipBox = (colours: ChartColours) => ({
  backgroundColor: colours.tooltipBg,
  borderColor: colours.line,
  textStyle: { color: colours.text },
});

/**
 * People in and out per bucket as grouped bars on one value axis, the legend above (a click hides
 * a series), the tooltip naming the bucket in full. A bucket the platform gave no value for draws
 * no bar and says so in the tooltip.
 */
export function flowOption(
  bars: readonly FlowBar[],
  names: { in: string; out: string; noValue: string },
  colours: ChartColours,
): ChartOption {
  const axisText = { color: colours.textSecondary };
  const series = (key: 'in' | 'out'): BarSeriesOption => ({
    type: 'bar',
    name: names[key],
    data: bars.map((b) => b[key] ?? MISSING),
    itemStyle: { color: FLOW_COLOURS[key] },
    barMaxWidth: 18,
  });
  return {
    animation: false,
    grid: { left: 52, right: 12, top: 36, bottom: 34 },
    legend: { top: 0, textStyle: { color: colours.text } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      ...tooltipBox(colours),
      formatter: (params: unknown) => {
        const list = params as Array<{ dataIndex: number; seriesName: string; value: unknown; marker: string }>;
        const bar = bars[list[0]?.dataIndex ?? -1];
        if (!bar) return '';
        const row = (p: (typeof list)[number]) =>
          `${p.marker}${escapeHtml(p.seriesName)}: ${typeof p.value === 'number' ? p.value : escapeHtml(names.noValue)}`;
        return [escapeHtml(bar.title), ...list.map(row)].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: bars.map((b) => b.label),
      axisLabel: { ...axisText, hideOverlap: true },
      axisLine: { lineStyle: { color: colours.line } },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: axisText,
      splitLine: { lineStyle: { color: colours.line } },
    },
    series: [series('in'), series('out')],
  };
}

/**
 * The time heat map (§10.4.2): one row per day (the first at the top), 24 hour columns, each
 * cell people in + out of that hour; a day the platform refused or not yet come has no cells.
 * The visual map runs from 1 to the grid's maximum in the same blue → red scale as the space heat
 * map (§20.3): a zero hour is an empty cell with its border (its tooltip says 0), any count from 1
 * at least the first blue. The visual map's handles filter the grid by count.
 */
export function timeHeatOption(
  heat: Pick<TimeHeat, 'days' | 'max'>,
  labels: { day: (date: string) => string; count: string },
  colours: ChartColours,
): ChartOption {
  const data: Array<[number, number, number]> = [];
  heat.days.forEach((d, row) => {
    if (d.error) return;
    d.hours.forEach((v, h) => {
      if (v !== null) data.push([h, row, v]);
    });
  });
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  const axisText = { color: colours.textSecondary };
  return {
    animation: false,
    grid: { left: 110, right: 16, top: 8, bottom: 88 },
    tooltip: {
      ...tooltipBox(colours),
      formatter: (p: unknown) => {
        const [h, row, v] = (p as { value: [number, number, number] }).value;
        const day = heat.days[row];
        return day ? `${escapeHtml(day.date)} ${hours[h]}:00 — ${escapeHtml(labels.count)}: ${v}` : '';
      },
    },
    xAxis: {
      type: 'category',
      data: hours,
      axisLabel: { ...axisText, interval: 2 },
      axisLine: { lineStyle: { color: colours.line } },
    },
    yAxis: {
      type: 'category',
      data: heat.days.map((d) => labels.day(d.date)),
      inverse: true,
      axisLabel: axisText,
      axisLine: { lineStyle: { color: colours.line } },
    },
    visualMap: {
      type: 'continuous',
      // Colours over 0…max; the selected range starts at 1, so a zero hour is out of it (the
      // background). ECharts counts a value past min/max as in range while the range is the whole scale.
      min: 0,
      max: Math.max(1, heat.max),
      range: [1, Math.max(1, heat.max)],
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 14,
      textStyle: { color: colours.text },
      inRange: { color: HEAT_RGB.slice(1).map(([r, g, b]) => `rgb(${r},${g},${b})`) },
      outOfRange: { color: 'rgba(0,0,0,0)' },
    },
    series: [
      {
        type: 'heatmap',
        name: labels.count,
        data,
        itemStyle: { borderColor: colours.line, borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: colours.text } },
      },
    ],
  };
}
