import { app, BrowserWindow, dialog } from 'electron';
import ElectronStore from 'electron-store';
import { Core } from './core';
import { registerAppScheme, startElectronHost } from './host/electron';
import { log } from './log';
import { acquireDataFolderLock, type DataFolderLock } from './settings/lock';
import { SettingsStartupError, type BackendFactory } from './settings/settings';
import { KeyringVault } from './vault/vault';
import type { EventPayload } from '../preload/contract';
import type * as ElectronUpdater from 'electron-updater';

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
          updateEngine: loadAutoUpdater,
        });
      } catch (e) {
        lock?.release();
        if (!(e instanceof SettingsStartupError)) throw e;
        dialog.showErrorBox('Vigil did not start', e.message);
        app.exit(3);
        return;
      }
      app.on('quit', () => lock.release());
      core.warmUp();
      startElectronHost(core);
      startUpdates(core);
    })
    .catch((e: unknown) => {
      log.error('Vigil failed to start', e);
      app.exit(1);
    });
}

/**
 * Updates from the generic feed in settings (`updateFeedUrl`; none by default) through
 * electron-updater's `autoUpdater`, driven by the core's updates service (main/host/updater.ts):
 * checked once at start and from Settings, downloaded with progress on the taskbar/dock icon,
 * installed when the user quits. electron-updater installs nothing it did not verify.
 */
function startUpdates(core: Core): void {
  let shown = false;
  core.events.subscribe((event, payload) => {
    if (event !== 'main:updates') return;
    const status = payload as EventPayload<'main:updates'>;
    const downloading = status.state === 'downloading';
    if (!downloading && !shown) return;
    shown = downloading;
    for (const w of BrowserWindow.getAllWindows()) w.setProgressBar(downloading ? (status.percent ?? 0) / 100 : -1);
  });
  void core.updates.checkAtStart();
}

/**
 * electron-updater is CommonJS and defines autoUpdater as a getter: read it from module.exports
 * (the namespace's default), or the named export where a loader gives only those.
 */
async function loadAutoUpdater() {
  const mod = (await import('electron-updater')) as typeof ElectronUpdater & { default?: typeof ElectronUpdater };
  return (mod.default ?? mod).autoUpdater;
}
