import Hls, { type ErrorData, type HlsConfig } from 'hls.js';
import { codecSupported } from './codecs';
import { edgePlaylistLoader } from './hls-edge-loader';
import { Emitter } from '../session/emitter';
import type { DecodeRate } from '../../../preload/contract';
import { avcTrackOf, keyFrameOf, type AvcTrack } from '../key-frames/fmp4-key-frame';
import { HlsKeyRefresh } from '../key-frames/hls-key-refresh';
import type { KeyFrameDecoder, KeyFrameDecoders } from '../key-frames/key-frame-decoder';
import { tsKeyFrameOf } from '../key-frames/ts-key-frame';
import { onQuiet, onStall, resumePosition, startTarget, type LatencyTarget } from './live-latency';
import type { Player, PlayerEvents, PlaySource, StreamMeasures } from '../session/types';

/**
 * HLS live and VOD through hls.js. Live: blocking playlist reload (done by the client for origins
 * that lack it, see hls-edge-loader), sync close to the edge (1-s segments), catch up by playback
 * rate, small back buffer. VOD: plain config, seekable.
 */
// Measured (`bench -- wall --mode hls`): with the edge loader, sync 1.2 s gave 1.34 / 1.48 / 1.59 s
// glass-to-glass p95 at 9 / 16 / 25 panes on a quiet machine. Under load (5–10) segments land
// 0.1–0.7 s after their last frame (0.05–0.1 s of it the origin, 0.1–0.45 s noticing and fetching
// it), some panes stalled once, and hls.js then added a whole segment to the target for good:
// 2.2 s target, 2.3 s glass-to-glass. live-latency.ts steps 0.2 s per stall instead.
// Catch-up ≤ 1.1× (1.2× dropped frames).
export const liveHlsConfig: Partial<HlsConfig> = {
  // also makes hls.js ask for the next segment as soon as one arrives (`_HLS_msn`)
  lowLatencyMode: true,
  // until the playlist says its segment length; then live-latency.ts sets it (hls.targetLatency)
  liveSyncDuration: 1.25,
  // hls.js would add a whole segment at the first stall, for good; live-latency.ts steps instead
  liveSyncOnStallIncrease: 0,
  liveMaxLatencyDuration: 3,
  maxLiveSyncPlaybackRate: 1.1,
  backBufferLength: 8,
  maxBufferLength: 4,
  enableWorker: true,
  manifestLoadingTimeOut: 8000,
  // a multi-variant stream plays no variant bigger than the pane: small panes decode little
  capLevelToPlayerSize: true,
};

/** How much later a key-frame pane asks for its newest segment than a full-rate one (ms, spread per pane). */
const KEY_LAG_MS = [250, 650] as const;

/** A key-frame pane whose newest segment is older than this (or 3 segments) has stalled: the owner reconnects. */
const KEY_STALL_MS = 10_000;

/**
 * A key-frame pane whose pictures a worker decodes from each segment's first frame
 * (key-frame-decoder.ts) moves its paused video on only once it is this far (media time) behind
 * the newest segment, so its buffer stays bounded: not to every segment (a seek and a decode on the
 * media thread each).
 */
const FED_STEP_S = 5;

/**
 * hls.js must not move that video itself meanwhile (on each playlist reload it seeks a video more
 * than liveMaxLatencyDuration behind the playlist's edge, to a point between key frames: tens of
 * frames decoded) nor stop loading ahead of it (maxBufferLength, where the playlist gives no
 * bitrate; with one, hls.js buffers up to maxBufferSize): while the pane is at key frames both
 * are raised past the step, the segment not yet buffered and the playlist's lag (3 segments).
 */
function keyLimits(segmentS: number): Partial<HlsConfig> {
  return { maxBufferLength: FED_STEP_S + 3 * segmentS, liveMaxLatencyDuration: FED_STEP_S + 3 * segmentS };
}
const FULL_LIMITS: Partial<HlsConfig> = {
  maxBufferLength: liveHlsConfig.maxBufferLength,
  liveMaxLatencyDuration: liveHlsConfig.liveMaxLatencyDuration,
};

/** A decoder whose last picture is older than this (or 1.5 segments) is not making them (yet, or any more): the video steps every segment. */
const PICTURES_COMING_MS = 3000;

export const vodHlsConfig: Partial<HlsConfig> = {
  backBufferLength: 30,
  maxBufferLength: 30,
  enableWorker: true,
  // recordings may be produced on first request
  manifestLoadingTimeOut: 30_000,
};

/**
 * Off in every engine: hls.js loads only the addresses the playlists name, which the relay has
 * made its own. A content-steering manifest is JSON the relay passes as it came, and its pathways
 * would send the page to other hosts (every loopback port is in its connect-src); an
 * interstitial's X-ASSET-LIST is not an address the relay rewrites. Cameras play neither.
 */
const RELAYED_ONLY: Partial<HlsConfig> = { contentSteeringController: undefined, interstitialsController: undefined };

/** The config of a pane's engine: live (with its edge playlist loader) or VOD. */
export function hlsConfig(live: boolean, pLoader?: HlsConfig['pLoader']): Partial<HlsConfig> {
  return { ...(live ? { ...liveHlsConfig, pLoader } : vodHlsConfig), ...RELAYED_ONLY };
}

export class HlsPlayer implements Player {
  /** `decoders`: the window's key-frame decoding (live panes' pictures at key frames); none for recordings. */
  constructor(private readonly decoders: KeyFrameDecoders | null = null) {}

  private readonly events = new Emitter<PlayerEvents>();
  private engine: Hls | null = null;
  private video: HTMLVideoElement | null = null;
  private startedAt = 0;
  private firstFrameSeen = false;
  private bytes = 0;
  private live = false;
  private rate: DecodeRate = 'full';
  private lastFragAt = 0;
  private stallTimer: ReturnType<typeof setInterval> | null = null;
  /** live: the target latency this pane has learnt (null until the playlist's segment length is known) */
  private latency: LatencyTarget | null = null;
  private latencyAt = 0;
  private segmentS = 1;
  /** Decodes the first frame of each new segment off the main thread while the pane is at key frames (live H.264). */
  private keyDecoder: KeyFrameDecoder | null = null;
  private avcTrack: AvcTrack | null = null;
  /** The newest buffered segment's first frame (media time) and its media sequence number. */
  private newestStart = -1;
  private newestSn = -1;
  /**
   * At key frames with the worker's pictures coming: hls.js stopped, the newest segment's key frame
   * fetched by this instead (hls-key-refresh.ts). Null at full rate, and where it cannot be used.
   */
  private refresh: HlsKeyRefresh | null = null;
  /** This stream's segments gave the refresh no key frame it could read: hls.js loads at key frames too. */
  private refreshUnusable = false;
  /** The newest segment the refresh showed, where it opens (media time), how long it is and when it was listed (performance.now()). */
  private refreshedSn = -1;
  private refreshedStart = -1;
  private refreshedDurationS = 0;
  private refreshedListedAt = 0;
  /** Back at full rate from the refresh: the media time the video is being moved to (its picture stays up until then), and since when. */
  private resumeAt: number | null = null;
  private resumeSince = 0;
  /** When hls.js buffered the newest segment (performance.now()). */
  private newestAt = 0;
  /**
   * Held unseen (rate 'none'): where the stream stood when loading stopped (the newest segment's
   * start in media time, its length, when it was listed), to come back at live from.
   */
  private heldAt: { startS: number; durationS: number; listedAtMs: number } | null = null;
  /** Seen again after a hold: the first playlist loaded says whether the position guessed is in it. */
  private checkResume = false;
  codec = '';
  private readonly onFrame = () => {
    if (this.firstFrameSeen || !this.video) return;
    if (this.video.currentTime > 0 || (this.video.getVideoPlaybackQuality?.().totalVideoFrames ?? 0) > 0) {
      this.firstFrameSeen = true;
      this.events.emit('first-frame', { ttffMs: performance.now() - this.startedAt });
    }
  };

  on<E extends keyof PlayerEvents>(event: E, listener: (payload: PlayerEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  attach(video: HTMLVideoElement): void {
    this.video = video;
  }

  get receivedBytes(): number {
    return this.bytes;
  }

  readonly protocol = 'hls' as const;
  /** Key-frame intervals and frames cut are FLV's (flv-rate.ts): none here. */
  /**
   * A live stream can be held unseen: hls.js stops loading (playlists too) and the video waits
   * paused; seen again, it loads from the live position (setRate). Nothing for the relay to cut: it
   * fetches only what the page asks for.
   */
  readonly can = { hold: true, relayCut: false, fullUntilFirstFrame: false };

  /** It times no key frames (a segment opens on one) and cuts nothing in the page. */
  measures(): StreamMeasures {
    return { keyFrameIntervalMs: null, framesCutInPage: 0 };
  }

  /** Live and muted: its rate can be reduced (pausing the video would silence audio someone listens to). */
  get reducible(): boolean {
    return this.live && (this.video?.muted ?? true);
  }

  /**
   * The decode budget's key-frame refresh for live HLS: the pane shows the first frame (a key
   * frame) of each new segment — decoded in the worker, first from what hls.js appends (its <video>
   * paused and moved on every FED_STEP_S), then, once those pictures come, with hls.js stopped and
   * the newest segment fetched alone (hls-key-refresh.ts); or, without that decoder, the video
   * itself put on each new segment's first frame as hls.js buffers it — so a few frames a segment
   * are decoded instead of every frame. 'full' plays on from the newest segment or, from the
   * refresh, at the live position (hls.js loading again from there, live-latency.ts resumePosition).
   */
  setRate(rate: DecodeRate): void {
    const [video, hls] = [this.video, this.engine];
    if (rate === this.rate || !this.live || !video || !hls) return;
    const from = this.rate === 'none' ? this.unhold(hls, video) : null;
    this.rate = rate;
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
    if (rate === 'none') return this.hold(hls, video);
    Object.assign(hls.config, rate === 'key' ? keyLimits(this.segmentS) : FULL_LIMITS);
    if (rate === 'key') {
      video.pause();
      this.lastFragAt = performance.now();
      // (back at key frames before the video reached the picture's segment: it need not now)
      this.resumeAt = null;
      this.decoders?.setMoving(video, false);
      const stallMs = Math.max(KEY_STALL_MS, 3000 * this.segmentS);
      this.stallTimer = setInterval(() => {
        if (performance.now() - this.lastFragAt > stallMs)
          this.events.emit('error', { fatal: true, reason: `no new segment for ${Math.round(stallMs / 1000)} s` });
        // Its decoder failed or went silent: the video makes the pictures, so hls.js must move it
        // again (and stops again once the decoder's pictures come back).
        else if (this.refresh && video && !this.decoders?.of(video)) this.stopRefresh();
      }, 500);
    } else if (from !== null || this.refresh) {
      // hls.js loads again at the live position (its target latency behind the edge, never before
      // the picture), and the video goes there; until it is, key-picture.ts keeps the picture up
      // (the video holds a frame from when hls.js stopped).
      const at = (this.resumeAt =
        from ??
        this.stopRefresh(
          false,
          resumePosition({ ...this.refreshedSegment(), nowMs: performance.now(), targetS: this.targetS() }),
        ));
      this.resumeSince = performance.now();
      this.decoders?.setMoving(video, true);
      video.currentTime = at + 0.01;
      void video.play().catch(() => undefined);
    } else {
      // On from the newest segment: a video whose pictures were decoded elsewhere may be seconds behind
      // (key-picture.ts keeps the picture up until this seek is done).
      if (this.newestStart > video.currentTime + 0.5) video.currentTime = this.newestStart + 0.01;
      void video.play().catch(() => undefined);
    }
    this.events.emit('rate', { rate });
  }

  /**
   * Held unseen: nothing loaded or decoded (hls.js stopped, the refresh too, the video paused on
   * its frame). Where the stream stood is kept: seen again, the pane comes back at live (unhold),
   * without asking the platform for a new address.
   */
  private hold(hls: Hls, video: HTMLVideoElement): void {
    this.heldAt = this.refresh
      ? this.refreshedSegment()
      : this.newestStart >= 0
        ? { startS: this.newestStart, durationS: this.segmentS, listedAtMs: this.newestAt }
        : null;
    this.refresh?.stop();
    this.refresh = null;
    this.resumeAt = null;
    this.checkResume = false;
    this.decoders?.setMoving(video, false);
    hls.stopLoad();
    video.pause();
    this.events.emit('rate', { rate: 'none' });
  }

  /**
   * Seen again: hls.js loads from where the live stream is now (its camera went on meanwhile: the
   * held segment's start plus all the time since, the target latency behind the edge), and the
   * video is put there (the returned media time; null where nothing had been buffered). The first
   * playlist loaded corrects the guess if the stream did not go on as the clock did (checkResume).
   */
  private unhold(hls: Hls, video: HTMLVideoElement): number | null {
    const held = this.heldAt;
    this.heldAt = null;
    const from = held
      ? resumePosition({ ...held, nowMs: performance.now(), targetS: this.targetS(), stoppedOnPurpose: true })
      : null;
    this.checkResume = from !== null;
    // The video first: hls.js loads from where it is once it has played (not the held position).
    if (from !== null) video.currentTime = from + 0.01;
    hls.startLoad(from ?? -1, true);
    this.latencyAt = performance.now(); // the hold was no quiet playing (live-latency.ts onQuiet)
    return from;
  }

  /**
   * The first playlist after a hold: a position guessed outside it (the camera stopped or started
   * again while held: its media time did not follow the clock) goes to the playlist's live
   * position instead — hls.js would wait for segments past its edge, or play what is left of the
   * window before it.
   */
  private checkResumed(hls: Hls, video: HTMLVideoElement, details: { fragmentStart: number; edge: number }): void {
    if (!this.checkResume) return;
    this.checkResume = false;
    const at = video.currentTime;
    const live = hls.liveSyncPosition;
    if (live === null || (at >= details.fragmentStart && at <= details.edge)) return;
    if (this.resumeAt !== null) this.resumeAt = live;
    video.currentTime = live + 0.01;
  }

  /** The newest segment the refresh showed: where it opens (media time), how long it is, when it was listed. */
  private refreshedSegment(): { startS: number; durationS: number; listedAtMs: number } {
    return { startS: this.refreshedStart, durationS: this.refreshedDurationS, listedAtMs: this.refreshedListedAt };
  }

  /** The pane's live target latency (s): as it has learnt it, else the config's start. */
  private targetS(): number {
    return this.latency?.targetS ?? liveHlsConfig.liveSyncDuration!;
  }

  load(source: PlaySource): void {
    if (!this.video) throw new Error('attach a <video> first');
    this.teardown();
    if (!Hls.isSupported()) {
      this.events.emit('error', { fatal: true, reason: 'this browser has no MediaSource for HLS' });
      return;
    }
    this.startedAt = performance.now();
    this.firstFrameSeen = false;
    this.bytes = 0;
    this.live = source.live;
    this.rate = 'full';
    this.latency = null;
    [this.newestStart, this.newestSn, this.avcTrack, this.refreshUnusable] = [-1, -1, null, false];
    [this.heldAt, this.checkResume] = [null, false];
    const video = this.video;
    this.keyDecoder = source.live ? (this.decoders?.open(video) ?? null) : null;
    // One edge loader per player: it remembers when this pane's playlist last grew.
    // A key-frame pane's newest segment comes KEY_LAG_MS later, each pane at its own lag.
    const lag = KEY_LAG_MS[0] + Math.random() * (KEY_LAG_MS[1] - KEY_LAG_MS[0]);
    const pLoader = edgePlaylistLoader(undefined, () => (this.rate === 'key' ? lag : 0));
    const hls = new Hls(hlsConfig(source.live, pLoader));
    this.engine = hls;
    hls.on(Hls.Events.FRAG_LOADED, (_e, data) => {
      this.bytes += data.frag.stats.total;
    });
    hls.on(Hls.Events.FRAG_BUFFERED, (_e, data) => {
      if (data.frag.type !== 'main') return;
      this.quiet(hls);
      // (an older segment buffered again, after a gap: the newest stays the newest)
      const start = data.frag.startPTS ?? data.frag.start;
      if (start > this.newestStart && typeof data.frag.sn === 'number')
        [this.newestStart, this.newestSn, this.newestAt] = [start, data.frag.sn, performance.now()];
      if (this.resumeAt !== null && this.video) this.moveToPicture(this.video, start, start + data.frag.duration);
      if (this.rate !== 'key' || !this.video) return;
      const now = (this.lastFragAt = performance.now());
      // Pictures decoded elsewhere, and coming: hls.js stops and the refresh fetches them; without
      // the refresh the video only moves on now and then (FED_STEP_S). Until the first comes (the
      // worker starting: 2 s once, on a loaded machine) the video is what shows.
      const decoder = this.decoders?.of(this.video);
      const fed = decoder && now - decoder.pictureAt < Math.max(PICTURES_COMING_MS, 1500 * this.segmentS);
      if (fed && this.startRefresh(hls, decoder, data.frag.level)) return;
      if (fed && this.newestStart - this.video.currentTime < FED_STEP_S) return;
      // Just past the segment's first frame: the paused <video> shows that key frame.
      const at = this.newestStart + 0.01;
      if (at > this.video.currentTime) this.video.currentTime = at;
    });
    // A key-frame pane's picture: the first frame of each segment as it is appended, to the worker.
    // (keyFrameOf never throws: nothing here can break hls.js's own handling of the append.)
    hls.on(Hls.Events.BUFFER_APPENDING, (_e, data) => {
      if (this.rate !== 'key' || !this.avcTrack || !this.keyDecoder || data.parent !== 'main') return;
      if (data.type !== 'video' && data.type !== 'audiovideo') return;
      const frame = keyFrameOf(data.data, this.avcTrack);
      if (frame) this.keyDecoder.decode(frame, data.frag.start * 1000);
    });
    hls.on(Hls.Events.BUFFER_CODECS, (_e, data) => {
      // (An alternate audio rendition's codecs come on their own: they change nothing of the video's.)
      const track = data.video ?? data.audiovideo;
      // What hls.js found to play as sound; sound it cannot demux (a platform's private MPEG-TS form
      // of G.711) is skipped by it and reads as none here.
      if (data.video)
        this.events.emit(
          'sound',
          data.audio ? { codec: audioName(data.audio.codec), playable: true } : { codec: null },
        );
      if (!track) return;
      const codec = data.video?.codec ?? '';
      this.codec = codec;
      // Not H.264 (no track found): the decoder is never configured, or goes silent, and the video makes the pictures.
      this.avcTrack = track.initSegment ? avcTrackOf(track.initSegment) : null;
      if (this.avcTrack) this.keyDecoder?.configure(this.avcTrack.avcC);
      if (codec && !codecSupported(codec)) {
        this.events.emit('error', {
          fatal: true,
          reason: `codec ${codec} cannot be decoded here`,
          unsupportedCodec: codec,
        });
      }
    });
    hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => this.onError(data));
    if (source.live)
      hls.on(Hls.Events.LEVEL_LOADED, (_e, data) => {
        if (data.details.live) this.checkResumed(hls, video, data.details);
        if (this.latency || !data.details.live) return;
        this.segmentS = data.details.targetduration;
        this.latency = startTarget(this.segmentS);
        this.latencyAt = performance.now();
        hls.targetLatency = this.latency.targetS;
      });
    // Recordings dated by the platform map media time to wall-clock time exactly, even when the
    // playlist starts earlier or later than the range asked for.
    hls.on(Hls.Events.LEVEL_LOADED, (_e, data) => {
      const fragments = data.details.fragments.flatMap((f) =>
        f.programDateTime ? [{ start: f.start, duration: f.duration, wallMs: f.programDateTime }] : [],
      );
      if (!source.live && fragments.length === data.details.fragments.length && fragments.length)
        this.events.emit('dated', { fragments });
    });
    video.addEventListener('timeupdate', this.onFrame);
    video.muted = true;
    hls.attachMedia(video);
    hls.loadSource(source.url);
    void video.play().catch(() => undefined);
  }

  /**
   * hls.js stops; the refresh fetches the newest segment's key frame for `decoder`, from the variant
   * (`level`) whose segment hls.js just buffered, the one the decoder is configured for. False where it cannot.
   */
  private startRefresh(hls: Hls, decoder: KeyFrameDecoder, level: number): boolean {
    const playlistUrl = hls.levels[level]?.uri;
    const track = this.avcTrack;
    if (this.refresh || this.refreshUnusable || !playlistUrl || !track || this.newestSn < 0) return false;
    const lengthSize = (track.avcC[4]! & 3) + 1;
    hls.stopLoad();
    this.refreshedStart = this.newestStart;
    this.refreshedSn = this.newestSn;
    // (just buffered: listed a little earlier, so a resume before the first refreshed segment errs behind the edge)
    [this.refreshedDurationS, this.refreshedListedAt] = [this.segmentS, performance.now()];
    this.refresh = new HlsKeyRefresh({
      playlistUrl,
      after: this.newestSn,
      keyFrameOf: (segment) => (segment[0] === 0x47 ? tsKeyFrameOf(segment, lengthSize) : keyFrameOf(segment, track)),
      onKeyFrame: (frame, segment, bytes, listedAt) => {
        this.bytes += bytes;
        this.lastFragAt = performance.now();
        [this.refreshedDurationS, this.refreshedListedAt] = [segment.durationS, listedAt];
        // Its media time, counted on from the last one hls.js buffered (the segments between not seen:
        // the newest's length stands for theirs).
        this.refreshedStart += (segment.sequence - this.refreshedSn) * segment.durationS;
        this.refreshedSn = segment.sequence;
        decoder.decode(frame, this.refreshedStart * 1000);
      },
      onUnreadable: () => this.stopRefresh(true),
    });
    this.refresh.start();
    return true;
  }

  /**
   * hls.js loads again: at full rate; while its decoder makes no pictures (then it stops again once
   * they come); or for good where the refresh cannot read the stream (`unusable`). It loads from
   * `from` (media time; by default where the refresh's newest segment opens, the frame the pane
   * shows), which is returned: the video goes there.
   */
  private stopRefresh(unusable = false, from = this.refreshedStart): number {
    if (!this.refresh) return from;
    this.refresh.stop();
    this.refresh = null;
    this.refreshUnusable ||= unusable;
    this.engine?.startLoad(from, true);
    this.latencyAt = performance.now(); // the time at key frames was no quiet playing (onQuiet)
    return from;
  }

  /**
   * Back at full rate from the refresh: hls.js buffered [start, end). The video goes to where it
   * resumes (resumeAt: in the picture's segment or a later one) once that is loaded; then its
   * picture may go (key-picture.ts).
   */
  private moveToPicture(video: HTMLVideoElement, start: number, end: number): void {
    const at = this.resumeAt!;
    // Not there in 3 s (key-picture.ts has shown the video by then): hls.js plays on from where it is.
    const late = performance.now() - this.resumeSince > 3000;
    if (end <= at && !late) {
      // Before where it resumes (its position was still in the playlist): on to the end of it, so
      // hls.js, which loads ahead of the video, loads the next.
      if (video.currentTime < end - 0.1) video.currentTime = end - 0.05;
      return;
    }
    if (!late && (video.currentTime < at - 0.5 || video.currentTime >= end))
      video.currentTime = Math.max(at, start) + 0.01;
    this.resumeAt = null;
    const done = () => this.decoders?.setMoving(video, false);
    if (video.seeking) video.addEventListener('seeked', done, { once: true });
    else done();
  }

  /** A segment buffered: the time since the last one counts as quiet if the pane played all along. */
  private quiet(hls: Hls): void {
    const now = performance.now();
    const dtS = (now - this.latencyAt) / 1000;
    this.latencyAt = now;
    if (!this.latency || !this.playing()) return;
    const next = onQuiet(this.latency, this.segmentS, dtS);
    if (next.targetS !== this.latency.targetS) hls.targetLatency = next.targetS;
    this.latency = next;
  }

  /** Playing every frame: a key-frame pane sits paused by design and cannot stall. */
  private playing(): boolean {
    return this.rate === 'full' && this.firstFrameSeen && !!this.video && !this.video.paused;
  }

  private onError(data: ErrorData): void {
    if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR && this.latency && this.engine && this.playing()) {
      this.latency = onStall(this.latency, this.segmentS);
      this.latencyAt = performance.now();
      this.engine.targetLatency = this.latency.targetS;
    }
    const codecError =
      data.details === Hls.ErrorDetails.MANIFEST_INCOMPATIBLE_CODECS_ERROR ||
      data.details === Hls.ErrorDetails.BUFFER_ADD_CODEC_ERROR ||
      data.details === Hls.ErrorDetails.BUFFER_INCOMPATIBLE_CODECS_ERROR;
    if (codecError) {
      // hls.js may refuse the source buffer before BUFFER_CODECS reaches this player: the codec is in the MIME type.
      const mime = data.mimeType ?? '';
      const listed = /^video\//.test(mime) ? (/codecs="?([^"]+)"?/.exec(mime)?.[1] ?? '').split(',') : [];
      const codec = this.codec || listed.find((c) => /^(hvc1|hev1)/.test(c)) || listed[0] || 'unknown';
      this.events.emit('error', { fatal: true, reason: data.details, unsupportedCodec: codec });
      return;
    }
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && this.engine) {
      this.engine.recoverMediaError();
      return;
    }
    const status = data.response?.code;
    this.events.emit('error', {
      fatal: true,
      reason: `${data.type}: ${data.details}${status ? ` (HTTP ${status})` : ''}`,
    });
  }

  /** Seek within a VOD source (seconds from its start). */
  seek(seconds: number): void {
    if (this.video) this.video.currentTime = seconds;
  }

  private teardown(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
    this.video?.removeEventListener('timeupdate', this.onFrame);
    this.refresh?.stop();
    this.refresh = null;
    this.resumeAt = null;
    if (this.video) this.decoders?.setMoving(this.video, false);
    this.engine?.destroy();
    this.engine = null;
    this.decoders?.close(this.video, this.keyDecoder);
    this.keyDecoder = null;
  }

  destroy(): void {
    this.teardown();
    this.events.clear();
  }
}

/** A sound codec string as people read it (mp4a.40.2 → AAC). */
function audioName(codec: string | undefined): string {
  if (!codec) return 'sound';
  if (/^mp4a\.40\.34$|^mp3$/i.test(codec)) return 'MP3';
  if (/^mp4a/i.test(codec)) return 'AAC';
  if (/^(ac-3|ec-3)$/i.test(codec)) return codec.toUpperCase();
  return codec;
}
