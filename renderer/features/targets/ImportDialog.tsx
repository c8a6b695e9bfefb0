import { Alert, Button, Modal, Progress, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTargetsStore } from '../../stores/targets/store';
import { parseCsv, resultsCsv, validateRows, type ImportRow } from '../../model/target-import';
import { checkPicture, type PictureCheck } from '../../model/target-pictures';
import { useShallow } from 'zustand/react/shallow';
import { selectImport } from '../../stores/targets/selectors';
import { FilePicker } from '../common/FilePicker';

const colour: Record<ImportRow['status'], string> = {
  ready: 'blue',
  invalid: 'red',
  skipped: 'default',
  added: 'green',
  failed: 'red',
  cancelled: 'orange',
};

/**
 * Bulk import: choose a CSV and its pictures (or their folder) → a validation report of every
 * row → import in batches within the device's limits, with progress and cancel → a per-row
 * result file. Rows already in the group (same name and file) are skipped on a re-run.
 */
export function ImportDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { library, job, importedKeys, runImport, cancelImport } = useTargetsStore(useShallow(selectImport));
  const [report, setReport] = useState<ImportRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  if (!library) return null;
  const rows = job?.rows ?? report ?? [];
  const count = (s: ImportRow['status']) => rows.filter((r) => r.status === s).length;

  const choose = async (files: File[]) => {
    setChecking(true);
    setProblem(null);
    setReport(null);
    useTargetsStore.setState({ job: null });
    try {
      const all = files;
      const csv = all.find((f) => f.name.toLowerCase().endsWith('.csv'));
      if (!csv) throw new Error(t('library.importNeedsCsv'));
      const parsed = parseCsv(await csv.text());
      if (parsed.error) throw new Error(parsed.error);
      const pictures = new Map<string, PictureCheck>();
      for (const f of all) if (f !== csv) pictures.set(f.name, await checkPicture(f, library.limits));
      setReport(validateRows(parsed.rows, pictures, library.attributes, await importedKeys()));
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setChecking(false);
    }
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob(['\uFEFF', resultsCsv(rows)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `import-results-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <Modal
      open={open}
      title={t('library.import')}
      width={900}
      onCancel={() => !job?.running && onClose()}
      footer={null}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <div style={{ fontSize: 12, opacity: 0.75 }}>
          {t('library.importHelp', { attributes: library.attributes.join(', ') })}
        </div>
        <Space>
          <FilePicker
            multiple
            accept=".csv,image/png,image/jpeg"
            disabled={job?.running}
            label={t('library.importFiles')}
            showChosen={false}
            onFiles={(f) => void choose(f)}
            testId="import-files"
          />
          <span>{t('library.importFolder')}</span>
          <FilePicker folder disabled={job?.running} showChosen={false} onFiles={(f) => void choose(f)} />
        </Space>
        {problem && <Alert type="error" showIcon title={problem} data-testid="import-problem" />}
        {rows.length > 0 && (
          <div data-testid="import-summary">
            <Tag color="blue">
              {t('library.status.ready')}: {count('ready')}
            </Tag>
            <Tag color="red">
              {t('library.status.invalid')}: {count('invalid')}
            </Tag>
            <Tag>
              {t('library.status.skipped')}: {count('skipped')}
            </Tag>
            {job && (
              <>
                <Tag color="green">
                  {t('library.status.added')}: {count('added')}
                </Tag>
                <Tag color="red">
                  {t('library.status.failed')}: {count('failed')}
                </Tag>
                <Tag color="orange">
                  {t('library.status.cancelled')}: {count('cancelled')}
                </Tag>
              </>
            )}
          </div>
        )}
        {job && (
          <Progress
            percent={job.total ? Math.round((job.done / job.total) * 100) : 100}
            status={job.running ? 'active' : 'normal'}
            data-testid="import-progress"
          />
        )}
        <Table<ImportRow>
          size="small"
          rowKey="line"
          loading={checking}
          dataSource={rows}
          pagination={false}
          scroll={{ y: 320 }}
          virtual
          columns={[
            { title: '#', dataIndex: 'line', width: 60 },
            { title: t('library.attr.name'), dataIndex: 'name', width: 140 },
            { title: t('library.file'), dataIndex: 'file', width: 140 },
            {
              title: t('library.result'),
              dataIndex: 'status',
              width: 110,
              render: (s: ImportRow['status']) => <Tag color={colour[s]}>{t(`library.status.${s}`)}</Tag>,
            },
            {
              title: t('library.why'),
              render: (_, r) =>
                [
                  r.code,
                  r.message,
                  ...r.problems,
                  r.ignored.length ? t('library.ignored', { fields: r.ignored.join(', ') }) : '',
                ]
                  .filter(Boolean)
                  .join(' · '),
            },
          ]}
          data-testid="import-report"
        />
        <Space>
          {job?.running ? (
            <Button onClick={cancelImport} disabled={job.cancelled} data-testid="import-cancel">
              {t('common.cancel')}
            </Button>
          ) : (
            <Button
              type="primary"
              disabled={!report || count('ready') === 0 || Boolean(job)}
              onClick={() => void runImport(report!)}
              data-testid="import-run"
            >
              {t('library.importRun', { n: count('ready') })}
            </Button>
          )}
          {job && !job.running && (
            <Button onClick={download} data-testid="import-results">
              {t('library.downloadResults')}
            </Button>
          )}
          <Button onClick={onClose} disabled={job?.running}>
            {t('common.close')}
          </Button>
        </Space>
      </Space>
    </Modal>
  );
}
