import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { findElectronBinary } from '../../main/launcher';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { ivmAccount } from '../helpers/accounts';
import { tempDir } from '../helpers/core';
import { waitAllDecoding } from '../helpers/media';

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
    const info = await win.evaluate(() =>
      (window as unknown as { vigil: { invoke(c: string, p: object): Promise<{ host: string }> } }).vigil.invoke(
        'app:info',
        {},
      ),
    );
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

test(
  'Electron first run: add an account, open the wall, play one pane, quit cleanly',
  { skip: skipReason },
  async () => {
    const sim = await MediaSimulator.start({ channels: [{ id: 'e1', name: 'Electron 1' }] });
    const ivm = await new IvmEmulator({ media: platformMedia(sim) }).start();
    const app = await electron.launch({
      executablePath: binary!,
      args: [path.resolve('dist/main/index.mjs'), '--no-sandbox'],
      env: { ...process.env, VIGIL_DATA_DIR: tempDir() } as Record<string, string>,
    });
    let accountId: string | null = null;
    const win = await app.firstWindow();
    type Bridge = { vigil: { invoke(c: string, p: object): Promise<unknown> } };
    try {
      await win.setViewportSize({ width: 1600, height: 900 });
      // The account goes through the contract (the Accounts form itself is covered in the browser e2e).
      const added = (await win.evaluate(
        (account) => (window as unknown as Bridge).vigil.invoke('accounts:add', { name: 'IVM', ...account }),
        ivmAccount(ivm),
      )) as { id: string };
      accountId = added.id;
      await win.reload();
      await win.getByTestId('wall-page').waitFor();
      const node = win.locator('[data-testid="node-channel"]').first();
      await node.waitFor();
      await win.getByTestId('wall-pane-0').click();
      await node.dblclick();
      await waitAllDecoding(win, [0], 30_000);
      // The key-frame decoder's module worker loads from vigil:// (a wall's key-frame panes use it).
      const workerFile = fs
        .readdirSync(path.resolve('dist/renderer/assets'))
        .find((f) => /^key-frame\.worker-.*\.js$/.test(f));
      const loaded = await win.evaluate(
        (file) =>
          new Promise<string>((resolve) => {
            const w = new Worker(`./assets/${file}`, { type: 'module' });
            w.onerror = (e) => resolve(`failed: ${e.message}`);
            setTimeout(() => (w.terminate(), resolve('loaded')), 1000); // (it waits for work: no error is the sign)
          }),
        workerFile,
      );
      assert.equal(loaded, 'loaded');
    } finally {
      if (accountId)
        await win
          .evaluate((id) => (window as unknown as Bridge).vigil.invoke('accounts:remove', { id }), accountId)
          .catch(() => undefined);
      const proc = app.process();
      await app.close();
      // Quitting closes main's servers and children (relay lanes, print server): the process ends by itself.
      assert.equal(proc.exitCode, 0, `Electron exited with ${proc.exitCode ?? proc.signalCode}`);
      await ivm.stop();
      await sim.stop();
    }
  },
);
