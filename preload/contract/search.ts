import { z } from 'zod';
import { AccountId } from './accounts';

/**
 * Target (image) search over a platform's analysis results — Alibaba VCS SearchTarget today.
 * Images are fetched by main (platform URLs expire) and come back as data: URLs.
 */
export const TargetType = z.enum(['Face', 'Body', 'Motor', 'NonMotor', 'Event', 'AIoT']);
export type TargetType = z.infer<typeof TargetType>;

/** Base64 of an image ≤ 500 KB (the platform's limit) is at most 682 668 characters. */
const MAX_IMAGE_BASE64 = Math.ceil((500 * 1024) / 3) * 4;

export const SearchScopesRequest = z.object({ accountId: AccountId }).strict();
export const SearchScopes = z.object({ scopes: z.array(z.object({ id: z.string(), name: z.string() })) });

export const TargetSearchRequest = z
  .object({
    accountId: AccountId,
    scopeId: z.string().min(1).max(64),
    targetType: TargetType,
    attributes: z
      .array(
        z
          .object({ key: z.string().min(1).max(64), values: z.array(z.string().min(1).max(64)).min(1).max(20) })
          .strict(),
      )
      .max(20)
      .optional(),
    imageBase64: z
      .string()
      .max(MAX_IMAGE_BASE64, { message: 'The query image must be at most 500 KB' })
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'The query image must be Base64' })
      .optional(),
    similarity: z.number().min(0).max(0.99).optional(),
    range: z
      .object({ startMs: z.number().int().nonnegative(), endMs: z.number().int().nonnegative() })
      .strict()
      .refine((r) => r.endMs > r.startMs, { message: 'The end of the range must be after its start' })
      .optional(),
    page: z.number().int().min(1).max(100),
    pageSize: z.number().int().min(1).max(100),
  })
  .strict();
export type TargetSearchRequest = z.infer<typeof TargetSearchRequest>;

export const TargetHit = z.object({
  deviceId: z.string(),
  /** The camera's node in the account's device tree (opens it in playback), null when unknown. */
  channelRef: z.string().nullable(),
  atMs: z.number(),
  similarity: z.number().nullable(),
  attributes: z.array(z.object({ key: z.string(), value: z.string() })),
  /** The crop as a data: URL, or null when it could not be fetched (expired or unreachable). */
  crop: z.string().nullable(),
  box: z.object({ left: z.number(), top: z.number(), right: z.number(), bottom: z.number() }).nullable(),
});
export type TargetHit = z.infer<typeof TargetHit>;
export const TargetSearchResponse = z.object({ total: z.number().int(), hits: z.array(TargetHit) });
export type TargetSearchResponse = z.infer<typeof TargetSearchResponse>;
