import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { formatTime } from '../../model/time-format';
import { filmstripSlots } from '../../model/thumbnails';
import { timeToX } from '../../model/timeline';
import { selectFilmstrip } from '../../stores/thumbnails/selectors';
import { stripKey, useThumbnailsStore } from '../../stores/thumbnails/store';
import { PictureBox } from './TimelineThumbs';

const STRIP_H = 54;

/**
 * The filmstrip under the timeline at a zoom of 10 minutes or closer: pictures of row `row`'s
 * camera (the selected pane's), one per bucket across the view, lined up with the timeline above.
 */
export function TimelineFilmstrip(props: { row: number }) {
  const { t } = useTranslation();
  const { view, width, rows, strip, loadStrip } = useThumbnailsStore(useShallow(selectFilmstrip));
  const row = rows[props.row] ?? null;
  const slots = view ? filmstripSlots(view, width) : null;
  const shown = !!row && !!slots;
  useEffect(() => {
    if (shown) loadStrip(props.row);
  }, [shown, view, width, row, props.row, loadStrip]);
  // The strip's room is kept at every zoom and before any camera: the timeline must not jump under
  // the pointer when a wheel or a drag crosses the 10-minute zoom, or when a pane's camera arrives.
  if (!row || !slots || !view)
    return (
      <div
        data-testid="timeline-filmstrip-idle"
        style={{
          width,
          height: STRIP_H,
          marginTop: 2,
          background: '#0a0a0a',
          color: 'rgba(255,255,255,0.45)',
          fontSize: 12,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
        }}
      >
        {row ? t('thumbnails.zoomIn') : null}
      </div>
    );
  const slotW = (slots.stepMs / view.spanMs) * width;
  return (
    <div
      data-testid="timeline-filmstrip"
      aria-label={t('thumbnails.filmstrip')}
      style={{ position: 'relative', width, height: STRIP_H, overflow: 'hidden', background: '#0a0a0a', marginTop: 2 }}
    >
      {slots.times.map((at) => {
        const picture = strip[stripKey(row, slots.stepMs, at)] ?? { state: 'loading' as const };
        return (
          <div
            key={at}
            data-testid="filmstrip-slot"
            data-at={at}
            data-state={picture.state}
            title={formatTime(at, true)}
            style={{
              position: 'absolute',
              left: timeToX(at, view, width),
              top: 0,
              width: slotW - 2,
              height: STRIP_H,
              overflow: 'hidden',
            }}
          >
            <PictureBox picture={picture} width={Math.round(slotW - 2)} height={STRIP_H} label={formatTime(at, true)} />
          </div>
        );
      })}
    </div>
  );
}
