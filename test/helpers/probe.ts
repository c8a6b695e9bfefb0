import { spawnSync } from 'node:child_process';
import { ffmpegPath } from '../emulators/media/ffmpeg';

/**
 * How long a media file plays: ffmpeg decodes all of it (proof that it plays) and reports the
 * container's Duration and the last decoded timestamp. ffmpeg separates its progress lines with
 * \r, so the final `time=` is the last match in the whole output, not the first of the last line.
 */
export function probeSeconds(file: string): { duration: number | null; decoded: number } {
  const out = spawnSync(ffmpegPath(), ['-hide_banner', '-nostdin', '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
  }).stderr;
  const seconds = (h: string, m: string, s: string) => Number(h) * 3600 + Number(m) * 60 + Number(s);
  const d = /Duration: (\d+):(\d+):([\d.]+)/.exec(out);
  const times = [...out.matchAll(/time=(\d+):(\d+):([\d.]+)/g)];
  const last = times.at(-1);
  return {
    duration: d ? seconds(d[1]!, d[2]!, d[3]!) : null,
    decoded: last ? seconds(last[1]!, last[2]!, last[3]!) : 0,
  };
}
