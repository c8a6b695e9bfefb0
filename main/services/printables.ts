import { randomBytes } from 'node:crypto';

const LIFETIME_MS = 120_000;

/**
 * Pages main prints for the operator that carry a secret (a platform-generated device password):
 * served once, within two minutes, from a URL whose 128-bit ticket is the credential, so the
 * secret goes from main to the page and never through the renderer. Both hosts serve `/print/…`.
 */
export class Printables {
  /** Set by the host: the loopback origin that serves `/print/<ticket>`. */
  base = '';
  private readonly pages = new Map<string, { html: string; until: number }>();

  issue(html: string, now = Date.now()): string {
    for (const [k, v] of this.pages) if (v.until < now) this.pages.delete(k);
    const ticket = randomBytes(16).toString('hex');
    this.pages.set(ticket, { html, until: now + LIFETIME_MS });
    return `${this.base}/print/${ticket}`;
  }

  /** The page for a `/print/<ticket>` path, once; null when unknown, used or expired. */
  take(pathname: string, now = Date.now()): string | null {
    const ticket = /^\/print\/([0-9a-f]{32})$/.exec(pathname)?.[1];
    if (!ticket) return null;
    const page = this.pages.get(ticket);
    this.pages.delete(ticket);
    return page && page.until >= now ? page.html : null;
  }
}
