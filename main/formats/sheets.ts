import type ExcelJSType from 'exceljs';

/**
 * .xlsx in and out, for device imports (the installer's own sheets, Tencent IVC's template and
 * result files). Only the first sheet is read, cells as text. A format, not a use-case: services
 * and vendor adapters both use it.
 */

/** exceljs takes about a second to load on a slow machine: loaded when a sheet is first made or read, not at start. */
export async function excel(): Promise<typeof ExcelJSType> {
  return (await import('exceljs')).default;
}

export async function writeSheet(header: string[], rows: string[][], name = 'Sheet1'): Promise<Buffer> {
  const book = new (await excel()).Workbook();
  const sheet = book.addWorksheet(name);
  sheet.addRow(header);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Null when the bytes are not a workbook. Cells come back as text; empty rows are dropped. */
export async function readSheet(bytes: Buffer): Promise<{ sheets: number; header: string[]; rows: string[][] } | null> {
  const book = new (await excel()).Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ExcelJSType.Buffer);
  } catch {
    return null;
  }
  const sheet = book.worksheets[0];
  if (!sheet) return { sheets: 0, header: [], rows: [] };
  const all: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= Math.max(row.cellCount, 1); c++) cells.push(row.getCell(c).text.trim());
    if (cells.some(Boolean)) all.push(cells);
  });
  return { sheets: book.worksheets.length, header: all[0] ?? [], rows: all.slice(1) };
}
