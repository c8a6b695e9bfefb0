import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { FlvHevcForm } from '../../../main/media/flv-hevc';
import {
  clockStripFilter,
  ffmpegPath,
  fontFile,
  liveInputs,
  niceAvailable,
  patternGraph,
  spawnGroup,
  type Proc,
} from './ffmpeg';
import { MOTION_GOP, motionGraph, motionScript, type MotionScript } from './motion-cameras';
import { HevcFlvServer, HevcFlvSource } from './hevc-flv-server';
import { SegmentEncode } from './segment-encode';
import { StaticMediaServer } from './static-server';

/**
 * Media simulator: real video for the emulators, the demo and the tests. node-media-server
 * (RTMP in; HTTP-FLV and WS-FLV out) in a child process, one ffmpeg test-pattern publisher per
 * channel and stream (started on first use), HLS live by remuxing those, and HLS VOD recordings
 * with gaps. Everything binds 127.0.0.1.
 *
 * First answers are quick, as a platform's are: a recording's playlist is known before it is
 * encoded (2-s segments, fixed by the encoder settings) and answers at once; every recording is
 * encoded ahead in the background from start (niced, one at a time); a segment asked for before
 * its recording is on disk is encoded on its own at once (the picture is a pure function of its
 * time, so it is the same segment) and sent as it is written, and the next two are encoded
 * meanwhile, for a player reading on. No request waits for an encoder to reach its segment. A live
 * HLS playlist not written yet holds the request until its first segment is (its remuxer is
 * started if it is not running) instead of answering 404.
 */
export type StreamKind = 'main' | 'sub';

export interface SimChannel {
  id: string;
  name: string;
  /**
   * Sound; most cameras have none (default false). Live: the tone of `audioCodec`. Recordings (HLS
   * VOD): SOUND_TONE_HZ in AAC whatever the camera sends, as a platform stores it; a device's own
   * FLV recording of a G.711 camera sends G.711 (deviceFlvSound, ffmpeg.ts).
   */
  audio?: boolean;
  /**
   * The sound of a live H.264 camera with `audio` (default 'aac', a 440-Hz tone). GB28181 cameras
   * send G.711: 'alaw' / 'mulaw' send SOUND_TONE_HZ at 8 kHz (FLV SoundFormat 7 / 8); 'speex' is
   * sound no browser plays (FLV SoundFormat 11), for the pane that says so.
   */
  audioCodec?: 'aac' | 'alaw' | 'mulaw' | 'speex';
  /**
   * H.265 channels: live HTTP-FLV muxed by the simulator itself (hevc-flv-server.ts; AAC with `audio`),
   * live HLS (MPEG-TS) and recordings encoded with libx265.
   */
  codec?: 'h264' | 'h265';
  /** FLV form of an H.265 channel: legacy codec id 12 (Chinese platforms, the default) or Enhanced RTMP `hvc1`. */
  flvForm?: FlvHevcForm;
  /** H.265 FLV stamped as on arrival: each picture a random 0–jitterMs late (hevc-flv-server.ts; never a shared encoder). */
  jitterMs?: number;
  /** Seconds between key frames of its live H.264 streams (default 1; "smart codec" cameras stretch it to 10; never a shared encoder). */
  gopS?: number;
  /**
   * A motion camera (motion-cameras.ts): its recordings show a still picture with an object at
   * scripted, seeded times (`motionScript`), key frames every second. Its live streams are the usual pattern.
   */
  motion?: { seed?: number };
}

export interface Recording {
  start: number;
  end: number;
  url: string;
}

export interface MediaSimulatorOptions {
  channels: SimChannel[];
  /** Where recordings and live HLS are written. Default: a fresh folder under the OS temp dir, removed on stop. */
  workDir?: string;
  /** Recordings per channel in the past, each `recordingMinutes` long, one every `recordingEveryMinutes`. */
  recordingsPerChannel?: number;
  /** Encode every recording ahead in the background, niced (default true); false: only on first request. */
  prepareRecordings?: boolean;
  recordingMinutes?: number;
  recordingEveryMinutes?: number;
  /**
   * One encoder feeds every video-only H.264 channel's sub stream (same picture, same clock strip)
   * instead of one encoder per channel: on 2 cores ten 360p encoders alone keep both cores busy
   * and starve the very players a wall test measures. Channels with audio keep their own encoder.
   */
  sharedSubEncoder?: boolean;
  /**
   * With `sharedSubEncoder`: encode the shared picture this many times (1–25, default 1), each with
   * its key frames 25/N frames after the previous one's, channel i taking phase i mod N. Real
   * cameras are independent: their key frames do not all land at the same instant, as one shared
   * encoder's do (then every key-frame pane of a big wall decodes at once, a burst once a second
   * that makes full-rate panes drop frames). Costs ~5 % of a core per extra encoder (360p ultrafast).
   */
  subKeyPhases?: number;
  /**
   * The nice value of the simulator's live processes (the cameras' encoders, the media server, the
   * HLS remuxers). In the field these are other machines; on a 2-core bench they would otherwise
   * take the CPU from the client measured beside them when both want it at once (default 0).
   */
  nice?: number;
  /**
   * The demo only: each H.264 channel's live stream is a loop of this many seconds, encoded once
   * (on first request, per channel and stream) and then sent by copy at its own pace, so a camera
   * costs next to no CPU where the wall beside it needs the cores. Its picture carries the
   * channel's name and the loop's own time, not the true time, and no clock strip: the benches
   * and tests leave it off (their cameras keep the live clock).
   */
  liveLoopS?: number;
  /**
   * Told when a camera's stream starts publishing to the media server (its path, e.g.
   * `/live/shared_sub`): how long a restarted server kept the cameras away, for the soak's log.
   */
  onPublish?: (streamPath: string) => void;
  /**
   * The nice value of recording encodes made because a recording (or a segment of it) was asked
   * for before it was ready (default 0; encodes ahead of time always run at 19). In the field the
   * platform's archive is another machine: a bench measuring the client beside the simulator sets
   * it, so the platform's encode cannot take the cores from the client under test.
   */
  recordingNice?: number;
  /** Told when a whole recording's encode ends: which, whether it was asked for, how long it took. */
  onRecording?: (e: { channel: string; start: number; urgent: boolean; seconds: number; ok: boolean }) => void;
}

const sizes: Record<StreamKind, { width: number; height: number; bitrate: string }> = {
  main: { width: 1280, height: 720, bitrate: '1500k' },
  sub: { width: 640, height: 360, bitrate: '500k' },
};
const RATE = 25;
/** A channel's audio: a 440-Hz tone read at its own pace (input 2, after the two video sources). */
const AUDIO_TONE = ['-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'];
/** The tone of a camera whose sound is not AAC (audioCodec), the frequency a test listens for. */
export const SOUND_TONE_HZ = 1000;
/** Input and output arguments of a live camera's sound, by its codec. */
function liveSound(codec: SimChannel['audioCodec']): { input: string[]; output: string[] } {
  if (!codec || codec === 'aac') return { input: AUDIO_TONE, output: ['-map', '2:a', '-c:a', 'aac', '-b:a', '64k'] };
  const rate = codec === 'speex' ? 16000 : 8000; // FLV's Speex is 16 kHz; G.711 is 8 kHz
  const input = ['-re', '-f', 'lavfi', '-i', `sine=frequency=${SOUND_TONE_HZ}:sample_rate=${rate}`];
  const encoder = { alaw: 'pcm_alaw', mulaw: 'pcm_mulaw', speex: 'libspeex' }[codec];
  return { input, output: ['-map', '2:a', '-c:a', encoder, '-ar', String(rate), '-ac', '1'] };
}

/**
 * Live HLS output: 1-s segments, six listed. Segment numbers start at the epoch second, so a
 * restarted writer never reuses a name a player may have cached.
 */
const liveHls = (playlist: string) => [
  '-f',
  'hls',
  '-hls_time',
  '1',
  '-hls_list_size',
  '6',
  '-hls_start_number_source',
  'epoch',
  '-hls_flags',
  'delete_segments+independent_segments',
  playlist,
];
const SHARED_SUB = '__shared_sub';
const SHARED_SUB_HEVC = '__shared_sub_h265';
/** Recordings: 2-s segments (a keyframe every 2 s, no scene cuts), so their playlist is known in advance. */
export const REC_SEGMENT_S = 2;
/** Segments of a recording encoded ahead of the one a player asks for (each a short ffmpeg run). */
const REC_AHEAD = 2;
/** How long a request waits for a live playlist's first segment. */
const LIVE_WAIT_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MediaSimulator {
  rtmpPort = 0;
  httpPort = 0;
  private nms: Proc | null = null;
  private readonly publishers = new Map<string, { proc: Proc | null; wanted: boolean; restarts: number }>();
  private readonly hlsRemuxers = new Map<string, Proc>();
  /** `${channel}/${start}` → the encoder writing it (`urgent`: asked for; else a niced background job) */
  private readonly recordingJobs = new Map<string, { proc: Proc; urgent: boolean; done: Promise<boolean> }>();
  private readonly prepared = new Set<string>();
  /** `${channel}/${start}/${index}` → a recording segment being encoded on its own */
  private readonly segmentJobs = new Map<string, SegmentEncode>();
  private readonly files: StaticMediaServer;
  private readonly hevcServer: HevcFlvServer;
  /** H.265 FLV encoders by channel key (or the shared sub-stream one): their processes and muxers. */
  private readonly hevcSources = new Map<string, { source: HevcFlvSource | null; wanted: boolean; restarts: number }>();
  private stallTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** When each stream path last started publishing (the media server's word), and when it last listened. */
  private readonly publishedAt = new Map<string, number>();
  private listenedAt = 0;
  readonly channels: Map<string, SimChannel>;
  readonly workDir: string;
  private readonly anchor: number;

  private constructor(private readonly opts: MediaSimulatorOptions) {
    this.channels = new Map(opts.channels.map((c) => [c.id, c]));
    for (const c of opts.channels)
      if (!/^[A-Za-z0-9_-]+$/.test(c.id)) throw new Error(`channel id ${c.id}: letters, digits, _ and - only`);
    this.workDir = opts.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-media-'));
    this.files = new StaticMediaServer(this.workDir);
    this.files.onMissing = (p) => this.produce(p);
    this.hevcServer = new HevcFlvServer((key) => {
      const [channel, stream] = splitKey(key);
      const ch = this.channels.get(channel);
      if (ch?.codec !== 'h265') return null;
      return { source: this.ensureHevcFlv(channel, stream), form: ch.flvForm ?? 'legacy' };
    });
    const every = (opts.recordingEveryMinutes ?? 10) * 60_000;
    this.anchor = Math.floor(Date.now() / every) * every;
  }

  static async start(opts: MediaSimulatorOptions): Promise<MediaSimulator> {
    const sim = new MediaSimulator(opts);
    await sim.files.listen();
    await sim.hevcServer.listen();
    await sim.startServer();
    if (opts.prepareRecordings ?? true) sim.prepareNext();
    return sim;
  }

  /** Fault switches of the media side (HLS playlists, live and recorded); see StaticMediaServer.faults. */
  get faults(): { notFoundFirst: number; segmentDelayMs: number } {
    return this.files.faults;
  }

  /** What the HLS server served of a stream's live segments and playlists: whole and byte-range answers (StaticMediaServer.served). */
  hlsServed(channel: string, stream: StreamKind = 'sub') {
    return (
      this.files.served.get(`/live/${channel}_${stream}`) ?? { whole: 0, ranged: 0, wholeBytes: 0, rangedBytes: 0 }
    );
  }

  get hlsPort(): number {
    return this.files.port;
  }

  // ------------------------------------------------------------------ URLs

  /** HTTP-FLV URL; starts the publisher if needed (players wait for it). */
  flv(channel: string, stream: StreamKind = 'sub'): string {
    if (this.channel(channel).codec === 'h265') {
      this.ensureHevcFlv(channel, stream);
      return `http://127.0.0.1:${this.hevcServer.port}/live/${channel}_${stream}.flv`;
    }
    this.ensurePublisher(channel, stream);
    return `http://127.0.0.1:${this.httpPort}/live/${channel}_${stream}.flv`;
  }

  wsflv(channel: string, stream: StreamKind = 'sub'): string {
    if (this.channel(channel).codec === 'h265') throw new Error(`${channel} is H.265: HTTP-FLV only`);
    this.ensurePublisher(channel, stream);
    return `ws://127.0.0.1:${this.httpPort}/live/${channel}_${stream}.flv`;
  }

  /** HLS live (1-s segments): a remux of the FLV publisher, or the encoder's own for H.265. */
  hls(channel: string, stream: StreamKind = 'sub'): string {
    const ch = this.channel(channel);
    if (ch.codec === 'h265') this.ensurePublisher(channel, stream);
    else this.ensureHlsRemux(channel, stream);
    return `http://127.0.0.1:${this.hlsPort}/live/${channel}_${stream}/index.m3u8`;
  }

  /** The channel's recordings (HLS VOD), oldest first; each is generated on first request. */
  recordings(channel: string): Recording[] {
    this.channel(channel);
    const count = this.opts.recordingsPerChannel ?? 6;
    const every = (this.opts.recordingEveryMinutes ?? 10) * 60_000;
    const length = (this.opts.recordingMinutes ?? 2) * 60_000;
    const out: Recording[] = [];
    for (let k = count; k >= 1; k--) {
      const start = this.anchor - k * every;
      out.push({
        start,
        end: start + length,
        url: `http://127.0.0.1:${this.hlsPort}/rec/${channel}/${start}/index.m3u8`,
      });
    }
    return out;
  }

  // ------------------------------------------------------------------ faults

  async stopStream(channel: string, stream: StreamKind = 'sub'): Promise<void> {
    const p = this.publishers.get(`${channel}_${stream}`);
    if (!p) return;
    p.wanted = false;
    await p.proc?.stop();
    p.proc = null;
  }

  restartStream(channel: string, stream: StreamKind = 'sub'): void {
    this.ensurePublisher(channel, stream);
  }

  /** Freeze a publisher (SIGSTOP) for `ms`, then let it burst to catch up (SIGCONT). */
  stall(channel: string, stream: StreamKind, ms: number): void {
    const p =
      this.publishers.get(`${channel}_${stream}`)?.proc ?? this.hevcSources.get(`${channel}_${stream}`)?.source?.proc;
    if (!p?.child.pid || p.exited) return;
    try {
      process.kill(-p.child.pid, 'SIGSTOP');
      setTimeout(() => {
        try {
          process.kill(-p.child.pid!, 'SIGCONT');
        } catch {
          /* gone */
        }
      }, ms).unref();
    } catch {
      /* gone */
    }
  }

  /** Every `periodMs`, every publisher stalls for `stallMs` (field uplinks behave like this). */
  stallEvery(periodMs: number, stallMs: number): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = setInterval(() => {
      for (const key of [...this.publishers.keys(), ...this.hevcSources.keys()]) {
        const [channel, stream] = splitKey(key);
        this.stall(channel, stream, stallMs);
      }
    }, periodMs);
    this.stallTimer.unref();
  }

  /**
   * Kill node-media-server and start it again on the same ports after `downMs`; publishers
   * reconnect. The next server's process loads while the old one still serves, so the server is
   * away for `downMs` as asked, not for a Node start-up more (seconds on a loaded machine).
   */
  async restartServer(downMs = 0): Promise<void> {
    const next = this.spawnServer(true);
    await next.loaded;
    await this.nms?.stop();
    this.nms = null;
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    this.nms = next.proc;
    await next.listen();
    this.listenedAt = Date.now();
    // Cameras reconnect as soon as the server is back; don't leave them in their retry backoff.
    for (const [key, e] of this.publishers) {
      e.restarts = 0;
      if (!e.wanted || (e.proc && !e.proc.exited)) continue;
      if (key === SHARED_SUB) this.ensureSharedPublisher();
      else this.ensurePublisher(...splitKey(key));
    }
  }

  /**
   * After a restart: resolves once every camera wanted publishes to the server again, with the ms
   * since it listened (at most `timeoutMs`). Until then a camera exists for no client (the shift
   * bench counts none of its seconds).
   */
  async camerasBack(timeoutMs = 10_000): Promise<number> {
    const paths: string[] = [];
    for (const [key, e] of this.publishers) {
      if (!e.wanted) continue;
      if (key !== SHARED_SUB) paths.push(`/live/${key}`);
      else for (const c of this.channels.values()) if (this.sharesSubEncoder(c)) paths.push(`/live/${c.id}_sub`);
    }
    const end = Date.now() + timeoutMs;
    while (Date.now() < end && paths.some((p) => (this.publishedAt.get(p) ?? 0) < this.listenedAt)) await sleep(50);
    return Date.now() - this.listenedAt;
  }

  /**
   * Stop every live encoder and HLS remuxer (they start again when a URL is asked for). Tests call
   * it between cases: an encoder nobody watches still costs a fifth of a core here.
   */
  async releaseStreams(): Promise<void> {
    for (const p of this.publishers.values()) p.wanted = false;
    for (const h of this.hevcSources.values()) h.wanted = false;
    await Promise.all([...this.hevcSources.values()].map((h) => h.source?.proc.stop()));
    for (const h of this.hevcSources.values()) h.source = null;
    const remuxers = [...this.hlsRemuxers.keys()];
    const procs = [...this.hlsRemuxers.values()];
    this.hlsRemuxers.clear();
    await Promise.all([...[...this.publishers.values()].map((p) => p.proc?.stop()), ...procs.map((p) => p.stop())]);
    for (const p of this.publishers.values()) p.proc = null;
    // A stale live playlist would send the next player to segments that no longer come.
    for (const key of remuxers) fs.rmSync(path.dirname(this.liveDir(key, false)), { recursive: true, force: true });
  }

  /** A motion camera's script for one of its recordings: the ground truth of motion search. */
  motionScript(channel: string, start: number): MotionScript {
    const ch = this.channel(channel);
    const rec = this.recordings(channel).find((r) => r.start === start);
    if (!ch.motion || !rec) throw new Error(`${channel}/${start} is not a motion camera's recording`);
    return motionScript(channel, rec.start, Math.round((rec.end - rec.start) / 1000), ch.motion.seed);
  }

  /** Encode a recording now and wait until it is whole, so a test's clock starts at play. */
  async prepareRecording(channel: string, start: number): Promise<void> {
    const rec = this.recordings(channel).find((r) => r.start === start);
    if (!rec || !(await this.encoded(this.channel(channel), rec)))
      throw new Error(`recording ${channel}/${start} could not be generated`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.stallTimer) clearInterval(this.stallTimer);
    for (const p of this.publishers.values()) p.wanted = false;
    for (const h of this.hevcSources.values()) h.wanted = false;
    await Promise.all([...this.publishers.values()].map((p) => p.proc?.stop()));
    await Promise.all([...this.hevcSources.values()].map((h) => h.source?.proc.stop()));
    await this.hevcServer.close();
    await Promise.all([...this.hlsRemuxers.values()].map((p) => p.stop()));
    await Promise.all([...this.recordingJobs.values()].map((j) => j.proc.stop()));
    await Promise.all([...this.segmentJobs.values()].map((j) => j.proc.stop()));
    await this.nms?.stop();
    await this.files.close();
    // A folder it made itself (live segments, recordings, the server's store) goes with it.
    if (!this.opts.workDir) fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  // ------------------------------------------------------------------ processes

  private channel(id: string): SimChannel {
    const c = this.channels.get(id);
    if (!c) throw new Error(`unknown simulator channel ${id}`);
    return c;
  }

  private async startServer(): Promise<void> {
    this.rtmpPort = await freePort();
    this.httpPort = await freePort();
    const server = this.spawnServer(false);
    this.nms = server.proc;
    await server.listen();
  }

  /**
   * node-media-server's process on this simulator's ports. `held`: it loads and waits for
   * `listen()` before it opens its ports (a restart starts the next one while the old one serves).
   */
  private spawnServer(held: boolean): { proc: Proc; loaded: Promise<void>; listen(): Promise<void> } {
    const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), 'nms-runner.ts');
    const store = path.join(this.workDir, 'nms-store');
    const signal = () => {
      let fire: () => void = () => undefined;
      const fired = new Promise<void>((r) => (fire = r));
      // A runner that never says so is waited for no longer than this (its port is waited for next).
      return { fire, fired: Promise.race([fired, new Promise<void>((r) => setTimeout(r, 10_000))]) };
    };
    const loaded = signal();
    const ready = signal();
    const proc = spawnGroup(
      process.execPath,
      ['--import', 'tsx', runner, String(this.rtmpPort), String(this.httpPort), store, ...(held ? ['held'] : [])],
      {
        nice: this.opts.nice,
        log: (chunk) => {
          for (const line of chunk.split('\n')) {
            if (line === 'loaded') loaded.fire();
            else if (line === 'ready') ready.fire();
            else if (line.startsWith('published ')) {
              const streamPath = line.slice('published '.length);
              this.publishedAt.set(streamPath, Date.now());
              this.opts.onPublish?.(streamPath);
            }
          }
        },
      },
    );
    return {
      proc,
      loaded: loaded.fired,
      listen: async () => {
        if (held) {
          await loaded.fired;
          proc.child.kill('SIGUSR2');
        }
        await ready.fired;
        await waitForPort(this.httpPort);
      },
    };
  }

  private ensurePublisher(channel: string, stream: StreamKind): void {
    const ch = this.channel(channel);
    if (this.opts.liveLoopS && ch.codec !== 'h265') return this.ensureLoopPublisher(ch, stream);
    if (this.sharesSubEncoder(ch) && stream === 'sub') return this.ensureSharedPublisher();
    const key = `${channel}_${stream}`;
    let entry = this.publishers.get(key);
    if (!entry) this.publishers.set(key, (entry = { proc: null, wanted: true, restarts: 0 }));
    entry.wanted = true;
    if (entry.proc && !entry.proc.exited) return;
    const size = sizes[stream];
    const { inputs, graph } = liveInputs({
      ...size,
      rate: RATE,
      label: `${ch.name} ${stream === 'main' ? '720p' : '360p'}`,
    });
    const sound = liveSound(ch.audioCodec);
    const audioIn = ch.audio ? sound.input : [];
    const audioOut = ch.audio ? sound.output : [];
    const gop = Math.round(RATE * (ch.gopS ?? 1));
    const video =
      ch.codec === 'h265'
        ? ['-c:v', 'libx265', '-x265-params', 'keyint=25:min-keyint=25:bframes=0:log-level=error']
        : [
            '-c:v',
            'libx264',
            '-profile:v',
            'baseline',
            '-tune',
            'zerolatency',
            '-x264-params',
            `keyint=${gop}:min-keyint=${gop}:scenecut=0`,
          ];
    const output =
      ch.codec === 'h265'
        ? liveHls(this.liveDir(key, true))
        : ['-f', 'flv', `rtmp://127.0.0.1:${this.rtmpPort}/live/${key}`];
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      ...inputs,
      ...audioIn,
      '-filter_complex',
      graph,
      '-map',
      '[v]',
      ...audioOut,
      ...video,
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-g',
      String(ch.codec === 'h265' ? RATE : gop),
      '-bf',
      '0',
      '-b:v',
      size.bitrate,
      '-maxrate',
      size.bitrate,
      '-bufsize',
      size.bitrate,
      '-threads',
      '1',
      ...output,
    ];
    entry.proc = spawnGroup(ffmpegPath(), args, {
      nice: this.opts.nice,
      onExit: () => {
        // A publisher that dies (server restart, network) comes back with backoff while wanted.
        const e = this.publishers.get(key);
        if (!e || !e.wanted || this.stopped) return;
        e.restarts++;
        setTimeout(
          () => {
            if (e.wanted && !this.stopped && (!e.proc || e.proc.exited)) this.ensurePublisher(channel, stream);
          },
          Math.min(2000, 250 * e.restarts),
        ).unref();
      },
    });
  }

  /** Loop files being (or already) encoded, by `${channel}_${stream}` (liveLoopS). */
  private readonly loops = new Map<string, Promise<string>>();

  /** A channel's live stream as its loop sent by copy (liveLoopS): encoded once, then no encoder. */
  private ensureLoopPublisher(ch: SimChannel, stream: StreamKind): void {
    const key = `${ch.id}_${stream}`;
    let entry = this.publishers.get(key);
    if (!entry) this.publishers.set(key, (entry = { proc: null, wanted: true, restarts: 0 }));
    entry.wanted = true;
    if (entry.proc && !entry.proc.exited) return;
    const e = entry;
    void this.loopFile(ch, stream).then(
      (file) => {
        if (!e.wanted || this.stopped || (e.proc && !e.proc.exited)) return;
        const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-stream_loop', '-1', '-i', file];
        e.proc = spawnGroup(
          ffmpegPath(),
          [...args, '-c', 'copy', '-f', 'flv', `rtmp://127.0.0.1:${this.rtmpPort}/live/${key}`],
          {
            nice: this.opts.nice,
            onExit: () => {
              if (!e.wanted || this.stopped) return;
              e.restarts++;
              setTimeout(
                () => e.wanted && !this.stopped && this.ensureLoopPublisher(ch, stream),
                Math.min(2000, 250 * e.restarts),
              ).unref();
            },
          },
        );
      },
      () => this.loops.delete(key), // asked again, it is encoded again
    );
  }

  private loopFile(ch: SimChannel, stream: StreamKind): Promise<string> {
    const key = `${ch.id}_${stream}`;
    let file = this.loops.get(key);
    if (file) return file;
    const size = sizes[stream];
    const out = path.join(this.workDir, `loop-${key}.flv`);
    const font = fontFile();
    const label = `${ch.name} ${stream === 'main' ? '720p' : '360p'} (demo loop)`.replace(/[^A-Za-z0-9 _.()-]/g, '_');
    const fontsize = Math.round(size.height / 12);
    const text = (t: string, y: string) =>
      font
        ? `,drawtext=fontfile=${font}:text='${t}':fontcolor=white:fontsize=${fontsize}:box=1:boxcolor=black@0.6:x=(w-tw)/2:y=${y}`
        : '';
    const seconds = String(this.opts.liveLoopS);
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size.width}x${size.height}:rate=${RATE}`,
      ...(ch.audio ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100'] : []),
      '-t',
      seconds,
      '-vf',
      `format=yuv420p${text(label, 'h*0.12')}${text('%{pts\\:hms}', 'h*0.80')}`,
      ...(ch.audio ? ['-c:a', 'aac', '-b:a', '64k'] : []),
      '-c:v',
      'libx264',
      '-profile:v',
      'baseline',
      '-preset',
      'veryfast',
      '-x264-params',
      `keyint=${Math.round(RATE * (ch.gopS ?? 1))}:min-keyint=${Math.round(RATE * (ch.gopS ?? 1))}:scenecut=0`,
      '-bf',
      '0',
      '-b:v',
      size.bitrate,
      '-maxrate',
      size.bitrate,
      '-bufsize',
      size.bitrate,
      '-f',
      'flv',
      out,
    ];
    file = new Promise<string>((resolve, reject) => {
      spawnGroup(ffmpegPath(), args, {
        nice: this.opts.nice,
        onExit: (code) =>
          code === 0 ? resolve(out) : reject(new Error(`loop encode of ${key} failed (${String(code)})`)),
      });
    });
    this.loops.set(key, file);
    return file;
  }

  /**
   * The shared sub-stream encoder: one pattern, tee'd to every H.264 channel's sub stream; with
   * `subKeyPhases` N > 1, the pattern is encoded N times with key frames offset by 25/N frames.
   */
  private ensureSharedPublisher(): void {
    const key = SHARED_SUB;
    let entry = this.publishers.get(key);
    if (!entry) this.publishers.set(key, (entry = { proc: null, wanted: true, restarts: 0 }));
    entry.wanted = true;
    if (entry.proc && !entry.proc.exited) return;
    const channels = [...this.channels.values()].filter((c) => this.sharesSubEncoder(c));
    const phases = Math.max(1, Math.min(RATE, channels.length, Math.floor(this.opts.subKeyPhases ?? 1)));
    const { inputs, graph } = liveInputs({ ...sizes.sub, rate: RATE, label: 'Vigil shared 360p' });
    const split =
      phases > 1 ? `;[v]split=${phases}${Array.from({ length: phases }, (_, k) => `[v${k}]`).join('')}` : '';
    const outputs = Array.from({ length: phases }, (_, k) => {
      const targets = channels
        .filter((_c, i) => i % phases === k)
        .map((c) => `[f=flv:onfail=ignore]rtmp://127.0.0.1:${this.rtmpPort}/live/${c.id}_sub`);
      return [
        '-map',
        phases > 1 ? `[v${k}]` : '[v]',
        '-c:v',
        'libx264',
        '-profile:v',
        'baseline',
        '-tune',
        'zerolatency',
        '-x264-params',
        'keyint=25:min-keyint=25:scenecut=0',
        // this output's key frames: frame 0, then every second from frame k·25/N on
        ...(phases > 1 ? ['-force_key_frames', `expr:eq(mod(n,${RATE}),${Math.round((k * RATE) / phases)})`] : []),
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-g',
        String(RATE),
        '-bf',
        '0',
        '-b:v',
        sizes.sub.bitrate,
        '-maxrate',
        sizes.sub.bitrate,
        '-bufsize',
        sizes.sub.bitrate,
        // tee needs SPS/PPS in the codec extradata, or each FLV output gets an empty AVC header
        '-flags',
        '+global_header',
        '-f',
        'tee',
        targets.join('|'),
      ];
    });
    entry.proc = spawnGroup(
      ffmpegPath(),
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        ...inputs,
        '-filter_complex',
        graph + split,
        ...outputs.flat(),
      ],
      {
        nice: this.opts.nice,
        onExit: () => {
          const e = this.publishers.get(key);
          if (!e || !e.wanted || this.stopped) return;
          e.restarts++;
          setTimeout(() => !this.stopped && this.ensureSharedPublisher(), Math.min(2000, 250 * e.restarts)).unref();
        },
      },
    );
  }

  /**
   * The x265 encoder behind a channel's H.265 FLV (Annex-B on stdout, muxed by HevcFlvSource);
   * video-only sub streams share one when `sharedSubEncoder` is set, like the H.264 ones.
   */
  private ensureHevcFlv(channel: string, stream: StreamKind): HevcFlvSource {
    const ch = this.channel(channel);
    const shared = !!this.opts.sharedSubEncoder && !ch.audio && !ch.jitterMs && stream === 'sub';
    const key = shared ? SHARED_SUB_HEVC : `${channel}_${stream}`;
    let entry = this.hevcSources.get(key);
    if (!entry) this.hevcSources.set(key, (entry = { source: null, wanted: true, restarts: 0 }));
    entry.wanted = true;
    if (entry.source && !entry.source.proc.exited) return entry.source;
    const size = sizes[stream];
    const { inputs, graph } = liveInputs({
      ...size,
      rate: RATE,
      label: `${shared ? 'H265' : ch.name} ${stream === 'main' ? '720p' : '360p'}`,
    });
    const args = [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', ...inputs, ...(ch.audio ? AUDIO_TONE : [])],
      ...['-filter_complex', graph, '-map', '[v]'],
      ...['-c:v', 'libx265', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
      // a key frame a second, parameter sets with each, access unit delimiters (the muxer splits pictures on them)
      ...[
        '-x265-params',
        `keyint=${RATE}:min-keyint=${RATE}:scenecut=0:bframes=0:aud=1:repeat-headers=1:log-level=error`,
      ],
      ...['-b:v', size.bitrate, '-maxrate', size.bitrate, '-bufsize', size.bitrate],
      ...['-f', 'hevc', '-flush_packets', '1', 'pipe:1'],
      // A channel with audio: an AAC tone on fd 3 (ADTS), muxed beside the pictures.
      ...(ch.audio ? ['-map', '2:a', '-c:a', 'aac', '-b:a', '64k', '-f', 'adts', '-flush_packets', '1', 'pipe:3'] : []),
    ];
    const e = entry;
    const proc = spawnGroup(ffmpegPath(), args, {
      nice: this.opts.nice,
      fd3: !!ch.audio,
      onExit: () => {
        if (!e.wanted || this.stopped) return;
        e.restarts++;
        setTimeout(
          () => e.wanted && !this.stopped && (!e.source || e.source.proc.exited) && this.ensureHevcFlv(channel, stream),
          Math.min(2000, 250 * e.restarts),
        ).unref();
      },
    });
    e.source = new HevcFlvSource(
      proc,
      { ...size, fps: RATE },
      { jitterMs: shared ? 0 : ch.jitterMs, audio: !!ch.audio },
    );
    return e.source;
  }

  private sharesSubEncoder(ch: SimChannel): boolean {
    return !!this.opts.sharedSubEncoder && ch.codec !== 'h265' && !ch.audio && !ch.gopS;
  }

  private liveDir(key: string, create: boolean): string {
    const dir = path.join(this.workDir, 'live', key);
    if (create) fs.mkdirSync(dir, { recursive: true });
    return path.join(dir, 'index.m3u8');
  }

  private ensureHlsRemux(channel: string, stream: StreamKind): void {
    const key = `${channel}_${stream}`;
    const existing = this.hlsRemuxers.get(key);
    if (existing && !existing.exited) return;
    this.ensurePublisher(channel, stream);
    // Read over RTMP: node-media-server's FLV header always claims audio, and ffmpeg then waits
    // for audio packets that never come. Probe half a second, not the default 5 s: the first
    // segment then comes a second after the publisher's first keyframe, not five.
    const source = `rtmp://127.0.0.1:${this.rtmpPort}/live/${key}`;
    const proc = spawnGroup(
      ffmpegPath(),
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        '-analyzeduration',
        '500000',
        '-i',
        source,
        '-c',
        'copy',
        ...liveHls(this.liveDir(key, true)),
      ],
      {
        nice: this.opts.nice,
        onExit: () => {
          // Restarted while still registered (releaseStreams() unregisters it first).
          if (!this.stopped && this.hlsRemuxers.get(key) === proc)
            setTimeout(
              () => !this.stopped && this.hlsRemuxers.get(key) === proc && this.ensureHlsRemux(channel, stream),
              500,
            ).unref();
        },
      },
    );
    this.hlsRemuxers.set(key, proc);
  }

  /**
   * What the file server asks for when a file is absent: a recording's playlist (computed, at
   * once), a segment of a recording being encoded (when written), a live playlist (when its first
   * segment is).
   */
  private async produce(urlPath: string): Promise<boolean | Buffer | Readable> {
    const live = /^\/live\/([A-Za-z0-9_-]+)_(main|sub)\/index\.m3u8$/.exec(urlPath);
    if (live) return this.livePlaylist(live[1]!, live[2] as StreamKind);
    const m = /^\/rec\/([A-Za-z0-9_-]+)\/(\d+)\/(index\.m3u8|seg(\d{5})\.ts)$/.exec(urlPath);
    if (!m) return false;
    const [, channel, startText, name, segment] = m as unknown as [string, string, string, string, string | undefined];
    const rec = this.channels.has(channel)
      ? this.recordings(channel).find((r) => r.start === Number(startText))
      : undefined;
    if (!rec) return false;
    const ch = this.channel(channel);
    if (segment === undefined) return Buffer.from(recordingPlaylist(rec));
    return this.segment(ch, rec, name, Number(segment));
  }

  /** A live playlist appears with its first segment: start what writes it and wait for that. */
  private async livePlaylist(channel: string, stream: StreamKind): Promise<boolean> {
    if (!this.channels.has(channel)) return false;
    this.hls(channel, stream);
    const file = this.liveDir(`${channel}_${stream}`, false);
    for (const until = Date.now() + LIVE_WAIT_MS; Date.now() < until && !this.stopped; await sleep(50))
      if (fs.existsSync(file)) return true;
    return false;
  }

  /**
   * A recording's segment: from the finished recording, the encoder's folder once it has begun
   * the next one, a segment encoded earlier on its own, or encoded on its own now (sent as it
   * is written). The next REC_AHEAD are encoded meanwhile, for a player reading on.
   */
  private async segment(
    ch: SimChannel,
    rec: Recording,
    name: string,
    index: number,
  ): Promise<Buffer | Readable | false> {
    if (index >= segmentsOf(rec).length) return false;
    const ready = await this.segmentOnDisk(ch, rec, index);
    if (ready) {
      this.encodeAhead(ch, rec, index);
      return ready;
    }
    const job = this.encodeSegment(ch, rec, index);
    if (!job || !(await job.started())) return false;
    this.encodeAhead(ch, rec, index);
    return job.reader();
  }

  private async segmentOnDisk(ch: SimChannel, rec: Recording, index: number): Promise<Buffer | null> {
    const name = segmentName(index);
    const dir = this.recordingDir(ch.id, rec.start);
    const read = (file: string) => fs.promises.readFile(file).catch(() => null);
    const whole =
      (await read(path.join(dir, name))) ?? (await read(path.join(this.segmentDir(ch.id, rec.start), name)));
    if (whole) return whole;
    const job = this.recordingJobs.get(`${ch.id}/${rec.start}`);
    if (job && !job.proc.exited && fs.existsSync(path.join(`${dir}.partial`, segmentName(index + 1))))
      return read(path.join(`${dir}.partial`, name));
    return null;
  }

  /** Encode the segments a player reading on from `index` asks for next, unless they are there or on their way. */
  private encodeAhead(ch: SimChannel, rec: Recording, index: number): void {
    for (let next = index + 1; next <= index + REC_AHEAD && next < segmentsOf(rec).length; next++) {
      if (this.stopped) return;
      const name = segmentName(next);
      if (
        fs.existsSync(path.join(this.recordingDir(ch.id, rec.start), name)) ||
        fs.existsSync(path.join(this.segmentDir(ch.id, rec.start), name))
      )
        continue;
      this.encodeSegment(ch, rec, next);
    }
  }

  /**
   * One segment of a recording, encoded alone: the recording's picture from the segment's start
   * (its clock is the frame's own time) with the timestamps the whole recording gives it.
   */
  private encodeSegment(ch: SimChannel, rec: Recording, index: number): SegmentEncode | null {
    const key = `${ch.id}/${rec.start}/${index}`;
    const running = this.segmentJobs.get(key);
    if (running) return running;
    if (this.stopped) return null;
    const fromS = index * REC_SEGMENT_S;
    const args = [
      ...recordingEncodeArgs(ch, rec, fromS, segmentsOf(rec)[index]!),
      ...['-output_ts_offset', String(fromS), '-flush_packets', '1', '-f', 'mpegts', 'pipe:1'],
    ];
    const job = new SegmentEncode(
      spawnGroup(ffmpegPath(), args, { nice: this.opts.recordingNice }),
      path.join(this.segmentDir(ch.id, rec.start), segmentName(index)),
    );
    this.segmentJobs.set(key, job);
    void job.done.then(() => this.segmentJobs.delete(key));
    return job;
  }

  private segmentDir(channel: string, start: number): string {
    return path.join(this.workDir, 'rec-segments', channel, String(start));
  }

  private recordingDir(channel: string, start: number): string {
    return path.join(this.workDir, 'rec', channel, String(start));
  }

  /** The recording whole on disk (encoding it now if needed). */
  private async encoded(ch: SimChannel, rec: Recording): Promise<boolean> {
    const index = path.join(this.recordingDir(ch.id, rec.start), 'index.m3u8');
    while (!this.stopped) {
      if (fs.existsSync(index)) return true;
      if (!(await this.encode(ch, rec, true))) return fs.existsSync(index);
    }
    return false;
  }

  /**
   * Make sure an encoder writes the recording: a background (niced) one is replaced by one at
   * normal priority when the recording is asked for. Resolves true when it is whole.
   */
  private encode(ch: SimChannel, rec: Recording, urgent: boolean): Promise<boolean> {
    const key = `${ch.id}/${rec.start}`;
    if (fs.existsSync(path.join(this.recordingDir(ch.id, rec.start), 'index.m3u8'))) return Promise.resolve(true);
    const job = this.recordingJobs.get(key);
    if (job && (job.urgent || !urgent)) return job.done;
    if (!job) return this.generateRecording(ch, rec, urgent, key);
    // Until the niced encoder is gone, its entry stands for the urgent one that follows.
    const done = job.proc.stop().then(() => this.generateRecording(ch, rec, true, key));
    this.recordingJobs.set(key, { proc: job.proc, urgent: true, done });
    return done;
  }

  /** Background preparation: the next recording nobody has encoded yet, one at a time (each tried once). */
  private prepareNext(): void {
    if (this.stopped) return;
    for (const ch of this.channels.values()) {
      for (const rec of this.recordings(ch.id)) {
        const key = `${ch.id}/${rec.start}`;
        if (
          this.prepared.has(key) ||
          this.recordingJobs.has(key) ||
          fs.existsSync(path.join(this.recordingDir(ch.id, rec.start), 'index.m3u8'))
        )
          continue;
        this.prepared.add(key);
        void this.encode(ch, rec, false).then(() => this.prepareNext());
        return;
      }
    }
  }

  private generateRecording(ch: SimChannel, rec: Recording, urgent: boolean, key: string): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    const dir = this.recordingDir(ch.id, rec.start);
    const tmp = `${dir}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const seconds = Math.round((rec.end - rec.start) / 1000);
    const args = [
      ...recordingEncodeArgs(ch, rec, 0, seconds),
      '-f',
      'hls',
      '-hls_time',
      String(REC_SEGMENT_S),
      '-hls_playlist_type',
      'vod',
      '-hls_segment_filename',
      path.join(tmp, 'seg%05d.ts'),
      path.join(tmp, 'index.m3u8'),
    ];
    let resolve: (ok: boolean) => void = () => undefined;
    const done = new Promise<boolean>((r) => (resolve = r));
    const niced = !urgent && niceAvailable();
    // Background encodes yield the CPU to everything else (live encoders, players under test)
    // and keep to one thread.
    const background = [...args.slice(0, -1), '-threads', '1', args.at(-1)!];
    const began = Date.now();
    const proc = spawnGroup(ffmpegPath(), niced ? background : args, {
      nice: niced ? 19 : urgent ? this.opts.recordingNice : undefined,
      onExit: (code) => {
        if (this.recordingJobs.get(key) === job) this.recordingJobs.delete(key);
        this.opts.onRecording?.({
          channel: ch.id,
          start: rec.start,
          urgent,
          seconds: (Date.now() - began) / 1000,
          ok: code === 0 && !this.stopped,
        });
        if (code !== 0 || this.stopped) return resolve(false);
        // Written aside, then moved under its final name: a reader never sees half a recording.
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(tmp, dir);
        resolve(true);
      },
    });
    const job = { proc, urgent, done };
    this.recordingJobs.set(key, job);
    return done;
  }
}

/**
 * The encoder of a recording from `fromS` seconds on, for `seconds`, up to its output options:
 * one for the whole recording (HLS) and one for each segment alone (MPEG-TS) give the same
 * pictures, key frames and timestamps.
 */
function recordingEncodeArgs(ch: SimChannel, rec: Recording, fromS: number, seconds: number): string[] {
  // A camera with sound records SOUND_TONE_HZ in AAC (input 0; the pictures come from the graph).
  const tone = ch.audio ? ['-f', 'lavfi', '-i', `sine=frequency=${SOUND_TONE_HZ}:sample_rate=16000`] : [];
  const toneOut = ch.audio ? ['-map', '0:a', '-c:a', 'aac', '-b:a', '48k', '-ac', '1'] : [];
  if (ch.motion && ch.codec !== 'h265') {
    const script = motionScript(ch.id, rec.start, Math.round((rec.end - rec.start) / 1000), ch.motion.seed);
    const strip = clockStripFilter(rec.start + fromS * 1000, RATE);
    return [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', ...tone],
      ...['-filter_complex', motionGraph(script, fromS, strip, RATE), '-map', '[v]', ...toneOut],
      ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
      ...[
        '-g',
        String(MOTION_GOP),
        '-keyint_min',
        String(MOTION_GOP),
        '-sc_threshold',
        '0',
        '-bf',
        '0',
        '-b:v',
        '400k',
      ],
    ];
  }
  const graph = patternGraph({
    ...sizes.sub,
    rate: RATE,
    label: `${ch.name} REC`,
    epochAtZeroMs: rec.start + fromS * 1000,
  });
  return [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin', ...tone, '-filter_complex', graph, '-map', '[v]'],
    ...[...toneOut, '-t', String(seconds)],
    ...(ch.codec === 'h265'
      ? // closed GOPs (IDR) every 2 s and no B-frames, as cameras send: the segments are the playlist's, a seek
        // finds key frames, and a segment encoded alone has the timestamps it has in the whole recording
        [
          ...['-c:v', 'libx265'],
          ...[
            '-x265-params',
            `keyint=${RATE * REC_SEGMENT_S}:min-keyint=${RATE * REC_SEGMENT_S}:scenecut=0:open-gop=0:bframes=0:log-level=error`,
          ],
        ]
      : ['-c:v', 'libx264']),
    ...['-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-g', String(RATE * REC_SEGMENT_S), '-keyint_min', String(RATE * REC_SEGMENT_S), '-sc_threshold', '0'],
    ...['-bf', '0', '-b:v', '400k'],
  ];
}

const segmentName = (index: number) => `seg${String(index).padStart(5, '0')}.ts`;

/** The 2-s segments of a recording (the last one shorter when the length is odd). */
function segmentsOf(rec: Recording): number[] {
  const seconds = Math.round((rec.end - rec.start) / 1000);
  const n = Math.ceil(seconds / REC_SEGMENT_S);
  return Array.from({ length: n }, (_, i) => (i < n - 1 ? REC_SEGMENT_S : seconds - REC_SEGMENT_S * (n - 1)));
}

/** The VOD playlist ffmpeg writes for a recording, known before it is encoded. */
export function recordingPlaylist(rec: Recording): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${REC_SEGMENT_S}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
  ];
  for (const [i, d] of segmentsOf(rec).entries()) lines.push(`#EXTINF:${d.toFixed(6)},`, segmentName(i));
  return [...lines, '#EXT-X-ENDLIST', ''].join('\n');
}

function splitKey(key: string): [string, StreamKind] {
  const i = key.lastIndexOf('_');
  return [key.slice(0, i), key.slice(i + 1) as StreamKind];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`media server did not open port ${port}`);
}
