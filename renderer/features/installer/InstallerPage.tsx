import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, InputNumber, Progress, Result, Segmented, Select, Space, Table, Tabs, Tag } from 'antd';
import Papa from 'papaparse';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccountsStore } from '../../stores/accounts/store';
import { useInstallerStore } from '../../stores/installer/store';
import { ConfigureTab } from './ConfigureTab';
import { GbAssistant } from './GbAssistant';
import { HoloForm } from './HoloForm';
import { IvcImport, readSheetFile } from './IvcImport';
import { VcsForm } from './VcsForm';
import { blankRow, deviceNameProblem, gbIdProblem, gbPasswordProblem, gbType } from '../../model/installer-rules';
import { installerOptions } from '../../stores/installer/actions';
import { useShallow } from 'zustand/react/shallow';
import { selectAdd, selectGbCredentials, selectInstallerPage, selectIvmBatch } from '../../stores/installer/selectors';
import { accountsThatCan, can } from '../../model/capabilities';

/** How each platform's add form is explained (the add forms follow the contract's per-platform requests). */
const HELP: Record<string, string> = {
  'huawei-vis': 'installer.visHelp',
  'tencent-ivc': 'installer.ivcHelp',
  'aliyun-vcs': 'installer.vcsHelp',
};

/**
 * Add GB28181 devices: the documented fields checked as typed, the platform's answer per device,
 * then the GB28181 assistant per device (values for the camera, QR, status until online).
 */
export function InstallerPage() {
  const { t } = useTranslation();
  const accounts = accountsThatCan(
    useAccountsStore((s) => s.accounts),
    'deviceAdmin',
  );
  const s = useInstallerStore(useShallow(selectInstallerPage));
  const accountId = s.accountId ?? accounts[0]?.id ?? null;
  const account = accounts.find((a) => a.id === accountId);
  const firstId = accounts[0]?.id;
  const { accountId: chosen, setAccount } = s;
  useEffect(() => {
    if (!chosen && firstId) setAccount(firstId);
  }, [chosen, firstId, setAccount]);

  if (accounts.length === 0)
    return (
      <Result
        status="info"
        title={t('installer.unavailable')}
        subTitle={t('installer.unavailableWhy')}
        data-testid="installer-unavailable"
      />
    );
  return (
    <div style={{ padding: 16, maxWidth: 1100 }} data-testid="installer-page">
      <Space style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 240 }}
          value={accountId ?? undefined}
          onChange={(id: string) => s.setAccount(id)}
          options={accounts.map((a) => ({ value: a.id, label: `${a.name} · ${a.config.platform}` }))}
          data-testid="installer-account"
        />
      </Space>
      <Tabs
        items={[
          {
            key: 'add',
            label: t('installer.addTab'),
            children: (
              <>
                <p style={{ opacity: 0.75 }}>{t(HELP[account?.config.platform ?? ''] ?? 'installer.ivmHelp')}</p>
                {account?.config.platform === 'huawei-vis' ? (
                  <VisForm accountId={account.id} />
                ) : account?.config.platform === 'tencent-ivc' ? (
                  <IvcForm accountId={account.id} />
                ) : account?.config.platform === 'aliyun-vcs' ? (
                  <VcsForm key={account.id} accountId={account.id} />
                ) : account ? (
                  <IvmAdd accountId={account.id} />
                ) : null}
              </>
            ),
          },
          ...(account && can(account, 'deviceAdmin.move')
            ? [
                {
                  key: 'configure',
                  label: t('installer.configureTab'),
                  children: (
                    <ConfigureTab key={account.id} accountId={account.id} capabilities={account.capabilities} />
                  ),
                },
              ]
            : []),
        ]}
      />
      {s.error && (
        <Alert
          type="error"
          showIcon
          title={s.error.message}
          style={{ margin: '12px 0' }}
          data-testid="installer-error"
        />
      )}
      {s.results && (
        <div style={{ marginTop: 16 }} data-testid="installer-results">
          {s.results
            .filter((r) => !r.ok)
            .map((r) => (
              <Alert
                key={r.deviceId}
                type="error"
                showIcon
                style={{ marginBottom: 8 }}
                title={`${r.deviceId}: ${r.code ?? ''} ${r.message ?? ''}`}
                data-testid={`installer-failed-${r.deviceId}`}
              />
            ))}
        </div>
      )}
      {s.assistants
        .filter((a) => a.accountId === accountId)
        .map((a) => (
          <GbAssistant
            key={a.statusId}
            accountId={a.accountId}
            statusId={a.statusId}
            settings={a.settings}
            name={a.name}
            onDismiss={() => s.dismissAssistant(a.statusId)}
          />
        ))}
    </div>
  );
}

/** Huawei IVM takes GB28181 devices in batches (§6.7) and HoloSens devices one by one (§6.6). */
function IvmAdd({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'gb' | 'holo'>('gb');
  return (
    <>
      <Segmented
        value={kind}
        onChange={(v) => setKind(v as 'gb' | 'holo')}
        options={[
          { value: 'gb', label: t('installer.kindGb') },
          { value: 'holo', label: t('installer.kindHolo') },
        ]}
        style={{ marginBottom: 12 }}
        data-testid="ivm-add-kind"
      />
      {kind === 'gb' ? <IvmForm accountId={accountId} /> : <HoloForm accountId={accountId} />}
    </>
  );
}

interface Row {
  deviceId: string;
  name: string;
  password: string;
  username: string;
  /** SIP digest (§6.7): SHA256 unless the camera only knows MD5 */
  algorithm: 'MD5' | 'SHA256';
}
const emptyRow = (): Row => ({ deviceId: '', name: '', password: '', username: '', algorithm: 'SHA256' });

function IvmForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { addIvmInBatches, busy, progress, results } = useInstallerStore(useShallow(selectIvmBatch));
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
          <div style={{ color: '#ff7875', fontSize: 11 }}>{problems[i]![key]}</div>
        )}
        {key === 'deviceId' && gbType(rows[i]!.deviceId) && (
          <Tag style={{ marginTop: 2 }}>{gbType(rows[i]!.deviceId)}</Tag>
        )}
        {key === 'deviceId' && rows[i]!.deviceId && rows.findIndex((r) => r.deviceId === rows[i]!.deviceId) !== i && (
          <div style={{ color: '#ff7875', fontSize: 11 }}>{t('installer.duplicate')}</div>
        )}
      </div>
    );
  };
  return (
    <div>
      <Space style={{ marginBottom: 8 }}>
        <span>{t('installer.importCsv')}</span>
        <input
          type="file"
          accept=".csv,.xlsx,text/csv"
          onChange={(e) => void importCsv(e.target.files?.[0])}
          data-testid="gb-csv"
        />
        {csvProblem && <span style={{ color: '#ff7875' }}>{csvProblem}</span>}
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
            void addIvmInBatches(
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

function VisForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { add, busy, credentials, loadCredentials, createCredential } = useInstallerStore(
    useShallow(selectGbCredentials),
  );
  const [type, setType] = useState<'IPC' | 'NVR'>('IPC');
  const [credential, setCredential] = useState<string | undefined>();
  const [quantity, setQuantity] = useState(1);
  const [newCred, setNewCred] = useState({ type: 'NORMAL' as 'NORMAL' | 'ANONYMOUS', username: '', password: '' });
  useEffect(() => {
    void loadCredentials();
  }, [accountId, loadCredentials]);
  const passwordProblem = newCred.password ? gbPasswordProblem(newCred.password, /^[@#_*]*$/) : null;
  const userProblem =
    newCred.type === 'NORMAL' && newCred.username && !/^[A-Za-z0-9]{1,32}$/.test(newCred.username)
      ? t('validation.visUser')
      : null;
  const canCreate =
    newCred.password && !passwordProblem && !userProblem && (newCred.type === 'ANONYMOUS' || newCred.username);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          value={type}
          onChange={setType}
          options={[
            { value: 'IPC', label: 'IPC' },
            { value: 'NVR', label: 'NVR' },
          ]}
          style={{ width: 100 }}
          data-testid="vis-type"
        />
        <Select
          placeholder={t('installer.credential')}
          value={credential}
          onChange={setCredential}
          options={credentials.map((c) => ({
            value: c.username,
            label: `${c.username}${c.type ? ` (${c.type})` : ''}`,
          }))}
          style={{ width: 240 }}
          data-testid="vis-credential"
        />
        <InputNumber
          min={1}
          max={100}
          value={quantity}
          onChange={(v) => setQuantity(typeof v === 'number' ? v : 1)}
          addonBefore={t('installer.quantity')}
          data-testid="vis-quantity"
        />
        <Button
          type="primary"
          loading={busy}
          disabled={!credential}
          onClick={() => credential && void add({ platform: 'huawei-vis', accountId, type, credential, quantity })}
          data-testid="gb-submit"
        >
          {t('installer.create')}
        </Button>
      </Space>
      <Space wrap>
        <span style={{ opacity: 0.75 }}>{t('installer.newCredential')}</span>
        <Select
          value={newCred.type}
          onChange={(v: 'NORMAL' | 'ANONYMOUS') => setNewCred({ ...newCred, type: v })}
          options={[
            { value: 'NORMAL', label: 'NORMAL' },
            { value: 'ANONYMOUS', label: 'ANONYMOUS' },
          ]}
          style={{ width: 130 }}
        />
        {newCred.type === 'NORMAL' && (
          <Input
            placeholder={t('installer.username')}
            value={newCred.username}
            onChange={(e) => setNewCred({ ...newCred, username: e.target.value })}
            status={userProblem ? 'error' : ''}
            style={{ width: 160 }}
            data-testid="vis-cred-user"
          />
        )}
        <Input.Password
          placeholder={t('installer.password')}
          value={newCred.password}
          onChange={(e) => setNewCred({ ...newCred, password: e.target.value })}
          status={passwordProblem ? 'error' : ''}
          style={{ width: 200 }}
          autoComplete="new-password"
          data-testid="vis-cred-password"
        />
        <Button
          disabled={!canCreate || busy}
          onClick={async () => {
            const created = await createCredential(
              newCred.type,
              newCred.password,
              newCred.type === 'NORMAL' ? newCred.username : undefined,
            );
            if (created) {
              setCredential(created);
              setNewCred({ ...newCred, password: '' });
            }
          }}
          data-testid="vis-cred-create"
        >
          {t('installer.createCredential')}
        </Button>
        {(passwordProblem || userProblem) && (
          <span style={{ color: '#ff7875', fontSize: 12 }}>{passwordProblem ?? userProblem}</span>
        )}
      </Space>
    </Space>
  );
}

function IvcForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { add, busy } = useInstallerStore(useShallow(selectAdd));
  const [options, setOptions] = useState<{
    organizations: Array<{ id: string; name: string }>;
    clusters: Array<{ id: string; name: string }>;
  }>({ organizations: [], clusters: [] });
  const [form, setForm] = useState({
    name: '',
    type: 'IPC' as 'IPC' | 'NVR',
    transport: 'UDP' as 'UDP' | 'TCP',
    password: '',
    organizationId: '',
    clusterId: '',
  });
  useEffect(() => {
    installerOptions({ accountId }).then(
      (o) => {
        setOptions(o);
        setForm((f) => ({
          ...f,
          organizationId: f.organizationId || (o.organizations[0]?.id ?? ''),
          clusterId: f.clusterId || (o.clusters[0]?.id ?? ''),
        }));
      },
      () => undefined,
    );
  }, [accountId]);
  const nameProblem =
    form.name && !/^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u.test(form.name) ? t('validation.name32') : null;
  const passwordProblem = form.password && !/^[0-9]{6,16}$/.test(form.password) ? t('validation.gbpwd') : null;
  const valid = form.name && form.password && !nameProblem && !passwordProblem && form.organizationId && form.clusterId;
  return (
    <Space wrap>
      <Input
        placeholder={t('installer.name')}
        value={form.name}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
        status={nameProblem ? 'error' : ''}
        style={{ width: 180 }}
        data-testid="ivc-name"
      />
      <Select
        value={form.type}
        onChange={(type: 'IPC' | 'NVR') => setForm({ ...form, type })}
        options={[
          { value: 'IPC', label: 'IPC' },
          { value: 'NVR', label: 'NVR' },
        ]}
        style={{ width: 90 }}
      />
      <Select
        value={form.transport}
        onChange={(transport: 'UDP' | 'TCP') => setForm({ ...form, transport })}
        options={[
          { value: 'UDP', label: 'UDP' },
          { value: 'TCP', label: 'TCP' },
        ]}
        style={{ width: 90 }}
        data-testid="ivc-transport"
      />
      <Input.Password
        placeholder={t('installer.password')}
        value={form.password}
        onChange={(e) => setForm({ ...form, password: e.target.value })}
        status={passwordProblem ? 'error' : ''}
        autoComplete="new-password"
        style={{ width: 170 }}
        data-testid="ivc-password"
      />
      <Select
        value={form.organizationId || undefined}
        onChange={(organizationId: string) => setForm({ ...form, organizationId })}
        options={options.organizations.map((o) => ({ value: o.id, label: o.name }))}
        style={{ width: 160 }}
        placeholder={t('installer.organization')}
      />
      <Select
        value={form.clusterId || undefined}
        onChange={(clusterId: string) => setForm({ ...form, clusterId })}
        options={options.clusters.map((c) => ({ value: c.id, label: c.name }))}
        style={{ width: 160 }}
        placeholder={t('installer.cluster')}
      />
      <Button
        type="primary"
        loading={busy}
        disabled={!valid}
        onClick={() => void add({ platform: 'tencent-ivc', accountId, ...form })}
        data-testid="gb-submit"
      >
        {t('installer.create')}
      </Button>
      {(nameProblem || passwordProblem) && (
        <span style={{ color: '#ff7875', fontSize: 12 }}>{nameProblem ?? passwordProblem}</span>
      )}
      {form.organizationId && form.clusterId && (
        <IvcImport accountId={accountId} organizationId={form.organizationId} clusterId={form.clusterId} />
      )}
    </Space>
  );
}
