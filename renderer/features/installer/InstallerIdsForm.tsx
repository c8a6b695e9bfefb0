import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Input, Progress, Select, Space, Table, Tag } from 'antd';
import Papa from 'papaparse';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { blankRow, deviceNameProblem, gbIdProblem, gbPasswordProblem, gbType } from '../../model/installer-rules';
import { selectInstallerIdsBatch } from '../../stores/installer/selectors';
import { useInstallerStore } from '../../stores/installer/store';
import { readSheetFile } from '../../stores/installer/ivc-import';
import { FilePicker } from '../common/FilePicker';
import { themed } from '../common/theme-vars';

interface Row {
  deviceId: string;
  name: string;
  password: string;
  username: string;
  /** SIP digest (§6.7): SHA256 unless the camera only knows MD5 */
  algorithm: 'MD5' | 'SHA256';
}
const emptyRow = (): Row => ({ deviceId: '', name: '', password: '', username: '', algorithm: 'SHA256' });

/**
 * Registration model `installerIds`: the installer's own 20-digit GB28181 IDs, checked as typed
 * or read from a CSV/XLSX, sent in calls of at most 100 (Huawei IVM §6.7).
 */
export function InstallerIdsForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { addInBatches, busy, progress, results } = useInstallerStore(useShallow(selectInstallerIdsBatch));
  const [rows, setRows] = useState<Row[]>([emptyRow()]);
  const [csvProblem, setCsvProblem] = useState<string | null>(null);
  const problems = rows.map((r) => ({
    deviceId: gbIdProblem(r.deviceId),
    name: deviceNameProblem(r.name),
    password: gbPasswordProblem(r.password),
    username: r.username && !/^[A-Za-z-][A-Za-z0-9-]{4,31}$/.test(r.username) ? t('validation.gbUser') : null,
  }));
  const isValid = (i: number) =>
    Object.values(problems[i]!).every((x) => !x) && rows.findIndex((r) => r.deviceId === rows[i]!.deviceId) === i;
  const ready = rows.map((_, i) => i).filter(isValid);
  // Empty rows (the table's starting row, a blank line of a sheet) are neither ready nor to fix.
  const toFix = rows.filter((r, i) => !isValid(i) && !blankRow([r.deviceId, r.name, r.password, r.username])).length;
  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const importCsv = async (file: File | undefined) => {
    if (!file) return;
    const key = (h: string) =>
      h
        .trim()
        .toLowerCase()
        .replace(/[^a-z]/g, '');
    let parsed: { data: Array<Record<string, string>>; meta: { fields?: string[] } };
    if (/\.xlsx$/i.test(file.name)) {
      const sheet = await readSheetFile(file).catch((e: Error) => (setCsvProblem(e.message), null));
      if (!sheet) return;
      const fields = sheet.header.map(key);
      parsed = {
        data: sheet.rows.map((r) => Object.fromEntries(fields.map((f, i) => [f, r[i] ?? '']))),
        meta: { fields },
      };
    } else
      parsed = Papa.parse<Record<string, string>>((await file.text()).replace(/^\uFEFF/, ''), {
        header: true,
        skipEmptyLines: 'greedy',
        transformHeader: key,
      });
    const fields = parsed.meta.fields ?? [];
    if (!fields.includes('deviceid') || !fields.includes('name') || !fields.includes('password'))
      return setCsvProblem(t('installer.csvColumns'));
    setCsvProblem(null);
    setRows(
      parsed.data
        .filter((r) => !blankRow(Object.values(r)))
        .map((r) => ({
          deviceId: (r.deviceid ?? '').trim(),
          name: (r.name ?? '').trim(),
          password: r.password ?? '',
          username: (r.username ?? '').trim(),
          algorithm: (r.algorithm ?? '').trim().toUpperCase() === 'MD5' ? 'MD5' : 'SHA256',
        })),
    );
  };
  // Devices the platform took leave the table; failed and invalid ones stay to be fixed.
  useEffect(() => {
    if (busy || !results?.length) return;
    const added = new Set(results.filter((r) => r.ok).map((r) => r.deviceId));
    setRows((current) => {
      const left = current.filter((r) => !added.has(r.deviceId));
      return left.length ? left : [emptyRow()];
    });
  }, [busy, results]);
  const cell = (i: number, key: Exclude<keyof Row, 'algorithm'>, placeholder: string, password = false) => {
    const Field = password ? Input.Password : Input;
    return (
      <div>
        <Field
          value={rows[i]![key]}
          placeholder={placeholder}
          onChange={(e) => set(i, { [key]: e.target.value })}
          status={rows[i]![key] && problems[i]![key] ? 'error' : ''}
          data-testid={`gb-${key}-${i}`}
          autoComplete="off"
        />
        {rows[i]![key] && problems[i]![key] && (
          <div style={{ color: themed.errorText, fontSize: 11 }}>{problems[i]![key]}</div>
        )}
        {key === 'deviceId' && gbType(rows[i]!.deviceId) && (
          <Tag style={{ marginTop: 2 }}>{gbType(rows[i]!.deviceId)}</Tag>
        )}
        {key === 'deviceId' && rows[i]!.deviceId && rows.findIndex((r) => r.deviceId === rows[i]!.deviceId) !== i && (
          <div style={{ color: themed.errorText, fontSize: 11 }}>{t('installer.duplicate')}</div>
        )}
      </div>
    );
  };
  return (
    <div>
      <Space style={{ marginBottom: 8 }}>
        <span>{t('installer.importCsv')}</span>
        <FilePicker accept=".csv,.xlsx,text/csv" onFiles={(f) => void importCsv(f[0])} testId="gb-csv" />
        {csvProblem && <span style={{ color: themed.errorText }}>{csvProblem}</span>}
      </Space>
      <div style={{ opacity: 0.7, marginBottom: 8 }} data-testid="gb-report">
        {t('installer.report', { ready: ready.length, invalid: toFix })}
      </div>
      <Table<Row & { i: number }>
        size="small"
        pagination={rows.length > 20 ? { pageSize: 20 } : false}
        rowKey="i"
        dataSource={rows.map((r, i) => ({ ...r, i }))}
        columns={[
          { title: t('installer.deviceId'), render: (_, r) => cell(r.i, 'deviceId', '34020000001320000001') },
          { title: t('installer.name'), render: (_, r) => cell(r.i, 'name', t('installer.name')) },
          { title: t('installer.password'), render: (_, r) => cell(r.i, 'password', t('installer.password'), true) },
          {
            title: t('installer.usernameOptional'),
            render: (_, r) => cell(r.i, 'username', t('installer.usernameOptional')),
          },
          {
            title: <span title={t('installer.digestHelp')}>{t('installer.digest')}</span>,
            width: 120,
            render: (_, r) => (
              <Select
                size="small"
                value={r.algorithm}
                onChange={(algorithm: Row['algorithm']) => set(r.i, { algorithm })}
                options={[
                  { value: 'SHA256', label: 'SHA256' },
                  { value: 'MD5', label: 'MD5' },
                ]}
                style={{ width: 100 }}
                data-testid={`gb-algorithm-${r.i}`}
              />
            ),
          },
          {
            title: '',
            width: 40,
            render: (_, r) => (
              <Button
                size="small"
                danger
                icon={<DeleteOutlined />}
                disabled={rows.length === 1}
                onClick={() => setRows(rows.filter((_, j) => j !== r.i))}
                aria-label={t('common.remove')}
              />
            ),
          },
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        <Button icon={<PlusOutlined />} onClick={() => setRows([...rows, emptyRow()])} data-testid="gb-add-row">
          {t('installer.addRow')}
        </Button>
        <Button
          type="primary"
          loading={busy}
          disabled={ready.length === 0}
          onClick={() =>
            void addInBatches(
              accountId,
              ready
                .map((i) => rows[i]!)
                .map((r) => ({
                  deviceId: r.deviceId,
                  name: r.name.trim(),
                  password: r.password,
                  algorithm: r.algorithm,
                  ...(r.username ? { username: r.username } : {}),
                })),
            )
          }
          data-testid="gb-submit"
        >
          {t('installer.register', { n: ready.length })}
        </Button>
        {progress && (
          <Progress
            percent={Math.round((progress.done / Math.max(1, progress.total)) * 100)}
            style={{ width: 200 }}
            data-testid="gb-progress"
          />
        )}
      </Space>
    </div>
  );
}
