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

/** A keychain call that has not answered by then is reported instead of holding the queue for good. */
const KEYCHAIN_TIMEOUT_MS = 20_000;

/**
 * One keychain entry object per key, reused, and one keychain call at a time. Every new
 * `AsyncEntry` opens a Secret Service connection that only garbage collection closes: a burst
 * of hundreds of reads (a wall loading many accounts) ran the process past 1,024 descriptors and
 * the native module spun on the main thread. A reused entry keeps one connection; the queue keeps
 * a burst from fanning out. Whether a secret is configured is cached (never the secret itself).
 */
export class KeyringVault implements Vault {
  private readonly entries = new Map<string, AsyncEntry>();
  private readonly configured = new Map<string, boolean>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly service = VAULT_SERVICE) {}

  private entry(accountId: string): AsyncEntry {
    let e = this.entries.get(accountId);
    if (!e) {
      e = new AsyncEntry(this.service, accountId, process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined);
      this.entries.set(accountId, e);
    }
    return e;
  }

  /** Runs keychain calls one after another; a call that never answers fails after a timeout. */
  private serial<T>(action: string, call: () => Promise<T>): Promise<T> {
    const run = async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${KEYCHAIN_TIMEOUT_MS / 1000} s`)), KEYCHAIN_TIMEOUT_MS);
      });
      try {
        return await Promise.race([call(), timeout]);
      } catch (e) {
        throw vaultError(action, e);
      } finally {
        clearTimeout(timer);
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  set(accountId: string, secret: string): Promise<void> {
    registerSecret(secret);
    return this.serial('store the secret', async () => {
      await this.entry(accountId).setPassword(secret);
      this.configured.set(accountId, true);
    });
  }

  get(accountId: string): Promise<string | null> {
    return this.serial('read the secret', async () => {
      const value = await this.entry(accountId).getPassword();
      if (value !== null) registerSecret(value);
      this.configured.set(accountId, value !== null);
      return value;
    });
  }

  delete(accountId: string): Promise<boolean> {
    return this.serial('delete the secret', async () => {
      const entry = this.entry(accountId);
      const old = await entry.getPassword();
      const deleted = await entry.deletePassword();
      if (old !== null) forgetSecret(old);
      this.configured.set(accountId, false);
      return deleted;
    });
  }

  async has(accountId: string): Promise<boolean> {
    const known = this.configured.get(accountId);
    if (known !== undefined) return known;
    return (await this.get(accountId)) !== null;
  }
}
