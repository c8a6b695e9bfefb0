import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/**
 * Ed25519 over the manifest's exact bytes (node:crypto; verify.html does the same with WebCrypto).
 * Keys travel as PEM: the private one PKCS#8 (only ever in the keychain and main's memory), the
 * public one SPKI. Pure: no key is kept here.
 */

export function newSigningKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The SPKI PEM of a private key's public half; throws when the PEM is not an Ed25519 private key. */
export function publicPemOf(privatePem: string): string {
  const key = createPrivateKey(privatePem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the key is not an Ed25519 key');
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

/** The base64 Ed25519 signature of `bytes`. */
export function signBytes(bytes: Uint8Array, privatePem: string): string {
  return sign(null, bytes, createPrivateKey(privatePem)).toString('base64');
}

/** True when `signatureB64` is `bytes` signed by `publicPem`'s key; false for anything malformed. */
export function verifyBytes(bytes: Uint8Array, signatureB64: string, publicPem: string): boolean {
  try {
    const key = createPublicKey(publicPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    const sig = Buffer.from(signatureB64.trim(), 'base64');
    if (sig.length !== 64) return false;
    return verify(null, bytes, key, sig);
  } catch {
    return false;
  }
}

/**
 * The key's fingerprint: SHA-256 of its SPKI DER, lowercase hex (64 characters). The same number
 * Settings shows, the verifier prints and verify.html computes, so a receiver can compare it with
 * the one the supervisor gave them by another channel.
 */
export function fingerprint(publicPem: string): string {
  const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** The fingerprint in groups of four, for reading aloud. */
export function groupedFingerprint(hex: string): string {
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}
