import { AppError } from '../errors';
import type { NetworkScope } from '../net/site-range';
import type { Platform, RecordingSegment } from '../platforms/platform';
import { getMediaPlaylistText, type ReadOptions } from './clip-download';
import { datedRecordings, playlistSegments } from './hls-dates';
import type { MediaRelay } from './relay';

export interface UnlistedOptions {
  /** Main's relay: the playlist is read through it, as players and ffmpeg read it. */
  relay?: MediaRelay;
  read: ReadOptions;
  /** The account's network, handed to the relay with the platform's address (else `read.scope`). */
  scope?: NetworkScope | null;
}

/**
 * The recordings in a range where the platform lists none but plays a range over HLS (Alibaba
 * VCS, §4.2: no Action lists segments). The range's playlist is the only account of them: its
 * dates say where each recording starts and ends (datedRecordings). An undated playlist is taken
 * as one recording from the range's start, as long as its durations.
 * Searches and clips then ask for each recording by its own range, so ffmpeg reads one recording
 * per source (across a discontinuity it drops every picture of the next one).
 */
export async function unlistedRecordings(
  platform: Pick<Platform, 'playbackSource'>,
  channelId: string,
  kind: 'cloud' | 'device',
  startMs: number,
  endMs: number,
  o: UnlistedOptions,
): Promise<RecordingSegment[]> {
  if (!platform.playbackSource) throw new AppError('NOT_AVAILABLE', 'This platform offers no recorded video');
  const source = await platform.playbackSource(channelId, kind, startMs, endMs);
  if (!/^https?:\/\//i.test(source.url) || !URL.canParse(source.url))
    throw new AppError('PLATFORM_ERROR', 'The platform gave a recording address that is not an http(s) address');
  if (source.protocol !== 'hls')
    throw new AppError(
      'NOT_AVAILABLE',
      'This platform lists no recordings and plays this range as a stream: where its recordings are is unknown',
    );
  let url = source.url;
  // Through the relay, the account's network is the relay's to hold the platform to; main reads
  // its relay on this computer. Without one, the platform's address is read under that network.
  const { scope: _relayed, ...onLoopback } = o.read;
  let read: ReadOptions = o.read;
  if (o.relay) {
    o.relay.issue(url, source.mediaHeaders, o.scope ?? o.read.scope ?? undefined);
    url = await o.relay.open(url, 'hls');
    read = onLoopback;
  }
  let text: string;
  try {
    text = (await getMediaPlaylistText(url, read)).text;
  } finally {
    // Only the playlist's text was wanted: the relay's ticket goes at once.
    if (o.relay) o.relay.release(url);
  }
  const segments = playlistSegments(text);
  if (!segments) throw new AppError('PLATFORM_ERROR', "The recording's playlist names no video segment");
  const runs = datedRecordings(segments) ?? [
    { startMs, endMs: Math.round(startMs + segments.reduce((sum, s) => sum + s.duration, 0) * 1000) },
  ];
  return runs.filter((r) => r.endMs > startMs && r.startMs < endMs).map((r) => ({ kind, ...r }));
}
