import { Alert, Button, Card, Input, InputNumber, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CloudPlan, PlanKind } from '../../../preload/contract';
import { EMPTY_PLANS_VIEW, plansViewKey, useCloudPlansStore } from '../../stores/plans/cloud-plans';
import { themed } from '../common/theme-vars';

type Draft = {
  id?: string;
  name: string;
  describe: string;
  templateId: string;
  stream: 'default' | 'main' | 'sub';
  hotDays: number;
  coldDays: number;
  channels: string[];
  organizations: string[];
};

/** The limits E39/E41 document, checked while the supervisor types. */
export function draftProblems(d: Draft): Record<string, string | null> {
  return {
    name: !/^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u.test(d.name) ? 'validation.name32' : null,
    describe: !/^[\p{Script=Han}A-Za-z0-9_-]{0,128}$/u.test(d.describe) ? 'validation.desc128' : null,
    templateId: d.templateId ? null : 'plans.pickTemplate',
    hotDays: Number.isInteger(d.hotDays) && d.hotDays >= 1 && d.hotDays <= 3650 ? null : 'validation.hotDays',
    coldDays:
      d.coldDays === 0 || (Number.isInteger(d.coldDays) && d.coldDays >= 60 && d.coldDays <= 3650)
        ? null
        : 'validation.coldDays',
    organizations: d.organizations.length <= 10 ? null : 'validation.planOrgs',
  };
}

/**
 * Tencent IVC real-time-to-cloud plans (E39–E47): which channels record into the cloud on which
 * template, on which stream, and for how long files stay hot and then cold. A channel records
 * under one plan only, so channels held by another plan are shown but cannot be chosen. Every
 * change answers the list as the platform now has it.
 */
export function CloudPlans({ accountId, kind = 'realtime' }: { accountId: string; kind?: PlanKind }) {
  const { t } = useTranslation();
  const view = useCloudPlansStore((s) => s.views[plansViewKey(accountId, kind)]) ?? EMPTY_PLANS_VIEW;
  const { plans: data, nodes, busy, error, notice } = view;
  const store = useCloudPlansStore.getState;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [original, setOriginal] = useState<string[]>([]);

  useEffect(() => void useCloudPlansStore.getState().open(accountId, kind), [accountId, kind]);

  const holder = useMemo(() => new Map((data?.planned ?? []).map((x) => [x.channel, x.planId])), [data]);
  const planName = (id: string) => data?.plans.find((p) => p.id === id)?.name ?? id;
  const channelOptions = nodes
    .filter((n) => n.kind === 'channel')
    .map((n) => {
      const other = holder.get(n.id);
      const taken = other !== undefined && other !== draft?.id;
      return {
        value: n.id,
        label: taken ? `${n.name} — ${t('plans.inPlan', { name: planName(other) })}` : n.name,
        disabled: taken,
      };
    });
  const orgOptions = nodes.filter((n) => n.kind === 'group').map((n) => ({ value: n.id, label: n.name }));

  const edit = async (p: CloudPlan | null) => {
    store().dismiss(accountId, kind);
    if (!p) {
      setOriginal([]);
      setDraft({
        name: '',
        describe: '',
        templateId: data?.templates[0]?.id ?? '',
        stream: 'default',
        hotDays: 30,
        coldDays: 0,
        channels: [],
        organizations: [],
      });
      return;
    }
    const members = await store().planChannels(accountId, kind, p.id);
    if (members) {
      setOriginal(members);
      setDraft({
        id: p.id,
        name: p.name,
        describe: p.describe,
        templateId: p.templateId,
        stream: (['default', 'main', 'sub'] as const).find((s) => s === p.stream) ?? 'default',
        hotDays: p.hotDays,
        coldDays: p.coldDays,
        channels: members,
        organizations: [],
      });
    }
  };

  const save = (d: Draft) => {
    const kept = new Set(d.channels);
    const before = new Set(original);
    const change = {
      name: d.name,
      describe: d.describe,
      templateId: d.templateId,
      stream: d.stream,
      hotDays: d.hotDays,
      coldDays: d.coldDays,
      add: d.channels.filter((c) => !before.has(c)),
      remove: original.filter((c) => !kept.has(c)),
      organizations: d.organizations,
    };
    void store()
      .savePlan(accountId, kind, { ...(d.id ? { id: d.id } : {}), ...change })
      .then((ok) => ok && setDraft(null));
  };

  const problems = draft ? draftProblems(draft) : {};
  const invalid = Object.values(problems).some(Boolean);
  const say = (key: string | null | undefined) =>
    key && <span style={{ color: themed.errorText, fontSize: 12 }}>{t(key)}</span>;
  const templateName = (id: string) => data?.templates.find((x) => x.id === id)?.name ?? id;

  return (
    <div data-testid="cloud-plans">
      <p style={{ opacity: 0.75 }}>{t(kind === 'upload' ? 'plans.uploadHelp' : 'plans.cloudHelp')}</p>
      {error && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => store().dismiss(accountId, kind) }}
          title={error}
          style={{ marginBottom: 8 }}
          data-testid="cloud-plan-error"
        />
      )}
      {notice && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => store().dismiss(accountId, kind) }}
          title={t(notice)}
          style={{ marginBottom: 8 }}
          data-testid="cloud-plan-notice"
        />
      )}
      <Table<CloudPlan>
        size="small"
        rowKey="id"
        loading={!data}
        pagination={false}
        dataSource={data?.plans ?? []}
        data-testid="cloud-plan-table"
        columns={[
          { title: t('plans.planName'), dataIndex: 'name' },
          { title: t('plans.template'), render: (_, p) => templateName(p.templateId) },
          ...(kind === 'realtime'
            ? [
                {
                  title: t('plans.stream'),
                  render: (_: unknown, p: CloudPlan) => t(`plans.streams.${p.stream}`, { defaultValue: p.stream }),
                },
              ]
            : []),
          { title: t('plans.hotCold'), render: (_, p) => `${p.hotDays} / ${p.coldDays || '—'}` },
          { title: t('plans.channelCount'), dataIndex: 'channels' },
          { title: '', render: (_, p) => (p.active ? null : <Tag>{t('plans.deleting')}</Tag>) },
          {
            title: '',
            render: (_, p) =>
              p.active && (
                <Space>
                  <Button size="small" onClick={() => void edit(p)} data-testid={`cloud-plan-edit-${p.name}`}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('plans.cloudDeleteWarn', { name: p.name, n: p.channels })}
                    onConfirm={() =>
                      void store()
                        .deletePlan(accountId, kind, p.id)
                        .then((ok) => ok && setDraft(null))
                    }
                    okButtonProps={{ danger: true, 'data-testid': 'cloud-plan-delete-ok' } as never}
                  >
                    <Button size="small" danger data-testid={`cloud-plan-delete-${p.name}`}>
                      {t('common.remove')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Button
        style={{ marginTop: 8 }}
        onClick={() => void edit(null)}
        disabled={!data || data.templates.length === 0}
        data-testid="cloud-plan-new"
      >
        {t(kind === 'upload' ? 'plans.newUploadPlan' : 'plans.newCloudPlan')}
      </Button>
      {data && data.templates.length === 0 && (
        <span style={{ marginLeft: 8, opacity: 0.7 }}>
          {t(kind === 'upload' ? 'plans.needUploadTemplate' : 'plans.needTemplate')}
        </span>
      )}
      {draft && (
        <Card
          size="small"
          title={draft.id ? t('plans.editCloudPlan', { name: draft.name }) : t('plans.newCloudPlan')}
          style={{ marginTop: 12 }}
          data-testid="cloud-plan-form"
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Input
                style={{ width: 220 }}
                placeholder={t('plans.planName')}
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                status={problems.name ? 'error' : ''}
                data-testid="cloud-plan-name"
              />
              {say(problems.name)}
              <Input
                style={{ width: 280 }}
                placeholder={t('plans.describe')}
                value={draft.describe}
                onChange={(e) => setDraft({ ...draft, describe: e.target.value })}
                status={problems.describe ? 'error' : ''}
                data-testid="cloud-plan-describe"
              />
              {say(problems.describe)}
            </Space>
            <Space wrap>
              <label>
                {t('plans.template')}:{' '}
                <Select
                  style={{ width: 200 }}
                  value={draft.templateId || undefined}
                  onChange={(v: string) => setDraft({ ...draft, templateId: v })}
                  options={(data?.templates ?? []).map((x) => ({ value: x.id, label: x.name }))}
                  data-testid="cloud-plan-template"
                />
              </label>
              {kind === 'realtime' && (
                <label>
                  {t('plans.stream')}:{' '}
                  <Select
                    style={{ width: 160 }}
                    value={draft.stream}
                    onChange={(v: Draft['stream']) => setDraft({ ...draft, stream: v })}
                    options={(['default', 'main', 'sub'] as const).map((s) => ({
                      value: s,
                      label: t(`plans.streams.${s}`),
                    }))}
                    data-testid="cloud-plan-stream"
                  />
                </label>
              )}
              <label>
                {t('plans.hotDays')}:{' '}
                <InputNumber
                  value={draft.hotDays}
                  onChange={(v) => setDraft({ ...draft, hotDays: typeof v === 'number' ? v : 0 })}
                  status={problems.hotDays ? 'error' : ''}
                  data-testid="cloud-plan-hot"
                />
              </label>
              {say(problems.hotDays)}
              <label>
                {t('plans.coldDays')}:{' '}
                <InputNumber
                  value={draft.coldDays}
                  onChange={(v) => setDraft({ ...draft, coldDays: typeof v === 'number' ? v : 0 })}
                  status={problems.coldDays ? 'error' : ''}
                  data-testid="cloud-plan-cold"
                />
              </label>
              {say(problems.coldDays)}
            </Space>
            <Select
              mode="multiple"
              style={{ width: '100%' }}
              placeholder={t('plans.planChannels')}
              value={draft.channels}
              onChange={(v: string[]) => setDraft({ ...draft, channels: v })}
              options={channelOptions}
              optionFilterProp="label"
              maxTagCount="responsive"
              data-testid="cloud-plan-channels"
            />
            <Select
              mode="multiple"
              style={{ width: '100%' }}
              placeholder={t('plans.planOrgs')}
              value={draft.organizations}
              onChange={(v: string[]) => setDraft({ ...draft, organizations: v })}
              options={orgOptions}
              optionFilterProp="label"
              status={problems.organizations ? 'error' : ''}
              data-testid="cloud-plan-orgs"
            />
            {say(problems.organizations)}
            <Space>
              <Button
                type="primary"
                loading={busy}
                disabled={invalid}
                onClick={() => save(draft)}
                data-testid="cloud-plan-save"
              >
                {t('common.save')}
              </Button>
              <Button onClick={() => setDraft(null)}>{t('common.cancel')}</Button>
            </Space>
          </Space>
        </Card>
      )}
    </div>
  );
}
