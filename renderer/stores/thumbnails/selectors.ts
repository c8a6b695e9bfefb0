import type { ThumbnailsState } from './store';

/** Named selectors of this store. */

/** The picture under the pointer (null: none shown). */
export const selectHover = (s: ThumbnailsState) => s.hover;

/** The filmstrip: the view, its width, the rows and the pictures answered so far. */
export const selectFilmstrip = (s: ThumbnailsState) => ({
  view: s.view,
  width: s.width,
  rows: s.rows,
  strip: s.strip,
  loadStrip: s.loadStrip,
});

/** Settings: the cache's use and its actions. */
export const selectThumbCache = (s: ThumbnailsState) => ({
  cache: s.cache,
  cacheError: s.cacheError,
  loadCache: s.loadCache,
  clearCache: s.clearCache,
});
