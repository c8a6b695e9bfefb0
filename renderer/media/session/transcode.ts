import type { TranscodeAnswer, TranscodeHolder, TranscodeRequest } from '../../../preload/contract';
import { codecSupported, decodesH265, isHevc } from '../engines/codecs';
import type { SessionComponent } from './components';
import type { PlaySource } from './types';

/**
 * What a pane gives its session so that H.265 this runtime cannot decode plays through main's
 * transcoder (issue 24). The request goes through a store (renderer/stores/transcode); the pane
 * says its size, audio and name at the moment of asking.
 */
export interface TranscodeLink {
  request(req: TranscodeRequest): Promise<TranscodeAnswer>;
  stop(id: string): void;
  /** Cores of the budget free now. */
  room(): Promise<number>;
  pane(): { width: number; height: number; audio: boolean; label: string };
}

/** What a pane is given (by a store): the link without the pane's own part, and figures for the badge. */
export type PaneTranscoding = Omit<TranscodeLink, 'pane'> & {
  /** Measured CPU of a transcode, % of one core (null until measured). */
  cpu?: (id: string) => number | null;
  /** Cores main charges a transcode now (its real output size, once known), or null. */
  cost?: (id: string) => number | null;
  budgetCores?: () => number | null;
};

/** A transcode feeding a pane now: for the badge. */
export interface TranscodeStatus {
  id: string;
  codec: string;
  costCores: number;
}

/** The budget refused this pane: what it needs, and whose transcodes hold the budget. */
export interface TranscodeRefusal {
  codec: string;
  needCores: number;
  budgetCores: number;
  usedCores: number;
  holders: TranscodeHolder[];
}

/**
 * Does this codec need main's transcoder? Only H.265 the runtime's MediaSource refuses (checked
 * with the stream's exact `hvc1`/`hev1` string): where it decodes H.265 (Electron on Windows and
 * macOS with the platform decoder) the stream plays natively and nothing is transcoded.
 */
export function needsTranscode(codec: string | undefined): boolean {
  return !!codec && isHevc(codec) && !codecSupported(codec);
}

/** The codec a pane names when the platform said H.265 before the stream showed its exact string. */
export const HEVC_FROM_PLATFORM = 'hvc1';

/** The decoder refused this H.265 codec while the platform said `said` of the stream. */
export interface DecoderRefusal {
  codec: string;
  said: PlaySource['codec'];
}

/**
 * Per (re)connect: does this source go through main's transcoder, and which decoder refusal
 * still holds? The platform's word counts for this connect only (the operator may switch a sub
 * stream to H.264, and a stale H.265 would send H.264 to the transcoder, which refuses it, for
 * ever). A real refusal by the decoder holds for the session — until a fresh source says H.264
 * where it said something else when refused (the stream changed since).
 */
export function transcodeChoice(
  refused: DecoderRefusal | null,
  said: PlaySource['codec'],
  runtimeDecodesH265: boolean,
): { codec: string | null; refused: DecoderRefusal | null } {
  const holds = refused && !(said === 'h264' && refused.said !== 'h264') ? refused : null;
  if (holds) return { codec: holds.codec, refused: holds };
  return { codec: said === 'h265' && !runtimeDecodesH265 ? HEVC_FROM_PLATFORM : null, refused: null };
}

/**
 * A transcode ended before its first picture: does the decoder's refusal still hold? Not where the
 * platform names no codec (Tencent IVC; a VCS device without EncodeFormat): the camera may have been
 * switched to H.264, which main's HEVC demuxer refuses — the pane then went back to the transcoder
 * at every reconnect for the rest of its life. The next connect tries the stream itself (an H.265
 * one is refused again within a second and transcoded). A platform that named a codec when refused
 * keeps the refusal: its fresh word decides (transcodeChoice).
 */
export function refusalAfterFailedTranscode(refused: DecoderRefusal | null, pictured: boolean): DecoderRefusal | null {
  return refused && !pictured && refused.said === undefined ? null : refused;
}

/** A pane the budget refused asks the platform again this often (an operator may have switched the stream to H.264). */
export const ASK_AGAIN_MS = 30_000;

/**
 * A pane the transcode budget refused: connect again now? Once the budget has room, yes. Before
 * that, the platform is asked again every ASK_AGAIN_MS when its word may have changed — the
 * transcode came from the platform saying H.265, or the decoder refused a stream the platform
 * had named — since the remedy for a full budget is switching sub streams to H.264 (review F17:
 * a refused pane waited for room only, and never learnt that its stream had become H.264).
 * A decoder refusal on a platform that names no codec waits for room: asking cannot change it.
 */
export function refusedRetry(o: {
  refused: DecoderRefusal | null;
  roomCores: number;
  needCores: number;
  sinceAskedMs: number;
}): boolean {
  if (o.roomCores + 1e-9 >= o.needCores) return true;
  const platformMaySay = !o.refused || o.refused.said !== undefined;
  return platformMaySay && o.sinceAskedMs >= ASK_AGAIN_MS;
}

/**
 * A transcoded recording (its URL serves one connection) is read no further than this many
 * seconds of media ahead of the play head: the transcode then waits (its ffmpeg blocks on output)
 * instead of holding a core until the whole recording is done, and the page holds seconds of it,
 * not the whole hour. Waiting costs nothing to undo (ffmpeg goes on at once): at 8× this is still
 * ~2 s of lead.
 */
export const ONE_USE_AHEAD_S = 15;

/** The transcoded stream as the pane's player sees it: HTTP-FLV H.264 on main's loopback port. */
export function transcodedSource(original: PlaySource, url: string, audio: boolean): PlaySource {
  return {
    protocol: 'flv',
    url,
    live: original.live,
    // With sound asked for, the transcode's own metadata says whether the camera had any.
    ...(audio ? {} : { hasAudio: false }),
    relayed: true,
    oneUse: true,
    // Its own key per sound: what the player learnt of a silent transcode (no audio) is not this one's.
    ...(original.streamKey ? { streamKey: `${original.streamKey}|h264${audio ? '+sound' : ''}` } : {}),
  };
}

/**
 * A pane's way through main's transcoder, for H.265 it cannot decode: whether each connect goes
 * through it (the platform's word for that source, or the decoder's own refusal), the transcode
 * job feeding the connection, taking over another pane's, and waiting for room after the budget
 * refused it. The refusals outlive a connection (they decide the next connect), so the session
 * keeps one for its life; the job is the connection's and is stopped when it unloads.
 */
export class PaneTranscode implements SessionComponent {
  readonly name = 'transcode';
  /** This connect's stream goes through the transcoder, named by this codec. */
  private codec: string | null = null;
  /** The decoder refused H.265 on this channel: later connects go through the transcoder too (see transcodeChoice). */
  private refused: DecoderRefusal | null = null;
  /** The codec the platform said of this connect's source. */
  private said: PlaySource['codec'];
  private id: string | null = null;
  /** The job feeding the pane carries sound (asked with the pane's sound on). */
  private withSound = false;
  /** Another pane's transcode to take over on the next connect (the operator's swap). */
  private takeOver: string | null = null;
  /** Cores the budget lacked at the last refusal: a fresh play URL is asked for only as refusedRetry says. */
  private refusedNeed = 0;
  /** When the provider was last asked for a source (performance.now()). */
  private askedAt = 0;

  constructor(
    private readonly link: TranscodeLink,
    private readonly onStatus: (status: TranscodeStatus | null) => void = () => undefined,
    private readonly runtimeDecodesH265: () => boolean = decodesH265,
  ) {}

  /** This connect goes through the transcoder. */
  get wanted(): boolean {
    return this.codec !== null;
  }

  /** A job feeds the connection now. */
  get running(): boolean {
    return this.id !== null;
  }

  /** A job feeds the connection without sound (the pane's sound was off when it was asked). */
  get silent(): boolean {
    return this.id !== null && !this.withSound;
  }

  /** The budget refused this pane and it waits for room (not while taking another pane's over). */
  get waitsForRoom(): boolean {
    return this.refusedNeed > 0 && this.takeOver === null;
  }

  /** After a refusal: true once the budget has room again, or when it is time to ask the platform again (refusedRetry). */
  async fits(): Promise<boolean> {
    const free = await this.link.room().catch(() => 0);
    const sinceAskedMs = performance.now() - this.askedAt;
    return refusedRetry({ refused: this.refused, roomCores: free, needCores: this.refusedNeed, sinceAskedMs });
  }

  /** The provider is asked for a source now. */
  asking(): void {
    this.askedAt = performance.now();
  }

  /**
   * A fresh source: does it go through the transcoder? Decided afresh per connect: the platform's
   * H.265 counts for this source only (an operator may switch the stream to H.264), the decoder's
   * own refusal until a fresh source says H.264.
   */
  choose(said: PlaySource['codec']): boolean {
    this.said = said;
    const choice = transcodeChoice(this.refused, said, this.runtimeDecodesH265());
    this.codec = choice.codec;
    this.refused = choice.refused;
    return this.wanted;
  }

  /** The decoder refused `codec`: true where that is H.265 the transcoder takes, from now on, at once. */
  refusedByDecoder(codec: string): boolean {
    if (this.codec || !needsTranscode(codec)) return false;
    this.refused = { codec, said: this.said };
    this.codec = codec;
    return true;
  }

  /** The connection failed: a job that ended before its first picture may lift the refusal (refusalAfterFailedTranscode). */
  failed(pictured: boolean): void {
    if (this.id) this.refused = refusalAfterFailedTranscode(this.refused, pictured);
  }

  /** Takes over `fromId` on the next connect; false where this pane does not transcode. */
  take(fromId: string): boolean {
    if (!this.codec) return false;
    this.takeOver = fromId;
    this.refusedNeed = 0;
    return true;
  }

  /**
   * The stream through main's transcoder, or the budget's refusal (asked again later), or null
   * where the connect is no longer `current` (a job granted meanwhile is stopped).
   */
  async start(
    source: PlaySource,
    current: () => boolean,
  ): Promise<{ source: PlaySource } | { refusal: TranscodeRefusal } | null> {
    const pane = this.link.pane();
    const replace = this.takeOver;
    this.takeOver = null;
    // Main transcodes only what its relay carries: every platform stream and a typed http(s) one are.
    const answer = await this.link.request({
      url: source.url,
      protocol: source.protocol,
      width: pane.width,
      height: pane.height,
      audio: pane.audio,
      label: pane.label,
      live: source.live,
      ...(replace ? { replace } : {}),
    });
    if (!current()) {
      if (answer.ok) this.link.stop(answer.id);
      return null;
    }
    if (!answer.ok) {
      const { ok: _, ...refusal } = answer;
      this.refusedNeed = answer.needCores;
      return { refusal: { codec: this.codec!, ...refusal } };
    }
    this.refusedNeed = 0;
    this.id = answer.id;
    this.withSound = pane.audio;
    this.onStatus({ id: answer.id, codec: this.codec!, costCores: answer.costCores });
    return { source: transcodedSource(source, answer.url, pane.audio) };
  }

  /** The connection went: its job is stopped (the refusals stay for the next connect). */
  unload(): void {
    if (!this.id) return;
    this.link.stop(this.id);
    this.id = null;
    this.onStatus(null);
  }

  destroy(): void {
    this.unload();
  }
}
