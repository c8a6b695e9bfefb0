import { Button, Input, InputNumber, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { gbPasswordProblem } from '../../model/installer-rules';
import { selectGbCredentials } from '../../stores/installer/selectors';
import { useInstallerStore } from '../../stores/installer/store';
import { DeviceKindSelect, Problem, type DeviceKind } from './parts';

/**
 * Registration model `credential`: the platform generates the device IDs and ties them to a
 * GB28181 credential the installer picks or creates here (Huawei VIS §4.3.1, §4.4.1).
 */
export function CredentialForm({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { add, busy, credentials, loadCredentials, createCredential } = useInstallerStore(
    useShallow(selectGbCredentials),
  );
  const [type, setType] = useState<DeviceKind>('IPC');
  const [credential, setCredential] = useState<string | undefined>();
  const [quantity, setQuantity] = useState(1);
  const [newCred, setNewCred] = useState({ type: 'NORMAL' as 'NORMAL' | 'ANONYMOUS', username: '', password: '' });
  useEffect(() => {
    void loadCredentials();
  }, [accountId, loadCredentials]);
  const passwordProblem = newCred.password ? gbPasswordProblem(newCred.password, /^[@#_*]*$/) : null;
  const userProblem =
    newCred.type === 'NORMAL' && newCred.username && !/^[A-Za-z0-9]{1,32}$/.test(newCred.username)
      ? t('validation.visUser')
      : null;
  const canCreate =
    newCred.password && !passwordProblem && !userProblem && (newCred.type === 'ANONYMOUS' || newCred.username);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <DeviceKindSelect value={type} onChange={setType} testId="vis-type" />
        <Select
          placeholder={t('installer.credential')}
          value={credential}
          onChange={setCredential}
          options={credentials.map((c) => ({
            value: c.username,
            label: `${c.username}${c.type ? ` (${c.type})` : ''}`,
          }))}
          style={{ width: 240 }}
          data-testid="vis-credential"
        />
        <InputNumber
          min={1}
          max={100}
          value={quantity}
          onChange={(v) => setQuantity(typeof v === 'number' ? v : 1)}
          addonBefore={t('installer.quantity')}
          data-testid="vis-quantity"
        />
        <Button
          type="primary"
          loading={busy}
          disabled={!credential}
          onClick={() => credential && void add({ registration: 'credential', accountId, type, credential, quantity })}
          data-testid="gb-submit"
        >
          {t('installer.create')}
        </Button>
      </Space>
      <Space wrap>
        <span style={{ opacity: 0.75 }}>{t('installer.newCredential')}</span>
        <Select
          value={newCred.type}
          onChange={(v: 'NORMAL' | 'ANONYMOUS') => setNewCred({ ...newCred, type: v })}
          options={[
            { value: 'NORMAL', label: 'NORMAL' },
            { value: 'ANONYMOUS', label: 'ANONYMOUS' },
          ]}
          style={{ width: 130 }}
        />
        {newCred.type === 'NORMAL' && (
          <Input
            placeholder={t('installer.username')}
            value={newCred.username}
            onChange={(e) => setNewCred({ ...newCred, username: e.target.value })}
            status={userProblem ? 'error' : ''}
            style={{ width: 160 }}
            data-testid="vis-cred-user"
          />
        )}
        <Input.Password
          placeholder={t('installer.password')}
          value={newCred.password}
          onChange={(e) => setNewCred({ ...newCred, password: e.target.value })}
          status={passwordProblem ? 'error' : ''}
          style={{ width: 200 }}
          autoComplete="new-password"
          data-testid="vis-cred-password"
        />
        <Button
          disabled={!canCreate || busy}
          onClick={async () => {
            const created = await createCredential(
              newCred.type,
              newCred.password,
              newCred.type === 'NORMAL' ? newCred.username : undefined,
            );
            if (created) {
              setCredential(created);
              setNewCred({ ...newCred, password: '' });
            }
          }}
          data-testid="vis-cred-create"
        >
          {t('installer.createCredential')}
        </Button>
        <Problem text={passwordProblem ?? userProblem} />
      </Space>
    </Space>
  );
}
