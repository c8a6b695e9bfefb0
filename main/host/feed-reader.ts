import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as BuilderUtilRuntime from 'builder-util-runtime';
import type * as ElectronUpdater from 'electron-updater';
import type { AppUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { updateFeedUrl, UpdateError } from './updater';

/**
 * The browser host has no Electron updater and nothing to install, but "Check now" still asks the
 * feed through electron-updater's own code (its generic provider, metadata parser and version
 * comparison): an AppUpdater that reads over Node's http and refuses to download.
 */
const require = createRequire(import.meta.url);
const updaterModule = require('electron-updater') as typeof ElectronUpdater;
// builder-util-runtime as electron-updater itself resolves it (the version it pins).
const runtime = createRequire(require.resolve('electron-updater'))('builder-util-runtime') as typeof BuilderUtilRuntime;

/** electron-updater's HTTP over Node (Electron's net is not here); only addresses a feed may have. */
class NodeHttpExecutor extends runtime.HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    // Redirects come back through here: one to plain http off this machine is refused, not followed.
    const url = `${options.protocol ?? 'https:'}//${options.hostname}${options.port ? `:${options.port}` : ''}/`;
    if (!updateFeedUrl(url))
      throw new UpdateError('The update feed redirected to an address Vigil does not accept; nothing was read.');
    return (options.protocol === 'http:' ? http : https).request(options, callback);
  }
}

class FeedOnlyUpdater extends updaterModule.AppUpdater {
  constructor(app: AppAdapter) {
    super(null, app);
    // Given an app adapter, AppUpdater leaves its HTTP executor unset (Electron's is the default).
    (this as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeHttpExecutor();
    this.autoDownload = false;
    this.autoInstallOnAppQuit = false;
  }
  protected doDownloadUpdate(): Promise<never> {
    return Promise.reject(new UpdateError('Installing an update needs the desktop app.'));
  }
  quitAndInstall(): void {}
}

/** A feed-only updater for the browser host: `version` is the running Vigil's; `dataDir` holds electron-updater's staging id. */
export function feedOnlyUpdater(version: string, dataDir: string): AppUpdater {
  const app: AppAdapter = {
    version,
    name: 'Vigil',
    // electron-updater checks only for packaged apps; this one only reads the feed.
    isPackaged: true,
    appUpdateConfigPath: path.join(dataDir, 'app-update.yml'),
    userDataPath: dataDir,
    baseCachePath: path.join(dataDir, 'update-cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  return new FeedOnlyUpdater(app);
}
