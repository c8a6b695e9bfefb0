/**
 * The app's pages in menu order. The menu, the Alt+1 … Alt+9 shortcuts and the shortcut help all
 * read this list, so "Alt+3" is the third menu item (it was Target search while the menu's third
 * was Alarms, which had no shortcut).
 */
export type Page =
  | 'wall'
  | 'playback'
  | 'bookmarks'
  | 'alarms'
  | 'maps'
  | 'search'
  | 'targets'
  | 'plans'
  | 'installer'
  | 'health'
  | 'statistics'
  | 'accounts'
  | 'streamtest'
  | 'settings';

export function menuPages(developer: boolean): Page[] {
  return [
    'wall',
    'playback',
    'bookmarks',
    'alarms',
    // The operator's pages first, so their shortcuts stay where they were; maps follow alarms.
    'maps',
    'search',
    'targets',
    'plans',
    'installer',
    'health',
    'statistics',
    'accounts',
    ...(developer ? (['streamtest'] as const) : []),
    'settings',
  ];
}

/** The page Alt+`key` opens: the key-th menu item, 1 to 9. */
export function pageForAltDigit(key: string, developer: boolean): Page | undefined {
  return /^[1-9]$/.test(key) ? menuPages(developer)[Number(key) - 1] : undefined;
}
