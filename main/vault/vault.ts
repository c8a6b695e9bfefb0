import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
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
  /** Where new secrets are written, for the log ("the OS keychain"; absent: the OS keychain). */
  readonly where?: string;
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

/**
 * Each live entry holds one keychain connection until garbage collection frees it: entries are
 * used only to write, and at most this many are kept for reuse.
 */
const MAX_ENTRIES = 16;

/** A keychain call that has not answered by then is reported instead of holding the queue for good. */
const KEYCHAIN_TIMEOUT_MS = 20_000;

/** A read that finds no secret looks in the keychain again at most this often (another tool may have added it). */
const MISS_RELOAD_MS = 5_000;

/**
 * Reads come from one listing of the service's entries (`findCredentialsAsync`: one call, no
 * connection left behind), kept in main's memory; writes go through reused entries; one keychain
 * call runs at a time. Every new `AsyncEntry` had held a Secret Service connection that only
 * garbage collection closed: a burst of hundreds of reads (a wall loading many accounts) ran the
 * process past 1,024 descriptors and the native module spun on the main thread.
 */
export class KeyringVault implements Vault {
  readonly where = 'the OS keychain';
  private readonly entries = new Map<string, AsyncEntry>();
  private secrets: Map<string, string> | null = null;
  private loading: Promise<Map<string, string>> | null = null;
  private loadedAt = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly service = VAULT_SERVICE) {}

  /** The entry for a key, reused; the least recently used beyond MAX_ENTRIES are let go. */
  private entry(accountId: string): AsyncEntry {
    let e = this.entries.get(accountId);
    if (e)
      this.entries.delete(accountId); // re-inserted below: the map's order is recency
    else
      e = new AsyncEntry(
        this.service,
        accountId,
        process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined,
      );
    this.entries.set(accountId, e);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return e;
  }

  /** Runs keychain calls one after another; a call that never answers fails after a timeout. */
  private serial<T>(action: string, call: () => Promise<T>): Promise<T> {
    const run = async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${KEYCHAIN_TIMEOUT_MS / 1000} s`)),
          KEYCHAIN_TIMEOUT_MS,
        );
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

  /** Every secret of the service, listed once (again on `reload`); concurrent callers share one listing. */
  private all(reload = false): Promise<Map<string, string>> {
    if (this.secrets && !reload) return Promise.resolve(this.secrets);
    this.loading ??= this.serial('read the secrets', async () => {
      const found = new Map<string, string>();
      for (const c of await findCredentialsAsync(this.service)) {
        registerSecret(c.password);
        found.set(c.account, c.password);
      }
      this.secrets = found;
      this.loadedAt = Date.now();
      return found;
    }).finally(() => (this.loading = null));
    return this.loading;
  }

  async set(accountId: string, secret: string): Promise<void> {
    registerSecret(secret);
    await this.serial('store the secret', () => this.entry(accountId).setPassword(secret));
    this.secrets?.set(accountId, secret);
  }

  async get(accountId: string): Promise<string | null> {
    let secrets = await this.all();
    if (!secrets.has(accountId) && Date.now() - this.loadedAt > MISS_RELOAD_MS) secrets = await this.all(true);
    return secrets.get(accountId) ?? null;
  }

  async delete(accountId: string): Promise<boolean> {
    const deleted = await this.serial('delete the secret', async () => {
      const entry = this.entry(accountId);
      const found = (await entry.getPassword()) !== null;
      return found && (await entry.deletePassword());
    });
    const old = this.secrets?.get(accountId);
    if (old !== undefined) forgetSecret(old);
    this.secrets?.delete(accountId);
    this.entries.delete(accountId);
    return deleted;
  }

  async has(accountId: string): Promise<boolean> {
    return (await this.get(accountId)) !== null;
  }
}
