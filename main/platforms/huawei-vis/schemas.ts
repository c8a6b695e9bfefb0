import { z } from 'zod';

/**
 * VIS reply shapes (spec huawei-vis.md §3). Objects are loose: unknown fields are kept. Where
 * the doc's examples disagree with its tables (numbers as strings, misspelt keys) both are read.
 */
const numberish = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const str = z.string();

export const QuotaEntry = z.looseObject({ total: numberish, used: numberish });
export const Subscription = z.looseObject({
  user_id: str.optional(),
  sip_ip: str.optional(),
  sip_port: z.union([str, z.number().transform(String)]).optional(),
  quota: z.record(z.string(), QuotaEntry).optional(),
  created_at: str.optional(),
  is_subscribed: z.boolean(),
});
export type Subscription = z.infer<typeof Subscription>;

export const Tag = z.looseObject({ key: str, value: str });
export const Retention = z.looseObject({
  retention_in_hour: numberish.optional(),
  retention_forever: z.boolean().optional(),
  store_type: str.optional(),
  bucket: str.optional(),
  path: str.optional(),
  timezone: str.optional(),
  slice_in_minute: numberish.optional(),
  state: str.optional(),
});
export const StreamFlowInfo = z.looseObject({
  is_publishing: z.boolean(),
  bw_out: str.optional(),
  bw_in: str.optional(),
  bw_video: str.optional(),
  bw_audio: str.optional(),
  bytes_out: str.optional(),
  bytes_in: str.optional(),
  num_play_clients: numberish.optional(),
  meta: z
    .looseObject({
      video: z
        .looseObject({
          codec: str.optional(),
          width: numberish.optional(),
          height: numberish.optional(),
          hieght: numberish.optional(),
        })
        .optional(),
    })
    .optional(),
});
export const Stream = z.looseObject({
  stream_id: str,
  name: str,
  access_type: str,
  encode_type: str.optional(),
  access_key: str.optional(),
  url: str.optional(),
  transfer_protocol: str.optional(),
  share_type: str.optional(),
  state: str,
  retention_state: str.optional(),
  created_at: z.union([str, z.number()]).optional(),
  updated_at: z.union([str, z.number()]).optional(),
  description: str.nullable().optional(),
  tag: z.array(Tag).optional(),
  retention: Retention.optional(),
  stream_flow_info: StreamFlowInfo.optional(),
});
export type Stream = z.infer<typeof Stream>;

export const StreamEndpoint = z.looseObject({
  pull_flow_address: str.optional(),
  pull_flow_addresses: str.optional(),
  hls_pull_flow_address: str.optional(),
  push_flow_protocol: str.optional(),
  push_flow_address: str.optional(),
});
export type StreamEndpoint = z.infer<typeof StreamEndpoint>;

export const AccessStrategy = z.looseObject({
  start_time: str.optional(),
  end_time: str.optional(),
  periodicity: str.optional(),
  total_length: numberish.optional(),
  state: str.optional(),
  random_strategy: str.optional(),
});
export const Channel = z.looseObject({
  device_id: str.optional(),
  channel_id: str,
  stream_id: str.optional(),
  stream_name: str.optional(),
  suffix: str.nullable().optional(),
  invitation_status: str,
  tcp_priority: str.optional(),
  tcp_support: str.optional(),
  access_strategy: AccessStrategy.optional(),
  created_at: str.optional(),
  updated_at: str.optional(),
});
export type Channel = z.infer<typeof Channel>;
export const Device = z.looseObject({
  device_id: str,
  channels_query: str.optional(),
  state: str,
  type: str,
  username: str.optional(),
  suffix: str.nullable().optional(),
  channels: z.array(Channel).default([]),
  description: str.nullable().optional(),
  created_at: str.optional(),
  updated_at: str.optional(),
});
export type Device = z.infer<typeof Device>;

export const GbCredential = z.looseObject({
  username: str,
  description: str.optional(),
  type: str.optional(),
  created_at: str.optional(),
  updated_at: str.optional(),
});
export const PushKey = z.looseObject({
  name: str,
  access_key: str,
  secret_key: str.optional(),
  description: str.optional(),
  created_at: z.union([str, z.number()]).optional(),
  updated_at: z.union([str, z.number()]).optional(),
});
export const PacketRate = z.looseObject({
  device_id: str,
  channel_id: str,
  created_at: str.optional(),
  updated_at: str.optional(),
  state: str.optional(),
  packet_received_rate: str.regex(/^\d+\/\d+$/),
});
export const Result = z.looseObject({ result: z.literal('success') });
/** 204 with no body, or 200 with `{result: "success"}` (§4.4.8 documents both). */
export const ResultOrEmpty = z.union([z.undefined(), Result]);
export const CreatedDevices = z.looseObject({ device_id_list: z.array(str) });

/**
 * The four list shapes the doc's examples show, normalised: a bare array, `[[…]]`, a single
 * object, or `{total, entries}`.
 */
export function listOf<T extends z.ZodType>(item: T) {
  return z.unknown().transform((value, ctx): { total: number; items: z.infer<T>[] } => {
    let raw: unknown[];
    let total: number | undefined;
    if (Array.isArray(value))
      raw = value.length > 0 && value.every(Array.isArray) ? (value as unknown[][]).flat() : value;
    else if (value && typeof value === 'object' && Array.isArray((value as { entries?: unknown }).entries)) {
      raw = (value as { entries: unknown[] }).entries;
      const t = (value as { total?: unknown }).total;
      total = typeof t === 'number' ? t : undefined;
    } else if (value && typeof value === 'object') raw = [value];
    else {
      ctx.addIssue({ code: 'custom', message: 'expected a list' });
      return z.NEVER;
    }
    const items: z.infer<T>[] = [];
    for (const [i, entry] of raw.entries()) {
      const r = item.safeParse(entry);
      if (!r.success) {
        for (const issue of r.error.issues)
          ctx.addIssue({ code: 'custom', message: issue.message, path: [i, ...issue.path] as PropertyKey[] });
        return z.NEVER;
      }
      items.push(r.data);
    }
    return { total: total ?? items.length, items };
  });
}
