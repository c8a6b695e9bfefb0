import { MAX_FAVOURITES, type PaneAssignment } from '../../preload/contract';
import { AppError } from '../errors';
import type { Settings } from '../settings/settings';
import type { HandlerSlice } from '../ipc/handlers';

/** Favourite channels in the settings file, pinned at the top of every window's device tree. */
export class FavouritesService {
  constructor(private readonly settings: Settings) {}

  /** Favourites of accounts that still exist (a removed account takes its favourites with it). */
  list(): { favourites: PaneAssignment[] } {
    const s = this.settings.get();
    const accounts = new Set(s.accounts.map((a) => a.id));
    return { favourites: s.favourites.filter((f) => accounts.has(f.accountId)) };
  }

  toggle(channel: PaneAssignment): { favourites: PaneAssignment[] } {
    const same = (f: PaneAssignment) => f.accountId === channel.accountId && f.channelId === channel.channelId;
    this.settings.update((s) => {
      // Written back without the favourites of removed accounts.
      const accounts = new Set(s.accounts.map((a) => a.id));
      const kept = s.favourites.filter((f) => accounts.has(f.accountId));
      if (kept.some(same)) return { ...s, favourites: kept.filter((f) => !same(f)) };
      if (!accounts.has(channel.accountId)) throw new AppError('NOT_FOUND', `No account with id ${channel.accountId}`);
      if (kept.length >= MAX_FAVOURITES)
        throw new AppError('VALIDATION', `At most ${MAX_FAVOURITES} favourites; remove one first`);
      return {
        ...s,
        favourites: [...kept, { accountId: channel.accountId, channelId: channel.channelId, name: channel.name }],
      };
    });
    return this.list();
  }
}

export function favouritesHandlers(favourites: FavouritesService): HandlerSlice {
  return {
    'favourites:list': () => favourites.list(),
    'favourites:toggle': (req) => favourites.toggle(req),
  };
}
