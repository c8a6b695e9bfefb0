import type { LibraryLimits, NewTarget, TargetAttributes } from '../../preload/contract';
import { AppError } from '../errors';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';

/**
 * Target libraries (watch lists) on devices: groups and targets. Pictures and batch sizes are
 * checked against the device's documented limits before anything is sent; every group edit
 * answers the re-read library, so the editor shows what the device holds.
 */
export class TargetsService {
  constructor(private readonly accounts: AccountsService) {}

  private async ops(accountId: string) {
    const platform = await this.accounts.platform(accountId);
    if (!platform.targetLibrary || !platform.capabilities.has('targets'))
      throw new AppError('NOT_AVAILABLE', 'This platform offers no target libraries');
    return platform.targetLibrary;
  }

  async scopes(accountId: string) {
    return { scopes: await (await this.ops(accountId)).scopes() };
  }

  async state(accountId: string, deviceId: string) {
    return (await this.ops(accountId)).state(deviceId);
  }

  async createGroup(accountId: string, deviceId: string, name: string, type?: string) {
    const ops = await this.ops(accountId);
    const before = await ops.state(deviceId);
    if (before.maxGroups !== -1 && before.groups.length >= before.maxGroups)
      throw new AppError('VALIDATION', `This device holds at most ${before.maxGroups} groups`);
    // Only IVS1800 and direct-connected SDC forbid repeated names (§14.2); NVR800 and VCS allow them.
    const unique = before.family === 'SDC' || before.family === 'IVS1800';
    if (unique && before.groups.some((g) => g.name === name))
      throw new AppError('VALIDATION', `A group named “${name}” exists on this device`);
    await ops.createGroup(deviceId, name, type);
    return ops.state(deviceId);
  }

  async updateGroup(accountId: string, deviceId: string, groupId: string, name: string, enabled: boolean) {
    const ops = await this.ops(accountId);
    const group = (await ops.state(deviceId)).groups.find((g) => g.id === groupId);
    if (!group) throw new AppError('NOT_FOUND', `Group ${groupId} no longer exists on this device`);
    if (group.fixed && name !== group.name)
      throw new AppError('VALIDATION', 'This group is fixed: its name cannot change');
    if (group.enabled === false && enabled && group.count === 0)
      throw new AppError('VALIDATION', 'An empty group cannot be enabled: add targets first');
    await ops.updateGroup(deviceId, groupId, name, enabled);
    return ops.state(deviceId);
  }

  async deleteGroup(accountId: string, deviceId: string, groupId: string) {
    const ops = await this.ops(accountId);
    const state = await ops.state(deviceId);
    const group = state.groups.find((g) => g.id === groupId);
    if (!group) throw new AppError('NOT_FOUND', `Group ${groupId} no longer exists on this device`);
    if (group.builtin) throw new AppError('VALIDATION', 'Built-in groups cannot be deleted');
    if (state.family === 'SDC' && group.count > 0)
      throw new AppError('VALIDATION', `Cameras delete only empty groups: delete its ${group.count} targets first`);
    await ops.deleteGroup(deviceId, groupId);
    return ops.state(deviceId);
  }

  async targets(accountId: string, deviceId: string, groupId: string, start: number, count: number) {
    return (await this.ops(accountId)).targets(deviceId, groupId, start, count);
  }

  async picture(accountId: string, deviceId: string, groupId: string, id: string) {
    return { picture: await (await this.ops(accountId)).picture(deviceId, groupId, id) };
  }

  async add(accountId: string, deviceId: string, groupId: string, targets: NewTarget[]) {
    const ops = await this.ops(accountId);
    if (!ops.add)
      throw new AppError('NOT_AVAILABLE', 'This platform does not add items to watch lists through its API');
    const { limits } = await ops.state(deviceId);
    if (targets.length > limits.batch)
      throw new AppError('VALIDATION', `This device takes ${limits.batch} target(s) per call`);
    checkPictures(
      targets.map((t) => t.picture),
      limits,
    );
    return { results: await ops.add(deviceId, groupId, targets) };
  }

  async update(
    accountId: string,
    deviceId: string,
    groupId: string,
    target: TargetAttributes & { id: string; picture?: string },
  ) {
    const ops = await this.ops(accountId);
    if (!ops.update)
      throw new AppError('NOT_AVAILABLE', 'This platform does not edit watch-list items through its API');
    if (target.picture) checkPictures([target.picture], (await ops.state(deviceId)).limits);
    return ops.update(deviceId, groupId, target);
  }

  async remove(accountId: string, deviceId: string, groupId: string, ids: string[]) {
    return { results: await (await this.ops(accountId)).remove(deviceId, groupId, ids) };
  }
}

/** §14.0.6: PNG or JPEG, within the per-picture bytes and pixels and the per-call total. */
export function checkPictures(pictures: string[], limits: LibraryLimits): void {
  let total = 0;
  pictures.forEach((b64, i) => {
    const bytes = Buffer.from(b64, 'base64');
    total += bytes.length;
    const where = pictures.length > 1 ? ` (picture ${i + 1})` : '';
    const size = imageSize(bytes);
    if (!size) throw new AppError('VALIDATION', `Pictures must be PNG or JPEG${where}`);
    if (bytes.length > limits.maxImageBytes)
      throw new AppError(
        'VALIDATION',
        `Pictures must be at most ${Math.round(limits.maxImageBytes / 1024)} KB${where}`,
      );
    if (size.width > limits.maxImageSide || size.height > limits.maxImageSide)
      throw new AppError(
        'VALIDATION',
        `Pictures must be at most ${limits.maxImageSide}×${limits.maxImageSide} pixels${where}`,
      );
  });
  if (limits.batchImageBytes !== null && total > limits.batchImageBytes)
    throw new AppError(
      'VALIDATION',
      `The pictures of one call must total at most ${Math.round(limits.batchImageBytes / 1024)} KB`,
    );
}

/** Width and height from a PNG IHDR or a JPEG SOFn segment; null for anything else. */
export function imageSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('latin1', 12, 16) === 'IHDR')
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  for (let i = 2; i + 9 < bytes.length; ) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd8) || marker === 0x01) {
      i += 2; // markers without a length
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  return null;
}

/** The target library: groups and their targets. */
export function targetsHandlers(library: TargetsService): HandlerSlice {
  return {
    'targets:scopes': ({ accountId }) => library.scopes(accountId),
    'targets:groups': ({ accountId, deviceId }) => library.state(accountId, deviceId),
    'targets:createGroup': ({ accountId, deviceId, name, type }) =>
      library.createGroup(accountId, deviceId, name, type),
    'targets:updateGroup': ({ accountId, deviceId, groupId, name, enabled }) =>
      library.updateGroup(accountId, deviceId, groupId, name, enabled),
    'targets:deleteGroup': ({ accountId, deviceId, groupId }) => library.deleteGroup(accountId, deviceId, groupId),
    'targets:list': ({ accountId, deviceId, groupId, start, count }) =>
      library.targets(accountId, deviceId, groupId, start, count),
    'targets:picture': ({ accountId, deviceId, groupId, id }) => library.picture(accountId, deviceId, groupId, id),
    'targets:add': ({ accountId, deviceId, groupId, targets }) => library.add(accountId, deviceId, groupId, targets),
    'targets:update': ({ accountId, deviceId, groupId, target }) =>
      library.update(accountId, deviceId, groupId, target),
    'targets:delete': ({ accountId, deviceId, groupId, ids }) => library.remove(accountId, deviceId, groupId, ids),
  };
}
