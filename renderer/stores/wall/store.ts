import { create } from 'zustand';
import { favouritesSlice } from './slices/favourites';
import { layoutSlice } from './slices/layout';
import { ptzSlice } from './slices/ptz';
import { toursSlice } from './slices/tours';
import { treeSlice } from './slices/tree';
import type { WallState } from './slices/types';
import { viewsSlice } from './slices/views';

/**
 * The wall: one store of slices (trees per account, layout and panes, saved views, favourites,
 * pane tours, PTZ speed). Components read it through `./selectors`, never whole.
 */
export const useWallStore = create<WallState>()((...a) => ({
  ...treeSlice(...a),
  ...layoutSlice(...a),
  ...viewsSlice(...a),
  ...favouritesSlice(...a),
  ...toursSlice(...a),
  ...ptzSlice(...a),
}));

export type { WallState, PaneContent } from './slices/types';
export type { PaneTour } from './slices/tours';
export { relayout } from './slices/layout';
