import type { LiveSource, PtzCommand, RecordingSegment, TreeNode } from '../../preload/contract';
import { AppError } from '../errors';
import { log } from '../log';
import type { MediaRelay } from '../media/relay';
import type { PlatformLiveSource, PlaybackSource } from '../platforms/platform';
import type { AccountsService } from './accounts';
import type { HandlerSlice } from '../ipc/handlers';

/**
 * The live wall's use-cases: each account's device tree (cached for a minute; a refresh reloads),
 * play sources (never cached: URLs expire), PTZ. The renderer names a channel by
 * (accountId, node id) and main routes the call to that account's platform.
 */
const TREE_TTL_MS = 60_000;

export class WallService {
  private readonly trees = new Map<string, { at: number; nodes: TreeNode[] }>();

  constructor(
    private readonly accounts: AccountsService,
    private readonly relay: MediaRelay,
  ) {}

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
    return this.handOut(await platform.liveSource(channelId, stream));
  }

  /**
   * Every play URL reaches the renderer through main's relay: the renderer's CSP allows loopback
   * only, the relay fetches only URLs handed out here, and a header a source needs (a token) is
   * added by main and never reaches the renderer.
   */
  private async handOut<S extends PlatformLiveSource | PlaybackSource>(
    source: S,
  ): Promise<Omit<S, 'mediaHeaders'> & { relayed?: boolean }> {
    const { mediaHeaders, ...rest } = source;
    this.relay.issue(source.url, mediaHeaders);
    return { ...rest, url: await this.relay.open(source.url, source.protocol), relayed: true };
  }

  async recordings(
    accountId: string,
    channelId: string,
    startMs: number,
    endMs: number,
  ): Promise<{ segments: RecordingSegment[]; capabilities: { cloud: boolean; device: boolean; listed: boolean } }> {
    if (endMs <= startMs) throw new AppError('VALIDATION', 'The end of the range must be after its start');
    const platform = await this.accounts.platform(accountId);
    const capabilities = {
      cloud: platform.capabilities.has('playback.cloud'),
      device: platform.capabilities.has('playback.device'),
      listed: !!platform.recordings || !platform.playbackSource,
    };
    if (!platform.recordings) return { segments: [], capabilities };
    return { segments: await platform.recordings(channelId, startMs, endMs), capabilities };
  }

  async playbackSource(accountId: string, channelId: string, kind: 'cloud' | 'device', startMs: number, endMs: number) {
    const platform = await this.accounts.platform(accountId);
    if (!platform.playbackSource) throw new AppError('NOT_AVAILABLE', 'This platform offers no recorded video');
    return this.handOut(await platform.playbackSource(channelId, kind, startMs, endMs));
  }

  async playbackControl(
    accountId: string,
    channelId: string,
    session: string,
    action: 'play' | 'pause' | 'stop',
    scale?: number,
  ): Promise<void> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.playbackControl)
      throw new AppError('NOT_AVAILABLE', 'This platform has no playback control; speed and pause apply in the player');
    await platform.playbackControl(channelId, session, action, scale);
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

  async releasePtz(accountId: string, channelId: string): Promise<void> {
    const platform = await this.accounts.platform(accountId);
    await platform.releasePtz?.(channelId);
  }

  async ptz(accountId: string, channelId: string, command: PtzCommand, speed: number): Promise<void> {
    const platform = await this.accounts.platform(accountId);
    if (!platform.ptz || !platform.capabilities.has('ptz'))
      throw new AppError('NOT_AVAILABLE', 'This platform offers no PTZ control');
    await platform.ptz(channelId, command, speed);
  }
}

/** Tree, live, PTZ and playback: the wall's channels. */
export function wallHandlers(wall: WallService): HandlerSlice {
  return {
    'tree:load': ({ accountId, refresh }) => wall.tree(accountId, refresh),
    'live:source': ({ accountId, channelId, stream }) => wall.liveSource(accountId, channelId, stream),
    'live:snapshot': ({ accountId, channelId }) => wall.cloudSnapshot(accountId, channelId),
    'ptz:command': async ({ accountId, channelId, command, speed }) => {
      await wall.ptz(accountId, channelId, command, speed);
      return null;
    },
    'ptz:release': async ({ accountId, channelId }) => {
      await wall.releasePtz(accountId, channelId);
      return null;
    },
    'playback:recordings': ({ accountId, channelId, startMs, endMs }) =>
      wall.recordings(accountId, channelId, startMs, endMs),
    'playback:source': ({ accountId, channelId, kind, startMs, endMs }) =>
      wall.playbackSource(accountId, channelId, kind, startMs, endMs),
    'playback:control': async ({ accountId, channelId, session, action, scale }) => {
      await wall.playbackControl(accountId, channelId, session, action, scale);
      return null;
    },
  };
}
