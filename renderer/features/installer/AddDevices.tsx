import { Result, Segmented } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, RegistrationModel } from '../../../preload/contract';
import { can } from '../../model/capabilities';
import { CredentialForm } from './CredentialForm';
import { GeneratedCodeForm } from './GeneratedCodeForm';
import { HoloForm } from './HoloForm';
import { InstallerIdsForm } from './InstallerIdsForm';
import { ProjectDeviceForm } from './ProjectDeviceForm';

/**
 * One add form per registration model, not per platform: a platform that takes devices the way
 * another does gets that form. Every model has one (the record does not compile otherwise).
 */
const FORMS: Record<RegistrationModel, (account: Account) => ReactNode> = {
  installerIds: (a) => <InstallerIdsForm accountId={a.id} />,
  credential: (a) => <CredentialForm accountId={a.id} />,
  generatedCode: (a) => <GeneratedCodeForm accountId={a.id} canImport={can(a, 'deviceAdmin.import')} />,
  projectDevice: (a) => <ProjectDeviceForm accountId={a.id} />,
  labelCode: (a) => <HoloForm accountId={a.id} />,
};

/**
 * The add tab of an account: the ways its platform takes devices (main derives them from its
 * adapter), a switch when there are several, what the chosen one asks for, and its form.
 * Mounted per account (`key`), so the choice starts again on another account.
 */
export function AddDevices({ account }: { account: Account }) {
  const { t } = useTranslation();
  const models = account.registrationModels;
  const [chosen, setChosen] = useState<RegistrationModel | undefined>(models[0]);
  const model = chosen && models.includes(chosen) ? chosen : models[0];
  if (!model)
    return <Result status="info" title={t('installer.noRegistration')} data-testid="installer-no-registration" />;
  return (
    <div data-testid={`add-${model}`}>
      {models.length > 1 && (
        <Segmented
          value={model}
          onChange={(v) => setChosen(v as RegistrationModel)}
          options={models.map((m) => ({ value: m, label: t(`installer.registration.${m}`) }))}
          style={{ marginBottom: 12 }}
          data-testid="add-registration"
        />
      )}
      <p style={{ opacity: 0.75 }}>{t(`installer.registrationHelp.${model}`)}</p>
      {FORMS[model](account)}
    </div>
  );
}
