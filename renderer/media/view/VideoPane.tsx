import { AudioMutedOutlined } from '@ant-design/icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { failureWhy, LIVE_SAY_WHY_AFTER } from '../session/failure';
import { imageSize, type KeyPictures } from '../key-frames/key-picture';
import { useMediaWindow } from '../media-window';
import { useTranslation } from 'react-i18next';
import type { PaneTranscoding, TranscodeRefusal, TranscodeStatus } from '../session/transcode';
import type { SoundState } from '../session/sound';
import type { PlayerState, PlayerStats, RelayRate, SourceProvider } from '../session/types';
import { usePlayer, type DecodeNeeds } from '../session/usePlayer';
import type { CutReason } from '../budget/decode-budget';

/**
 * One video pane: edge-to-edge video, its state in words, optional stats overlay.
 * `transcode` is main's transcoder (a store's actions), passed in so this stays free of IPC.
 */
export function VideoPane(props: {
  provider: SourceProvider | null;
  title?: string;
  showStats?: boolean;
  /** H.265 this runtime cannot decode plays through main's transcoder (issue 24). */
  transcode?: PaneTranscoding;
  /** The pane's place in the window's decode budget (wall panes): key frames only when it ranks low. */
  decode?: DecodeNeeds;
  /** Main's relay (a store's action): told the pane's rate, it cuts the stream before it reaches the page. */
  relayRate?: RelayRate;
  /** The operator turned this pane's sound on (muted otherwise: the players start muted at every connect). */
  audio?: boolean;
  /** Where its streams come from (the account): it reconnects as soon as another pane from there plays again. */
  from?: string;
  testId?: string;
}) {
  const media = useMediaWindow();
  const videoRef = useRef<HTMLVideoElement>(null);
  // The last good frame stays on screen (dimmed) while the pane reconnects, instead of black.
  const lastFrame = useRef<HTMLCanvasElement>(null);
  const [frozen, setFrozen] = useState(false);
  // Sub ↔ main stream: the old stream's last picture stays (undimmed) until the new stream's first frame.
  const handoverRef = useRef<HTMLCanvasElement>(null);
  const [handover, setHandover] = useState(false);
  /** Set at a switch; cleared once the new connection is under way (its state is no longer the old 'playing'). */
  const switching = useRef(false);
  const [transcoding, setTranscoding] = useState<TranscodeStatus | null>(null);
  const title = useRef(props.title);
  title.current = props.title;
  const audio = useRef(!!props.audio);
  audio.current = !!props.audio;
  const options = useMemo(
    () => ({
      ...(props.transcode
        ? {
            transcode: {
              ...props.transcode,
              // The pane as it is when asked: its size in device pixels, audio on or off, its channel.
              pane: () => {
                const v = videoRef.current;
                const dpr = window.devicePixelRatio || 1;
                return {
                  width: Math.max(16, Math.round((v?.clientWidth || 640) * dpr)),
                  height: Math.max(16, Math.round((v?.clientHeight || 360) * dpr)),
                  audio: audio.current,
                  label: title.current ?? '',
                };
              },
            },
            onTranscode: setTranscoding,
          }
        : {}),
      ...(props.relayRate ? { relayRate: props.relayRate } : {}),
      sound: () => audio.current,
      onLastFrame: (video: HTMLVideoElement) => {
        if (lastFrame.current && drawPaneImage(media.pictures, video, lastFrame.current)) setFrozen(true);
      },
      onSwitch: (video: HTMLVideoElement) => {
        const c = handoverRef.current;
        if (!c || !drawPaneImage(media.pictures, video, c)) return;
        c.style.display = 'block'; // now: the old stream goes before React renders again
        switching.current = true;
        setHandover(true);
      },
    }),
    [props.transcode, props.relayRate, media],
  );
  // The pointer on a pane brings it to full rate (within a GOP) while it stays there.
  const [hovered, setHovered] = useState(false);
  const decode = props.decode && {
    order: props.decode.order,
    needs: { ...props.decode.needs, hovered: hovered || !!props.decode.needs.hovered },
  };
  const { state, stats, rate, takeTranscode, soundChanged, sound } = usePlayer(videoRef, props.provider, {
    ...options,
    ...(decode ? { decode } : {}),
    ...(props.from ? { from: props.from } : {}),
    audible: !!props.audio,
  });
  // Sound follows the operator's choice when it changes (the session's sound component mutes or
  // unmutes; each connection's first frame applies it too).
  useEffect(() => soundChanged(), [props.audio, soundChanged]);
  // A key-frame pane's picture is a canvas drawn with the window's others (key-picture.ts); its video decodes hidden.
  const keyPicture = useRef<HTMLCanvasElement>(null);
  // (An HLS pane's player pauses and steps its video itself: key-picture.ts only draws it.) The
  // picture stays while the pane is held unseen and until its rate is known again after (no frame
  // passes until a key frame): its video holds a frame as old as the reduction (flv-rate.ts).
  const keyShown = useRef<PlayerStats['engine'] | undefined>(undefined);
  if (state.kind === 'playing' && rate !== 'none') keyShown.current = rate === 'key' ? stats?.engine : undefined;
  else if (state.kind !== 'playing' && state.kind !== 'held') keyShown.current = undefined;
  const keyEngine = keyShown.current;
  // The badge goes with the picture: also after a hold, until the pane's rate is known again.
  const reduced = (rate === 'key' || !!keyEngine) && state.kind === 'playing';
  useEffect(() => {
    const video = videoRef.current;
    const canvas = keyPicture.current;
    if (!keyEngine || !video || !canvas) return;
    return media.pictures.showKeyPicture(video, canvas, { playerSteps: keyEngine === 'hls' });
  }, [keyEngine, media]);
  // Held unseen, the pane keeps its picture and says nothing (nobody sees it; it comes back within a GOP).
  const quiet = state.kind === 'playing' || state.kind === 'held' || state.kind === 'idle';
  const showFrozen = frozen && !quiet;
  useEffect(() => setFrozen(false), [props.provider]);
  useEffect(() => {
    if (!handover) return;
    if (state.kind !== 'playing') {
      switching.current = false;
      // The new stream failed: the pane says so as usual, not over an old picture shown as live.
      if (state.kind !== 'connecting' && state.kind !== 'idle') setHandover(false);
      return;
    }
    if (switching.current) return; // still the old stream's state
    // The new stream decoded its first frame: hand over once the video presents a frame (or shortly).
    const video = videoRef.current;
    let done = false;
    const end = () => {
      if (!done) setHandover(false);
      done = true;
    };
    const timer = setTimeout(end, 300);
    video?.requestVideoFrameCallback?.(end);
    return () => {
      done = true;
      clearTimeout(timer);
    };
  }, [handover, state.kind]);
  return (
    <div
      className="vigil-pane"
      data-testid={props.testId}
      data-state={state.kind}
      data-rate={rate}
      data-full-frames={stats?.fullRate.decoded}
      data-full-dropped={stats?.fullRate.dropped}
      data-cut-in-page={stats?.cutInPage}
      data-gop-ms={stats?.gopMs ?? undefined}
      data-sound={sound.kind}
      data-handover={handover ? '' : undefined}
      style={paneStyle}
      onMouseEnter={props.decode ? () => setHovered(true) : undefined}
      onMouseLeave={props.decode ? () => setHovered(false) : undefined}
    >
      <video ref={videoRef} muted playsInline style={videoStyle} />
      {/* shown, and the video hidden, by key-picture.ts once it holds a picture */}
      <canvas ref={keyPicture} data-testid="pane-key-picture" style={{ ...handoverStyle, display: 'none' }} />
      <canvas
        ref={lastFrame}
        data-testid="pane-last-frame"
        style={{ ...frozenStyle, display: showFrozen ? 'block' : 'none' }}
      />
      <canvas
        ref={handoverRef}
        data-testid="pane-handover"
        style={{ ...handoverStyle, display: handover ? 'block' : 'none' }}
      />
      {props.title && (
        <div
          style={{
            ...titleStyle,
            maxWidth: reduced ? 'calc(100% - 140px)' : 'calc(100% - 12px)',
          }}
          title={props.title}
        >
          {props.title}
        </div>
      )}
      {state.kind === 'transcode-refused' ? (
        <Refused refusal={state.refusal} take={takeTranscode} />
      ) : (
        !quiet && !(handover && state.kind === 'connecting') && <StateText state={state} />
      )}
      {transcoding && state.kind === 'playing' && <TranscodeBadge status={transcoding} link={props.transcode} />}
      {reduced && <ReducedBadge why={media.budget.reason} />}
      {state.kind === 'playing' && <SoundBadge sound={sound} wanted={!!props.audio} />}
      {props.showStats && stats && <StatsOverlay stats={stats} />}
    </div>
  );
}

/**
 * Draws what the pane shows — its key picture while that covers the video (key-picture.ts), else
 * the video's frame — onto `canvas`, at that picture's size; false where there is no picture.
 */
function drawPaneImage(pictures: KeyPictures, video: HTMLVideoElement, canvas: HTMLCanvasElement): boolean {
  const image = pictures.paneImage(video);
  const [width, height] = imageSize(image);
  if (!width || !height) return false;
  [canvas.width, canvas.height] = [width, height];
  canvas.getContext('2d')?.drawImage(image, 0, 0);
  return true;
}

/** Key frames only: the picture refreshes about once a second, and why (decode-budget.ts). */
function ReducedBadge({ why }: { why: CutReason | null }) {
  const { t } = useTranslation();
  const reason = why === 'behind' ? t('media.reducedBehind') : why === 'bigWall' ? t('media.reducedBigWall') : '';
  return (
    <div
      style={reducedStyle}
      data-testid="pane-reduced"
      data-reason={why ?? ''}
      title={[reason && t(`media.reducedWhy.${why}`), t('media.reducedTip')].filter(Boolean).join(' ')}
    >
      {t('media.reduced')}
      {reason && ` · ${reason}`}
    </div>
  );
}

/**
 * A muted speaker where the pane's sound cannot be heard and why: a codec this computer cannot play
 * (always: the camera has sound the operator is missing), or no sound at all (when it was asked for).
 */
function SoundBadge({ sound, wanted }: { sound: SoundState; wanted: boolean }) {
  const { t } = useTranslation();
  const why =
    sound.kind === 'unplayable'
      ? t('media.soundUnplayable', { codec: sound.codec })
      : sound.kind === 'none' && wanted
        ? t('media.soundNone')
        : null;
  if (!why) return null;
  return (
    <div style={soundStyle} data-testid="pane-sound-muted" title={why} aria-label={why} role="img">
      <AudioMutedOutlined />
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

/** "H.265 → H.264" and what it costs: the budget's charge, and the CPU main's ffmpeg measured. */
function TranscodeBadge({ status, link }: { status: TranscodeStatus; link?: PaneTranscoding }) {
  const { t } = useTranslation();
  const cpu = link?.cpu?.(status.id) ?? null;
  const cores = (link?.cost?.(status.id) ?? status.costCores).toFixed(2);
  return (
    <div
      style={badgeStyle}
      data-testid="pane-transcode"
      data-transcode-id={status.id}
      title={t('media.transcodeBadgeTip', { codec: status.codec, cores, budget: link?.budgetCores?.() ?? '?' })}
    >
      {t('media.transcodeBadge')} ·{' '}
      {cpu !== null ? t('media.transcodeCpu', { pct: cpu }) : t('media.transcodeCost', { cores })}
    </div>
  );
}

/** The budget is spent: what this pane needs, and a button per transcode to take its place. */
function Refused({ refusal, take }: { refusal: TranscodeRefusal; take: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <div style={{ ...stateStyle, flexDirection: 'column', gap: 6, color: '#faad14' }} data-testid="pane-state">
      <span data-testid="pane-transcode-refused">
        {t('media.transcodeRefused', {
          codec: refusal.codec,
          need: refusal.needCores.toFixed(2),
          budget: refusal.budgetCores,
          used: refusal.usedCores.toFixed(2),
        })}
      </span>
      {refusal.holders.map((h) => (
        <button
          key={h.id}
          type="button"
          data-testid="pane-transcode-take"
          style={takeStyle}
          onClick={(e) => {
            e.stopPropagation();
            take(h.id);
          }}
        >
          {t('media.transcodeTake', { label: h.label || '—', cores: h.costCores.toFixed(2) })}
        </button>
      ))}
    </div>
  );
}

function StatsOverlay({ stats }: { stats: PlayerStats }) {
  return (
    <div style={statsStyle} data-testid="pane-stats">
      {stats.width}×{stats.height} {stats.codec || '—'} · {stats.fps.toFixed(0)} fps · {stats.bitrateKbps.toFixed(0)}{' '}
      kbit/s · buf {stats.bufferLatencyS.toFixed(2)} s · drop {stats.droppedFrames}
      {stats.gopMs !== null ? ` · GOP ${(stats.gopMs / 1000).toFixed(1)} s` : ''}
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
// A long channel name ends in "…" before the pane's edge, or before the "Key frames" badge.
const titleStyle: React.CSSProperties = {
  position: 'absolute',
  left: 6,
  bottom: 4,
  color: '#fff',
  fontSize: 12,
  textShadow: '0 0 3px #000',
  overflow: 'hidden',
  whiteSpace: 'nowrap',
  textOverflow: 'ellipsis',
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
const handoverStyle: React.CSSProperties = {
  position: 'absolute',
  inset: 0,
  width: '100%',
  height: '100%',
  objectFit: 'contain',
};
const frozenStyle: React.CSSProperties = { ...handoverStyle, filter: 'grayscale(0.6) brightness(0.6)' };
const badgeStyle: React.CSSProperties = {
  position: 'absolute',
  left: 4,
  top: 4,
  color: '#fff',
  background: 'rgba(114, 46, 209, 0.8)',
  fontSize: 11,
  padding: '0 5px',
  borderRadius: 3,
  pointerEvents: 'auto',
};
const takeStyle: React.CSSProperties = {
  fontSize: 12,
  padding: '2px 8px',
  background: '#1f1f1f',
  color: '#fff',
  border: '1px solid #434343',
  borderRadius: 4,
  cursor: 'pointer',
};
const reducedStyle: React.CSSProperties = {
  position: 'absolute',
  right: 4,
  bottom: 4,
  color: '#d9d9d9',
  background: 'rgba(0,0,0,0.55)',
  fontSize: 10,
  padding: '0 4px',
  borderRadius: 3,
};
const soundStyle: React.CSSProperties = {
  position: 'absolute',
  left: 4,
  bottom: 4,
  color: '#d9d9d9',
  background: 'rgba(0,0,0,0.55)',
  fontSize: 12,
  lineHeight: '16px',
  padding: '0 4px',
  borderRadius: 3,
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
  // Wraps within a small pane instead of running past its edge.
  maxWidth: 'calc(100% - 8px)',
  whiteSpace: 'normal',
};
