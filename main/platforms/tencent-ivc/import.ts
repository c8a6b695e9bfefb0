import type { IvcImportRow } from '../../../preload/contract';
import { AppError } from '../../errors';
import { readSheet, writeSheet } from '../../formats/sheets';

/** Template column → the row's value. The layout is "whatever E27 returns", so columns are matched by name. */
const COLUMNS: Record<string, (r: IvcImportRow, cluster: string) => string> = {
  设备名称: (r) => r.name,
  设备类型: (r) => (r.type === 'NVR' ? '2' : '1'),
  传输协议: (r) => r.transport,
  设备密码: (r) => r.password,
  服务节点: (_, cluster) => cluster,
  描述: (r) => r.description ?? '',
};

/** Fills the platform's own template (E27) with the rows, leaving columns Vigil does not know empty. */
export async function fillTemplate(template: Buffer, rows: IvcImportRow[], cluster: string): Promise<Buffer> {
  const sheet = await readSheet(template);
  if (!sheet || !sheet.header.includes('设备名称'))
    throw new AppError(
      'PLATFORM_ERROR',
      'Tencent IVC: the import template (E27) has no 设备名称 column; Vigil cannot fill it',
    );
  return writeSheet(
    sheet.header,
    rows.map((r) => sheet.header.map((h) => COLUMNS[h]?.(r, cluster) ?? '')),
  );
}

/** E26: each row's outcome, in the order the rows were sent (result and reason are the last two columns). */
export async function readResults(file: Buffer): Promise<Array<{ ok: boolean; message: string }>> {
  const sheet = await readSheet(file);
  if (!sheet) throw new AppError('PLATFORM_ERROR', 'Tencent IVC: the import result (E26) is not a workbook');
  const result = sheet.header.findIndex((h) => /结果|result/i.test(h));
  const reason = sheet.header.findIndex((h) => /原因|reason/i.test(h));
  const at = (row: string[], i: number, fallback: number) => row[i >= 0 ? i : row.length + fallback] ?? '';
  return sheet.rows.map((row) => {
    const verdict = at(row, result, -2);
    return { ok: /成功|success|ok/i.test(verdict), message: at(row, reason, -1) || verdict };
  });
}
