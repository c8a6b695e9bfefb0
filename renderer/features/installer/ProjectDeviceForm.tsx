import { Input, InputNumber, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CreateButton, DeviceKindSelect, Problem, useInstallerOptions, type DeviceKind } from './parts';

/**
 * Registration model `projectDevice`: a GB28181 camera or NVR in one of the account's projects;
 * the platform assigns the GB IDs and the password (Alibaba VCS CreateDevice §3.2.1), which main
 * keeps in the keychain and prints on a sheet.
 */
export function ProjectDeviceForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    corpId: '',
    type: 'IPC' as DeviceKind,
    name: '',
    address: '',
    channels: 4,
    vendor: '',
    model: '',
    cityCode: '',
  });
  // Alibaba VCS projects come as the account's organizations.
  const projects = useInstallerOptions(accountId, (o) =>
    setForm((f) => ({ ...f, corpId: f.corpId || (o.organizations[0]?.id ?? '') })),
  ).organizations;
  const long = (v: string) => (v.length > 64 ? t('validation.max64') : null);
  const problems = {
    name: long(form.name),
    address: long(form.address),
    vendor: long(form.vendor),
    model: long(form.model),
    channels:
      form.type === 'NVR' && !(Number.isInteger(form.channels) && form.channels >= 1 && form.channels <= 256)
        ? t('validation.nvrChannels')
        : null,
    cityCode: form.cityCode && !/^[0-9]{6}$/.test(form.cityCode) ? t('validation.cityCode') : null,
  };
  const problem = Object.values(problems).find(Boolean);
  const valid = form.corpId && form.name.trim() && form.address.trim() && !problem;
  const text = (key: 'name' | 'address' | 'vendor' | 'model' | 'cityCode', placeholder: string, width: number) => (
    <Input
      placeholder={placeholder}
      value={form[key]}
      onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      status={problems[key] ? 'error' : ''}
      style={{ width }}
      data-testid={`vcs-${key}`}
    />
  );
  return (
    <Space direction="vertical">
      <Space wrap>
        <Select
          value={form.corpId || undefined}
          onChange={(corpId: string) => setForm({ ...form, corpId })}
          options={projects.map((p) => ({ value: p.id, label: p.name }))}
          style={{ width: 200 }}
          placeholder={t('installer.project')}
          data-testid="vcs-project"
        />
        <DeviceKindSelect value={form.type} onChange={(type) => setForm({ ...form, type })} testId="vcs-type" />
        {text('name', t('installer.name'), 180)}
        {text('address', t('installer.address'), 220)}
        {form.type === 'NVR' && (
          <InputNumber
            value={form.channels}
            onChange={(v) => setForm({ ...form, channels: typeof v === 'number' ? v : 0 })}
            status={problems.channels ? 'error' : ''}
            addonBefore={t('installer.channels')}
            style={{ width: 170 }}
            data-testid="vcs-channels"
          />
        )}
      </Space>
      <Space wrap>
        {text('vendor', t('installer.vendorOptional'), 160)}
        {text('model', t('installer.modelOptional'), 160)}
        {text('cityCode', t('installer.cityCodeOptional'), 170)}
        <CreateButton
          disabled={!valid}
          request={() => ({
            registration: 'projectDevice',
            accountId,
            corpId: form.corpId,
            type: form.type,
            name: form.name.trim(),
            address: form.address.trim(),
            channels: form.type === 'NVR' ? form.channels : 1,
            ...(form.vendor ? { vendor: form.vendor } : {}),
            ...(form.model ? { model: form.model } : {}),
            ...(form.cityCode ? { cityCode: form.cityCode } : {}),
          })}
        />
        <Problem text={problem} />
      </Space>
    </Space>
  );
}
