import { z } from 'zod';
import { AccountId } from './accounts';

/**
 * The health dashboard of one account: online/offline counts per top-level group (from the
 * device tree, for every platform) and the platform's own health lists where it has them
 * (Huawei VIS §4.5: new online, dropped, long offline, online not streaming, packet reception).
 */
export const HealthRequest = z.object({ accountId: AccountId }).strict();

const Counts = z.object({
  devices: z.number().int(),
  devicesOnline: z.number().int(),
  channels: z.number().int(),
  channelsOnline: z.number().int(),
});
export const HealthList = z.object({
  /** `vis.todayNewOnline` … : an i18n key under `health.list`. */
  key: z.string(),
  items: z.array(
    z.object({
      deviceId: z.string(),
      channelId: z.string().optional(),
      state: z.string().optional(),
      detail: z.string().optional(),
    }),
  ),
});
export type HealthList = z.infer<typeof HealthList>;

export const HealthSummary = z.object({
  at: z.string(),
  total: Counts,
  /**
   * Per top-level group; devices and channels with no group above them (the platform's root) are
   * one row with `ungrouped: true` and an empty name. The rows add up to `total`.
   */
  groups: z.array(Counts.extend({ id: z.string(), name: z.string(), ungrouped: z.boolean().optional() })),
  lists: z.array(HealthList),
  /** Video packets received / expected today, per channel (VIS §4.5.7). */
  packetRates: z.array(
    z.object({ deviceId: z.string(), channelId: z.string(), received: z.number().int(), expected: z.number().int() }),
  ),
  /** Lists that failed to load, with the reason (the rest of the dashboard still shows). */
  problems: z.array(z.string()),
});
export type HealthSummary = z.infer<typeof HealthSummary>;
