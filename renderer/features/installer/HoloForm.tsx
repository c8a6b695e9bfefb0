import { Alert, Button, Card, Descriptions, Input, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { HoloAddResponse } from '../../../preload/contract';
import { stateColour, useDeviceState } from './useDeviceState';
import { selectHolo } from '../../stores/installer/selectors';
import { useInstallerStore } from '../../stores/installer/store';
import { themed } from '../common/theme-vars';

const ID = /^[A-Za-z0-9]{8,32}$/;
const CODE = /^[A-Za-z0-9]{8}$/;

/**
 * Bind a HoloSens camera or NVR to a Huawei IVM account (§6.6): the device ID and the
 * 8-character verification code from its label. HOLO devices dial the cloud themselves, so the
 * wizard then only watches the state (no SIP values to type in).
 */
export function HoloForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ deviceId: '', code: '', description: '' });
  const { holo: added, holoBusy: busy, holoError: error, addHolo } = useInstallerStore(useShallow(selectHolo));
  const idProblem = form.deviceId && !ID.test(form.deviceId) ? t('validation.holoId') : null;
  const codeProblem = form.code && !CODE.test(form.code) ? t('validation.holoCode') : null;
  const valid = ID.test(form.deviceId) && CODE.test(form.code) && form.description.length <= 128;
  const submit = async () => {
    const ok = await addHolo({
      accountId,
      deviceId: form.deviceId,
      verificationCode: form.code,
      ...(form.description ? { description: form.description } : {}),
    });
    if (ok) setForm({ deviceId: '', code: '', description: '' });
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap align="start">
        <div>
          <Input
            placeholder={t('installer.holoId')}
            value={form.deviceId}
            onChange={(e) => setForm({ ...form, deviceId: e.target.value.trim() })}
            status={idProblem ? 'error' : ''}
            style={{ width: 240 }}
            data-testid="holo-id"
            autoComplete="off"
          />
          {idProblem && <div style={{ color: themed.errorText, fontSize: 11 }}>{idProblem}</div>}
        </div>
        <div>
          <Input.Password
            placeholder={t('installer.holoCode')}
            value={form.code}
            onChange={(e) => setForm({ ...form, code: e.target.value.trim() })}
            status={codeProblem ? 'error' : ''}
            style={{ width: 200 }}
            data-testid="holo-code"
            autoComplete="off"
          />
          {codeProblem && <div style={{ color: themed.errorText, fontSize: 11 }}>{codeProblem}</div>}
        </div>
        <Input
          placeholder={t('installer.descriptionOptional')}
          value={form.description}
          maxLength={128}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
          style={{ width: 240 }}
        />
        <Button type="primary" loading={busy} disabled={!valid} onClick={() => void submit()} data-testid="holo-submit">
          {t('installer.holoAdd')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} data-testid="holo-error" />}
      {added.map((d) => (
        <HoloDevice key={d.deviceId} accountId={accountId} device={d} />
      ))}
    </Space>
  );
}

function HoloDevice({ accountId, device }: { accountId: string; device: HoloAddResponse }) {
  const { t } = useTranslation();
  const { state, gaveUp } = useDeviceState(accountId, device.deviceId);
  return (
    <Card
      size="small"
      title={device.name || device.deviceId}
      extra={
        <Tag color={stateColour[state]} data-testid={`holo-state-${device.deviceId}`} data-state={state}>
          {t(`installer.state.${state}`)}
        </Tag>
      }
      data-testid={`holo-device-${device.deviceId}`}
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={t('installer.deviceId')}>{device.deviceId}</Descriptions.Item>
        <Descriptions.Item label={t('installer.holoType')}>{device.type}</Descriptions.Item>
        <Descriptions.Item label={t('installer.holoMaker')}>{device.manufacturer ?? '-'}</Descriptions.Item>
      </Descriptions>
      {gaveUp && <div style={{ fontSize: 12, opacity: 0.8 }}>{t('installer.holoOffline')}</div>}
    </Card>
  );
}
