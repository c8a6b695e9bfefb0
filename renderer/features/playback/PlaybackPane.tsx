import { Button } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlaybackControlRequest, TranscodeHolder } from '../../../preload/contract';
import { mediaToWall, wallToMedia, type DatedFragment } from '../../media/session/dated';
import { failureWhy } from '../../media/session/failure';
import { PaneSession } from '../../media/session/pane-session';
import { useMediaWindow } from '../../media/media-window';
import { playbackRetry } from '../../media/session/reconnect';
import { UNKNOWN_SOUND, type SoundState } from '../../media/session/sound';
import type { PlaySource, PlayerState } from '../../media/session/types';
import { decodesH265 } from '../../media/engines/codecs';
import { HEVC_FROM_PLATFORM, needsTranscode, transcodedSource } from '../../media/session/transcode';
import { paneTranscoding } from '../../stores/transcode/store';
import { useShallow } from 'zustand/react/shallow';
import {
  paneSegment,
  selectGapRead,
  selectIsSelected,
  selectPlaybackActions,
  selectSeekSeq,
  selectSegmentKey,
  selectSpeed,
  selectUnlisted,
} from '../../stores/playback/selectors';
import { usePlaybackStore, type PlaybackState } from '../../stores/playback/store';
import type { PaneContent } from '../../stores/wall/store';
import { PaneSpeaker, soundAtSpeed } from './PaneSpeaker';

const HOLD_MAX_MS = 10_000;
const PLAYBACK_TRIES = playbackRetry.maxTries;

/** What the pane plays: the media session (engine, retries) and what this recording's opening means. */
interface Engine {
  media: PaneSession;
  baseMs: number;
  kind: 'cloud' | 'device';
  /** the playlist's own dates, when it has them (exact even across gaps between recordings) */
  dated?: DatedFragment[];
  /** a device-side session the platform controls (Tencent E37): what it was last told */
  session?: { accountId: string; channelId: string; id: string; scale: number; paused: boolean };
  /** main's H.265 → H.264 transcode feeding it (plays on from where it was opened, like a device stream) */
  transcode?: string;
  /** that transcode carries the recording's sound (asked for with the pane listened to) */
  transcodeSound?: boolean;
  /** opened in a gap before its recording (by the playlist's dates): holds its first picture until then */
  waitUntilMs?: number;
  /** its first picture is on screen: from then on, the store says whether its video plays */
  shown?: boolean;
}

/** Stops the player, and the device's session so it stops sending (E37 stop). */
function release(e: Engine | null): void {
  if (!e) return;
  e.media.stop();
  releaseOpening(e);
}

/** Stops what one opening of the recording asked for: main's transcode, the device's session. */
function releaseOpening(e: Engine): void {
  if (e.transcode) paneTranscoding.stop(e.transcode);
  if (e.session)
    void usePlaybackStore.getState().control({
      accountId: e.session.accountId,
      channelId: e.session.channelId,
      session: e.session.id,
      action: 'stop',
    });
}

/**
 * One playback pane following the shared cursor: it loads the recording under the cursor
 * (cloud HLS for the whole segment, seekable; device FLV from the cursor), seeks when it drifts
 * more than 1.5 s, plays at the shared speed, and says "no recording" in gaps. A platform that
 * lists no recordings (Alibaba VCS) plays a window from the cursor and says what the platform says.
 * Its sound is the live pane's (the session's PaneSound): muted unless the operator listens to this
 * pane (`audible`: one pane of the page at a time), and heard at 1× only (soundAtSpeed).
 */
export function PlaybackPane({
  index,
  content,
  audible = false,
  onAudible,
}: {
  index: number;
  content: PaneContent | null;
  /** The operator listens to this pane (the page keeps one at most). */
  audible?: boolean;
  /** The pane's speaker was clicked: listen to it, or stop. */
  onAudible?: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const media = useMediaWindow();
  const videoRef = useRef<HTMLVideoElement>(null);
  const engine = useRef<Engine | null>(null);
  /** What the recording carries as sound (none, a codec it plays, one it cannot), from the session. */
  const [sound, setSound] = useState<SoundState>(UNKNOWN_SOUND);
  const speed = usePlaybackStore(selectSpeed);
  const audibleRef = useRef(audible);
  audibleRef.current = audible;
  const onAudibleRef = useRef(onAudible);
  onAudibleRef.current = onAudible;
  /** Read by the session at each first frame and change: listened to, at a speed sound plays at. */
  const heard = () => audibleRef.current && soundAtSpeed(usePlaybackStore.getState().speed);
  /** H.265 this runtime cannot decode was seen on this channel: its recordings go through main's transcoder. */
  const hevc = useRef<string | null>(null);
  /** The budget refused this pane's transcode: whose transcodes hold it (offered to take over). */
  const [refusal, setRefusal] = useState<TranscodeHolder[] | null>(null);
  /** Another pane's transcode to take on the next request (the operator's swap, as on the wall). */
  const takeOver = useRef<string | null>(null);
  useEffect(() => {
    hevc.current = null;
    setRefusal(null);
    // Another camera starts quiet, as on the wall.
    if (audibleRef.current) onAudibleRef.current?.(false);
  }, [content]);
  const [reload, setReload] = useState(0);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<'empty' | 'loading' | 'retrying' | 'playing' | 'gap' | 'error'>('empty');
  const [error, setError] = useState('');
  // Opening a recording fails now and then: the session tries again as playbackRetry says (1, 2,
  // 4, 8 s), saying why, then gives up until the user seeks or retries.
  const [retry, setRetry] = useState<{ attempt: number; seconds: number } | null>(null);
  const tryAgain = () => setReload((n) => n + 1);
  const why = (reason: string) => {
    const w = failureWhy(reason);
    return t(`media.why.${w.why}`, { status: w.status, reason });
  };
  // The pane re-renders when what the cursor means to it changes (another recording, a gap), not
  // every frame: it follows the moving cursor through a store subscription below.
  const isSelected = usePlaybackStore(selectIsSelected(index));
  const { select, setWaiting } = usePlaybackStore(useShallow(selectPlaybackActions));
  const unlisted = usePlaybackStore(selectUnlisted(content));
  // The unlisted window stays put while the cursor moves inside it (one request, then seeking).
  const windowStart = useRef<number | undefined>(undefined);
  const segId = usePlaybackStore(selectSegmentKey(content, windowStart.current));
  windowStart.current = unlisted && segId ? Number(segId.split(':')[1]) : undefined;
  // Only matters in a gap: "loading" until the cursor's day has been read, then "no recording".
  const gapRead = usePlaybackStore(selectGapRead(content, windowStart.current));

  // (Re)load when the segment under the cursor changes: a session per recording opened, which asks
  // for it again on each try; the previous one plays on until the new one has its source.
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !content) return;
    const seg = paneSegment(usePlaybackStore.getState(), content, windowStart.current);
    if (!seg) {
      release(engine.current);
      engine.current = null;
      setRetry(null);
      setStatus(gapRead === 'done' || gapRead === 'error' ? 'gap' : 'empty');
      return;
    }
    let cancelled = false;
    setStatus('loading');
    /** This recording's current opening (each try opens it afresh). */
    let opened: Engine | null = null;
    const provider = async (): Promise<PlaySource> => {
      const startMs = seg.kind === 'cloud' ? seg.startMs : Math.max(seg.startMs, usePlaybackStore.getState().cursorMs);
      // Transcoded, the recording plays on from the cursor (ffmpeg seeks into it): a jump re-opens it.
      const openedAtMs = usePlaybackStore.getState().cursorMs;
      const transcodeFrom = Math.max(0, (openedAtMs - startMs) / 1000);
      const src = await usePlaybackStore.getState().source({
        accountId: content.accountId,
        channelId: content.channelId,
        kind: seg.kind,
        startMs: Math.floor(startMs),
        endMs: Math.floor(seg.endMs),
      });
      if (cancelled) throw new Error('cancelled');
      let transcode: { id: string; url: string; fromMs: number; sound: boolean } | null = null;
      // The platform says H.265 and this runtime cannot decode it: through the transcoder at once.
      if (!hevc.current && src.codec === 'h265' && !decodesH265()) hevc.current = HEVC_FROM_PLATFORM;
      if (hevc.current) {
        // Another pane's (a swap), else this pane's own, which the new one replaces.
        const replace = takeOver.current ?? opened?.transcode ?? engine.current?.transcode;
        const answer = await paneTranscoding.request({
          url: src.url,
          protocol: src.protocol,
          width: Math.max(16, Math.round(video.clientWidth * (window.devicePixelRatio || 1))),
          height: Math.max(16, Math.round(video.clientHeight * (window.devicePixelRatio || 1))),
          // Sound costs main an AAC encode: only for the pane listened to (turned on later: reopened).
          audio: heard(),
          label: content.name ?? content.channelId,
          live: false,
          ...(transcodeFrom > 0 ? { startAt: transcodeFrom } : {}),
          // An HLS recording starts where its playlist's dates put the cursor: a platform's range
          // may begin later or earlier than asked (Alibaba VCS' window begins at its first recording).
          ...(src.protocol === 'hls' ? { atMs: Math.floor(openedAtMs) } : {}),
          ...(replace ? { replace } : {}),
        });
        takeOver.current = null;
        if (cancelled) {
          if (answer.ok) paneTranscoding.stop(answer.id);
          throw new Error('cancelled');
        }
        setRefusal(answer.ok ? null : answer.holders);
        if (!answer.ok)
          throw new Error(
            t('media.transcodeRefused', {
              codec: hevc.current,
              need: answer.needCores.toFixed(2),
              budget: answer.budgetCores,
              used: answer.usedCores.toFixed(2),
            }),
          );
        transcode = {
          id: answer.id,
          url: answer.url,
          fromMs: answer.startsAtMs ?? startMs + transcodeFrom * 1000,
          sound: heard(),
        };
      }
      // The new opening replaces the pane's previous recording (and this one's previous try).
      if (opened) releaseOpening(opened);
      if (engine.current && engine.current.media !== session) release(engine.current);
      opened = {
        media: session,
        baseMs: transcode ? transcode.fromMs : startMs,
        kind: transcode ? 'device' : seg.kind,
        ...(transcode ? { transcode: transcode.id, transcodeSound: transcode.sound } : {}),
        ...(transcode && transcode.fromMs > usePlaybackStore.getState().cursorMs
          ? { waitUntilMs: transcode.fromMs }
          : {}),
        ...(src.session
          ? {
              session: {
                accountId: content.accountId,
                channelId: content.channelId,
                id: src.session,
                scale: 1,
                paused: false,
              },
            }
          : {}),
      };
      engine.current = opened;
      // Recordings carry their sound (AAC, or G.711 the FLV loader makes playable): playback panes are
      // never cut by the decode budget, and turning a pane's sound on then needs no reopening.
      return transcode
        ? transcodedSource({ protocol: src.protocol, url: src.url, live: false }, transcode.url, transcode.sound)
        : { protocol: src.protocol, url: src.url, live: false };
    };
    const onState = (state: PlayerState) => {
      if (cancelled) {
        // Replaced (its successor owns the pane's status): one that fails now is not tried again.
        if (state.kind !== 'playing' && state.kind !== 'connecting' && state.kind !== 'idle') session.stop();
        return;
      }
      switch (state.kind) {
        case 'playing': {
          setRetry(null);
          setStatus('playing');
          if (!opened || engine.current !== opened) return;
          opened.shown = true;
          if (!usePlaybackStore.getState().playing) videoRef.current?.pause();
          return;
        }
        case 'connecting':
          return setStatus((s) => (s === 'playing' ? s : 'loading'));
        case 'reconnecting':
          setError(state.reason);
          setRetry({ attempt: state.attempt, seconds: state.inMs / 1000 });
          return setStatus('retrying');
        case 'unsupported-codec':
          if (!hevc.current && needsTranscode(state.codec)) {
            // H.265 this runtime cannot decode: open it again through main's transcoder.
            hevc.current = state.codec;
            setReload((n) => n + 1);
            return;
          }
          setError(`unsupported codec ${state.codec}`);
          setRetry(null);
          return setStatus('error');
        case 'error':
          setError(state.reason);
          setRetry(null);
          return setStatus('error');
      }
    };
    const session = new PaneSession({
      mode: 'playback',
      video,
      provider,
      media,
      onState,
      sound: heard,
      // (A session replaced by the next recording's says nothing more of the pane's sound.)
      onSound: (s) => (!cancelled || engine.current?.media === session) && setSound(s),
      // A cloud recording opens at the cursor's place in it (a device one, or a transcode, is opened there).
      onLoad: () => {
        const e = opened;
        if (!e || e.kind !== 'cloud') return;
        const offset = (usePlaybackStore.getState().cursorMs - e.baseMs) / 1000;
        if (offset > 0.5) video.currentTime = offset;
      },
      // A dated playlist says when each fragment was recorded: seek to the cursor on that clock.
      onDated: (fragments) => {
        const e = opened;
        if (!e || engine.current !== e) return;
        e.dated = fragments;
        const at = wallToMedia(fragments, usePlaybackStore.getState().cursorMs);
        if (at !== null && Math.abs(video.currentTime - at) > 0.5) video.currentTime = at;
      },
    });
    session.start();
    return () => {
      cancelled = true;
      // Not yet the pane's recording (its source still being asked for): it goes now. Otherwise it
      // plays on until the next one replaces it (or the pane goes).
      if (engine.current?.media !== session) {
        session.stop();
        if (opened) releaseOpening(opened);
      }
    };
  }, [content, segId, gapRead, reload, media]);

  // Follow the cursor and the speed: on every change of either (each animation frame while playing),
  // outside React's render.
  useEffect(() => {
    const follow = ({ cursorMs, playing, speed }: PlaybackState) => {
      const video = videoRef.current;
      const e = engine.current;
      if (!video || !e) return;
      video.playbackRate = speed;
      // In the gap before the recording it opened, its first picture waits for the cursor (a jump
      // out of the unlisted window opens another one: the pane reloads).
      if (e.waitUntilMs !== undefined) {
        if (cursorMs < e.waitUntilMs) {
          if (!video.paused) video.pause();
          return;
        }
        delete e.waitUntilMs;
      }
      const position = (e.dated && mediaToWall(e.dated, video.currentTime)) ?? e.baseMs + video.currentTime * 1000;
      if (e.kind === 'cloud' && video.readyState > 0 && Math.abs(position - cursorMs) > 1500)
        video.currentTime = (e.dated && wallToMedia(e.dated, cursorMs)) ?? Math.max(0, (cursorMs - e.baseMs) / 1000);
      // A device stream plays on from where it was opened: a jump elsewhere asks for a new one.
      if (e.kind === 'device' && video.readyState > 0 && Math.abs(position - cursorMs) > 3000) setReload((n) => n + 1);
      if (playing && video.paused) void video.play().catch(() => undefined);
      if (!playing && !video.paused) video.pause();
      // The device sends at the pace it is told (E37): speed and pause go to it as well as to the player.
      // A speed is told with play (E37: change speed = play + Scale), so one picked while paused
      // waits for the next play; `scale` is what the device was last told.
      const session = e.session;
      const scaleDue = session !== undefined && session.scale !== speed;
      if (session && playing && (session.paused || scaleDue)) {
        session.paused = false;
        session.scale = speed;
        void usePlaybackStore
          .getState()
          .control({
            accountId: session.accountId,
            channelId: session.channelId,
            session: session.id,
            action: 'play',
            ...(scaleDue ? { scale: speed as PlaybackControlRequest['scale'] } : {}),
          })
          .then((why) => setNote(why ?? ''));
      } else if (session && !playing && !session.paused) {
        session.paused = true;
        void usePlaybackStore
          .getState()
          .control({ accountId: session.accountId, channelId: session.channelId, session: session.id, action: 'pause' })
          .then((why) => setNote(why ?? ''));
      }
    };
    follow(usePlaybackStore.getState());
    return usePlaybackStore.subscribe((s, prev) => {
      if (s.cursorMs !== prev.cursorMs || s.playing !== prev.playing || s.speed !== prev.speed) follow(s);
    });
  }, []);

  // The players start their video once it has loaded (the wall wants that); here the store decides:
  // a pane opened or reloaded while playback is paused stops on its first picture (above), and a
  // player starting it again later is paused too. It ran on, while its ▶, cursor and timeline stood
  // still, so a snapshot or an export from the cursor named another time.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const onPlay = () => {
      if (engine.current?.shown && !usePlaybackStore.getState().playing) video.pause();
    };
    video.addEventListener('play', onPlay);
    return () => video.removeEventListener('play', onPlay);
  }, []);

  useEffect(
    () => () => {
      release(engine.current);
      engine.current = null;
    },
    [],
  );

  // The operator's listening and the speed decide the sound (the session's PaneSound mutes or
  // unmutes); a transcode made without sound is opened again with it.
  useEffect(() => {
    const e = engine.current;
    e?.media.soundChanged();
    if (e?.transcode && !e.transcodeSound && audible && soundAtSpeed(speed)) setReload((n) => n + 1);
  }, [audible, speed]);

  // Any seek reloads a pane that failed (retrying or given up), with a fresh count of tries.
  const seekSeq = usePlaybackStore(selectSeekSeq);
  const seen = useRef(seekSeq);
  useEffect(() => {
    if (seen.current === seekSeq) return;
    seen.current = seekSeq;
    if (status === 'error' || status === 'retrying') tryAgain();
  }, [seekSeq, status]);

  // The shared clock waits while this pane loads or rebuffers the video at the cursor, for at
  // most HOLD_MAX_MS at a time: one slow source must not freeze every other pane for good.
  useEffect(() => {
    let timer: number | undefined;
    const on = () => {
      setWaiting(index, true);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => setWaiting(index, false), HOLD_MAX_MS);
    };
    const off = () => {
      window.clearTimeout(timer);
      setWaiting(index, false);
    };
    if (status === 'loading' || status === 'retrying') on();
    else off();
    const video = videoRef.current;
    if (video && status === 'playing') {
      video.addEventListener('waiting', on);
      video.addEventListener('playing', off);
      video.addEventListener('seeked', off);
    }
    return () => {
      window.clearTimeout(timer);
      video?.removeEventListener('waiting', on);
      video?.removeEventListener('playing', off);
      video?.removeEventListener('seeked', off);
    };
  }, [index, status, setWaiting]);
  useEffect(() => () => setWaiting(index, false), [index, setWaiting]);

  return (
    <div
      data-testid={`playback-pane-${index}`}
      data-status={status}
      onClick={() => select(index)}
      style={{
        position: 'relative',
        background: '#000',
        outline: isSelected ? '2px solid #1677ff' : '1px solid #222',
        outlineOffset: -2,
        minHeight: 0,
        minWidth: 0,
      }}
    >
      <video
        ref={videoRef}
        muted
        playsInline
        style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block' }}
      />
      {content && (
        <div
          style={{ position: 'absolute', left: 6, bottom: 4, color: '#fff', fontSize: 12, textShadow: '0 0 3px #000' }}
        >
          {content.name}
        </div>
      )}
      {content && status === 'playing' && (
        <PaneSpeaker audible={audible} sound={sound} speed={speed} onToggle={() => onAudible?.(!audible)} />
      )}
      {note && status === 'playing' && (
        <div
          data-testid="playback-note"
          style={{
            position: 'absolute',
            left: 6,
            top: 4,
            right: 6,
            color: '#faad14',
            fontSize: 12,
            textShadow: '0 0 3px #000',
          }}
        >
          {note}
        </div>
      )}
      {status !== 'playing' && (
        <div
          data-testid="playback-pane-text"
          style={{
            position: 'absolute',
            inset: 0,
            display: 'flex',
            flexDirection: 'column',
            gap: 8,
            alignItems: 'center',
            justifyContent: 'center',
            textAlign: 'center',
            padding: 8,
            color: status === 'error' ? '#ff4d4f' : status === 'retrying' ? '#faad14' : '#8c8c8c',
          }}
        >
          {status === 'empty'
            ? content
              ? t('common.loading')
              : t('playback.pick')
            : status === 'gap'
              ? t('playback.noRecording')
              : status === 'loading'
                ? t('common.loading')
                : status === 'retrying' && retry
                  ? t('playback.retrying', {
                      why: why(error),
                      seconds: retry.seconds,
                      attempt: retry.attempt,
                      max: PLAYBACK_TRIES,
                    })
                  : t('playback.failed', { why: why(error), max: PLAYBACK_TRIES })}
          {status === 'error' && (
            <Button size="small" data-testid="playback-retry" onClick={tryAgain}>
              {t('playback.retry')}
            </Button>
          )}
          {(status === 'error' || status === 'retrying') &&
            refusal?.map((h) => (
              <Button
                key={h.id}
                size="small"
                data-testid="playback-transcode-take"
                onClick={() => {
                  takeOver.current = h.id;
                  tryAgain();
                }}
              >
                {t('media.transcodeTake', { label: h.label || '—', cores: h.costCores.toFixed(2) })}
              </Button>
            ))}
        </div>
      )}
    </div>
  );
}
