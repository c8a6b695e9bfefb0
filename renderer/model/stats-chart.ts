import type { StatsPeriod } from '../../common/stats-periods';

/**
 * Pure pieces of the statistics charts: a "nice" value axis and the label of each bucket in the
 * operator's language. The buckets are days of the platform's calendar: labels are formatted as
 * calendar dates (in UTC, so no local zone shifts them), never as instants.
 */

/** Axis ticks from 0 covering `max` in about `count` steps of 1, 2 or 5 × 10ⁿ. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) {
    ticks.push(Math.round(v * 1e6) / 1e6);
    if (v >= max) break;
  }
  return ticks;
}

const utcDate = (key: string) => {
  const [y, m, d] = key.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1));
};

/**
 * A bucket key as the axis and table show it: an hour (`08:00`), a weekday and date, a day of the
 * month, or a month name; `long` adds the date where the axis leaves it out.
 */
export function bucketLabel(key: string, period: StatsPeriod, locale: string, long = false): string {
  const fmt = (o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...o }).format(utcDate(key));
  switch (period) {
    case 'day':
      return long ? key : key.slice(11, 16);
    case 'week':
      return fmt({ weekday: 'short', month: '2-digit', day: '2-digit' });
    case 'month':
      return long ? fmt({ year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }) : key.slice(8, 10);
    case 'year':
      return fmt(long ? { year: 'numeric', month: 'long' } : { month: 'short' });
  }
}

/** Every n-th label so that at most `room` fit (the others are drawn without text). */
export function labelEvery(n: number, room: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, room)));
}
