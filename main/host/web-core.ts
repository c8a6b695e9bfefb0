import { Core } from '../core';
import { fileBackend } from '../settings/file-backend';
import { KeyringVault } from '../vault/vault';

/**
 * The browser host's core, in a module of its own: the CLI imports it only once its HTTP server
 * listens (the build puts it in its own chunk), so Node loads the core's modules — the keychain
 * and SQLite bindings, MQTT, settings' schema, every platform adapter — while the browser is
 * already asking for the page. Throws SettingsStartupError as `new Core` does.
 */
export function makeWebCore(o: { dataDir: string; developer: boolean }): Core {
  const core = new Core({
    host: 'web',
    dataDir: o.dataDir,
    settingsBackend: fileBackend,
    vault: new KeyringVault(),
    relayLoopbackUrls: o.developer,
  });
  core.warmUp();
  return core;
}
