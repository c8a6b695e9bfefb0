import { CloseOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Space, Tag } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GbSettings } from '../../../preload/contract';
import { NvrChannels } from './NvrChannels';
import { USUAL_FAILURES } from '../../model/installer-rules';
import { GIVE_UP_MS, stateColour as colour, useDeviceState } from './useDeviceState';
import { useDeviceWatchStore } from '../../stores/installer/devices';
import { themed } from '../common/theme-vars';

/**
 * The GB28181 assistant for one device: the values to type into the camera (a printable card
 * and a QR code; a password the installer chose is never shown, one the platform generated only
 * on the one-time sheet main serves), and its registration state, polled until it
 * comes online or the wait ends with the usual causes.
 */
export function GbAssistant({
  accountId,
  statusId,
  settings,
  name,
  onDismiss,
}: {
  accountId: string;
  /** what `installer:status` takes */
  statusId: string;
  settings: GbSettings;
  /** the name the installer typed: the card's heading, the 20-digit ID under it */
  name?: string | null;
  onDismiss?: () => void;
}) {
  const { t } = useTranslation();
  const [qr, setQr] = useState<string | null>(null);

  useEffect(() => {
    const text = [
      `SIP server ID: ${settings.sipServerId ?? '-'}`,
      `SIP domain: ${settings.sipDomain ?? '-'}`,
      `SIP server: ${settings.sipHost ?? '-'}:${settings.sipPort ?? '-'}`,
      `Device ID: ${settings.deviceId}`,
      `User: ${settings.username ?? settings.deviceId}`,
      ...(settings.algorithm ? [`Digest: ${settings.algorithm}`] : []),
    ].join('\n');
    QRCode.toDataURL(text, { margin: 1, width: 160 }).then(setQr, () => setQr(null));
  }, [settings]);

  const { state, waited, gaveUp, channels, refreshing, problem, sheetProblem } = useDeviceState(accountId, statusId);
  const openSheet = useDeviceWatchStore((s) => s.openSheet);
  return (
    <Card
      size="small"
      title={
        name ? (
          <div data-testid="gb-assistant-title" style={{ lineHeight: 1.3, padding: '4px 0' }}>
            <div>{name}</div>
            <div style={{ fontSize: 12, fontWeight: 'normal', opacity: 0.65, fontFamily: 'monospace' }}>
              {settings.deviceId}
            </div>
          </div>
        ) : (
          <span data-testid="gb-assistant-title">{settings.deviceId}</span>
        )
      }
      extra={
        <>
          <Tag color={colour[state]} data-testid={`gb-state-${settings.deviceId}`} data-state={state}>
            {t(`installer.state.${state}`)}
          </Tag>
          {onDismiss && (
            <Button
              size="small"
              type="text"
              icon={<CloseOutlined />}
              onClick={onDismiss}
              aria-label={t('installer.dismiss')}
              title={t('installer.dismiss')}
              data-testid={`gb-dismiss-${settings.deviceId}`}
            />
          )}
        </>
      }
      style={{ marginBottom: 12, breakInside: 'avoid' }}
      data-testid={`gb-assistant-${settings.deviceId}`}
    >
      <div style={{ display: 'flex', gap: 16 }}>
        <Descriptions size="small" column={1} style={{ flex: 1 }}>
          <Descriptions.Item label={t('installer.sipServerId')}>
            {settings.sipServerId ?? t('installer.fromConsole')}
          </Descriptions.Item>
          <Descriptions.Item label={t('installer.sipDomain')}>
            {settings.sipDomain ?? t('installer.fromConsole')}
          </Descriptions.Item>
          <Descriptions.Item label={t('installer.sipServer')}>
            <span data-testid="gb-sip-server">
              {settings.sipHost ?? '-'}:{settings.sipPort ?? '-'}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('installer.deviceId')}>{settings.deviceId}</Descriptions.Item>
          <Descriptions.Item label={t('installer.username')}>
            {settings.username ?? settings.deviceId}
          </Descriptions.Item>
          <Descriptions.Item label={t('installer.password')}>
            {settings.passwordSheet ? t('installer.passwordGenerated') : t('installer.passwordNotShown')}
          </Descriptions.Item>
          {settings.channelIds && (
            <Descriptions.Item label={t('installer.channelIds')}>
              <span data-testid="gb-channel-ids">{settings.channelIds.join(', ')}</span>
            </Descriptions.Item>
          )}
          {settings.algorithm && (
            <Descriptions.Item label={t('installer.digest')}>
              <span data-testid="gb-digest">{settings.algorithm}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
        {qr && <img src={qr} alt={t('installer.qr')} width={160} height={160} data-testid="gb-qr" />}
      </div>
      {state === 'online' && channels && (
        <NvrChannels
          accountId={accountId}
          deviceId={statusId}
          channels={channels}
          refreshing={refreshing}
          problem={problem}
        />
      )}
      {state !== 'online' && (
        <div style={{ marginTop: 8, fontSize: 12 }} data-testid="gb-causes">
          <div style={{ opacity: 0.8 }}>
            {gaveUp
              ? t('installer.notOnline', { s: Math.round(GIVE_UP_MS / 1000) })
              : t('installer.waiting', { s: Math.round(waited / 1000) })}
          </div>
          <ul style={{ margin: '4px 0 0 16px', padding: 0 }}>
            {USUAL_FAILURES.map((k) => (
              <li key={k}>{t(`installer.cause.${k}`)}</li>
            ))}
          </ul>
        </div>
      )}
      <Space style={{ marginTop: 8 }} className="no-print">
        <Button size="small" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('installer.print')}
        </Button>
        {settings.passwordSheet && (
          // The sheet is a page main serves once: the password goes from the keychain to it, not through this window.
          <Button
            size="small"
            icon={<PrinterOutlined />}
            onClick={() => void openSheet(accountId, statusId, settings.deviceId)}
            data-testid="gb-sheet"
          >
            {t('installer.printSheet')}
          </Button>
        )}
        {sheetProblem && <span style={{ color: themed.errorText, fontSize: 12 }}>{sheetProblem}</span>}
      </Space>
    </Card>
  );
}
