import { Alert, Button, Card, Descriptions, Input, InputNumber, Modal, Result, Select, Space, Spin, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alarm } from '../../../preload/contract';
import type { VigilError } from '../../stores/errors';
import { useAccountsStore } from '../../stores/accounts/store';
import { selectBusy, selectError, selectReceiver, selectUnacknowledged } from '../../stores/alarms/selectors';
import { alarmName, listenToAlarms, useAlarmsStore } from '../../stores/alarms/store';
import { usePlaybackStore } from '../../stores/playback/store';
import { AlarmList } from './AlarmList';
import { ControlRoomPanel } from './ControlRoomPanel';
import { accountsThatCan } from '../../model/capabilities';

/**
 * Huawei IVM alarm pushes (§10.1): Vigil's receiver listens on a local port, the platform
 * posts to the public URL that reaches it (port forwarding or a tunnel; §10.1.5), every push is
 * checked against the signing key Vigil registered, and alarms are listed as they arrive with
 * their picture (§10.2.2) and a jump to the recording.
 */
export function AlarmsPage() {
  const { t } = useTranslation();
  const replayOnPage = usePlaybackStore((s) => s.replayOnPage);
  const accounts = accountsThatCan(
    useAccountsStore((s) => s.accounts),
    'alarms',
  );
  const [accountId, setAccountId] = useState<string | undefined>(accounts[0]?.id);
  // The list itself is read by AlarmList: an arriving alarm does not render this page again.
  const state = useAlarmsStore(selectReceiver);
  const busy = useAlarmsStore(selectBusy);
  const error = useAlarmsStore(selectError);
  const open = useAlarmsStore(selectUnacknowledged);
  const [form, setForm] = useState({ publicUrl: '', port: 18080 });
  const [picture, setPicture] = useState<{ alarm: Alarm; src: string | null; error?: string } | null>(null);

  useEffect(() => {
    listenToAlarms();
    void useAlarmsStore
      .getState()
      .load()
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (accountId) void useAlarmsStore.getState().loadReceiver(accountId);
  }, [accountId]);
  useEffect(() => {
    if (state?.publicUrl) setForm({ publicUrl: state.publicUrl, port: state.port ?? 18080 });
  }, [state?.publicUrl, state?.port]);

  const urlOk =
    /^https?:\/\/[^\s/]+/.test(form.publicUrl) &&
    form.publicUrl.length <= 256 &&
    !/\p{Script=Han}/u.test(form.publicUrl);
  const showPicture = useCallback(
    async (alarm: Alarm) => {
      setPicture({ alarm, src: null });
      try {
        const src = await useAlarmsStore.getState().picture(alarm);
        setPicture({ alarm, src, ...(src ? {} : { error: t('alarms.noPicture') }) });
      } catch (e) {
        setPicture({ alarm, src: null, error: (e as VigilError).message });
      }
    },
    [t],
  );
  const other = state?.registered && !state.registered.ours;
  const exportAudit = async (format: 'csv' | 'xlsx') => {
    try {
      const file = await useAlarmsStore.getState().exportAudit(format);
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
      link.download = file.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      setPicture(null);
      useAlarmsStore.setState({ error: (e as VigilError).message });
    }
  };
  return (
    <div style={{ padding: 16 }} data-testid="alarms-page">
      <ControlRoomPanel />
      {accounts.length === 0 ? (
        <Result
          status="info"
          title={t('alarms.unavailable')}
          subTitle={t('alarms.unavailableWhy')}
          data-testid="alarms-unavailable"
          style={{ padding: 12 }}
        />
      ) : (
        <Card size="small" title={t('alarms.receiver')} style={{ marginBottom: 12 }}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Select
                style={{ width: 220 }}
                value={accountId}
                onChange={setAccountId}
                options={accounts.map((a) => ({ value: a.id, label: a.name }))}
                data-testid="alarms-account"
              />
              <Input
                style={{ width: 360 }}
                placeholder={t('alarms.publicUrl')}
                value={form.publicUrl}
                onChange={(e) => setForm({ ...form, publicUrl: e.target.value.trim() })}
                status={form.publicUrl && !urlOk ? 'error' : ''}
                disabled={state?.running}
                data-testid="alarms-url"
              />
              <InputNumber
                min={1024}
                max={65535}
                value={form.port}
                onChange={(v) => setForm({ ...form, port: typeof v === 'number' ? v : 18080 })}
                addonBefore={t('alarms.port')}
                disabled={state?.running}
                data-testid="alarms-port"
              />
              {state?.running ? (
                <Button
                  danger
                  loading={busy}
                  onClick={() => accountId && void useAlarmsStore.getState().stop(accountId)}
                  data-testid="alarms-stop"
                >
                  {t('alarms.stop')}
                </Button>
              ) : (
                <Button
                  type="primary"
                  loading={busy}
                  disabled={!urlOk || !accountId}
                  onClick={() =>
                    accountId && void useAlarmsStore.getState().start(accountId, form.publicUrl, form.port)
                  }
                  data-testid="alarms-start"
                >
                  {other ? t('alarms.replace') : t('alarms.start')}
                </Button>
              )}
            </Space>
            <div style={{ fontSize: 12, opacity: 0.75 }}>{t('alarms.help')}</div>
            {!state && accountId && <Spin size="small" />}
            {state && (
              <Descriptions size="small" column={3} data-testid="alarms-status">
                <Descriptions.Item label={t('alarms.state')}>
                  {state.running ? (
                    <Tag color="green">{t('alarms.listening', { port: state.port })}</Tag>
                  ) : (
                    <Tag>{t('alarms.off')}</Tag>
                  )}
                </Descriptions.Item>
                <Descriptions.Item label={t('alarms.registered')}>
                  {state.registered
                    ? `${state.registered.url}${state.registered.ours ? '' : ` (${t('alarms.notOurs')})`}`
                    : t('alarms.none')}
                </Descriptions.Item>
                <Descriptions.Item label={t('alarms.counts')}>
                  <span data-testid="alarms-counts">
                    {t('alarms.countsValue', { received: state.received, rejected: state.rejected })}
                  </span>
                </Descriptions.Item>
              </Descriptions>
            )}
            {other && !state?.running && (
              <Alert
                type="warning"
                showIcon
                title={t('alarms.otherWarning', { url: state!.registered!.url })}
                data-testid="alarms-other"
              />
            )}
            {state?.running && state.warning && (
              <Alert
                type="error"
                showIcon
                title={t('alarms.insecure')}
                description={state.warning}
                data-testid="alarms-insecure"
              />
            )}
          </Space>
        </Card>
      )}
      {error && <Alert type="error" showIcon title={error} data-testid="alarms-error" style={{ marginBottom: 8 }} />}
      <Space style={{ marginBottom: 8 }} wrap>
        {open > 0 && (
          <>
            <span data-testid="alarms-open">{t('alarms.open', { count: open })}</span>
            <Button
              size="small"
              onClick={() => void useAlarmsStore.getState().acknowledgeAll()}
              data-testid="alarms-ack-all"
            >
              {t('alarms.acknowledgeAll')}
            </Button>
          </>
        )}
        <Button size="small" onClick={() => void exportAudit('csv')} data-testid="alarms-audit-csv">
          {t('alarms.auditCsv')}
        </Button>
        <Button size="small" onClick={() => void exportAudit('xlsx')} data-testid="alarms-audit-xlsx">
          {t('alarms.auditXlsx')}
        </Button>
      </Space>
      <AlarmList
        onPicture={(a) => void showPicture(a)}
        onRecording={(a) => {
          if (!a.channelRef) return;
          // The recording around the alarm: 10 s before it.
          replayOnPage({ accountId: a.accountId, channelId: a.channelRef, name: alarmName(a) }, a.at - 10_000);
        }}
      />
      <Modal
        open={!!picture}
        title={picture ? `${picture.alarm.channelName} · ${picture.alarm.type}` : ''}
        footer={null}
        onCancel={() => setPicture(null)}
        width={720}
      >
        {picture?.error && <Alert type="warning" showIcon title={picture.error} data-testid="alarm-picture-error" />}
        {picture && !picture.src && !picture.error && <Spin />}
        {picture?.src && (
          <img
            src={picture.src}
            alt={picture.alarm.type}
            style={{ maxWidth: '100%' }}
            data-testid="alarm-picture-img"
          />
        )}
      </Modal>
    </div>
  );
}
