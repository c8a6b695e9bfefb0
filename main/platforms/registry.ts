import type { AccountConfig, Capability, PlatformId, RegistrationModel } from '../../preload/contract';
import { aliyunVcsFactory } from './aliyun-vcs';
import { huaweiIvmFactory } from './huawei-ivm';
import { huaweiVisFactory } from './huawei-vis';
import { capabilitiesOf, registrationModelsOf, type PlatformFactory } from './platform';
import { tencentIvcFactory } from './tencent-ivc';

/** One factory per platform of the contract: a new platform id does not compile until it has one. */
export const platformFactories: Record<PlatformId, PlatformFactory> = {
  'huawei-ivm': huaweiIvmFactory,
  'huawei-vis': huaweiVisFactory,
  'tencent-ivc': tencentIvcFactory,
  'aliyun-vcs': aliyunVcsFactory,
};

/**
 * What an account of this configuration can do: the operations its adapter implements. Read off
 * an adapter built only to be looked at (no call is made, so the secret is a placeholder): the
 * accounts list needs no keychain read and no network.
 */
export function capabilitiesFor(config: AccountConfig): Capability[] {
  return capabilitiesOf(probe(config));
}

/** How devices are added on an account of this configuration, read off the same kind of probe. */
export function registrationModelsFor(config: AccountConfig): RegistrationModel[] {
  return registrationModelsOf(probe(config));
}

const probe = (config: AccountConfig) => platformFactories[config.platform](config, 'capabilities-probe');
