import { Alert, Button, Checkbox, Empty, InputNumber, Popconfirm, Result, Select, Space, Spin, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmTrigger } from '../../../preload/contract';
import { useAccountsStore } from '../../stores/accounts/store';
import { usePlansStore } from '../../stores/plans/store';
import { CloudPlans } from './CloudPlans';
import { TemplatesEditor } from './TemplatesEditor';
import { WeekGrid } from './WeekGrid';
import { copyDay, emptyGrid, gridToSections, isAllDay, offGrid, sectionsToGrid, type Grid } from '../../model/week';
import { useShallow } from 'zustand/react/shallow';
import { selectPlansPage, selectRetention, selectSchedule } from '../../stores/plans/selectors';
import { can } from '../../model/capabilities';
import { themed } from '../common/theme-vars';

/**
 * Cloud-recording plans of a channel: the continuous and the motion schedule as week grids
 * painted with the mouse, the alarm types that trigger motion recording, retention days; saved
 * to this channel and any others chosen, with a result per channel.
 */
export function PlansPage() {
  const { t } = useTranslation();
  // Recording plans Vigil edits: per channel (Huawei IVM, chapter 11), or templates and the plans
  // that bind channels to them (Tencent IVC, E39–E63).
  const accounts = useAccountsStore((s) => s.accounts).filter((a) => can(a, 'recordingPlans') || can(a, 'cloudPlans'));
  const s = usePlansStore(useShallow(selectPlansPage));
  const [accountId, setAccountId] = useState<string | null>(s.accountId ?? accounts[0]?.id ?? null);
  const channels = usePlansStore((st) => st.channels);
  const [alsoTo, setAlsoTo] = useState<string[]>([]);

  useEffect(() => {
    if (accountId) void usePlansStore.getState().loadChannels(accountId);
  }, [accountId]);

  if (accounts.length === 0)
    return (
      <Result
        status="info"
        title={t('plans.unavailable')}
        subTitle={t('plans.unavailableWhy')}
        data-testid="plans-unavailable"
      />
    );
  const options = channels.map((c) => ({ value: c.id, label: c.name }));
  if (
    can(
      accounts.find((a) => a.id === accountId),
      'cloudPlans',
    )
  ) {
    return (
      <div style={{ padding: 16 }} data-testid="plans-page">
        <Select
          style={{ width: 200, marginBottom: 12 }}
          value={accountId ?? undefined}
          onChange={setAccountId}
          options={accounts.map((a) => ({ value: a.id, label: a.name }))}
          aria-label={t('library.account')}
          data-testid="plans-account"
        />
        <Tabs
          items={[
            {
              key: 'templates',
              label: t('plans.templatesTab'),
              children: <TemplatesEditor key={accountId} accountId={accountId!} />,
            },
            {
              key: 'cloud',
              label: <span data-testid="plans-cloud-tab">{t('plans.cloudTab')}</span>,
              children: <CloudPlans key={accountId} accountId={accountId!} />,
            },
            {
              key: 'upload-templates',
              label: <span data-testid="plans-upload-templates-tab">{t('plans.uploadTemplatesTab')}</span>,
              children: <TemplatesEditor key={`u${accountId}`} accountId={accountId!} kind="upload" />,
            },
            {
              key: 'upload',
              label: <span data-testid="plans-upload-tab">{t('plans.uploadTab')}</span>,
              children: <CloudPlans key={`u${accountId}`} accountId={accountId!} kind="upload" />,
            },
          ]}
        />
      </div>
    );
  }
  return (
    <div style={{ padding: 16 }} data-testid="plans-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 200 }}
          value={accountId ?? undefined}
          onChange={setAccountId}
          options={accounts.map((a) => ({ value: a.id, label: a.name }))}
          aria-label={t('library.account')}
          data-testid="plans-account"
        />
        <Select
          showSearch
          optionFilterProp="label"
          style={{ width: 280 }}
          placeholder={t('plans.pickChannel')}
          value={s.accountId === accountId ? (s.channelId ?? undefined) : undefined}
          onChange={(channelId: string) => accountId && void s.load(accountId, channelId)}
          options={options}
          data-testid="plans-channel"
        />
        <Select
          mode="multiple"
          style={{ minWidth: 280 }}
          placeholder={t('plans.alsoTo')}
          value={alsoTo}
          onChange={setAlsoTo}
          options={options.filter((o) => o.value !== s.channelId)}
          optionFilterProp="label"
          maxCount={99}
          data-testid="plans-also"
        />
      </Space>
      {s.error && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: s.dismiss }}
          title={s.error.message}
          style={{ marginBottom: 8 }}
          data-testid="plans-error"
        />
      )}
      {s.results && (
        <Alert
          type={s.results.every((r) => r.ok) ? 'success' : 'warning'}
          showIcon
          closable={{ onClose: s.dismiss }}
          style={{ marginBottom: 8 }}
          title={t('plans.saved', { ok: s.results.filter((r) => r.ok).length, n: s.results.length })}
          description={s.results
            .filter((r) => !r.ok)
            .map((r) => (
              <div key={r.channelId}>
                {channels.find((c) => c.id === r.channelId)?.name ?? r.channelId}: {r.code} {r.message}
              </div>
            ))}
          data-testid="plans-results"
        />
      )}
      {!s.channelId ? (
        <Empty description={t('plans.pickChannel')} />
      ) : !s.plans ? (
        <Spin spinning={s.loading} />
      ) : (
        <Tabs
          items={[
            {
              key: 'continuous',
              label: t('plans.continuous'),
              children: <Schedule kind="continuous" alsoTo={alsoTo} />,
            },
            { key: 'motion', label: t('plans.motion'), children: <Schedule kind="motion" alsoTo={alsoTo} /> },
            { key: 'retention', label: t('plans.retention'), children: <Retention alsoTo={alsoTo} /> },
          ]}
        />
      )}
    </div>
  );
}

function Schedule({ kind, alsoTo }: { kind: 'continuous' | 'motion'; alsoTo: string[] }) {
  const { t } = useTranslation();
  const { plans, loading, save, clear } = usePlansStore(useShallow(selectSchedule));
  const current = plans![kind];
  const [grid, setGrid] = useState<Grid>(() =>
    current.allDay ? emptyGrid().map((d) => d.map(() => true)) : sectionsToGrid(current.sections),
  );
  const [alarms, setAlarms] = useState<AlarmTrigger[]>(kind === 'motion' ? plans!.motion.alarms : []);
  // A re-read after saving shows what the platform stored.
  useEffect(() => {
    setGrid(current.allDay ? emptyGrid().map((d) => d.map(() => true)) : sectionsToGrid(current.sections));
    if (kind === 'motion') setAlarms(plans!.motion.alarms);
  }, [current, kind, plans]);
  if (!current.available)
    return (
      <Result
        status="info"
        title={t(kind === 'continuous' ? 'plans.noContinuous' : 'plans.noMotion')}
        // What to do about it: the service is turned on per channel where devices are configured.
        subTitle={t('plans.enableServiceHint', {
          service: t(kind === 'continuous' ? 'services.type.NORMAL' : 'services.type.MOTION'),
          where: `${t('nav.installer')} → ${t('installer.configureTab')} → ${t('services.title')}`,
        })}
        data-testid={`plans-${kind}-unavailable`}
      />
    );

  const limits = plans!.limits;
  const alarmProblem = (a: AlarmTrigger) =>
    a.before < limits.minSeconds ||
    a.before > limits.maxSeconds ||
    a.after < limits.minSeconds ||
    a.after > limits.maxSeconds
      ? t('plans.secondsRange', { min: limits.minSeconds, max: limits.maxSeconds })
      : a.before + a.after > limits.maxTotalSeconds
        ? t('plans.secondsTotal', { max: limits.maxTotalSeconds })
        : null;
  const painted = gridToSections(grid).length > 0;
  const valid = painted && (kind === 'continuous' || (alarms.length > 0 && alarms.every((a) => !alarmProblem(a))));
  const allDay = isAllDay(grid);
  return (
    <div data-testid={`plans-${kind}`}>
      {!current.allDay && offGrid(current.sections) && (
        <Alert type="info" showIcon title={t('plans.offGrid')} style={{ marginBottom: 8 }} />
      )}
      <WeekGrid grid={grid} onChange={setGrid} />
      <Space wrap style={{ margin: '12px 0' }}>
        <Button onClick={() => setGrid(emptyGrid().map((d) => d.map(() => true)))}>{t('plans.allDay')}</Button>
        <Button onClick={() => setGrid(emptyGrid())}>{t('plans.clearGrid')}</Button>
        <Button onClick={() => setGrid(copyDay(grid, 0, [1, 2, 3, 4]))} data-testid={`plans-${kind}-copy-monday`}>
          {t('plans.copyMonday')}
        </Button>
        <span style={{ opacity: 0.7 }}>
          {allDay ? t('plans.isAllDay') : t('plans.sections', { n: gridToSections(grid).length })}
        </span>
      </Space>
      {kind === 'motion' && (
        <div
          style={{
            display: 'grid',
            gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))',
            gap: 6,
            marginBottom: 12,
          }}
          data-testid="plans-alarms"
        >
          {limits.alarmTypes.map((type) => {
            const a = alarms.find((x) => x.type === type);
            const problem = a ? alarmProblem(a) : null;
            const set = (patch: Partial<AlarmTrigger>) =>
              setAlarms(alarms.map((x) => (x.type === type ? { ...x, ...patch } : x)));
            return (
              <div key={type} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                <Checkbox
                  checked={Boolean(a)}
                  onChange={(e) =>
                    setAlarms(
                      e.target.checked
                        ? [...alarms, { type, before: 5, after: 10 }]
                        : alarms.filter((x) => x.type !== type),
                    )
                  }
                  data-testid={`alarm-${type}`}
                >
                  {t(`plans.alarm.${type}`, { defaultValue: type })}
                </Checkbox>
                {a && (
                  <>
                    <InputNumber
                      size="small"
                      style={{ width: 60 }}
                      value={a.before}
                      onChange={(v) => set({ before: typeof v === 'number' ? v : 0 })}
                      status={problem ? 'error' : ''}
                      aria-label={t('plans.before')}
                      data-testid={`alarm-${type}-before`}
                    />
                    <InputNumber
                      size="small"
                      style={{ width: 60 }}
                      value={a.after}
                      onChange={(v) => set({ after: typeof v === 'number' ? v : 0 })}
                      status={problem ? 'error' : ''}
                      aria-label={t('plans.after')}
                      data-testid={`alarm-${type}-after`}
                    />
                    {problem && <span style={{ color: themed.errorText, fontSize: 11 }}>{problem}</span>}
                  </>
                )}
              </div>
            );
          })}
        </div>
      )}
      <Space>
        <Button
          type="primary"
          loading={loading}
          disabled={!valid}
          onClick={() =>
            void save(
              kind,
              { allDay, sections: allDay ? [] : gridToSections(grid), ...(kind === 'motion' ? { alarms } : {}) },
              alsoTo,
            )
          }
          data-testid={`plans-${kind}-save`}
        >
          {t('common.save')}
          {alsoTo.length ? ` (${alsoTo.length + 1})` : ''}
        </Button>
        <Popconfirm
          title={t('plans.deleteWarn')}
          onConfirm={() => void clear(kind, alsoTo)}
          okButtonProps={{ danger: true, 'data-testid': `plans-${kind}-delete-ok` } as never}
        >
          <Button danger data-testid={`plans-${kind}-delete`}>
            {t('plans.deletePlan')}
          </Button>
        </Popconfirm>
      </Space>
    </div>
  );
}

function Retention({ alsoTo }: { alsoTo: string[] }) {
  const { t } = useTranslation();
  const { plans, loading, retention } = usePlansStore(useShallow(selectRetention));
  const [days, setDays] = useState({
    continuousDays: plans!.retention.continuousDays,
    motionDays: plans!.retention.motionDays,
  });
  const { minDays, maxDays } = plans!.limits;
  const bad = (d: number) => d < minDays || d > maxDays;
  const change = {
    ...(plans!.continuous.available ? { continuousDays: days.continuousDays } : {}),
    ...(plans!.motion.available ? { motionDays: days.motionDays } : {}),
  };
  const valid = Object.values(change).length > 0 && Object.values(change).every((d) => !bad(d));
  return (
    <Space direction="vertical" data-testid="plans-retention">
      <div style={{ opacity: 0.7 }}>{t('plans.retentionHelp', { min: minDays, max: maxDays })}</div>
      {plans!.continuous.available && (
        <label>
          {t('plans.continuous')}:{' '}
          <InputNumber
            value={days.continuousDays}
            onChange={(v) => setDays({ ...days, continuousDays: typeof v === 'number' ? v : 0 })}
            status={bad(days.continuousDays) ? 'error' : ''}
            data-testid="retention-continuous"
          />{' '}
          {t('plans.days_unit')}
        </label>
      )}
      {plans!.motion.available && (
        <label>
          {t('plans.motion')}:{' '}
          <InputNumber
            value={days.motionDays}
            onChange={(v) => setDays({ ...days, motionDays: typeof v === 'number' ? v : 0 })}
            status={bad(days.motionDays) ? 'error' : ''}
            data-testid="retention-motion"
          />{' '}
          {t('plans.days_unit')}
        </label>
      )}
      <Button
        type="primary"
        loading={loading}
        disabled={!valid}
        onClick={() => void retention(change, alsoTo)}
        data-testid="retention-save"
      >
        {t('common.save')}
      </Button>
    </Space>
  );
}
