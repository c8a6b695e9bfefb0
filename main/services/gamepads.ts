import {
  GAMEPAD_MAX_DEVICES,
  type GamepadMapping,
  type GamepadMappings,
  type StoredGamepadMapping,
} from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import type { HandlerSlice } from '../ipc/handlers';
import type { Settings } from '../settings/settings';

/**
 * Joystick and gamepad mappings, one per device id, in the settings file (written atomically by
 * its engine, validated by the contract's schema and gamepad-rules). Every window hears a change,
 * so a wall in another window steers with the new mapping at once.
 */
export class GamepadMappingService {
  constructor(
    private readonly settings: Settings,
    private readonly events: EventBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): GamepadMappings {
    return { mappings: this.settings.get().gamepads };
  }

  save(deviceId: string, mapping: GamepadMapping): GamepadMappings {
    const entry: StoredGamepadMapping = { deviceId, mapping, savedAt: this.now().toISOString() };
    this.settings.update((s) => {
      const known = s.gamepads.some((g) => g.deviceId === deviceId);
      if (!known && s.gamepads.length >= GAMEPAD_MAX_DEVICES)
        throw new AppError(
          'VALIDATION',
          `Mappings are kept for at most ${GAMEPAD_MAX_DEVICES} devices; reset one to its ready-made mapping first`,
        );
      return {
        ...s,
        gamepads: known ? s.gamepads.map((g) => (g.deviceId === deviceId ? entry : g)) : [...s.gamepads, entry],
      };
    });
    return this.changed();
  }

  /** The device goes back to its ready-made mapping (nothing kept: not an error). */
  forget(deviceId: string): GamepadMappings {
    if (!this.settings.get().gamepads.some((g) => g.deviceId === deviceId)) return this.list();
    this.settings.update((s) => ({ ...s, gamepads: s.gamepads.filter((g) => g.deviceId !== deviceId) }));
    return this.changed();
  }

  private changed(): GamepadMappings {
    const now = this.list();
    this.events.emit('main:gamepads', now);
    return now;
  }
}

export function gamepadHandlers(gamepads: GamepadMappingService): HandlerSlice {
  return {
    'gamepads:list': () => gamepads.list(),
    'gamepads:save': ({ deviceId, mapping }) => gamepads.save(deviceId, mapping),
    'gamepads:forget': ({ deviceId }) => gamepads.forget(deviceId),
  };
}
