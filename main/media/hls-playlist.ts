/**
 * HLS playlists through main's relay: every address a playlist names (segments, variant and
 * rendition playlists, keys, init sections, parts and preload hints) is rewritten to the relay,
 * so the renderer fetches nothing but loopback and main decides what it fetches upstream. Only
 * http(s) addresses are relayed: any other scheme refuses the playlist.
 */

/** A playlist larger than this is not a playlist a camera platform serves. */
export const MAX_PLAYLIST_BYTES = 2 * 1024 * 1024;

export function isPlaylistResponse(url: URL, contentType: string | undefined): boolean {
  return /\.m3u8?$/i.test(url.pathname) || /mpegurl/i.test(contentType ?? '');
}

/**
 * What ends a line for one reader of a playlist and not for another: ffmpeg ends one at a NUL (and
 * at a lone CR, read as a line end here too), hls.js at U+2028/U+2029. An address behind one would
 * reach that reader un-rewritten. RFC 8216 §4.1 allows no control character but CR and LF (a tab
 * is tolerated).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const HIDDEN_BREAK = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]/;
/** hls.js reads whatever follows an EXTINF's duration, unless it is a comma, as a segment address. */
const EXTINF = /^#EXTINF:\s*(?:\d+(?:\.\d*)?|\.\d+)?(?:,.*|\s*)$/;
/** URI attributes (SERVER-URI too), quoted or not, in any case: ffmpeg and hls.js take unquoted ones. */
const URI_ATTRIBUTE = /(URI=)("[^"]*"|[^,]*)/gi;

/**
 * Rewrite each URI of `text` (resolved against `base`) through `map`. Lines that do not start with
 * `#` and URI attributes are where RFC 8216 puts addresses; lines and attributes are read as ffmpeg
 * and hls.js read them, so none of theirs is missed. Throws on a body that is not a playlist, an
 * address that does not resolve or is not http(s), and text the readers split differently, so the
 * relay answers 502 with the reason.
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
    // Any other scheme would be opened by the reader itself, past the relay: ffmpeg's
    // `crypto+http://` and `file:`, for instance. (data: works in neither reader: the page's
    // connect-src and the transcoder's protocol whitelist refuse it.) The scheme is named, not
    // the address, which may carry a signed token.
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(
        `the playlist names a ${u.protocol.slice(0, 24)} address (line ${line}): only http(s) is relayed`,
      );
    return map(u.toString());
  };
  const out = body
    .split(/\r\n|\r|\n/)
    .map((line, i) => {
      const n = i + 1;
      if (HIDDEN_BREAK.test(line)) throw new Error(`the playlist holds a control character (line ${n})`);
      if (line.trim() === '') return line;
      // An indented '#' line is an address to both readers.
      if (!line.startsWith('#')) return resolve(line.trim(), n);
      if (line.startsWith('#EXTINF:') && !EXTINF.test(line))
        throw new Error(`the playlist has a malformed #EXTINF (line ${n})`);
      return line.replace(URI_ATTRIBUTE, (_m, name: string, value: string) => {
        const quoted = value.length > 1 && value.startsWith('"') && value.endsWith('"');
        return `${name}"${resolve(quoted ? value.slice(1, -1) : value, n)}"`;
      });
    })
    .join('\n');
  // hls.js can read the end of a last EXTINF title with no line end after it as an address.
  return out.endsWith('\n') ? out : `${out}\n`;
}

/** The last path segment, safe for a URL path (a readable relay address, nothing more). */
export function resourceName(absolute: string, fallback: string): string {
  const last = new URL(absolute).pathname.split('/').pop() ?? '';
  const safe = last.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  return safe || fallback;
}

/** The relay's rule for the addresses a playlist names (one home: main/net/private-address). */
export { isPrivateAddress } from '../net/private-address';
