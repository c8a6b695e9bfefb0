import type { PaneAssignment } from '../../../../preload/contract';
import { favourites, toggleFavourite } from '../actions';
import type { PaneContent, WallSlice } from './types';

/** Favourite channels, pinned at the top of the tree (kept by main, shared by every window). */
export interface FavouritesSlice {
  favourites: PaneAssignment[];
  loadFavourites(): Promise<void>;
  toggleFavourite(channel: PaneContent): Promise<void>;
}

export const favouritesSlice: WallSlice<FavouritesSlice> = (set) => ({
  favourites: [],
  async loadFavourites() {
    set({ favourites: (await favourites()).favourites });
  },
  async toggleFavourite({ accountId, channelId, name }) {
    set({ favourites: (await toggleFavourite({ accountId, channelId, name })).favourites });
  },
});
