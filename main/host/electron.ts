import { app, BrowserWindow, ipcMain, net, protocol, screen, session, shell, type WebContents } from 'electron';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { channelNames } from '../../preload/contract';
import type { Core } from '../core';
import { log } from '../log';
import { sendPrintable } from '../services/printables';
import { WindowState } from '../settings/schema';
import { contentSecurityPolicy, distDir, resolveStatic } from './static';

/**
 * Electron host: hardened windows over the shared core. The renderer is served from the
 * privileged `vigil://app/` scheme (so it gets a CSP header and an origin of its own), and every
 * IPC call is checked against the sender before it reaches the core.
 */
const SCHEME = 'vigil';
const APP_ORIGIN = `${SCHEME}://app`;

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
}

export function startElectronHost(core: Core): void {
  const windows = new Set<WebContents>();
  const rendererDir = distDir('renderer');

  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const found = url.host === 'app' ? resolveStatic(rendererDir, url.pathname) : null;
    if (!found) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(found.file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Type', found.mime);
    headers.set('Content-Security-Policy', contentSecurityPolicy());
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: 200, headers });
  });

  // Permissions (camera, geolocation, notifications…) are never granted to the renderer.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!windows.has(event.sender) || !event.senderFrame || new URL(event.senderFrame.url).origin !== APP_ORIGIN) {
        log.warn(`ipc ${channel} refused from ${event.senderFrame?.url ?? 'unknown frame'}`);
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an unknown sender' } };
      }
      return core.call(channel, payload);
    });
  }

  // Pages main printed (`/print/<ticket>`, one-time 128-bit tickets) are served on loopback and
  // opened in the system browser, so a generated device password never passes through the renderer.
  // (The media relay runs its own loopback lanes: main/media/relay.ts.)
  const printServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname.startsWith('/print/')) return sendPrintable(res, core.printables.take(url.pathname));
    res.writeHead(404).end();
  });
  printServer.listen(0, '127.0.0.1', () => {
    core.printables.base = `http://127.0.0.1:${(printServer.address() as AddressInfo).port}`;
  });
  app.on('will-quit', () => {
    core.relay.close();
    printServer.close();
  });

  core.events.subscribe((event, payload) => {
    for (const wc of windows) if (!wc.isDestroyed()) wc.send(event, payload);
  });

  const open = () => {
    const win = createWindow(core);
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
      win.setBounds({ x: x + Math.round(width * 0.1), y: y + Math.round(height * 0.1), width: Math.round(width * 0.8), height: Math.round(height * 0.8) });
    }
  };

  app.on('second-instance', () => {
    const [first] = BrowserWindow.getAllWindows();
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  open();
}

function createWindow(core: Core): BrowserWindow {
  const saved = restoreBounds(core.settings.get().window);
  const win = new BrowserWindow({
    ...saved,
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
      spellcheck: false,
    },
  });
  if (core.settings.get().window?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  // No navigation away from the app and no new windows; http(s) links open in the system browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(APP_ORIGIN)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());

  const remember = () => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state = WindowState.safeParse({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
    if (!state.success) return;
    try {
      core.settings.update((s) => ({ ...s, window: state.data }));
    } catch (e) {
      log.warn('window state not saved', e);
    }
  };
  win.on('close', remember);

  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** Saved geometry, used only if it is still visible on one of today's displays. */
function restoreBounds(state: WindowState | undefined): { x?: number; y?: number; width: number; height: number } {
  const fallback = { width: 1440, height: 900 };
  if (!state) return fallback;
  const { x, y, width, height } = state;
  if (x === undefined || y === undefined) return { width, height };
  const visible = screen.getAllDisplays().some((d) => {
    const a = d.workArea;
    return x < a.x + a.width && x + width > a.x && y < a.y + a.height && y + height > a.y;
  });
  return visible ? { x, y, width, height } : { width, height };
}
