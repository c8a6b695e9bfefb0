import type { RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';

/** An account's device tree (main caches it; `refresh` asks the platform again). */
export const loadTree = (req: RequestOf<'tree:load'>) => invoke('tree:load', req);

/** Saved views and the one opened at startup (kept by main's settings). */
export const listViews = () => invoke('views:list', {});
export const saveView = (req: RequestOf<'views:save'>) => invoke('views:save', req);
export const deleteView = (req: RequestOf<'views:delete'>) => invoke('views:delete', req);
export const setStartupView = (req: RequestOf<'views:setStartup'>) => invoke('views:setStartup', req);
/** Favourite channels (shared by every window). */
export const favourites = () => invoke('favourites:list', {});
export const toggleFavourite = (req: RequestOf<'favourites:toggle'>) => invoke('favourites:toggle', req);

/** One door per live-video operation, for the wall, the stream test page and the snapshot dialog. */
export const liveSource = (req: RequestOf<'live:source'>) => invoke('live:source', req);
/** A loopback relay URL for a play URL (main relays only URLs platforms handed out). */
export const relayUrl = async (url: string) => (await invoke('media:relay', { url })).url;
/**
 * A wall pane's decode rate, for main's relay to cut its FLV stream the same way (issue 26; 'none'
 * while the pane is held unseen). A lost 'key' costs only CPU (the renderer's own filter still
 * drops what the pane does not decode); a lost 'full' after 'none' leaves the pane without frames
 * until its stall watchdog opens the stream again (5 s).
 */
export const relayRate = (url: string, rate: RequestOf<'media:rate'>['rate'], sound?: boolean) =>
  void invoke('media:rate', { url, rate, ...(sound === undefined ? {} : { sound }) }).catch(() => undefined);
/** A picture the camera takes now, through its platform. */
export const cameraSnapshot = (req: RequestOf<'live:snapshot'>) => invoke('live:snapshot', req);
