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
/** A seat of the control room and the operator signed in at it. */
export const SeatRef = z.object({ seat: z.string().max(64), user: z.string().max(64) });
export type SeatRef = z.infer<typeof SeatRef>;
/** new → acknowledged (by seat and user) → assigned → closed with a note. */
export const AlarmLifecycle = z.enum(['new', 'acknowledged', 'assigned', 'closed']);
export type AlarmLifecycle = z.infer<typeof AlarmLifecycle>;
/** A time as epoch ms a Date can hold (another seat's message may carry anything; 1e20 broke every export). */
const EpochMs = z.number().int().min(0).max(8_640_000_000_000_000);
export const AlarmActionKind = z.enum(['acknowledge', 'assign', 'close']);
/**
 * One operator action on an alarm, as every seat records it (the audit trail). Its id makes it
 * idempotent: a duplicate delivery changes nothing.
 */
export const AlarmAction = z
  .object({
    id: z.string().min(8).max(64),
    alarmId: z.string().min(1).max(200),
    kind: AlarmActionKind,
    seat: z.string().max(64),
    user: z.string().max(64),
    at: EpochMs,
    to: z.string().max(64).optional(),
    note: z.string().max(2000).optional(),
    /** Its seat's Ed25519 signature (base64): other seats count the action only with it. */
    sig: z.string().max(100).optional(),
  })
  .strict();
export type AlarmAction = z.infer<typeof AlarmAction>;
export const Alarm = z.object({
  /** `<accountId>/<message_id>`: unique across accounts */
  id: z.string(),
  /** the push's message_id (a 64-bit integer, as text) */
  messageId: z.string(),
  accountId: z.string(),
  deviceId: z.string(),
  channelId: z.string(),
  /** Vigil's id of the alarm's channel (what the tree, the wall and playback use), set by main's platform adapter. */
  channelRef: z.string().max(256).optional(),
  channelName: z.string(),
  type: z.string(),
  typeName: z.string().optional(),
  classification: z.string().optional(),
  status: z.string().optional(),
  /** epoch ms */
  at: EpochMs,
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
   * Suspect: another push carried this alarm's message id with other content (the platform never
   * sends an id twice). IVM signs URL, time and key, not the body (§10.1.4.1), so a signature seen
   * in transit can carry a forged body while it is valid. Both are kept and flagged; the operator
   * checks before acting. (Pushes sharing one second's signature are normal and not flagged.)
   */
  replayedSignature: z.boolean().optional(),
  /** Where the alarm stands (absent in alarms kept before the control room: read as new or acknowledged). */
  state: AlarmLifecycle.optional(),
  acknowledgedBy: SeatRef.optional(),
  /** seat or operator it is assigned to */
  assignedTo: z.string().optional(),
  assignedBy: SeatRef.optional(),
  closedAt: z.number().optional(),
  closedBy: SeatRef.optional(),
  /** the closing note */
  note: z.string().optional(),
  /** epoch ms when the receiving seat took the push, and which seat that was */
  receivedAt: z.number().optional(),
  receivedBy: z.string().optional(),
});
export const AlarmAckRequest = z.object({ id: z.string().min(1).max(64) }).strict();
export type Alarm = z.infer<typeof Alarm>;
export const AlarmPictureRequest = z.object({ accountId: AccountId, uuid: z.string().min(1).max(128) }).strict();
export const AlarmIdRequest = z.object({ id: z.string().min(1).max(200) }).strict();
export const AlarmAssignRequest = z
  .object({ id: z.string().min(1).max(200), to: z.string().trim().min(1).max(64) })
  .strict();
export const AlarmCloseRequest = z
  .object({ id: z.string().min(1).max(200), note: z.string().trim().min(1, 'a closing note').max(2000) })
  .strict();
/** One page of the alarm list: newest first; `cursor` is the `next` of the page before. */
export const AlarmListRequest = z
  .object({ cursor: z.string().max(300).optional(), limit: z.number().int().min(1).max(500).optional() })
  .strict();
export const AlarmPage = z.object({
  alarms: z.array(Alarm),
  /** Where the next page starts; null on the last page. */
  next: z.string().nullable(),
  /** Alarms nobody acknowledged, in the whole history (not only this page). */
  unacknowledged: z.number(),
});
export type AlarmPage = z.infer<typeof AlarmPage>;
export const AlarmHistory = z.object({ actions: z.array(AlarmAction) });
/** The audit trail (every alarm received and every action) as a file the renderer saves. */
export const AuditExportRequest = z
  .object({ format: z.enum(['csv', 'xlsx']), from: z.number().optional(), to: z.number().optional() })
  .strict();
export const AuditExport = z.object({ fileName: z.string(), mime: z.string(), base64: z.string(), rows: z.number() });
export type AuditExport = z.infer<typeof AuditExport>;
