import { z } from 'zod';

/**
 * Updates from the generic feed in settings. The desktop app downloads what electron-updater
 * verified and installs it on quit; the browser host only reads the feed (it has nothing to install).
 */
export const UpdateState = z.enum([
  'off', // no feed set: Vigil does not look for updates
  'invalid', // the saved feed is not an address Vigil accepts
  'idle', // a feed is set, not checked yet
  'checking',
  'up-to-date',
  'available', // newer version in the feed; this host cannot install it (browser host)
  'downloading',
  'ready', // downloaded and verified; installs on quit
  'unsupported', // this build does not update itself (run from source, not an AppImage)
  'error',
]);
export type UpdateState = z.infer<typeof UpdateState>;

export const UpdateStatus = z.object({
  state: UpdateState,
  /** The feed as saved (https, or http on this machine for tests); null when none. */
  feedUrl: z.string().nullable(),
  currentVersion: z.string(),
  /** The feed's version, once read. */
  version: z.string().nullable(),
  percent: z.number().min(0).max(100).nullable(),
  /** Whether this host downloads and installs updates (the desktop app). */
  canInstall: z.boolean(),
  /** The status in one English sentence (the error's reason when `state` is error). */
  message: z.string(),
  checkedAt: z.string().nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

/** null or empty: no feed (Vigil does not look for updates). */
export const UpdatesSetRequest = z.object({ feedUrl: z.string().trim().max(2048).nullable() }).strict();
