import { CheckCircleTwoTone, HomeOutlined, KeyOutlined, PlusOutlined, WarningTwoTone } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, PlatformId } from '../../../preload/contract';
import { useAccountsStore } from '../../stores/accounts/store';
import { AccountForm } from './AccountForm';
import { accountTarget } from './platformFields';
import { VigilError } from '../../stores/errors';
import { useShallow } from 'zustand/react/shallow';
import { selectAccountsPage } from '../../stores/accounts/selectors';

/** The Accounts page: list, add, edit, remove, test connection. */
export function AccountsPage({ addFor, onAddHandled }: { addFor?: PlatformId; onAddHandled?: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { accounts, vault, setAside, restore, error, testing, lastTest, remove, test } = useAccountsStore(
    useShallow(selectAccountsPage),
  );
  const [editing, setEditing] = useState<Account | undefined>();
  const [adding, setAdding] = useState<PlatformId | undefined>(addFor);

  const report = (e: unknown) => {
    const err = e instanceof VigilError ? e : new VigilError({ code: 'INTERNAL', message: String(e) });
    void message.error(
      `${t(`error.${err.code}`)}: ${err.message}${err.details?.hint ? ` — ${err.details.hint}` : ''}`,
      8,
    );
  };

  const runTest = async (account: Account) => {
    try {
      const r = await test(account.id);
      const text = `${account.name}: ${t(r.status === 'ok' ? 'accounts.testOk' : r.status === 'failed' ? 'accounts.testFailed' : 'accounts.testUnavailable')} — ${r.message}`;
      if (r.status === 'ok') void message.success(text);
      else if (r.status === 'failed') void message.error(text, 8);
      else void message.info(text, 6);
    } catch (e) {
      report(e);
    }
  };

  return (
    <div style={{ padding: 16 }} data-testid="accounts-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('accounts.title')}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setAdding('huawei-ivm')}
          data-testid="account-add"
        >
          {t('accounts.add')}
        </Button>
      </Space>
      {!vault.ok && (
        <Alert
          style={{ marginBottom: 12 }}
          type="error"
          showIcon
          message={t('accounts.vaultProblem')}
          description={`${vault.message} ${vault.hint}`}
          data-testid="vault-error"
        />
      )}
      {error && (
        <Alert
          style={{ marginBottom: 12 }}
          type="error"
          showIcon
          message={`${t(`error.${error.code}`)}: ${error.message}`}
        />
      )}
      {setAside.length > 0 && (
        <Alert
          style={{ marginBottom: 12 }}
          type="warning"
          showIcon
          data-testid="accounts-set-aside"
          message={t('accounts.setAsideTitle')}
          description={
            <Space direction="vertical" style={{ width: '100%' }}>
              <span>{t('accounts.setAsideHelp')}</span>
              {setAside.map((a) => (
                <Space key={a.id}>
                  <Typography.Text strong>{a.name}</Typography.Text>
                  <Typography.Text code>{accountTarget(a.config)}</Typography.Text>
                  <Button
                    size="small"
                    icon={<HomeOutlined />}
                    data-testid={`account-restore-${a.id}`}
                    onClick={async () => {
                      try {
                        await restore(a.id);
                        void message.success(t('accounts.restored'));
                      } catch (e) {
                        report(e);
                      }
                    }}
                  >
                    {t('accounts.restoreOnPremises')}
                  </Button>
                </Space>
              ))}
            </Space>
          }
        />
      )}
      <Table<Account>
        rowKey="id"
        size="small"
        dataSource={accounts}
        pagination={false}
        locale={{ emptyText: t('accounts.empty') }}
        columns={[
          { title: t('accounts.name'), dataIndex: 'name' },
          { title: t('accounts.platform'), render: (_, a) => <Tag>{t(`platform.${a.config.platform}`)}</Tag> },
          {
            title: t('accounts.target'),
            render: (_, a) => (
              <Space size={4}>
                <Typography.Text code>{accountTarget(a.config)}</Typography.Text>
                {a.config.onPremises && (
                  <Tooltip title={t('accounts.onPremisesHelp')}>
                    <Tag icon={<HomeOutlined />} data-testid={`on-premises-${a.id}`}>
                      {t('accounts.onPremisesTag')}
                    </Tag>
                  </Tooltip>
                )}
              </Space>
            ),
          },
          {
            title: t('accounts.secret'),
            render: (_, a) =>
              a.secretConfigured ? (
                <span data-testid={`secret-status-${a.id}`}>
                  <CheckCircleTwoTone twoToneColor="#52c41a" /> <KeyOutlined /> {t('accounts.secretStored')}
                </span>
              ) : (
                <span data-testid={`secret-status-${a.id}`}>
                  <WarningTwoTone twoToneColor="#faad14" /> {t('accounts.secretMissing')}
                </span>
              ),
          },
          {
            title: t('accounts.actions'),
            render: (_, a) => (
              <Space>
                <Tooltip title={lastTest[a.id]?.message}>
                  <Button
                    size="small"
                    loading={testing[a.id]}
                    onClick={() => void runTest(a)}
                    data-testid={`account-test-${a.id}`}
                  >
                    {t('accounts.test')}
                  </Button>
                </Tooltip>
                <Button size="small" onClick={() => setEditing(a)} data-testid={`account-edit-${a.id}`}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('accounts.removeConfirm', { name: a.name })}
                  okText={t('common.remove')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true, 'data-testid': 'account-remove-confirm' } as never}
                  onConfirm={async () => {
                    try {
                      await remove(a.id);
                      void message.success(t('accounts.removed'));
                    } catch (e) {
                      report(e);
                    }
                  }}
                >
                  <Button size="small" danger data-testid={`account-remove-${a.id}`}>
                    {t('common.remove')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {(adding || editing) && (
        <AccountForm
          open
          account={editing}
          platform={adding}
          onClose={(saved) => {
            setAdding(undefined);
            setEditing(undefined);
            onAddHandled?.();
            if (saved) void message.success(t('accounts.saved'));
          }}
        />
      )}
    </div>
  );
}
