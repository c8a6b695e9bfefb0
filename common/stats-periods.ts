/**
 * The calendar of people-flow statistics and heat maps (Huawei IVM §10.4): which query asks for a
 * day, a week, a month or a year, and which bucket each returned value belongs to. Pure date
 * arithmetic on `YYYY-MM-DD` strings in the platform's calendar (the platform buckets by its own
 * day, Beijing time), so main and the renderer label the same value the same way.
 */
export type StatsPeriod = 'day' | 'week' | 'month' | 'year';
export const STATS_PERIODS: readonly StatsPeriod[] = ['day', 'week', 'month', 'year'];

/** The platform's calendar is UTC+08:00 (China Standard Time, no daylight saving). */
export const PLATFORM_OFFSET_MS = 8 * 3600_000;

/** A real calendar day as `{y, m, d}` (m 1–12), or null ("2026-02-30", "2026-13-01" and other text are not days). */
export function parseIsoDate(s: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? { y, m: mo, d } : null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
export const isoDate = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

function parts(iso: string): { y: number; m: number; d: number } {
  const p = parseIsoDate(iso);
  if (!p) throw new RangeError(`${iso} is not a calendar day`);
  return p;
}
function utc(iso: string): Date {
  const p = parts(iso);
  return new Date(Date.UTC(p.y, p.m - 1, p.d));
}
const fromUtc = (t: Date) => isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());

export function addDays(iso: string, n: number): string {
  const t = utc(iso);
  t.setUTCDate(t.getUTCDate() + n);
  return fromUtc(t);
}

export const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Monday of the week holding `iso` (the document does not name the first day; Monday matches chapter 11's `day_of_week`). */
export function weekStart(iso: string): string {
  const dow = (utc(iso).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(iso, -dow);
}

/** Today in the platform's calendar (`offsetMs` east of UTC). */
export function platformToday(nowMs: number, offsetMs: number = PLATFORM_OFFSET_MS): string {
  return fromUtc(new Date(nowMs + offsetMs));
}

/** `YYYY-MM-DD` → §10.4.1's `yyyyMMdd`. */
export const compactDate = (iso: string) => iso.replaceAll('-', '');

export interface FlowQuery {
  /** §10.4.1 `type` */
  type: 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';
  /** §10.4.1 `start_date` / `end_date` (`yyyyMMdd`); no end for DAY and YEAR. */
  startDate: string;
  endDate?: string;
  /** The first and last day the answer covers (`YYYY-MM-DD`). */
  from: string;
  to: string;
  /**
   * One key per value the platform returns, in order: `YYYY-MM-DD HH:00` for a day's hours,
   * `YYYY-MM-DD` for a week's or month's days, `YYYY-MM` for a year's months.
   */
  buckets: string[];
}

/**
 * The §10.4.1 question for the period holding `iso`. A month is asked from its first to its last
 * day: the platform answers a MONTH whose span is under seven days as a WEEK, and `end_date`
 * defaults to `start_date`. A week is asked from its Monday with no span (a span of seven days or
 * more would come back as a MONTH).
 */
export function flowQuery(period: StatsPeriod, iso: string): FlowQuery {
  const { y, m } = parts(iso);
  switch (period) {
    case 'day':
      return {
        type: 'DAY',
        startDate: compactDate(iso),
        from: iso,
        to: iso,
        buckets: Array.from({ length: 24 }, (_, h) => `${iso} ${pad(h)}:00`),
      };
    case 'week': {
      const monday = weekStart(iso);
      const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
      return {
        type: 'WEEK',
        startDate: compactDate(monday),
        endDate: compactDate(monday),
        from: monday,
        to: days[6]!,
        buckets: days,
      };
    }
    case 'month': {
      const first = isoDate(y, m, 1);
      const last = isoDate(y, m, daysInMonth(y, m));
      return {
        type: 'MONTH',
        startDate: compactDate(first),
        endDate: compactDate(last),
        from: first,
        to: last,
        buckets: monthDays(iso),
      };
    }
    case 'year':
      return {
        type: 'YEAR',
        startDate: compactDate(isoDate(y, 1, 1)),
        from: isoDate(y, 1, 1),
        to: isoDate(y, 12, 31),
        buckets: Array.from({ length: 12 }, (_, i) => `${pad(y, 4)}-${pad(i + 1)}`),
      };
  }
}

/** Every day of the month holding `iso`. */
export function monthDays(iso: string): string[] {
  const { y, m } = parts(iso);
  return Array.from({ length: daysInMonth(y, m) }, (_, i) => isoDate(y, m, i + 1));
}

/** The rows of the day × hour grid: the week's seven days or the month's days. */
export function gridDays(span: 'week' | 'month', iso: string): string[] {
  if (span === 'week') return Array.from({ length: 7 }, (_, i) => addDays(weekStart(iso), i));
  return monthDays(iso);
}

/** §10.4.2/§10.4.3 `start_time` for a day: its first second (`yyyy-MM-dd HH:mm:ss`). */
export const dayStartTime = (iso: string) => `${iso} 00:00:00`;

/**
 * A series as long as its buckets: a shorter answer leaves the missing buckets null (unknown, not
 * zero), a longer one is cut. `mismatch` says which happened so the page can say so.
 */
export function fitSeries(
  values: readonly number[],
  n: number,
): { values: Array<number | null>; mismatch: 'short' | 'long' | null } {
  const out: Array<number | null> = values.slice(0, n);
  while (out.length < n) out.push(null);
  return { values: out, mismatch: values.length < n ? 'short' : values.length > n ? 'long' : null };
}

/**
 * Why a day cannot be asked about, or null: not a calendar day, after today in the platform's
 * calendar, or before 2000 (no HOLO camera counted people then).
 */
export function statsDateProblem(iso: string, today: string): string | null {
  if (!parseIsoDate(iso)) return `${iso} is not a date (YYYY-MM-DD)`;
  if (iso > today) return `${iso} is in the future (today is ${today} on the platform's calendar)`;
  if (iso < '2000-01-01') return `${iso} is before 2000`;
  return null;
}

/** The same day `n` periods away (a month or year step keeps the day, clamped to the month's length). */
export function shiftPeriod(period: StatsPeriod, iso: string, n: number): string {
  if (period === 'day') return addDays(iso, n);
  if (period === 'week') return addDays(iso, 7 * n);
  const { y, m, d } = parts(iso);
  const months = period === 'month' ? n : 12 * n;
  const index = y * 12 + (m - 1) + months;
  const [ny, nm] = [Math.floor(index / 12), (index % 12) + 1];
  return isoDate(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}
