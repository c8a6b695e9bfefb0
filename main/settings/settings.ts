import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeAtomically } from './file-backend';
import {
  GAMEPAD_MAX_DEVICES,
  MAX_FAVOURITES,
  PaneAssignment,
  SavedView,
  StoredGamepadMapping,
} from '../../preload/contract';
import { AppError } from '../errors';
import { log } from '../log';
import {
  AccountRecord,
  defaultSettings,
  isObject,
  migrate,
  SETTINGS_VERSION,
  SettingsFile,
  WindowState,
  MAX_DISPLAYS_REMEMBERED,
} from './schema';
import { SettingsStartupError } from './startup-error';

export { SettingsStartupError };

/**
 * The file engine: electron-store in the Electron host, its engine `conf` in the browser host.
 * Both write `<dir>/config.json` atomically; this module only needs `store`.
 */
export interface SettingsBackend {
  store: Record<string, unknown>;
}
export type BackendFactory = (options: { cwd: string; configName: string }) => SettingsBackend;

export interface SettingsNotice {
  code: 'notice.settingsCorrupt' | 'notice.settingsMigrated' | 'notice.settingsQuarantined';
  message: string;
}

/** An entry of the settings file that was not valid, as written to the quarantine file. */
export interface RejectedEntry {
  /** e.g. `accounts`, `preferences.theme` */
  field: string;
  /** Position in the list, for list entries. */
  index?: number;
  reason: string;
  entry: unknown;
}

export const SETTINGS_NAME = 'config';

export function settingsPath(dir: string): string {
  return path.join(dir, `${SETTINGS_NAME}.json`);
}

/**
 * Read what is on disk and decide what to start from. Every valid entry is kept: an invalid or
 * duplicate account, view or favourite (or a field of a section: preferences, control room…) is left out and written to
 * `config.quarantine-<time>.json`, with a notice. A file that is not JSON at all, or cannot be
 * migrated, is moved aside whole (never deleted) and Vigil starts from defaults. A file from a
 * newer Vigil is left alone and Vigil refuses to start (SettingsStartupError). A UTF-8 byte order
 * mark (Notepad writes one) is accepted. `rewrite`: the file must be rewritten before an engine
 * reads it (the engines refuse a byte order mark).
 */
export function loadSettingsFile(
  dir: string,
  now = new Date(),
): { data: SettingsFile; notices: SettingsNotice[]; rewrite: boolean } {
  const file = settingsPath(dir);
  if (!fs.existsSync(file)) return { data: defaultSettings(), notices: [], rewrite: false };
  let reason: string;
  try {
    const text = fs.readFileSync(file, 'utf8');
    const bom = text.startsWith('\uFEFF');
    const raw: unknown = JSON.parse(bom ? text.slice(1) : text);
    if (!isObject(raw)) throw new Error('not a JSON object');
    const wasVersion = raw.version;
    if (typeof wasVersion === 'number' && wasVersion > SETTINGS_VERSION) {
      throw new SettingsStartupError(
        'SETTINGS_NEWER',
        `The settings file ${file} was written by a newer Vigil (settings version ${wasVersion}; this Vigil reads up to ${SETTINGS_VERSION}). Vigil did not start, so nothing in it is lost: start the newer Vigil, or move the file away to start this one with new settings.`,
      );
    }
    const { data, rejected } = salvage(migrate(raw));
    const notices: SettingsNotice[] = [];
    if (wasVersion !== data.version)
      notices.push({
        code: 'notice.settingsMigrated',
        message: `Settings were upgraded from version ${String(wasVersion ?? 0)} to ${data.version}.`,
      });
    if (rejected.length) notices.push(quarantine(dir, rejected, now));
    return { data, notices, rewrite: bom || rejected.length > 0 };
  } catch (e) {
    if (e instanceof SettingsStartupError) throw e;
    reason = e instanceof Error ? e.message : String(e);
  }
  const aside = path.join(dir, `${SETTINGS_NAME}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.renameSync(file, aside);
  log.warn(`settings file was unreadable (${reason}); moved to ${aside}`);
  return {
    data: defaultSettings(),
    rewrite: false,
    notices: [
      {
        code: 'notice.settingsCorrupt',
        message: `The settings file could not be read (${reason.slice(0, 200)}). It was kept as ${path.basename(aside)} and Vigil started with defaults.`,
      },
    ],
  };
}

const secretKey =
  /^(secret|secretkey|sk|password|passwd|pwd|token|accesstoken|accesskeysecret|clientsecret|authorization|signature)$/i;

/** A copy with secret-looking fields blanked: a hand-edited entry must not carry a secret into another file. */
function scrub(value: unknown, depth = 0): unknown {
  if (depth > 20) return null;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, secretKey.test(k) ? '***' : scrub(v, depth + 1)]),
  );
}

/** A zod error as one short line, the English half of `key|English` contract messages. */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map(
      (i) =>
        `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message.includes('|') ? i.message.split('|')[1] : i.message}`,
    )
    .join('; ');
}

/** The schema inside optional/default/prefault/nullable wrappers (an object or list section's own). */
function unwrapped(schema: z.ZodType): unknown {
  let s: unknown = schema;
  for (let depth = 0; depth < 8; depth++) {
    const inner = (s as { def?: { innerType?: unknown } }).def?.innerType;
    if (!inner) break;
    s = inner;
  }
  return s;
}

/**
 * Each section of a (migrated) settings object on its own, every section the schema names: what
 * is valid is kept, the rest is returned as rejected entries. Lists keep their valid entries
 * (duplicate ids and repeated favourites keep the first; favourites past the limit are rejected
 * too); an object section (preferences, control room, any added later) keeps its valid fields,
 * an invalid field falling back to its default alone; any other section is kept or set aside whole.
 */
export function salvage(raw: Record<string, unknown>): { data: SettingsFile; rejected: RejectedEntry[] } {
  // The usual case, a valid file, in one pass (the schema also refuses duplicate ids).
  const whole = SettingsFile.safeParse(raw);
  if (whole.success) return { data: whole.data, rejected: [] };
  const rejected: RejectedEntry[] = [];
  const reject = (field: string, entry: unknown, reason: string, index?: number) =>
    rejected.push({ field, ...(index === undefined ? {} : { index }), reason, entry: scrub(entry) });
  const defaults = defaultSettings() as Record<string, unknown>;

  const list = <T>(
    field: string,
    schema: z.ZodType<T>,
    key: (t: T, index: number) => string,
    what: string,
    max = Infinity,
  ): T[] => {
    const value = raw[field];
    if (!Array.isArray(value)) {
      reject(field, value, 'not a list');
      return [];
    }
    const kept: T[] = [];
    const seen = new Set<string>();
    value.forEach((entry: unknown, index) => {
      const r = schema.safeParse(entry);
      if (!r.success) return reject(field, entry, describe(r.error), index);
      const id = key(r.data, index);
      if (seen.has(id)) return reject(field, entry, `${what} appears more than once; the first is kept`, index);
      if (kept.length >= max) return reject(field, entry, `more than ${max}`, index);
      seen.add(id);
      kept.push(r.data);
    });
    return kept;
  };
  const lists: Record<string, () => unknown[]> = {
    accounts: () => list('accounts', AccountRecord, (a) => a.id, 'account id'),
    views: () => list('views', SavedView, (v) => v.id, 'view id'),
    favourites: () =>
      list('favourites', PaneAssignment, (f) => `${f.accountId} ${f.channelId}`, 'favourite', MAX_FAVOURITES),
    windowByDisplay: () =>
      list('windowByDisplay', WindowState, (w) => w.display ?? '', 'display', MAX_DISPLAYS_REMEMBERED),
    gamepads: () => list('gamepads', StoredGamepadMapping, (g) => g.deviceId, 'gamepad', GAMEPAD_MAX_DEVICES),
  };

  /** An object section field by field, over its defaults; unknown fields of a strict section are set aside. */
  const section = (field: string, schema: z.ZodObject, value: Record<string, unknown>): unknown => {
    const own: RejectedEntry[] = [];
    const kept: Record<string, unknown> = isObject(defaults[field]) ? { ...defaults[field] } : {};
    for (const [key, fieldSchema] of Object.entries(schema.shape) as Array<[string, z.ZodType]>) {
      if (!(key in value)) continue;
      const r = fieldSchema.safeParse(value[key]);
      if (r.success) kept[key] = r.data;
      else own.push({ field: `${field}.${key}`, reason: describe(r.error), entry: scrub(value[key]) });
    }
    if (schema.def.catchall instanceof z.ZodNever)
      for (const key of Object.keys(value))
        if (!(key in schema.shape))
          own.push({ field: `${field}.${key}`, reason: 'not a setting this Vigil knows', entry: scrub(value[key]) });
    const r = schema.safeParse(kept);
    // Fields that only make sense together (a window needs its size): the section goes whole.
    if (!r.success) {
      reject(field, value, describe(r.error));
      return undefined;
    }
    rejected.push(...own);
    return r.data;
  };

  const data: Record<string, unknown> = { version: SETTINGS_VERSION };
  for (const [field, schema] of Object.entries(SettingsFile.shape) as Array<[string, z.ZodType]>) {
    if (field === 'version' || field === 'startupViewId' || raw[field] === undefined) continue;
    const value = raw[field];
    if (lists[field]) {
      data[field] = lists[field]();
      continue;
    }
    const r = schema.safeParse(value);
    if (r.success) {
      data[field] = r.data;
      continue;
    }
    const inner = unwrapped(schema);
    if (inner instanceof z.ZodObject && isObject(value)) data[field] = section(field, inner, value);
    else if (inner instanceof z.ZodArray && Array.isArray(value)) {
      // A list added later: its valid entries (a list-wide rule it then breaks sets it aside whole).
      const kept = list(field, inner.element as z.ZodType, (_, index) => String(index), 'entry');
      const whole = schema.safeParse(kept);
      if (whole.success) data[field] = whole.data;
      else reject(field, value, describe(whole.error));
    } else reject(field, value, describe(r.error));
  }
  // A startup view that is not (or no longer) among the views: none.
  const views = (data.views ?? []) as SavedView[];
  data.startupViewId =
    typeof raw.startupViewId === 'string' && views.some((v) => v.id === raw.startupViewId) ? raw.startupViewId : null;
  // A rule across sections that still fails: the sections it names go back to their defaults, not the whole file.
  for (let attempt = 0; attempt < 8; attempt++) {
    const parsed = SettingsFile.safeParse(data);
    if (parsed.success) return { data: parsed.data, rejected };
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    if (!(field in data) || field === 'version') break;
    reject(field, data[field], describe(parsed.error));
    delete data[field];
  }
  return { data: SettingsFile.parse(data), rejected };
}

/** Writes the rejected entries beside the settings file and says so. */
function quarantine(dir: string, rejected: RejectedEntry[], now: Date): SettingsNotice {
  const body = {
    note: `Entries of ${SETTINGS_NAME}.json that were not valid when Vigil started; everything else was kept. Secret-looking fields are blanked.`,
    at: now.toISOString(),
    entries: rejected,
  };
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let side = '';
  for (let n = 1; !side; n++) {
    const candidate = path.join(dir, `${SETTINGS_NAME}.quarantine-${stamp}${n > 1 ? `-${n}` : ''}.json`);
    try {
      fs.writeFileSync(candidate, `${JSON.stringify(body, null, '\t')}\n`, { flag: 'wx', mode: 0o600 });
      side = candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw e;
    }
  }
  const summary = rejected
    .map((r) => {
      const name = isObject(r.entry) && typeof r.entry.name === 'string' ? ` "${r.entry.name.slice(0, 40)}"` : '';
      return `${r.field}${r.index === undefined ? '' : ` #${r.index + 1}`}${name} (${r.reason})`;
    })
    .join('; ');
  const accounts = rejected.filter((r) => r.field === 'accounts').length;
  log.warn(
    `settings: ${rejected.length} invalid entr${rejected.length === 1 ? 'y' : 'ies'} set aside in ${side}: ${summary.slice(0, 1000)}`,
  );
  return {
    code: 'notice.settingsQuarantined',
    message:
      `${rejected.length} entr${rejected.length === 1 ? 'y' : 'ies'} of the settings file ${rejected.length === 1 ? 'was' : 'were'} not valid and ${rejected.length === 1 ? 'was' : 'were'} set aside in ${path.basename(side)}; everything else was kept. ${summary.slice(0, 400)}` +
      (accounts
        ? ` An account set aside keeps its secret in the keychain: put the corrected entry back to use it again.`
        : ''),
  };
}

/** Validated settings in memory, written through the backend on every change. */
export class Settings {
  private data: SettingsFile;
  private readonly backend: SettingsBackend;
  readonly notices: SettingsNotice[];

  constructor(
    private readonly dir: string,
    factory: BackendFactory,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    const loaded = loadSettingsFile(dir);
    this.data = loaded.data;
    this.notices = loaded.notices;
    if (loaded.rewrite) writeAtomically(settingsPath(dir), `${JSON.stringify(loaded.data, null, '\t')}`);
    this.backend = factory({ cwd: dir, configName: SETTINGS_NAME });
    this.write(this.data);
  }

  get(): SettingsFile {
    return this.data;
  }

  /** The accounts this or an earlier start set aside (quarantine files), newest first. */
  setAsideAccounts(): unknown[] {
    return readSetAside(this.dir, 'accounts');
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
      throw new AppError(
        'SETTINGS_WRITE_FAILED',
        `Settings could not be saved: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}

/** Quarantine files read back: at most this many, the newest, each at most 1 MB. */
const MAX_QUARANTINE_FILES = 20;

/** The entries of `field` that quarantine files in `dir` hold, newest file first; unreadable files are skipped. */
export function readSetAside(dir: string, field: string): unknown[] {
  const pattern = new RegExp(`^${SETTINGS_NAME}\\.quarantine-[0-9TZ-]+(-\\d+)?\\.json$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => pattern.test(n));
  } catch {
    return [];
  }
  const entries: unknown[] = [];
  for (const name of names.sort().reverse().slice(0, MAX_QUARANTINE_FILES)) {
    try {
      const file = path.join(dir, name);
      if (fs.statSync(file).size > 1_000_000) continue;
      const body: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!isObject(body) || !Array.isArray(body.entries)) continue;
      for (const e of body.entries as unknown[]) if (isObject(e) && e.field === field) entries.push(e.entry);
    } catch {
      continue; // a hand-edited or half-written side file is not this list's business
    }
  }
  return entries;
}
