import net from 'node:net';

/**
 * Loopback, private, link-local (cloud metadata), CGNAT and unspecified addresses: a platform's
 * playlist, redirect or download may not point main at these (it would reach services on the
 * operator's machine or LAN). `host` is a hostname or an IP literal, IPv6 with or without brackets.
 * Pure: no lookup here (lookupRefusing applies it to what a name resolves to).
 */
export function isPrivateAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return isPrivateIPv4(h);
  if (!net.isIPv6(h)) return false;
  const words = ipv6Words(h);
  const embedded = embeddedIPv4(words);
  if (embedded !== null) return embedded.some(isPrivateIPv4);
  const zeroTo = (n: number) => words.slice(0, n).every((w) => w === 0);
  return (
    zeroTo(8) || // ::
    (zeroTo(7) && words[7] === 1) || // ::1
    (words[0] === 0x64 && words[1] === 0xff9b && words[2] === 1) || // 64:ff9b:1::/48 local-use NAT64 (RFC 8215)
    (words[0]! & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (words[0]! & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (words[0]! & 0xffc0) === 0xfec0 // fec0::/10 site-local (deprecated, still routed by some LANs)
  );
}

function isPrivateIPv4(address: string): boolean {
  const [a, b] = address.split('.').map(Number) as [number, number];
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

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The IPv4 addresses an IPv6 address carries, or null when it carries none. A stack, a translator
 * or a tunnel delivers these to that IPv4 address, so they are judged as it: IPv4-mapped
 * (::ffff:a.b.c.d, which a URL writes in hex), SIIT IPv4-translated (::ffff:0:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002:AABB:CCDD::/48), Teredo
 * (2001:0::/32: its server, and its client with every bit flipped) and ISATAP (…:0:5efe:a.b.c.d,
 * or 200:5efe). Local-use NAT64 (64:ff9b:1::/48) may put the address at several places (RFC 6052)
 * and is never global, so the whole prefix is private (above).
 */
function embeddedIPv4(w: number[]): string[] | null {
  const zeroTo = (n: number) => w.slice(0, n).every((x) => x === 0);
  const last = v4(w[6]!, w[7]!);
  if (zeroTo(5) && w[5] === 0xffff) return [last]; // mapped
  if (zeroTo(4) && w[4] === 0xffff && w[5] === 0) return [last]; // SIIT
  if (zeroTo(6) && (w[6] !== 0 || w[7]! > 1)) return [last]; // compatible (not :: or ::1)
  if (w[0] === 0x64 && w[1] === 0xff9b && w.slice(2, 6).every((x) => x === 0)) return [last]; // NAT64
  if (w[0] === 0x2002) return [v4(w[1]!, w[2]!)]; // 6to4
  if (w[0] === 0x2001 && w[1] === 0) return [v4(w[2]!, w[3]!), v4(w[6]! ^ 0xffff, w[7]! ^ 0xffff)]; // Teredo
  if ((w[4] === 0 || w[4] === 0x200) && w[5] === 0x5efe) return [last]; // ISATAP
  return null;
}

/**
 * The eight 16-bit words of a valid IPv6 address (with or without a dotted IPv4 tail or a zone):
 * the one reading of IPv6 literals, for this file and the site blocks (site-range.ts).
 */
export function ipv6Words(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((x) => parseInt(x, 16)) : []);
  const front = part(head);
  const back = part(tail);
  return tail === undefined ? front : [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
}
