import type { PtzCommand } from '../../preload/contract';

/** The eight directions, counter-clockwise from "right", 45° apart. */
const sectors: PtzCommand[] = ['right', 'upright', 'up', 'upleft', 'left', 'downleft', 'down', 'downright'];

/**
 * The PTZ move for a joystick knob pulled (dx, dy) pixels from its centre (screen y grows down):
 * the nearest of eight directions, and a speed 1–8 that grows with the distance. Inside the dead
 * zone (15 % of the radius) the camera stays still, so a click does not nudge it.
 */
export function joystickMove(dx: number, dy: number, radius: number): { command: PtzCommand; speed: number } | null {
  const dead = radius * 0.15;
  const distance = Math.hypot(dx, dy);
  if (!(radius > 0) || distance < dead) return null;
  const sector = Math.round(Math.atan2(-dy, dx) / (Math.PI / 4));
  const command = sectors[(sector + 8) % 8]!;
  const reach = Math.min(1, (distance - dead) / (radius - dead));
  return { command, speed: Math.max(1, Math.ceil(reach * 8)) };
}
