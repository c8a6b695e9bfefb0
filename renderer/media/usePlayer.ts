import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { LiveSession, type LiveSessionOptions } from './live-session';
import type { PlayerState, PlayerStats, SourceProvider } from './types';

/**
 * Owns one pane's LiveSession: starts it when the provider changes, stops it (destroying the
 * engine, its MediaSource and sockets) on unmount or source change. While the window is hidden
 * (another tab, minimized) the session is stopped, and it starts fresh when shown again: a hidden
 * wall costs no decoding and comes back at the live edge.
 */
export function usePlayer(
  videoRef: RefObject<HTMLVideoElement | null>,
  provider: SourceProvider | null,
  options: Pick<
    LiveSessionOptions,
    'relay' | 'budget' | 'stallTimeoutMs' | 'onLastFrame' | 'transcode' | 'onTranscode'
  > = {},
): {
  state: PlayerState;
  stats: PlayerStats | null;
  /** The transcode budget is spent: stop that transcode (another pane's) and give this pane one. */
  takeTranscode: (id: string) => void;
} {
  const [state, setState] = useState<PlayerState>({ kind: 'idle' });
  const [stats, setStats] = useState<PlayerStats | null>(null);
  const [visible, setVisible] = useState(() => typeof document === 'undefined' || !document.hidden);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const sessionRef = useRef<LiveSession | null>(null);
  const takeTranscode = useCallback((id: string) => sessionRef.current?.takeTranscode(id), []);

  useEffect(() => {
    const onChange = () => setVisible(!document.hidden);
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !provider || !visible) return;
    const session = new LiveSession({ ...optionsRef.current, video, provider, onState: setState, onStats: setStats });
    sessionRef.current = session;
    session.start();
    return () => {
      sessionRef.current = null;
      session.stop();
    };
  }, [videoRef, provider, visible]);

  return { state, stats, takeTranscode };
}
