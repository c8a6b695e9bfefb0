import { Alert, Result, Select, Space, Tabs } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { accountsThatCan, can } from '../../model/capabilities';
import { useAccountsStore } from '../../stores/accounts/store';
import { selectInstallerPage } from '../../stores/installer/selectors';
import { useInstallerStore } from '../../stores/installer/store';
import { AddDevices } from './AddDevices';
import { ConfigureTab } from './ConfigureTab';
import { GbAssistant } from './GbAssistant';

/**
 * Add devices the way the account's platform takes them (its registration models), the
 * platform's answer per device, then the GB28181 assistant per device (values for the camera,
 * QR, status until online); configure a channel where the platform can.
 */
export function InstallerPage() {
  const { t } = useTranslation();
  const accounts = accountsThatCan(
    useAccountsStore((s) => s.accounts),
    'deviceAdmin',
  );
  const s = useInstallerStore(useShallow(selectInstallerPage));
  const accountId = s.accountId ?? accounts[0]?.id ?? null;
  const account = accounts.find((a) => a.id === accountId);
  const firstId = accounts[0]?.id;
  const { accountId: chosen, setAccount } = s;
  useEffect(() => {
    if (!chosen && firstId) setAccount(firstId);
  }, [chosen, firstId, setAccount]);

  if (accounts.length === 0)
    return (
      <Result
        status="info"
        title={t('installer.unavailable')}
        subTitle={t('installer.unavailableWhy')}
        data-testid="installer-unavailable"
      />
    );
  return (
    <div style={{ padding: 16, maxWidth: 1100 }} data-testid="installer-page">
      <Space style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 240 }}
          value={accountId ?? undefined}
          onChange={(id: string) => s.setAccount(id)}
          options={accounts.map((a) => ({ value: a.id, label: `${a.name} · ${t(`platform.${a.config.platform}`)}` }))}
          data-testid="installer-account"
        />
      </Space>
      <Tabs
        items={[
          {
            key: 'add',
            label: t('installer.addTab'),
            children: account ? <AddDevices key={account.id} account={account} /> : null,
          },
          ...(account && can(account, 'deviceAdmin.move')
            ? [
                {
                  key: 'configure',
                  label: t('installer.configureTab'),
                  children: (
                    <ConfigureTab key={account.id} accountId={account.id} capabilities={account.capabilities} />
                  ),
                },
              ]
            : []),
        ]}
      />
      {s.error && (
        <Alert
          type="error"
          showIcon
          title={s.error.message}
          style={{ margin: '12px 0' }}
          data-testid="installer-error"
        />
      )}
      {s.results && (
        <div style={{ marginTop: 16 }} data-testid="installer-results">
          {s.results
            .filter((r) => !r.ok)
            .map((r) => (
              <Alert
                key={r.deviceId}
                type="error"
                showIcon
                style={{ marginBottom: 8 }}
                title={`${r.deviceId}: ${r.code ?? ''} ${r.message ?? ''}`}
                data-testid={`installer-failed-${r.deviceId}`}
              />
            ))}
          {s.results
            .filter((r) => r.ok && r.warning)
            .map((r) => (
              <Alert
                key={r.deviceId}
                type="warning"
                showIcon
                style={{ marginBottom: 8 }}
                title={r.warning}
                data-testid={`installer-warning-${r.deviceId}`}
              />
            ))}
        </div>
      )}
      {s.assistants
        .filter((a) => a.accountId === accountId)
        .map((a) => (
          <GbAssistant
            key={a.statusId}
            accountId={a.accountId}
            statusId={a.statusId}
            settings={a.settings}
            name={a.name}
            onDismiss={() => s.dismissAssistant(a.statusId)}
          />
        ))}
    </div>
  );
}
