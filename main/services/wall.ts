import type { LiveSource, TreeNode } from '../../preload/contract';
import { AppError } from '../errors';
import { log } from '../log';
import type { MediaRelay } from '../media/relay';
import type { AccountsService } from './accounts';
import { handOut } from './hand-out';
import { LiveRenewal } from './live-renewal';
import type { HandlerSlice } from '../ipc/handlers';

/**
 * The live wall's use-cases: each account's device tree (cached for a minute; a refresh reloads),
 * live play sources (never cached: URLs expire), the camera's snapshot. The renderer names a channel by
 * (accountId, node id) and main routes the call to that account's platform.
 */
const TREE_TTL_MS = 60_000;

export class WallService {
  private readonly trees = new Map<string, { at: number; nodes: TreeNode[] }>();
  /** The reconnect leases of the channels on screen, kept fresh (platforms that lease their URLs). */
  readonly renewal: LiveRenewal;

  constructor(
    private readonly accounts: AccountsService,
    private readonly relay: MediaRelay,
  ) {
    this.renewal = new LiveRenewal(
      (accountId) => this.accounts.platform(accountId),
      (url) => this.relay.carries(url),
    );
  }

  async tree(
    accountId: string,
    refresh = false,
  ): Promise<{ nodes: TreeNode[]; loadedAt: string; error: string | null }> {
    const record = this.accounts.records().find((a) => a.id === accountId);
    if (!record) throw new AppError('NOT_FOUND', `No account with id ${accountId}`);
    const cached = this.trees.get(accountId);
    if (cached && !refresh && Date.now() - cached.at < TREE_TTL_MS)
      return { nodes: cached.nodes, loadedAt: new Date(cached.at).toISOString(), error: null };
    try {
      const platform = await this.accounts.platform(accountId);
      const nodes = (await platform.tree()).map((n) => ({ ...n, accountId, platform: record.config.platform }));
      this.trees.set(accountId, { at: Date.now(), nodes });
      return { nodes, loadedAt: new Date().toISOString(), error: null };
    } catch (e) {
      // A tree that cannot load is reported on its account node; the rest of the wall keeps working.
      const message = e instanceof AppError ? e.message : 'The device tree could not be loaded';
      log.warn(`tree of ${accountId} failed: ${message}`);
      return { nodes: cached?.nodes ?? [], loadedAt: new Date(cached?.at ?? Date.now()).toISOString(), error: message };
    }
  }

  async liveSource(accountId: string, channelId: string, stream: 'main' | 'sub'): Promise<LiveSource> {
    const platform = await this.accounts.platform(accountId);
    const source = await platform.liveSource(channelId, stream);
    const out = await handOut(this.relay, source, await this.accounts.scope(accountId));
    if (platform.renewLive) this.renewal.handedOut(accountId, { channelId, stream }, source.url);
    return out;
  }

  /** The core quits. */
  close(): void {
    this.renewal.close();
  }

  /** The camera's own picture through the platform, as a data: URL (JPEG/PNG, ≤ 8 MB). */
  async cloudSnapshot(accountId: string, channelId: string): Promise<{ picture: string; takenAt: number }> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.snapshot || !platform.capabilities.has('snapshot'))
      throw new AppError(
        'NOT_AVAILABLE',
        'This platform cannot take a picture from the camera; use the snapshot of the frame on screen',
      );
    const takenAt = Date.now();
    const { contentType, bytes } = await platform.snapshot(channelId);
    if (bytes.length > 8 * 1024 * 1024)
      throw new AppError(
        'PLATFORM_ERROR',
        `The camera's picture is ${Math.round(bytes.length / 1048576)} MB, more than Vigil shows (8 MB)`,
      );
    return { picture: `data:${contentType};base64,${bytes.toString('base64')}`, takenAt };
  }
}

/** Tree and live: the wall's channels. */
export function wallHandlers(wall: WallService): HandlerSlice {
  return {
    'tree:load': ({ accountId, refresh }) => wall.tree(accountId, refresh),
    'live:source': ({ accountId, channelId, stream }) => wall.liveSource(accountId, channelId, stream),
    'live:snapshot': ({ accountId, channelId }) => wall.cloudSnapshot(accountId, channelId),
  };
}
