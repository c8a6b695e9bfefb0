import type { TimeHeat } from '../../../preload/contract';
import { HEAT_RGB, heatBucket } from '../../../common/heatmap';

/**
 * A cell's colour: the value scaled to the day × hour grid's maximum, in the same blue → red
 * scale as the space heat map (§20.3), opaque; zero is the empty background and any count above
 * zero at least the first blue, so a quiet hour is not mistaken for no data.
 */
export function timeHeatColour(value: number, max: number): string {
  if (!(value > 0) || !(max > 0)) return 'transparent';
  const [r, g, b] = HEAT_RGB[Math.max(1, heatBucket(Math.round((value / max) * 255)))]!;
  return `rgb(${r}, ${g}, ${b})`;
}

const gradient = `linear-gradient(to right, ${HEAT_RGB.slice(1)
  .map(([r, g, b]) => `rgb(${r},${g},${b})`)
  .join(', ')})`;

/**
 * The time heat map (§10.4.2) as days × hours: one row per day, 24 columns, each cell's count in
 * its tooltip; a day the platform refused is a row that says why, a day not yet come is blank.
 */
export function TimeHeatGrid(props: {
  heat: TimeHeat;
  dayLabel: (date: string) => string;
  noValue: string;
  legendLabel: string;
}) {
  const { heat, dayLabel, noValue, legendLabel } = props;
  const cols = '110px repeat(24, minmax(14px, 1fr))';
  return (
    <div data-testid="time-heat">
      <div style={{ display: 'grid', gridTemplateColumns: cols, gap: 1, fontSize: 11 }}>
        <div />
        {Array.from({ length: 24 }, (_, h) => (
          <div key={h} style={{ textAlign: 'center', opacity: 0.7 }}>
            {h % 3 === 0 ? String(h).padStart(2, '0') : ''}
          </div>
        ))}
        {heat.days.map((d, row) => (
          <DayRow key={d.date} row={row} day={d} max={heat.max} label={dayLabel(d.date)} noValue={noValue} />
        ))}
      </div>
      <div
        style={{ display: 'flex', alignItems: 'center', gap: 8, marginTop: 12, fontSize: 12 }}
        data-testid="time-heat-legend"
      >
        <span>{legendLabel}</span>
        <span>0</span>
        <span style={{ width: 240, height: 12, background: gradient, borderRadius: 2 }} />
        <span data-testid="time-heat-max">{heat.max}</span>
      </div>
    </div>
  );
}

function DayRow(props: { row: number; day: TimeHeat['days'][number]; max: number; label: string; noValue: string }) {
  const { row, day, max, label, noValue } = props;
  return (
    <>
      <div
        style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', paddingRight: 6 }}
        title={day.date}
      >
        {label}
      </div>
      {day.error ? (
        <div style={{ gridColumn: 'span 24', color: '#ff7875', fontSize: 11 }} data-testid={`time-heat-error-${row}`}>
          {day.error}
        </div>
      ) : (
        day.hours.map((v, h) => (
          <div
            key={h}
            title={`${day.date} ${String(h).padStart(2, '0')}:00 — ${v ?? noValue}`}
            data-testid={`time-heat-${row}-${h}`}
            data-value={v ?? ''}
            style={{
              height: 18,
              background: v === null ? 'transparent' : timeHeatColour(v, max),
              outline: '1px solid rgba(128,128,128,0.15)',
            }}
          />
        ))
      )}
    </>
  );
}
