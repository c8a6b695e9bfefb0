import { CameraOutlined, DownloadOutlined, LeftOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  DatePicker,
  Empty,
  Result,
  Segmented,
  Select,
  Slider,
  Space,
  Spin,
  Table,
  Tabs,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { HEAT_ALPHA } from '../../../common/heatmap';
import { platformToday, shiftPeriod, STATS_PERIODS, type StatsPeriod } from '../../../common/stats-periods';
import type { StatsExport } from '../../../preload/contract';
import { accountsThatCan } from '../../model/capabilities';
import { bucketLabel } from '../../model/stats-chart';
import { useAccountsStore } from '../../stores/accounts/store';
import { selectFlow, selectHeat, selectStatsChoice } from '../../stores/statistics/selectors';
import { useStatisticsStore } from '../../stores/statistics/store';
import { FlowChart } from './FlowChart';
import { SpaceHeatLegend, SpaceHeatmap } from './SpaceHeatmap';
import { TimeHeatGrid } from './TimeHeatGrid';

type Tab = 'flow' | 'timeHeat' | 'spaceHeat';

/** Saves a file main wrote (base64) through the browser's download. */
function save(file: StatsExport) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  link.download = file.fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** This computer's offset as `UTC+08:00`, to say when it differs from the platform's calendar. */
function localZone(): string {
  const m = -new Date().getTimezoneOffset();
  const abs = Math.abs(m);
  return `UTC${m < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Statistics of one camera for supervisors (Huawei IVM §10.4): people in and out per hour, day or
 * month as a chart and a table with CSV/XLSX export; the time heat map as days × hours; the space
 * heat map over the camera's current picture with its §20.3 legend. Shown for accounts whose
 * platform offers statistics; the counts are bucketed by the platform's calendar, said on the page.
 */
export function StatisticsPage() {
  const { t } = useTranslation();
  const accounts = useAccountsStore((s) => s.accounts);
  const usable = accountsThatCan(accounts, 'statistics');
  const c = useStatisticsStore(useShallow(selectStatsChoice));
  const store = useStatisticsStore.getState;
  const [tab, setTab] = useState<Tab>('flow');
  const firstId = usable[0]?.id;
  const accountOk = usable.some((a) => a.id === c.accountId);

  useEffect(() => {
    if (!accountOk && firstId) void store().selectAccount(firstId);
  }, [accountOk, firstId, store]);

  useEffect(() => {
    if (!c.channelId) return;
    if (tab === 'flow') void store().loadFlow();
    else if (tab === 'timeHeat') void store().loadTimeHeat();
    else void store().loadSpace();
  }, [c.channelId, c.period, c.date, c.heatSpan, tab, store]);

  if (usable.length === 0)
    return (
      <Result
        status="info"
        title={t('statistics.unavailable')}
        subTitle={t('statistics.unavailableWhy')}
        data-testid="statistics-unavailable"
      />
    );

  const today = platformToday(Date.now());
  const camera = c.cameras.find((n) => n.id === c.channelId);
  // The time heat map steps by its own span (a week or a month); the other tabs by the period.
  const stepBy: StatsPeriod = tab === 'timeHeat' ? c.heatSpan : c.period;
  const next = shiftPeriod(stepBy, c.date, 1);
  const picker = stepBy === 'day' ? 'date' : stepBy;

  return (
    <div style={{ padding: 16 }} data-testid="statistics-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 200 }}
          value={accountOk ? (c.accountId ?? undefined) : undefined}
          onChange={(id: string) => void store().selectAccount(id)}
          options={usable.map((a) => ({ value: a.id, label: a.name }))}
          aria-label={t('statistics.account')}
          data-testid="statistics-account"
        />
        <Select
          showSearch
          optionFilterProp="label"
          style={{ width: 260 }}
          placeholder={t('statistics.pickCamera')}
          value={c.channelId ?? undefined}
          onChange={(id: string) => store().selectCamera(id)}
          options={c.cameras.map((n) => ({ value: n.id, label: n.name }))}
          notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('statistics.noCameras')} />}
          aria-label={t('statistics.camera')}
          data-testid="statistics-camera"
        />
        {tab === 'timeHeat' ? (
          <Segmented
            value={c.heatSpan}
            onChange={(v) => store().setHeatSpan(v as 'week' | 'month')}
            options={(['week', 'month'] as const).map((p) => ({ value: p, label: t(`statistics.heatSpan.${p}`) }))}
            data-testid="statistics-heat-span"
          />
        ) : (
          <Segmented
            value={c.period}
            onChange={(v) => store().setPeriod(v as StatsPeriod)}
            options={STATS_PERIODS.map((p) => ({ value: p, label: t(`statistics.period.${p}`) }))}
            data-testid="statistics-period"
          />
        )}
        <Space.Compact>
          <Button
            icon={<LeftOutlined />}
            aria-label={t('statistics.previous')}
            onClick={() => store().setDate(shiftPeriod(stepBy, c.date, -1))}
            data-testid="statistics-previous"
          />
          <DatePicker
            picker={picker}
            allowClear={false}
            value={dayjs(c.date)}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            onChange={(d) => d && store().setDate(d.format('YYYY-MM-DD'))}
            data-testid="statistics-date"
          />
          <Button
            icon={<RightOutlined />}
            aria-label={t('statistics.next')}
            disabled={next > today}
            onClick={() => store().setDate(next)}
            data-testid="statistics-next"
          />
        </Space.Compact>
        <Button onClick={() => store().setDate(today)} data-testid="statistics-today">
          {t('statistics.today')}
        </Button>
      </Space>
      {c.camerasError && <Alert type="error" showIcon title={c.camerasError.message} style={{ marginBottom: 12 }} />}
      {!camera ? (
        <Empty description={t('statistics.pickCamera')} style={{ marginTop: 48 }} />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as Tab)}
          items={[
            { key: 'flow', label: t('statistics.tab.flow'), children: <FlowTab cameraName={camera.name} /> },
            { key: 'timeHeat', label: t('statistics.tab.timeHeat'), children: <TimeHeatTab /> },
            { key: 'spaceHeat', label: t('statistics.tab.spaceHeat'), children: <SpaceHeatTab /> },
          ]}
          data-testid="statistics-tabs"
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }}>
        {t('statistics.holoOnly')}
      </Typography.Paragraph>
    </div>
  );
}

/** Which calendar counted: said always, with this computer's zone beside it when they differ. */
function ZoneNote(props: { zone: string; from: string; to: string }) {
  const { t } = useTranslation();
  const local = localZone();
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="statistics-range">
      {props.from === props.to ? props.from : `${props.from} – ${props.to}`} ·{' '}
      {local === props.zone
        ? t('statistics.zone', { zone: props.zone })
        : t('statistics.zoneDiffers', { zone: props.zone, local })}
    </Typography.Text>
  );
}

function FlowTab(props: { cameraName: string }) {
  const { t, i18n } = useTranslation();
  const { flow, exporting, exportError } = useStatisticsStore(useShallow(selectFlow));
  const [saved, setSaved] = useState<string | null>(null);
  const data = flow.data;
  const rows = useMemo(
    () =>
      (data?.buckets ?? []).map((b, i) => ({
        i,
        key: b.key,
        label: bucketLabel(b.key, data!.period, i18n.language, true),
        short: bucketLabel(b.key, data!.period, i18n.language),
        in: b.in,
        out: b.out,
      })),
    [data, i18n.language],
  );
  // One array per answer: the chart is given a new option only when the numbers or labels change.
  const bars = useMemo(() => rows.map((r) => ({ label: r.short, title: r.label, in: r.in, out: r.out })), [rows]);
  const exportAs = async (format: 'csv' | 'xlsx') => {
    setSaved(null);
    const file = await useStatisticsStore.getState().exportFlow(format, props.cameraName, {
      time: t('statistics.time'),
      in: t('statistics.in'),
      out: t('statistics.out'),
    });
    if (file) {
      save(file);
      setSaved(t('statistics.exported', { file: file.fileName, rows: file.rows }));
    }
  };
  const dash = t('statistics.noValue');
  return (
    <Spin spinning={flow.loading}>
      {flow.error && (
        <Alert type="error" showIcon title={flow.error.message} data-testid="flow-error" style={{ marginBottom: 8 }} />
      )}
      {data && (
        <>
          <Space wrap style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
            <ZoneNote zone={data.timeZone} from={data.from} to={data.to} />
            <Space>
              <Button
                icon={<ReloadOutlined />}
                onClick={() => void useStatisticsStore.getState().loadFlow()}
                data-testid="flow-refresh"
              >
                {t('statistics.refresh')}
              </Button>
              <Button
                icon={<DownloadOutlined />}
                loading={exporting === 'csv'}
                onClick={() => void exportAs('csv')}
                data-testid="flow-export-csv"
              >
                {t('statistics.exportCsv')}
              </Button>
              <Button
                icon={<DownloadOutlined />}
                loading={exporting === 'xlsx'}
                onClick={() => void exportAs('xlsx')}
                data-testid="flow-export-xlsx"
              >
                {t('statistics.exportXlsx')}
              </Button>
            </Space>
          </Space>
          {exportError && <Alert type="error" showIcon title={exportError.message} style={{ marginBottom: 8 }} />}
          {saved && (
            <Alert
              type="success"
              showIcon
              title={saved}
              closable={{ onClose: () => setSaved(null) }}
              style={{ marginBottom: 8 }}
            />
          )}
          {data.mismatch && (
            <Alert
              type="warning"
              showIcon
              title={t(`statistics.mismatch.${data.mismatch}`)}
              style={{ marginBottom: 8 }}
              data-testid="flow-mismatch"
            />
          )}
          <Space size="large" style={{ marginBottom: 4 }}>
            <span data-testid="flow-total-in">
              {t('statistics.totalIn')}: <strong>{data.totals.in}</strong>
            </span>
            <span data-testid="flow-total-out">
              {t('statistics.totalOut')}: <strong>{data.totals.out}</strong>
            </span>
          </Space>
          <FlowChart
            bars={bars}
            inName={t('statistics.in')}
            outName={t('statistics.out')}
            noValue={dash}
            label={t('statistics.flowChartLabel', { camera: props.cameraName, from: data.from, to: data.to })}
          />
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={rows}
            data-testid="flow-table"
            scroll={{ y: 320 }}
            onRow={(r) => ({ 'data-testid': `flow-row-${r.i}` }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: `${t('statistics.time')} (${data.timeZone})`, dataIndex: 'label', key: 'label' },
              {
                title: t('statistics.in'),
                dataIndex: 'in',
                key: 'in',
                align: 'right',
                render: (v: number | null) => v ?? dash,
              },
              {
                title: t('statistics.out'),
                dataIndex: 'out',
                key: 'out',
                align: 'right',
                render: (v: number | null) => v ?? dash,
              },
              {
                title: t('statistics.net'),
                key: 'net',
                align: 'right',
                render: (_: unknown, r) => (r.in === null || r.out === null ? dash : r.in - r.out),
              },
            ]}
            summary={() => (
              <Table.Summary fixed>
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>{t('statistics.total')}</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    {data.totals.in}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    {data.totals.out}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    {data.totals.in - data.totals.out}
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              </Table.Summary>
            )}
          />
        </>
      )}
    </Spin>
  );
}

function TimeHeatTab() {
  const { t, i18n } = useTranslation();
  const { timeHeat } = useStatisticsStore(useShallow(selectHeat));
  const data = timeHeat.data;
  const dayLabel = useCallback((date: string) => bucketLabel(date, 'week', i18n.language), [i18n.language]);
  return (
    <Spin spinning={timeHeat.loading}>
      {timeHeat.error && (
        <Alert
          type="error"
          showIcon
          title={timeHeat.error.message}
          data-testid="time-heat-error"
          style={{ marginBottom: 8 }}
        />
      )}
      {data && (
        <>
          <div style={{ marginBottom: 8 }}>
            <ZoneNote zone={data.timeZone} from={data.from} to={data.to} />
          </div>
          <TimeHeatGrid
            heat={data}
            dayLabel={dayLabel}
            legendLabel={t('statistics.heatLegend')}
            label={t('statistics.timeHeatLabel', { from: data.from, to: data.to })}
          />
        </>
      )}
    </Spin>
  );
}

function SpaceHeatTab() {
  const { t } = useTranslation();
  const { space, picture } = useStatisticsStore(useShallow(selectHeat));
  const [alpha, setAlpha] = useState(HEAT_ALPHA);
  const asked = picture.loading || picture.data !== null || picture.error !== null;
  useEffect(() => {
    if (!asked) void useStatisticsStore.getState().loadPicture();
  }, [asked]);
  return (
    <Spin spinning={space.loading}>
      {space.error && (
        <Alert
          type="error"
          showIcon
          title={space.error.message}
          data-testid="space-heat-error"
          style={{ marginBottom: 8 }}
        />
      )}
      {space.data && (
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <div style={{ flex: '1 1 560px', minWidth: 320 }}>
            <SpaceHeatmap heat={space.data} picture={picture.data} alpha={alpha} />
          </div>
          <Space direction="vertical" style={{ flex: '0 1 520px' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {space.data.from === space.data.to ? space.data.from : `${space.data.from} – ${space.data.to}`} ·{' '}
              {t('statistics.grid', { width: space.data.width, height: space.data.height })}
            </Typography.Text>
            <SpaceHeatLegend title={t('statistics.spaceLegend')} clear={t('statistics.clear')} />
            <div>
              {t('statistics.opacity')}
              <Slider
                min={0.1}
                max={0.9}
                step={0.05}
                value={alpha / 255}
                onChange={(v: number) => setAlpha(Math.round(v * 255))}
                style={{ width: 200 }}
                data-testid="space-opacity"
              />
            </div>
            <Button
              icon={<CameraOutlined />}
              loading={picture.loading}
              onClick={() => void useStatisticsStore.getState().loadPicture()}
              data-testid="space-new-picture"
            >
              {t('statistics.newPicture')}
            </Button>
            {picture.error && (
              <Alert
                type="warning"
                showIcon
                title={t('statistics.noPicture', { reason: picture.error.message })}
                data-testid="space-picture-error"
              />
            )}
            {!space.data.complete && (
              <Alert type="warning" showIcon title={t('statistics.incomplete')} data-testid="space-incomplete" />
            )}
          </Space>
        </div>
      )}
    </Spin>
  );
}
