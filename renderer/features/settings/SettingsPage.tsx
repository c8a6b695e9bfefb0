import { Alert, Button, Descriptions, InputNumber, Radio, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../stores/app/store';
import { useShallow } from 'zustand/react/shallow';
import { selectSettingsPage } from '../../stores/app/selectors';
import { selectBudgetCores, useTranscodeStore } from '../../stores/transcode/store';
import { UpdatesSection } from './UpdatesSection';
import { ThumbnailCacheSetting } from './ThumbnailCacheSetting';
import { GamepadSection } from './GamepadSection';
import { HOLD_UNSEEN_MS } from '../../media/session/pane-session';
import { groupedFingerprint, selectEvidenceKey, useEvidenceStore } from '../../stores/export/evidence';

/** Preferences (stored by main in the settings file) and what this window runs in. */
export function SettingsPage() {
  const { t } = useTranslation();
  const { preferences, info, setPreferences } = useAppStore(useShallow(selectSettingsPage));
  // The budget main applies (the default, half this machine's cores, when the field is empty).
  const budgetCores = useTranscodeStore(selectBudgetCores);
  useEffect(() => void useTranscodeStore.getState().refresh(), [preferences.transcodeCores]);
  const { key, keyError, loadKey } = useEvidenceStore(useShallow(selectEvidenceKey));
  useEffect(() => void loadKey(), [loadKey]);
  // The public key as a file the supervisor hands to whoever receives evidence (with its fingerprint, by another channel).
  const saveKey = () => {
    if (!key) return;
    const url = URL.createObjectURL(new Blob([key.publicKeyPem], { type: 'application/x-pem-file' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `vigil-evidence-key-${key.fingerprint.slice(0, 8)}.pem`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div style={{ padding: 16, maxWidth: 720 }} data-testid="settings-page">
      <Typography.Title level={4}>{t('settings.title')}</Typography.Title>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('settings.language')}>
          <Radio.Group
            value={preferences.language}
            onChange={(e) => void setPreferences({ language: e.target.value })}
            data-testid="settings-language"
          >
            <Radio.Button value="system" data-testid="settings-language-system">
              {t('settings.languageSystem')}
            </Radio.Button>
            <Radio.Button value="zh-CN">简体中文</Radio.Button>
            <Radio.Button value="en">English</Radio.Button>
          </Radio.Group>
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.theme')}>
          <Radio.Group value={preferences.theme} onChange={(e) => void setPreferences({ theme: e.target.value })}>
            <Radio.Button value="dark">{t('settings.dark')}</Radio.Button>
            <Radio.Button value="light">{t('settings.light')}</Radio.Button>
          </Radio.Group>
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.transcodeCores')}>
          {/* H.265 the runtime cannot decode is transcoded by main: at most this many cores (empty: half the machine's); the bounds are the contract's. */}
          <InputNumber
            min={0.1}
            max={256}
            step={0.5}
            value={preferences.transcodeCores ?? null}
            placeholder={t('settings.transcodeAuto', { cores: budgetCores ?? '…' })}
            style={{ width: 260 }} // the placeholder is the default ("Half the cores (1)"): readable whole
            addonAfter={t('settings.cores')}
            onChange={(v) => void setPreferences({ transcodeCores: typeof v === 'number' ? v : null })}
            data-testid="settings-transcode-cores"
          />
          <div style={{ fontSize: 12, opacity: 0.7, marginTop: 4 }}>{t('settings.transcodeHint')}</div>
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.hiddenHold')}>
          <InputNumber
            min={0}
            max={3600}
            step={30}
            precision={0}
            value={preferences.hiddenHoldS ?? null}
            placeholder={String(HOLD_UNSEEN_MS / 1000)}
            addonAfter={t('settings.seconds')}
            style={{ width: 160 }}
            onChange={(v) => void setPreferences({ hiddenHoldS: typeof v === 'number' ? v : null })}
            data-testid="settings-hidden-hold"
          />
          <div style={{ fontSize: 12, opacity: 0.7, marginTop: 4 }}>
            {t('settings.hiddenHoldHint', { seconds: HOLD_UNSEEN_MS / 1000 })}
          </div>
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.thumbnailCache')}>
          <ThumbnailCacheSetting />
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.evidenceKey')}>
          {key ? (
            <>
              <div
                style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
                data-testid="settings-evidence-fingerprint"
              >
                {groupedFingerprint(key.fingerprint)}
              </div>
              <div style={{ fontSize: 12, opacity: 0.7, margin: '4px 0' }}>{t('settings.evidenceKeyHint')}</div>
              <Button size="small" onClick={saveKey} data-testid="settings-evidence-export-key">
                {t('settings.evidenceKeyExport')}
              </Button>
            </>
          ) : keyError ? (
            <Alert
              type="error"
              showIcon
              title={keyError.message}
              description={
                keyError.details && 'hint' in keyError.details && typeof keyError.details.hint === 'string'
                  ? keyError.details.hint
                  : undefined
              }
            />
          ) : (
            '…'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.host')}>
          {info?.host === 'electron' ? t('settings.hostElectron') : t('settings.hostWeb')}
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.version')}>{info?.version}</Descriptions.Item>
      </Descriptions>
      <GamepadSection />
      <UpdatesSection />
    </div>
  );
}
