import { Button, Select } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { GbAddRequest } from '../../../preload/contract';
import { selectAdd } from '../../stores/installer/selectors';
import { useInstallerStore, type InstallerOptions } from '../../stores/installer/store';
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

export type { InstallerOptions };
const NO_OPTIONS: InstallerOptions = { organizations: [], clusters: [] };

/**
 * The account's organizations (projects on Alibaba VCS) and service nodes, read by the installer
 * store; `onLoad` lets the form pick its defaults once they arrive. A failed lookup leaves the
 * lists empty (the form stays invalid).
 */
export function useInstallerOptions(accountId: string, onLoad: (o: InstallerOptions) => void): InstallerOptions {
  const options = useInstallerStore((s) => s.options[accountId]);
  const load = useInstallerStore((s) => s.loadOptions);
  const loaded = useRef(onLoad);
  loaded.current = onLoad;
  useEffect(() => void load(accountId), [load, accountId]);
  useEffect(() => {
    if (options) loaded.current(options);
  }, [options]);
  return options ?? NO_OPTIONS;
}
