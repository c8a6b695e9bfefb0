import { ReloadOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceStatus } from '../../../preload/contract';
import type { VigilError } from '../../stores/errors';
import { deviceStatus, refreshChannels } from '../../stores/installer/actions';
import { themed } from '../common/theme-vars';

const POLL_MS = 1000;
const GIVE_UP_MS = 60_000;

/**
 * An online NVR's channel catalogue (Huawei VIS §4.3.6): how many channels the platform has read
 * from the device, and a button to read them again (after cameras were added to the NVR). The
 * refresh is asynchronous: the status is polled until the platform has an answer.
 */
export function NvrChannels({
  accountId,
  deviceId,
  initial,
}: {
  accountId: string;
  deviceId: string;
  initial: NonNullable<DeviceStatus['channels']>;
}) {
  const { t } = useTranslation();
  const [channels, setChannels] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const stopped = useRef(false);
  useEffect(() => {
    stopped.current = false;
    return () => {
      stopped.current = true;
    };
  }, []);
  useEffect(() => setChannels(initial), [initial]);

  const refresh = async () => {
    setError(null);
    try {
      let s = await refreshChannels({ accountId, deviceId });
      const started = Date.now();
      while (s.channels?.query === 'querying' && Date.now() - started < GIVE_UP_MS && !stopped.current) {
        setChannels(s.channels);
        await new Promise((r) => setTimeout(r, POLL_MS));
        s = await deviceStatus({ accountId, deviceId });
      }
      if (s.channels) setChannels(s.channels);
      if (s.channels?.query === 'idle') setError(t('installer.refreshFailed'));
    } catch (e) {
      setError((e as VigilError).message);
    }
  };
  return (
    <Space style={{ marginTop: 8 }} data-testid={`nvr-channels-${deviceId}`} data-query={channels.query}>
      <span>
        {channels.query === 'queried'
          ? t('installer.nvrChannels', { n: channels.count })
          : channels.query === 'querying'
            ? t('installer.nvrReading')
            : t('installer.nvrNotRead', { n: channels.count })}
      </span>
      <Button
        size="small"
        icon={<ReloadOutlined />}
        loading={channels.query === 'querying'}
        onClick={() => void refresh()}
        data-testid="nvr-refresh"
      >
        {t('installer.nvrRefresh')}
      </Button>
      {error && <span style={{ color: themed.errorText, fontSize: 12 }}>{error}</span>}
    </Space>
  );
}
