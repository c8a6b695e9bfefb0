import { Button, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { GbAddRequest, ResponseOf } from '../../../preload/contract';
import { installerOptions } from '../../stores/installer/actions';
import { selectAdd } from '../../stores/installer/selectors';
import { useInstallerStore } from '../../stores/installer/store';
import { themed } from '../common/theme-vars';

// Pieces the one-device add forms share: the device kind, the create button, the problem line,
// and the account's organizations (or projects) and service nodes.

export type DeviceKind = 'IPC' | 'NVR';

export function DeviceKindSelect(props: { value: DeviceKind; onChange: (v: DeviceKind) => void; testId?: string }) {
  return (
    <Select
      value={props.value}
      onChange={props.onChange}
      options={[
        { value: 'IPC', label: 'IPC' },
        { value: 'NVR', label: 'NVR' },
      ]}
      style={{ width: 90 }}
      data-testid={props.testId}
    />
  );
}

/** "Create": sends the form's request through the installer store; busy while the platform answers. */
export function CreateButton({ disabled, request }: { disabled: boolean; request: () => GbAddRequest }) {
  const { t } = useTranslation();
  const { add, busy } = useInstallerStore(useShallow(selectAdd));
  return (
    <Button
      type="primary"
      loading={busy}
      disabled={disabled}
      onClick={() => void add(request())}
      data-testid="gb-submit"
    >
      {t('installer.create')}
    </Button>
  );
}

/** The first problem of a form, said next to its button. */
export function Problem({ text }: { text: string | null | undefined }) {
  return text ? <span style={{ color: themed.errorText, fontSize: 12 }}>{text}</span> : null;
}

export type InstallerOptions = ResponseOf<'installer:options'>;

/**
 * The account's organizations (projects on Alibaba VCS) and service nodes; `onLoad` lets the form
 * pick its defaults once they arrive. A failed lookup leaves the lists empty (the form stays invalid).
 */
export function useInstallerOptions(accountId: string, onLoad: (o: InstallerOptions) => void): InstallerOptions {
  const [options, setOptions] = useState<InstallerOptions>({ organizations: [], clusters: [] });
  const loaded = useRef(onLoad);
  loaded.current = onLoad;
  useEffect(() => {
    installerOptions({ accountId }).then(
      (o) => {
        setOptions(o);
        loaded.current(o);
      },
      () => undefined,
    );
  }, [accountId]);
  return options;
}
