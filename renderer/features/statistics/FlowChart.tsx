import { useCallback } from 'react';
import { flowOption, type ChartColours, type FlowBar } from '../../model/stats-chart-options';
import { EChart } from './EChart';

/** People in and out per bucket (at most 31 × 2 bars) as grouped bars, drawn by ECharts. */
export function FlowChart(props: { bars: FlowBar[]; inName: string; outName: string; noValue: string; label: string }) {
  const { bars, inName, outName, noValue, label } = props;
  const build = useCallback(
    (colours: ChartColours) => flowOption(bars, { in: inName, out: outName, noValue }, colours),
    [bars, inName, outName, noValue],
  );
  return <EChart build={build} height={320} testId="flow-chart" label={label} />;
}
