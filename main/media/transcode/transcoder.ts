import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../errors';
import { log } from '../../log';
import { Dejitter } from '../dejitter';
import { findFfmpeg } from '../ffmpeg';
import { FlvHevcDemuxer, type DemuxedAudio, type DemuxedFrame } from '../flv-hevc';
import { HevcTsMuxer, TS_START_MS } from '../hevc-ts';
import { playlistSegments, recordingFrom, startAtDate, startAtSecond } from '../hls-dates';
import { MAX_PLAYLIST_BYTES, rewritePlaylist } from '../hls-playlist';
import { CpuWatch } from './cpu-watch';
import { boxWithin, costCores, floorBox, outputBox } from './budget';
import { transcodeArgs } from './ffmpeg-args';
import { FlvVideoClock, flvMetaSize } from './flv-output';
import { LiveEdge, STALE_SOURCE_MS } from './live-edge';
import type { TranscodeAnswer, TranscodeHolder, TranscodeRequest } from './types';

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

/** A transcode nobody fetched within this long is stopped (the renderer asks right after the answer). */
const CLAIM_MS = 15_000;

/** The live edge's clock: a step of the system clock (NTP, a resume from sleep) is not lateness. */
const monotonicMs = () => performance.now();

/** onMetaData comes in ffmpeg's first bytes; past this much it did not say. */
const META_BYTES = 4096;
const UPSTREAM_ANSWER_MS = 10_000;
/** With sound asked for, the first pictures wait this long for the stream's first sound frame (AAC with its config, or G.711). */
const SOUND_WAIT_MS = 500;

interface Job {
  id: string;
  label: string;
  /** Cores charged: the pane's box until ffmpeg's output says its real size (settleCost). */
  cost: number;
  ffmpeg: ChildProcess;
  server: http.Server;
  input: http.ClientRequest | null;
  claimTimer: NodeJS.Timeout;
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
  private readonly cpu = new CpuWatch();

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
      stopped: false,
      claimed: false,
      edge: new LiveEdge(),
      ...(recording ? { playlist: recording.playlist } : {}),
    };
    this.jobs.set(id, job);
    this.cpu.add(job.ffmpeg.pid);
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
    this.cpu.remove(job.ffmpeg.pid);
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
      ...[...this.jobs.values()].map((j) => ({
        id: j.id,
        label: j.label,
        costCores: j.cost,
        cpuPct: this.cpu.pct(j.ffmpeg.pid),
      })),
      ...[...this.reserved.values()].map((r) => ({ id: r.id, label: r.label, costCores: r.cost, cpuPct: null })),
    ];
  }

  /** The relay's FLV → HEVC (Annex-B) in MPEG-TS with the camera's times on ffmpeg's stdin, kept near live. */
  private feedFlv(job: Job, url: string, live: boolean, audio: boolean): void {
    const demux = new FlvHevcDemuxer({ audio });
    // Made at the first picture (with sound asked for, at the first sound frame or SOUND_WAIT_MS later):
    // its program carries the stream's sound when it came by then (AAC, or G.711 as PCM: hevc-ts.ts).
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
          // goes first: ffmpeg learns the audio's format from a packet inside its 8-KB probe. The
          // AAC config may itself come after the first pictures: deciding on it then made a transcode
          // asked for sound a silent one, for good.
          start.frames.push(...frames);
          start.sound.push(...sound);
          if (!start.frames.length) return;
          start.at ??= monotonicMs();
          if (audio && !start.sound.length && !demux.noSound && monotonicMs() - start.at < SOUND_WAIT_MS) return;
          ts = new HevcTsMuxer({ live: true, audio: (audio && start.sound.length > 0 && demux.sound) || false });
          // The program's clock starts at the earliest of both (sound is written first, and pictures
          // cached from before the sound began would otherwise fall before its start).
          ts.base = Math.min(start.frames[0]!.timestampMs, start.sound[0]?.timestampMs ?? Infinity);
          ({ frames, sound } = start);
        }
        const muxer = ts;
        // Sound is never thinned: a starved ffmpeg's pictures go to key frames, the pane keeps its sound.
        if (muxer.audio) for (const a of sound) stdin.write(muxer.pushSound(a));
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
}
