import { Alert, Button, Progress, Space, Table } from 'antd';
import Papa from 'papaparse';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ImportProgress, IvcImportRow } from '../../../preload/contract';
import { download } from '../../media/view/snapshot';
import { blankRow } from '../../model/installer-rules';
import type { VigilError } from '../../stores/errors';
import { importProgress, importResult, readSheet, startImport } from '../../stores/installer/actions';
import { FilePicker } from '../common/FilePicker';

/** Column names the installer may use (Vigil's own, or the platform template's). */
const ALIASES: Record<keyof IvcImportRow, string[]> = {
  name: ['name', '设备名称'],
  type: ['type', '设备类型'],
  transport: ['transport', '传输协议'],
  password: ['password', '设备密码'],
  description: ['description', '描述'],
};
interface Draft {
  line: number;
  row: Partial<Record<keyof IvcImportRow, string>>;
  problem: string | null;
}

/** E15's rules on one row: the problem in words, or null. */
function problemOf(r: Draft['row'], seen: Set<string>, t: TFunction): string | null {
  if (!r.name || !/^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u.test(r.name)) return t('import.rule.name');
  if (seen.has(r.name)) return t('import.rule.nameTwice');
  if (!['IPC', 'NVR', '1', '2'].includes((r.type ?? '').toUpperCase())) return t('import.rule.type');
  if (!['UDP', 'TCP'].includes((r.transport ?? '').toUpperCase())) return t('import.rule.transport');
  if (!/^[0-9]{6,16}$/.test(r.password ?? '')) return t('import.rule.password');
  if ((r.description ?? '').length > 128) return t('import.rule.description');
  return null;
}

function toRow(r: Draft['row']): IvcImportRow {
  const type = (r.type ?? '').toUpperCase();
  return {
    name: r.name!,
    type: type === 'NVR' || type === '2' ? 'NVR' : 'IPC',
    transport: (r.transport ?? '').toUpperCase() === 'TCP' ? 'TCP' : 'UDP',
    password: r.password!,
    ...(r.description ? { description: r.description } : {}),
  };
}

/** An .xlsx read in main (first sheet, cells as text). */
export async function readSheetFile(file: File): Promise<{ header: string[]; rows: string[][] }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return readSheet({ data: btoa(binary) });
}

async function readFile(file: File): Promise<{ header: string[]; rows: string[][] }> {
  if (/\.xlsx$/i.test(file.name)) return readSheetFile(file);
  const parsed = Papa.parse<string[]>((await file.text()).replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  return { header: parsed.data[0] ?? [], rows: parsed.data.slice(1) };
}

/**
 * Tencent IVC spreadsheet import: the installer's CSV or XLSX is checked row by row first (the
 * report), then the valid rows go into the platform's own template (E27 → E24), progress is
 * polled (E25) and each row's outcome read back (E26). Rows that failed stay to be fixed.
 */
export function IvcImport({
  accountId,
  organizationId,
  clusterId,
}: {
  accountId: string;
  organizationId: string;
  clusterId: string;
}) {
  const { t } = useTranslation();
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [result, setResult] = useState<{ file: string; failed: Array<{ name: string; message: string }> } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (file: File | undefined) => {
    if (!file) return;
    setResult(null);
    setProgress(null);
    try {
      const { header, rows } = await readFile(file);
      const norm = header.map((h) => h.trim().toLowerCase());
      const col = (k: keyof IvcImportRow) => norm.findIndex((h) => ALIASES[k].includes(h));
      if (col('name') < 0 || col('password') < 0) return setFileProblem(t('import.columns'));
      setFileProblem(null);
      const seen = new Set<string>();
      setDrafts(
        rows.flatMap((cells, i) => {
          if (blankRow(cells)) return []; // an empty line of the sheet is nothing to fix
          const row = Object.fromEntries(
            (Object.keys(ALIASES) as Array<keyof IvcImportRow>).map((k) => [
              k,
              col(k) >= 0 ? (cells[col(k)] ?? '').trim() : '',
            ]),
          ) as Draft['row'];
          const problem = problemOf(row, seen, t);
          if (row.name) seen.add(row.name);
          return [{ line: i + 2, row, problem }];
        }),
      );
    } catch (e) {
      setFileProblem((e as VigilError).message);
    }
  };

  const ready = drafts.filter((d) => !d.problem);
  const start = async () => {
    setBusy(true);
    try {
      const sent = ready;
      const { jobId } = await startImport({
        accountId,
        organizationId,
        clusterId,
        rows: sent.map((d) => toRow(d.row)),
      });
      let p = await importProgress({ accountId, jobId });
      setProgress(p);
      while (!p.finished) {
        await new Promise((r) => setTimeout(r, 500));
        p = await importProgress({ accountId, jobId });
        setProgress(p);
      }
      const r = await importResult({ accountId, jobId });
      const failed = sent.map((d, i) => ({ d, outcome: r.rows[i] })).filter((x) => !x.outcome?.ok);
      setResult({
        file: r.file,
        failed: failed.map((x) => ({ name: x.d.row.name ?? '', message: x.outcome?.message || t('import.noResult') })),
      });
      // Nothing is lost: invalid rows and rows the platform refused stay in the table to be fixed.
      setDrafts([
        ...drafts.filter((d) => d.problem),
        ...failed.map((x) => ({ ...x.d, problem: x.outcome?.message || t('import.noResult') })),
      ]);
    } catch (e) {
      setFileProblem((e as VigilError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 16 }} data-testid="ivc-import">
      <Space wrap>
        <span>{t('import.pick')}</span>
        <FilePicker accept=".csv,.xlsx,text/csv" onFiles={(f) => void load(f[0])} testId="ivc-import-file" />
      </Space>
      {fileProblem && <Alert type="error" showIcon title={fileProblem} data-testid="ivc-import-problem" />}
      {drafts.length > 0 && (
        <>
          <div data-testid="ivc-import-report">
            {t('import.report', { ready: ready.length, invalid: drafts.length - ready.length })}
          </div>
          {drafts.some((d) => d.problem) && (
            <Table
              size="small"
              pagination={false}
              rowKey="line"
              dataSource={drafts.filter((d) => d.problem)}
              columns={[
                { title: t('import.line'), dataIndex: 'line', width: 70 },
                { title: t('installer.name'), render: (_, d: Draft) => d.row.name },
                { title: t('import.problem'), dataIndex: 'problem' },
              ]}
              data-testid="ivc-import-invalid"
            />
          )}
          <Space>
            <Button
              type="primary"
              disabled={ready.length === 0 || busy}
              loading={busy}
              onClick={() => void start()}
              data-testid="ivc-import-start"
            >
              {t('import.start', { n: ready.length })}
            </Button>
            {progress && (
              <Progress
                percent={Math.round(progress.rate * 100)}
                style={{ width: 220 }}
                data-testid="ivc-import-progress"
              />
            )}
          </Space>
        </>
      )}
      {progress?.finished && (
        <div data-testid="ivc-import-done">
          {t('import.done', { ok: progress.succeeded, failed: progress.failed })}
          {result && (
            <Button
              size="small"
              style={{ marginLeft: 8 }}
              onClick={() =>
                download(
                  `data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,${result.file}`,
                  'import-result.xlsx',
                )
              }
              data-testid="ivc-import-result"
            >
              {t('import.resultFile')}
            </Button>
          )}
        </div>
      )}
    </Space>
  );
}
