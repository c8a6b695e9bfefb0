import type { Capability } from '../../../preload/contract';
import { can } from '../../model/capabilities';
import type { AccountsState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The accounts page: the list, the vault, the last test and the actions. */
export const selectAccountsPage = (s: AccountsState) => ({
  accounts: s.accounts,
  vault: s.vault,
  setAside: s.setAside,
  restore: s.restore,
  error: s.error,
  testing: s.testing,
  lastTest: s.lastTest,
  remove: s.remove,
  test: s.test,
});

/** One account by id (undefined until the accounts are read). */
export const selectAccountById = (accountId: string | undefined) => (s: AccountsState) =>
  s.accounts.find((a) => a.id === accountId);

/** Whether an account's platform offers a capability (false until the accounts are read). */
export const selectAccountCan = (accountId: string, capability: Capability) => (s: AccountsState) =>
  can(
    s.accounts.find((a) => a.id === accountId),
    capability,
  );
