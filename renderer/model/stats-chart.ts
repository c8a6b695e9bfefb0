import type { StatsPeriod } from '../../common/stats-periods';

/**
 * The label of each statistics bucket in the operator's language, pure. The buckets are days of
 * the platform's calendar: labels are formatted as calendar dates (in UTC, so no local zone
 * shifts them), never as instants.
 */

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
