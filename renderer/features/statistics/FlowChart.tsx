import { useState } from 'react';
import { labelEvery, niceTicks } from '../../model/stats-chart';

export const FLOW_COLOURS = { in: '#3b8eea', out: '#f0a030' } as const;

export interface FlowBar {
  /** The axis label and the tooltip's longer one. */
  label: string;
  title: string;
  in: number | null;
  out: number | null;
}

const W = 960;
const H = 300;
const PAD = { left: 52, right: 12, top: 16, bottom: 34 };

/**
 * People in and out per bucket as grouped bars on one value axis: small enough to draw by hand
 * (at most 31 buckets × 2), so the page needs no chart library. The SVG scales with its box; a
 * hovered bucket shows both counts. A bucket the platform gave no value for draws no bar and says
 * so in its tooltip.
 */
export function FlowChart(props: { bars: FlowBar[]; inName: string; outName: string; noValue: string }) {
  const { bars, inName, outName, noValue } = props;
  const [hover, setHover] = useState<number | null>(null);
  const max = Math.max(0, ...bars.flatMap((b) => [b.in ?? 0, b.out ?? 0]));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1]!;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.max(2, Math.min(18, slot * 0.36));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const every = labelEvery(bars.length, 16);
  const hovered = hover === null ? null : bars[hover];

  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      role="img"
      aria-label={`${inName} / ${outName}`}
      style={{ display: 'block', maxHeight: 340, userSelect: 'none' }}
      data-testid="flow-chart"
      onMouseLeave={() => setHover(null)}
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="currentColor" strokeOpacity={0.12} />
          <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize={11} fill="currentColor" fillOpacity={0.65}>
            {t}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const cx = PAD.left + slot * (i + 0.5);
        return (
          <g key={i} onMouseEnter={() => setHover(i)}>
            <rect
              x={cx - slot / 2}
              y={PAD.top}
              width={slot}
              height={plotH}
              fill={hover === i ? 'currentColor' : 'transparent'}
              fillOpacity={0.06}
            />
            {b.in !== null && (
              <rect
                x={cx - barW - 1}
                y={y(b.in)}
                width={barW}
                height={Math.max(0, y(0) - y(b.in))}
                fill={FLOW_COLOURS.in}
                data-testid={`flow-bar-in-${i}`}
                data-value={b.in}
              />
            )}
            {b.out !== null && (
              <rect
                x={cx + 1}
                y={y(b.out)}
                width={barW}
                height={Math.max(0, y(0) - y(b.out))}
                fill={FLOW_COLOURS.out}
                data-testid={`flow-bar-out-${i}`}
                data-value={b.out}
              />
            )}
            {i % every === 0 && (
              <text
                x={cx}
                y={H - PAD.bottom + 16}
                textAnchor="middle"
                fontSize={11}
                fill="currentColor"
                fillOpacity={0.75}
              >
                {b.label}
              </text>
            )}
          </g>
        );
      })}
      <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} stroke="currentColor" strokeOpacity={0.4} />
      {hovered && hover !== null && (
        <g pointerEvents="none" data-testid="flow-tooltip">
          {(() => {
            const cx = PAD.left + slot * (hover + 0.5);
            const boxW = 170;
            const x = Math.min(Math.max(cx - boxW / 2, PAD.left), W - PAD.right - boxW);
            return (
              <>
                <rect x={x} y={PAD.top} width={boxW} height={58} rx={4} fill="#1f1f1f" stroke="#555" />
                <text x={x + 8} y={PAD.top + 17} fontSize={12} fill="#fff">
                  {hovered.title}
                </text>
                <text x={x + 8} y={PAD.top + 34} fontSize={12} fill={FLOW_COLOURS.in}>
                  {inName}: {hovered.in ?? noValue}
                </text>
                <text x={x + 8} y={PAD.top + 50} fontSize={12} fill={FLOW_COLOURS.out}>
                  {outName}: {hovered.out ?? noValue}
                </text>
              </>
            );
          })()}
        </g>
      )}
    </svg>
  );
}

/** The chart's key: a swatch per series. */
export function FlowLegend(props: { inName: string; outName: string }) {
  const item = (colour: string, name: string) => (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6, marginRight: 16 }}>
      <span style={{ width: 12, height: 12, background: colour, borderRadius: 2, display: 'inline-block' }} />
      {name}
    </span>
  );
  return (
    <div style={{ fontSize: 12 }} data-testid="flow-legend">
      {item(FLOW_COLOURS.in, props.inName)}
      {item(FLOW_COLOURS.out, props.outName)}
    </div>
  );
}
