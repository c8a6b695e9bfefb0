import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  screen,
  session,
  shell,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { channelNames } from '../../preload/contract';
import { APP_VERSION, type Core } from '../core';
import { log } from '../log';
import { MAX_DISPLAYS_REMEMBERED, WindowState } from '../settings/schema';
import {
  APP_ORIGIN,
  APP_SCHEME,
  externalUrlAllowed,
  isAppUrl,
  menuLabels,
  permissionAllowed,
  displayKey,
  rememberWindow,
  restoreWindow,
} from './policy';
import { startPrintServer } from './print-server';
import { contentSecurityPolicy, distDir, resolveStatic } from './static';

/**
 * Electron host: hardened windows over the shared core. The renderer is served from the
 * privileged `vigil://app/` scheme (so it gets a CSP header and an origin of its own), and every
 * IPC call is checked against the sender before it reaches the core.
 */

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/** Longest a quit waits for servers and child processes to close. */
const DISPOSE_LIMIT_MS = 3000;

export function startElectronHost(core: Core): void {
  const windows = new Set<WebContents>();
  const rendererDir = distDir('renderer');
  // 'system' follows the OS: zh-CN for a Chinese system, English otherwise (as the renderer does).
  const language = () => {
    const chosen = core.settings.get().preferences.language;
    return chosen !== 'system' ? chosen : app.getLocale().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  };

  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const found =
      request.method === 'GET' && url.hostname === 'app' && isAppUrl(request.url)
        ? resolveStatic(rendererDir, url.pathname)
        : null;
    if (!found) return new Response('Not found', { status: 404 });
    // Read directly (Electron's fs reads inside app.asar): no file:// fetch, whose extra privileges the fuses turn off.
    const body = await fs.promises.readFile(found.file);
    const headers = new Headers();
    headers.set('Content-Type', found.mime);
    headers.set('Content-Security-Policy', contentSecurityPolicy(undefined, core.maps.tileSources()));
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(body, { status: 200, headers });
  });

  // Permissions are denied except what a feature needs (the wall's full screen), and only to the app's own pages.
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback, details) => {
    const allowed = permissionAllowed(permission, details?.requestingUrl ?? wc?.getURL());
    if (!allowed) log.warn(`permission ${permission} denied`);
    callback(allowed);
  });
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin),
  );

  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      // Compared as parsed scheme + host: Node's URL gives custom schemes the origin "null".
      if (!windows.has(event.sender) || !event.senderFrame || !isAppUrl(event.senderFrame.url)) {
        log.warn(`ipc ${channel} refused from ${event.senderFrame?.url ?? 'unknown frame'}`);
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an unknown sender' } };
      }
      return core.call(channel, payload);
    });
  }

  // The relay's loopback lanes answer CORS for the app's own pages only.
  core.relay.allowOrigins([APP_ORIGIN]);

  // Pages main printed (`/print/<ticket>`, one-time 128-bit tickets) are served on loopback and
  // opened in the system browser, so a generated device password never passes through the renderer.
  // (The media relay runs its own loopback lanes: main/media/relay.ts.)
  const printServer = startPrintServer(core.printables);
  // Without it the installer's sheets cannot be printed; the rest of the app works.
  printServer.catch((e: Error) => log.error(`print pages unavailable: ${e.message}`));

  // Every web contents, including any created later, gets the same guards.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, () => core.printables.base));

  // Quitting: ask first while an export runs; then close every server and child process main started.
  let quitConfirmed = false;
  const confirmQuit = (): boolean => {
    if (quitConfirmed || !core.exporting()) return true;
    const l = menuLabels(language());
    const options = {
      type: 'question' as const,
      buttons: [l.quitAnyway, l.cancel],
      defaultId: 1,
      cancelId: 1,
      message: l.quitWhileExporting,
    };
    const parent = BrowserWindow.getFocusedWindow();
    quitConfirmed = (parent ? dialog.showMessageBoxSync(parent, options) : dialog.showMessageBoxSync(options)) === 0;
    return quitConfirmed;
  };
  app.on('before-quit', (event) => {
    if (!confirmQuit()) event.preventDefault();
  });
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    void printServer.then(
      (s) => s.close(),
      () => undefined,
    );
    const limit = new Promise<void>((resolve) => setTimeout(resolve, DISPOSE_LIMIT_MS).unref());
    void Promise.race([core.dispose(), limit]).finally(() => {
      disposed = true;
      app.quit();
    });
  });

  // The dock/launcher badge counts the alarms no operator has acknowledged yet (Windows has no
  // count: its taskbar button flashes while there are any). Acknowledging re-sends `main:alarm`.
  const showUnacknowledged = () => {
    const n = core.alarms.unacknowledged();
    app.setBadgeCount(n);
    if (process.platform === 'win32') for (const w of BrowserWindow.getAllWindows()) w.flashFrame(n > 0);
  };
  core.events.subscribe((event, payload) => {
    for (const wc of windows) if (!wc.isDestroyed()) wc.send(event, payload);
    if (event === 'main:alarm') showUnacknowledged();
    if (event === 'main:settings-changed') setMenu(core, language());
  });

  const open = () => {
    const win = createWindow(core, confirmQuit);
    windows.add(win.webContents);
    win.on('closed', () => windows.delete(win.webContents));
    return win;
  };
  // "Open wall on another display": a new window centred on a display the first window is not on.
  core.windowOpener = () => {
    const [first] = BrowserWindow.getAllWindows();
    const win = open();
    const here = first ? screen.getDisplayMatching(first.getBounds()) : screen.getPrimaryDisplay();
    const other = screen.getAllDisplays().find((d) => d.id !== here.id);
    if (other) {
      const { x, y, width, height } = other.workArea;
      win.setBounds({
        x: x + Math.round(width * 0.1),
        y: y + Math.round(height * 0.1),
        width: Math.round(width * 0.8),
        height: Math.round(height * 0.8),
      });
    }
  };

  app.setAboutPanelOptions({ applicationName: 'Vigil', applicationVersion: APP_VERSION });
  setMenu(core, language());
  showUnacknowledged();

  app.on('second-instance', () => {
    const [first] = BrowserWindow.getAllWindows();
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    } else open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  open();
}

/** No navigation away from the app, no redirects out of it, no webviews, no new windows; allowed links open in the system browser. */
export function guardWebContents(contents: WebContents, printBase: () => string | null): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (externalUrlAllowed(url, printBase())) void shell.openExternal(url);
    // The origin only: a refused URL may carry a signed query (a play token).
    else log.warn(`window.open refused: ${URL.canParse(url) ? new URL(url).origin : 'an unparsable URL'}`);
    return { action: 'deny' };
  });
}

/** The native menu: the usual roles plus Vigil's own commands, labelled in the UI language. */
function setMenu(core: Core, language: string): void {
  const l = menuLabels(language);
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: l.file,
      submenu: [
        { label: l.newWindow, accelerator: 'CmdOrCtrl+Shift+N', click: () => core.windowOpener?.() },
        { label: l.openDataFolder, click: () => void shell.openPath(core.options.dataDir) },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit', label: l.quit },
      ],
    },
    {
      label: l.edit,
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: l.view,
      submenu: [
        { label: l.fullScreenWall, role: 'togglefullscreen' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        // No DevTools and no reload in an installed app.
        ...(app.isPackaged
          ? []
          : ([
              { type: 'separator' },
              { label: l.reload, role: 'reload' },
              { label: l.devTools, role: 'toggleDevTools' },
            ] as MenuItemConstructorOptions[])),
      ],
    },
    {
      label: l.window,
      submenu: [
        { role: 'minimize' },
        ...(mac
          ? ([{ role: 'zoom' }, { role: 'front' }] as MenuItemConstructorOptions[])
          : [{ role: 'close' as const }]),
      ],
    },
    { label: l.help, role: 'help', submenu: [{ label: l.about, click: () => app.showAboutPanel() }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(core: Core, confirmQuit: () => boolean): BrowserWindow {
  const saved = core.settings.get();
  const area = (d: Electron.Display) => ({ key: displayKey(d), workArea: d.workArea });
  const { placement: placed, maximized } = restoreWindow(
    saved.window,
    saved.windowByDisplay,
    screen.getAllDisplays().map(area),
    area(screen.getPrimaryDisplay()),
  );
  const win = new BrowserWindow({
    ...placed,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#141414',
    title: 'Vigil',
    webPreferences: {
      preload: path.join(distDir('preload'), 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: !app.isPackaged,
      spellcheck: false,
    },
  });
  if (maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const remember = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const next = WindowState.safeParse({
      x: b.x,
      y: b.y,
      width: b.width,
      height: b.height,
      maximized: win.isMaximized(),
      display: displayKey(screen.getDisplayMatching(b)),
    });
    if (!next.success) return;
    try {
      core.settings.update((s) => ({
        ...s,
        window: next.data,
        windowByDisplay: rememberWindow(s.windowByDisplay, next.data, MAX_DISPLAYS_REMEMBERED),
      }));
    } catch (e) {
      log.warn('window state not saved', e);
    }
  };
  win.on('close', (event) => {
    // Closing the last window quits (except on macOS): ask first while an export runs.
    if (process.platform !== 'darwin' && BrowserWindow.getAllWindows().length === 1 && !confirmQuit()) {
      event.preventDefault();
      return;
    }
    remember();
  });

  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
