import type { PtzCommand } from '../../../preload/contract';
import { usePtzControlStore, type ChannelKey } from './control';

/**
 * Only the wall's gamepad hook still calls these, until its owner dispatches the PTZ control
 * store's intents there (which resolve with a failure instead of rejecting); every other screen
 * dispatches the stores' intents.
 */
const orThrow = async (failed: Promise<unknown>): Promise<void> => {
  const e = await failed;
  if (e) throw e;
};

export const ptzCommand = (k: ChannelKey, command: PtzCommand, speed: number) =>
  orThrow(usePtzControlStore.getState().move(k, command, speed));
export const ptzRelease = (k: ChannelKey) => orThrow(usePtzControlStore.getState().release(k));
export const goToPreset = (k: ChannelKey, index: number) => orThrow(usePtzControlStore.getState().goToPreset(k, index));
