import type { PtzCommand } from '../../../preload/contract';
import {
  CommandPacer,
  pressedActions,
  readSticks,
  type GamepadAction,
  type GamepadFrame,
  type GamepadMapping,
} from '../../model/gamepad-mapping';

export interface Camera {
  accountId: string;
  channelId: string;
}

/** What the poller needs of its owner (the wall): the pads, the camera to steer, and the doors to act. */
export interface GamepadPollerDeps {
  /** `navigator.getGamepads()` (stubbed in tests). */
  getGamepads(): ReadonlyArray<(GamepadFrame & { id: string; mapping: string; connected: boolean }) | null>;
  mappingFor(pad: { id: string; mapping: string }): GamepadMapping;
  now(): number;
  /** The selected pane's camera, or null (an empty pane or no PTZ). */
  target(): Camera | null;
  /** The PTZ pad's path: main takes the control lock with the first command. */
  send(camera: Camera, command: PtzCommand, speed: number): Promise<void>;
  /** Gives the control lock back. */
  release(camera: Camera): Promise<void>;
  act(action: GamepadAction): void;
  /** A command refused (a lock another client holds, a camera without PTZ): said once per steering. */
  refused(message: string): void;
}

/** A quiet second after the stick came to rest gives the control lock back. */
const QUIET_MS = 1000;

/**
 * Reads joysticks and gamepads through the Gamepad API and steers the selected pane's camera with
 * them. Owned by the wall: created when it mounts, `stop()`ped when it unmounts. Each pad's
 * pan/tilt and zoom are paced (gamepad-mapping.ts) so a stick costs one command per change; the
 * lock is held while a stick moves and given back after a quiet second; buttons act once per press.
 * Polled on a timer rather than animation frames, which stop in a hidden window while a stick is held.
 */
export class GamepadPoller {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly pads = new Map<
    string,
    { buttons: boolean[]; move: CommandPacer<unknown>; zoom: CommandPacer<unknown> }
  >();
  /** The camera being steered and when a stick last moved it. */
  private steering: { camera: Camera; lastMove: number } | null = null;
  private complained = false;

  constructor(private readonly deps: GamepadPollerDeps) {}

  start(intervalMs = 50): void {
    if (!this.timer) this.timer = setInterval(() => this.poll(), intervalMs);
  }

  /** Stops polling; a camera still moving is stopped and its lock given back. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.steering) this.finish(true);
  }

  poll(): void {
    const now = this.deps.now();
    const target = this.deps.target();
    // The selection moved while steering: the old camera stops and is given back first.
    if (this.steering && !same(this.steering.camera, target)) this.finish(true);
    let moving = false;
    for (const pad of this.deps.getGamepads()) {
      if (!pad?.connected) continue;
      const key = `${pad.id}`;
      let state = this.pads.get(key);
      if (!state) this.pads.set(key, (state = { buttons: [], move: new CommandPacer(), zoom: new CommandPacer() }));
      const mapping = this.deps.mappingFor(pad);
      const sticks = readSticks(pad, mapping);
      for (const action of pressedActions(state.buttons, pad, mapping)) this.deps.act(action);
      state.buttons = pad.buttons.map((b) => b.pressed);
      if (!target) continue;
      for (const [pacer, asked] of [
        [state.move, sticks.move],
        [state.zoom, sticks.zoom],
      ] as const) {
        const out = pacer.next(asked, asked ? `${asked.command}/${asked.speed}` : '', now);
        if (out !== undefined) this.command(target, asked ? asked.command : 'stop', asked?.speed ?? 1);
        if (pacer.moving) moving = true;
      }
    }
    if (moving && target) this.steering = { camera: target, lastMove: now };
    else if (this.steering && now - this.steering.lastMove >= QUIET_MS) this.finish(false);
  }

  private command(camera: Camera, command: PtzCommand, speed: number) {
    this.deps.send(camera, command, speed).catch((e: Error) => {
      if (this.complained) return;
      this.complained = true;
      this.deps.refused(e.message);
    });
  }

  /** Ends a steering: a stop first when a stick is still deflected, then the lock back. */
  private finish(stopFirst: boolean) {
    const { camera } = this.steering!;
    this.steering = null;
    this.complained = false;
    if (stopFirst)
      for (const state of this.pads.values()) {
        if (state.move.moving || state.zoom.moving) this.command(camera, 'stop', 1);
        state.move = new CommandPacer();
        state.zoom = new CommandPacer();
      }
    void this.deps.release(camera).catch(() => undefined);
  }
}

const same = (a: Camera, b: Camera | null) => !!b && a.accountId === b.accountId && a.channelId === b.channelId;
