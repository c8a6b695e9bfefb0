/**
 * HLS playlists through main's relay: every address a playlist names (segments, variant and
 * rendition playlists, keys, init sections, parts and preload hints) is rewritten to the relay,
 * so the renderer fetches nothing but loopback and main decides what it fetches upstream.
 */

import net from 'node:net';

/** A playlist larger than this is not a playlist a camera platform serves. */
export const MAX_PLAYLIST_BYTES = 2 * 1024 * 1024;

export function isPlaylistResponse(url: URL, contentType: string | undefined): boolean {
  return /\.m3u8?$/i.test(url.pathname) || /mpegurl/i.test(contentType ?? '');
}

/**
 * Rewrite each URI of `text` (resolved against `base`) through `map`. URI lines and `URI="…"`
 * attributes are the only places RFC 8216 puts addresses. Throws on a body that is not a playlist
 * or an address that does not resolve, so the relay answers 502 with the reason.
 */
export function rewritePlaylist(text: string, base: string, map: (absolute: string) => string): string {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.startsWith('#EXTM3U')) throw new Error('the upstream answer is not an HLS playlist');
  const resolve = (uri: string, line: number): string => {
    let u: URL;
    try {
      u = new URL(uri, base);
    } catch {
      // The line number, not the address: a segment address may carry a signed token.
      throw new Error(`the playlist names an address that does not resolve (line ${line})`);
    }
    // data: keys and the like carry their bytes inline; nothing to fetch.
    return u.protocol === 'http:' || u.protocol === 'https:' ? map(u.toString()) : uri;
  };
  return body
    .split(/\r?\n/)
    .map((line, i) => {
      const trimmed = line.trim();
      if (trimmed === '') return line;
      if (trimmed.startsWith('#'))
        return line.replace(/URI="([^"]*)"/g, (_m, uri: string) => `URI="${resolve(uri, i + 1)}"`);
      return resolve(trimmed, i + 1);
    })
    .join('\n');
}

/** The last path segment, safe for a URL path (a readable relay address, nothing more). */
export function resourceName(absolute: string, fallback: string): string {
  const last = new URL(absolute).pathname.split('/').pop() ?? '';
  const safe = last.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return safe || fallback;
}

/**
 * Loopback, private, link-local (cloud metadata), CGNAT and unspecified addresses: a playlist from
 * a public platform may not point the relay at these (it would reach services on the operator's
 * machine or LAN). `host` is a hostname or an IP literal, IPv6 with or without brackets.
 */
export function isPrivateAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return isPrivateAddress(mapped[1]!);
  if (net.isIPv4(h)) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (net.isIPv6(h)) return h === '::' || h === '::1' || /^f[cd]/.test(h) || /^fe[89ab]/.test(h);
  return false;
}
