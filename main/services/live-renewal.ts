import { log } from '../log';
import type { LiveChannel, Platform } from '../platforms/platform';

/** How often the leases of channels on screen are renewed (one call per account and stream type). */
export const RENEW_MS = 120_000;

interface Played extends LiveChannel {
  accountId: string;
  /** The platform URL the pane plays (main's relay carries it while the pane does). */
  url: string;
}

/**
 * Keeps a platform's reconnect leases fresh for the channels the wall still plays (Huawei IVM's
 * reusable live URLs: platform.renewLive). A lease is taken when a pane connects, and a pane may
 * play for hours on that connection; the lease lapses in its hour meanwhile, or the platform stops
 * honouring it sooner, and the client only finds out when it reconnects on it — while the
 * platform's API is failing. Renewed every RENEW_MS while the relay still carries the stream, a
 * lease is at most that old when it is needed. Made and closed by the WallService.
 */
export class LiveRenewal {
  /** By account, channel and stream: what its pane last played. */
  private readonly played = new Map<string, Played>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly platform: (accountId: string) => Promise<Platform>,
    private readonly carries: (url: string) => boolean,
    private readonly everyMs = RENEW_MS,
  ) {}

  /** A pane of `accountId` was given `url` for the channel's stream (a platform that renews leases). */
  handedOut(accountId: string, channel: LiveChannel, url: string): void {
    this.played.set(`${accountId}\n${channel.channelId}\n${channel.stream}`, { accountId, ...channel, url });
    this.timer ??= setInterval(() => void this.renew(), this.everyMs).unref();
  }

  /**
   * One round: forgets the channels the relay no longer carries, then renews the rest, an account
   * at a time. A round still running is not doubled; a failing account is logged and left as it was.
   */
  renew(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<void> {
    const byAccount = new Map<string, LiveChannel[]>();
    for (const [key, p] of this.played) {
      if (!this.carries(p.url)) {
        this.played.delete(key);
        continue;
      }
      const list = byAccount.get(p.accountId) ?? [];
      list.push({ channelId: p.channelId, stream: p.stream });
      byAccount.set(p.accountId, list);
    }
    if (this.played.size === 0) this.stopTimer();
    for (const [accountId, channels] of byAccount) {
      try {
        const platform = await this.platform(accountId);
        await platform.renewLive?.(channels, this.carries);
      } catch (e) {
        log.warn(`live leases of account ${accountId} not renewed: ${e instanceof Error ? e.message : 'failed'}`);
      }
    }
  }

  /** The core quits: no more rounds. */
  close(): void {
    this.stopTimer();
    this.played.clear();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
