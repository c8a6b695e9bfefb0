/**
 * What makes a joystick or gamepad mapping usable: one rule, read by the Settings page as the
 * operator assigns axes and buttons, and by main before it keeps a mapping. No zod here, so the
 * renderer can import it as a value (the contract builds its schema on these bounds).
 */

/** What a button can do on the wall. */
export const GAMEPAD_ACTIONS = [
  'preset1',
  'preset2',
  'preset3',
  'preset4',
  'preset5',
  'preset6',
  'preset7',
  'preset8',
  'preset9',
  'nextPane',
  'previousPane',
  'layout',
  'snapshot',
  'instantReplay',
  'pinFullRate',
] as const;
export type GamepadActionName = (typeof GAMEPAD_ACTIONS)[number];

/** The Gamepad API reports up to a few dozen axes and buttons; more is a broken report, not a device. */
export const GAMEPAD_MAX_AXES = 16;
export const GAMEPAD_MAX_BUTTONS = 64;
/** Dead zone: a fraction of the stick's travel (half of it at most, or the stick barely moves the camera). */
export const GAMEPAD_DEAD_ZONE_MAX = 0.5;
/** Response curve exponent: 1 linear, up to 3 (very gentle near the centre). */
export const GAMEPAD_CURVE_MIN = 1;
export const GAMEPAD_CURVE_MAX = 3;
/** Devices whose mappings main keeps (a control room has a few; a bound keeps the file small). */
export const GAMEPAD_MAX_DEVICES = 32;
/** The Gamepad API's `id` (Chromium: name, vendor and product). */
export const GAMEPAD_ID_MAX = 256;

/** The fields of a mapping the rules read (the contract's `GamepadMapping` has them all). */
export interface GamepadMappingFields {
  pan: { index: number };
  tilt: { index: number };
  zoom: { axis: { index: number } } | { buttons: readonly [number, number] } | null;
  buttons: Readonly<Record<string, string>>;
}

export type GamepadProblem = 'panTiltSameAxis' | 'zoomAxisTaken' | 'zoomButtonsSame' | 'zoomButtonTaken';

/** Each problem: where the page shows it and the English text main answers (the renderer translates the key). */
export const GAMEPAD_PROBLEMS: Record<GamepadProblem, { field: 'tilt' | 'zoom'; message: string }> = {
  panTiltSameAxis: { field: 'tilt', message: 'Pan and tilt cannot share one axis' },
  zoomAxisTaken: { field: 'zoom', message: 'The zoom axis already pans or tilts' },
  zoomButtonsSame: { field: 'zoom', message: 'Zoom in and zoom out need two different buttons' },
  zoomButtonTaken: { field: 'zoom', message: 'A zoom button also has an action: give it one or the other' },
};

/** Every problem of a mapping, in the order the page shows them; none: it may be kept. */
export function gamepadMappingProblems(m: GamepadMappingFields): GamepadProblem[] {
  const out: GamepadProblem[] = [];
  if (m.pan.index === m.tilt.index) out.push('panTiltSameAxis');
  if (m.zoom && 'axis' in m.zoom && (m.zoom.axis.index === m.pan.index || m.zoom.axis.index === m.tilt.index))
    out.push('zoomAxisTaken');
  if (m.zoom && 'buttons' in m.zoom) {
    const [zin, zout] = m.zoom.buttons;
    if (zin === zout) out.push('zoomButtonsSame');
    if (m.buttons[String(zin)] || m.buttons[String(zout)]) out.push('zoomButtonTaken');
  }
  return out;
}

/** The problems as one English sentence (main's error message). */
export function gamepadProblemText(problems: readonly GamepadProblem[]): string {
  return problems.map((p) => GAMEPAD_PROBLEMS[p].message).join('; ');
}
