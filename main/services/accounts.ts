import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  secretDestinations,
  type Account,
  type AccountsAddRequest,
  type AccountsTestResponse,
  type AccountsUpdateRequest,
  type SetAsideAccount,
  type VaultStatus,
} from '../../preload/contract';
import { AppError } from '../errors';
import { log } from '../log';
import { accountScope } from '../net/account-scope';
import type { NetworkScope } from '../net/site-range';
import type { EventBus } from '../events';
import type { Platform } from '../platforms/platform';
import { capabilitiesFor, platformFactories, registrationModelsFor } from '../platforms/registry';
import { AccountRecord } from '../settings/schema';
import type { Settings } from '../settings/settings';
import { devicePasswordsKey, unlockHint, type Vault } from '../vault/vault';
import type { HandlerSlice } from '../ipc/handlers';

type AddRequest = z.infer<typeof AccountsAddRequest>;
type UpdateRequest = z.infer<typeof AccountsUpdateRequest>;

/** Quitting waits this long for the platforms to take back what the adapters held. */
const CLOSE_WAIT_MS = 2000;

export function newAccountId(): string {
  return `acc_${randomBytes(8).toString('hex')}`;
}

/**
 * Accounts: non-secret fields in settings, the secret in the vault. Writes are ordered so that
 * a failure at either store leaves both as they were (the secret is written first and rolled back).
 */
export class AccountsService {
  /** One adapter per account, so tokens and sessions are reused; dropped when the account changes. */
  private readonly platforms = new Map<string, Platform>();
  /** Adapters being made (their secret being read), shared by the calls that arrive meanwhile. */
  private readonly making = new Map<string, Promise<Platform>>();

  constructor(
    private readonly settings: Settings,
    private readonly vault: Vault,
    private readonly events: EventBus,
  ) {}

  async list(): Promise<{ accounts: Account[]; vault: VaultStatus; setAside: SetAsideAccount[] }> {
    const records = this.settings.get().accounts;
    let vault: VaultStatus = { ok: true };
    const accounts: Account[] = [];
    for (const r of records) {
      let secretConfigured = false;
      if (vault.ok) {
        try {
          secretConfigured = await this.vault.has(r.id);
        } catch (e) {
          vault = { ok: false, message: e instanceof Error ? e.message : String(e), hint: unlockHint() };
        }
      }
      accounts.push(toAccount(r, secretConfigured));
    }
    const setAside: SetAsideAccount[] = vault.ok
      ? (await this.offers()).map(({ id, name, config }) => ({ id, name, config }))
      : [];
    return { accounts, vault, setAside };
  }

  /**
   * Accounts set aside on upgrade that the choice "runs on my network" makes valid, offered back
   * while their secret is in the keychain (an account removed since has none: not offered again).
   */
  private async offers(): Promise<AccountRecord[]> {
    const offers: AccountRecord[] = [];
    for (const record of onPremisesOffers(
      this.settings.setAsideAccounts(),
      this.records().map((r) => r.id),
    ))
      if (await this.vault.has(record.id).catch(() => false)) offers.push(record);
    return offers;
  }

  /** The operator put a set-aside account back, marked as running on their network. */
  async restore(id: string): Promise<Account> {
    const record = (await this.offers()).find((r) => r.id === id);
    if (!record) throw new AppError('NOT_FOUND', `No set-aside account with id ${id} can be restored`);
    this.settings.update((s) => ({ ...s, accounts: [...s.accounts, record] }));
    this.events.emit('main:accounts-changed', {});
    return toAccount(record, true);
  }

  async add(req: AddRequest, id = newAccountId()): Promise<Account> {
    const record: AccountRecord = {
      id,
      name: req.name,
      config: req.config,
      createdAt: new Date().toISOString(),
    };
    await this.vault.set(record.id, req.secret);
    try {
      this.settings.update((s) => ({ ...s, accounts: [...s.accounts, record] }));
    } catch (e) {
      await this.vault.delete(record.id).catch(() => undefined);
      throw e;
    }
    this.events.emit('main:accounts-changed', {});
    return toAccount(record, true);
  }

  async update(req: UpdateRequest): Promise<Account> {
    const current = this.find(req.id);
    const config = req.config ?? current.config;
    const credentialKindChanged =
      config.platform !== current.config.platform ||
      (config.platform === 'huawei-vis' &&
        current.config.platform === 'huawei-vis' &&
        config.authMode !== current.config.authMode);
    if (credentialKindChanged && req.secret === undefined) {
      throw new AppError('VALIDATION', 'A new secret is required when the platform or sign-in method changes', {
        fields: {
          secret: { key: 'validation.secretRequiredOnChange', message: 'Enter the secret for the new sign-in method' },
        },
      });
    }
    // The stored secret goes only where it was entered for: a new server needs it typed again,
    // so an edit (or a forged request) cannot send it elsewhere.
    if (req.secret === undefined && secretDestinations(config).join() !== secretDestinations(current.config).join()) {
      throw new AppError('VALIDATION', 'Enter the secret again to send it to a new server', {
        fields: {
          secret: { key: 'validation.secretRequiredOnEndpoint', message: 'The server changed: enter the secret again' },
        },
      });
    }
    const next: AccountRecord = { ...current, name: req.name ?? current.name, config };
    const previousSecret = req.secret === undefined ? null : await this.vault.get(req.id);
    if (req.secret !== undefined) await this.vault.set(req.id, req.secret);
    try {
      this.settings.update((s) => ({ ...s, accounts: s.accounts.map((a) => (a.id === req.id ? next : a)) }));
      void this.drop(req.id);
    } catch (e) {
      if (previousSecret !== null) await this.vault.set(req.id, previousSecret).catch(() => undefined);
      throw e;
    }
    this.events.emit('main:accounts-changed', {});
    return toAccount(next, req.secret !== undefined || (await this.vault.has(req.id)));
  }

  /** The keychain entry goes first: if the keychain refuses, the account stays and the user is told. */
  async remove(id: string): Promise<void> {
    this.find(id);
    await this.vault.delete(id);
    await this.vault.delete(devicePasswordsKey(id)); // generated device passwords (installer)
    this.settings.update((s) => ({ ...s, accounts: s.accounts.filter((a) => a.id !== id) }));
    void this.drop(id);
    this.events.emit('main:accounts-changed', {});
  }

  async test(id: string): Promise<AccountsTestResponse> {
    this.find(id);
    if ((await this.vault.get(id)) === null)
      return {
        status: 'failed',
        message: 'No secret is stored in the keychain for this account; edit it and enter the secret again.',
      };
    const started = Date.now();
    const result = await (await this.platform(id)).testConnection();
    return { ...result, latencyMs: result.latencyMs ?? Date.now() - started };
  }

  /**
   * The account's adapter goes (changed, removed, or the app quits): what it holds on its platform
   * (IVM's live URLs) is given back in the background; a failure is logged, never thrown.
   */
  private async drop(id: string): Promise<void> {
    const p = this.platforms.get(id);
    this.platforms.delete(id);
    this.making.delete(id);
    await p?.close?.().catch((e: unknown) => {
      log.warn(
        `account ${id}: what its adapter held on the platform was not given back: ${e instanceof Error ? e.message : String(e)}`,
      );
    });
  }

  /** On quit: every adapter gives back what it holds, for CLOSE_WAIT_MS at most. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)));
    await Promise.race([Promise.all([...this.platforms.keys()].map((id) => this.drop(id))), late]);
    clearTimeout(timer);
  }

  /** The account's platform adapter (secret from the keychain, kept in main). */
  async platform(id: string): Promise<Platform> {
    const cached = this.platforms.get(id);
    if (cached) return cached;
    // First calls at once (a start-up view's panes and the tree) share one adapter: one sign-in.
    let making = this.making.get(id);
    if (!making) {
      const made: Promise<Platform> = this.credentials(id)
        .then(({ record, secret }) => {
          const p = platformFactories[record.config.platform](record.config, secret);
          // Not kept if the account changed or went while its secret was read.
          if (this.making.get(id) === made) this.platforms.set(id, p);
          return p;
        })
        .finally(() => {
          if (this.making.get(id) === made) this.making.delete(id);
        });
      this.making.set(id, (making = made));
    }
    return making;
  }

  /** Where this account's streams and downloads may lead main (its network, as the operator set it). */
  async scope(id: string): Promise<NetworkScope> {
    const record = this.find(id);
    return accountScope(record.name, record.config);
  }

  records(): AccountRecord[] {
    return this.settings.get().accounts;
  }

  /** For platform services in main only: the account with its secret. Never sent to the renderer. */
  async credentials(id: string): Promise<{ record: AccountRecord; secret: string }> {
    const record = this.find(id);
    const secret = await this.vault.get(id);
    if (secret === null)
      throw new AppError('VAULT_UNAVAILABLE', 'No secret is stored for this account', {
        hint: 'Edit the account and enter its secret again.',
      });
    return { record, secret };
  }

  private find(id: string): AccountRecord {
    const record = this.settings.get().accounts.find((a) => a.id === id);
    if (!record) throw new AppError('NOT_FOUND', `No account with id ${id}`);
    return record;
  }
}

/**
 * The set-aside entries (newest first) that are valid accounts once marked "this platform runs on
 * my network" and were not valid without it: each id once, none already among `ids`. Pure.
 */
export function onPremisesOffers(entries: unknown[], ids: string[]): AccountRecord[] {
  const seen = new Set(ids);
  const offers: AccountRecord[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as { config?: unknown };
    if (typeof e.config !== 'object' || e.config === null) continue;
    if (AccountRecord.safeParse(entry).success) continue; // set aside for another reason (a duplicate id)
    const marked = AccountRecord.safeParse({ ...e, config: { ...e.config, onPremises: true } });
    if (!marked.success || seen.has(marked.data.id)) continue;
    seen.add(marked.data.id);
    offers.push(marked.data);
  }
  return offers;
}

function toAccount(r: AccountRecord, secretConfigured: boolean): Account {
  return {
    id: r.id,
    name: r.name,
    config: r.config,
    secretConfigured,
    createdAt: r.createdAt,
    capabilities: capabilitiesFor(r.config),
    registrationModels: registrationModelsFor(r.config),
  };
}

/** The accounts page's channels. */
export function accountsHandlers(accounts: AccountsService): HandlerSlice {
  return {
    'accounts:list': () => accounts.list(),
    'accounts:add': (req) => accounts.add(req),
    'accounts:update': (req) => accounts.update(req),
    'accounts:remove': async ({ id }) => {
      await accounts.remove(id);
      return null;
    },
    'accounts:test': ({ id }) => accounts.test(id),
    'accounts:restore': ({ id }) => accounts.restore(id),
  };
}
