import type { CruisePoint, CruiseState, PtzCommand } from '../../preload/contract';
import { AppError } from '../errors';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';

/**
 * PTZ of a channel: moves (and releasing the control), presets and cruise tracks. Every edit is
 * checked against the platform's documented limits and the channel's presets before it is sent,
 * and every write answers a fresh read, so the UI never shows something the platform does not have.
 */
export class PtzService {
  constructor(private readonly accounts: AccountsService) {}

  private async presetOps(accountId: string) {
    const platform = await this.accounts.platform(accountId);
    if (!platform.presets || !platform.capabilities.has('presets'))
      throw new AppError('NOT_AVAILABLE', 'This platform offers no PTZ presets');
    return platform.presets;
  }

  private async cruiseOps(accountId: string) {
    const platform = await this.accounts.platform(accountId);
    if (!platform.cruise || !platform.capabilities.has('cruise'))
      throw new AppError('NOT_AVAILABLE', 'This platform offers no cruise tracks');
    return platform.cruise;
  }

  async release(accountId: string, channelId: string): Promise<void> {
    const platform = await this.accounts.platform(accountId);
    await platform.releasePtz?.(channelId);
  }

  async move(accountId: string, channelId: string, command: PtzCommand, speed: number): Promise<void> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.ptz || !platform.capabilities.has('ptz'))
      throw new AppError('NOT_AVAILABLE', 'This platform offers no PTZ control');
    await platform.ptz(channelId, command, speed);
  }

  async presets(accountId: string, channelId: string) {
    const ops = await this.presetOps(accountId);
    return { presets: (await ops.list(channelId)).sort((a, b) => a.index - b.index), limits: ops.limits };
  }

  async goTo(accountId: string, channelId: string, index: number): Promise<void> {
    const ops = await this.presetOps(accountId);
    if (index < ops.limits.minIndex || index > ops.limits.maxIndex)
      throw new AppError('VALIDATION', `Preset numbers run from ${ops.limits.minIndex} to ${ops.limits.maxIndex}`);
    await ops.goTo(channelId, index);
  }

  /** Stores the current position at `index` or the lowest free slot, then answers the fresh list. */
  async save(accountId: string, channelId: string, name: string, index?: number) {
    const ops = await this.presetOps(accountId);
    const existing = await ops.list(channelId);
    const used = new Set(existing.map((p) => p.index));
    let slot = index;
    if (slot === undefined) for (slot = ops.limits.minIndex; used.has(slot) && slot <= ops.limits.maxIndex; slot++);
    if (slot < ops.limits.minIndex || slot > ops.limits.maxIndex) {
      throw new AppError(
        'VALIDATION',
        index === undefined
          ? `No free preset number between ${ops.limits.minIndex} and ${ops.limits.maxIndex}`
          : `Preset numbers run from ${ops.limits.minIndex} to ${ops.limits.maxIndex}`,
        {
          fields: {
            index: { key: 'validation.cruiseRange', message: `${ops.limits.minIndex}–${ops.limits.maxIndex}` },
          },
        },
      );
    }
    if (!used.has(slot) && existing.length >= ops.limits.maxCount)
      throw new AppError('VALIDATION', `This camera holds at most ${ops.limits.maxCount} presets`);
    await ops.set(channelId, slot, ops.limits.nameEditable ? name : undefined);
    return this.presets(accountId, channelId);
  }

  async rename(accountId: string, channelId: string, index: number, name: string) {
    const ops = await this.presetOps(accountId);
    if (!ops.limits.nameEditable || !ops.rename)
      throw new AppError('NOT_AVAILABLE', 'Presets on this platform have numbers, not names');
    await ops.rename(channelId, index, name);
    return this.presets(accountId, channelId);
  }

  async remove(accountId: string, channelId: string, index: number) {
    const ops = await this.presetOps(accountId);
    await ops.remove(channelId, index);
    return this.presets(accountId, channelId);
  }

  async tracks(accountId: string, channelId: string): Promise<CruiseState> {
    const ops = await this.cruiseOps(accountId);
    return { tracks: await ops.list(channelId), limits: ops.limits };
  }

  /** Checks names, ranges and presets; saves; restarts a running track so the device takes the change. */
  async saveTrack(accountId: string, channelId: string, track: { id?: number; name: string; points: CruisePoint[] }) {
    const ops = await this.cruiseOps(accountId);
    const presets = new Set((await this.presetOps(accountId).then((p) => p.list(channelId))).map((p) => p.index));
    const problems = trackProblems(track.points, ops.limits, presets);
    if (Object.keys(problems).length)
      throw new AppError('VALIDATION', 'Some points of the track are not valid', { fields: problems });
    const before = track.id === undefined ? undefined : (await ops.list(channelId)).find((t) => t.id === track.id);
    if (track.id !== undefined && !before)
      throw new AppError('NOT_FOUND', `Track ${track.id} no longer exists on the camera`);
    const id = await ops.save(channelId, track.id, { name: track.name, points: track.points });
    if (before?.running) {
      await ops.run(channelId, id, false);
      await ops.run(channelId, id, true);
    }
    return { id, state: await this.tracks(accountId, channelId) };
  }

  /** Stops a running track first (§15.12). */
  async removeTrack(accountId: string, channelId: string, id: number) {
    const ops = await this.cruiseOps(accountId);
    if ((await ops.list(channelId)).find((t) => t.id === id)?.running) await ops.run(channelId, id, false);
    await ops.remove(channelId, id);
    return this.tracks(accountId, channelId);
  }

  async runTrack(accountId: string, channelId: string, id: number, on: boolean) {
    const ops = await this.cruiseOps(accountId);
    await ops.run(channelId, id, on);
    return this.tracks(accountId, channelId);
  }

  /** Copies a track to another channel; presets the target lacks are reported, or skipped when asked. */
  async copyTrack(accountId: string, channelId: string, id: number, toChannelId: string, skipMissing = false) {
    if (toChannelId === channelId) throw new AppError('VALIDATION', 'Pick another camera to copy the track to');
    const ops = await this.cruiseOps(accountId);
    const track = (await ops.list(channelId)).find((t) => t.id === id);
    if (!track) throw new AppError('NOT_FOUND', `Track ${id} no longer exists on the camera`);
    const targetPresets = new Set((await (await this.presetOps(accountId)).list(toChannelId)).map((p) => p.index));
    const missing = [
      ...new Set(track.points.filter((p) => !targetPresets.has(p.presetIndex)).map((p) => p.presetIndex)),
    ].sort((a, b) => a - b);
    if (missing.length && !skipMissing) return { copied: false, id: null, missing };
    const points = track.points.filter((p) => targetPresets.has(p.presetIndex));
    if (!points.length) throw new AppError('VALIDATION', 'The other camera has none of this track’s presets');
    const newId = await ops.save(toChannelId, undefined, { name: track.name, points });
    return { copied: true, id: newId, missing };
  }
}

/** Per-point problems, keyed `points.<i>.<field>` like the contract's own validation. */
export function trackProblems(points: CruisePoint[], limits: CruiseState['limits'], presets: ReadonlySet<number>) {
  const fields: Record<string, { key: string; message: string }> = {};
  points.forEach((p, i) => {
    if (!presets.has(p.presetIndex))
      fields[`points.${i}.presetIndex`] = {
        key: 'validation.cruiseRange',
        message: `Preset ${p.presetIndex} does not exist on this camera`,
      };
    if (p.dwellSeconds < limits.minDwell || p.dwellSeconds > limits.maxDwell)
      fields[`points.${i}.dwellSeconds`] = {
        key: 'validation.cruiseRange',
        message: `Dwell time runs from ${limits.minDwell} to ${limits.maxDwell} s`,
      };
    if (p.speed < limits.minSpeed || p.speed > limits.maxSpeed)
      fields[`points.${i}.speed`] = {
        key: 'validation.cruiseRange',
        message: `Speed runs from ${limits.minSpeed} to ${limits.maxSpeed}`,
      };
  });
  return fields;
}

/** PTZ moves, presets and cruise tracks. */
export function ptzHandlers(ptz: PtzService): HandlerSlice {
  return {
    'ptz:command': async ({ accountId, channelId, command, speed }) => {
      await ptz.move(accountId, channelId, command, speed);
      return null;
    },
    'ptz:release': async ({ accountId, channelId }) => {
      await ptz.release(accountId, channelId);
      return null;
    },
    'presets:list': ({ accountId, channelId }) => ptz.presets(accountId, channelId),
    'presets:goto': async ({ accountId, channelId, index }) => {
      await ptz.goTo(accountId, channelId, index);
      return null;
    },
    'presets:save': ({ accountId, channelId, index, name }) => ptz.save(accountId, channelId, name, index),
    'presets:remove': ({ accountId, channelId, index }) => ptz.remove(accountId, channelId, index),
    'presets:rename': ({ accountId, channelId, index, name }) => ptz.rename(accountId, channelId, index, name),
    'cruise:list': ({ accountId, channelId }) => ptz.tracks(accountId, channelId),
    'cruise:save': ({ accountId, channelId, id, name, points }) =>
      ptz.saveTrack(accountId, channelId, { ...(id !== undefined ? { id } : {}), name, points }),
    'cruise:remove': ({ accountId, channelId, id }) => ptz.removeTrack(accountId, channelId, id),
    'cruise:run': ({ accountId, channelId, id, on }) => ptz.runTrack(accountId, channelId, id, on),
    'cruise:copy': ({ accountId, channelId, id, toChannelId, skipMissing }) =>
      ptz.copyTrack(accountId, channelId, id, toChannelId, skipMissing),
  };
}
