import { excel } from '../formats/sheets';
import type { AuditRow } from '../storage/alarm-db';

const HEADERS: Array<[keyof AuditRow | 'time', string]> = [
  ['time', 'Time'],
  ['event', 'Event'],
  ['alarmId', 'Alarm'],
  ['camera', 'Camera'],
  ['type', 'Type'],
  ['seat', 'Seat'],
  ['user', 'User'],
  ['to', 'Assigned to'],
  ['note', 'Note'],
];

const cell = (r: AuditRow, key: keyof AuditRow | 'time'): string =>
  key === 'time' ? new Date(r.at).toISOString() : String(r[key]);

/**
 * One CSV cell: quoted when needed, and a leading = + - @ neutralised so a spreadsheet does not
 * run a camera name or note as a formula.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 with a byte-order mark, so Excel opens Chinese camera names correctly. */
export function auditCsv(rows: readonly AuditRow[]): Buffer {
  const lines = [HEADERS.map(([, h]) => h).join(',')];
  for (const r of rows) lines.push(HEADERS.map(([k]) => csvCell(cell(r, k))).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function auditXlsx(rows: readonly AuditRow[]): Promise<Buffer> {
  const book = new (await excel()).Workbook();
  const sheet = book.addWorksheet('Audit');
  sheet.columns = HEADERS.map(([key, header]) => ({
    header,
    key,
    width: key === 'note' ? 40 : key === 'time' ? 22 : 18,
  }));
  for (const r of rows)
    sheet.addRow({ ...r, time: new Date(r.at), event: r.event }).getCell('time').numFmt = 'yyyy-mm-dd hh:mm:ss';
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
