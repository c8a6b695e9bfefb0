import type { LibraryStoreState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The target library page. */
export const selectLibraryPage = (s: LibraryStoreState) => ({
  accountId: s.accountId,
  clearError: s.clearError,
  deleteTargets: s.deleteTargets,
  deviceId: s.deviceId,
  error: s.error,
  groupId: s.groupId,
  library: s.library,
  loadMore: s.loadMore,
  loading: s.loading,
  select: s.select,
  targets: s.targets,
  total: s.total,
});

/** The library's groups. */
export const selectGroups = (s: LibraryStoreState) => ({
  library: s.library,
  groupId: s.groupId,
  selectGroup: s.selectGroup,
  createGroup: s.createGroup,
  updateGroup: s.updateGroup,
  deleteGroup: s.deleteGroup,
  loading: s.loading,
});

/** The bulk import dialog. */
export const selectImport = (s: LibraryStoreState) => ({
  library: s.library,
  job: s.job,
  importedKeys: s.importedKeys,
  runImport: s.runImport,
  cancelImport: s.cancelImport,
});

/** The target form. */
export const selectTargetForm = (s: LibraryStoreState) => ({
  library: s.library,
  accountId: s.accountId,
  deviceId: s.deviceId,
  groupId: s.groupId,
  addTarget: s.addTarget,
  updateTarget: s.updateTarget,
  deleteTargets: s.deleteTargets,
});
