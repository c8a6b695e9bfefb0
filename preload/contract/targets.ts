import { z } from 'zod';
import { AccountId, msg } from './accounts';
import { base64Length, MAX_PICTURE_BYTES } from './limits';

/**
 * Target libraries (watch lists): Huawei IVM's face libraries on devices (chapter 14: groups per
 * device, targets with person attributes and one face picture, batch add/modify/delete with a
 * result per item) and Alibaba VCS watch policies with their items (§3.5: list and remove only).
 * A scope is where groups live: an IVM device, or the Alibaba account. Attribute names are the
 * documented IVM ones; which are kept depends on the device family.
 */
export const TargetFamily = z.enum(['NVR800', 'SDC', 'IVS1800', 'VCS']);
export type TargetFamily = z.infer<typeof TargetFamily>;

export const LibraryRequest = z.object({ accountId: AccountId, deviceId: z.string().max(300) }).strict();
export const LibraryScopesRequest = z.object({ accountId: AccountId }).strict();
/**
 * Where target libraries live. `library`: the device holds one (true), holds none (false, with
 * `why`), or could not be asked (null, with `why`); absent where a scope is not a device.
 */
export const LibraryScope = z.object({
  id: z.string(),
  name: z.string(),
  library: z.boolean().nullable().optional(),
  why: z.string().optional(),
});
export type LibraryScope = z.infer<typeof LibraryScope>;
export const LibraryScopes = z.object({ scopes: z.array(LibraryScope) });

const GroupId = z.string().min(1).max(64);
export const TargetGroup = z.object({
  /** IVM group numbers and Alibaba policy ids alike, as text. */
  id: GroupId,
  name: z.string(),
  /** Active (OPEN); null where the device has no switch (IVS1800 groups are always active). */
  enabled: z.boolean().nullable(),
  /** Details cannot be changed (NVR800 built-in groups). */
  fixed: z.boolean(),
  hidden: z.boolean(),
  /** Built-in groups that cannot be deleted. */
  builtin: z.boolean(),
  count: z.number().int(),
});
export type TargetGroup = z.infer<typeof TargetGroup>;

export const AttributeKey = z.enum([
  'age',
  'country',
  'nation',
  'native',
  'occupation',
  'work_no',
  'phone',
  'email',
  'domicile',
  'remark',
]);
export type AttributeKey = z.infer<typeof AttributeKey>;

export const LibraryLimits = z.object({
  /** Targets per add/modify call (SDC 1, NVR800/IVS1800 20). */
  batch: z.number().int(),
  /** Bytes per picture and pixels per side (§14.0.6). */
  maxImageBytes: z.number().int(),
  maxImageSide: z.number().int(),
  /** All pictures of one call together (NVR800 700 KB), or null. */
  batchImageBytes: z.number().int().nullable(),
  /** IDs per delete call. */
  deleteBatch: z.number().int(),
});
export type LibraryLimits = z.infer<typeof LibraryLimits>;

export const LibraryState = z.object({
  family: TargetFamily,
  /** Maximum number of groups; -1 is unlimited. */
  maxGroups: z.number().int(),
  /** Characters in a group name (IVM 63, Alibaba watch policies 64). */
  maxGroupName: z.number().int(),
  groupTypes: z.array(z.string()),
  /** What the platform lets an editor do (Alibaba watch items can only be listed and removed). */
  actions: z.object({ addTargets: z.boolean(), editTargets: z.boolean(), enableGroups: z.boolean() }),
  /** The attributes this family keeps (others are not shown). */
  attributes: z.array(AttributeKey),
  limits: LibraryLimits,
  groups: z.array(TargetGroup),
});
export type LibraryState = z.infer<typeof LibraryState>;

/** The largest of the platforms' limits; each library enforces its own (LibraryState.maxGroupName). */
const GroupName = z
  .string()
  .trim()
  .min(1, msg('validation.required', 'Required'))
  .max(64, msg('validation.groupName', 'At most 64 characters'));
export const GroupCreateRequest = LibraryRequest.extend({
  name: GroupName,
  type: z.string().max(16).optional(),
}).strict();
export const GroupUpdateRequest = LibraryRequest.extend({
  groupId: GroupId,
  name: GroupName,
  enabled: z.boolean(),
}).strict();
export const GroupIdRequest = LibraryRequest.extend({ groupId: GroupId }).strict();

/** Index-range paging (§14.0.7): `start` 0–5000, `count` 1–5000. */
export const TargetsRequest = GroupIdRequest.extend({
  start: z.number().int().min(0).max(5000),
  count: z.number().int().min(1).max(5000),
}).strict();

const text = (max: number) => z.string().trim().min(1).max(max);
export const TargetAttributes = z.object({
  name: z
    .string()
    .trim()
    .min(1, msg('validation.required', 'Required'))
    .max(128, msg('validation.targetName', 'Letters, digits, Chinese, space, _ - only; at most 128'))
    .regex(
      /^[\p{Script=Han}A-Za-z0-9_\- ]+$/u,
      msg('validation.targetName', 'Letters, digits, Chinese, space, _ - only; at most 128'),
    ),
  gender: z.enum(['male', 'female'], msg('validation.gender', 'male or female')),
  age: z
    .number()
    .int()
    .min(1, msg('validation.age', 'Age 1–255'))
    .max(255, msg('validation.age', 'Age 1–255'))
    .optional(),
  country: text(128).optional(),
  nation: text(32).optional(),
  native: text(128).optional(),
  occupation: text(128).optional(),
  work_no: text(64).optional(),
  phone: z
    .string()
    .regex(/^[0-9]{11}$/, msg('validation.phone', 'Exactly 11 digits'))
    .optional(),
  email: z
    .string()
    .max(128)
    .regex(/^[^@\s]+@[^@\s]+$/, msg('validation.email', 'An e-mail address'))
    .optional(),
  domicile: text(256).optional(),
  remark: text(512).optional(),
});
export type TargetAttributes = z.infer<typeof TargetAttributes>;

export const Target = TargetAttributes.partial({ name: true, gender: true }).extend({
  id: z.string(),
  externalId: z.string().optional(),
  /** Other documented details shown as text (Alibaba item attributes). */
  details: z.string().optional(),
  /** The enrolled picture as a data: URL, when the list carries it (not on SDC). */
  picture: z.string().startsWith('data:image/').optional(),
});
export type Target = z.infer<typeof Target>;
export const TargetsResponse = z.object({ targets: z.array(Target), total: z.number().int() });

/** Raw base64 of a PNG or JPEG, no data: prefix; main checks the documented limits again. */
const Picture = z
  .string()
  .max(base64Length(MAX_PICTURE_BYTES), msg('validation.pictureBytes', 'A picture of at most 50 KB'))
  .regex(/^[A-Za-z0-9+/]+={0,2}$/);
export const NewTarget = TargetAttributes.extend({
  picture: Picture,
  externalId: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/)
    .optional(),
});
export type NewTarget = z.infer<typeof NewTarget>;
export const TargetsAddRequest = GroupIdRequest.extend({ targets: z.array(NewTarget).min(1).max(20) }).strict();
/** A full replacement (§14.13); without `picture` the current one is fetched and resent. */
export const TargetUpdateRequest = GroupIdRequest.extend({
  target: TargetAttributes.extend({ id: z.string().max(40), picture: Picture.optional() }),
}).strict();
export const TargetsDeleteRequest = GroupIdRequest.extend({
  ids: z.array(z.string().max(40)).min(1).max(100),
}).strict();
export const TargetPictureRequest = GroupIdRequest.extend({ id: z.string().max(40) }).strict();

export const ItemOutcome = z.object({
  index: z.number().int(),
  ok: z.boolean(),
  id: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
});
export type ItemOutcome = z.infer<typeof ItemOutcome>;
export const ItemOutcomes = z.object({ results: z.array(ItemOutcome) });
