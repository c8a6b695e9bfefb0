import { useEffect, useMemo, useRef, useState } from 'react';
import { failureWhy, LIVE_SAY_WHY_AFTER } from './failure';
import { useTranslation } from 'react-i18next';
import type { PlayerState, PlayerStats, SourceProvider } from './types';
import { usePlayer } from './usePlayer';

/**
 * One video pane: edge-to-edge video, its state in words, optional stats overlay.
 * `relay` is main's HTTP-FLV relay (renderer/ipc), passed in so this stays free of IPC.
 */
export function VideoPane(props: {
  provider: SourceProvider | null;
  title?: string;
  showStats?: boolean;
  relay?: (url: string) => Promise<string>;
  testId?: string;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  // The last good frame stays on screen (dimmed) while the pane reconnects, instead of black.
  const lastFrame = useRef<HTMLCanvasElement>(null);
  const [frozen, setFrozen] = useState(false);
  const options = useMemo(
    () => ({
      ...(props.relay ? { relay: props.relay } : {}),
      onLastFrame: (video: HTMLVideoElement) => {
        const c = lastFrame.current;
        if (!c || video.readyState < 2 || !video.videoWidth) return;
        c.width = video.videoWidth;
        c.height = video.videoHeight;
        c.getContext('2d')?.drawImage(video, 0, 0);
        setFrozen(true);
      },
    }),
    [props.relay],
  );
  const { state, stats } = usePlayer(videoRef, props.provider, options);
  const showFrozen = frozen && state.kind !== 'playing' && state.kind !== 'idle';
  useEffect(() => setFrozen(false), [props.provider]);
  return (
    <div className="vigil-pane" data-testid={props.testId} data-state={state.kind} style={paneStyle}>
      <video ref={videoRef} muted playsInline style={videoStyle} />
      <canvas
        ref={lastFrame}
        data-testid="pane-last-frame"
        style={{ ...frozenStyle, display: showFrozen ? 'block' : 'none' }}
      />
      {props.title && <div style={titleStyle}>{props.title}</div>}
      {state.kind !== 'playing' && state.kind !== 'idle' && <StateText state={state} />}
      {props.showStats && stats && <StatsOverlay stats={stats} />}
    </div>
  );
}

function StateText({ state }: { state: PlayerState }) {
  const { t } = useTranslation();
  let text: string;
  let color = '#faad14';
  switch (state.kind) {
    case 'connecting':
      text = t('media.connecting');
      break;
    case 'reconnecting':
      if (state.attempt >= LIVE_SAY_WHY_AFTER) {
        const w = failureWhy(state.reason);
        text = t('media.noPicture', {
          why: t(`media.why.${w.why}`, { status: w.status, reason: state.reason }),
          attempt: state.attempt,
          seconds: Math.round(state.inMs / 1000),
        });
      } else text = t('media.reconnecting', { attempt: state.attempt, seconds: (state.inMs / 1000).toFixed(1) });
      break;
    case 'unsupported-codec':
      text = t('media.unsupportedCodec', { codec: state.codec });
      color = '#ff4d4f';
      break;
    case 'offline':
      text = t('media.offline', { reason: state.reason });
      color = '#8c8c8c';
      break;
    case 'error':
      text = t('media.error', { reason: state.reason });
      color = '#ff4d4f';
      break;
    default:
      text = '';
  }
  return (
    <div
      style={{ ...stateStyle, color }}
      data-testid="pane-state"
      title={state.kind === 'reconnecting' ? state.reason : undefined}
    >
      {text}
    </div>
  );
}

function StatsOverlay({ stats }: { stats: PlayerStats }) {
  return (
    <div style={statsStyle} data-testid="pane-stats">
      {stats.width}×{stats.height} {stats.codec || '—'} · {stats.fps.toFixed(0)} fps · {stats.bitrateKbps.toFixed(0)}{' '}
      kbit/s · buf {stats.bufferLatencyS.toFixed(2)} s · drop {stats.droppedFrames}
      {stats.ttffMs !== null ? ` · ttff ${Math.round(stats.ttffMs)} ms` : ''}
    </div>
  );
}

const paneStyle: React.CSSProperties = {
  position: 'relative',
  background: '#000',
  overflow: 'hidden',
  minHeight: 0,
  minWidth: 0,
  width: '100%',
  height: '100%',
};
const videoStyle: React.CSSProperties = { width: '100%', height: '100%', objectFit: 'contain', display: 'block' };
const titleStyle: React.CSSProperties = {
  position: 'absolute',
  left: 6,
  bottom: 4,
  color: '#fff',
  fontSize: 12,
  textShadow: '0 0 3px #000',
};
const stateStyle: React.CSSProperties = {
  position: 'absolute',
  inset: 0,
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'center',
  fontSize: 14,
  textAlign: 'center',
  padding: 8,
  textShadow: '0 0 3px #000',
};
const frozenStyle: React.CSSProperties = {
  position: 'absolute',
  inset: 0,
  width: '100%',
  height: '100%',
  objectFit: 'contain',
  filter: 'grayscale(0.6) brightness(0.6)',
};
const statsStyle: React.CSSProperties = {
  position: 'absolute',
  right: 4,
  top: 20,
  color: '#0f0',
  background: 'rgba(0,0,0,0.55)',
  fontSize: 11,
  padding: '1px 4px',
  fontFamily: 'monospace',
};
