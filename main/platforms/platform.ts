import type { AccountConfig, AccountsTestResponse, LiveSource, PlatformId, PtzCommand, TreeNode } from '../../preload/contract';

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
  /** Groups, devices and channels as a flat list (accountId and platform are filled in by the caller). */
  tree(): Promise<PlatformNode[]>;
  /** A fresh play source for a channel node id; never cached (URLs expire). */
  liveSource(channelId: string, stream: 'main' | 'sub'): Promise<LiveSource>;
  /** Present only when the platform has PTZ. */
  ptz?(channelId: string, command: PtzCommand, speed: number): Promise<void>;
}

export type PlatformNode = Omit<TreeNode, 'accountId' | 'platform'>;

/** Builds the adapter for an account; `secret` comes from the vault and stays in main. */
export type PlatformFactory = (config: AccountConfig, secret: string) => Platform;

export const platformNames: Record<PlatformId, string> = {
  'huawei-ivm': 'Huawei Cloud IVM',
  'huawei-vis': 'Huawei Cloud VIS',
  'tencent-ivc': 'Tencent Cloud IVC',
  'aliyun-vcs': 'Alibaba Cloud VCS',
};
