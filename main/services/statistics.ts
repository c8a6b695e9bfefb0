import type { z } from 'zod';
import {
  dayStartTime,
  fitSeries,
  flowQuery,
  gridDays,
  platformToday,
  statsDateProblem,
  type StatsPeriod,
} from '../../common/stats-periods';
import type {
  PeopleFlow,
  PeopleFlowRequest,
  SpaceHeat,
  StatsExport,
  StatsExportRequest,
  TimeHeat,
  TimeHeatRequest,
} from '../../preload/contract';
import { csvCell } from '../control-room/audit-export';
import { AppError } from '../errors';
import { excel } from '../formats/sheets';
import type { StatisticsOps } from '../platforms/platform';
import type { HandlerSlice } from '../ipc/handlers';
import type { AccountsService } from './accounts';

/** Days of a month's time heat map asked at once: a month is 28–31 calls, the platform one account. */
const PARALLEL_DAYS = 4;

/**
 * People-flow statistics and heat maps of a camera: turns a period and a day into the
 * platform's question (common/stats-periods.ts), checks the answer's length against the period's
 * buckets (a short or long answer is shown as far as it goes and said, never shifted), assembles
 * the time heat map's day × hour grid from one DAY answer per day, and writes exports from a fresh
 * read, so a file holds the platform's numbers and not a page's copy of them.
 */
export class StatisticsService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly now: () => number = Date.now,
  ) {}

  private async ops(accountId: string): Promise<StatisticsOps> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.statistics)
      throw new AppError('NOT_AVAILABLE', "This account's platform offers no people-flow statistics");
    return platform.statistics;
  }

  /** Today on the platform's calendar; a day after it or not a day is refused in words. */
  private checkDay(ops: StatisticsOps, date: string): string {
    const today = platformToday(this.now(), ops.utcOffsetMinutes * 60_000);
    const problem = statsDateProblem(date, today);
    if (problem) throw new AppError('VALIDATION', problem);
    return today;
  }

  async peopleFlow({ accountId, channelId, period, date }: z.infer<typeof PeopleFlowRequest>): Promise<PeopleFlow> {
    const ops = await this.ops(accountId);
    this.checkDay(ops, date);
    const query = flowQuery(period, date);
    const answer = await ops.peopleFlow(channelId, query);
    const n = query.buckets.length;
    const ins = fitSeries(answer.in, n);
    const outs = fitSeries(answer.out, n);
    const sum = (xs: Array<number | null>) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);
    return {
      period,
      from: query.from,
      to: query.to,
      timeZone: zoneName(ops.utcOffsetMinutes),
      buckets: query.buckets.map((key, i) => ({ key, in: ins.values[i]!, out: outs.values[i]! })),
      totals: { in: sum(ins.values), out: sum(outs.values) },
      mismatch: ins.mismatch ?? outs.mismatch,
    };
  }

  /**
   * One §10.4.2 DAY per row (days after today are not asked: they have no hours yet). A day that
   * fails keeps its reason and the rest still shows; when every asked day fails, that is the error.
   */
  async timeHeat({ accountId, channelId, span, date }: z.infer<typeof TimeHeatRequest>): Promise<TimeHeat> {
    const ops = await this.ops(accountId);
    const today = this.checkDay(ops, date);
    const dates = gridDays(span, date);
    const days: TimeHeat['days'] = dates.map((d) => ({ date: d, hours: Array<number | null>(24).fill(null) }));
    const asked = days.filter((d) => d.date <= today);
    const failures: unknown[] = [];
    let next = 0;
    const worker = async () => {
      while (next < asked.length) {
        const row = asked[next++]!;
        try {
          row.hours = fitSeries(await ops.timeHeat(channelId, 'DAY', dayStartTime(row.date)), 24).values;
        } catch (e) {
          failures.push(e);
          row.error = e instanceof Error ? e.message : String(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_DAYS, asked.length) }, worker));
    if (asked.length > 0 && failures.length === asked.length) throw failures[0];
    const max = Math.max(0, ...days.flatMap((d) => d.hours.map((h) => h ?? 0)));
    return { from: dates[0]!, to: dates[dates.length - 1]!, timeZone: zoneName(ops.utcOffsetMinutes), days, max };
  }

  async spaceHeat({ accountId, channelId, period, date }: z.infer<typeof PeopleFlowRequest>): Promise<SpaceHeat> {
    const ops = await this.ops(accountId);
    this.checkDay(ops, date);
    const query = flowQuery(period, date);
    const map = await ops.spaceHeat(channelId, query.type, dayStartTime(query.from));
    return {
      from: query.from,
      to: query.to,
      width: map.width,
      height: map.height,
      cells: Buffer.from(map.cells.buffer, map.cells.byteOffset, map.cells.byteLength).toString('base64'),
      complete: map.complete,
    };
  }

  async export(request: z.infer<typeof StatsExportRequest>): Promise<StatsExport> {
    const flow = await this.peopleFlow(request);
    const { columns, format } = request;
    const header = [`${columns.time} (${flow.timeZone})`, columns.in, columns.out];
    const rows = flow.buckets.map((b) => [b.key, b.in, b.out] as const);
    let data: Buffer;
    if (format === 'csv') {
      const lines = [header.map(csvCell).join(',')];
      for (const [key, i, o] of rows) lines.push([csvCell(key), i ?? '', o ?? ''].join(','));
      data = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
    } else {
      const book = new (await excel()).Workbook();
      const sheet = book.addWorksheet(sheetName(request.cameraName));
      sheet.columns = [
        { header: header[0], key: 'time', width: 20 },
        { header: header[1], key: 'in', width: 12 },
        { header: header[2], key: 'out', width: 12 },
      ];
      // Counts as numbers (a spreadsheet sums them); a value the platform did not give stays empty.
      for (const [key, i, o] of rows) sheet.addRow({ time: key, in: i ?? undefined, out: o ?? undefined });
      sheet.views = [{ state: 'frozen', ySplit: 1 }];
      data = Buffer.from(await book.xlsx.writeBuffer());
    }
    return {
      fileName: `people-flow-${fileSafe(request.cameraName) || 'camera'}-${periodStamp(request.period, flow.from)}.${format}`,
      mime: format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      base64: data.toString('base64'),
      rows: rows.length,
    };
  }
}

/** `UTC+08:00` */
export function zoneName(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const m = Math.abs(offsetMinutes);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A camera name as part of a file name: no path separators, control or reserved characters. */
function fileSafe(name: string): string {
  return name
    .replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_')
    .trim()
    .slice(0, 60);
}

/** Excel sheet names: ≤ 31 characters, none of `[]:*?/\`. */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'People flow';
}

function periodStamp(period: StatsPeriod, from: string): string {
  return period === 'year' ? from.slice(0, 4) : period === 'month' ? from.slice(0, 7) : `${period}-${from}`;
}

export function statisticsHandlers(statistics: StatisticsService): HandlerSlice {
  return {
    'statistics:peopleFlow': (r) => statistics.peopleFlow(r),
    'statistics:timeHeat': (r) => statistics.timeHeat(r),
    'statistics:spaceHeat': (r) => statistics.spaceHeat(r),
    'statistics:export': (r) => statistics.export(r),
  };
}
