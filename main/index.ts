import { app } from 'electron';
import ElectronStore from 'electron-store';
import { Core } from './core';
import { registerAppScheme, startElectronHost } from './host/electron';
import { log } from './log';
import type { BackendFactory } from './settings/settings';
import { KeyringVault } from './vault/vault';

/** Electron entry. Only this file and host/electron.ts import `electron` (and electron-store, which does). */
const electronStoreBackend: BackendFactory = ({ cwd, configName }) =>
  new ElectronStore<Record<string, unknown>>({ cwd, name: configName, accessPropertiesByDotNotation: false, clearInvalidConfig: false });

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
      const core = new Core({ host: 'electron', dataDir, settingsBackend: electronStoreBackend, vault: new KeyringVault() });
      startElectronHost(core);
    })
    .catch((e: unknown) => {
      log.error('Vigil failed to start', e);
      app.exit(1);
    });
}
