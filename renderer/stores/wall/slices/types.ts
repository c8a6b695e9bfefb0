import type { StateCreator } from 'zustand';
import type { FavouritesSlice } from './favourites';
import type { LayoutSlice } from './layout';
import type { PtzSlice } from './ptz';
import type { ToursSlice } from './tours';
import type { TreeSlice } from './tree';
import type { ViewsSlice } from './views';

/** The wall store is these slices together; each slice's actions may read and set the whole state. */
export type WallState = TreeSlice & LayoutSlice & ViewsSlice & FavouritesSlice & ToursSlice & PtzSlice;
export type WallSlice<T> = StateCreator<WallState, [], [], T>;

/** What plays in a pane. */
export interface PaneContent {
  accountId: string;
  channelId: string;
  name: string;
}
