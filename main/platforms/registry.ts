import type { PlatformId } from '../../preload/contract';
import { aliyunVcsFactory } from './aliyun-vcs';
import { huaweiIvmFactory } from './huawei-ivm';
import { huaweiVisFactory } from './huawei-vis';
import type { PlatformFactory } from './platform';
import { tencentIvcFactory } from './tencent-ivc';

/** One factory per platform of the contract: a new platform id does not compile until it has one. */
export const platformFactories: Record<PlatformId, PlatformFactory> = {
  'huawei-ivm': huaweiIvmFactory,
  'huawei-vis': huaweiVisFactory,
  'tencent-ivc': tencentIvcFactory,
  'aliyun-vcs': aliyunVcsFactory,
};
