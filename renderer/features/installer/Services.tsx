import { Button, Card, InputNumber, Popconfirm, Select, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceResource, ServiceType } from '../../../preload/contract';
import { useConfigureStore } from '../../stores/configure/store';

const TYPES: ServiceType[] = ['MANAGE', 'NORMAL', 'MOTION', 'DATAFLOW'];

/**
 * The paid services a channel uses (Huawei IVM §12–§13): which resource serves each, and
 * enabling, switching or disabling them. Live view (MANAGE) comes first and goes last; pay-per-use
 * storage asks for its retention. Every change is answered per channel, then re-read.
 */
export function Services() {
  const { t } = useTranslation();
  const { value: state, unavailable } = useConfigureStore((s) => s.services);
  const busy = useConfigureStore((s) => s.busy);
  const { enableService, disableService } = useConfigureStore.getState();
  const [choice, setChoice] = useState<Partial<Record<ServiceType, string>>>({});
  const [days, setDays] = useState<Partial<Record<ServiceType, number | null>>>({});
  if (unavailable)
    return (
      <Card size="small" title={t('services.title')}>
        <span style={{ opacity: 0.7 }} data-testid="services-unavailable">
          {unavailable}
        </span>
      </Card>
    );
  if (!state) return <Spin />;

  const boundOf = (type: ServiceType) => state.bound.find((b) => b.type === type);
  const label = (r: ServiceResource) =>
    `${r.name} · ${r.mode === 'PACKAGE' ? t('services.package', { used: r.used, quota: r.quota ?? '?' }) : t('services.onDemand')}${r.state !== 'NORMAL' ? ` · ${t(`services.state.${r.state}`, { defaultValue: r.state })}` : ''}${r.expires ? ` · ${t('services.expires', { date: r.expires.slice(0, 10) })}` : ''}`;
  return (
    <Card size="small" title={t('services.title')} data-testid="services">
      {TYPES.map((type) => {
        const bound = boundOf(type);
        const options = state.resources.filter((r) => r.type === type);
        const picked = options.find(
          (r) => r.id === (choice[type] ?? (bound ? undefined : options.find((o) => o.state === 'NORMAL')?.id)),
        );
        const needsDays = picked ? picked.mode === 'ONDEMAND' && type !== 'MANAGE' : false;
        const dayValue = days[type] ?? 7;
        const manageFirst = type !== 'MANAGE' && !boundOf('MANAGE');
        const othersBound = type === 'MANAGE' && state.bound.some((b) => b.type !== 'MANAGE');
        const same = picked && bound?.resourceId === picked.id;
        return (
          <Space key={type} wrap style={{ display: 'flex', marginBottom: 8 }} data-testid={`service-${type}`}>
            <strong style={{ width: 170, display: 'inline-block' }} title={t(`services.help.${type}`)}>
              {t(`services.type.${type}`)}
            </strong>
            <span style={{ width: 220, display: 'inline-block' }} data-testid={`service-${type}-state`}>
              {bound ? (
                <Tag color={bound.state === 'NORMAL' ? 'green' : 'orange'}>{bound.name || bound.resourceId}</Tag>
              ) : (
                <Tag>{t('services.off')}</Tag>
              )}
            </span>
            <Select
              style={{ width: 360 }}
              value={picked?.id}
              placeholder={t('services.pick')}
              onChange={(id: string) => setChoice({ ...choice, [type]: id })}
              options={options.map((r) => ({ value: r.id, label: label(r), disabled: r.state === 'UNAVAILABLE' }))}
              data-testid={`service-${type}-resource`}
            />
            {needsDays && (
              <InputNumber
                min={1}
                max={365}
                value={dayValue}
                onChange={(v) => setDays({ ...days, [type]: typeof v === 'number' ? v : null })}
                addonAfter={t('services.days')}
                style={{ width: 150 }}
                status={days[type] === null ? 'error' : ''}
                data-testid={`service-${type}-days`}
              />
            )}
            <Button
              type="primary"
              loading={busy === type}
              disabled={!picked || Boolean(same) || manageFirst || (needsDays && days[type] === null)}
              title={manageFirst ? t('services.manageFirst') : undefined}
              onClick={() => void enableService(type, picked!.id, needsDays ? dayValue : undefined)}
              data-testid={`service-${type}-enable`}
            >
              {bound ? t('services.switch') : t('services.enable')}
            </Button>
            <Popconfirm
              title={t(`services.disableConfirm.${type}`)}
              okButtonProps={{ danger: true, 'data-testid': `service-${type}-disable-ok` } as never}
              onConfirm={() => void disableService(type)}
            >
              <Button
                danger
                disabled={!bound || othersBound}
                title={othersBound ? t('services.manageLast') : undefined}
                data-testid={`service-${type}-disable`}
              >
                {t('services.disable')}
              </Button>
            </Popconfirm>
            {manageFirst && <span style={{ fontSize: 12, opacity: 0.7 }}>{t('services.manageFirst')}</span>}
          </Space>
        );
      })}
    </Card>
  );
}
