import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { PaneNeeds } from '../budget/decode-budget';
import { useMediaWindow } from '../media-window';
import type { DecodeRate } from '../../../preload/contract';
import { PaneSession, type PaneSessionOptions } from './pane-session';
import { UNKNOWN_SOUND, type SoundState } from './sound';
import type { PlayerState, PlayerStats, SourceProvider } from './types';

/** A pane's place in the window's decode budget (decode-budget.ts); without one it always decodes every frame. */
export interface DecodeNeeds {
  order: number;
  needs: PaneNeeds;
}

/**
 * Owns one pane's PaneSession: starts it when the provider changes, stops it (destroying the
 * engine, its MediaSource and sockets) on unmount or source change. While the window is hidden
 * (another tab, minimized, covered) or the pane is out of view (scrolled away, zero size) nothing
 * is decoded: the session holds a live stream open, decoding nothing, for HOLD_UNSEEN_MS, and
 * closes anything else (and a stream unseen for longer); seen again, it comes back at the live
 * edge, never from a stale buffer (PaneSession.setSeen). A pane whose sound is on plays on: someone
 * listens to it. With `decode`, a pane someone sees joins the window's decode budget, which sets
 * it to full rate or key frames only.
 */
export function usePlayer(
  videoRef: RefObject<HTMLVideoElement | null>,
  provider: SourceProvider | null,
  options: Pick<
    PaneSessionOptions,
    'stallTimeoutMs' | 'onLastFrame' | 'transcode' | 'onTranscode' | 'relayRate' | 'sound' | 'from'
  > & {
    decode?: DecodeNeeds;
    /** The operator listens to this pane: it plays on while unseen (a minimized window still sounds). */
    audible?: boolean;
    /** The source changes (sub ↔ main stream): called while the old picture is still on the video, before it goes. */
    onSwitch?(video: HTMLVideoElement): void;
  } = {},
): {
  state: PlayerState;
  stats: PlayerStats | null;
  rate: DecodeRate;
  /** The transcode budget is spent: stop that transcode (another pane's) and give this pane one. */
  takeTranscode: (id: string) => void;
  /** The pane's sound was turned on or off (a transcode without sound is made again with it). */
  soundChanged: () => void;
  /** What the pane's stream carries as sound (the view's speaker says it). */
  sound: SoundState;
} {
  const media = useMediaWindow();
  const [state, setState] = useState<PlayerState>({ kind: 'idle' });
  const [stats, setStats] = useState<PlayerStats | null>(null);
  const [rate, setRate] = useState<DecodeRate>('full');
  const [sound, setSound] = useState<SoundState>(UNKNOWN_SOUND);
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || !document.hidden);
  const [inView, setInView] = useState(true);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const providerRef = useRef(provider);
  providerRef.current = provider;
  const budgeted = !!options.decode;
  const changed = useRef<(() => void) | null>(null);
  const sessionRef = useRef<PaneSession | null>(null);
  const takeTranscode = useCallback((id: string) => sessionRef.current?.takeTranscode(id), []);
  const soundChanged = useCallback(() => sessionRef.current?.soundChanged(), []);

  useEffect(() => {
    const onChange = () => setVisible(!document.hidden);
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(([entry]) => setInView(!!entry?.isIntersecting));
    io.observe(video);
    return () => io.disconnect();
  }, [videoRef]);

  // One session per source; whether anyone sees (or hears) the pane is told to it (PaneSession.setSeen).
  const seen = (visible && inView) || !!options.audible;
  const seenRef = useRef(seen);
  seenRef.current = seen;
  const [session, setSession] = useState<PaneSession | null>(null);
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !provider) return;
    const s = new PaneSession({
      ...optionsRef.current,
      media,
      video,
      provider,
      onState: setState,
      onStats: setStats,
      onRate: setRate,
      onSound: setSound,
    });
    sessionRef.current = s;
    setSession(s);
    s.start(seenRef.current);
    return () => {
      // A new source (not unmount): the owner may keep the picture until the new one shows (not a
      // held pane's: it is as old as the hold and would show as live).
      if (providerRef.current !== provider && providerRef.current && seenRef.current)
        optionsRef.current.onSwitch?.(video);
      sessionRef.current = null;
      setSession(null);
      s.stop(); // it says 'idle' and full rate itself
    };
  }, [videoRef, provider, media]);

  // Unseen, the session holds or closes its stream; only a pane someone sees is in the decode budget.
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !session || session !== sessionRef.current) return;
    session.setSeen(seen);
    if (!seen || !budgeted) return;
    const member = media.budget.join({
      order: () => optionsRef.current.decode?.order ?? 0,
      needs: () => optionsRef.current.decode?.needs ?? {},
      reducible: () => session.reducible,
      hls: () => session.liveHls,
      gopMs: () => session.gopMs,
      quality: () => {
        const q = video.getVideoPlaybackQuality?.();
        return q ? { decoded: q.totalVideoFrames, dropped: q.droppedVideoFrames } : null;
      },
      apply: (r) => session.setRate(r),
    });
    changed.current = member.changed;
    return () => {
      changed.current = null;
      member.leave();
    };
  }, [videoRef, session, seen, budgeted, media]);

  // A pane selected, hovered or enlarged is replanned at once (back to full rate within a GOP).
  const needsKey = JSON.stringify(options.decode ?? null);
  useEffect(() => changed.current?.(), [needsKey]);

  return { state, stats, rate, takeTranscode, soundChanged, sound };
}
