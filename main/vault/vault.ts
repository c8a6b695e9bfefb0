import { AsyncEntry } from '@napi-rs/keyring';
import { AppError } from '../errors';
import { forgetSecret, log, registerSecret } from '../log';

/**
 * Secrets in the OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret Service),
 * one entry per account: service `vigil`, account = account id. Never a plaintext fallback:
 * on Linux the entry is pinned to the Secret Service so a missing daemon is an error, not a
 * silent switch to the kernel keyring.
 */
export interface Vault {
  set(accountId: string, secret: string): Promise<void>;
  get(accountId: string): Promise<string | null>;
  /** true if an entry was deleted, false if there was none */
  delete(accountId: string): Promise<boolean>;
  has(accountId: string): Promise<boolean>;
}

export const VAULT_SERVICE = 'vigil';

/** The entry beside an account's own that keeps device passwords its platform generated. */
export const devicePasswordsKey = (accountId: string) => `gb-devices:${accountId}`;

export function unlockHint(os: NodeJS.Platform = process.platform): string {
  switch (os) {
    case 'darwin':
      return 'Open Keychain Access and unlock the "login" keychain, then try again.';
    case 'win32':
      return 'Sign in to Windows with your own account so Credential Manager is available, then try again.';
    default:
      return 'Start a Secret Service provider (GNOME Keyring or KWallet) in your desktop session and unlock the "login" keyring (e.g. open Passwords and Keys / seahorse), then try again.';
  }
}

function vaultError(action: string, cause: unknown): AppError {
  // The keyring's own text says what failed (locked, no service); it never contains the secret.
  const reason = cause instanceof Error ? cause.message : String(cause);
  log.warn(`keychain ${action} failed: ${reason}`);
  return new AppError('VAULT_UNAVAILABLE', `The OS keychain could not ${action}: ${reason}`, { hint: unlockHint() });
}

export class KeyringVault implements Vault {
  constructor(private readonly service = VAULT_SERVICE) {}

  private entry(accountId: string): AsyncEntry {
    return new AsyncEntry(this.service, accountId, process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined);
  }

  async set(accountId: string, secret: string): Promise<void> {
    registerSecret(secret);
    try {
      await this.entry(accountId).setPassword(secret);
    } catch (e) {
      throw vaultError('store the secret', e);
    }
  }

  async get(accountId: string): Promise<string | null> {
    try {
      const value = await this.entry(accountId).getPassword();
      if (value !== null) registerSecret(value);
      return value;
    } catch (e) {
      throw vaultError('read the secret', e);
    }
  }

  async delete(accountId: string): Promise<boolean> {
    try {
      const entry = this.entry(accountId);
      const old = await entry.getPassword();
      const deleted = await entry.deletePassword();
      if (old !== null) forgetSecret(old);
      return deleted;
    } catch (e) {
      throw vaultError('delete the secret', e);
    }
  }

  async has(accountId: string): Promise<boolean> {
    return (await this.get(accountId)) !== null;
  }
}
