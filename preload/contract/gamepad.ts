import { z } from 'zod';
import {
  GAMEPAD_ACTIONS,
  GAMEPAD_CURVE_MAX,
  GAMEPAD_CURVE_MIN,
  GAMEPAD_DEAD_ZONE_MAX,
  GAMEPAD_ID_MAX,
  GAMEPAD_MAX_AXES,
  GAMEPAD_MAX_BUTTONS,
  GAMEPAD_MAX_DEVICES,
  GAMEPAD_PROBLEMS,
  gamepadMappingProblems,
} from '../../common/gamepad-rules';

export * from '../../common/gamepad-rules';

/**
 * Joystick and gamepad mappings (issue 57): which axis pans, tilts and zooms, the dead zone and
 * curve, and what each button does. Main keeps one per device (the Gamepad API's `id`) in the
 * settings file; a device without one uses its ready-made mapping (renderer/model/gamepad-mapping).
 */
export const GamepadAction = z.enum(GAMEPAD_ACTIONS);
export type GamepadAction = z.infer<typeof GamepadAction>;

export const AxisBinding = z
  .object({
    index: z
      .number()
      .int()
      .min(0)
      .max(GAMEPAD_MAX_AXES - 1),
    /** Pushing a stick forward reads −1 on most devices: tilt is inverted so forward tilts up. */
    invert: z.boolean().optional(),
  })
  .strict();
export type AxisBinding = z.infer<typeof AxisBinding>;

const ButtonIndex = z
  .number()
  .int()
  .min(0)
  .max(GAMEPAD_MAX_BUTTONS - 1);

/** A third axis or twist; or two buttons (a gamepad's triggers, read by how far they are pressed) for in and out. */
export const GamepadZoom = z.union([
  z.object({ axis: AxisBinding }).strict(),
  z.object({ buttons: z.tuple([ButtonIndex, ButtonIndex]) }).strict(),
]);

export const GamepadMapping = z
  .object({
    pan: AxisBinding,
    tilt: AxisBinding,
    zoom: GamepadZoom.nullable(),
    /** Deflection under this fraction is the stick at rest. */
    deadZone: z.number().min(0).max(GAMEPAD_DEAD_ZONE_MAX),
    /** Response curve exponent (1 linear; 2 gentle near the centre, full at the edge). */
    curve: z.number().min(GAMEPAD_CURVE_MIN).max(GAMEPAD_CURVE_MAX),
    /** Button index (as a JSON key) → action. */
    buttons: z.record(z.string().regex(/^(0|[1-9]\d?)$/), GamepadAction),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const key of Object.keys(m.buttons))
      if (Number(key) >= GAMEPAD_MAX_BUTTONS)
        ctx.addIssue({ code: 'custom', path: ['buttons', key], message: `No gamepad has button ${key}` });
    for (const p of gamepadMappingProblems(m))
      ctx.addIssue({ code: 'custom', path: [GAMEPAD_PROBLEMS[p].field], message: GAMEPAD_PROBLEMS[p].message });
  });
export type GamepadMapping = z.infer<typeof GamepadMapping>;

export const GamepadDeviceId = z.string().trim().min(1).max(GAMEPAD_ID_MAX);

/** One device's mapping as main keeps it. */
export const StoredGamepadMapping = z
  .object({
    deviceId: GamepadDeviceId,
    mapping: GamepadMapping,
    savedAt: z.string().max(40),
  })
  .strict();
export type StoredGamepadMapping = z.infer<typeof StoredGamepadMapping>;

export const GamepadMappings = z.object({ mappings: z.array(StoredGamepadMapping).max(GAMEPAD_MAX_DEVICES) });
export type GamepadMappings = z.infer<typeof GamepadMappings>;

export const GamepadSaveRequest = z.object({ deviceId: GamepadDeviceId, mapping: GamepadMapping }).strict();
/** Forgets a device's mapping: it goes back to its ready-made one. */
export const GamepadForgetRequest = z.object({ deviceId: GamepadDeviceId }).strict();
