import { z } from 'zod';
import { msg } from './accounts';
import { PresetsRequest, PtzName } from './wall';

/**
 * Cruise tracks (Huawei IVM §15.6–15.11): an ordered tour over a PTZ channel's presets, each
 * point with a dwell time and a travel speed. The contract bounds shapes loosely; main checks
 * the platform's documented ranges (`limits`) and that every preset exists before sending.
 */
export const CruisePoint = z.object({
  presetIndex: z.number().int().min(0).max(1024),
  dwellSeconds: z
    .number()
    .int()
    .min(0, msg('validation.cruiseRange', 'Out of the documented range'))
    .max(86_400, msg('validation.cruiseRange', 'Out of the documented range')),
  speed: z
    .number()
    .int()
    .min(0, msg('validation.cruiseRange', 'Out of the documented range'))
    .max(100, msg('validation.cruiseRange', 'Out of the documented range')),
});
export type CruisePoint = z.infer<typeof CruisePoint>;

export const CruiseTrack = z.object({
  id: z.number().int(),
  name: z.string(),
  running: z.boolean(),
  points: z.array(CruisePoint),
});
export type CruiseTrack = z.infer<typeof CruiseTrack>;

export const CruiseLimits = z.object({
  minDwell: z.number().int(),
  maxDwell: z.number().int(),
  minSpeed: z.number().int(),
  maxSpeed: z.number().int(),
});
export type CruiseLimits = z.infer<typeof CruiseLimits>;

export const CruiseState = z.object({ tracks: z.array(CruiseTrack), limits: CruiseLimits });
export type CruiseState = z.infer<typeof CruiseState>;

/** A new track when `id` is absent, otherwise a full replacement of that track (§15.10). */
export const CruiseSaveRequest = PresetsRequest.extend({
  id: z.number().int().min(1).optional(),
  name: PtzName,
  points: z.array(CruisePoint).min(1, msg('validation.required', 'Required')).max(256),
}).strict();
export const CruiseSaveResponse = z.object({ id: z.number().int(), state: CruiseState });

export const CruiseIdRequest = PresetsRequest.extend({ id: z.number().int().min(1) }).strict();
export const CruiseRunRequest = CruiseIdRequest.extend({ on: z.boolean() }).strict();

/**
 * Copy a track to another PTZ channel of the same account. Presets the target lacks are
 * reported; with `skipMissing` the copy goes ahead without those points.
 */
export const CruiseCopyRequest = CruiseIdRequest.extend({
  toChannelId: z.string().max(300),
  skipMissing: z.boolean().optional(),
}).strict();
export const CruiseCopyResponse = z.object({
  copied: z.boolean(),
  id: z.number().int().nullable(),
  missing: z.array(z.number().int()),
});
