import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { findElectronBinary } from '../../main/launcher';
import { tempDir } from '../helpers/core';

// Runs the real Electron host where an Electron binary exists; says SKIP clearly where not.
const binary = findElectronBinary();
const skipReason = binary
  ? false
  : 'SKIP Electron smoke test: no Electron binary here (node_modules/electron/path.txt missing and ELECTRON_OVERRIDE_DIST_PATH unset)';
if (skipReason) console.log(skipReason);

test('Electron host opens a hardened window that talks to main over the contract', { skip: skipReason }, async () => {
  const app = await electron.launch({
    executablePath: binary!,
    args: [path.resolve('dist/main/index.mjs'), '--no-sandbox'],
    env: { ...process.env, VIGIL_DATA_DIR: tempDir() } as Record<string, string>,
  });
  try {
    const win = await app.firstWindow();
    assert.match(win.url(), /^vigil:\/\/app\//);
    const info = await win.evaluate(() => (window as unknown as { vigil: { invoke(c: string, p: object): Promise<{ host: string }> } }).vigil.invoke('app:info', {}));
    assert.equal(info.host, 'electron');
    // No Node in the page: contextIsolation + sandbox + no nodeIntegration.
    assert.equal(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    assert.equal(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined');
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      const wc = w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null };
      const p = wc.getLastWebPreferences();
      return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration };
    });
    assert.deepEqual(prefs, { contextIsolation: true, sandbox: true, nodeIntegration: false });
  } finally {
    await app.close();
  }
});
