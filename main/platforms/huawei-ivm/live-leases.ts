/**
 * §9.1's reusable live URLs (`use_times` 1, valid `LEASE_S`), the newest per channel and stream.
 * Every (re)connect still asks IVM for a new URL; the lease is what a pane reconnects on when IVM's
 * API cannot answer (a 5xx, a hung host, a token that cannot be renewed): its media server keeps
 * serving a URL it handed out (§9.1's examples name a media host and port of their own). A lease is
 * a bearer of the camera's video: it lives in main's memory only, reaches the renderer only through
 * the relay, and is revoked (§9.4) when the account's adapter goes. A URL a newer one replaced is
 * not revoked on a reconnect: another pane on the same channel may be playing it; it lapses at its
 * expiry. The wall renews the leases of channels still on screen (IvmPlatform.renewLive): a pane
 * that has played for hours still has one, and one the platform stopped honouring early is
 * replaced before it is needed.
 */
export const LEASE_S = 3600;
/** A lease this close to its expiry is not handed out (the pane must open it before it lapses). */
const OPEN_MARGIN_MS = 60_000;
/** Leases kept (a wall's channels, each main and sub): the oldest goes first past this. */
const MAX_LEASES = 512;

export interface Lease {
  url: string;
  codec?: 'h264' | 'h265';
}

export class LiveLeases {
  private readonly leases = new Map<string, Lease & { until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * IVM handed out `url` for `key` (valid LEASE_S from now): the channel's lease from now on. The
   * URL it replaced, if another, is returned (the caller may revoke it when nobody plays it).
   */
  take(key: string, lease: Lease): string | null {
    const replaced = this.leases.get(key)?.url ?? null;
    this.leases.delete(key);
    this.leases.set(key, { ...lease, until: this.now() + LEASE_S * 1000 });
    if (this.leases.size > MAX_LEASES) this.leases.delete(this.leases.keys().next().value!);
    return replaced !== lease.url ? replaced : null;
  }

  /** The codec known of `key`'s lease (kept when it is renewed). */
  codecOf(key: string): Lease['codec'] {
    return this.leases.get(key)?.codec;
  }

  /** The lease to reconnect on while IVM cannot answer, if it is valid long enough to be opened. */
  held(key: string): Lease | null {
    const l = this.leases.get(key);
    if (!l) return null;
    if (l.until - this.now() < OPEN_MARGIN_MS) {
      this.leases.delete(key);
      return null;
    }
    return { url: l.url, ...(l.codec ? { codec: l.codec } : {}) };
  }

  /** Every lease still valid, forgotten here: the caller revokes them (§9.4). */
  drain(): string[] {
    const now = this.now();
    const urls = [...this.leases.values()].filter((l) => l.until > now).map((l) => l.url);
    this.leases.clear();
    return urls;
  }
}
