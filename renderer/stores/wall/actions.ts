import type { RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';

/** An account's device tree (main caches it; `refresh` asks the platform again). */
export const loadTree = (req: RequestOf<'tree:load'>) => invoke('tree:load', req);

/** One door per live-video operation, for the wall, the stream test page and the snapshot dialog. */
export const liveSource = (req: RequestOf<'live:source'>) => invoke('live:source', req);
/** A loopback relay URL for a play URL (main relays only URLs platforms handed out). */
export const relayUrl = async (url: string) => (await invoke('media:relay', { url })).url;
/** A picture the camera takes now, through its platform. */
export const cameraSnapshot = (req: RequestOf<'live:snapshot'>) => invoke('live:snapshot', req);
