import { createHash } from 'node:crypto';
import { THUMB_BUCKETS_MS } from '../../../preload/contract/thumbnails';

/**
 * What names one cached picture: the camera, which storage, the recording it was taken from and
 * the time bucket. Never a play URL: those are signed, short-lived and secret, and the same
 * picture is reached by a new URL every time.
 */
export interface ThumbIdentity {
  accountId: string;
  channelId: string;
  kind: 'cloud' | 'device';
  /** Start of the recording (listed platforms) or of the window asked for (unlisted ones), epoch ms. */
  recordingStartMs: number;
  bucketMs: number;
  /** Start of the bucket, epoch ms (a multiple of bucketMs). */
  bucketStartMs: number;
}

/** Whether `ms` is one of the bucket sizes the contract allows. */
export function isBucket(ms: number): boolean {
  return (THUMB_BUCKETS_MS as readonly number[]).includes(ms);
}

/** The start of the bucket of size `bucketMs` holding `atMs` (floored, also before 1970). */
export function bucketStart(atMs: number, bucketMs: number): number {
  if (!isBucket(bucketMs)) throw new RangeError(`no bucket of ${bucketMs} ms`);
  return Math.floor(atMs / bucketMs) * bucketMs;
}

/** The smallest allowed bucket at least `ms` long (the largest when none is). */
export function bucketAtLeast(ms: number): number {
  return THUMB_BUCKETS_MS.find((b) => b >= ms) ?? THUMB_BUCKETS_MS[THUMB_BUCKETS_MS.length - 1]!;
}

/**
 * The cache key: a hash, so nothing of the account or camera shows in a file name, and fields are
 * length-prefixed so no two identities join to the same text.
 */
export function thumbKey(id: ThumbIdentity): string {
  const parts = [
    'v1',
    id.accountId,
    id.channelId,
    id.kind,
    String(id.recordingStartMs),
    String(id.bucketMs),
    String(id.bucketStartMs),
  ];
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:${p}|`);
  return h.digest('hex').slice(0, 40);
}

/** A cache file's name for a key, and the key back from a name (null: not one of ours). */
export const fileOfKey = (key: string) => `${key}.jpg`;
export function keyOfFile(name: string): string | null {
  return /^([0-9a-f]{40})\.jpg$/.exec(name)?.[1] ?? null;
}
