import type { HandlerSlice } from '../ipc/handlers';
import type { MediaRelay } from '../media/relay';
import { defaultBudgetCores } from '../media/transcode/budget';
import { Transcoder } from '../media/transcode/transcoder';
import type { Settings } from '../settings/settings';

/**
 * The transcode budget and who may be transcoded: the budget is the operator's setting (cores),
 * else half the machine's; the only inputs are main's own relay tickets, on the relay's ports.
 */
export function createTranscoder(relay: MediaRelay, settings: Settings, ffmpeg?: () => string | null): Transcoder {
  return new Transcoder({
    budgetCores: () => settings.get().preferences.transcodeCores ?? defaultBudgetCores(),
    isRelayUrl: (url) => isRelayTicketUrl(url, relay.lanePorts),
    origins: () => relay.origins,
    ...(ffmpeg ? { ffmpeg } : {}),
  });
}

/** A loopback URL on one of the relay's lanes, naming an FLV or HLS ticket. */
export function isRelayTicketUrl(url: string, lanePorts: number[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (
    u.protocol === 'http:' &&
    u.hostname === '127.0.0.1' &&
    lanePorts.includes(Number(u.port)) &&
    /^\/(relay\/[0-9a-f]{32}\.flv|hls\/[0-9a-f]{32}\/)/.test(u.pathname)
  );
}

export function transcodeHandlers(transcoder: Transcoder): HandlerSlice {
  return {
    'media:transcode': (req) => transcoder.start(req),
    'media:transcodeStop': ({ id }) => {
      transcoder.stop(id);
      return null;
    },
    'media:transcodes': () => transcoder.list(),
  };
}
