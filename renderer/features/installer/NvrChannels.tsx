import { ReloadOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeviceStatus } from '../../../preload/contract';
import { useDeviceWatchStore } from '../../stores/installer/devices';
import { themed } from '../common/theme-vars';

/**
 * An online NVR's channel catalogue (Huawei VIS §4.3.6): how many channels the platform has read
 * from the device, and a button to read them again (after cameras were added to the NVR). The
 * refresh is asynchronous: the device-watch store follows the status until the platform answers.
 */
export function NvrChannels({
  accountId,
  deviceId,
  channels,
  refreshing,
  problem,
}: {
  accountId: string;
  deviceId: string;
  channels: NonNullable<DeviceStatus['channels']>;
  refreshing: boolean;
  problem: { key: string } | { text: string } | null;
}) {
  const { t } = useTranslation();
  const refresh = useDeviceWatchStore((s) => s.refreshChannels);
  const querying = refreshing || channels.query === 'querying';
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
        loading={querying}
        onClick={() => void refresh(accountId, deviceId)}
        data-testid="nvr-refresh"
      >
        {t('installer.nvrRefresh')}
      </Button>
      {problem && (
        <span style={{ color: themed.errorText, fontSize: 12 }}>
          {'key' in problem ? t(problem.key) : problem.text}
        </span>
      )}
    </Space>
  );
}
