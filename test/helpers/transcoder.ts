import fs from 'node:fs';
import path from 'node:path';
import { MediaRelay } from '../../main/media/relay';
import { Transcoder } from '../../main/media/transcode/transcoder';
import { isRelayTicketUrl } from '../../main/services/transcode';
import { ffmpegPath } from '../emulators/media/ffmpeg';

/** The page origin the transcoder tests present: main's relay allows it, as it allows the app's own. */
export const ORIGIN = 'http://127.0.0.1:1';

/** Main's relay and a transcoder that takes only its tickets, wired as main/services/transcode.ts wires them. */
export function relayAndTranscoder(o: { budgetCores: () => number; ffmpeg?: () => string | null }): {
  relay: MediaRelay;
  transcoder: Transcoder;
} {
  const relay = new MediaRelay();
  relay.allowOrigins([ORIGIN]);
  const transcoder = new Transcoder({
    budgetCores: o.budgetCores,
    isRelayUrl: (url) => isRelayTicketUrl(url, relay.lanePorts),
    origins: () => relay.origins,
    ffmpeg: o.ffmpeg ?? ffmpegPath,
  });
  return { relay, transcoder };
}

/** An ffmpeg that first writes its pid to `<dir>/pids` (exec keeps the pid), so a test can find its process. */
export function pidNotingFfmpeg(dir: string): () => string {
  const wrapper = path.join(dir, 'ffmpeg.sh');
  fs.writeFileSync(wrapper, `#!/bin/sh\necho $$ >> '${dir}/pids'\nexec '${ffmpegPath()}' "$@"\n`, { mode: 0o755 });
  return () => wrapper;
}
