import dns from 'node:dns';
import net from 'node:net';
import { isLoopbackHost, isLoopbackUrl, visDefaultEndpoint, type AccountConfig } from '../../preload/contract';
import { isPrivateAddress } from './private-address';
import { siteBlock, type NetworkScope } from './site-range';

type Lookup = (host: string) => Promise<Array<{ address: string }>>;
const systemLookup: Lookup = (host) => dns.promises.lookup(host, { all: true });

/** The host an account's API (and so its media) lives on, as the operator typed it. */
export function accountHost(config: AccountConfig): string {
  const endpoint =
    config.platform === 'huawei-vis' ? (config.endpoint ?? visDefaultEndpoint(config.region)) : config.endpoint;
  return new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
}

/**
 * An account's network scope (site-range.ts), from what the operator typed: marked "runs on my
 * network", the site block of the address its host resolves to (split-horizon DNS included); a
 * host on this computer (the emulators) is its own block without the mark; any other account
 * reaches public addresses only. A host that does not resolve gets no block (its streams fail
 * to connect anyway, with their own message).
 */
export async function accountScope(
  name: string,
  config: AccountConfig,
  lookup: Lookup = systemLookup,
): Promise<NetworkScope> {
  const host = accountHost(config);
  const onPremises = config.onPremises === true;
  const base = { account: name, onPremises, host };
  if (isLoopbackHost(host) || host === '::1')
    return { ...base, block: siteBlock(host === 'localhost' ? '127.0.0.1' : host) };
  if (!onPremises) return { ...base, block: null };
  if (net.isIP(host)) return { ...base, block: siteBlock(host) };
  const addresses = await lookup(host).catch(() => []);
  const own = addresses.find((a) => isPrivateAddress(a.address) && siteBlock(a.address));
  return { ...base, block: own ? siteBlock(own.address) : null };
}

/**
 * The scope of an address no account handed out (tests, the developer stream page): this computer
 * for a loopback address, else none (public addresses only). `isPrivate`: tests make a loopback
 * address stand for a public one.
 */
export function loopbackScope(u: URL, isPrivate: (host: string) => boolean): NetworkScope | null {
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const literal = host.toLowerCase() === 'localhost' ? '127.0.0.1' : host;
  const block = isLoopbackUrl(u.toString()) && isPrivate(host) ? siteBlock(literal) : null;
  return block ? { account: 'this computer', onPremises: true, host, block } : null;
}
