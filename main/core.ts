import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Notice } from '../preload/contract';
import { EventBus } from './events';
import { AppError } from './errors';
import { dispatch } from './ipc/dispatch';
import { mergeHandlers, type HandlerSlice, type Handlers } from './ipc/handlers';
import { log } from './log';
import { probeFfmpeg } from './media/ffmpeg';
import { MediaRelay } from './media/relay';
import type { Transcoder } from './media/transcode/transcoder';
import { AccountsService, accountsHandlers } from './services/accounts';
import { AlarmService, alarmHandlers } from './services/alarms';
import { BookmarkService, bookmarkHandlers } from './services/bookmarks';
import { ExportService, exportHandlers } from './services/export';
import { MotionSearchService, motionHandlers } from './services/motion-search';
import { EvidenceKey } from './evidence/key';
import { EvidenceService, evidenceHandlers, operatorOf } from './evidence/service';
import { HealthService, healthHandlers } from './services/health';
import { StatisticsService, statisticsHandlers } from './services/statistics';
import { InstallerService, installerHandlers } from './services/installer';
import { Printables } from './services/printables';
import { TargetsService, targetsHandlers } from './services/targets';
import { PlansService, plansHandlers } from './services/plans';
import { PlaybackService, playbackHandlers } from './services/playback';
import { PtzService, ptzHandlers } from './services/ptz';
import { FavouritesService, favouritesHandlers } from './services/favourites';
import { GamepadMappingService, gamepadHandlers } from './services/gamepads';
import { MapsService, mapsHandlers } from './services/maps';
import { ViewsService, viewsHandlers } from './services/views';
import { SearchService, searchHandlers } from './services/search';
import { DEFAULT_THUMB_CACHE_MB, ThumbnailService, thumbnailHandlers } from './services/thumbnails';
import { createTranscoder, transcodeHandlers } from './services/transcode';
import { WallService, wallHandlers } from './services/wall';
import { UpdatesService, updatesHandlers } from './host/updates';
import type { AppUpdater } from 'electron-updater';
import { Settings, type BackendFactory } from './settings/settings';
import type { Vault } from './vault/vault';

export const APP_NAME = 'Vigil';
export const APP_VERSION = '0.1.0';

export interface CoreOptions {
  host: 'electron' | 'web';
  /** Folder of the settings file (Electron: app.getPath('userData')). */
  dataDir: string;
  settingsBackend: BackendFactory;
  vault: Vault;
  /** Developer mode for the stream test page and the bench: relay loopback URLs nobody issued. */
  relayLoopbackUrls?: boolean;
  /** Where exported clips go (default: ~/Downloads/Vigil). */
  exportDir?: string;
  /** The desktop app's electron-updater `autoUpdater` (downloads, installs on quit); absent: the feed is only read. */
  updateEngine?: () => Promise<AppUpdater>;
}

/**
 * The main-process core: services and the contract's handlers, with no knowledge of which host
 * (Electron IPC or the loopback WebSocket) carries the calls.
 */
export class Core {
  readonly events = new EventBus();
  readonly settings: Settings;
  readonly accounts: AccountsService;
  readonly relay: MediaRelay;
  /** H.265 → H.264 for panes that cannot decode H.265 (issue 24). */
  readonly transcoder: Transcoder;
  readonly printables = new Printables();
  readonly wall: WallService;
  readonly search: SearchService;
  readonly playback: PlaybackService;
  readonly ptz: PtzService;
  readonly targets: TargetsService;
  readonly plans: PlansService;
  readonly installer: InstallerService;
  readonly health: HealthService;
  readonly statistics: StatisticsService;
  readonly exports: ExportService;
  readonly evidence: EvidenceService;
  readonly views: ViewsService;
  readonly favourites: FavouritesService;
  /** Joystick and gamepad mappings per device (issue 57). */
  readonly gamepads: GamepadMappingService;
  readonly alarms: AlarmService;
  readonly updates: UpdatesService;
  readonly bookmarks: BookmarkService;
  readonly motion: MotionSearchService;
  readonly maps: MapsService;
  /** Timeline thumbnails, cached under the data folder (issue 52). */
  readonly thumbnails: ThumbnailService;
  private notices: Notice[];
  /** Whether an ffmpeg runs (clips export as MP4 or TS), probed once without blocking main. */
  private ffmpegProbe: Promise<string | null> | null = null;
  /** A notice shown as a banner in every window that connects (the demo says its secrets are in memory). */
  addNotice(level: Notice['level'], code: string, message: string): void {
    this.notices.push({ id: randomUUID(), level, code, message, at: new Date().toISOString() });
  }

  /** Set by the Electron host: opens another app window (on another display where possible). */
  windowOpener: (() => void) | null = null;
  /** Each service's channels, by owner: merged into `handlers`, kept for the wiring test. */
  readonly handlerSlices: Record<string, HandlerSlice>;
  readonly handlers: Handlers;

  constructor(readonly options: CoreOptions) {
    this.settings = new Settings(options.dataDir, options.settingsBackend);
    this.accounts = new AccountsService(this.settings, options.vault, this.events);
    this.relay = new MediaRelay({ relayLoopbackUrls: options.relayLoopbackUrls });
    this.wall = new WallService(this.accounts, this.relay);
    this.transcoder = createTranscoder(this.relay, this.settings);
    this.search = new SearchService(this.accounts);
    this.playback = new PlaybackService(this.accounts, this.relay);
    this.ptz = new PtzService(this.accounts);
    this.targets = new TargetsService(this.accounts);
    this.plans = new PlansService(this.accounts);
    this.installer = new InstallerService(this.accounts, options.vault, this.printables);
    this.health = new HealthService(this.accounts, this.wall);
    this.statistics = new StatisticsService(this.accounts);
    this.exports = new ExportService(
      this.accounts,
      this.events,
      options.exportDir ?? path.join(os.homedir(), 'Downloads', 'Vigil'),
      { relay: this.relay },
    );
    this.evidence = new EvidenceService(
      this.accounts,
      this.exports,
      new EvidenceKey(options.vault),
      this.events,
      path.join(options.exportDir ?? path.join(os.homedir(), 'Downloads', 'Vigil'), 'evidence'),
      { operator: () => operatorOf(this.settings.get().controlRoom) },
    );
    this.views = new ViewsService(this.settings);
    this.favourites = new FavouritesService(this.settings);
    this.gamepads = new GamepadMappingService(this.settings, this.events);
    this.alarms = new AlarmService(this.accounts, this.events, options.dataDir, {
      settings: this.settings,
      vault: options.vault,
    });
    this.updates = new UpdatesService({
      settings: this.settings,
      events: this.events,
      version: APP_VERSION,
      install: !!options.updateEngine,
      // Loaded on the first check: electron-updater is not needed to start.
      engine:
        options.updateEngine ??
        (() => import('./host/feed-reader').then((m) => m.feedOnlyUpdater(APP_VERSION, options.dataDir))),
    });
    this.bookmarks = new BookmarkService(
      options.dataDir,
      this.alarms.link,
      this.events,
      () => this.settings.get().controlRoom?.brokerUrl ?? '',
    );
    this.motion = new MotionSearchService(this.accounts, this.events, { relay: this.relay });
    this.maps = new MapsService(options.dataDir, this.events, {
      link: this.alarms.link,
      broker: () => this.settings.get().controlRoom?.brokerUrl ?? '',
    });
    this.thumbnails = new ThumbnailService(this.accounts, {
      dir: path.join(options.dataDir, 'cache', 'thumbnails'),
      maxBytes: () => (this.settings.get().preferences.thumbnailCacheMb ?? DEFAULT_THUMB_CACHE_MB) * 1024 * 1024,
      relay: this.relay,
    });
    const at = new Date().toISOString();
    this.notices = this.settings.notices.map((n) => ({
      id: randomUUID(),
      level: n.code === 'notice.settingsMigrated' ? 'info' : 'warning',
      code: n.code,
      message: n.message,
      at,
    }));
    if (this.alarms.historySetAside)
      this.notices.push({
        id: randomUUID(),
        level: 'warning',
        code: 'notice.alarmHistoryCorrupt',
        message: `The alarm history could not be read and was moved to ${this.alarms.historySetAside}; a new one was started.`,
        at,
      });
    if (this.bookmarks.setAside)
      this.notices.push({
        id: randomUUID(),
        level: 'warning',
        code: 'notice.bookmarksCorrupt',
        message: `The bookmarks could not be read and were moved to ${this.bookmarks.setAside}; a new file was started.`,
        at,
      });
    if (this.maps.setAside)
      this.notices.push({
        id: randomUUID(),
        level: 'warning',
        code: 'notice.mapsCorrupt',
        message: `The maps could not be read and were moved to ${this.maps.setAside}; a new file was started.`,
        at,
      });
    this.handlerSlices = {
      app: this.appHandlers(),
      accounts: accountsHandlers(this.accounts),
      wall: wallHandlers(this.wall),
      transcode: transcodeHandlers(this.transcoder),
      playback: playbackHandlers(this.playback),
      ptz: ptzHandlers(this.ptz),
      exports: exportHandlers(this.exports),
      evidence: evidenceHandlers(this.evidence),
      health: healthHandlers(this.health),
      statistics: statisticsHandlers(this.statistics),
      installer: installerHandlers(this.installer),
      alarms: alarmHandlers(this.alarms),
      plans: plansHandlers(this.plans),
      targets: targetsHandlers(this.targets),
      search: searchHandlers(this.search),
      views: viewsHandlers(this.views),
      favourites: favouritesHandlers(this.favourites),
      gamepads: gamepadHandlers(this.gamepads),
      updates: updatesHandlers(this.updates),
      bookmarks: bookmarkHandlers(this.bookmarks),
      motion: motionHandlers(this.motion),
      maps: mapsHandlers(this.maps),
      thumbnails: thumbnailHandlers(this.thumbnails),
    };
    this.handlers = mergeHandlers(this.handlerSlices);
  }

  /** What the core answers itself: the app, settings and the media relay. */
  private appHandlers(): HandlerSlice {
    return {
      'app:info': async () => ({
        name: APP_NAME,
        version: APP_VERSION,
        host: this.options.host,
        os: process.platform,
        notices: this.notices,
        exportFormat: (await (this.ffmpegProbe ??= probeFfmpeg())) ? 'mp4' : 'ts',
        developer: this.options.relayLoopbackUrls === true,
      }),
      'app:dismissNotice': ({ id }) => {
        this.notices = this.notices.filter((n) => n.id !== id);
        return null;
      },
      'app:openWindow': () => {
        if (!this.windowOpener) return { opened: false };
        this.windowOpener();
        return { opened: true };
      },
      'settings:get': () => this.settings.get().preferences,
      'settings:set': (req) => {
        const next = this.settings.update((s) => ({ ...s, preferences: { ...s.preferences, ...req } })).preferences;
        this.events.emit('main:settings-changed', next);
        return next;
      },
      'media:rate': ({ url, rate, sound }) => ({ applied: this.relay.setRate(url, rate, sound) }),
      // A playlist is relayed as HLS (its segments rewritten too): the stream-test page's typed H.265 HLS goes to the transcoder so.
      'media:relay': async ({ url }) => {
        if (!this.options.relayLoopbackUrls)
          throw new AppError(
            'NOT_AVAILABLE',
            'Typed stream addresses play in developer mode only (npm run start:web -- --developer), from this machine; a platform’s cameras play from the wall',
          );
        return { url: await this.relay.open(url, /\.m3u8$/i.test(new URL(url).pathname) ? 'hls' : 'flv') };
      },
    };
  }

  /**
   * Starts at once what a window asks for first, so its first requests find it under way instead
   * of starting it in turn: the keychain's listing (one call that any request for a secret shares)
   * and the ffmpeg probe `app:info` answers from. A failure is left for those requests to report.
   * Called by each host once its core is made (not by the constructor: tests and the agent make
   * cores that must not touch the keychain before they ask).
   */
  warmUp(): void {
    void this.accounts.list().catch(() => undefined);
    void (this.ffmpegProbe ??= probeFfmpeg());
  }

  call(channel: unknown, payload: unknown) {
    return dispatch(this.handlers, channel, payload);
  }

  /** True while an export is queued or running (quitting then asks first). */
  exporting(): boolean {
    return (
      this.exports.list().jobs.some((j) => j.state === 'queued' || j.state === 'running') ||
      this.evidence.list().jobs.some((j) => j.state === 'running')
    );
  }

  /**
   * Closes everything the core started, for both hosts on quit: exports cancelled (their ffmpeg
   * killed, `.part` files removed by the jobs), relay lanes and alarm receivers closed. Never throws:
   * one part failing must not keep the others open.
   */
  async dispose(): Promise<void> {
    const steps: Array<() => unknown> = [
      () => this.motion.close(),
      () => this.evidence.close(),
      () => this.thumbnails.close(),
      () => this.exports.close(),
      () => this.transcoder.close(),
      () => this.wall.close(),
      () => this.relay.close(),
      () => this.bookmarks.close(),
      () => this.maps.close(),
      () => this.alarms.closeAll(),
      () => this.accounts.close(),
      () => this.updates.dispose(),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch (e) {
        log.warn('shutdown step failed', e);
      }
    }
  }
}
