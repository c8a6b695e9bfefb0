/**
 * Chromium opens at most 6 HTTP/1.1 connections per host — per browser profile, so every Vigil
 * window (or tab, in browser mode) draws on the same 6. Each HTTP-FLV pane holds one for as long
 * as it plays, so the 7th pane on a host would never start. Slots are Web Locks, shared by every
 * window of the app's origin and freed by the browser when a window closes or crashes; past the
 * budget a pane goes through main's relay (its own loopback ports, counted in main).
 */
export const HTTP_FLV_BUDGET_PER_HOST = 5; // one spare for playlists, snapshots and API calls

/** The part of the Web Locks API the budget uses (`navigator.locks`). */
export interface SlotLocks {
  request(
    name: string,
    options: { ifAvailable: true },
    callback: (lock: unknown) => Promise<void> | undefined,
  ): Promise<unknown>;
}

export class HostBudget {
  /** Without Web Locks (a non-secure page, Node): this window's own count. */
  private readonly inUse = new Map<string, number>();

  constructor(
    private readonly budget = HTTP_FLV_BUDGET_PER_HOST,
    private readonly locks: SlotLocks | null = browserLocks(),
  ) {}

  /** Take a slot for `url`'s host if one is free. Resolves to a release function, or null if full. */
  async acquire(url: string): Promise<(() => void) | null> {
    const host = hostOf(url);
    if (host === null) return () => undefined; // ws:// and others do not use the HTTP pool
    const release = this.locks ? await this.lockSlot(host) : this.countSlot(host);
    if (!release) return null;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }

  private async lockSlot(host: string): Promise<(() => void) | null> {
    for (let slot = 0; slot < this.budget; slot++) {
      const release = await new Promise<(() => void) | null>((resolve) => {
        void this.locks!.request(`vigil:http-flv:${host}:${slot}`, { ifAvailable: true }, (lock) => {
          if (!lock) return void resolve(null);
          // The lock is held until this promise settles.
          return new Promise<void>((free) => resolve(free));
        });
      });
      if (release) return release;
    }
    return null;
  }

  private countSlot(host: string): (() => void) | null {
    const n = this.inUse.get(host) ?? 0;
    if (n >= this.budget) return null;
    this.inUse.set(host, n + 1);
    return () => {
      const left = (this.inUse.get(host) ?? 1) - 1;
      if (left <= 0) this.inUse.delete(host);
      else this.inUse.set(host, left);
    };
  }
}

function browserLocks(): SlotLocks | null {
  const nav = (globalThis as { navigator?: { locks?: SlotLocks } }).navigator;
  return nav?.locks ?? null;
}

function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host : null;
  } catch {
    return null;
  }
}

/** The app's budget (shared across windows through Web Locks where the page has them). */
export const appBudget = new HostBudget();
