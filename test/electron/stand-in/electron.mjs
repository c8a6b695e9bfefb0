// A stand-in for the `electron` module that records what Vigil's main process asks of it, for the
// wiring test (test/electron/wiring.test.ts) and the updater test (electron-updater's own classes,
// test/integration/updater.test.ts). It behaves like Electron where main or electron-updater
// depends on the behaviour (events, whenReady, the quit sequence, net.fetch of file: URLs,
// net.request over HTTP) and records the rest.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const rec = (globalThis.__electronStandIn ??= {
  calls: [],
  handles: new Map(),
  handleCounts: new Map(),
  listeners: new Map(),
  windows: [],
  contents: [],
  schemes: [],
  protocolHandlers: new Map(),
  permissionRequest: null,
  permissionCheck: null,
  openedExternal: [],
  openedPaths: [],
  menus: [],
  badge: [],
  dialogs: [],
  dialogAnswer: 1,
  quitState: 'running',
  exitCode: null,
  ready: null,
  netRequests: [],
  partitions: [],
});
const call = (name, ...args) => rec.calls.push({ name, args });

let resolveReady;
const readyPromise = new Promise((r) => (resolveReady = r));
let isReady = false;
rec.ready = () => {
  isReady = true;
  app.emit('ready');
  resolveReady();
};

class StandInEvent {
  constructor(extra = {}) {
    Object.assign(this, extra);
    this.defaultPrevented = false;
  }
  preventDefault() {
    this.defaultPrevented = true;
  }
}
rec.Event = StandInEvent;

let nextId = 1;
export class WebContents extends EventEmitter {
  constructor() {
    super();
    this.id = nextId++;
    this.url = '';
    this.sent = [];
    this.windowOpenHandler = null;
    this.destroyed = false;
    this.mainFrame = { url: '', routingId: 1 };
    rec.contents.push(this);
    // Electron announces every new web contents app-wide before anything loads into it.
    queueMicrotask(() => app.emit('web-contents-created', new StandInEvent(), this));
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  send(channel, payload) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.url;
  }
}

export class BrowserWindow extends EventEmitter {
  static all = [];
  static focused = null;
  static getAllWindows() {
    return BrowserWindow.all.filter((w) => !w.destroyed);
  }
  static getFocusedWindow() {
    return BrowserWindow.focused;
  }
  constructor(options = {}) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.destroyed = false;
    this.focusCount = 0;
    BrowserWindow.all.push(this);
    rec.windows.push(this);
  }
  loadURL(url) {
    this.loadedUrl = url;
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show() {}
  focus() {
    this.focusCount++;
  }
  restore() {}
  isMinimized() {
    return false;
  }
  maximize() {
    this.maximized = true;
  }
  isMaximized() {
    return !!this.maximized;
  }
  getBounds() {
    return { ...this.bounds };
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  setBounds(b) {
    this.bounds = { ...this.bounds, ...b };
  }
  flashFrame(on) {
    call('flashFrame', on);
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** Closes like Electron: 'close' (preventable), then 'closed'. */
  close() {
    const e = new StandInEvent();
    this.emit('close', e);
    if (e.defaultPrevented) return false;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
    return true;
  }
}

class App extends EventEmitter {
  isPackaged = true;
  requestSingleInstanceLock() {
    call('requestSingleInstanceLock');
    return true;
  }
  enableSandbox() {
    call('enableSandbox', { ready: isReady });
  }
  setName(n) {
    call('setName', n);
  }
  getName() {
    return 'Vigil';
  }
  /** A Chinese system: the menu follows it while the language preference is 'system'. */
  getLocale() {
    return 'zh-CN';
  }
  /** Electron answers the app's package.json version. */
  getVersion() {
    return JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version;
  }
  getPath(name) {
    call('getPath', name);
    return process.env.VIGIL_DATA_DIR;
  }
  getAppPath() {
    return process.cwd();
  }
  whenReady() {
    return readyPromise;
  }
  isReady() {
    return isReady;
  }
  setBadgeCount(n) {
    rec.badge.push(n);
    return true;
  }
  setAboutPanelOptions(o) {
    call('setAboutPanelOptions', o);
  }
  showAboutPanel() {
    call('showAboutPanel');
  }
  /** Electron's quit sequence: 'before-quit' and 'will-quit' may each cancel it; then 'quit'. */
  quit() {
    call('quit');
    const before = new StandInEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    const will = new StandInEvent();
    this.emit('will-quit', will);
    if (will.defaultPrevented) {
      rec.quitState = 'held';
      return;
    }
    rec.quitState = 'quit';
    this.emit('quit', new StandInEvent(), 0);
  }
  exit(code) {
    rec.exitCode = code;
    call('exit', code);
  }
}
export const app = new App();

export const ipcMain = {
  handle(channel, fn) {
    rec.handles.set(channel, fn);
    rec.handleCounts.set(channel, (rec.handleCounts.get(channel) ?? 0) + 1);
  },
  handleOnce(channel, fn) {
    this.handle(channel, fn);
  },
  removeHandler(channel) {
    rec.handles.delete(channel);
  },
  on(channel, fn) {
    rec.listeners.set(channel, fn);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    rec.schemes.push({ schemes, ready: isReady });
  },
  handle(scheme, fn) {
    rec.protocolHandlers.set(scheme, fn);
  },
};

// Chromium's names for the network errors Node reports (net::ERR_* is all Electron's errors carry).
const netErrors = {
  ECONNREFUSED: 'ERR_CONNECTION_REFUSED',
  ECONNRESET: 'ERR_CONNECTION_RESET',
  ENOTFOUND: 'ERR_NAME_NOT_RESOLVED',
  EAI_AGAIN: 'ERR_NAME_NOT_RESOLVED',
  ETIMEDOUT: 'ERR_TIMED_OUT',
  EHOSTUNREACH: 'ERR_ADDRESS_UNREACHABLE',
  ENETUNREACH: 'ERR_INTERNET_DISCONNECTED',
};

/** Electron's IncomingMessage: a Readable with statusCode, statusMessage and lower-cased headers. */
class IncomingMessage extends Readable {
  constructor(res) {
    super({ read: () => res.resume() });
    this.statusCode = res.statusCode;
    this.statusMessage = res.statusMessage;
    this.headers = res.headers;
    this.rawHeaders = res.rawHeaders;
    this.httpVersion = res.httpVersion;
    res.on('data', (chunk) => {
      if (!this.push(chunk)) res.pause();
    });
    res.on('end', () => this.push(null));
    res.on('aborted', () => this.emit('aborted'));
    res.on('error', (e) => this.destroy(new Error(`net::${netErrors[e.code] ?? 'ERR_FAILED'}`)));
  }
}

/**
 * Electron's ClientRequest over Node's http/https: 'response', redirects followed ('follow'),
 * announced and held for followRedirect() ('manual', cancelled unless followed at once) or
 * refused ('error'), 'abort' then 'close' on abort() (never 'error'), net::ERR_* errors. Like
 * Electron's, it never emits 'socket'.
 */
class ClientRequest extends EventEmitter {
  constructor(options) {
    super();
    const o = typeof options === 'string' ? { url: options } : { ...options };
    const host = o.hostname ?? o.host;
    this.url = new URL(o.url ?? `${o.protocol ?? 'http:'}//${host}${o.port ? `:${o.port}` : ''}${o.path ?? '/'}`);
    this.method = (o.method ?? 'GET').toUpperCase();
    this.redirectMode = o.redirect ?? 'follow';
    this.headers = { ...o.headers };
    this.chunks = [];
    this.redirects = 0;
    this.aborted = false;
    this.pendingRedirect = null;
    this.node = null;
    rec.netRequests.push({ url: this.url.href, method: this.method, redirect: this.redirectMode, session: o.session });
  }
  setHeader(name, value) {
    this.headers[name] = value;
  }
  getHeader(name) {
    return this.headers[name];
  }
  removeHeader(name) {
    delete this.headers[name];
  }
  write(chunk) {
    this.chunks.push(Buffer.from(chunk));
    return true;
  }
  end(chunk) {
    if (chunk) this.write(chunk);
    queueMicrotask(() => this.send(this.url));
    return this;
  }
  followRedirect() {
    const next = this.pendingRedirect;
    this.pendingRedirect = null;
    if (next) this.send(next);
  }
  abort() {
    if (this.aborted) return;
    this.aborted = true;
    this.node?.destroy();
    this.emit('abort');
    this.emit('close');
  }
  fail(code) {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('error', new Error(`net::${code}`));
    this.emit('close');
  }
  send(url) {
    if (this.aborted) return;
    const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!lib) return this.fail('ERR_UNKNOWN_URL_SCHEME');
    const body = Buffer.concat(this.chunks);
    const headers = { ...this.headers, ...(body.length ? { 'Content-Length': body.length } : {}) };
    this.node = lib.request(url, { method: this.method, headers }, (res) => {
      if (this.aborted) return void res.resume();
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && location) {
        res.resume();
        const next = new URL(location, url);
        if (this.redirectMode === 'error') return this.fail('ERR_FAILED');
        if (++this.redirects > 20) return this.fail('ERR_TOO_MANY_REDIRECTS');
        if (this.redirectMode === 'follow') return this.send(next);
        this.pendingRedirect = next;
        this.emit('redirect', res.statusCode, this.method, next.href, res.headers);
        // Electron: a redirect not followed while the event runs is cancelled.
        if (this.pendingRedirect) {
          this.pendingRedirect = null;
          this.abort();
        }
        return;
      }
      this.emit('response', new IncomingMessage(res));
    });
    this.node.on('error', (e) => this.fail(netErrors[e.code] ?? 'ERR_FAILED'));
    this.node.end(body.length ? body : undefined);
  }
}

export const net = {
  /** Electron's net.fetch reads file: URLs; the protocol handler relies on that. */
  async fetch(url) {
    const u = new URL(url);
    if (u.protocol !== 'file:') return fetch(url);
    return new Response(fs.readFileSync(fileURLToPath(u)), { status: 200 });
  },
  request(options) {
    return new ClientRequest(options);
  },
};

const display = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 },
};
export const screen = {
  displays: [display],
  getAllDisplays() {
    return this.displays;
  },
  getPrimaryDisplay() {
    return this.displays[0];
  },
  getDisplayMatching() {
    return this.displays[0];
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(fn) {
      rec.permissionRequest = fn;
    },
    setPermissionCheckHandler(fn) {
      rec.permissionCheck = fn;
    },
  },
  /** A session of its own per partition (electron-updater asks for "electron-updater", uncached). */
  fromPartition(partition, options) {
    const s = { partition, options };
    rec.partitions.push(s);
    return s;
  },
};

export const shell = {
  async openExternal(url) {
    rec.openedExternal.push(url);
  },
  async openPath(p) {
    rec.openedPaths.push(p);
    return '';
  },
};

export const dialog = {
  showMessageBoxSync(...args) {
    rec.dialogs.push(args.at(-1));
    return rec.dialogAnswer;
  },
  async showMessageBox(...args) {
    rec.dialogs.push(args.at(-1));
    return { response: rec.dialogAnswer };
  },
  showErrorBox(title, content) {
    rec.dialogs.push({ title, content });
  },
};

export const Menu = {
  buildFromTemplate(template) {
    return { template };
  },
  setApplicationMenu(menu) {
    rec.menus.push(menu);
  },
};

export const nativeImage = { createEmpty: () => ({ isEmpty: () => true }) };
export const autoUpdater = new EventEmitter();

export default {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  net,
  screen,
  session,
  shell,
  dialog,
  Menu,
  nativeImage,
  autoUpdater,
  WebContents,
};
