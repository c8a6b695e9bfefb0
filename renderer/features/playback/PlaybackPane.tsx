import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../../ipc';
import { FlvPlayer } from '../../media/flv-player';
import { HlsPlayer } from '../../media/hls-player';
import { segmentKey, usePlaybackStore } from '../../stores/playback/store';
import type { PaneContent } from '../../stores/wall/store';
import { segmentAt } from './timeline';

/**
 * One playback pane following the shared cursor: it loads the recording under the cursor
 * (cloud HLS for the whole segment, seekable; device FLV from the cursor), seeks when it drifts
 * more than 1.5 s, plays at the shared speed, and says "no recording" in gaps.
 */
export function PlaybackPane({ index, content }: { index: number; content: PaneContent | null }) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement>(null);
  const engine = useRef<{ player: FlvPlayer | HlsPlayer; key: string; baseMs: number; kind: 'cloud' | 'device' } | null>(null);
  const [status, setStatus] = useState<'empty' | 'loading' | 'playing' | 'gap' | 'error'>('empty');
  const [error, setError] = useState('');
  const { cursorMs, playing, speed, dayStartMs, segments, selected, select } = usePlaybackStore();
  const list = content ? (segments[segmentKey(content, dayStartMs)]?.list ?? []) : [];
  const seg = content ? segmentAt(list, cursorMs) : null;
  const segId = seg ? `${seg.kind}:${seg.startMs}` : null;

  // (Re)load when the segment under the cursor changes.
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !content) return;
    if (!seg) {
      engine.current?.player.destroy();
      engine.current = null;
      setStatus(list.length || segments[segmentKey(content, dayStartMs)] ? 'gap' : 'empty');
      return;
    }
    let cancelled = false;
    setStatus('loading');
    const startMs = seg.kind === 'cloud' ? seg.startMs : Math.max(seg.startMs, usePlaybackStore.getState().cursorMs);
    invoke('playback:source', { accountId: content.accountId, channelId: content.channelId, kind: seg.kind, startMs: Math.floor(startMs), endMs: Math.floor(seg.endMs) })
      .then((src) => {
        if (cancelled) return;
        engine.current?.player.destroy();
        const player = src.protocol === 'hls' ? new HlsPlayer() : new FlvPlayer();
        player.attach(video);
        player.on('error', (e) => {
          setStatus('error');
          setError(e.reason);
        });
        player.on('first-frame', () => setStatus('playing'));
        player.load({ protocol: src.protocol, url: src.url, live: false, hasAudio: false });
        engine.current = { player, key: segId!, baseMs: startMs, kind: seg.kind };
        const offset = (usePlaybackStore.getState().cursorMs - startMs) / 1000;
        if (seg.kind === 'cloud' && offset > 0.5) video.currentTime = offset;
      })
      .catch((e: Error) => {
        if (cancelled) return;
        setStatus('error');
        setError(e.message);
      });
    return () => {
      cancelled = true;
    };
  }, [content, segId]);

  // Follow the cursor and the speed.
  useEffect(() => {
    const video = videoRef.current;
    const e = engine.current;
    if (!video || !e) return;
    video.playbackRate = speed;
    const position = e.baseMs + video.currentTime * 1000;
    if (e.kind === 'cloud' && video.readyState > 0 && Math.abs(position - cursorMs) > 1500) video.currentTime = Math.max(0, (cursorMs - e.baseMs) / 1000);
    if (playing && video.paused) void video.play().catch(() => undefined);
    if (!playing && !video.paused) video.pause();
  }, [cursorMs, playing, speed]);

  useEffect(() => () => engine.current?.player.destroy(), []);

  return (
    <div
      data-testid={`playback-pane-${index}`}
      data-status={status}
      onClick={() => select(index)}
      style={{ position: 'relative', background: '#000', outline: selected === index ? '2px solid #1677ff' : '1px solid #222', outlineOffset: -2, minHeight: 0, minWidth: 0 }}
    >
      <video ref={videoRef} muted playsInline style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block' }} />
      {content && <div style={{ position: 'absolute', left: 6, bottom: 4, color: '#fff', fontSize: 12, textShadow: '0 0 3px #000' }}>{content.name}</div>}
      {status !== 'playing' && (
        <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', color: status === 'error' ? '#ff4d4f' : '#8c8c8c' }}>
          {status === 'empty' ? (content ? t('common.loading') : t('playback.pick')) : status === 'gap' ? t('playback.noRecording') : status === 'loading' ? t('common.loading') : error}
        </div>
      )}
    </div>
  );
}
