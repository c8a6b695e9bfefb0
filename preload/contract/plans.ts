import { z } from 'zod';
import { AccountId, msg } from './accounts';

/**
 * Cloud-recording plans of a channel (Huawei IVM chapter 11): a continuous weekly schedule, a
 * motion schedule with the alarm types that trigger it (seconds recorded before and after), and
 * how long recordings are kept. Days are 1 = Monday … 7 = Sunday; times `HH:mm:ss`.
 */
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, msg('validation.time', 'HH:mm:ss, 00:00:00–23:59:59'));
export const PlanSection = z.object({ day: z.number().int().min(1).max(7), start: Time, end: Time });
export type PlanSection = z.infer<typeof PlanSection>;
export const AlarmTrigger = z.object({ type: z.string().max(64), before: z.number().int(), after: z.number().int() });
export type AlarmTrigger = z.infer<typeof AlarmTrigger>;

export const ChannelPlanRequest = z.object({ accountId: AccountId, channelId: z.string().max(300) }).strict();
export const ChannelPlans = z.object({
  /** Continuous recording, when the channel has that storage service. */
  continuous: z.object({ available: z.boolean(), allDay: z.boolean(), sections: z.array(PlanSection), uploadAfterOutage: z.boolean() }),
  motion: z.object({ available: z.boolean(), allDay: z.boolean(), sections: z.array(PlanSection), alarms: z.array(AlarmTrigger) }),
  /** Days kept (0 = permanent/unset); editable only for on-demand storage. */
  retention: z.object({ continuousDays: z.number().int(), motionDays: z.number().int() }),
  /** The documented limits the editor checks as values are typed. */
  limits: z.object({ alarmTypes: z.array(z.string()), minSeconds: z.number().int(), maxSeconds: z.number().int(), maxTotalSeconds: z.number().int(), minDays: z.number().int(), maxDays: z.number().int(), batch: z.number().int() }),
});
export type ChannelPlans = z.infer<typeof ChannelPlans>;

/** One schedule saved to one or more channels ("apply to other channels"), at most 100. */
export const PlanSaveRequest = z
  .object({
    accountId: AccountId,
    channelIds: z.array(z.string().max(300)).min(1).max(100),
    kind: z.enum(['continuous', 'motion']),
    allDay: z.boolean(),
    sections: z.array(PlanSection).max(7 * 48),
    alarms: z.array(AlarmTrigger).max(32).optional(),
  })
  .strict();
export const PlanClearRequest = z.object({ accountId: AccountId, channelIds: z.array(z.string().max(300)).min(1).max(100), kind: z.enum(['continuous', 'motion']) }).strict();
export const RetentionSaveRequest = z
  .object({ accountId: AccountId, channelIds: z.array(z.string().max(300)).min(1).max(100), continuousDays: z.number().int().optional(), motionDays: z.number().int().optional() })
  .strict();
export const ChannelOutcomes = z.object({ results: z.array(z.object({ channelId: z.string(), ok: z.boolean(), code: z.string().optional(), message: z.string().optional() })) });
export type ChannelOutcomes = z.infer<typeof ChannelOutcomes>;

/**
 * Named weekly schedules that plans bind channels to (Tencent IVC real-time-to-cloud templates,
 * E54–E58): edited with the same week grid.
 */
export const RecordingTemplate = z.object({ id: z.string(), name: z.string(), sections: z.array(PlanSection) });
export const RecordingTemplates = z.object({ templates: z.array(RecordingTemplate) });
export const TemplatesRequest = z.object({ accountId: AccountId }).strict();
export const TemplateSaveRequest = z
  .object({
    accountId: AccountId,
    id: z.string().max(64).optional(),
    /** NAME32 */
    name: z.string().regex(/^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u, msg('validation.name32', 'Chinese, letters, digits, _ - only; at most 32')),
    sections: z.array(PlanSection).min(1).max(7 * 48),
  })
  .strict();
export const TemplateDeleteRequest = z.object({ accountId: AccountId, id: z.string().max(64) }).strict();
