import { z } from 'zod';
import { AccountId } from './accounts';

/**
 * Timeline thumbnails: a picture of a recording near a moment, made by main from a key frame and
 * cached on disk per recording and time bucket. Bucket sizes are a fixed set so a hover and a
 * filmstrip at nearby zooms share pictures.
 */
export const THUMB_BUCKETS_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 300_000, 900_000, 3_600_000,
] as const;

const Ms = z.number().int().min(0).max(8.64e15);

export const ThumbnailRequest = z
  .object({
    accountId: AccountId,
    channelId: z.string().max(300),
    kind: z.enum(['cloud', 'device']),
    /** The moment wanted (epoch ms): the picture is of the key frame at or before its bucket's start. */
    atMs: Ms,
    bucketMs: z.number().refine((b) => (THUMB_BUCKETS_MS as readonly number[]).includes(b), 'not a bucket size'),
    /** The listed recording holding the moment; absent where the platform lists none (Alibaba VCS). */
    recording: z.object({ startMs: Ms, endMs: Ms }).strict().optional(),
    /** A hover is wanted now (a newer one from the same requester supersedes it); a filmstrip picture can wait. */
    purpose: z.enum(['hover', 'strip']),
    /** Who asks (a timeline in one window): supersession is per requester. */
    requester: z.string().min(1).max(64),
  })
  .strict();
export type ThumbnailRequest = z.infer<typeof ThumbnailRequest>;

export const ThumbnailAnswer = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('ok'),
    /** The bucket's start (epoch ms). */
    atMs: z.number(),
    /** A JPEG as a data: URL. */
    image: z.string(),
    /** Served from the disk cache. */
    cached: z.boolean(),
  }),
  /** No picture, and why in words (no recording there, the platform did not answer, no ffmpeg…). */
  z.object({ state: z.literal('none'), atMs: z.number(), reason: z.string() }),
  /** A newer hover took its place before it was made. */
  z.object({ state: z.literal('superseded') }),
]);
export type ThumbnailAnswer = z.infer<typeof ThumbnailAnswer>;

export const ThumbnailCacheInfo = z.object({
  entries: z.number(),
  bytes: z.number(),
  limitBytes: z.number(),
});
export type ThumbnailCacheInfo = z.infer<typeof ThumbnailCacheInfo>;
