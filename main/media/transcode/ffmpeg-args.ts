import { RELAY_PROTOCOLS } from '../ffmpeg';
import { MAX_FPS } from './budget';
import type { TranscodeRequest } from './types';

/** ffmpeg scale filter: fit inside the box keeping the aspect ratio, never up, even sizes. */
export function fitScale(box: { width: number; height: number }): string {
  const s = `min(1,min(${box.width}/iw,${box.height}/ih))`; // quoted below: commas stay inside the expression
  return `scale=w='trunc(iw*${s}/2)*2':h='trunc(ih*${s}/2)*2'`;
}

/**
 * At most MAX_FPS pictures a second, never a duplicate: the first picture of each 1/MAX_FPS slot
 * passes (the `fps` filter also repeats pictures to fill gaps in time — after a stall, a whole
 * second of copies to encode, shown as if new).
 */
export function rateCap(): string {
  return `select='isnan(prev_selected_t)+gt(floor(t*${MAX_FPS}+0.5),floor(prev_selected_t*${MAX_FPS}+0.5))'`;
}

/**
 * The FLV path's probe: main's own MPEG-TS, whose first key frame says all (a 64-KB probe waited
 * for its bytes). Not below 8 KB: the shipped ffmpeg's MPEG-TS reader reads 8 KB to find the
 * packet size and then goes back to the start, which on a pipe it can do only as far as the probe
 * size. When main's first bytes came in small reads, a 4-KB probe could not go back ("Unable to
 * seek back to the start", said at info level): the program tables and the first key frame with
 * its parameter sets were lost, and nothing decoded until the next key frame.
 */
const PROBE_FLV = 8192;
/** A key frame at the first picture and at each one a second or more after the last forced one (by its own time: -copyts). */
const KEY_EVERY_SECOND = 'expr:isnan(prev_forced_t)+gte(t-prev_forced_t,1)';

/**
 * Pane boxes larger than a quarter of a 1080p screen get two codec threads. Such panes play the
 * camera's main stream (the wall switches to it from 640 CSS px wide, and when maximized; 1080p or
 * more on real cameras). On the 2-core build machine a 1080p source into a 960×540 box kept 25 fps
 * on one thread (47–49 % of a core, 2 runs at load 4–5); into 1280×720 or 1920×1080 one thread
 * spent 30–45 ms of CPU a picture (HEVC decode ~10 of them, x264 the rest), at or past the 40 ms a
 * 25-fps picture allows, and LiveEdge cut the pane to key frames (a whole GOP) whenever a
 * neighbour took the core for a moment. x264's threads are slices under `zerolatency` and the
 * decoder's are slices too (`-flags low_delay` rules out frame threads: those held pictures back,
 * and LiveEdge kept a 1080p pane on key frames with them in 3 of 4 runs), so neither adds a
 * picture of delay.
 */
const THREADED_BOX_PIXELS = 960 * 540;

export function codecThreads(box: { width: number; height: number }): number {
  return box.width * box.height > THREADED_BOX_PIXELS ? 2 : 1;
}

/**
 * ffmpeg's arguments for a transcode. The input is the relay's ticket as the URL parser reads it
 * (the string checked is the string opened: no tab, newline or backslash the parser dropped or
 * rewrote reaches ffmpeg's own URL handling), with only the protocols a relay ticket needs: HTTP
 * over TCP for a playlist, its segments and keys, the pipe for FLV. `crypto` stays: ffmpeg reads an
 * AES-128 segment as `crypto+<segment URL>` and refuses it without (checked with the shipped build);
 * what it wraps is a relay URL, since the relay refuses a playlist that names any scheme but http(s).
 * The output has a key frame every second (`-g`/`-keyint_min` = fps, no scene-cut extras), so a
 * wall that shows only key frames of a pane under its decode budget still refreshes it each second.
 * A second of time, not only 25 pictures: LiveEdge thins a starved transcode to a few pictures a
 * second, and a key frame every 25 of those came many seconds apart (a key-frame pane of it stayed
 * seconds behind), so a picture a second or more after the last forced key frame is one too.
 */
export function transcodeArgs(
  req: TranscodeRequest,
  box: { width: number; height: number },
  /** An HLS recording's playlist as main read it (served to ffmpeg), and the second to start at. */
  source: { url: string; startAt?: number | undefined } = { url: req.url, startAt: req.startAt },
): string[] {
  const kbps = Math.max(150, Math.round((box.width * box.height * MAX_FPS * 0.1) / 1000));
  const threads = String(codecThreads(box));
  const input =
    req.protocol === 'flv'
      ? // MPEG-TS from the demuxer with the camera's own times, kept on the output (-copyts): main
        // reads from ffmpeg's output how far it got (LiveEdge). Never wall-clock stamps: a starved
        // ffmpeg then had to encode ever more pictures for the time it lost, and fell ever further behind.
        // Decoder threads: slices only (codecThreads); frame threads would hold pictures back until more come.
        [
          // (no +nobuffer: it drops what the probe read — the first key frame — so the first GOP would not decode)
          ...['-protocol_whitelist', 'pipe', '-copyts', '-threads', threads],
          ...['-f', 'mpegts', '-i', 'pipe:0'],
        ]
      : req.live === false
        ? // A recording from the exact second: -ss after -i decodes from the segment's first key frame
          // and discards up to it (as an input option ffmpeg's HLS seek went on to the next key
          // frame, up to a GOP late; +nobuffer, a live flag, dropped the ~1 s its probe had read).
          [
            ...['-protocol_whitelist', RELAY_PROTOCOLS, '-i', new URL(source.url).href],
            ...(source.startAt ? ['-ss', source.startAt.toFixed(3)] : []),
          ]
        : [
            ...['-protocol_whitelist', RELAY_PROTOCOLS, '-fflags', '+nobuffer', '-live_start_index', '-1'],
            ...['-i', new URL(source.url).href],
          ];
  return [
    ...['-hide_banner', '-loglevel', 'error', '-flags', 'low_delay', '-analyzeduration', '0'],
    ...['-probesize', req.protocol === 'flv' ? String(PROBE_FLV) : '65536'],
    ...input,
    '-map',
    '0:v:0',
    // Audio only when the pane has it on, encoded to AAC: HLS's, and HEVC-FLV's from main's MPEG-TS —
    // AAC, or a GB28181 camera's G.711 as PCM (hevc-ts.ts), which FLV-to-the-page could not carry as it
    // is. (Known only once the stream is read, after ffmpeg started; an AAC re-encode costs ~0.5 % of a core.)
    // (Sound that comes before the first picture waits for the video encoder to start: room for it.)
    ...(!req.audio ? ['-an'] : ['-map', '0:a:0?', '-c:a', 'aac', '-b:a', '64k', '-max_muxing_queue_size', '1024']),
    '-vf',
    `${fitScale(box)},${rateCap()}`,
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline'],
    ...['-pix_fmt', 'yuv420p', '-bf', '0', '-threads', threads, '-vsync', 'vfr'],
    // x264 plans each picture's bits by the frame rate. ffmpeg takes that from its probe, and a
    // probe that did not learn the stream said 90,000 fps: a few bits a picture under the -maxrate
    // cap, pictures with no detail, flat grey for as long as they came at full rate. The output
    // never passes MAX_FPS (rateCap), so that is the rate planned for, whatever the probe says.
    ...['-x264-params', `fps=${MAX_FPS}`],
    ...['-g', String(MAX_FPS), '-keyint_min', String(MAX_FPS), '-sc_threshold', '0'],
    ...['-force_key_frames', KEY_EVERY_SECOND],
    ...['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`],
    ...['-f', 'flv', '-flvflags', 'no_duration_filesize', '-flush_packets', '1', 'pipe:1'],
  ];
}
