import { z } from 'zod';
import { AccountId } from './accounts';

/**
 * Clip export: a range of one channel's recording saved as a file in main (the platform's own
 * download where it has one, otherwise the recording's HLS remuxed to MP4 with ffmpeg, or its
 * TS segments joined). Jobs run one at a time; progress arrives as `main:export` events.
 */
export const ExportRequest = z
  .object({
    accountId: AccountId,
    channelId: z.string().max(300),
    /** Used in the file name. */
    name: z.string().max(200),
    kind: z.enum(['cloud', 'device']),
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().nonnegative(),
  })
  .strict()
  .refine((r) => r.endMs > r.startMs && r.endMs - r.startMs <= 3600_000, {
    message: 'validation.exportRange|A clip is 1 s to 60 min long',
    path: ['endMs'],
  });

export const ExportJob = z.object({
  id: z.string(),
  name: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  /** 0–1 */
  progress: z.number(),
  /** Where the finished file is. */
  file: z.string().nullable(),
  /** What failed, or a note (e.g. the clip was cut at the recording's end). */
  message: z.string().nullable(),
});
export type ExportJob = z.infer<typeof ExportJob>;
export const ExportJobs = z.object({ jobs: z.array(ExportJob) });
