import type { RecordingSegment } from '../../preload/contract';
import { AppError } from '../errors';
import type { HandlerSlice } from '../ipc/handlers';
import type { MediaRelay } from '../media/relay';
import type { AccountsService } from './accounts';
import { handOut } from './hand-out';

/** Recorded video: a channel's segments (cloud and device), their play sources and the platform's playback control. */
export class PlaybackService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly relay: MediaRelay,
  ) {}

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
    return handOut(
      this.relay,
      await platform.playbackSource(channelId, kind, startMs, endMs),
      await this.accounts.scope(accountId),
    );
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
}

export function playbackHandlers(playback: PlaybackService): HandlerSlice {
  return {
    'playback:recordings': ({ accountId, channelId, startMs, endMs }) =>
      playback.recordings(accountId, channelId, startMs, endMs),
    'playback:source': ({ accountId, channelId, kind, startMs, endMs }) =>
      playback.playbackSource(accountId, channelId, kind, startMs, endMs),
    'playback:control': async ({ accountId, channelId, session, action, scale }) => {
      await playback.playbackControl(accountId, channelId, session, action, scale);
      return null;
    },
  };
}
