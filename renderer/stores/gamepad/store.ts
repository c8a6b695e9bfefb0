import { create } from 'zustand';
import type { GamepadMapping, GamepadMappings } from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';
import { mappingForDevice } from '../../model/gamepad-mapping';

/**
 * The joystick and gamepad mappings main keeps per device id: read by the wall's poller (a device
 * without one steers with its ready-made mapping) and edited on the Settings page. Kept current by
 * `main:gamepads`, so a mapping saved in one window steers in every other at once.
 */
export interface GamepadsState {
  /** Device id → its kept mapping. */
  kept: Record<string, GamepadMapping>;
  loaded: boolean;
  /** A request to main under way. */
  busy: 'load' | 'save' | 'forget' | null;
  /** The last request's failure (a refused mapping says why). */
  error: VigilError | null;
  load(): Promise<void>;
  /** Keeps `mapping` for the device; false when main refused it (see `error`). */
  save(deviceId: string, mapping: GamepadMapping): Promise<boolean>;
  /** Back to the device's ready-made mapping. */
  forget(deviceId: string): Promise<boolean>;
  /** Follows main's changes while a wall or the Settings page is shown; returns the unsubscribe. */
  listen(): () => void;
}

const byDevice = (answer: GamepadMappings) =>
  Object.fromEntries(answer.mappings.map((g) => [g.deviceId, g.mapping])) as Record<string, GamepadMapping>;

export const useGamepadsStore = create<GamepadsState>()((set) => {
  const run = async (busy: NonNullable<GamepadsState['busy']>, call: () => Promise<GamepadMappings>) => {
    set({ busy, error: null });
    try {
      set({ kept: byDevice(await call()), loaded: true, busy: null });
      return true;
    } catch (e) {
      set({ error: e as VigilError, busy: null });
      return false;
    }
  };
  return {
    kept: {},
    loaded: false,
    busy: null,
    error: null,
    load: async () => void (await run('load', () => invoke('gamepads:list', {}))),
    save: (deviceId, mapping) => run('save', () => invoke('gamepads:save', { deviceId, mapping })),
    forget: (deviceId) => run('forget', () => invoke('gamepads:forget', { deviceId })),
    listen: () => on('main:gamepads', (answer) => set({ kept: byDevice(answer), loaded: true })),
  };
});

/** The mapping a device steers with now (read by the poller on every poll: no re-render involved). */
export const mappingNow = (pad: { id: string; mapping: string }): GamepadMapping =>
  mappingForDevice(useGamepadsStore.getState().kept, pad);

export const selectGamepads = (s: GamepadsState) => ({
  kept: s.kept,
  loaded: s.loaded,
  busy: s.busy,
  error: s.error,
});
