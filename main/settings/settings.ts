import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { log } from '../log';
import { defaultSettings, isObject, migrate, SettingsFile } from './schema';

/**
 * The file engine: electron-store in the Electron host, its engine `conf` in the browser host.
 * Both write `<dir>/config.json` atomically; this module only needs `store`.
 */
export interface SettingsBackend {
  store: Record<string, unknown>;
}
export type BackendFactory = (options: { cwd: string; configName: string }) => SettingsBackend;

export interface SettingsNotice {
  code: 'notice.settingsCorrupt' | 'notice.settingsMigrated';
  message: string;
}

export const SETTINGS_NAME = 'config';

export function settingsPath(dir: string): string {
  return path.join(dir, `${SETTINGS_NAME}.json`);
}

/**
 * Read what is on disk and decide what to start from. A file that cannot be parsed, migrated or
 * validated is moved aside (never deleted) and reported, and Vigil starts from defaults.
 */
export function loadSettingsFile(dir: string, now = new Date()): { data: SettingsFile; notices: SettingsNotice[] } {
  const file = settingsPath(dir);
  if (!fs.existsSync(file)) return { data: defaultSettings(), notices: [] };
  let reason: string;
  try {
    const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!isObject(raw)) throw new Error('not a JSON object');
    const wasVersion = raw.version;
    const parsed = SettingsFile.safeParse(migrate(raw));
    if (parsed.success) {
      const notices: SettingsNotice[] =
        wasVersion === parsed.data.version
          ? []
          : [{ code: 'notice.settingsMigrated', message: `Settings were upgraded from version ${String(wasVersion ?? 0)} to ${parsed.data.version}.` }];
      return { data: parsed.data, notices };
    }
    reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  const aside = path.join(dir, `${SETTINGS_NAME}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.renameSync(file, aside);
  log.warn(`settings file was unreadable (${reason}); moved to ${aside}`);
  return {
    data: defaultSettings(),
    notices: [
      {
        code: 'notice.settingsCorrupt',
        message: `The settings file could not be read (${reason.slice(0, 200)}). It was kept as ${path.basename(aside)} and Vigil started with defaults.`,
      },
    ],
  };
}

/** Validated settings in memory, written through the backend on every change. */
export class Settings {
  private data: SettingsFile;
  private readonly backend: SettingsBackend;
  readonly notices: SettingsNotice[];

  constructor(dir: string, factory: BackendFactory) {
    fs.mkdirSync(dir, { recursive: true });
    const loaded = loadSettingsFile(dir);
    this.data = loaded.data;
    this.notices = loaded.notices;
    this.backend = factory({ cwd: dir, configName: SETTINGS_NAME });
    this.write(this.data);
  }

  get(): SettingsFile {
    return this.data;
  }

  /** Apply a change; validated before it is written. A failed write leaves memory and disk as they were. */
  update(change: (current: SettingsFile) => SettingsFile): SettingsFile {
    const next = SettingsFile.parse(change(this.data));
    this.write(next);
    this.data = next;
    return next;
  }

  private write(next: SettingsFile): void {
    try {
      this.backend.store = next as unknown as Record<string, unknown>;
    } catch (e) {
      throw new AppError('SETTINGS_WRITE_FAILED', `Settings could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
