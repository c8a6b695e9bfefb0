import type { AccountsState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The accounts page: the list, the vault, the last test and the actions. */
export const selectAccountsPage = (s: AccountsState) => ({
  accounts: s.accounts,
  vault: s.vault,
  error: s.error,
  testing: s.testing,
  lastTest: s.lastTest,
  remove: s.remove,
  test: s.test,
});
