import { z } from 'zod';
import { AccountId } from './accounts';

/**
 * Huawei IVM alarm pushes (§10.1): a receiver in main listens on a local port; the platform
 * posts to a public URL that forwards there. Vigil registers that URL with its own signing key
 * (kept in the OS keychain) and accepts only signed pushes.
 */
export const AlarmReceiverRequest = z
  .object({
    accountId: AccountId,
    /** What the platform calls: http(s), ≤ 256 characters, no Chinese (§10.1.1). */
    publicUrl: z
      .string()
      .max(256)
      .regex(/^https?:\/\/[^\s/]+/, 'an http or https URL')
      .refine((u) => !/\p{Script=Han}/u.test(u), 'no Chinese characters'),
    port: z.number().int().min(1024).max(65535),
  })
  .strict();
export const AlarmAccountRequest = z.object({ accountId: AccountId }).strict();
export const AlarmReceiverState = z.object({
  accountId: z.string(),
  running: z.boolean(),
  port: z.number().nullable(),
  publicUrl: z.string().nullable(),
  /** What the platform has registered for DEVICE_ALARM (10.1.3); `ours` when it is this receiver's URL. */
  registered: z.object({ url: z.string(), updated: z.string(), ours: z.boolean() }).nullable(),
  received: z.number(),
  rejected: z.number(),
  /** Set when the public URL is plain http: pushes and their signatures travel readable. */
  warning: z.string().nullable(),
});
export type AlarmReceiverState = z.infer<typeof AlarmReceiverState>;
export const Alarm = z.object({
  /** `<accountId>/<message_id>`: unique across accounts */
  id: z.string(),
  /** the push's message_id (a 64-bit integer, as text) */
  messageId: z.string(),
  accountId: z.string(),
  deviceId: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  type: z.string(),
  typeName: z.string().optional(),
  classification: z.string().optional(),
  status: z.string().optional(),
  /** epoch ms */
  at: z.number(),
  uuid: z.string(),
  target: z
    .object({
      id: z.string().optional(),
      name: z.string().optional(),
      similarity: z.number().optional(),
      group: z.string().optional(),
    })
    .optional(),
  /** epoch ms when an operator acknowledged it; unacknowledged alarms are never dropped. */
  acknowledgedAt: z.number().optional(),
  /**
   * The push reused a signature an earlier push carried. IVM signs URL, time and key, not the
   * body (§10.1.4.1), so a captured signature can carry a forged body for 5 minutes; two real
   * alarms in the same second also share one. Shown so the operator checks before acting.
   */
  replayedSignature: z.boolean().optional(),
});
export const AlarmAckRequest = z.object({ id: z.string().min(1).max(64) }).strict();
export type Alarm = z.infer<typeof Alarm>;
export const AlarmPictureRequest = z.object({ accountId: AccountId, uuid: z.string().min(1).max(128) }).strict();
