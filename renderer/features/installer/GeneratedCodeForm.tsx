import { Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { IvcImport } from './IvcImport';
import { CreateButton, DeviceKindSelect, Problem, useInstallerOptions, type DeviceKind } from './parts';

/**
 * Registration model `generatedCode`: one device whose 20-digit code the platform generates; the
 * installer gives its name, digits-only password, transport, organization and service node
 * (Tencent IVC E15). Where the platform imports a spreadsheet (`deviceAdmin.import`), many at once.
 */
export function GeneratedCodeForm({ accountId, canImport }: { accountId: string; canImport: boolean }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    name: '',
    type: 'IPC' as DeviceKind,
    transport: 'UDP' as 'UDP' | 'TCP',
    password: '',
    organizationId: '',
    clusterId: '',
  });
  const options = useInstallerOptions(accountId, (o) =>
    setForm((f) => ({
      ...f,
      organizationId: f.organizationId || (o.organizations[0]?.id ?? ''),
      clusterId: f.clusterId || (o.clusters[0]?.id ?? ''),
    })),
  );
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
      <DeviceKindSelect value={form.type} onChange={(type) => setForm({ ...form, type })} />
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
      <CreateButton disabled={!valid} request={() => ({ registration: 'generatedCode', accountId, ...form })} />
      <Problem text={nameProblem ?? passwordProblem} />
      {canImport && form.organizationId && form.clusterId && (
        <IvcImport accountId={accountId} organizationId={form.organizationId} clusterId={form.clusterId} />
      )}
    </Space>
  );
}
