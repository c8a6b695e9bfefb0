import type { PaneAssignment } from '../../../../preload/contract';
import { invoke, type VigilError } from '../../../ipc';
import type { PaneContent, WallSlice } from './types';

/**
 * Favourite channels, pinned at the top of the tree (kept by main, shared by every window). Each
 * request resolves with its failure (also kept, until the next one) and never rejects.
 */
export interface FavouritesSlice {
  favourites: PaneAssignment[];
  favouritesError: VigilError | null;
  loadFavourites(): Promise<VigilError | null>;
  toggleFavourite(channel: PaneContent): Promise<VigilError | null>;
}

export const favouritesSlice: WallSlice<FavouritesSlice> = (set) => {
  /** Every answer is the whole list as main keeps it. */
  const request = async (work: () => Promise<{ favourites: PaneAssignment[] }>) => {
    set({ favouritesError: null });
    try {
      set({ favourites: (await work()).favourites });
      return null;
    } catch (e) {
      set({ favouritesError: e as VigilError });
      return e as VigilError;
    }
  };
  return {
    favourites: [],
    favouritesError: null,
    loadFavourites: () => request(() => invoke('favourites:list', {})),
    toggleFavourite: ({ accountId, channelId, name }) =>
      request(() => invoke('favourites:toggle', { accountId, channelId, name })),
  };
};
