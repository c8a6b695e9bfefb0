import type { InstallerState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The installer page: the account, the results and assistants of the last add. */
export const selectInstallerPage = (s: InstallerState) => ({
  accountId: s.accountId,
  assistants: s.assistants,
  error: s.error,
  results: s.results,
  setAccount: s.setAccount,
  dismissAssistant: s.dismissAssistant,
});

/** Adding devices with the installer's own IDs in batches, with progress. */
export const selectInstallerIdsBatch = (s: InstallerState) => ({
  addInBatches: s.addInBatches,
  busy: s.busy,
  progress: s.progress,
  results: s.results,
});

/** Adding devices under one of the account's GB28181 credentials. */
export const selectGbCredentials = (s: InstallerState) => ({
  add: s.add,
  busy: s.busy,
  credentials: s.credentials,
  loadCredentials: s.loadCredentials,
  createCredential: s.createCredential,
});

/** Adding devices: the action and whether one is under way. */
export const selectAdd = (s: InstallerState) => ({
  add: s.add,
  busy: s.busy,
});

/** Binding HoloSens devices: the ones bound here, the action and its state. */
export const selectHolo = (s: InstallerState) => ({
  holo: s.holo,
  holoBusy: s.holoBusy,
  holoError: s.holoError,
  addHolo: s.addHolo,
});
