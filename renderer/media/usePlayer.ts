import { useEffect, useRef, useState, type RefObject } from 'react';
import { LiveSession, type LiveSessionOptions } from './live-session';
import type { PlayerState, PlayerStats, SourceProvider } from './types';

/**
 * Owns one pane's LiveSession: starts it when the provider changes, stops it (destroying the
 * engine, its MediaSource and sockets) on unmount or source change.
 */
export function usePlayer(
  videoRef: RefObject<HTMLVideoElement | null>,
  provider: SourceProvider | null,
  options: Pick<LiveSessionOptions, 'relay' | 'budget' | 'stallTimeoutMs'> = {},
): { state: PlayerState; stats: PlayerStats | null } {
  const [state, setState] = useState<PlayerState>({ kind: 'idle' });
  const [stats, setStats] = useState<PlayerStats | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !provider) return;
    const session = new LiveSession({ ...optionsRef.current, video, provider, onState: setState, onStats: setStats });
    session.start();
    return () => session.stop();
  }, [videoRef, provider]);

  return { state, stats };
}
