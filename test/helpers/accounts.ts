import type { AccountConfig } from '../../preload/contract';
import type { VcsEmulator } from '../emulators/aliyun-vcs/emulator';
import type { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import type { VisEmulator } from '../emulators/huawei-vis/emulator';
import type { IvcEmulator } from '../emulators/tencent-ivc/emulator';

/** The account (non-secret config + secret) that signs in to each platform's emulator. */
type Account = { config: AccountConfig; secret: string };

export const ivmAccount = (
  e: IvmEmulator,
): Account & { config: Extract<AccountConfig, { platform: 'huawei-ivm' }> } => ({
  config: { platform: 'huawei-ivm', endpoint: e.baseUrl, userId: e.credentials.userId, ak: e.credentials.ak },
  secret: e.credentials.sk,
});
export const ivcAccount = (e: IvcEmulator): Account => ({
  config: {
    platform: 'tencent-ivc',
    endpoint: e.baseUrl,
    appId: e.credentials.appId,
    secretId: e.credentials.secretId,
  },
  secret: e.credentials.secretKey,
});
export const visAccount = (e: VisEmulator): Account => ({
  config: {
    platform: 'huawei-vis',
    region: 'cn-north-4',
    projectId: e.credentials.projectId,
    authMode: 'aksk',
    ak: e.credentials.ak,
    endpoint: e.baseUrl,
  },
  secret: e.credentials.sk,
});
export const vcsAccount = (e: VcsEmulator): Account => ({
  config: {
    platform: 'aliyun-vcs',
    regionId: 'cn-hangzhou',
    endpoint: e.baseUrl,
    accessKeyId: e.credentials.accessKeyId,
  },
  secret: e.credentials.accessKeySecret,
});
