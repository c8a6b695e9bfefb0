import type { AxisBinding, GamepadAction, GamepadMapping, PtzCommand } from '../../preload/contract';

/**
 * Joysticks and gamepads as PTZ controls, pure: which axis pans, tilts and zooms, the dead zone
 * and response curve that turn a stick's deflection into a speed 1–8, which button does what,
 * and the pacing that keeps a stick from flooding the platform with commands. The poller reads
 * the Gamepad API; everything it decides is here, so it is tested without a device.
 */

export type { AxisBinding, GamepadAction, GamepadMapping } from '../../preload/contract';

/** The W3C "standard" gamepad: left stick pans and tilts, triggers zoom, face and shoulder buttons act. */
export const STANDARD_GAMEPAD: GamepadMapping = {
  pan: { index: 0 },
  tilt: { index: 1, invert: true },
  zoom: { buttons: [7, 6] },
  deadZone: 0.15,
  curve: 2,
  buttons: {
    0: 'preset1',
    1: 'preset2',
    2: 'preset3',
    3: 'preset4',
    4: 'previousPane',
    5: 'nextPane',
    8: 'layout',
    9: 'snapshot',
    10: 'instantReplay',
    11: 'pinFullRate',
    12: 'preset5',
    13: 'preset6',
    14: 'preset7',
    15: 'preset8',
    16: 'preset9',
  },
};

/** A three-axis PTZ keyboard joystick: X pans, Y tilts, twist (axis 2) zooms; buttons 1–9 are presets. */
export const PTZ_JOYSTICK: GamepadMapping = {
  pan: { index: 0 },
  tilt: { index: 1, invert: true },
  zoom: { axis: { index: 2, invert: true } },
  deadZone: 0.1,
  curve: 1.6,
  buttons: {
    0: 'preset1',
    1: 'preset2',
    2: 'preset3',
    3: 'preset4',
    4: 'preset5',
    5: 'preset6',
    6: 'preset7',
    7: 'preset8',
    8: 'preset9',
    9: 'previousPane',
    10: 'nextPane',
    11: 'snapshot',
    12: 'instantReplay',
    13: 'pinFullRate',
    14: 'layout',
  },
};

/** The ready-made mappings the Settings page offers to start from. */
export const READY_MADE = { standard: STANDARD_GAMEPAD, joystick: PTZ_JOYSTICK } as const;
export type ReadyMade = keyof typeof READY_MADE;

/** The ready-made mapping for a device: the standard layout when the browser recognises one, else the joystick's. */
export function defaultMapping(mapping: string): GamepadMapping {
  return mapping === 'standard' ? STANDARD_GAMEPAD : PTZ_JOYSTICK;
}

/** The mapping a device steers with: the one main keeps for its id, else its ready-made one. */
export function mappingForDevice(
  kept: Readonly<Record<string, GamepadMapping>>,
  pad: { id: string; mapping: string },
): GamepadMapping {
  return (Object.hasOwn(kept, pad.id.trim()) ? kept[pad.id.trim()] : undefined) ?? defaultMapping(pad.mapping);
}

/** Which ready-made mapping a mapping is, if it is one (the page says "ready-made: standard gamepad"). */
export function readyMadeOf(m: GamepadMapping): ReadyMade | null {
  const same = (a: unknown, b: unknown) => JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));
  for (const [name, ready] of Object.entries(READY_MADE)) if (same(m, ready)) return name as ReadyMade;
  return null;
}

/** Keys sorted and `invert: false` dropped, so equal mappings compare equal whatever their history. */
function normalised(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalised);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k, x]) => !(k === 'invert' && x === false))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, normalised(x)]),
    );
  return v;
}

/** A copy with `button` doing `action` (null: nothing); another button with that action keeps it. */
export function assignButton(m: GamepadMapping, button: number, action: GamepadAction | null): GamepadMapping {
  const buttons = { ...m.buttons };
  if (action) buttons[String(button)] = action;
  else delete buttons[String(button)];
  return { ...m, buttons };
}

/** The device's name without the browser's vendor/product suffix (Chromium: "Name (STANDARD GAMEPAD Vendor: 045e Product: 028e)"). */
export function deviceName(id: string): string {
  const name = id.replace(/\s*\((?:STANDARD GAMEPAD\s*)?Vendor: [0-9a-f]{4} Product: [0-9a-f]{4}\)\s*$/i, '').trim();
  return name || id;
}

/**
 * A deflection (−1…1) through the dead zone and the curve: 0 inside the dead zone, then rescaled
 * so the speed starts from nothing at its edge, raised to `curve`, the sign kept.
 */
export function shape(value: number, deadZone: number, curve: number): number {
  const v = Number.isFinite(value) ? Math.max(-1, Math.min(1, value)) : 0;
  const dz = Math.max(0, Math.min(0.5, deadZone));
  const mag = Math.abs(v);
  if (mag <= dz) return 0;
  return Math.sign(v) * ((mag - dz) / (1 - dz)) ** Math.max(0.2, curve);
}

/** 0…1 → the contract's speed 1…8 (anything above zero moves at least at 1). */
export const speedOf = (magnitude: number) => Math.max(1, Math.min(8, Math.ceil(magnitude * 8)));

const sectors: PtzCommand[] = ['right', 'upright', 'up', 'upleft', 'left', 'downleft', 'down', 'downright'];

export interface GamepadFrame {
  axes: readonly number[];
  buttons: ReadonlyArray<{ pressed: boolean; value: number }>;
}

export interface StickState {
  /** Pan/tilt: the nearest of eight directions and its speed, or null at rest. */
  move: { command: PtzCommand; speed: number } | null;
  zoom: { command: 'zoomin' | 'zoomout'; speed: number } | null;
}

const axis = (frame: GamepadFrame, b: AxisBinding) => (frame.axes[b.index] ?? 0) * (b.invert ? -1 : 1);

/** What the sticks ask for in one frame (screen convention: tilt positive is up). */
export function readSticks(frame: GamepadFrame, m: GamepadMapping): StickState {
  const x = shape(axis(frame, m.pan), m.deadZone, m.curve);
  const y = shape(axis(frame, m.tilt), m.deadZone, m.curve);
  const mag = Math.min(1, Math.hypot(x, y));
  const move =
    mag > 0 ? { command: sectors[(Math.round(Math.atan2(y, x) / (Math.PI / 4)) + 8) % 8]!, speed: speedOf(mag) } : null;
  let z = 0;
  if (m.zoom && 'axis' in m.zoom) z = shape(axis(frame, m.zoom.axis), m.deadZone, m.curve);
  else if (m.zoom) {
    const press = (i: number) => shape(frame.buttons[i]?.value ?? (frame.buttons[i]?.pressed ? 1 : 0), m.deadZone, 1);
    z = press(m.zoom.buttons[0]) - press(m.zoom.buttons[1]);
  }
  const zoom =
    z === 0 ? null : { command: z > 0 ? ('zoomin' as const) : ('zoomout' as const), speed: speedOf(Math.abs(z)) };
  return { move, zoom };
}

/** Buttons that went down since the previous frame, as their actions (a held button acts once). */
export function pressedActions(before: readonly boolean[], frame: GamepadFrame, m: GamepadMapping): GamepadAction[] {
  const out: GamepadAction[] = [];
  frame.buttons.forEach((b, i) => {
    const action = m.buttons[i];
    if (action && b.pressed && !before[i]) out.push(action);
  });
  return out;
}

/** The preset a preset action goes to (1–9), or null. */
export function presetOf(action: GamepadAction): number | null {
  const m = /^preset([1-9])$/.exec(action);
  return m ? Number(m[1]) : null;
}

/**
 * Pacing of one control (pan/tilt, or zoom): a command goes out when what the stick asks changes
 * (direction, speed, start or stop), never closer than `spacingMs` to the last one; a change
 * inside that gap is sent when the gap ends, if it still stands. A held move is said again every
 * `repeatMs`, as the pad and the arrow keys repeat theirs. So a stick swept across its range costs
 * at most one command per 100 ms, a stick held still one per 400 ms, a stick at rest none.
 */
export class CommandPacer<T> {
  private sent: string | null = null;
  private at = -Infinity;

  constructor(
    private readonly spacingMs = 100,
    private readonly repeatMs = 400,
  ) {}

  /** The command to send now for what is asked (`key` identifies it; null = at rest), or undefined for nothing. */
  next(asked: T | null, key: string, nowMs: number): T | null | undefined {
    const k = asked === null ? '' : key;
    const same = k === (this.sent ?? '');
    if (same && !(k && nowMs - this.at >= this.repeatMs)) return undefined;
    if (nowMs - this.at < this.spacingMs) return undefined;
    this.sent = k;
    this.at = nowMs;
    return asked;
  }

  /** Whether the control is moving the camera (its last command was not a stop). */
  get moving(): boolean {
    return !!this.sent;
  }
}
