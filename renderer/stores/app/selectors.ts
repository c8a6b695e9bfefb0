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

/** How long a hidden window's live panes keep their streams, ms (null: the media layer's default). */
export const selectHiddenHoldMs = (s: AppState) =>
  s.preferences.hiddenHoldS == null ? null : s.preferences.hiddenHoldS * 1000;
