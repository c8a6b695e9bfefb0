import { z } from 'zod';
import type { IvmClient } from './client';

/**
 * Huawei IVM chapter 17 (HOLO channels): what each stream's encoder can do (17.1), its current
 * settings (17.2) and a write of the whole structure (17.3). Frame rates arrive as strings in
 * the examples and as integers in the tables (F.13): both read as numbers.
 */
const int = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const Resolution = z.looseObject({
  type: z.string(),
  frame_rate: z.array(int).default([]),
  bit_rate: z
    .looseObject({
      support: z.boolean().optional(),
      begin: int.optional(),
      end: int.optional(),
      default: int.optional(),
    })
    .optional(),
});
const StreamAbility = z.looseObject({
  stream_type: int,
  encode_mode: z.array(z.looseObject({ type: z.string(), resolution: z.array(Resolution).default([]) })).default([]),
});
export const Ability = z.looseObject({
  abilities: z
    .array(
      z.looseObject({
        stream_count: int.optional(),
        max_frame_rate: int,
        stream_info: z.array(StreamAbility).default([]),
      }),
    )
    .default([]),
});
export type Ability = z.infer<typeof Ability>;

/** 17.2 settings; unknown fields are kept so a write sends back what it read. */
export const StreamSetting = z.looseObject({
  stream_type: int,
  encode_type: z.string(),
  resolution: z.string().optional(),
  frame_rate: int.optional(),
  bit_rate_type: int.optional(),
  bit_rate: int.optional(),
  i_frame_interval: int.optional(),
  profile: int.optional(),
});
export const Detail = z.looseObject({
  stream_num: int,
  max_frame_rate: int,
  stream_info: z.array(StreamSetting).default([]),
});
export type Detail = z.infer<typeof Detail>;

const path = (deviceId: string, channelId: string): `/v1/${string}` =>
  `/v1/devices/${encodeURIComponent(deviceId)}/channels/${encodeURIComponent(channelId)}`;

export class IvmStreamApi {
  constructor(private readonly client: IvmClient) {}

  ability(deviceId: string, channelId: string) {
    return this.client.call(Ability, {
      method: 'GET',
      path: `${path(deviceId, channelId)}/stream-ability`,
      what: 'stream capabilities',
    });
  }

  detail(deviceId: string, channelId: string, o: { retries?: number; timeoutMs?: number } = {}) {
    return this.client.call(Detail, {
      method: 'GET',
      path: `${path(deviceId, channelId)}/stream-detail`,
      what: 'stream settings',
      ...o,
    });
  }

  /** 17.3 takes the whole structure; `definition` is a read-only label and is not sent. */
  async setDetail(deviceId: string, channelId: string, detail: Detail) {
    const body = { ...detail, stream_info: detail.stream_info.map(({ definition: _label, ...s }) => s) };
    await this.client.call(z.looseObject({}), {
      method: 'POST',
      path: `${path(deviceId, channelId)}/stream-detail`,
      body,
      what: 'set stream settings',
    });
  }
}
