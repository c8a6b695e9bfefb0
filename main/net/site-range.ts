import net from 'node:net';
import { ipv6Words } from './private-address';

/**
 * "The same private range" for a platform on the operator's own network. A site's addresses are
 * one block: the RFC 1918 block (10/8, 172.16/12, 192.168/16), RFC 6598 shared space (100.64/10)
 * or the unique-local /48 (RFC 4193: the Global ID names one site) its host's address is in, or
 * this computer (127/8, ::1) for a platform on loopback (the emulators). Link-local (cloud
 * metadata), unspecified, the old site-local and local-use NAT64 ranges are no site block:
 * nothing may reach them. An IPv4-mapped IPv6 address is judged as its IPv4 address; any other
 * IPv6 form carrying an IPv4 address is no site block (a translator would take it elsewhere).
 * Pure: literals only; what a name resolves to is looked up by the caller.
 */
export interface SiteBlock {
  /** CIDR text, shown to the operator ("192.168.0.0/16"). */
  readonly name: string;
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly bits: number;
}

const V4_BLOCKS: Array<[string, number]> = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
];

/** The site block an IP literal is in, or null (a public address, a name, or a range nothing may reach). */
export function siteBlock(address: string): SiteBlock | null {
  const a = normalise(address);
  if (!a) return null;
  if (a.family === 4) {
    for (const [base, bits] of V4_BLOCKS) {
      const b = v4Value(base);
      if (within(a.value, b, bits, 32)) return { name: `${base}/${bits}`, family: 4, base: b, bits };
    }
    return null;
  }
  if (a.value === 1n) return { name: '::1/128', family: 6, base: 1n, bits: 128 };
  if (a.value >> 121n === 0x7en) {
    // fc00::/7 unique local: the site is its /48.
    const base = (a.value >> 80n) << 80n;
    return { name: `${v6Text(base)}/48`, family: 6, base, bits: 48 };
  }
  return null;
}

/** Whether the IP literal `address` is in `block`. */
export function inBlock(block: SiteBlock, address: string): boolean {
  const a = normalise(address);
  return (
    a !== null && a.family === block.family && within(a.value, block.base, block.bits, block.family === 4 ? 32 : 128)
  );
}

/**
 * Where one account's media may lead main: the account's name, whether the operator said its
 * platform runs on their network, its own host and — only then, or for this computer — the site
 * block of that host's address. Built by main from the account the operator typed, never from a
 * platform's reply or a playlist.
 */
export interface NetworkScope {
  account: string;
  onPremises: boolean;
  host: string;
  block: SiteBlock | null;
}

/**
 * Whether a request under `scope` may go to `address` (an IP literal, or a host name judged by
 * `isPrivate`, e.g. localhost): a public address always; a private one only inside the scope's
 * block. Null when allowed, else why not, as a clause naming the account and its choice
 * ("a private address, and account "Depot" is not marked …"), to follow the address in a message.
 */
export function refusal(
  scope: NetworkScope | null,
  address: string,
  isPrivate: (host: string) => boolean,
): string | null {
  const host = address.replace(/^\[|\]$/g, '');
  if (!isPrivate(host)) return null;
  if (scope?.block && inBlock(scope.block, host)) return null;
  // A name (localhost) under a site's scope: judged by what it resolves to, at connect.
  if (scope?.block && net.isIP(host) === 0) return null;
  if (!scope) return 'a private address';
  const who = `account "${scope.account}"`;
  if (!scope.onPremises) return `a private address, and ${who} is not marked "this platform runs on my network"`;
  if (!scope.block) return `a private address, and the host of ${who} (${scope.host}) is not on a private network`;
  return `outside the network of ${who} (${scope.block.name})`;
}

function within(value: bigint, base: bigint, bits: number, width: number): boolean {
  const shift = BigInt(width - bits);
  return value >> shift === base >> shift;
}

function v4Value(address: string): bigint {
  return address.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

/** An IP literal as a number (IPv4-mapped IPv6 as its IPv4), or null for anything else. */
function normalise(address: string): { family: 4 | 6; value: bigint } | null {
  const h = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (net.isIPv4(h)) return { family: 4, value: v4Value(h) };
  if (!net.isIPv6(h)) return null;
  const value = v6Value(h);
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

function v6Value(address: string): bigint {
  return ipv6Words(address).reduce((n, w) => (n << 16n) | BigInt(w), 0n);
}

function v6Text(value: bigint): string {
  const words = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return words.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
