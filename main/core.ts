import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Notice } from '../preload/contract';
import { EventBus } from './events';
import { dispatch, type Handlers } from './ipc/dispatch';
import { log } from './log';
import { findFfmpeg } from './media/ffmpeg';
import { MediaRelay } from './media/relay';
import { AccountsService } from './services/accounts';
import { AlarmService } from './services/alarms';
import { ExportService } from './services/export';
import { HealthService } from './services/health';
import { InstallerService } from './services/installer';
import { Printables } from './services/printables';
import { LibraryService } from './services/library';
import { PlansService } from './services/plans';
import { PresetsService } from './services/presets';
import { FavouritesService } from './services/favourites';
import { ViewsService } from './services/views';
import { SearchService } from './services/search';
import { WallService } from './services/wall';
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
  readonly printables = new Printables();
  readonly wall: WallService;
  readonly search: SearchService;
  readonly presets: PresetsService;
  readonly library: LibraryService;
  readonly plans: PlansService;
  readonly installer: InstallerService;
  readonly health: HealthService;
  readonly exports: ExportService;
  readonly views: ViewsService;
  readonly favourites: FavouritesService;
  readonly alarms: AlarmService;
  private notices: Notice[];
  /** A notice shown as a banner in every window that connects (the demo says its secrets are in memory). */
  addNotice(level: Notice['level'], code: string, message: string): void {
    this.notices.push({ id: randomUUID(), level, code, message, at: new Date().toISOString() });
  }

  /** Set by the Electron host: opens another app window (on another display where possible). */
  windowOpener: (() => void) | null = null;
  readonly handlers: Handlers;

  constructor(readonly options: CoreOptions) {
    this.settings = new Settings(options.dataDir, options.settingsBackend);
    this.accounts = new AccountsService(this.settings, options.vault, this.events);
    this.relay = new MediaRelay({ relayLoopbackUrls: options.relayLoopbackUrls });
    this.wall = new WallService(this.accounts, this.relay);
    this.search = new SearchService(this.accounts);
    this.presets = new PresetsService(this.accounts);
    this.library = new LibraryService(this.accounts);
    this.plans = new PlansService(this.accounts);
    this.installer = new InstallerService(this.accounts, options.vault, this.printables);
    this.health = new HealthService(this.accounts, this.wall);
    this.exports = new ExportService(
      this.accounts,
      this.events,
      options.exportDir ?? path.join(os.homedir(), 'Downloads', 'Vigil'),
    );
    this.views = new ViewsService(this.settings);
    this.favourites = new FavouritesService(this.settings);
    this.alarms = new AlarmService(this.accounts, this.events, options.dataDir);
    const at = new Date().toISOString();
    this.notices = this.settings.notices.map((n) => ({
      id: randomUUID(),
      level: n.code === 'notice.settingsMigrated' ? 'info' : 'warning',
      code: n.code,
      message: n.message,
      at,
    }));
    this.handlers = {
      'app:info': () => ({
        name: APP_NAME,
        version: APP_VERSION,
        host: options.host,
        os: process.platform,
        notices: this.notices,
        exportFormat: findFfmpeg() ? 'mp4' : 'ts',
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
      'accounts:list': () => this.accounts.list(),
      'accounts:add': (req) => this.accounts.add(req),
      'accounts:update': (req) => this.accounts.update(req),
      'accounts:remove': async ({ id }) => {
        await this.accounts.remove(id);
        return null;
      },
      'accounts:test': ({ id }) => this.accounts.test(id),
      'settings:get': () => this.settings.get().preferences,
      'settings:set': (req) => {
        const next = this.settings.update((s) => ({ ...s, preferences: { ...s.preferences, ...req } })).preferences;
        this.events.emit('main:settings-changed', next);
        return next;
      },
      'media:relay': async ({ url }) => ({ url: await this.relay.open(url) }),
      'tree:load': ({ accountId, refresh }) => this.wall.tree(accountId, refresh),
      'live:source': ({ accountId, channelId, stream }) => this.wall.liveSource(accountId, channelId, stream),
      'live:snapshot': ({ accountId, channelId }) => this.wall.cloudSnapshot(accountId, channelId),
      'ptz:command': async ({ accountId, channelId, command, speed }) => {
        await this.wall.ptz(accountId, channelId, command, speed);
        return null;
      },
      'ptz:release': async ({ accountId, channelId }) => {
        await this.wall.releasePtz(accountId, channelId);
        return null;
      },
      'presets:list': ({ accountId, channelId }) => this.presets.presets(accountId, channelId),
      'presets:goto': async ({ accountId, channelId, index }) => {
        await this.presets.goTo(accountId, channelId, index);
        return null;
      },
      'presets:save': ({ accountId, channelId, index, name }) => this.presets.save(accountId, channelId, name, index),
      'presets:remove': ({ accountId, channelId, index }) => this.presets.remove(accountId, channelId, index),
      'presets:rename': ({ accountId, channelId, index, name }) =>
        this.presets.rename(accountId, channelId, index, name),
      'cruise:list': ({ accountId, channelId }) => this.presets.tracks(accountId, channelId),
      'cruise:save': ({ accountId, channelId, id, name, points }) =>
        this.presets.saveTrack(accountId, channelId, { ...(id !== undefined ? { id } : {}), name, points }),
      'cruise:remove': ({ accountId, channelId, id }) => this.presets.removeTrack(accountId, channelId, id),
      'cruise:run': ({ accountId, channelId, id, on }) => this.presets.runTrack(accountId, channelId, id, on),
      'export:start': (req) => this.exports.start(req),
      'export:list': () => this.exports.list(),
      'export:cancel': ({ id }) => {
        this.exports.cancel(id);
        return null;
      },
      'health:summary': ({ accountId }) => this.health.summary(accountId),
      'device:streams': ({ accountId, channelId }) => this.installer.streams(accountId, channelId),
      'device:setStreams': ({ accountId, channelId, streams }) =>
        this.installer.setStreams(accountId, channelId, streams),
      'device:renameChannel': async ({ accountId, channelId, name }) => {
        await this.installer.renameChannel(accountId, channelId, name);
        return null;
      },
      'device:passwordState': ({ accountId, channelId }) => this.installer.passwordState(accountId, channelId),
      'device:setPassword': async ({ accountId, channelId, next, current }) => {
        await this.installer.setPassword(accountId, channelId, next, current);
        return null;
      },
      'device:delete': ({ accountId, deviceIds }) => this.installer.remove(accountId, deviceIds),
      'device:move': ({ accountId, deviceIds, groupId }) => this.installer.move(accountId, deviceIds, groupId),
      'device:services': ({ accountId, channelId }) => this.installer.services(accountId, channelId),
      'device:enableService': ({ accountId, channelIds, resourceId, storageDays }) =>
        this.installer.enableService(accountId, channelIds, resourceId, storageDays),
      'device:disableService': ({ accountId, channelIds, type }) =>
        this.installer.disableService(accountId, channelIds, type),
      'installer:addGb': (req) => this.installer.addGb(req),
      'installer:import': ({ accountId, rows, organizationId, clusterId }) =>
        this.installer.importDevices(accountId, rows, organizationId, clusterId),
      'installer:importProgress': ({ accountId, jobId }) => this.installer.importProgress(accountId, jobId),
      'installer:importResult': ({ accountId, jobId }) => this.installer.importResult(accountId, jobId),
      'installer:readSheet': ({ data }) => this.installer.readSheet(data),
      'alarms:state': ({ accountId }) => this.alarms.state(accountId),
      'alarms:start': ({ accountId, publicUrl, port }) => this.alarms.start(accountId, publicUrl, port),
      'alarms:stop': ({ accountId }) => this.alarms.stop(accountId),
      'alarms:list': () => this.alarms.list(),
      'alarms:acknowledge': ({ id }) => this.alarms.acknowledge(id),
      'alarms:acknowledgeAll': () => this.alarms.acknowledgeAll(),
      'alarms:picture': ({ accountId, uuid }) => this.alarms.picture(accountId, uuid),
      'installer:addHolo': ({ accountId, deviceId, verificationCode, description }) =>
        this.installer.addHolo(accountId, deviceId, verificationCode, description),
      'installer:options': ({ accountId }) => this.installer.options(accountId),
      'installer:status': ({ accountId, deviceId }) => this.installer.status(accountId, deviceId),
      'installer:refreshChannels': ({ accountId, deviceId }) => this.installer.refreshChannels(accountId, deviceId),
      'installer:gbSheet': ({ accountId, deviceId }) => this.installer.gbSheet(accountId, deviceId),
      'installer:credentials': ({ accountId }) => this.installer.credentials(accountId),
      'installer:createCredential': ({ accountId, type, password, username }) =>
        this.installer.createCredential(accountId, type, password, username),
      'plans:get': ({ accountId, channelId }) => this.plans.get(accountId, channelId),
      'plans:save': ({ accountId, channelIds, kind, allDay, sections, alarms }) =>
        this.plans.save(accountId, channelIds, kind, { allDay, sections, ...(alarms ? { alarms } : {}) }),
      'plans:clear': ({ accountId, channelIds, kind }) => this.plans.clear(accountId, channelIds, kind),
      'plans:retention': ({ accountId, channelIds, continuousDays, motionDays }) =>
        this.plans.retention(accountId, channelIds, {
          ...(continuousDays !== undefined ? { continuousDays } : {}),
          ...(motionDays !== undefined ? { motionDays } : {}),
        }),
      'plans:templates': ({ accountId, kind }) => this.plans.templates(accountId, kind),
      'plans:saveTemplate': ({ accountId, kind, id, ...template }) =>
        this.plans.saveTemplate(accountId, kind, id, template),
      'plans:deleteTemplate': ({ accountId, kind, id }) => this.plans.deleteTemplate(accountId, kind, id),
      'plans:cloudPlans': ({ accountId, kind }) => this.plans.cloudPlans(accountId, kind),
      'plans:cloudPlanChannels': ({ accountId, kind, planId }) => this.plans.cloudPlanChannels(accountId, kind, planId),
      'plans:saveCloudPlan': ({ accountId, kind, ...plan }) => this.plans.saveCloudPlan(accountId, kind, plan),
      'plans:deleteCloudPlan': ({ accountId, kind, id }) => this.plans.deleteCloudPlan(accountId, kind, id),
      'library:scopes': ({ accountId }) => this.library.scopes(accountId),
      'library:groups': ({ accountId, deviceId }) => this.library.state(accountId, deviceId),
      'library:createGroup': ({ accountId, deviceId, name, type }) =>
        this.library.createGroup(accountId, deviceId, name, type),
      'library:updateGroup': ({ accountId, deviceId, groupId, name, enabled }) =>
        this.library.updateGroup(accountId, deviceId, groupId, name, enabled),
      'library:deleteGroup': ({ accountId, deviceId, groupId }) =>
        this.library.deleteGroup(accountId, deviceId, groupId),
      'library:targets': ({ accountId, deviceId, groupId, start, count }) =>
        this.library.targets(accountId, deviceId, groupId, start, count),
      'library:picture': ({ accountId, deviceId, groupId, id }) =>
        this.library.picture(accountId, deviceId, groupId, id),
      'library:addTargets': ({ accountId, deviceId, groupId, targets }) =>
        this.library.add(accountId, deviceId, groupId, targets),
      'library:updateTarget': ({ accountId, deviceId, groupId, target }) =>
        this.library.update(accountId, deviceId, groupId, target),
      'library:deleteTargets': ({ accountId, deviceId, groupId, ids }) =>
        this.library.remove(accountId, deviceId, groupId, ids),
      'cruise:copy': ({ accountId, channelId, id, toChannelId, skipMissing }) =>
        this.presets.copyTrack(accountId, channelId, id, toChannelId, skipMissing),
      'playback:recordings': ({ accountId, channelId, startMs, endMs }) =>
        this.wall.recordings(accountId, channelId, startMs, endMs),
      'playback:source': ({ accountId, channelId, kind, startMs, endMs }) =>
        this.wall.playbackSource(accountId, channelId, kind, startMs, endMs),
      'playback:control': async ({ accountId, channelId, session, action, scale }) => {
        await this.wall.playbackControl(accountId, channelId, session, action, scale);
        return null;
      },
      'search:scopes': ({ accountId }) => this.search.scopes(accountId),
      'search:targets': (req) => this.search.targets(req),
      'views:list': () => this.views.list(),
      'views:save': (req) => this.views.save(req),
      'views:delete': ({ id }) => {
        this.views.remove(id);
        return null;
      },
      'views:setStartup': ({ id }) => {
        this.views.setStartup(id);
        return null;
      },
      'favourites:list': () => this.favourites.list(),
      'favourites:toggle': (req) => this.favourites.toggle(req),
    };
  }

  call(channel: unknown, payload: unknown) {
    return dispatch(this.handlers, channel, payload);
  }

  /** True while an export is queued or running (quitting then asks first). */
  exporting(): boolean {
    return this.exports.list().jobs.some((j) => j.state === 'queued' || j.state === 'running');
  }

  /**
   * Closes everything the core started, for both hosts on quit: exports cancelled (their ffmpeg
   * killed, `.part` files removed by the jobs), relay lanes and alarm receivers closed. Never throws:
   * one part failing must not keep the others open.
   */
  async dispose(): Promise<void> {
    const steps: Array<() => unknown> = [
      () => {
        for (const j of this.exports.list().jobs)
          if (j.state === 'queued' || j.state === 'running') this.exports.cancel(j.id);
      },
      () => this.relay.close(),
      () => this.alarms.closeAll(),
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
