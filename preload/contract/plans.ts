import { z } from 'zod';
import { AccountId, msg } from './accounts';

/**
 * Cloud-recording plans of a channel (Huawei IVM chapter 11): a continuous weekly schedule, a
 * motion schedule with the alarm types that trigger it (seconds recorded before and after), and
 * how long recordings are kept. Days are 1 = Monday … 7 = Sunday; times `HH:mm:ss`.
 */
const Time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, msg('validation.time', 'HH:mm:ss, 00:00:00–23:59:59'));
export const PlanSection = z.object({ day: z.number().int().min(1).max(7), start: Time, end: Time });
export type PlanSection = z.infer<typeof PlanSection>;
export const AlarmTrigger = z.object({ type: z.string().max(64), before: z.number().int(), after: z.number().int() });
export type AlarmTrigger = z.infer<typeof AlarmTrigger>;

export const ChannelPlanRequest = z.object({ accountId: AccountId, channelId: z.string().max(300) }).strict();
export const ChannelPlans = z.object({
  /** Continuous recording, when the channel has that storage service. */
  continuous: z.object({
    available: z.boolean(),
    allDay: z.boolean(),
    sections: z.array(PlanSection),
    uploadAfterOutage: z.boolean(),
  }),
  motion: z.object({
    available: z.boolean(),
    allDay: z.boolean(),
    sections: z.array(PlanSection),
    alarms: z.array(AlarmTrigger),
  }),
  /** Days kept (0 = permanent/unset); editable only for on-demand storage. */
  retention: z.object({ continuousDays: z.number().int(), motionDays: z.number().int() }),
  /** The documented limits the editor checks as values are typed. */
  limits: z.object({
    alarmTypes: z.array(z.string()),
    minSeconds: z.number().int(),
    maxSeconds: z.number().int(),
    maxTotalSeconds: z.number().int(),
    minDays: z.number().int(),
    maxDays: z.number().int(),
    batch: z.number().int(),
  }),
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
export const PlanClearRequest = z
  .object({
    accountId: AccountId,
    channelIds: z.array(z.string().max(300)).min(1).max(100),
    kind: z.enum(['continuous', 'motion']),
  })
  .strict();
export const RetentionSaveRequest = z
  .object({
    accountId: AccountId,
    channelIds: z.array(z.string().max(300)).min(1).max(100),
    continuousDays: z.number().int().optional(),
    motionDays: z.number().int().optional(),
  })
  .strict();
export const ChannelOutcomes = z.object({
  results: z.array(
    z.object({ channelId: z.string(), ok: z.boolean(), code: z.string().optional(), message: z.string().optional() }),
  ),
});
export type ChannelOutcomes = z.infer<typeof ChannelOutcomes>;

/**
 * Named weekly schedules that plans bind channels to (Tencent IVC real-time-to-cloud templates,
 * E54–E58): edited with the same week grid.
 */
/** `realtime`: live streams recorded into the cloud (E39–E58); `upload`: recordings already on the device uploaded (E48–E53, E59–E63). */
export const PlanKind = z.enum(['realtime', 'upload']);
export type PlanKind = z.infer<typeof PlanKind>;
export const RecordingTemplate = z.object({
  id: z.string(),
  name: z.string(),
  /** realtime: when to record; upload: when to upload */
  sections: z.array(PlanSection),
  /** upload only: which of the device's recordings to upload (E59 DevTimeSections) */
  devSections: z.array(PlanSection).optional(),
  /** upload only: upload speed multiple, 1, 2 or 4 (E59 Scale) */
  scale: z.number().int().optional(),
});
export type RecordingTemplate = z.infer<typeof RecordingTemplate>;
export const RecordingTemplates = z.object({ templates: z.array(RecordingTemplate) });
export const TemplatesRequest = z.object({ accountId: AccountId, kind: PlanKind.default('realtime') }).strict();
export const TemplateSaveRequest = z
  .object({
    accountId: AccountId,
    id: z.string().max(64).optional(),
    /** NAME32 */
    name: z
      .string()
      .regex(
        /^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u,
        msg('validation.name32', 'Chinese, letters, digits, _ - only; at most 32'),
      ),
    sections: z
      .array(PlanSection)
      .min(1)
      .max(7 * 48),
    kind: PlanKind.default('realtime'),
    devSections: z
      .array(PlanSection)
      .min(1)
      .max(7 * 48)
      .optional(),
    scale: z.union([z.literal(1), z.literal(2), z.literal(4)]).optional(),
  })
  .strict();
export type TemplateSave = Omit<z.infer<typeof TemplateSaveRequest>, 'accountId' | 'kind'>;
export const TemplateDeleteRequest = z
  .object({ accountId: AccountId, id: z.string().max(64), kind: PlanKind.default('realtime') })
  .strict();

/**
 * Tencent IVC real-time-to-cloud plans (E39–E47): a template (when), a stream, how many days
 * files stay in hot and then cold storage, and the channels it records. A channel belongs to at
 * most one plan; `planned` says which plan holds each channel (node id) that is in one.
 */
const Name32 = z
  .string()
  .regex(
    /^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u,
    msg('validation.name32', 'Chinese, letters, digits, _ - only; at most 32'),
  );
const Desc128 = z
  .string()
  .regex(
    /^[\p{Script=Han}A-Za-z0-9_-]{0,128}$/u,
    msg('validation.desc128', 'Chinese, letters, digits, _ - only; at most 128'),
  );
export const CloudPlan = z.object({
  id: z.string(),
  name: z.string(),
  describe: z.string(),
  templateId: z.string(),
  /** default (the device's own), main, sub, or a device-specific value; '' for upload plans (they have none) */
  stream: z.string(),
  hotDays: z.number().int(),
  /** 0 = no cold storage */
  coldDays: z.number().int(),
  /** false while the platform is still deleting it */
  active: z.boolean(),
  channels: z.number().int(),
});
export type CloudPlan = z.infer<typeof CloudPlan>;
export const CloudPlans = z.object({
  plans: z.array(CloudPlan),
  templates: z.array(z.object({ id: z.string(), name: z.string() })),
  planned: z.array(z.object({ channel: z.string(), planId: z.string() })),
});
export type CloudPlans = z.infer<typeof CloudPlans>;
export const CloudPlansRequest = z.object({ accountId: AccountId, kind: PlanKind.default('realtime') }).strict();
export const CloudPlanChannelsRequest = z
  .object({ accountId: AccountId, planId: z.string().min(1).max(64), kind: PlanKind.default('realtime') })
  .strict();
export const CloudPlanChannels = z.object({
  channels: z.array(z.object({ id: z.string(), name: z.string(), device: z.string(), organization: z.string() })),
});
export type CloudPlanChannels = z.infer<typeof CloudPlanChannels>;
export const CloudPlanSaveRequest = z
  .object({
    accountId: AccountId,
    kind: PlanKind.default('realtime'),
    /** absent = a new plan */
    id: z.string().min(1).max(64).optional(),
    name: Name32,
    describe: Desc128,
    templateId: z.string().min(1).max(64),
    stream: z.enum(['default', 'main', 'sub']),
    hotDays: z
      .number()
      .int()
      .min(1, msg('validation.hotDays', 'Hot storage keeps files 1–3650 days'))
      .max(3650, msg('validation.hotDays', 'Hot storage keeps files 1–3650 days')),
    coldDays: z
      .number()
      .int()
      .refine(
        (d) => d === 0 || (d >= 60 && d <= 3650),
        msg('validation.coldDays', 'Cold storage is 0 (none) or 60–3650 days'),
      ),
    /** channel node ids to add and to take out */
    add: z.array(z.string().max(300)).max(5000, msg('validation.planChannels', 'At most 5000 channels per change')),
    remove: z.array(z.string().max(300)).max(5000),
    /** organization node ids whose channels are all added (at most 10) */
    organizations: z
      .array(z.string().max(300))
      .max(10, msg('validation.planOrgs', 'At most 10 organizations per change')),
  })
  .strict();
export type CloudPlanSave = Omit<z.infer<typeof CloudPlanSaveRequest>, 'accountId' | 'kind'>;
export const CloudPlanDeleteRequest = z
  .object({ accountId: AccountId, id: z.string().min(1).max(64), kind: PlanKind.default('realtime') })
  .strict();
