import { z } from 'zod';

/**
 * H.265 → H.264 transcoding in main (issue 24), for panes whose runtime cannot decode H.265.
 * The renderer detects the codec and asks with the relay URL it was given; main answers a
 * loopback HTTP-FLV URL, or refuses with what the budget lacks and who holds it.
 */
export const TranscodeRequest = z
  .object({
    /** A ticket URL of main's relay (what live:source / playback:source answered). */
    url: z.string().url().max(4096),
    protocol: z.enum(['flv', 'hls']),
    /** The pane's size in device pixels (the output fits inside, never larger than the source). */
    width: z.number().int().min(16).max(7680),
    height: z.number().int().min(16).max(4320),
    audio: z.boolean(),
    /** The channel's name, shown to a pane that is refused. */
    label: z.string().max(128),
    /** Stop this transcode first: the pane's previous one, or another pane's to take its place. */
    replace: z.string().max(64).optional(),
    /** Live (kept near its live edge, thinned to key frames when late) or a recording (every picture, paced). */
    live: z.boolean(),
    /** Recordings: seconds from the start of the source (where its playlist does not date it). */
    startAt: z
      .number()
      .min(0)
      .max(7 * 86_400)
      .optional(),
    /** Recordings over HLS: the wall time to start at (epoch ms), found by the playlist's dates. */
    atMs: z.number().int().min(0).max(8.64e15).optional(),
  })
  .strict();
export type TranscodeRequest = z.infer<typeof TranscodeRequest>;

export const TranscodeHolder = z.object({
  id: z.string(),
  label: z.string(),
  /** Charged against the budget (an estimate from the output's pixel rate). */
  costCores: z.number(),
  /** Measured CPU of its ffmpeg, % of one core (null until measured, or where not measured). */
  cpuPct: z.number().nullable(),
});
export type TranscodeHolder = z.infer<typeof TranscodeHolder>;

export const TranscodeAnswer = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    id: z.string(),
    url: z.string(),
    costCores: z.number(),
    budgetCores: z.number(),
    usedCores: z.number(),
    /** The wall time (epoch ms) of the output's first picture, where a recording's playlist dates it. */
    startsAtMs: z.number().optional(),
  }),
  z.object({
    ok: z.literal(false),
    needCores: z.number(),
    budgetCores: z.number(),
    usedCores: z.number(),
    holders: z.array(TranscodeHolder),
  }),
]);
export type TranscodeAnswer = z.infer<typeof TranscodeAnswer>;

export const TranscodeList = z.object({
  budgetCores: z.number(),
  usedCores: z.number(),
  transcodes: z.array(TranscodeHolder),
});
export type TranscodeList = z.infer<typeof TranscodeList>;

export const TranscodeStopRequest = z.object({ id: z.string().max(64) }).strict();

/**
 * The rate a live pane decodes at, as the window's decode budget assigns it: every frame, key frames
 * only (one a GOP), or none (held unseen, its connection open). Main's relay cuts an FLV stream to it
 * (`media:rate`) and the page's players decode at it.
 */
export const DecodeRate = z.enum(['full', 'key', 'none']);
export type DecodeRate = z.infer<typeof DecodeRate>;
