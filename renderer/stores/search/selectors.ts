import type { SearchState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The search page (everything it shows and does). */
export const selectSearchPage = (s: SearchState) => ({
  accountId: s.accountId,
  error: s.error,
  loading: s.loading,
  page: s.page,
  query: s.query,
  results: s.results,
  scopeId: s.scopeId,
  scopes: s.scopes,
  scopesError: s.scopesError,
  search: s.search,
  selectAccount: s.selectAccount,
  setScope: s.setScope,
  setTargetType: s.setTargetType,
  targetType: s.targetType,
});
