import { create } from 'zustand';
import type { Account, AccountsTestResponse, RequestOf, SetAsideAccount, VaultStatus } from '../../../preload/contract';
import { invoke, on, type VigilError } from '../../ipc';

/** Accounts as main reports them: never a secret, only whether one is in the keychain. */
export interface AccountsState {
  accounts: Account[];
  vault: VaultStatus;
  /** Accounts an upgrade set aside that "this platform runs on my network" would make valid. */
  setAside: SetAsideAccount[];
  loaded: boolean;
  error: VigilError | null;
  testing: Record<string, boolean>;
  lastTest: Record<string, AccountsTestResponse>;
  refresh(): Promise<void>;
  add(request: RequestOf<'accounts:add'>): Promise<Account>;
  update(request: RequestOf<'accounts:update'>): Promise<Account>;
  remove(id: string): Promise<void>;
  test(id: string): Promise<AccountsTestResponse>;
  /** Puts a set-aside account back, marked as running on the operator's network. */
  restore(id: string): Promise<Account>;
}

export const useAccountsStore = create<AccountsState>()((set, get) => ({
  accounts: [],
  vault: { ok: true },
  setAside: [],
  loaded: false,
  error: null,
  testing: {},
  lastTest: {},
  async refresh() {
    try {
      const { accounts, vault, setAside } = await invoke('accounts:list', {});
      set({ accounts, vault, setAside, loaded: true, error: null });
    } catch (e) {
      set({ error: e as VigilError, loaded: true });
    }
  },
  async add(request) {
    const account = await invoke('accounts:add', request);
    await get().refresh();
    return account;
  },
  async update(request) {
    const account = await invoke('accounts:update', request);
    await get().refresh();
    return account;
  },
  async restore(id) {
    const account = await invoke('accounts:restore', { id });
    await get().refresh();
    return account;
  },
  async remove(id) {
    await invoke('accounts:remove', { id });
    await get().refresh();
  },
  async test(id) {
    set((s) => ({ testing: { ...s.testing, [id]: true } }));
    try {
      const result = await invoke('accounts:test', { id });
      set((s) => ({ lastTest: { ...s.lastTest, [id]: result } }));
      return result;
    } finally {
      set((s) => ({ testing: { ...s.testing, [id]: false } }));
    }
  },
}));

export function listenToAccounts(): () => void {
  return on('main:accounts-changed', () => void useAccountsStore.getState().refresh());
}

export const selectAccounts = (s: AccountsState) => s.accounts;
export const selectHasAccounts = (s: AccountsState) => s.accounts.length > 0;
