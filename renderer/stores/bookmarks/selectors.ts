import type { BookmarksState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The Bookmarks page: the filter, one page of bookmarks and what the filters offer. */
export const selectBookmarksPage = (s: BookmarksState) => ({
  filter: s.filter,
  items: s.items,
  total: s.total,
  tags: s.tags,
  cameras: s.cameras,
  loading: s.loading,
  error: s.error,
  setFilter: s.setFilter,
  load: s.load,
  remove: s.remove,
  history: s.history,
  openInPlayback: s.openInPlayback,
});

/** The bookmark just opened in playback (the page zooms its timeline to it, then clears it). */
export const selectOpened = (s: BookmarksState) => s.opened;

/** The playback timeline's marks. */
export const selectMarks = (s: BookmarksState) => s.marks;
