import { z } from 'zod';
import { AccountId } from './accounts';

/**
 * Signed evidence export: clips of one or more cameras (each a camera, a time range and an
 * optional note — what a timeline selection or a bookmark gives) written with a manifest of their
 * SHA-256, signed with this installation's Ed25519 key, into `~/Downloads/Vigil/evidence/<case>_<time>/`
 * (and a .zip of it when asked). Progress arrives as `main:evidence` events.
 */
export const EvidenceItem = z
  .object({
    accountId: AccountId,
    channelId: z.string().max(300),
    /** The camera's name (the clip's file name and the manifest's camera.name). */
    name: z.string().max(200),
    /** Cloud or device recording; absent: cloud where the range starts, else device. */
    kind: z.enum(['cloud', 'device']).optional(),
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().nonnegative(),
    /** A bookmark's note: written beside the clip as `<clip>.note.txt`. */
    note: z.string().max(4000).optional(),
    /** A picture at this moment (within the range), taken from the clip: `<clip>.snapshot.jpg`. */
    snapshotMs: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((r) => r.endMs > r.startMs && r.endMs - r.startMs <= 3600_000, {
    message: 'validation.exportRange|A clip is 1 s to 60 min long',
    path: ['endMs'],
  })
  .refine((r) => r.snapshotMs === undefined || (r.snapshotMs >= r.startMs && r.snapshotMs < r.endMs), {
    message: 'validation.evidenceSnapshot|The snapshot is taken within the clip',
    path: ['snapshotMs'],
  });
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const EvidenceRequest = z
  .object({
    /** The case reference: the folder's name starts with it. */
    case: z
      .string()
      .trim()
      .min(1, { message: 'validation.evidenceCase|A case name is needed' })
      .max(100, { message: 'validation.evidenceCase|A case name is at most 100 characters' }),
    note: z.string().max(4000).default(''),
    items: z.array(EvidenceItem).min(1).max(64),
    /** Also write `<case>_<time>.zip` of the folder. */
    zip: z.boolean().default(false),
    /** Burn operator, seat and export time into the picture (re-encodes the video). */
    watermark: z.boolean().default(false),
  })
  .strict();

export const EvidenceItemState = z.object({
  name: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  progress: z.number(),
  /** The clip's name in the folder once written. */
  file: z.string().nullable(),
  message: z.string().nullable(),
});

export const EvidenceJob = z.object({
  id: z.string(),
  case: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  /** 0–1 */
  progress: z.number(),
  /** The evidence folder (null until made, and again if it was removed). */
  folder: z.string().nullable(),
  zip: z.string().nullable(),
  items: z.array(EvidenceItemState),
  /** Fingerprint of the signing key (SHA-256 of its SPKI DER, hex). */
  fingerprint: z.string().nullable(),
  message: z.string().nullable(),
});
export type EvidenceJob = z.infer<typeof EvidenceJob>;
export const EvidenceJobs = z.object({ jobs: z.array(EvidenceJob) });

/** This installation's evidence key: its public half and fingerprint (the private key never leaves main). */
export const EvidenceKeyInfo = z.object({
  /** SHA-256 of the SPKI DER, lowercase hex. */
  fingerprint: z.string(),
  publicKeyPem: z.string(),
});
