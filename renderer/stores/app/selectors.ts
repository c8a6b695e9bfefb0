import type { AppState } from './store';

/** Named selectors of this store: pick what a screen shows with `useShallow`, never the whole store. */

/** The settings page: preferences, what main says about itself, and the setter. */
export const selectSettingsPage = (s: AppState) => ({
  preferences: s.preferences,
  info: s.info,
  setPreferences: s.setPreferences,
});

/** Developer mode (main says so): the stream-test page is offered. */
export const selectDeveloper = (s: AppState) => s.info?.developer === true;

/** The shell's notices from main and why start-up failed, if it did. */
export const selectNotices = (s: AppState) => ({
  notices: s.notices,
  dismissNotice: s.dismissNotice,
  bootError: s.bootError,
});
