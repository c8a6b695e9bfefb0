/**
 * Chromium opens at most 6 HTTP/1.1 connections per host. Each HTTP-FLV pane holds one for as
 * long as it plays, so the 7th pane on a host would never start. This counts live HTTP-FLV
 * connections per host; past the budget a pane goes through main's relay (its own loopback ports).
 */
export const HTTP_FLV_BUDGET_PER_HOST = 5; // one spare for playlists, snapshots and API calls

export class HostBudget {
  private readonly inUse = new Map<string, number>();

  constructor(private readonly budget = HTTP_FLV_BUDGET_PER_HOST) {}

  /** Take a slot for `url`'s host if one is free. Returns a release function, or null if full. */
  acquire(url: string): (() => void) | null {
    const host = hostOf(url);
    if (host === null) return () => undefined; // ws:// and others do not use the HTTP pool
    const n = this.inUse.get(host) ?? 0;
    if (n >= this.budget) return null;
    this.inUse.set(host, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inUse.get(host) ?? 1) - 1;
      if (left <= 0) this.inUse.delete(host);
      else this.inUse.set(host, left);
    };
  }

  count(url: string): number {
    const host = hostOf(url);
    return host === null ? 0 : (this.inUse.get(host) ?? 0);
  }
}

function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host : null;
  } catch {
    return null;
  }
}

/** The one budget of this window. */
export const windowBudget = new HostBudget();
