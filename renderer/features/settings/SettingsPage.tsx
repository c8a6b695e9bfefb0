import { Descriptions, InputNumber, Radio, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../stores/app/store';
import { useShallow } from 'zustand/react/shallow';
import { selectSettingsPage } from '../../stores/app/selectors';
import { selectBudgetCores, useTranscodeStore } from '../../stores/transcode/store';
import { UpdatesSection } from './UpdatesSection';

/** Preferences (stored by main in the settings file) and what this window runs in. */
export function SettingsPage() {
  const { t } = useTranslation();
  const { preferences, info, setPreferences } = useAppStore(useShallow(selectSettingsPage));
  // The budget main applies (the default, half this machine's cores, when the field is empty).
  const budgetCores = useTranscodeStore(selectBudgetCores);
  useEffect(() => void useTranscodeStore.getState().refresh(), [preferences.transcodeCores]);
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
        <Descriptions.Item label={t('settings.host')}>
          {info?.host === 'electron' ? t('settings.hostElectron') : t('settings.hostWeb')}
        </Descriptions.Item>
        <Descriptions.Item label={t('settings.version')}>{info?.version}</Descriptions.Item>
      </Descriptions>
      <UpdatesSection />
    </div>
  );
}
