import dns from 'node:dns';
import { isLoopbackUrl } from '../../preload/contract';

/** Redirects one request may follow. */
export const MAX_REDIRECTS = 3;

/**
 * Where a redirect from `from` to `location` may lead, or why it may not: main's rule for the
 * addresses a platform hands out (the relay's streams, clip downloads). It stays on the same host
 * (so a public address never leads to a private one), never goes from https to plain http, never
 * takes a request that carries a token to plain http, and ends after MAX_REDIRECTS hops. `refused`
 * completes a sentence whose subject is the request ("upstream redirected to another host").
 */
export function nextHop(
  from: URL,
  location: string,
  hops: number,
  withToken: boolean,
): { next: URL } | { refused: string } {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    return { refused: 'redirected to an address that is not a URL' };
  }
  if (next.host !== from.host || (next.protocol !== 'http:' && next.protocol !== 'https:'))
    return { refused: `redirected to another host (${next.host})` };
  if (from.protocol === 'https:' && next.protocol !== 'https:')
    return { refused: 'redirected from https to plain http' };
  if (withToken && next.protocol !== 'https:' && !isLoopbackUrl(next.toString()))
    return { refused: 'redirected a stream that needs its token to plain http' };
  if (hops >= MAX_REDIRECTS) return { refused: 'redirected too many times' };
  return { next };
}

/**
 * dns.lookup that refuses private addresses, for requests to a host a public platform named: a
 * public name that resolves to this machine or its LAN is refused at connect (DNS rebinding), as a
 * private literal is refused before it. (net.connect calls it for host names, not IP literals.)
 */
export function lookupRefusing(isPrivate: (address: string) => boolean): typeof dns.lookup {
  return lookupJudging((address) => (isPrivate(address) ? 'a private address' : null));
}

/**
 * dns.lookup that refuses a name when `refuse` gives a reason for any address it resolves to
 * (an account's network scope: main/net/site-range.ts). The error's code is EPRIVATE and its
 * message "<name>, which resolves to <address>, <reason>".
 */
export function lookupJudging(refuse: (address: string) => string | null): typeof dns.lookup {
  return ((
    hostname: string,
    options: dns.LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
  ) =>
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      for (const a of list) {
        const why = refuse(a.address);
        if (why === null) continue;
        const text = `${hostname}, which resolves to ${a.address}, ${why}`;
        return callback(Object.assign(new Error(text), { code: 'EPRIVATE' }), '', 0);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    })) as typeof dns.lookup;
}
