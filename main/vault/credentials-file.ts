import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { forgetSecret, registerSecret } from '../log';
import type { Vault } from './vault';

/**
 * Secrets of a server without a desktop keychain (the headless agent): a JSON object of vault
 * entries (`{"<account id>": "<secret>", "control-room:broker": "…"}`) in a file only the agent's
 * user can read, or in systemd's `$CREDENTIALS_DIRECTORY` (LoadCredential: a private, read-only
 * folder only the service sees). Secrets the agent makes itself (its control-room signing key)
 * go to a second file of its own, written 0600; nothing is ever written to the credential it was given.
 */

/** Why a credentials file may not be read, or null when its mode and owner are right. Pure: the caller stats. */
export function credentialsFileRefusal(
  file: string,
  stat: { mode: number; uid: number; isFile: boolean },
  uid: number | null,
): string | null {
  if (!stat.isFile) return `${file} is not a regular file`;
  const perms = stat.mode & 0o777;
  if (perms & 0o077)
    return `${file} has mode ${perms.toString(8).padStart(4, '0')}: secrets are read only from a file its owner alone can read (chmod 600 ${file})`;
  if (uid !== null && stat.uid !== uid)
    return `${file} belongs to user ${stat.uid}, not to the agent's user ${uid} (chown it, or use systemd's LoadCredential)`;
  return null;
}

/** A credentials file's text as vault entries; a bad one is said, never half-read. */
export function parseCredentials(file: string, text: string): Map<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError('VALIDATION', `${file} is not JSON: ${(e as Error).message.replace(/".*"/, '…')}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new AppError('VALIDATION', `${file} must hold one JSON object of entry names and secrets`);
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string' || !v)
      throw new AppError('VALIDATION', `${file}: the entry "${k}" is not a secret string`);
    out.set(k, v);
  }
  return out;
}

function readChecked(file: string, checkOwner: boolean): Map<string, string> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return new Map();
    throw new AppError('VAULT_UNAVAILABLE', `The credentials file ${file} cannot be read: ${err.message}`);
  }
  const refused = credentialsFileRefusal(
    file,
    { mode: stat.mode, uid: stat.uid, isFile: stat.isFile() },
    checkOwner ? (process.getuid?.() ?? null) : null,
  );
  if (refused) throw new AppError('VAULT_UNAVAILABLE', `Credentials refused: ${refused}`);
  const secrets = parseCredentials(file, fs.readFileSync(file, 'utf8'));
  for (const s of secrets.values()) registerSecret(s);
  return secrets;
}

export class CredentialsFileVault implements Vault {
  private given: Map<string, string> | null = null;
  private own: Map<string, string> | null = null;

  /**
   * `given`: the credentials the operator provides (read-only here; absent: none). `own`: the file
   * for the secrets the agent makes. `systemd`: `given` lies in `$CREDENTIALS_DIRECTORY`, where
   * systemd owns the file for the service and the owner check does not apply.
   */
  constructor(private readonly files: { given: string | null; own: string; systemd?: boolean }) {}

  /** A path, no secret: the file the agent writes what it makes (never the one it was given). */
  get where(): string {
    return `the agent's own credentials file ${this.files.own}`;
  }

  /** Reads (and checks) both files now: a refused file stops the agent at start, with its reason. */
  load(): void {
    this.given = this.files.given ? readChecked(this.files.given, !this.files.systemd) : new Map();
    this.own = readChecked(this.files.own, true);
  }

  private all(): { given: Map<string, string>; own: Map<string, string> } {
    if (!this.given || !this.own) this.load();
    return { given: this.given!, own: this.own! };
  }

  async get(entry: string): Promise<string | null> {
    const { given, own } = this.all();
    return given.get(entry) ?? own.get(entry) ?? null;
  }

  async has(entry: string): Promise<boolean> {
    return (await this.get(entry)) !== null;
  }

  async set(entry: string, secret: string): Promise<void> {
    registerSecret(secret);
    const { own } = this.all();
    const next = new Map(own).set(entry, secret);
    this.write(next);
    this.own = next;
  }

  async delete(entry: string): Promise<boolean> {
    const { own } = this.all();
    const old = own.get(entry);
    if (old === undefined) return false;
    const next = new Map(own);
    next.delete(entry);
    this.write(next);
    this.own = next;
    forgetSecret(old);
    return true;
  }

  /** Atomically, created 0600 (never readable by another user, not even for a moment). */
  private write(secrets: Map<string, string>): void {
    const file = this.files.own;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(secrets), null, 2)}\n`, { mode: 0o600, flag: 'w' });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  }
}
