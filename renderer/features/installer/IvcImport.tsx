import { Alert, Button, Progress, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { download } from '../../media/view/snapshot';
import { useIvcImportStore, type ImportDraft, type IvcImportState } from '../../stores/installer/ivc-import';
import { FilePicker } from '../common/FilePicker';

/**
 * Tencent IVC spreadsheet import (the store checks the rows, sends the valid ones and follows the
 * platform's job): the report of rows to fix, the start button (Resume while a job's outcome is
 * unknown), progress and the result sheet.
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
  const { drafts, problem, progress, result, busy, pending, load, start, resume } = useIvcImportStore(
    useShallow((s) => ({
      drafts: s.drafts,
      problem: s.problem,
      progress: s.progress,
      result: s.result,
      busy: s.busy,
      pending: s.pending,
      load: s.load,
      start: s.start,
      resume: s.resume,
    })),
  );
  const said = (p: IvcImportState['problem']) => (p ? ('key' in p ? t(p.key, p.values) : p.text) : null);
  const fileProblem = said(problem);
  const ready = drafts.filter((d) => !d.problem);

  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 16 }} data-testid="ivc-import">
      <Space wrap>
        <span>{t('import.pick')}</span>
        <FilePicker accept=".csv,.xlsx,text/csv" onFiles={(f) => void (f[0] && load(f[0]))} testId="ivc-import-file" />
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
                { title: t('installer.name'), render: (_, d: ImportDraft) => d.row.name },
                { title: t('import.problem'), render: (_, d: ImportDraft) => said(d.problem) },
              ]}
              data-testid="ivc-import-invalid"
            />
          )}
          <Space>
            <Button
              type="primary"
              disabled={ready.length === 0 || busy || pending !== null}
              loading={busy}
              onClick={() => void start({ accountId, organizationId, clusterId })}
              data-testid="ivc-import-start"
            >
              {t('import.start', { n: ready.length })}
            </Button>
            {pending && !busy && (
              <Button onClick={() => void resume()} data-testid="ivc-import-resume">
                {t('import.resume')}
              </Button>
            )}
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
