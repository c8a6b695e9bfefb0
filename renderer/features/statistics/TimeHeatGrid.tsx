import { Alert } from 'antd';
import { useCallback } from 'react';
import type { TimeHeat } from '../../../preload/contract';
import { timeHeatOption, type ChartColours } from '../../model/stats-chart-options';
import { EChart } from './EChart';

/**
 * The time heat map (§10.4.2) as days × hours, drawn by ECharts (each cell's count in its
 * tooltip, the visual map as legend and filter); a day the platform refused says why under it.
 */
export function TimeHeatGrid(props: {
  heat: TimeHeat;
  dayLabel: (date: string) => string;
  legendLabel: string;
  label: string;
}) {
  const { heat, dayLabel, legendLabel, label } = props;
  const build = useCallback(
    (colours: ChartColours) => timeHeatOption(heat, { day: dayLabel, count: legendLabel }, colours),
    [heat, dayLabel, legendLabel],
  );
  return (
    <div data-testid="time-heat">
      <EChart
        build={build}
        height={Math.max(200, heat.days.length * 22 + 104)}
        testId="time-heat-chart"
        label={label}
      />
      <div style={{ fontSize: 12, opacity: 0.8 }} data-testid="time-heat-legend">
        {legendLabel}: 0 – <span data-testid="time-heat-max">{heat.max}</span>
      </div>
      {heat.days.map((d, row) =>
        d.error ? (
          <Alert
            key={d.date}
            type="warning"
            showIcon
            style={{ marginTop: 4 }}
            title={`${dayLabel(d.date)}: ${d.error}`}
            data-testid={`time-heat-error-${row}`}
          />
        ) : null,
      )}
    </div>
  );
}
