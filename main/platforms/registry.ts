import type { PlatformId } from '../../preload/contract';
import { aliyunVcsFactory } from './aliyun-vcs';
import { huaweiIvmFactory } from './huawei-ivm';
import { huaweiVisFactory } from './huawei-vis';
import type { PlatformFactory } from './platform';
import { tencentIvcFactory } from './tencent-ivc';

/**
 * One factory per platform whose client has landed. A platform missing here is reported
 * honestly as "not available yet" rather than pretending a connection test passed.
 */
export const platformFactories: Partial<Record<PlatformId, PlatformFactory>> = {
  'huawei-ivm': huaweiIvmFactory,
  'huawei-vis': huaweiVisFactory,
  'tencent-ivc': tencentIvcFactory,
  'aliyun-vcs': aliyunVcsFactory,
};
