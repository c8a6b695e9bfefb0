import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { paint, SLOTS, type Grid } from '../../model/week';
import { themed } from '../common/theme-vars';

/**
 * Seven rows of 48 half-hour cells: press on a cell and drag along a row to paint; the first
 * cell decides whether the stroke switches cells on or off.
 */
export function WeekGrid({ grid, onChange, disabled }: { grid: Grid; onChange(g: Grid): void; disabled?: boolean }) {
  const { t } = useTranslation();
  const stroke = useRef<{ day: number; from: number; on: boolean; base: Grid } | null>(null);
  useEffect(() => {
    const end = () => (stroke.current = null);
    window.addEventListener('mouseup', end);
    return () => window.removeEventListener('mouseup', end);
  }, []);
  const days = t('plans.days').split(',');
  return (
    <div style={{ userSelect: 'none', opacity: disabled ? 0.5 : 1 }} data-testid="week-grid">
      <div style={{ display: 'grid', gridTemplateColumns: `48px repeat(${SLOTS}, 1fr)`, fontSize: 10, opacity: 0.7 }}>
        <span />
        {Array.from({ length: SLOTS }, (_, i) => (
          <span key={i} style={{ textAlign: 'left' }}>
            {i % 4 === 0 ? i / 2 : ''}
          </span>
        ))}
      </div>
      {grid.map((slots, day) => (
        <div
          key={day}
          style={{ display: 'grid', gridTemplateColumns: `48px repeat(${SLOTS}, 1fr)`, gap: 1, marginBottom: 1 }}
        >
          <span style={{ fontSize: 12 }}>{days[day]}</span>
          {slots.map((on, i) => (
            <div
              key={i}
              data-testid={`cell-${day}-${i}`}
              data-on={on}
              style={{
                height: 22,
                background: on ? '#1677ff' : themed.fill,
                borderLeft: i % 2 === 0 ? `1px solid ${themed.border}` : undefined,
                cursor: disabled ? 'not-allowed' : 'pointer',
              }}
              onMouseDown={() => {
                if (disabled) return;
                stroke.current = { day, from: i, on: !on, base: grid };
                onChange(paint(grid, day, i, i, !on));
              }}
              onMouseEnter={() => {
                const s = stroke.current;
                if (s && s.day === day) onChange(paint(s.base, day, s.from, i, s.on));
              }}
            />
          ))}
        </div>
      ))}
    </div>
  );
}
