import { z } from 'zod';
import { AccountId } from './accounts';

/**
 * Motion search: regions drawn on a playback pane (normalised 0..1), a time range of at most
 * 24 h and a sensitivity; main reads the channel's recordings in that range with ffmpeg and lists
 * the moments with motion inside the regions. Moments arrive as they are found (`main:motion`);
 * a recording that cannot be read is named in the job and the rest goes on.
 */
export const MotionRegion = z
  .object({
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    w: z.number().min(0.02).max(1),
    h: z.number().min(0.02).max(1),
  })
  .strict()
  .refine((r) => r.x + r.w <= 1.000001 && r.y + r.h <= 1.000001, {
    message: 'validation.motionRegion|A region reaches outside the picture',
  });
export type MotionRegion = z.infer<typeof MotionRegion>;

export const MotionSearchRequest = z
  .object({
    accountId: AccountId,
    channelId: z.string().max(300),
    /** Shown in the results and the job list. */
    name: z.string().max(200),
    kind: z.enum(['cloud', 'device']),
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().nonnegative(),
    regions: z.array(MotionRegion).min(1).max(8),
    /** 1 (only large changes) – 100 (the smallest). */
    sensitivity: z.number().int().min(1).max(100),
  })
  .strict()
  .refine((r) => r.endMs > r.startMs && r.endMs - r.startMs <= 24 * 3600_000, {
    message: 'validation.motionRange|A motion search covers 1 s to 24 h',
    path: ['endMs'],
  });
export type MotionSearchRequest = z.infer<typeof MotionSearchRequest>;

export const MotionMoment = z.object({
  id: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  /** The first picture that moved (the thumbnail's and the click's time). */
  atMs: z.number(),
  /** The largest share of a region that changed (0–1). */
  peak: z.number(),
  /** A small JPEG as a data: URL, or null when none could be made. */
  thumbnail: z.string().nullable(),
});
export type MotionMoment = z.infer<typeof MotionMoment>;

export const MotionSearchJob = z.object({
  id: z.string(),
  accountId: z.string(),
  channelId: z.string(),
  name: z.string(),
  kind: z.enum(['cloud', 'device']),
  startMs: z.number(),
  endMs: z.number(),
  regions: z.array(z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })),
  sensitivity: z.number(),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  /** 0–1, by recorded time searched. */
  progress: z.number(),
  /** Recorded time searched so far (ms) and in all. */
  searchedMs: z.number(),
  recordedMs: z.number(),
  moments: z.array(MotionMoment),
  /** Recordings that could not be read: which, and why (the rest was searched). */
  failures: z.array(z.object({ startMs: z.number(), endMs: z.number(), message: z.string() })),
  message: z.string().nullable(),
});
export type MotionSearchJob = z.infer<typeof MotionSearchJob>;
export const MotionSearchJobs = z.object({ jobs: z.array(MotionSearchJob) });

/** `main:motion`: a job's state with only the moments found since the last event (the renderer appends them). */
export const MotionSearchUpdate = z.object({
  job: MotionSearchJob.omit({ moments: true }),
  moments: z.array(MotionMoment),
});
export type MotionSearchUpdate = z.infer<typeof MotionSearchUpdate>;
