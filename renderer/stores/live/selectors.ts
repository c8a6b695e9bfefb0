import type { LiveState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The requests a live pane makes (stable: use with useShallow). */
export const selectLiveActions = (s: LiveState) => ({
  channelSource: s.channelSource,
  typedSource: s.typedSource,
  relayRate: s.relayRate,
  takeCameraShot: s.takeCameraShot,
});

/** The camera snapshot dialog. */
export const selectCameraShot = (s: LiveState) => ({ cameraShot: s.cameraShot, close: s.closeCameraShot });
