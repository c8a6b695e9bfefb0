import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Collapse, Select, Space, Spin, Statistic, Table, theme } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccountsStore } from '../../stores/accounts/store';
import { healthCsv } from '../../model/health-csv';
import { useShallow } from 'zustand/react/shallow';
import { useHealthStore } from '../../stores/health/store';
import { formatTime } from '../../model/time-format';

const EVERY = [0, 1, 5, 15];

/**
 * Health dashboard: online/offline counts of an account's devices and channels, per top-level
 * group, and the platform's own health lists (Huawei VIS statistics); refreshed on demand or
 * every N minutes, exported as CSV.
 */
export function HealthPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const accounts = useAccountsStore((s) => s.accounts);
  const [accountId, setAccountId] = useState<string | null>(accounts[0]?.id ?? null);
  const { summary, error, loading, refresh } = useHealthStore(
    useShallow((s) => ({ summary: s.summary, error: s.error, loading: s.loading, refresh: s.refresh })),
  );
  const [every, setEvery] = useState(5);

  useEffect(() => {
    if (accountId) void useHealthStore.getState().open(accountId);
  }, [accountId]);
  useEffect(() => {
    if (!every) return;
    const timer = setInterval(() => void refresh(), every * 60_000);
    return () => clearInterval(timer);
  }, [every, refresh]);

  const download = () => {
    if (!summary) return;
    const url = URL.createObjectURL(
      new Blob(['\uFEFF', healthCsv(summary, (k) => t(`health.list.${k}`), t('configure.groupRoot'))], {
        type: 'text/csv',
      }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = `health-${accounts.find((x) => x.id === accountId)?.name ?? 'account'}-${summary.at.slice(0, 19).replace(/[:T]/g, '')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div style={{ padding: 16 }} data-testid="health-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 240 }}
          value={accountId ?? undefined}
          onChange={setAccountId}
          options={accounts.map((a) => ({ value: a.id, label: a.name }))}
          data-testid="health-account"
        />
        <Button icon={<ReloadOutlined />} onClick={() => void refresh()} loading={loading} data-testid="health-refresh">
          {t('health.refresh')}
        </Button>
        <Select
          value={every}
          onChange={setEvery}
          style={{ width: 170 }}
          options={EVERY.map((m) => ({ value: m, label: m ? t('health.every', { m }) : t('health.manual') }))}
        />
        <Button icon={<DownloadOutlined />} disabled={!summary} onClick={download} data-testid="health-export">
          {t('health.export')}
        </Button>
        {summary && <span style={{ opacity: 0.65 }}>{t('health.at', { time: formatTime(summary.at) })}</span>}
      </Space>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 8 }} />}
      {!summary ? (
        <Spin spinning={loading} />
      ) : (
        <>
          {summary.problems.map((p) => (
            <Alert key={p} type="warning" showIcon title={p} style={{ marginBottom: 8 }} />
          ))}
          <Space wrap size="large" style={{ marginBottom: 16 }}>
            <Card size="small">
              <Statistic
                title={t('health.devicesOnline')}
                value={summary.total.devicesOnline}
                suffix={`/ ${summary.total.devices}`}
                data-testid="health-devices"
              />
            </Card>
            <Card size="small">
              <Statistic
                title={t('health.devicesOffline')}
                value={summary.total.devices - summary.total.devicesOnline}
                // The figure an operator acts on: drawn in the error colour when any device is offline.
                valueStyle={{
                  color: summary.total.devices - summary.total.devicesOnline ? token.colorError : undefined,
                }}
                data-testid="health-devices-offline"
              />
            </Card>
            <Card size="small">
              <Statistic
                title={t('health.channelsOnline')}
                value={summary.total.channelsOnline}
                suffix={`/ ${summary.total.channels}`}
                data-testid="health-channels"
              />
            </Card>
          </Space>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={summary.groups}
            columns={[
              { title: t('health.group'), render: (_, g) => (g.ungrouped ? t('configure.groupRoot') : g.name) },
              { title: t('health.devicesOnline'), render: (_, g) => `${g.devicesOnline} / ${g.devices}` },
              { title: t('health.channelsOnline'), render: (_, g) => `${g.channelsOnline} / ${g.channels}` },
            ]}
            style={{ marginBottom: 16 }}
            data-testid="health-groups"
          />
          {(summary.lists.length > 0 || summary.packetRates.length > 0) && (
            <Collapse
              items={[
                ...summary.lists.map((l) => ({
                  key: l.key,
                  label: (
                    <span data-testid={`health-list-${l.key}`}>
                      {t(`health.list.${l.key}`)} ({l.items.length})
                    </span>
                  ),
                  children: (
                    <Table
                      size="small"
                      rowKey={(r) => `${r.deviceId}/${r.channelId ?? ''}`}
                      pagination={{ pageSize: 20 }}
                      dataSource={l.items}
                      columns={[
                        { title: t('installer.deviceId'), dataIndex: 'deviceId' },
                        { title: t('health.state'), dataIndex: 'state' },
                        { title: t('health.detail'), dataIndex: 'detail' },
                      ]}
                    />
                  ),
                })),
                {
                  key: 'packets',
                  label: `${t('health.list.vis.packets')} (${summary.packetRates.length})`,
                  children: (
                    <Table
                      size="small"
                      rowKey={(r) => `${r.deviceId}/${r.channelId}`}
                      pagination={{ pageSize: 20 }}
                      dataSource={summary.packetRates}
                      columns={[
                        { title: t('installer.deviceId'), dataIndex: 'deviceId' },
                        { title: 'Channel', dataIndex: 'channelId' },
                        {
                          title: t('health.rate'),
                          render: (_, r) =>
                            r.expected
                              ? `${((r.received / r.expected) * 100).toFixed(1)} %${r.received > r.expected ? ' ⚠' : ''}`
                              : '—',
                        },
                        { title: t('health.packets'), render: (_, r) => `${r.received} / ${r.expected}` },
                      ]}
                    />
                  ),
                },
              ]}
            />
          )}
        </>
      )}
    </div>
  );
}
