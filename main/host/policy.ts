/**
 * The Electron host's decisions as pure functions (no `electron` import), so they are tested in
 * plain Node: which URLs belong to the app, which may open in the system browser, where a window
 * goes when its display is gone, and the native menu's labels.
 */
export const APP_SCHEME = 'vigil';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** A page of the app itself: `vigil://app/…` exactly — compared as parsed origin parts, never as a string prefix (`vigil://app.x`, `vigil://app@x` are foreign). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return (
      u.protocol === `${APP_SCHEME}:` &&
      u.hostname === APP_HOST &&
      u.port === '' &&
      u.username === '' &&
      u.password === ''
    );
  } catch {
    return false;
  }
}

/** Documentation and platform consoles a feature may link to (the host or any of its subdomains). */
export const EXTERNAL_HOSTS = ['huaweicloud.com', 'cloud.tencent.com', 'aliyun.com'];

/**
 * Whether a URL the renderer asked to open may go to the system browser: https on a known
 * documentation/console host, or one of main's own loopback print pages (`<printBase>/print/…`,
 * one-time tickets). Everything else is refused.
 */
export function externalUrlAllowed(url: string, printBase: string | null): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (printBase && u.origin === new URL(printBase).origin && u.pathname.startsWith('/print/')) return true;
  return (
    u.protocol === 'https:' &&
    u.port === '' &&
    EXTERNAL_HOSTS.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`))
  );
}

/** Permissions a feature needs: the wall's full-screen button. Everything else (camera, geolocation, notifications…) is denied. */
export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'fullscreen' && isAppUrl(requestingUrl);
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Placement {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

const DEFAULT_SIZE = { width: 1440, height: 900 };

/**
 * Where a window opens: its saved bounds on the display they are on (shrunk to fit it), or — when
 * that display is gone — centred on the primary display, no larger than its work area.
 */
export function placeWindow(saved: Partial<Rect> | undefined, displays: Rect[], primary: Rect): Placement {
  const fit = (size: { width: number; height: number }, area: Rect) => ({
    width: Math.min(size.width, area.width),
    height: Math.min(size.height, area.height),
  });
  const size = saved?.width && saved.height ? { width: saved.width, height: saved.height } : DEFAULT_SIZE;
  if (saved?.x !== undefined && saved.y !== undefined) {
    const { x, y } = saved;
    const area = displays.find(
      (a) => x < a.x + a.width && x + size.width > a.x && y < a.y + a.height && y + size.height > a.y,
    );
    if (area) {
      const s = fit(size, area);
      // Keep the title bar reachable: inside the display's work area.
      return {
        x: Math.min(Math.max(x, area.x), area.x + area.width - s.width),
        y: Math.min(Math.max(y, area.y), area.y + area.height - s.height),
        ...s,
      };
    }
  }
  const s = fit(size, primary);
  return {
    x: primary.x + Math.round((primary.width - s.width) / 2),
    y: primary.y + Math.round((primary.height - s.height) / 2),
    ...s,
  };
}

/** A display as the window memory sees it: a key (id and size) and its work area. */
export interface DisplayArea {
  key: string;
  workArea: Rect;
}

export function displayKey(d: { id: number; bounds: { width: number; height: number } }): string {
  return `${d.id}:${d.bounds.width}x${d.bounds.height}`;
}

interface Remembered extends Partial<Rect> {
  width: number;
  height: number;
  maximized: boolean;
  display?: string;
}

/**
 * Where the window comes back: as it last was, when that display is still there; otherwise as it
 * last was on a display that is (the primary's state first: undocking a laptop brings the window
 * back as it was on the laptop's screen); otherwise centred on the primary display.
 */
export function restoreWindow<S extends Remembered>(
  last: S | undefined,
  byDisplay: S[],
  displays: DisplayArea[],
  primary: DisplayArea,
): { placement: Placement; maximized: boolean } {
  const present = (s: S | undefined) => s?.display !== undefined && displays.some((d) => d.key === s.display);
  const areas = displays.map((d) => d.workArea);
  const chosen = present(last)
    ? last
    : (byDisplay.find((s) => s.display === primary.key) ?? byDisplay.find(present) ?? last);
  return { placement: placeWindow(chosen, areas, primary.workArea), maximized: chosen?.maximized ?? false };
}

/** The state list after the window was last seen as `state`: one per display, newest first. */
export function rememberWindow<S extends Remembered>(byDisplay: S[], state: S, max: number): S[] {
  return [state, ...byDisplay.filter((s) => s.display !== state.display)].slice(0, max);
}

export type MenuLanguage = 'zh-CN' | 'en';

const labels = {
  en: {
    file: 'File',
    newWindow: 'New Wall Window',
    openDataFolder: 'Open Data Folder',
    quit: 'Quit Vigil',
    edit: 'Edit',
    view: 'View',
    fullScreenWall: 'Full Screen Wall',
    reload: 'Reload',
    devTools: 'Developer Tools',
    window: 'Window',
    help: 'Help',
    about: 'About Vigil',
    quitWhileExporting: 'An export is still running. Quit and cancel it?',
    quitAnyway: 'Quit',
    cancel: 'Cancel',
  },
  'zh-CN': {
    file: '文件',
    newWindow: '新建监控墙窗口',
    openDataFolder: '打开数据文件夹',
    quit: '退出 Vigil',
    edit: '编辑',
    view: '视图',
    fullScreenWall: '全屏监控墙',
    reload: '重新加载',
    devTools: '开发者工具',
    window: '窗口',
    help: '帮助',
    about: '关于 Vigil',
    quitWhileExporting: '仍有导出任务在进行。退出并取消导出？',
    quitAnyway: '退出',
    cancel: '取消',
  },
} satisfies Record<MenuLanguage, Record<string, string>>;

export type MenuLabels = (typeof labels)['en'];

export function menuLabels(language: string): MenuLabels {
  return language === 'en' ? labels.en : labels['zh-CN'];
}
