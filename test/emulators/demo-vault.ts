import { AppError } from '../../main/errors';
import type { Vault } from '../../main/vault/vault';

/**
 * The demo's vault on a machine without a Secret Service (and without gnome-keyring to start a
 * private one): the demo's own emulator secrets, held in this process's memory for this run.
 * Only `npm run demo` selects it — never a silent fallback for normal runs — and it refuses
 * every other secret, so an account a user adds is never kept outside the OS keychain. Keys this
 * Vigil makes for itself (a seat's control-room signing key, the evidence signing key) live here
 * for the run too: they sign only what this demo makes.
 */
export class DemoMemoryVault implements Vault {
  private readonly data = new Map<string, string>();

  /** `own`: the emulators' secrets, the only ones this vault will hold. */
  constructor(private readonly own: ReadonlySet<string>) {}

  async set(id: string, secret: string): Promise<void> {
    // Device passwords a demo platform generated belong to that demo account.
    const deviceKey = /^gb-devices:(.+)$/.exec(id);
    const ownAccount = deviceKey ? this.data.has(deviceKey[1]!) : this.own.has(secret);
    const ownKey = id.startsWith('control-room:seat-key:') || id === 'evidence-signing-key';
    if (!ownAccount && !ownKey) {
      throw new AppError(
        'VAULT_UNAVAILABLE',
        'No OS keychain is running: this demo keeps only its own emulator secrets, in memory, for this run',
        {
          hint: 'Start the Secret Service (e.g. gnome-keyring) and run the demo again to add accounts of your own.',
        },
      );
    }
    this.data.set(id, secret);
  }

  async get(id: string): Promise<string | null> {
    return this.data.get(id) ?? null;
  }

  async delete(id: string): Promise<boolean> {
    return this.data.delete(id);
  }

  async has(id: string): Promise<boolean> {
    return this.data.has(id);
  }
}
