import type { AccountConfig, Capability, PlatformId } from '../../preload/contract';
import { aliyunVcsFactory } from './aliyun-vcs';
import { huaweiIvmFactory } from './huawei-ivm';
import { huaweiVisFactory } from './huawei-vis';
import { capabilitiesOf, type PlatformFactory } from './platform';
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
  return capabilitiesOf(platformFactories[config.platform](config, 'capabilities-probe'));
}
