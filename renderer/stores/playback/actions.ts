import type { RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';
import { useAppStore } from '../app/store';
import type { PaneContent } from '../wall/store';
import { usePlaybackStore } from './store';

/** One door per recorded-video operation a pane needs: the source under the cursor, and a device session's pace. */
export const playbackSource = (req: RequestOf<'playback:source'>) => invoke('playback:source', req);
export const playbackControl = (req: RequestOf<'playback:control'>) => invoke('playback:control', req);

/** One channel played from `atMs` on the playback page: instant replay, an alarm's or a search hit's recording. */
export function replayOnPlaybackPage(content: PaneContent, atMs: number): void {
  usePlaybackStore.getState().replay(content, atMs);
  useAppStore.getState().navigate('playback');
}
