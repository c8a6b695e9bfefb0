import type { BookmarkView } from '../../../preload/contract';
import { useAppStore } from '../app/store';
import { usePlaybackStore } from '../playback/store';
import { useBookmarksStore } from './store';

/**
 * A bookmark opened as an alarm's recording is (one pane, its camera, from its start, playing),
 * with its range selected on the timeline (a moment selects none: the cursor is on it).
 */
export function openBookmarkInPlayback(b: BookmarkView): void {
  const playback = usePlaybackStore.getState();
  playback.replay({ accountId: b.accountId, channelId: b.channelId, name: b.cameraName }, b.startMs);
  playback.setRange(b.endMs > b.startMs ? { startMs: b.startMs, endMs: b.endMs } : null);
  useBookmarksStore.getState().setOpened(b);
  useAppStore.getState().navigate('playback');
}
