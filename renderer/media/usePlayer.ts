import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { windowBudget, type PaneNeeds } from './decode-budget';
import type { DecodeRate } from './flv-rate';
import { LiveSession, type LiveSessionOptions } from './live-session';
import type { PlayerState, PlayerStats, SourceProvider } from './types';

/** A pane's place in the window's decode budget (decode-budget.ts); without one it always decodes every frame. */
export interface DecodeNeeds {
  order: number;
  needs: PaneNeeds;
}

/**
 * Owns one pane's LiveSession: starts it when the provider changes, stops it (destroying the
 * engine, its MediaSource and sockets) on unmount or source change. While the window is hidden
 * (another tab, minimized) or the pane is out of view (scrolled away, zero size) the session is
 * stopped, and it starts fresh when seen again: what nobody sees costs no decoding, and comes
 * back at the live edge, not from a stale buffer. With `decode`, the pane joins the window's
 * decode budget, which sets it to full rate or key frames only.
 */
export function usePlayer(
  videoRef: RefObject<HTMLVideoElement | null>,
  provider: SourceProvider | null,
  options: Pick<LiveSessionOptions, 'stallTimeoutMs' | 'onLastFrame' | 'transcode' | 'onTranscode' | 'relayRate'> & {
    decode?: DecodeNeeds;
    /** The source changes (sub ↔ main stream): called while the old picture is still on the video, before it goes. */
    onSwitch?(video: HTMLVideoElement): void;
  } = {},
): {
  state: PlayerState;
  stats: PlayerStats | null;
  rate: DecodeRate;
  /** The transcode budget is spent: stop that transcode (another pane's) and give this pane one. */
  takeTranscode: (id: string) => void;
  /** The pane's sound was turned on (a transcode without sound is made again with it). */
  soundOn: () => void;
} {
  const [state, setState] = useState<PlayerState>({ kind: 'idle' });
  const [stats, setStats] = useState<PlayerStats | null>(null);
  const [rate, setRate] = useState<DecodeRate>('full');
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || !document.hidden);
  const [inView, setInView] = useState(true);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const providerRef = useRef(provider);
  providerRef.current = provider;
  const budgeted = !!options.decode;
  const changed = useRef<(() => void) | null>(null);
  const sessionRef = useRef<LiveSession | null>(null);
  const takeTranscode = useCallback((id: string) => sessionRef.current?.takeTranscode(id), []);
  const soundOn = useCallback(() => sessionRef.current?.soundOn(), []);

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

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !provider || !visible || !inView) return;
    const session = new LiveSession({
      ...optionsRef.current,
      video,
      provider,
      onState: setState,
      onStats: setStats,
      onRate: setRate,
    });
    const member = budgeted
      ? windowBudget.join({
          order: () => optionsRef.current.decode?.order ?? 0,
          needs: () => optionsRef.current.decode?.needs ?? {},
          reducible: () => session.reducible,
          hls: () => session.liveHls,
          quality: () => {
            const q = video.getVideoPlaybackQuality?.();
            return q ? { decoded: q.totalVideoFrames, dropped: q.droppedVideoFrames } : null;
          },
          apply: (r) => session.setRate(r),
        })
      : null;
    changed.current = member?.changed ?? null;
    sessionRef.current = session;
    session.start();
    return () => {
      // A new source (not unmount, hiding or scrolling away): the owner may keep the picture until the new one shows.
      if (providerRef.current !== provider && providerRef.current) optionsRef.current.onSwitch?.(video);
      sessionRef.current = null;
      changed.current = null;
      member?.leave();
      session.stop();
      setRate('full');
    };
  }, [videoRef, provider, visible, inView, budgeted]);

  // A pane selected, hovered or enlarged is replanned at once (back to full rate within a GOP).
  const needsKey = JSON.stringify(options.decode ?? null);
  useEffect(() => changed.current?.(), [needsKey]);

  return { state, stats, rate, takeTranscode, soundOn };
}
