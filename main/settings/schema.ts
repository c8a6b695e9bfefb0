import { z } from 'zod';
import {
  AccountConfig,
  AccountId,
  ControlRoomSettings,
  GAMEPAD_MAX_DEVICES,
  MAX_FAVOURITES,
  PaneAssignment,
  Preferences,
  SavedView,
  StoredGamepadMapping,
} from '../../preload/contract';

/** Accounts as stored on disk: no secret field exists, so none can be written. */
export const AccountRecord = z.object({
  id: AccountId,
  name: z.string().min(1).max(64),
  config: AccountConfig,
  createdAt: z.string(),
});
export type AccountRecord = z.infer<typeof AccountRecord>;

export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean(),
  /** The display the window was on (its id and size: a new resolution is a new arrangement). */
  display: z.string().max(64).optional(),
});
export type WindowState = z.infer<typeof WindowState>;
export const MAX_DISPLAYS_REMEMBERED = 8;

export const SETTINGS_VERSION = 1;

export const SettingsFile = z
  .object({
    version: z.literal(SETTINGS_VERSION),
    preferences: Preferences,
    accounts: z.array(AccountRecord),
    window: WindowState.optional(),
    /** The window's last state on each display it was on (newest first): undocking brings it back as it was there. */
    windowByDisplay: z.array(WindowState).max(MAX_DISPLAYS_REMEMBERED).default([]),
    /** Saved wall views (added in 0.1; absent in older files). */
    views: z.array(SavedView).default([]),
    startupViewId: z.string().nullable().default(null),
    /** Favourite channels of the device tree (added in 0.2; absent in older files). */
    favourites: z.array(PaneAssignment).max(MAX_FAVOURITES).default([]),
    /** Desktop app: the generic update feed electron-updater checks (https; none by default, so no update check). */
    updateFeedUrl: z.string().max(2048).optional(),
    /** Alarms and the control room's broker (added in 0.3; absent in older files). The password is in the keychain. */
    controlRoom: ControlRoomSettings.prefault({}),
    /** Joystick and gamepad mappings by device id (absent in older files: every device uses its ready-made one). */
    gamepads: z.array(StoredGamepadMapping).max(GAMEPAD_MAX_DEVICES).default([]),
  })
  .superRefine((f, ctx) => {
    // Two accounts (or views) with one id would share keychain entries and references; a favourite twice is one.
    const ids: Array<[string, string[]]> = [
      ['accounts', f.accounts.map((a) => a.id)],
      ['views', f.views.map((v) => v.id)],
      ['favourites', f.favourites.map((x) => `${x.accountId} ${x.channelId}`)],
      ['gamepads', f.gamepads.map((g) => g.deviceId)],
    ];
    for (const [list, keys] of ids) {
      const seen = new Set<string>();
      keys.forEach((key, i) => {
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [list, i], message: `duplicate id ${key}` });
        seen.add(key);
      });
    }
  });
export type SettingsFile = z.infer<typeof SettingsFile>;

export function defaultSettings(): SettingsFile {
  return {
    version: SETTINGS_VERSION,
    preferences: { language: 'system', theme: 'dark' },
    windowByDisplay: [],
    accounts: [],
    views: [],
    startupViewId: null,
    favourites: [],
    controlRoom: ControlRoomSettings.parse({}),
    gamepads: [],
  };
}

/**
 * Migrations: `migrations[n]` turns a version-n file into version n+1.
 * A file without `version` is version 0 (written by pre-release builds that had only preferences).
 */
export const migrations: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  0: (old) => ({
    version: 1,
    preferences: { ...defaultSettings().preferences, ...(isObject(old.preferences) ? old.preferences : {}) },
    accounts: Array.isArray(old.accounts) ? old.accounts : [],
  }),
};

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Apply migrations up to the current version. Throws on a version from the future or a gap. */
export function migrate(raw: Record<string, unknown>): Record<string, unknown> {
  let data = raw;
  let version = typeof data.version === 'number' ? data.version : 0;
  if (version > SETTINGS_VERSION)
    throw new Error(`settings version ${version} is newer than this Vigil (${SETTINGS_VERSION})`);
  while (version < SETTINGS_VERSION) {
    const step = migrations[version];
    if (!step) throw new Error(`no migration from settings version ${version}`);
    data = step(data);
    version = typeof data.version === 'number' ? data.version : version + 1;
  }
  return data;
}
