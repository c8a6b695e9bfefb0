import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { AppError } from '../errors';
import { log } from '../log';
import { Dejitter } from './dejitter';
import { findFfmpeg, RELAY_PROTOCOLS } from './ffmpeg';
import { FlvHevcDemuxer, type DemuxedAudio, type DemuxedFrame } from './flv-hevc';
import { HevcTsMuxer, TS_START_MS } from './hevc-ts';
import { playlistSegments, recordingFrom, startAtDate, startAtSecond } from './hls-dates';
import { MAX_PLAYLIST_BYTES, rewritePlaylist } from './hls-playlist';

/**
 * H.265 → H.264 for runtimes that cannot decode H.265 (Linux builds, Windows without the HEVC
 * extension, Chromium here). The renderer detects the codec and asks; main reads the stream from
 * its own relay (a relay ticket URL is the only input accepted: the relay already fetches only
 * what a platform handed out, with the platform's headers), runs ffmpeg (libx264 ultrafast,
 * zero-latency, no B-frames, sliced threads for a large pane only, the pane's size, capped frame rate, audio only when
 * asked) and serves the H.264 as HTTP-FLV on a loopback port of the transcode's own, under a
 * 128-bit ticket, for one connection. HEVC in FLV (both forms) is demuxed here to Annex-B first:
 * the ffmpeg Vigil ships reads neither FLV form; HLS (MPEG-TS or fMP4) is read by ffmpeg itself.
 *
 * Transcodes cost CPU, so a budget in cores caps them: each is charged an estimate from its
 * output pixel rate, and one that would pass the budget is refused with what it needs and who
 * holds the budget, so the operator can move a transcode from one pane to another (`replace`).
 */

/**
 * Cores one 640×360 25-fps transcode takes (HEVC decode + x264 ultrafast + FLV demux), measured
 * on the 2-core build machine: 6–11 % of a core per 360p pane (`npm run bench -- wall --codec h265`);
 * charged at 0.15 to leave room for the renderer decoding what comes out.
 */
export const CORES_PER_360P25 = 0.15;
const REF_PIXEL_RATE = 640 * 360 * 25;
export const MAX_FPS = 25;
/** A transcode nobody fetched within this long is stopped (the renderer asks right after the answer). */
const CLAIM_MS = 15_000;

/** The live edge's clock: a step of the system clock (NTP, a resume from sleep) is not lateness. */
const monotonicMs = () => performance.now();

/** Behind live by more than this (the source's pictures, or ffmpeg's wait): skip to a later key frame. */
export const LIVE_EDGE_MS = 1000;
/** A source behind live this long without catching up is given up (the pane reconnects: a fresh upstream). */
export const STALE_SOURCE_MS = 10_000;
/** The stream's best lag may rise this much a second: a camera clock 0.2 % slower than ours is not "falling behind". */
const CLOCK_DRIFT = 0.002;
/** Memory bound on what waits for ffmpeg, whatever the times say. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * Keeps a live transcode near the live edge (pure: the caller says when each picture came, its
 * timestamp, and which picture ffmpeg's output has reached). Two ways to fall behind:
 * - ffmpeg slower than the camera (a starved CPU). Main counts the pictures ffmpeg holds and the
 *   time it takes per picture: a picture that would come out more than LIVE_EDGE_MS after it was
 *   fed is dropped, and so is the rest of its GOP (a P-frame after a gap would not decode); the
 *   next key frame goes in once ffmpeg has drained. A starved transcode so shows a key frame now
 *   and then instead of every picture late. (A bound in bytes was not enough: a starved ffmpeg
 *   drains a few kilobytes a second, and 40 s of video waited in front of it at load 8–15.)
 * - The source behind: pictures arriving later than the stream's best (arrival − timestamp) by
 *   more than LIVE_EDGE_MS are an upstream backlog (a stall's burst, a buffer upstream): dropped
 *   up to a key frame near live again; a source that stays behind STALE_SOURCE_MS is `stale`:
 *   nothing fresher will come on this connection.
 */
export class LiveEdge {
  private best: { at: number; lag: number } | null = null;
  private needKey = false;
  private passNext = false;
  /** Pictures written to ffmpeg and not out yet: their timestamps and when they were written. */
  private inFlight: Array<{ mediaMs: number; at: number }> = [];
  private lastOutAt: number | null = null;
  /** ffmpeg's time per picture (ms, smoothed), once measured. */
  private serviceMs = 0;
  private behindSince: number | null = null;
  dropped = 0;

  /** ffmpeg put out the picture stamped `mediaMs` (the camera's clock) at `now`. */
  output(mediaMs: number, now: number): void {
    let done: { mediaMs: number; at: number } | undefined;
    while (this.inFlight.length && this.inFlight[0]!.mediaMs <= mediaMs + 1) done = this.inFlight.shift();
    if (!done) return;
    // Its service time, from the moment ffmpeg could work on it: written, the previous picture out,
    // and the next one written (ffmpeg hands a picture on only once the next has come).
    const from = Math.max(done.at, this.lastOutAt ?? done.at, this.inFlight[0]?.at ?? done.at);
    const sample = Math.max(0, now - from);
    this.serviceMs = this.serviceMs ? this.serviceMs * 0.7 + sample * 0.3 : sample;
    this.lastOutAt = now;
  }

  /** How far a picture stamped `mediaMs` arriving at `now` is behind the stream's best so far. */
  behindSource(mediaMs: number, now: number): number {
    const lag = now - mediaMs;
    const best = this.best ? Math.min(this.best.lag + (now - this.best.at) * CLOCK_DRIFT, lag) : lag;
    this.best = { at: now, lag: best };
    return lag - best;
  }

  /** Pictures ffmpeg holds now. */
  get holding(): number {
    return this.inFlight.length;
  }

  /**
   * `mediaMs` is the time the picture is sent on with (ffmpeg's progress is counted on it);
   * `sourceMs` the source's own, when it differs (Dejitter): the source's lateness is judged on
   * that — a burst spread ahead of its arrival would otherwise make later pictures look behind.
   */
  accept(
    frame: { mediaMs: number; sourceMs?: number; keyframe: boolean },
    queuedBytes: number,
    now: number,
  ): 'write' | 'drop' | 'stale' {
    const source = this.behindSource(frame.sourceMs ?? frame.mediaMs, now);
    if (source > LIVE_EDGE_MS) {
      this.behindSince ??= now;
      if (now - this.behindSince > STALE_SOURCE_MS) return 'stale';
    } else this.behindSince = null;
    // Before ffmpeg's first picture nothing is known of its pace (and it may need pictures to start).
    const started = this.lastOutAt !== null;
    const waiting = started && this.inFlight.length ? now - this.inFlight[0]!.at : 0;
    const late = started && (waiting > LIVE_EDGE_MS || (this.inFlight.length + 1) * this.serviceMs > LIVE_EDGE_MS);
    if (source > LIVE_EDGE_MS || queuedBytes > MAX_QUEUED_BYTES) {
      this.needKey = true;
      this.passNext = false;
    } else if (this.needKey) {
      // A key frame goes in once ffmpeg has drained (it keeps one picture until the next comes),
      // with the picture after it, which lets ffmpeg hand the key frame on at once.
      if (frame.keyframe && this.inFlight.length <= 2) {
        this.needKey = false;
        this.passNext = true;
      }
    } else if (late) {
      if (this.passNext) this.passNext = false;
      else this.needKey = true;
    } else this.passNext = false;
    if (this.needKey) {
      this.dropped++;
      return 'drop';
    }
    this.inFlight.push({ mediaMs: frame.mediaMs, at: now });
    return 'write';
  }
}

/** Timestamps of the video tags in an FLV byte stream, as it passes (ffmpeg's output: how far it got). */
export class FlvVideoClock {
  private buf: Buffer = Buffer.alloc(0);
  private skip = 13; // FLV header + PreviousTagSize0

  push(chunk: Buffer): number | null {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let last: number | null = null;
    for (;;) {
      if (this.skip) {
        const n = Math.min(this.skip, this.buf.length);
        this.buf = this.buf.subarray(n);
        this.skip -= n;
        if (this.skip) return last;
      }
      if (this.buf.length < 11) return last;
      const size = this.buf.readUIntBE(1, 3);
      // A coded picture (AVC packet type 1), not the sequence header.
      if ((this.buf[0]! & 0x1f) === 9 && this.buf.length >= 13 && this.buf[12] === 1)
        last = ((this.buf[7]! << 24) | this.buf.readUIntBE(4, 3)) >>> 0;
      else if ((this.buf[0]! & 0x1f) === 9 && this.buf.length < 13) return last;
      this.skip = 11 + size + 4;
    }
  }
}
/**
 * The output's picture size from the onMetaData ffmpeg writes first (AMF0: "width" and "height"
 * numbers), or null until both are in `head`. Pure.
 */
export function flvMetaSize(head: Buffer): { width: number; height: number } | null {
  const num = (name: string): number | null => {
    const key = Buffer.from([0, name.length, ...Buffer.from(name), 0]); // key, then AMF0 number marker
    const at = head.indexOf(key);
    return at >= 0 && at + key.length + 8 <= head.length ? head.readDoubleBE(at + key.length) : null;
  };
  const width = num('width');
  const height = num('height');
  return width && height && width > 0 && height > 0 ? { width, height } : null;
}
/** onMetaData comes in ffmpeg's first bytes; past this much it did not say. */
const META_BYTES = 4096;
const UPSTREAM_ANSWER_MS = 10_000;
/** With sound asked for, the first pictures wait this long for the stream's first AAC frame (and its config). */
const SOUND_WAIT_MS = 500;

/** Default budget: half the machine's cores (the other half decodes and draws), at least half a core. */
export function defaultBudgetCores(cpus = os.cpus().length): number {
  return Math.max(0.5, cpus / 2);
}

/** Estimated cores for a transcode to w×h at fps (pixel rate relative to 360p25). */
export function costCores(width: number, height: number, fps = MAX_FPS): number {
  return Math.round(((CORES_PER_360P25 * width * height * Math.min(fps, MAX_FPS)) / REF_PIXEL_RATE) * 100) / 100;
}

/** The output box for a pane: its size, never above the source's stream size, even numbers. */
export function outputBox(width: number, height: number): { width: number; height: number } {
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return { width: even(Math.min(width, 1920)), height: even(Math.min(height, 1080)) };
}

/** The smallest box a transcode is made at when the budget has no room for the pane's: a sub stream's. */
const FLOOR_BOX = { width: 640, height: 360 };

/** The smallest box a pane is transcoded at: its own shape at a sub stream's area (640×360), or the pane's if smaller. */
export function floorBox(box: { width: number; height: number }): { width: number; height: number } {
  const area = FLOOR_BOX.width * FLOOR_BOX.height;
  if (box.width * box.height <= area) return box;
  const k = Math.sqrt(area / (box.width * box.height));
  const even = (n: number) => Math.max(2, Math.ceil(n / 2) * 2);
  return { width: even(box.width * k), height: even(box.height * k) };
}

/**
 * The pane's box, or where the budget's room is smaller, the largest box of the same shape whose
 * estimate fits it, down to floorBox; null when even that does not fit (a refusal then names the
 * floor box's cost, so "room ≥ need" always means a retry fits). A maximized pane on the main
 * stream (estimated 1.35 cores at 1080p) so plays at about 1650×930 on a 1-core budget instead of
 * being refused outright. Pure.
 */
export function boxWithin(
  box: { width: number; height: number },
  roomCores: number,
): { width: number; height: number } | null {
  const cost = costCores(box.width, box.height);
  if (cost <= roomCores + 1e-9) return box;
  const floor = floorBox(box);
  if (costCores(floor.width, floor.height) > roomCores + 1e-9) return null;
  const scale = Math.sqrt(Math.max(0, roomCores) / cost);
  const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);
  const fit = { width: even(box.width * scale), height: even(box.height * scale) };
  const fits =
    fit.width * fit.height >= floor.width * floor.height && costCores(fit.width, fit.height) <= roomCores + 1e-9;
  return fits ? fit : floor;
}

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
 * ffmpeg's arguments for a transcode. The input is the relay's ticket as the URL parser reads it
 * (the string checked is the string opened: no tab, newline or backslash the parser dropped or
 * rewrote reaches ffmpeg's own URL handling), with only the protocols a relay ticket needs: HTTP
 * over TCP for a playlist, its segments and keys, the pipe for FLV. `crypto` stays: ffmpeg reads an
 * AES-128 segment as `crypto+<segment URL>` and refuses it without (checked with the shipped build);
 * what it wraps is a relay URL, since the relay refuses a playlist that names any scheme but http(s).
 * The output has a key frame every second (`-g`/`-keyint_min` = fps, no scene-cut extras), so a
 * wall that shows only key frames of a pane under its decode budget still refreshes it each second.
 */
const PROBE_FLV = 4096;

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
    // The FLV path's input is main's own MPEG-TS: its first key frame says all (a larger probe waited for 64 KB).
    ...['-hide_banner', '-loglevel', 'error', '-flags', 'low_delay', '-analyzeduration', '0'],
    ...['-probesize', req.protocol === 'flv' ? String(PROBE_FLV) : '65536'],
    ...input,
    '-map',
    '0:v:0',
    // Audio only when the pane has it on: HLS's re-encoded to AAC, HEVC-FLV's AAC (main's MPEG-TS) copied as it is.
    ...(!req.audio
      ? ['-an']
      : req.protocol === 'hls'
        ? ['-map', '0:a:0?', '-c:a', 'aac', '-b:a', '64k']
        : ['-map', '0:a:0?', '-c:a', 'copy', '-bsf:a', 'aac_adtstoasc']),
    '-vf',
    `${fitScale(box)},${rateCap()}`,
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline'],
    ...['-pix_fmt', 'yuv420p', '-bf', '0', '-threads', threads, '-vsync', 'vfr'],
    ...['-g', String(MAX_FPS), '-keyint_min', String(MAX_FPS), '-sc_threshold', '0'],
    ...['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`],
    ...['-f', 'flv', '-flvflags', 'no_duration_filesize', '-flush_packets', '1', 'pipe:1'],
  ];
}

export interface TranscodeRequest {
  /** A ticket URL of main's relay (what live:source / playback:source answered). */
  url: string;
  protocol: 'flv' | 'hls';
  /** The pane's size in device pixels: the output is scaled down to fit, never up. */
  width: number;
  height: number;
  audio: boolean;
  /** The pane's channel name, shown to whoever is refused. */
  label: string;
  /** A transcode to stop first (this pane's previous one, or another pane's to take its place). */
  replace?: string;
  /** Seconds into a recording to start from (playback), where its playlist does not date it. */
  startAt?: number;
  /** A recording over HLS: the wall time (epoch ms) to start at, found by the playlist's dates. */
  atMs?: number;
  /**
   * A live stream (default) is kept near its live edge; a recording (false) is never thinned: a
   * paused or slow device recording resumes with its pictures late, and back-pressure paces it.
   */
  live?: boolean;
}

export interface TranscodeHolder {
  id: string;
  label: string;
  costCores: number;
  /** Measured CPU of its ffmpeg, % of one core (Linux; null where not measured yet). */
  cpuPct: number | null;
}

export type TranscodeAnswer =
  | {
      ok: true;
      id: string;
      url: string;
      costCores: number;
      budgetCores: number;
      usedCores: number;
      /** The wall time of the output's first picture, where the recording's playlist dates it. */
      startsAtMs?: number;
    }
  | { ok: false; needCores: number; budgetCores: number; usedCores: number; holders: TranscodeHolder[] };

interface Job {
  id: string;
  label: string;
  /** Cores charged: the pane's box until ffmpeg's output says its real size (settleCost). */
  cost: number;
  ffmpeg: ChildProcess;
  server: http.Server;
  input: http.ClientRequest | null;
  claimTimer: NodeJS.Timeout;
  cpu: { at: number; ticks: number; pct: number | null };
  stopped: boolean;
  /** Its one connection came. */
  claimed: boolean;
  /** The pane's connection, once claimed. */
  served?: http.ServerResponse;
  edge: LiveEdge;
  /** Reads ffmpeg's output as it goes to the pane (the live edge's measure of its progress). */
  watchOutput?: (chunk: Buffer) => void;
  /** An HLS recording's playlist as main read it, served to its ffmpeg. */
  playlist?: string;
}

export interface TranscoderOptions {
  /** The budget in cores (settings), read at each request. */
  budgetCores: () => number;
  /** Is this URL one of main's relay tickets? */
  isRelayUrl: (url: string) => boolean;
  /** The app's own origins, the only ones CORS answers (the relay's). */
  origins: () => ReadonlySet<string>;
  ffmpeg?: () => string | null;
}

export class Transcoder {
  private readonly jobs = new Map<string, Job>();
  /** Transcodes admitted to the budget whose port is still opening. */
  private readonly reserved = new Map<string, { id: string; label: string; cost: number }>();
  private cpuTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: TranscoderOptions) {}

  list(): { budgetCores: number; usedCores: number; transcodes: TranscodeHolder[] } {
    return { budgetCores: this.o.budgetCores(), usedCores: this.used(), transcodes: this.holders() };
  }

  async start(req: TranscodeRequest): Promise<TranscodeAnswer> {
    if (!this.o.isRelayUrl(req.url))
      throw new AppError('BAD_REQUEST', 'Vigil transcodes only streams it relays; ask for a new play address');
    const ffmpeg = (this.o.ffmpeg ?? findFfmpeg)();
    if (!ffmpeg)
      throw new AppError('NOT_AVAILABLE', 'No ffmpeg runs on this machine, so H.265 cannot be transcoded here');
    const budget = this.o.budgetCores();
    // The transcode this one replaces counts as free, but stops only once this one fits: a swap
    // to a larger pane that does not fit must leave the other pane playing.
    const replaced = req.replace ? (this.jobs.get(req.replace) ?? this.reserved.get(req.replace)) : undefined;
    const used = this.used();
    const wanted = outputBox(req.width, req.height);
    const box = boxWithin(wanted, budget - (used - (replaced?.cost ?? 0)));
    if (!box) {
      const floor = floorBox(wanted);
      const need = costCores(floor.width, floor.height);
      return { ok: false, needCores: need, budgetCores: budget, usedCores: used, holders: this.holders() };
    }
    const cost = costCores(box.width, box.height);
    if (req.replace) this.stop(req.replace);
    // Reserved before the first await: two requests at once cannot both fit in the same room.
    const id = randomBytes(16).toString('hex');
    this.reserved.set(id, { id, label: req.label, cost });
    const server = http.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    } catch (e) {
      this.reserved.delete(id);
      throw e;
    }
    const port = (server.address() as AddressInfo).port;
    // A recording over HLS: main reads its playlist once (a platform's play URL may be single-use,
    // IVM §9.3) and serves it to ffmpeg from this port, starting where its dates put the cursor.
    let recording: Awaited<ReturnType<Transcoder['readRecording']>> | null = null;
    if (req.protocol === 'hls' && req.live === false) {
      try {
        recording = await this.readRecording(req);
      } catch (e) {
        this.reserved.delete(id);
        server.close();
        throw e;
      }
    }
    if (!this.reserved.delete(id)) {
      // Stopped (replaced, or main closing) while its port opened.
      server.close();
      return { ok: false, needCores: cost, budgetCores: budget, usedCores: this.used(), holders: this.holders() };
    }
    const args = recording
      ? transcodeArgs(req, box, { url: `http://127.0.0.1:${port}/transcode/${id}/source.m3u8`, ...recording.start })
      : transcodeArgs(req, box);
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const job: Job = {
      id,
      label: req.label,
      cost,
      ffmpeg: child,
      server,
      input: null,
      claimTimer: setTimeout(() => this.stop(id), CLAIM_MS).unref(),
      cpu: { at: Date.now(), ticks: 0, pct: null },
      stopped: false,
      claimed: false,
      edge: new LiveEdge(),
      ...(recording ? { playlist: recording.playlist } : {}),
    };
    this.jobs.set(id, job);
    this.watchCpu();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    // 'close', not 'exit': ffmpeg's last output is read by then. A pane still reading it (a paced
    // recording's last seconds) gets it all: its connection's end stops the job; ffmpeg costs
    // nothing from here.
    child.on('close', (code) => {
      if (!job.stopped) log.warn(`transcode ${req.label} ended (ffmpeg ${code}): ${stderr.trim().slice(-300)}`);
      if (code === 0 && job.served && !job.served.destroyed) job.cost = 0;
      else this.stop(id);
    });
    child.on('error', (e) => {
      log.warn(`transcode ${req.label}: ffmpeg did not start: ${e.message}`);
      this.stop(id);
    });
    child.stdin.on('error', () => undefined); // ffmpeg gone: the exit handler ends the job
    if (req.protocol === 'flv') this.feedFlv(job, req.url, req.live !== false, req.audio);
    else child.stdin.end();
    server.on('request', (rq: http.IncomingMessage, res: http.ServerResponse) => this.serve(job, rq, res));
    return {
      ok: true,
      id,
      url: `http://127.0.0.1:${port}/transcode/${id}.flv`,
      costCores: cost,
      budgetCores: budget,
      usedCores: this.used(),
      ...(recording?.startsAtMs !== undefined ? { startsAtMs: recording.startsAtMs } : {}),
    };
  }

  /**
   * An HLS recording's playlist, read once through the relay (a master's first variant too), with
   * every address made absolute and one of the relay's (ffmpeg fetches nothing else), cut to the
   * recording and segment to start at: by the dates at `atMs` where every segment is dated, else
   * `startAt` seconds in by the durations; ffmpeg then seeks at most one segment.
   */
  private async readRecording(
    req: TranscodeRequest,
  ): Promise<{ playlist: string; start: { startAt?: number }; startsAtMs?: number }> {
    let playlist = await this.readPlaylist(req.url);
    // A master playlist (IVM's names a session): its first variant, read through the relay too.
    const variant = /^#EXT-X-STREAM-INF:[^\n]*\n(\S+)/m.exec(playlist)?.[1];
    if (variant) playlist = await this.readPlaylist(variant);
    // By the dates where there are some, else by the durations from the second asked for.
    const segments = playlistSegments(playlist);
    if (!segments) throw new AppError('NETWORK', "The recording's playlist names no video segment");
    const dated = req.atMs !== undefined ? startAtDate(segments, req.atMs) : null;
    const at = dated ?? startAtSecond(segments, req.startAt ?? 0);
    if (!at) throw new AppError('NOT_FOUND', 'The recording ends before the time asked for');
    return {
      playlist: recordingFrom(playlist, at.segment),
      start: at.into > 0 ? { startAt: Math.round(at.into * 1000) / 1000 } : {},
      ...(dated ? { startsAtMs: dated.wallMs } : {}),
    };
  }

  /** A playlist through main's relay, every address in it absolute and one of the relay's. */
  private async readPlaylist(url: string): Promise<string> {
    const why = (reason: string) => new AppError('NETWORK', `The recording's playlist could not be read: ${reason}`);
    const text = await new Promise<string>((resolve, reject) => {
      const request = http.get(url, { timeout: UPSTREAM_ANSWER_MS }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(why(`the relay answered HTTP ${res.statusCode}`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_PLAYLIST_BYTES) return request.destroy(new Error('it is larger than 2 MiB'));
          chunks.push(c);
        });
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', (e) => reject(why(e.message)));
      });
      request.on('timeout', () => request.destroy(new Error('the relay did not answer')));
      request.on('error', (e) => reject(why(e.message)));
    });
    try {
      return rewritePlaylist(text, url, (absolute) => {
        if (!this.o.isRelayUrl(absolute)) throw new Error('it names an address outside the relay');
        return absolute;
      });
    } catch (e) {
      throw why((e as Error).message);
    }
  }

  /** Stops a transcode (its ffmpeg, input and port); unknown ids are ignored (already ended). */
  stop(id: string): void {
    this.reserved.delete(id);
    const job = this.jobs.get(id);
    if (!job) return;
    job.stopped = true;
    this.jobs.delete(id);
    clearTimeout(job.claimTimer);
    job.input?.destroy();
    if (job.ffmpeg.exitCode === null) job.ffmpeg.kill('SIGKILL');
    job.server.closeAllConnections();
    job.server.close();
    if (!this.jobs.size && this.cpuTimer) {
      clearInterval(this.cpuTimer);
      this.cpuTimer = null;
    }
  }

  close(): void {
    for (const id of [...this.jobs.keys(), ...this.reserved.keys()]) this.stop(id);
  }

  private used(): number {
    const all = [...this.jobs.values(), ...this.reserved.values()];
    return Math.round(all.reduce((n, j) => n + j.cost, 0) * 100) / 100;
  }

  private holders(): TranscodeHolder[] {
    return [
      ...[...this.jobs.values()].map((j) => ({ id: j.id, label: j.label, costCores: j.cost, cpuPct: j.cpu.pct })),
      ...[...this.reserved.values()].map((r) => ({ id: r.id, label: r.label, costCores: r.cost, cpuPct: null })),
    ];
  }

  /** The relay's FLV → HEVC (Annex-B) in MPEG-TS with the camera's times on ffmpeg's stdin, kept near live. */
  private feedFlv(job: Job, url: string, live: boolean, audio: boolean): void {
    const demux = new FlvHevcDemuxer({ audio });
    // Made at the first picture (with sound asked for, at the first AAC frame or SOUND_WAIT_MS later):
    // its program carries audio when the stream's AAC came by then.
    let ts: HevcTsMuxer | null = null;
    const start: { frames: DemuxedFrame[]; sound: DemuxedAudio[]; at?: number } = { frames: [], sound: [] };
    // Even times for ffmpeg (a source stamping on arrival bunches them: review R10); used from here on.
    const dejitter = new Dejitter();
    const edge = job.edge;
    const fail = (why: string) => {
      if (!job.stopped) log.warn(`transcode ${job.label}: ${why}`);
      job.ffmpeg.stdin?.end();
    };
    const request = http.get(url, { timeout: UPSTREAM_ANSWER_MS }, (up) => {
      if (up.statusCode !== 200) {
        up.resume();
        return fail(`relay answered HTTP ${up.statusCode}`);
      }
      // A recording waits on its pane (paused: minutes), which is no silence: the answer's
      // timeout ends here (the relay's own ends a source that really stops).
      if (!live) {
        request.removeAllListeners('timeout');
        up.setTimeout(0);
      }
      up.on('data', (chunk: Buffer) => {
        let frames: DemuxedFrame[];
        try {
          frames = demux.push(chunk);
        } catch (e) {
          up.destroy();
          return fail((e as Error).message);
        }
        let sound = demux.takeAudio();
        const stdin = job.ffmpeg.stdin;
        if (!stdin) return;
        if (!ts) {
          // With sound on, the first pictures wait (≤ SOUND_WAIT_MS) for the first AAC frame, which
          // goes first: ffmpeg learns the audio's format from a packet inside its 4-KB probe. The
          // AAC config may itself come after the first pictures: deciding on it then made a transcode
          // asked for sound a silent one, for good.
          start.frames.push(...frames);
          start.sound.push(...sound);
          if (!start.frames.length) return;
          start.at ??= monotonicMs();
          if (audio && !start.sound.length && !demux.noAac && monotonicMs() - start.at < SOUND_WAIT_MS) return;
          ts = new HevcTsMuxer({ live: true, audio: audio && demux.hasAac && start.sound.length > 0 });
          // The program's clock starts at the earliest of both (sound is written first, and pictures
          // cached from before the sound began would otherwise fall before its start).
          ts.base = Math.min(start.frames[0]!.timestampMs, start.sound[0]?.timestampMs ?? Infinity);
          ({ frames, sound } = start);
        }
        const muxer = ts;
        // Sound is never thinned: a starved ffmpeg's pictures go to key frames, the pane keeps its sound.
        if (muxer.audio) for (const a of sound) stdin.write(muxer.pushAudio(a.adts, a.timestampMs));
        if (!live) {
          // A recording: every picture, paced by ffmpeg (the relay waits while ffmpeg's input is full).
          for (const f of frames) stdin.write(muxer.push(f.annexB, dejitter.push(f.timestampMs), f.ctsMs, f.keyframe));
          if (stdin.writableNeedDrain) {
            up.pause();
            stdin.once('drain', () => up.resume());
          }
          return;
        }
        for (const f of frames) {
          const mediaMs = dejitter.push(f.timestampMs);
          const verdict = edge.accept(
            { mediaMs, sourceMs: f.timestampMs, keyframe: f.keyframe },
            stdin.writableLength,
            monotonicMs(),
          );
          if (verdict === 'stale') {
            up.destroy();
            return fail(`the camera's stream stayed more than ${STALE_SOURCE_MS / 1000} s behind live`);
          }
          if (verdict === 'write') stdin.write(muxer.push(f.annexB, mediaMs, f.ctsMs, f.keyframe));
        }
      });
      up.on('end', () => fail('the stream ended'));
      up.on('error', (e) => fail(e.message));
    });
    request.on('timeout', () => request.destroy(new Error('the relay did not answer')));
    request.on('error', (e) => fail(e.message));
    job.input = request;
    // How far ffmpeg got, in the camera's time: the muxer's stream starts at TS_START_MS (-copyts
    // keeps it). Read beside the pane's connection (serve), never before: the pane needs every byte.
    const clock = new FlvVideoClock();
    job.watchOutput = (chunk) => {
      const at = clock.push(chunk);
      if (live && at !== null && ts?.base != null) edge.output(at - TS_START_MS + ts.base, monotonicMs());
    };
  }

  private serve(job: Job, req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', Vary: 'Origin' };
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!this.o.origins().has(origin)) return void res.writeHead(403, headers).end('foreign origin');
      headers['Access-Control-Allow-Origin'] = origin;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && job.playlist !== undefined && path === `/transcode/${job.id}/source.m3u8`)
      return void res.writeHead(200, { ...headers, 'Content-Type': 'application/vnd.apple.mpegurl' }).end(job.playlist);
    if (req.method !== 'GET' || path !== `/transcode/${job.id}.flv` || job.stopped || job.claimed)
      return void res.writeHead(403, headers).end('unknown or used transcode ticket');
    job.claimed = true;
    job.served = res;
    clearTimeout(job.claimTimer);
    res.writeHead(200, { ...headers, 'Content-Type': 'video/x-flv' });
    res.socket?.setNoDelay(true);
    if (job.watchOutput) job.ffmpeg.stdout?.on('data', job.watchOutput);
    this.settleCost(job);
    job.ffmpeg.stdout?.pipe(res);
    job.ffmpeg.stdout?.on('end', () => res.end());
    // The pane went (or reconnects): the transcode and its budget go with the connection.
    res.on('close', () => this.stop(job.id));
  }

  /**
   * Charged first for the pane's box, a transcode is charged for what ffmpeg makes once its output
   * says: the output is never larger than the source, so a sub stream in a large pane (a 2×2
   * wall on a 1080p screen, or any pane at a device-pixel ratio of 2) costs a sub stream's share.
   */
  private settleCost(job: Job): void {
    const stdout = job.ffmpeg.stdout;
    if (!stdout) return;
    let head = Buffer.alloc(0);
    const read = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]).subarray(0, META_BYTES);
      const size = flvMetaSize(head);
      if (!size && head.length < META_BYTES) return;
      stdout.off('data', read);
      if (size) job.cost = Math.min(job.cost, costCores(size.width, size.height));
    };
    stdout.on('data', read);
  }

  /** Each transcode's ffmpeg CPU, % of one core, from /proc every 2 s (Linux). */
  private watchCpu(): void {
    if (this.cpuTimer || process.platform !== 'linux') return;
    const hz = 100; // USER_HZ on Linux
    this.cpuTimer = setInterval(() => {
      for (const job of this.jobs.values()) {
        const pid = job.ffmpeg.pid;
        if (!pid) continue;
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
          const now = Date.now();
          if (job.cpu.ticks)
            job.cpu.pct = Math.round(((ticks - job.cpu.ticks) / hz / ((now - job.cpu.at) / 1000)) * 100);
          job.cpu = { ...job.cpu, at: now, ticks };
        } catch {
          /* exited */
        }
      }
    }, 2000).unref();
  }
}
