import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';
import type { AlarmAction } from '../../preload/contract';

/**
 * What a control-room member signs, and how a receiver checks it: pure functions over Ed25519
 * (`node:crypto`). Every message a member publishes travels in an envelope naming the member and
 * signed over the topic and the body, so a message is checked at the link's receiving layer before
 * any topic reads it, whatever its kind. Actions carry a signature of their own as well: a seat
 * shares the alarm states others acted on, and each action inside must still prove its seat.
 */

/** A member's key pair: the private key lives in the keychain and main's memory only. */
export interface SeatKey {
  privateKey: KeyObject;
  /** The raw 32-byte public key, base64: what presence announces and seats pin. */
  publicKey: string;
}

/** The 32-byte Ed25519 public key out of its SPKI DER (12 bytes of fixed prefix, then the key). */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function newSeatKey(): SeatKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return keyFrom(privateKey);
}

function keyFrom(privateKey: KeyObject): SeatKey {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: der.subarray(SPKI_PREFIX.length).toString('base64') };
}

/** The private key as the keychain keeps it (PKCS#8 DER, base64). */
export function exportSeatKey(key: SeatKey): string {
  return key.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

/** A key as the keychain kept it; throws on anything that is not an Ed25519 private key. */
export function importSeatKey(stored: string): SeatKey {
  const privateKey = createPrivateKey({ key: Buffer.from(stored, 'base64'), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the stored seat key is not an Ed25519 key');
  return keyFrom(privateKey);
}

/** A base64 public key as announced: exactly 32 bytes. */
export const PublicKey = z
  .string()
  .max(64)
  .refine((k) => Buffer.from(k, 'base64').length === 32 && Buffer.from(k, 'base64').toString('base64') === k, {
    message: 'an Ed25519 public key (32 bytes, base64)',
  });

function publicKeyObject(publicKey: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicKey, 'base64')]),
    format: 'der',
    type: 'spki',
  });
}

/** What people compare when they check a key: SHA-256 of the raw key, the first 16 bytes in hex pairs. */
export function fingerprint(publicKey: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 32);
  return hex.match(/../g)!.join(':');
}

function signText(text: string, key: SeatKey): string {
  return sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
}

function verifyText(text: string, signature: string, publicKey: string): boolean {
  try {
    const sig = Buffer.from(signature, 'base64');
    return sig.length === 64 && verify(null, Buffer.from(text, 'utf8'), publicKeyObject(publicKey), sig);
  } catch {
    return false;
  }
}

/** The envelope every published message travels in (a cleared retained message is empty and has none). */
export const Envelope = z
  .object({
    v: z.literal(1),
    /** the member that signed it */
    by: z.string().min(1).max(64),
    /** the message itself, as its topic reads it */
    body: z.string(),
    sig: z.string().max(100),
  })
  .strict();
export type Envelope = z.infer<typeof Envelope>;

/** Topic, member and body, each on its own line: a message cannot be moved to another topic or member. */
const envelopeText = (topic: string, by: string, body: string) => `vigil-envelope-v1\n${topic}\n${by}\n${body}`;

/** `body` (a topic's payload) sealed by `by` for `topic`. */
export function seal(topic: string, body: string, by: string, key: SeatKey): string {
  return JSON.stringify({ v: 1, by, body, sig: signText(envelopeText(topic, by, body), key) });
}

/** Parses an envelope; null when the payload is not one (refused, not read). */
export function openEnvelope(payload: string): Envelope | null {
  try {
    const e = Envelope.safeParse(JSON.parse(payload));
    return e.success ? e.data : null;
  } catch {
    return null;
  }
}

export function envelopeValid(topic: string, e: Envelope, publicKey: string): boolean {
  return verifyText(envelopeText(topic, e.by, e.body), e.sig, publicKey);
}

/** An action's signed fields, in a fixed order. */
const actionText = (a: AlarmAction) =>
  `vigil-action-v1\n${JSON.stringify([a.id, a.alarmId, a.kind, a.seat, a.user, a.at, a.to ?? null, a.note ?? null])}`;

/** The action with its seat's signature. */
export function signAction(a: AlarmAction, key: SeatKey): AlarmAction {
  const { sig: _old, ...plain } = a;
  return { ...plain, sig: signText(actionText(plain), key) };
}

export function actionValid(a: AlarmAction, publicKey: string): boolean {
  return !!a.sig && verifyText(actionText(a), a.sig, publicKey);
}

/** How far seats' clocks may differ from each other and from a platform's. */
export const CLOCK_SKEW = 10 * 60_000;

/**
 * Why an action's time is not believable, or null: before its alarm (beyond clock skew), or in
 * the future. `alarmAt` is null for an action whose alarm is not here yet.
 */
export function actionTimeRefused(at: number, alarmAt: number | null, now: number): string | null {
  if (at > now + CLOCK_SKEW) return `dated ${new Date(at).toISOString()}, in the future`;
  if (alarmAt !== null && at < alarmAt - CLOCK_SKEW)
    return `dated ${new Date(at).toISOString()}, before its alarm (${new Date(alarmAt).toISOString()})`;
  return null;
}
