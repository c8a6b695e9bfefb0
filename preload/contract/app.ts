import { z } from 'zod';

/** The UI's languages. */
export const Language = z.enum(['zh-CN', 'en']);
export type Language = z.infer<typeof Language>;
/** What the user chose: a language, or the system's (the browser's in browser mode). */
export const LanguagePreference = z.enum(['system', 'zh-CN', 'en']);
export const Theme = z.enum(['dark', 'light']);
export type LanguagePreference = z.infer<typeof LanguagePreference>;

/** User preferences the renderer may read and change. Window geometry and accounts are main's own. */
export const Preferences = z.object({
  language: LanguagePreference,
  theme: Theme,
  /** Cores main may spend transcoding H.265 for panes that cannot decode it; absent or null: half the machine's cores. */
  transcodeCores: z.number().min(0.1).max(256).nullable().optional(),
  /** The timeline thumbnail cache's bound on disk, MB; absent or null: 200 MB. */
  thumbnailCacheMb: z.number().int().min(10).max(100_000).nullable().optional(),
  /** How long a hidden window's live panes keep their streams, seconds; absent or null: the renderer's default (2 minutes). */
  hiddenHoldS: z.number().int().min(0).max(3600).nullable().optional(),
});
export type Preferences = z.infer<typeof Preferences>;

export const Notice = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  /** i18n key, e.g. `notice.settingsCorrupt` */
  code: z.string(),
  message: z.string(),
  at: z.string(),
});
export type Notice = z.infer<typeof Notice>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'web']),
  os: z.string(),
  /** Notices raised before the renderer connected (e.g. a corrupt settings file moved aside). */
  notices: z.array(Notice),
  /** What clip export writes: MP4 when ffmpeg runs here, else the recording's TS segments joined (said before an export starts). */
  exportFormat: z.enum(['mp4', 'ts']),
  /** Developer mode: the stream-test page plays typed stream addresses of this machine (main relays them). */
  developer: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Empty = z.object({}).strict();
export const SettingsSetRequest = Preferences.partial().strict();
