import type { Account, Capability } from '../../preload/contract';

/**
 * What an account can do, as main derived it from its platform adapter's operations. Screens gate
 * on these, never on the platform id (only the account form knows platforms by name).
 */
export const can = (account: Pick<Account, 'capabilities'> | undefined | null, capability: Capability): boolean =>
  !!account?.capabilities.includes(capability);

/**
 * Whether the wall steers a channel (pad, gamepad): a PTZ camera by its tree mark, on a platform
 * that offers PTZ control. Alibaba VCS marks its PTZ camera types but documents no PTZ operation.
 */
export const canSteer = (account: Pick<Account, 'capabilities'> | undefined | null, ptzCamera: boolean): boolean =>
  ptzCamera && can(account, 'ptz');

/** The accounts that can do `capability`, in their order. */
export const accountsThatCan = <A extends Pick<Account, 'capabilities'>>(accounts: A[], capability: Capability): A[] =>
  accounts.filter((a) => can(a, capability));
