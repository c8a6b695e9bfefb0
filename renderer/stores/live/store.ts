import { create } from 'zustand';
import type { DecodeRate, ResponseOf } from '../../../preload/contract';
import { FinalSourceError } from '../../media/session/pane-session';
import type { PlaySource } from '../../media/session/types';
import { invoke, type VigilError } from '../../ipc';
import type { PaneContent } from '../wall/store';

/** A camera's own snapshot, asked for one channel and shown before it is saved. */
export interface CameraShot {
  target: PaneContent;
  shot: ResponseOf<'live:snapshot'> | null;
  loading: boolean;
  /** main's or the platform's words (a platform that cannot take one says so) */
  error: string | null;
}

/**
 * Live video's requests to main, for the wall, the stream test page and the snapshot dialog. A
 * pane's play source is asked on every (re)connect by its media session, which owns that
 * connection's loading, retries and error; so these resolve or reject with main's error and keep
 * nothing. The camera snapshot dialog's request is this store's own, with its state.
 */
export interface LiveState {
  /** What a wall pane opens for a channel's main or sub stream (main picks the protocol and relays it). */
  channelSource(content: PaneContent, stream: 'main' | 'sub'): Promise<PlaySource>;
  /**
   * What a stream test pane opens for an address typed on the page: an http(s) stream through
   * main's relay (the page may fetch loopback only, and a relay lane is not held to the browser's 6
   * connections per host), a ws:// one direct. Main relays loopback addresses in its developer mode
   * and nothing else a user types: its refusal ends the pane's tries (FinalSourceError).
   */
  typedSource(url: string): Promise<PlaySource>;
  /**
   * A pane's decode rate, for main's relay to cut its FLV stream the same way ('none' while the pane
   * is held unseen). A lost 'key' costs only CPU (the page's own filter still drops what the pane
   * does not decode); a lost 'full' after 'none' leaves the pane without frames until its stall
   * watchdog opens the stream again (5 s). So it is sent and not awaited.
   */
  relayRate(url: string, rate: DecodeRate): void;
  cameraShot: CameraShot | null;
  /** Asks the camera for a picture now, through its platform; an answer for a dialog closed since is dropped. */
  takeCameraShot(target: PaneContent): Promise<void>;
  closeCameraShot(): void;
}

/** What a typed address is: HLS by its playlist, a recording by the media server's /rec/ path. */
export function sourceFromUrl(url: string): PlaySource {
  const trimmed = url.trim();
  const isHls = /\.m3u8(\?|$)/i.test(trimmed);
  const isVod = /\/rec\//.test(trimmed);
  return { protocol: isHls ? 'hls' : 'flv', url: trimmed, live: !(isHls && isVod) };
}

/** Main's answers that asking again cannot change (not developer mode, not this machine's address). */
const REFUSALS = new Set(['NOT_AVAILABLE', 'BAD_REQUEST', 'VALIDATION']);

export const useLiveStore = create<LiveState>()((set, get) => ({
  async channelSource(content, stream) {
    const s = await invoke('live:source', { accountId: content.accountId, channelId: content.channelId, stream });
    return {
      protocol: s.protocol,
      ...(s.codec ? { codec: s.codec } : {}),
      url: s.url,
      live: true,
      ...(s.hasAudio !== undefined ? { hasAudio: s.hasAudio } : {}),
      ...(s.relayed ? { relayed: true } : {}),
      streamKey: `${content.accountId}|${content.channelId}|${stream}`,
    };
  },
  async typedSource(url) {
    const source = sourceFromUrl(url);
    if (!/^https?:/i.test(source.url)) return source;
    let relayed: string;
    try {
      relayed = (await invoke('media:relay', { url: source.url })).url;
    } catch (e) {
      // A refusal stands; a dropped link is asked again.
      if (REFUSALS.has((e as VigilError).code)) throw new FinalSourceError((e as VigilError).message);
      throw e;
    }
    return { ...source, url: relayed, relayed: true, streamKey: source.url };
  },
  relayRate(url, rate) {
    void invoke('media:rate', { url, rate }).catch(() => undefined);
  },
  cameraShot: null,
  async takeCameraShot(target) {
    const asked: CameraShot = { target, shot: null, loading: true, error: null };
    set({ cameraShot: asked });
    let answer: Partial<CameraShot>;
    try {
      answer = { shot: await invoke('live:snapshot', { accountId: target.accountId, channelId: target.channelId }) };
    } catch (e) {
      answer = { error: (e as VigilError).message };
    }
    if (get().cameraShot === asked) set({ cameraShot: { ...asked, ...answer, loading: false } });
  },
  closeCameraShot: () => set({ cameraShot: null }),
}));
