import type { WallSlice } from './types';

/** The PTZ speed of the pad and the keyboard, 1–8, shared by every pane. */
export interface PtzSlice {
  ptzSpeed: number;
  setPtzSpeed(speed: number): void;
}

export const ptzSlice: WallSlice<PtzSlice> = (set) => ({
  ptzSpeed: 4,
  setPtzSpeed(speed) {
    set({ ptzSpeed: Math.min(8, Math.max(1, Math.round(speed))) });
  },
});
