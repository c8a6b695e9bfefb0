import type { AccountConfig, AccountsTestResponse, PlatformId } from '../../preload/contract';

/**
 * What Vigil can do with a platform. The UI shows what an account's platform offers and says
 * so when an action is unsupported; it never hides a feature silently.
 */
export type Capability =
  | 'live'
  | 'playback.cloud'
  | 'playback.device'
  | 'ptz'
  | 'presets'
  | 'cruise'
  | 'targets'
  | 'deviceAdmin'
  | 'alarms'
  | 'snapshot'
  | 'health'
  | 'imageSearch';

/** A platform adapter bound to one account. Later issues extend this with tree, live, playback… */
export interface Platform {
  readonly id: PlatformId;
  readonly capabilities: ReadonlySet<Capability>;
  /** The platform's cheapest authenticated call, to prove the account works. */
  testConnection(): Promise<AccountsTestResponse>;
}

/** Builds the adapter for an account; `secret` comes from the vault and stays in main. */
export type PlatformFactory = (config: AccountConfig, secret: string) => Platform;

export const platformNames: Record<PlatformId, string> = {
  'huawei-ivm': 'Huawei Cloud IVM',
  'huawei-vis': 'Huawei Cloud VIS',
  'tencent-ivc': 'Tencent Cloud IVC',
  'aliyun-vcs': 'Alibaba Cloud VCS',
};
