import fs from 'node:fs';
import path from 'node:path';

/**
 * The geographic map's tile template: https only (tiles come from where the user says, and only
 * then), with the {z}, {x} and {y} a slippy map fills in. Empty turns the map off.
 */
export function tileUrlProblem(url: string): string | null {
  if (url === '') return null;
  let u: URL;
  try {
    u = new URL(url.replace(/\{[a-z]\}/g, '0'));
  } catch {
    return 'The tile address is not a URL';
  }
  if (u.protocol !== 'https:') return 'Tiles are fetched over https:// only';
  if (u.username || u.password) return 'Put no user name or password in the tile address';
  if (!['{z}', '{x}', '{y}'].every((p) => url.includes(p)))
    return 'The tile address needs {z}, {x} and {y}, e.g. https://tile.example.org/{z}/{x}/{y}.png';
  return null;
}

/**
 * The CSP source a tile template's pictures come from: its https origin, or `https://*.host` for
 * a `{s}` subdomain template. Null for an empty or refused template (no tile may load).
 */
export function tileSource(url: string): string | null {
  if (!url || tileUrlProblem(url)) return null;
  const u = new URL(url.replace(/\{[a-z]\}/g, '0'));
  const host = new URL(url.replace(/\{[a-z]\}/g, 'placeholder')).host;
  if (/^https:\/\/[^/]*\{s\}/.test(url)) {
    // The subdomain's level becomes a wildcard; anything else in the host stays exact.
    const rest = host.split('.').slice(1).join('.');
    return rest.includes('.') ? `https://*.${rest}` : null;
  }
  return u.origin;
}

/**
 * The tile origin saved in a data folder's `maps/maps.json`, read without the maps service: the
 * browser host serves its page (whose policy names that origin) before the core is made. An absent
 * or unreadable file allows no tiles, as the service would.
 */
export function savedTileSources(dataDir: string): string[] {
  try {
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'maps', 'maps.json'), 'utf8')) as {
      prefs?: { tileUrl?: unknown };
    };
    const url = saved.prefs?.tileUrl;
    const source = typeof url === 'string' ? tileSource(url) : null;
    return source ? [source] : [];
  } catch {
    return [];
  }
}
