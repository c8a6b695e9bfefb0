import { useEffect, useMemo, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { RecordingSegment } from '../../../preload/contract';
import { formatTime } from '../../model/time-format';
import { xToTime, type View } from '../../model/timeline';
import { selectHover } from '../../stores/thumbnails/selectors';
import { useThumbnailsStore, type Picture, type ThumbRow } from '../../stores/thumbnails/store';

/** A timeline row's camera, for its pictures. */
export type ThumbCamera = { accountId: string; channelId: string };

const PICTURE_W = 192;
const PICTURE_H = 108;

/**
 * The timeline's pictures, mounted inside it: tells the thumbnails store which camera each row
 * is, the view and its width, and where the pointer rests (no picture while dragging); shows the
 * picture under the pointer above the timeline (in a layer over the page: the timeline clips).
 */
export function TimelineThumbs(props: {
  host: RefObject<HTMLDivElement | null>;
  view: View;
  width: number;
  tracks: Array<{ segments: RecordingSegment[]; unlisted?: boolean; thumbs?: ThumbCamera }>;
  /** The first row's top, and the distance from one row's top to the next (px). */
  rowTop: number;
  rowPitch: number;
  rowH: number;
}) {
  const { host, view, width, tracks, rowTop, rowPitch, rowH } = props;
  const rows = useMemo<Array<ThumbRow | null>>(
    () => tracks.map((t) => (t.thumbs ? { ...t.thumbs, segments: t.segments, unlisted: !!t.unlisted } : null)),
    [tracks],
  );
  useEffect(() => useThumbnailsStore.getState().setTimeline(rows, view, width), [rows, view, width]);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const { hoverAt, leave } = useThumbnailsStore.getState();
    const onMove = (e: PointerEvent) => {
      if (e.buttons) return leave(); // a pan, scrub or selection: the picture would only flicker
      const r = el.getBoundingClientRect();
      const y = e.clientY - r.top - rowTop;
      const row = y >= 0 && y % rowPitch < rowH ? Math.floor(y / rowPitch) : null;
      hoverAt(row, xToTime(e.clientX - r.left, view, r.width), e.clientX, r.top);
    };
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerleave', leave);
    return () => {
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerleave', leave);
    };
  }, [host, view, rowTop, rowPitch, rowH]);
  useEffect(() => () => useThumbnailsStore.getState().leave(), []);
  return <HoverPicture />;
}

function HoverPicture() {
  const { t } = useTranslation();
  const hover = useThumbnailsStore(useShallow(selectHover));
  if (!hover) return null;
  const left = Math.max(4, Math.min(window.innerWidth - PICTURE_W - 8, hover.clientX - PICTURE_W / 2));
  return createPortal(
    <div
      data-testid="thumb-hover"
      data-state={hover.picture.state}
      style={{
        position: 'fixed',
        left,
        top: Math.max(4, hover.top - PICTURE_H - 26),
        width: PICTURE_W,
        zIndex: 1000,
        pointerEvents: 'none',
        background: '#000',
        border: '1px solid #595959',
        borderRadius: 2,
        boxShadow: '0 2px 8px rgba(0,0,0,0.6)',
      }}
    >
      <PictureBox picture={hover.picture} width={PICTURE_W} height={PICTURE_H} label={t('thumbnails.hover')} />
      <div style={{ fontSize: 11, lineHeight: '18px', color: '#d9d9d9', padding: '0 4px' }}>
        {formatTime(hover.atMs, true)}
      </div>
    </div>,
    document.body,
  );
}

/** One picture, or what stands in its place (loading, no recording, no picture and why). */
export function PictureBox(props: { picture: Picture; width: number; height: number; label: string }) {
  const { t } = useTranslation();
  const { picture, width, height } = props;
  if (picture.state === 'ok')
    return (
      <img
        src={picture.image}
        alt={props.label}
        data-testid="thumb-image"
        width={width}
        height={height}
        style={{ display: 'block', width, height, objectFit: 'cover' }}
      />
    );
  const text =
    picture.state === 'loading'
      ? t('thumbnails.loading')
      : picture.reason
        ? t('thumbnails.none')
        : t('thumbnails.noRecording');
  return (
    <div
      title={picture.state === 'none' ? picture.reason : undefined}
      style={{
        width,
        height,
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        textAlign: 'center',
        fontSize: 11,
        color: '#8c8c8c',
        background: '#141414',
        overflow: 'hidden',
        padding: 4,
        boxSizing: 'border-box',
      }}
    >
      {text}
      {picture.state === 'none' && picture.reason && width >= 160 ? `: ${picture.reason}` : ''}
    </div>
  );
}
