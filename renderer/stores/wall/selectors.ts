import type { WallState } from './slices/types';

/**
 * Named selectors of the wall store. A component reads only what it shows: one field with
 * `useWallStore(selectX)`, several with `useWallStore(useShallow(selectX))`, so a pane does not
 * re-render when another pane's tour ticks or the tree of another account loads.
 */

// Tree slice
export const selectTrees = (s: WallState) => s.trees;
/** One account's tree nodes (undefined until loaded). */
export const selectTreeNodes = (accountId: string | null) => (s: WallState) =>
  accountId ? s.trees[accountId]?.nodes : undefined;
export const selectTreeActions = (s: WallState) => ({ loadTree: s.loadTree });

// Layout slice
export const selectLayout = (s: WallState) => s.layout;
export const selectPanes = (s: WallState) => s.panes;
export const selectSelected = (s: WallState) => s.selected;
export const selectMaximized = (s: WallState) => s.maximized;
export const selectLayoutActions = (s: WallState) => ({
  setLayout: s.setLayout,
  undoLayout: s.undoLayout,
  assign: s.assign,
  fill: s.fill,
  swap: s.swap,
  select: s.select,
  toggleMaximize: s.toggleMaximize,
  setStream: s.setStream,
  toggleStats: s.toggleStats,
});
/** What one pane needs of the layout: whether it is selected or maximized, and its forced stream. */
export const selectPaneState = (index: number) => (s: WallState) => ({
  isSelected: s.selected === index,
  isMax: s.maximized === index,
  streamOverride: s.streamOverride[index],
  showStats: s.showStats,
});

// Views slice
export const selectViews = (s: WallState) => ({
  views: s.views,
  activeViewId: s.activeViewId,
  startupViewId: s.startupViewId,
});
export const selectViewActions = (s: WallState) => ({
  loadViews: s.loadViews,
  openStartupView: s.openStartupView,
  openView: s.openView,
  saveView: s.saveView,
  deleteView: s.deleteView,
  setStartup: s.setStartup,
});

// Favourites slice
export const selectFavourites = (s: WallState) => s.favourites;
export const selectFavouriteActions = (s: WallState) => ({
  loadFavourites: s.loadFavourites,
  toggleFavourite: s.toggleFavourite,
});

// Tours slice
export const selectTour = (index: number) => (s: WallState) => s.tours[index];
export const selectTouring = (s: WallState) => Object.keys(s.tours).length > 0;
export const selectTourActions = (s: WallState) => ({ startTour: s.startTour, stopTour: s.stopTour });

// PTZ slice
/** Whether a channel can pan/tilt (from its account's tree). */
export const selectHasPtz = (accountId: string | undefined, channelId: string | undefined) => (s: WallState) =>
  accountId ? (s.trees[accountId]?.nodes.find((n) => n.id === channelId)?.ptz ?? false) : false;
