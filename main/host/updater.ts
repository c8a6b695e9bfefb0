import type { AppUpdater, ProgressInfo, UpdateDownloadedEvent } from 'electron-updater';
import type { UpdateStatus } from '../../preload/contract';
import { log, redact } from '../log';

/**
 * Updates over electron-updater: the `Updater` drives an electron-updater updater (its
 * `autoUpdater` in the desktop app, a feed-only one in the browser host) against the generic feed
 * saved in settings, and says where it stands in words. electron-updater reads the feed, compares
 * versions, downloads and checks the sha512 (and the publisher's signature on Windows) before it
 * reports a download; Vigil installs nothing it did not verify. No `electron` import here.
 */

export class UpdateError extends Error {}

/** The feed URL from settings: https, or http on loopback only (a test feed); null when none or unusable. */
export function updateFeedUrl(raw: string | null | undefined): URL | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return null;
  if (url.username || url.password) return null;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

const MISMATCH =
  'The downloaded update does not match the sha512 in the update feed; it was discarded and nothing was installed.';

/** One sentence for an updater failure (electron-updater's, the network's, or ours); never a URL's query or a token. */
export function describeUpdateError(e: unknown): string {
  if (e instanceof UpdateError) return e.message;
  const err = e as {
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
    name?: string;
    statusCode?: number;
  };
  const message = String(err?.message ?? e);
  const code = err?.code ?? err?.cause?.code ?? /net::(ERR_[A-Z_]+)/.exec(message)?.[1];
  if (code === 'ERR_CHECKSUM_MISMATCH' || /sha512 checksum mismatch/i.test(message)) return MISMATCH;
  if (code === 'ERR_UPDATER_INVALID_SIGNATURE' || /not signed by the application owner|publisherName/i.test(message)) {
    return "The downloaded update is not signed by Vigil's publisher; it was discarded and nothing was installed.";
  }
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND') {
    const file = /channel "([\w.-]+)"/.exec(message)?.[1] ?? 'metadata file';
    return `The update feed has no ${file} (HTTP 404): check the feed address; nothing was installed.`;
  }
  if (
    code === 'ERR_UPDATER_INVALID_UPDATE_INFO' ||
    code === 'ERR_UPDATER_NO_FILES_PROVIDED' ||
    code === 'ERR_UPDATER_INVALID_VERSION'
  )
    return "The update feed's metadata is not valid; nothing was downloaded.";
  const status =
    err?.statusCode ??
    Number(/HttpError: (\d{3})/.exec(message)?.[1] ?? /\bstatus(?:Code)? (\d{3})/.exec(message)?.[1] ?? NaN);
  if (Number.isInteger(status) && status >= 400)
    return `The update server answered HTTP ${status}; nothing was installed.`;
  if (
    err?.name === 'TimeoutError' ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ERR_TIMED_OUT'
  )
    return 'The update server did not answer in time; nothing was installed.';
  if (code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ERR_[A-Z_]+)$/.test(code))
    return `The update server cannot be reached (${code}); nothing was installed.`;
  if (/fetch failed/i.test(message)) return 'The update server cannot be reached; nothing was installed.';
  return `Updating failed: ${redact(message.split('\n')[0]!.replace(/[a-z]+:\/\/\S+/gi, '<url>'))}`;
}

const FEED_REFUSED =
  'The update feed must be an https:// address (plain http only on this machine, for testing), with no user name or password.';

export interface UpdaterOptions {
  /** electron-updater's updater: `autoUpdater` in the desktop app, a feed-only one in the browser host. */
  engine: AppUpdater;
  /** The feed as saved in settings, read on every check (a change takes effect at the next one). */
  feed: () => string | null | undefined;
  /** The desktop app downloads and installs on quit; the browser host only reads the feed. */
  install: boolean;
  /** Every change of status (the windows and the taskbar progress follow it). */
  onStatus?: (status: UpdateStatus) => void;
  /** Outcomes nobody is watching for: a download finished or failed. */
  onNotice?: (level: 'info' | 'warning', code: string, message: string) => void;
}

/**
 * One electron-updater updater with its listeners, for as long as its owner keeps it: created by
 * the core's updates service, disposed with it (listeners removed, a running download cancelled).
 */
export class Updater {
  private readonly engine: AppUpdater;
  private status: UpdateStatus;
  private feedSet: string | null = null;
  private checking: Promise<UpdateStatus> | null = null;
  private cancelDownload: (() => void) | null = null;
  /** The version downloaded and verified, armed to install on quit (electron-updater keeps it until then). */
  private readyVersion: string | null = null;
  private disposed = false;
  private readonly listeners: Array<[string, (...args: never[]) => void]>;

  constructor(private readonly options: UpdaterOptions) {
    this.engine = options.engine;
    this.engine.autoDownload = options.install;
    this.engine.autoInstallOnAppQuit = options.install;
    // electron-updater logs every step (and each error with its stack): into Vigil's log, redacted there.
    this.engine.logger = {
      info: (m?: unknown) => log.debug(`update: ${String(m)}`),
      warn: (m?: unknown) => log.warn(`update: ${String(m)}`),
      error: (m?: unknown) => log.warn(`update: ${String(m)}`),
    };
    this.status = this.idle();
    this.listeners = [
      ['download-progress', (p: ProgressInfo) => this.onProgress(p)],
      ['update-downloaded', (e: UpdateDownloadedEvent) => this.onDownloaded(e)],
      ['update-cancelled', () => this.set({ state: 'idle', percent: null, message: 'The download was cancelled.' })],
      ['error', (e: unknown) => this.onError(e)],
    ];
    for (const [event, fn] of this.listeners) this.engine.on(event as 'error', fn as (e: Error) => void);
  }

  get current(): UpdateStatus {
    // The feed may have changed in settings since the last check.
    if (['off', 'invalid', 'idle'].includes(this.status.state)) return this.idle();
    return { ...this.status, feedUrl: this.options.feed() || null };
  }

  /**
   * Reads the feed now and answers in words: up to date, downloading or installing on quit
   * (desktop), available (browser host), or why not. While a download runs it answers its progress.
   */
  checkNow(): Promise<UpdateStatus> {
    if (this.disposed) return Promise.resolve(this.status);
    if (this.status.state === 'downloading') return Promise.resolve(this.current);
    this.checking ??= this.check().finally(() => (this.checking = null));
    return this.checking;
  }

  /** The feed was changed in settings: an earlier check's answer no longer holds (a download in hand does). */
  feedChanged(): UpdateStatus {
    if (this.status.state !== 'downloading' && !this.readyVersion && !this.checking) return this.set(this.idle());
    return this.current;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelDownload?.();
    this.cancelDownload = null;
    for (const [event, fn] of this.listeners) this.engine.removeListener(event as 'error', fn as (e: Error) => void);
  }

  private async check(): Promise<UpdateStatus> {
    const raw = this.options.feed();
    const feed = updateFeedUrl(raw);
    if (!feed) return this.set(this.idle());
    if (feed.href !== this.feedSet) {
      this.engine.setFeedURL({ provider: 'generic', url: feed.href });
      this.feedSet = feed.href;
    }
    this.set({ state: 'checking', percent: null, message: `Checking ${feed.host} for updates…` });
    const checkedAt = new Date().toISOString();
    try {
      const result = await this.engine.checkForUpdates();
      if (this.disposed) return this.status;
      if (!result)
        return this.set({
          state: 'unsupported',
          checkedAt,
          message:
            'This Vigil does not update itself (it is not an installed build, or not an AppImage on Linux); updates come with its next installer.',
        });
      const version = result.updateInfo.version;
      const now = this.engine.currentVersion.format();
      if (!result.isUpdateAvailable)
        return this.set({ state: 'up-to-date', version, checkedAt, message: `Vigil is up to date (${now}).` });
      if (!this.options.install)
        return this.set({
          state: 'available',
          version,
          checkedAt,
          message: `Vigil ${version} is available (this is ${now}); installing it needs the desktop app.`,
        });
      // electron-updater downloads it now (autoDownload); failures arrive as 'error'.
      result.downloadPromise?.catch(() => undefined);
      this.cancelDownload = result.cancellationToken ? () => result.cancellationToken!.cancel() : null;
      if (this.readyVersion === version) return this.set({ ...this.readyStatus(version), checkedAt });
      return this.set({
        state: 'downloading',
        version,
        percent: 0,
        checkedAt,
        message: `Vigil ${version} is downloading.`,
      });
    } catch (e) {
      // Already reported through 'error' (electron-updater emits it and rejects).
      return this.set({ state: 'error', checkedAt, percent: null, message: describeUpdateError(e) });
    }
  }

  private onProgress(p: ProgressInfo): void {
    if (this.disposed || this.status.state === 'ready') return;
    const percent = Math.max(0, Math.min(100, Math.floor(p.percent)));
    if (this.status.state === 'downloading' && this.status.percent === percent) return;
    const version = this.status.version ?? '';
    this.set({ state: 'downloading', percent, message: `Vigil ${version} is downloading (${percent} %).` });
  }

  private onDownloaded(e: UpdateDownloadedEvent): void {
    if (this.disposed) return;
    this.cancelDownload = null;
    const again = this.readyVersion === e.version;
    this.readyVersion = e.version;
    const status = this.set(this.readyStatus(e.version));
    if (!again) this.options.onNotice?.('info', 'notice.updateReady', status.message);
  }

  private readyStatus(version: string): Partial<UpdateStatus> {
    const message = `Vigil ${version} will install when you quit (now ${this.engine.currentVersion.format()}).`;
    return { state: 'ready', version, percent: 100, message };
  }

  private onError(e: unknown): void {
    if (this.disposed) return;
    const downloading = this.status.state === 'downloading';
    const message = describeUpdateError(e);
    this.cancelDownload = null;
    this.set({ state: 'error', percent: null, message });
    // A check's failure is its answer; a download failing later is news to whoever is not looking.
    if (downloading) this.options.onNotice?.('warning', 'notice.updateFailed', message);
  }

  private idle(): UpdateStatus {
    const raw = this.options.feed() || null;
    const feed = updateFeedUrl(raw);
    return {
      state: !raw ? 'off' : feed ? 'idle' : 'invalid',
      feedUrl: raw,
      currentVersion: this.engine.currentVersion.format(),
      version: null,
      percent: null,
      canInstall: this.options.install,
      message: !raw
        ? 'No update feed is set: Vigil does not look for updates.'
        : feed
          ? 'Not checked yet.'
          : FEED_REFUSED,
      checkedAt: null,
    };
  }

  private set(change: Partial<UpdateStatus>): UpdateStatus {
    this.status = { ...this.status, ...change, feedUrl: this.options.feed() || null };
    if (!this.disposed) this.options.onStatus?.(this.status);
    return this.status;
  }
}

/** Why a feed address is refused, or null when Vigil accepts it (empty: no feed). */
export function feedProblem(raw: string | null | undefined): string | null {
  return !raw || updateFeedUrl(raw) ? null : FEED_REFUSED;
}
