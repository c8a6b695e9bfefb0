import { randomUUID } from 'node:crypto';
import { app, BrowserWindow, dialog } from 'electron';
import ElectronStore from 'electron-store';
import { APP_VERSION, Core } from './core';
import { registerAppScheme, startElectronHost } from './host/electron';
import { describeUpdateError, updateFeedUrl } from './host/updater';
import { log } from './log';
import { acquireDataFolderLock, type DataFolderLock } from './settings/lock';
import { SettingsStartupError, type BackendFactory } from './settings/settings';
import { KeyringVault } from './vault/vault';

/** Electron entry. Only this file and host/electron.ts import `electron` (and electron-store, which does). */
const electronStoreBackend: BackendFactory = ({ cwd, configName }) =>
  new ElectronStore<Record<string, unknown>>({
    cwd,
    name: configName,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
  });

// Every renderer sandboxed, whatever a window's own preferences say (must precede 'ready').
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // A second launch: the first instance focuses its window ('second-instance') and this one leaves.
  app.quit();
} else {
  registerAppScheme();
  app.setName('Vigil');
  void app
    .whenReady()
    .then(() => {
      const dataDir = process.env.VIGIL_DATA_DIR ?? app.getPath('userData');
      // One Vigil per data folder (the single-instance lock does not cover VIGIL_DATA_DIR or a
      // browser host on the same folder); a settings file from a newer Vigil is left alone.
      let lock: DataFolderLock | undefined;
      let core: Core;
      try {
        lock = acquireDataFolderLock(dataDir, 'electron');
        core = new Core({
          host: 'electron',
          dataDir,
          settingsBackend: electronStoreBackend,
          vault: new KeyringVault(),
        });
      } catch (e) {
        lock?.release();
        if (!(e instanceof SettingsStartupError)) throw e;
        dialog.showErrorBox('Vigil did not start', e.message);
        app.exit(3);
        return;
      }
      app.on('quit', () => lock.release());
      startElectronHost(core);
      startUpdates(core);
    })
    .catch((e: unknown) => {
      log.error('Vigil failed to start', e);
      app.exit(1);
    });
}

/**
 * Updates from the generic feed in settings (`updateFeedUrl`; none by default): checked once at
 * start, downloaded with progress on the taskbar/dock icon, installed when the user quits. A
 * sha512 or signature mismatch or a network error is a notice in words; electron-updater
 * installs nothing it did not verify.
 */
function startUpdates(core: Core): void {
  const raw = core.settings.get().updateFeedUrl;
  const feed = updateFeedUrl(raw);
  if (!feed) {
    if (raw) log.warn('updateFeedUrl ignored: it must be https (or http on loopback)');
    return;
  }
  const notice = (level: 'info' | 'warning', code: string, message: string) =>
    core.events.emit('main:notice', { id: randomUUID(), level, code, message, at: new Date().toISOString() });
  const progress = (fraction: number) => {
    for (const w of BrowserWindow.getAllWindows()) w.setProgressBar(fraction);
  };
  // electron-updater is CommonJS and defines autoUpdater as a getter: read it from module.exports.
  void import('electron-updater')
    .then((mod) => {
      const { autoUpdater } = (mod as unknown as { default: typeof mod }).default;
      autoUpdater.setFeedURL({ provider: 'generic', url: feed.href });
      autoUpdater.autoDownload = true;
      autoUpdater.autoInstallOnAppQuit = true;
      autoUpdater.on('download-progress', (p: { percent: number }) => progress(p.percent / 100));
      autoUpdater.on('update-downloaded', (info: { version: string }) => {
        progress(-1);
        notice('info', 'notice.updateReady', `Vigil ${info.version} (now ${APP_VERSION}) installs when you quit.`);
      });
      autoUpdater.on('error', (e: unknown) => {
        progress(-1);
        const message = describeUpdateError(e);
        log.warn(`update: ${message}`);
        notice('warning', 'notice.updateFailed', message);
      });
      // Failures also arrive as 'error' above.
      return autoUpdater.checkForUpdates().catch(() => undefined);
    })
    .catch((e: unknown) => log.warn('updater not available', e));
}
