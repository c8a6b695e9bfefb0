import { AppError } from '../../errors';

/** Channel node ids: `ch:<device_id>:<channel_id>` (HOLO channel ids are 0–999, GB 20 digits). */
export const channelNodeId = (deviceId: string, channelId: string) => `ch:${deviceId}:${channelId}`;

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

/**
 * §17.2 `encode_type` of the stream a pane plays (`stream_type` 0 main, 1 the first sub stream)
 * → its codec; unknown for anything else (MJPEG, a stream the channel does not list).
 */
export function codecOfStreamDetail(
  detail: { stream_info: Array<{ stream_type: number; encode_type: string }> },
  stream: 'main' | 'sub',
): 'h264' | 'h265' | undefined {
  const e = detail.stream_info.find((s) => s.stream_type === (stream === 'main' ? 0 : 1))?.encode_type;
  const norm = e?.replace(/[.\s]/g, '').toUpperCase();
  return norm === 'H265' ? 'h265' : norm === 'H264' ? 'h264' : undefined;
}
