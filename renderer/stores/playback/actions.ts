import type { PaneContent } from '../wall/store';
import { usePlaybackStore } from './store';

/**
 * Only the wall's gamepad hook still calls this, until its owner dispatches the store's
 * `replayOnPage` there; every other screen dispatches the playback store's intents.
 */
export const replayOnPlaybackPage = (content: PaneContent, atMs: number): void =>
  usePlaybackStore.getState().replayOnPage(content, atMs);
