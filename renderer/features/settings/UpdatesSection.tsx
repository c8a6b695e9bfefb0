import { Alert, Button, Input, Progress, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateStatus } from '../../../preload/contract';
import { useUpdatesStore } from '../../stores/updates/store';

/** The update feed (https only), "Check now" and where updating stands, in words. */
export function UpdatesSection() {
  const { t } = useTranslation();
  const status = useUpdatesStore((s) => s.status);
  const busy = useUpdatesStore((s) => s.busy);
  const error = useUpdatesStore((s) => s.error);
  const [draft, setDraft] = useState<string | null>(null);
  useEffect(() => {
    const store = useUpdatesStore.getState();
    void store.load();
    return store.listen();
  }, []);
  const saved = status?.feedUrl ?? '';
  const value = draft ?? saved;
  const changed = draft !== null && draft.trim() !== saved;
  const save = async () => {
    if (await useUpdatesStore.getState().setFeed(value)) setDraft(null);
  };
  const fieldIssue = error?.details?.fields?.feedUrl;
  return (
    <div style={{ marginTop: 24 }} data-testid="settings-updates">
      <Typography.Title level={5}>{t('updates.title')}</Typography.Title>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          value={value}
          placeholder="https://updates.example.com/vigil/"
          status={fieldIssue ? 'error' : undefined}
          onChange={(e) => setDraft(e.target.value)}
          onPressEnter={() => void save()}
          aria-label={t('updates.feed')}
          data-testid="updates-feed"
        />
        <Button onClick={() => void save()} disabled={!changed} loading={busy === 'save'} data-testid="updates-save">
          {t('common.save')}
        </Button>
        <Button
          type="primary"
          onClick={() => void useUpdatesStore.getState().check()}
          disabled={changed || !saved || status?.state === 'invalid'}
          loading={busy === 'check' || status?.state === 'checking'}
          data-testid="updates-check"
        >
          {t('updates.checkNow')}
        </Button>
      </Space.Compact>
      <div style={{ fontSize: 12, opacity: 0.7, marginTop: 4 }}>
        {t(status && !status.canInstall ? 'updates.hintBrowser' : 'updates.hint')}
      </div>
      {fieldIssue ? (
        <Alert
          style={{ marginTop: 8 }}
          type="error"
          showIcon
          message={t(fieldIssue.key, { defaultValue: fieldIssue.message })}
        />
      ) : error ? (
        <Alert
          style={{ marginTop: 8 }}
          type="error"
          showIcon
          message={`${t(`error.${error.code}`)}: ${error.message}`}
        />
      ) : null}
      {status && <StatusLine status={status} />}
    </div>
  );
}

function StatusLine({ status }: { status: UpdateStatus }) {
  const { t } = useTranslation();
  const words = t(`updates.state.${status.state}`, {
    version: status.version ?? '',
    current: status.currentVersion,
    percent: status.percent ?? 0,
    message: status.message,
  });
  const type =
    status.state === 'error' || status.state === 'invalid'
      ? 'danger'
      : status.state === 'ready'
        ? 'success'
        : undefined;
  return (
    <div style={{ marginTop: 8 }} data-testid="updates-status" data-state={status.state}>
      <Typography.Text type={type}>{words}</Typography.Text>
      {status.checkedAt && status.state !== 'checking' && (
        <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
          {t('updates.checkedAt', { time: new Date(status.checkedAt).toLocaleString() })}
        </Typography.Text>
      )}
      {status.state === 'downloading' && <Progress percent={status.percent ?? 0} size="small" />}
    </div>
  );
}
