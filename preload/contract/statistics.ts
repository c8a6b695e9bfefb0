import { z } from 'zod';
import { STATS_PERIODS, type StatsPeriod as Period } from '../../common/stats-periods';
import { AccountId } from './accounts';

/**
 * People-flow statistics and heat maps of one camera (Huawei IVM §10.4, HOLO cameras): people in
 * and out per hour, day or month of a day, week, month or year; the time heat map as a day × hour
 * grid; the space heat map as the platform's grey grid (coloured by common/heatmap.ts, §20.3).
 * Days are `YYYY-MM-DD` in the platform's calendar (`timeZone`), which buckets the counts.
 */
export const StatsPeriod = z.enum(STATS_PERIODS as [Period, ...Period[]]);
const IsoDate = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'a date as YYYY-MM-DD');
const Camera = { accountId: AccountId, channelId: z.string().min(1).max(300) };

export const PeopleFlowRequest = z.object({ ...Camera, period: StatsPeriod, date: IsoDate }).strict();
export const PeopleFlow = z.object({
  period: StatsPeriod,
  /** First and last day covered. */
  from: IsoDate,
  to: IsoDate,
  /** The platform's calendar, as `UTC+08:00`. */
  timeZone: z.string(),
  /** One per hour (`YYYY-MM-DD HH:00`), day (`YYYY-MM-DD`) or month (`YYYY-MM`); null = the platform gave no value. */
  buckets: z.array(z.object({ key: z.string(), in: z.number().int().nullable(), out: z.number().int().nullable() })),
  totals: z.object({ in: z.number().int(), out: z.number().int() }),
  /** The platform answered fewer (`short`) or more (`long`) values than the period has buckets. */
  mismatch: z.enum(['short', 'long']).nullable(),
});
export type PeopleFlow = z.infer<typeof PeopleFlow>;

export const TimeHeatRequest = z.object({ ...Camera, span: z.enum(['week', 'month']), date: IsoDate }).strict();
export const TimeHeat = z.object({
  from: IsoDate,
  to: IsoDate,
  timeZone: z.string(),
  /** One row per day; `hours` holds 24 values (null where the platform gave none); `error` when the day failed. */
  days: z.array(z.object({ date: IsoDate, hours: z.array(z.number().int().nullable()), error: z.string().optional() })),
  max: z.number().int(),
});
export type TimeHeat = z.infer<typeof TimeHeat>;

export const SpaceHeatRequest = PeopleFlowRequest;
export const SpaceHeat = z.object({
  from: IsoDate,
  to: IsoDate,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** base64 of `width × height` grey values (0–255), row-major, top row first. */
  cells: z.string(),
  /** False when the platform sent another number of bytes than the size (the rest is left cold). */
  complete: z.boolean(),
});
export type SpaceHeat = z.infer<typeof SpaceHeat>;

export const StatsExportRequest = z
  .object({
    ...Camera,
    period: StatsPeriod,
    date: IsoDate,
    format: z.enum(['csv', 'xlsx']),
    /** The camera's name for the file name and title row. */
    cameraName: z.string().max(200),
    /** Column headings in the operator's language. */
    columns: z.object({ time: z.string().max(40), in: z.string().max(40), out: z.string().max(40) }).strict(),
  })
  .strict();
export const StatsExport = z.object({
  fileName: z.string(),
  mime: z.string(),
  base64: z.string(),
  rows: z.number().int(),
});
export type StatsExport = z.infer<typeof StatsExport>;
