import { useAccountsStore } from './accounts/store';
import { useAppStore } from './app/store';
import { useWallStore } from './wall/store';

/**
 * A window's first requests to main, all sent at once before React's first render (main.tsx):
 * host info and preferences, accounts (with the keychain's status), and the saved views with the
 * start-up view opened. Sent in turn from components, each waited for a render and the one before:
 * the wall's panes asked for their sources only after the accounts, then the views, had come back.
 * Each store keeps its own loading and error state, as when its components ask.
 */
export function requestStartup(): void {
  void useAppStore.getState().load();
  void useAccountsStore.getState().refresh();
  void useWallStore.getState().openStartupView();
}
