import type { z } from 'zod';
import {
  brokerCarriesPasswordSafely,
  brokerDestination,
  ControlRoomSettings,
  type ControlRoomSetRequest,
} from '../../../preload/contract';
import type { ControlRoomLink } from '../../control-room/link';
import { exportSeatKey, importSeatKey, newSeatKey, type SeatKey } from '../../control-room/signing';
import { AppError } from '../../errors';
import { log, registerSecret } from '../../log';
import type { Settings } from '../../settings/settings';
import type { Vault } from '../../vault/vault';

/** The keychain entry of the control room's broker password. */
export const BROKER_SECRET = 'control-room:broker';
/**
 * The keychain entry of a member's Ed25519 signing key (made on first use, never anywhere else):
 * one per site and seat, so a seat and an agent on one computer are two members.
 */
export const seatKeySecret = (site: string, seat: string) => `control-room:seat-key:${site}/${seat}`;

/**
 * This member's place in the control room: its saved settings, the broker password and signing
 * key from the vault, and the link (re)connected with them.
 */
export class ControlRoomMembership {
  private signingKey: { entry: string; key: SeatKey } | null = null;

  constructor(
    private readonly link: ControlRoomLink,
    private readonly control?: { settings: Settings; vault: Vault },
  ) {}

  get settings(): ControlRoomSettings | null {
    return this.control?.settings.get().controlRoom ?? null;
  }

  /** The broker with the saved settings and the password from the keychain (a locked keychain is said). */
  async connect(): Promise<void> {
    const settings = this.settings;
    if (!settings || !this.control) return;
    let password: string | null = null;
    if (settings.enabled && settings.brokerUrl) password = await this.control.vault.get(BROKER_SECRET);
    if (password && !brokerCarriesPasswordSafely(settings.brokerUrl)) {
      // Saved by an older Vigil: the password stays in the keychain and is not sent in clear text.
      log.warn('control room: a broker password is not sent over plain mqtt:// or ws://; connecting without it');
      password = null;
    }
    if (password) registerSecret(password);
    const key =
      settings.enabled && settings.brokerUrl
        ? await this.seatKey(this.control.vault, seatKeySecret(settings.site, settings.seat))
        : null;
    await this.link.configure(settings, password, key);
  }

  /**
   * This member's signing key: from the keychain, or made and stored there on first use. A stored
   * key that cannot be read is an error, not replaced: every other seat pinned it.
   */
  private async seatKey(vault: Vault, entry: string): Promise<SeatKey> {
    if (this.signingKey?.entry === entry) return this.signingKey.key;
    const stored = await vault.get(entry);
    let key: SeatKey;
    if (stored) {
      try {
        key = importSeatKey(stored);
      } catch (e) {
        throw new AppError(
          'VAULT_UNAVAILABLE',
          `This seat's control-room signing key in ${vault.where ?? 'the OS keychain'} cannot be read (${(e as Error).message}); remove the entry "${entry}" to make a new one, then have a supervisor revoke the old key at the other seats`,
        );
      }
    } else {
      key = newSeatKey();
      await vault.set(entry, exportSeatKey(key));
      // Said where it really went: an agent without a desktop keychain writes its own credentials file.
      log.info(
        `control room: a signing key for this member was made and stored in ${vault.where ?? 'the OS keychain'}`,
      );
    }
    registerSecret(exportSeatKey(key));
    this.signingKey = { entry, key };
    return key;
  }

  state() {
    const settings = this.settings ?? ControlRoomSettings.parse({});
    return { settings, status: this.link.status() };
  }

  /**
   * Saves the settings (the password into the keychain, never the settings file) and reconnects.
   * A bad URL is refused by the contract before this runs.
   */
  async set(request: z.infer<typeof ControlRoomSetRequest>): Promise<ControlRoomSettings> {
    if (!this.control) throw new AppError('NOT_AVAILABLE', 'No settings in this host');
    const { password, ...settings } = request;
    if (settings.enabled && !settings.brokerUrl)
      throw new AppError('VALIDATION', 'A broker URL is needed to share alarms with other seats');
    const stored = password === undefined ? await this.control.vault.get(BROKER_SECRET) : null;
    const before = this.settings;
    if (stored && before && brokerDestination(before) !== brokerDestination(settings))
      throw new AppError(
        'VALIDATION',
        'The broker, its login or its CA changed: type the broker password again (a stored password is sent only to the broker it was typed for)',
      );
    if ((password || stored) && settings.brokerUrl && !brokerCarriesPasswordSafely(settings.brokerUrl))
      throw new AppError(
        'VALIDATION',
        'A broker password is sent only over mqtts:// or wss:// (plain mqtt:// and ws:// would carry it readable); use TLS, or a broker without login',
      );
    if (password) await this.control.vault.set(BROKER_SECRET, password);
    else if (password === '') await this.control.vault.delete(BROKER_SECRET);
    this.control.settings.update((f) => ({ ...f, controlRoom: settings }));
    await this.connect();
    return settings;
  }
}
