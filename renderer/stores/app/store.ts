import { create } from 'zustand';
import type { AppInfo, Notice, Preferences } from '../../../preload/contract';
import { resolveLanguage } from '../../i18n';
import { invoke, on, type VigilError } from '../../ipc';

/** App-wide state: host info, preferences (persisted by main), notices from main. */
export interface AppState {
  info: AppInfo | null;
  preferences: Preferences;
  notices: Notice[];
  bootError: VigilError | null;
  /** The page the shell shows (null: home); features switch pages through `navigate`. */
  page: string | null;
  navigate(page: string): void;
  load(): Promise<void>;
  setPreferences(change: Partial<Preferences>): Promise<void>;
  dismissNotice(id: string): Promise<void>;
  /** Why the last new window did not open (main's words), until the next try. */
  windowError: VigilError | null;
  /**
   * Another window on the wall: Electron opens one on another display; where the host cannot (the
   * browser host), a tab of the same app. Resolves with the failure, kept in `windowError`.
   */
  openWindow(): Promise<VigilError | null>;
}

export const useAppStore = create<AppState>()((set, get) => ({
  info: null,
  preferences: { language: 'system', theme: 'dark' },
  notices: [],
  bootError: null,
  page: null,
  navigate: (page) => set({ page }),
  async load() {
    try {
      const [info, preferences] = await Promise.all([invoke('app:info', {}), invoke('settings:get', {})]);
      set({ info, preferences, notices: info.notices, bootError: null });
    } catch (e) {
      set({ bootError: e as VigilError });
    }
  },
  async setPreferences(change) {
    set({ preferences: await invoke('settings:set', change) });
  },
  async dismissNotice(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) });
    await invoke('app:dismissNotice', { id });
  },
  windowError: null,
  async openWindow() {
    set({ windowError: null });
    try {
      const { opened } = await invoke('app:openWindow', {});
      if (!opened) window.open(window.location.href.split('#')[0], '_blank', 'noopener');
      return null;
    } catch (e) {
      set({ windowError: e as VigilError });
      return e as VigilError;
    }
  },
}));

/** Subscribe once at start-up to main's pushes. */
export function listenToMain(): () => void {
  const offs = [
    on('main:notice', (n) => useAppStore.setState((s) => ({ notices: [...s.notices, n] }))),
    on('main:settings-changed', (preferences) => useAppStore.setState({ preferences })),
  ];
  return () => offs.forEach((off) => off());
}

/** The language shown: the preference, or the browser's (zh-CN for Chinese, English otherwise). */
export const selectLanguage = (s: AppState) => resolveLanguage(s.preferences.language, navigator.languages);
export const selectTheme = (s: AppState) => s.preferences.theme;
