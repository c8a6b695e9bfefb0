import { create } from 'zustand';
import type { TargetSearchRequest, TargetSearchResponse, TargetType } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';

/**
 * Target search: the account and project searched, the last query and its results. A new query
 * starts at page 1; paging re-runs the same query.
 */
export interface SearchState {
  accountId: string | null;
  scopes: Array<{ id: string; name: string }>;
  scopeId: string | null;
  scopesError: VigilError | null;
  targetType: TargetType;
  loading: boolean;
  error: VigilError | null;
  query: Omit<TargetSearchRequest, 'page'> | null;
  page: number;
  results: TargetSearchResponse | null;
  selectAccount(accountId: string): Promise<void>;
  setScope(scopeId: string): void;
  setTargetType(t: TargetType): void;
  search(query: Omit<TargetSearchRequest, 'page'>, page?: number): Promise<void>;
}

export const PAGE_SIZE = 24;

export const useSearchStore = create<SearchState>()((set, get) => ({
  accountId: null,
  scopes: [],
  scopeId: null,
  scopesError: null,
  targetType: 'Face',
  loading: false,
  error: null,
  query: null,
  page: 1,
  results: null,
  async selectAccount(accountId) {
    set({ accountId, scopes: [], scopeId: null, scopesError: null, results: null, error: null, query: null });
    try {
      const { scopes } = await invoke('search:scopes', { accountId });
      if (get().accountId === accountId) set({ scopes, scopeId: scopes[0]?.id ?? null });
    } catch (e) {
      if (get().accountId === accountId) set({ scopesError: e as VigilError });
    }
  },
  setScope: (scopeId) => set({ scopeId }),
  setTargetType: (targetType) => set({ targetType }),
  async search(query, page = 1) {
    set({ loading: true, error: null, query, page });
    try {
      const results = await invoke('search:targets', { ...query, page });
      if (get().query === query) set({ results, loading: false });
    } catch (e) {
      if (get().query === query) set({ error: e as VigilError, loading: false });
    }
  },
}));
