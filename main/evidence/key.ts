import { AppError } from '../errors';
import type { Vault } from '../vault/vault';
import { fingerprint, newSigningKey, publicPemOf, signBytes } from './signing';

/** The keychain entry (service `vigil`) that holds this installation's evidence signing key. */
export const EVIDENCE_KEY_ENTRY = 'evidence-signing-key';

/**
 * This installation's Ed25519 evidence key: made on first use, kept only in the OS keychain and,
 * once read, in this object (main's memory). A locked or missing keychain is the vault's clear
 * error; there is no other place the key could be. A stored key that cannot be read is an error
 * too, never silently replaced: evidence signed with it would no longer match the fingerprint the
 * supervisor handed out.
 */
export class EvidenceKey {
  private key: Promise<{ privatePem: string; publicPem: string }> | null = null;

  constructor(private readonly vault: Vault) {}

  private load(): Promise<{ privatePem: string; publicPem: string }> {
    // One load at a time: two first exports at once must not make two keys.
    this.key ??= (async () => {
      const stored = await this.vault.get(EVIDENCE_KEY_ENTRY);
      if (stored !== null) {
        try {
          return { privatePem: stored, publicPem: publicPemOf(stored) };
        } catch {
          throw new AppError(
            'INTERNAL',
            `The evidence signing key in the OS keychain (entry "${EVIDENCE_KEY_ENTRY}") is not an Ed25519 key; it was left as it is`,
          );
        }
      }
      const made = newSigningKey();
      await this.vault.set(EVIDENCE_KEY_ENTRY, made.privatePem);
      return made;
    })();
    // A failure (keychain locked) is not remembered: the next use asks the keychain again.
    this.key.catch(() => (this.key = null));
    return this.key;
  }

  /** The public key (SPKI PEM) and its fingerprint (SHA-256 of the SPKI DER, hex). */
  async info(): Promise<{ publicKeyPem: string; fingerprint: string }> {
    const { publicPem } = await this.load();
    return { publicKeyPem: publicPem, fingerprint: fingerprint(publicPem) };
  }

  /** The base64 signature of `bytes`. */
  async sign(bytes: Uint8Array): Promise<string> {
    return signBytes(bytes, (await this.load()).privatePem);
  }
}
