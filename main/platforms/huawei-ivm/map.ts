import { AppError } from '../../errors';

/** Channel node ids: `ch:<device_id>:<channel_id>` (HOLO channel ids are 0–999, GB 20 digits). */
export function parseChannel(nodeId: string): { deviceId: string; channelId: string } {
  const [kind, deviceId, channelId] = nodeId.split(':');
  if (kind !== 'ch' || !deviceId || channelId === undefined || channelId === '')
    throw new AppError('VALIDATION', `Not a Huawei IVM channel: ${nodeId}`);
  return { deviceId, channelId };
}

/** Device node ids: `dev:<device_id>`. */
export function parseDevice(nodeId: string): string {
  const [kind, deviceId] = nodeId.split(':');
  if (kind !== 'dev' || !deviceId) throw new AppError('VALIDATION', `Not a Huawei IVM device: ${nodeId}`);
  return deviceId;
}
