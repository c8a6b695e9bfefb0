import type { TreeNode } from '../../../../preload/contract';
import { invoke } from '../../../ipc';
import type { WallSlice } from './types';

/** Each account's device tree, loaded once and on request. */
export interface TreeSlice {
  trees: Record<string, { nodes: TreeNode[]; loading: boolean; error: string | null }>;
  loadTree(accountId: string, refresh?: boolean): Promise<void>;
}

export const treeSlice: WallSlice<TreeSlice> = (set) => ({
  trees: {},
  async loadTree(accountId, refresh = false) {
    set((s) => ({
      trees: { ...s.trees, [accountId]: { nodes: s.trees[accountId]?.nodes ?? [], loading: true, error: null } },
    }));
    try {
      const r = await invoke('tree:load', { accountId, refresh });
      set((s) => ({ trees: { ...s.trees, [accountId]: { nodes: r.nodes, loading: false, error: r.error } } }));
    } catch (e) {
      set((s) => ({
        trees: {
          ...s.trees,
          [accountId]: { nodes: s.trees[accountId]?.nodes ?? [], loading: false, error: (e as Error).message },
        },
      }));
    }
  },
});
