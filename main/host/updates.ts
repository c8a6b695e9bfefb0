import { randomUUID } from 'node:crypto';
import type { AppUpdater } from 'electron-updater';
import type { UpdateStatus } from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events';
import { feedProblem, Updater, updateFeedUrl } from './updater';
import type { HandlerSlice } from '../ipc/handlers';
import { log } from '../log';
import type { Settings } from '../settings/settings';

export interface UpdatesOptions {
  settings: Settings;
  events: EventBus;
  /** The running Vigil's version (what the status says before electron-updater is loaded). */
  version: string;
  /** The desktop app downloads and installs on quit; the browser host only reads the feed. */
  install: boolean;
  /** electron-updater's updater, loaded when first needed (the desktop app's `autoUpdater` loads Electron). */
  engine: () => AppUpdater | Promise<AppUpdater>;
}

/**
 * The update feed in settings and the one `Updater` over it: created on the first check, disposed
 * with the core.
 */
export class UpdatesService {
  private updater: Updater | null = null;
  private loading: Promise<Updater> | null = null;
  private disposed = false;

  constructor(private readonly options: UpdatesOptions) {}

  private feed = (): string | null => this.options.settings.get().updateFeedUrl ?? null;

  status(): UpdateStatus {
    if (this.updater) return this.updater.current;
    const raw = this.feed();
    const problem = feedProblem(raw);
    return {
      state: !raw ? 'off' : problem ? 'invalid' : 'idle',
      feedUrl: raw,
      currentVersion: this.options.version,
      version: null,
      percent: null,
      canInstall: this.options.install,
      message: !raw ? 'No update feed is set: Vigil does not look for updates.' : (problem ?? 'Not checked yet.'),
      checkedAt: null,
    };
  }

  /** Saves the feed (normalized: a trailing slash), or removes it; a refused address changes nothing. */
  setFeed(raw: string | null): UpdateStatus {
    const problem = feedProblem(raw);
    if (problem)
      throw new AppError('VALIDATION', problem, {
        fields: { feedUrl: { key: 'updates.feedRefused', message: problem } },
      });
    const href = raw ? updateFeedUrl(raw)!.href : undefined;
    this.options.settings.update((s) => {
      const { updateFeedUrl: _old, ...rest } = s;
      return href ? { ...rest, updateFeedUrl: href } : rest;
    });
    const status = this.updater ? this.updater.feedChanged() : this.status();
    this.options.events.emit('main:updates', status);
    return status;
  }

  async check(): Promise<UpdateStatus> {
    const raw = this.feed();
    if (!raw || feedProblem(raw)) return this.status();
    return (await this.load()).checkNow();
  }

  /** The desktop app's check at start: only with a feed set; a failure is a notice (nobody asked). */
  async checkAtStart(): Promise<void> {
    if (!this.feed()) return;
    try {
      const status = await this.check();
      if (status.state === 'invalid') log.warn('updateFeedUrl ignored: it must be https (or http on loopback)');
      if (status.state === 'error') this.notice('warning', 'notice.updateFailed', status.message);
    } catch (e) {
      log.warn('update check at start failed', e);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.updater?.dispose();
    this.updater = null;
  }

  private load(): Promise<Updater> {
    if (this.disposed) return Promise.reject(new AppError('NOT_AVAILABLE', 'Vigil is quitting'));
    this.loading ??= (async () => {
      let engine: AppUpdater;
      try {
        engine = await this.options.engine();
      } catch (e) {
        this.loading = null;
        log.warn('updater not available', e);
        throw new AppError('NOT_AVAILABLE', 'The updater could not be loaded in this build');
      }
      this.updater = new Updater({
        engine,
        feed: this.feed,
        install: this.options.install,
        onStatus: (s) => this.options.events.emit('main:updates', s),
        onNotice: (level, code, message) => this.notice(level, code, message),
      });
      if (this.disposed) this.updater.dispose();
      return this.updater;
    })();
    return this.loading;
  }

  private notice(level: 'info' | 'warning', code: string, message: string): void {
    log[level === 'info' ? 'info' : 'warn'](`update: ${message}`);
    this.options.events.emit('main:notice', { id: randomUUID(), level, code, message, at: new Date().toISOString() });
  }
}

export function updatesHandlers(updates: UpdatesService): HandlerSlice {
  return {
    'updates:get': () => updates.status(),
    'updates:set': ({ feedUrl }) => updates.setFeed(feedUrl),
    'updates:check': () => updates.check(),
  };
}
