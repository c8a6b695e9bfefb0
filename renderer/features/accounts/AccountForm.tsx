import { Alert, Checkbox, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, PlatformId } from '../../../preload/contract';
import { useAccountsStore } from '../../stores/accounts/store';
import { platformFields, platformIds, type FieldSpec } from './platformFields';
import { VigilError } from '../../stores/errors';

interface Props {
  open: boolean;
  /** Editing an existing account, or adding one for `platform`. */
  account?: Account;
  platform?: PlatformId;
  onClose(saved?: Account): void;
}

type FormValues = { platform: PlatformId; name: string; config: Record<string, unknown>; secret?: string };

/** Add or edit one account. The secret field is write-only: it is never filled from main. */
export function AccountForm({ open, account, platform: initialPlatform, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = useAccountsStore((s) => s.add);
  const update = useAccountsStore((s) => s.update);
  const editing = account !== undefined;

  const initialValues = useMemo<FormValues>(() => {
    const platform = account?.config.platform ?? initialPlatform ?? 'huawei-ivm';
    const config: Record<string, unknown> = {};
    for (const f of platformFields[platform]) if (f.path[0] === 'config' && f.initial) config[f.path[1]!] = f.initial;
    return { platform, name: account?.name ?? '', config: { ...config, ...(account?.config ?? {}) } };
  }, [account, initialPlatform]);

  const platform = Form.useWatch('platform', form) ?? initialValues.platform;
  const config = (Form.useWatch('config', form) ?? initialValues.config) as Record<string, unknown>;
  const fields = platformFields[platform].filter((f) => !f.when || f.when(config));

  // Another platform: its defaults replace the last one's, except values the user typed. Applied
  // once the new platform's fields are mounted: a field mounting afresh takes the form's initial
  // values (the first platform's), which is how Tencent and Alibaba got the Huawei IVM host.
  const carried = useRef<Record<string, unknown> | null>(null);
  const onPlatformChange = () => {
    const typed: Record<string, unknown> = {};
    for (const f of platformFields[platform]) {
      if (f.path[0] !== 'config' || f.kind === 'secret') continue;
      // Typed: anything other than this platform's own default.
      const v: unknown = form.getFieldValue(f.path);
      if (typeof v === 'string' && v.trim() && v !== f.initial) typed[f.path[1]!] = v;
    }
    carried.current = typed;
  };
  useEffect(() => {
    const typed = carried.current;
    if (!typed) return;
    carried.current = null;
    const values: Record<string, unknown> = {};
    for (const f of platformFields[platform]) {
      if (f.path[0] !== 'config') continue;
      const key = f.path[1]!;
      if (key in typed) values[key] = typed[key];
      else if (f.initial) values[key] = f.initial;
    }
    form.setFieldsValue({ config: values, secret: '' });
  }, [platform, form]);

  const submit = async () => {
    setError(null);
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // antd shows the required-field messages
    }
    const cleaned: Record<string, unknown> = { platform: values.platform };
    for (const f of fields) {
      if (f.path[0] !== 'config') continue;
      const v = values.config?.[f.path[1]!];
      if (typeof v === 'string' && v.trim() !== '') cleaned[f.path[1]!] = v.trim();
    }
    // Only the operator sets it, here; absent means a public cloud.
    if (values.config?.onPremises === true) cleaned.onPremises = true;
    const secret = values.secret ? values.secret : undefined;
    setSaving(true);
    try {
      const saved = editing
        ? await update({ id: account.id, name: values.name, config: cleaned as never, ...(secret ? { secret } : {}) })
        : await add({ name: values.name, config: cleaned as never, secret: secret ?? '' });
      form.resetFields();
      onClose(saved);
    } catch (e) {
      const err = e instanceof VigilError ? e : new VigilError({ code: 'INTERNAL', message: String(e) });
      const fieldErrors = Object.entries(err.details?.fields ?? {});
      if (fieldErrors.length > 0) {
        form.setFields(
          fieldErrors.map(([path, issue]) => ({
            name: path.split('.') as never,
            errors: [t(issue.key, { defaultValue: issue.message })],
          })),
        );
      }
      setError(`${t(`error.${err.code}`)}: ${err.message}${err.details?.hint ? ` — ${err.details.hint}` : ''}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t(editing ? 'accounts.editTitle' : 'accounts.addTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={() => onClose()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'account-save' } as never}
      width={560}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initialValues}
        requiredMark
        preserve={false}
        autoComplete="off"
      >
        <Form.Item name="platform" label={t('accounts.platform')} rules={[{ required: true }]}>
          <Select
            disabled={editing}
            data-testid="account-platform"
            onChange={onPlatformChange}
            options={platformIds.map((p) => ({ value: p, label: t(`platform.${p}`) }))}
          />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
          {t(`platformHint.${platform}`)}
        </Typography.Paragraph>
        <Form.Item
          name="name"
          label={t('field.name.label')}
          extra={t('field.name.help')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input data-testid="field-name" maxLength={64} />
        </Form.Item>
        {fields.map((f) => (
          <FieldItem key={`${platform}.${f.path.join('.')}.${f.i18n}`} spec={f} editing={editing} />
        ))}
        <Form.Item name={['config', 'onPremises']} valuePropName="checked" extra={t('accounts.onPremisesHelp')}>
          <Checkbox data-testid="field-config.onPremises">{t('accounts.onPremises')}</Checkbox>
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} data-testid="account-form-error" />}
      </Form>
    </Modal>
  );
}

function FieldItem({ spec, editing }: { spec: FieldSpec; editing: boolean }) {
  const { t } = useTranslation();
  const isSecret = spec.kind === 'secret';
  // When editing, an empty secret keeps the stored one.
  const required = spec.required && !(isSecret && editing);
  const testId = `field-${spec.path.join('.')}`;
  return (
    <Form.Item
      name={spec.path}
      label={t(`field.${spec.i18n}.label`)}
      extra={isSecret && editing ? t('accounts.keepSecret') : t(`field.${spec.i18n}.help`)}
      rules={required ? [{ required: true, whitespace: true, message: t('validation.required') }] : []}
    >
      {spec.kind === 'select' ? (
        <Select
          data-testid={testId}
          options={spec.options?.map((o) => ({
            value: o.value,
            label: o.label.startsWith('field.') ? t(o.label) : o.label,
          }))}
        />
      ) : isSecret ? (
        <Input.Password data-testid={testId} autoComplete="new-password" visibilityToggle={false} />
      ) : (
        <Input data-testid={testId} spellCheck={false} />
      )}
    </Form.Item>
  );
}
