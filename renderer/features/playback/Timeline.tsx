import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordingSegment } from '../../../preload/contract';
import { clampSpan, tickStep, timeToX, xToTime, zoomAt, type View } from './timeline';

/**
 * The shared timeline: one track per pane with cloud (blue) and device (orange) segments, gaps
 * visible, one cursor for every pane (SYNC). Wheel zooms (1 s – 30 days) around the pointer, drag
 * pans, click seeks, hover shows the time; a red line marks now.
 */
export function Timeline(props: { tracks: Array<{ label: string; segments: RecordingSegment[] }>; cursorMs: number; onSeek(ms: number): void; initial: View }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [view, setView] = useState<View>(props.initial);
  const [hover, setHover] = useState<number | null>(null);
  const drag = useRef<{ x: number; startMs: number; moved: boolean } | null>(null);

  useEffect(() => setView(props.initial), [props.initial]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(e!.contentRect.width));
    ro.observe(el);
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const x = e.clientX - el.getBoundingClientRect().left;
      setView((v) => zoomAt(v, x, el.clientWidth, e.deltaY > 0 ? 1.25 : 0.8));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      ro.disconnect();
      el.removeEventListener('wheel', onWheel);
    };
  }, []);

  const step = tickStep(view.spanMs);
  const ticks: number[] = [];
  for (let tk = Math.ceil(view.startMs / step) * step; tk < view.startMs + view.spanMs; tk += step) ticks.push(tk);
  const fmt = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', ...(view.spanMs < 600_000 ? { second: '2-digit' } : {}) });
  const rowH = 18;

  return (
    <div
      ref={ref}
      data-testid="timeline"
      style={{ position: 'relative', height: 22 + props.tracks.length * (rowH + 2), background: '#141414', cursor: 'pointer', userSelect: 'none', overflow: 'hidden' }}
      onMouseDown={(e) => (drag.current = { x: e.clientX, startMs: view.startMs, moved: false })}
      onMouseMove={(e) => {
        const x = e.clientX - ref.current!.getBoundingClientRect().left;
        setHover(xToTime(x, view, width));
        if (drag.current && Math.abs(e.clientX - drag.current.x) > 3) {
          drag.current.moved = true;
          setView({ startMs: drag.current.startMs - ((e.clientX - drag.current.x) / width) * view.spanMs, spanMs: clampSpan(view.spanMs) });
        }
      }}
      onMouseLeave={() => {
        setHover(null);
        drag.current = null;
      }}
      onMouseUp={(e) => {
        if (drag.current && !drag.current.moved) props.onSeek(xToTime(e.clientX - ref.current!.getBoundingClientRect().left, view, width));
        drag.current = null;
      }}
    >
      {ticks.map((tk) => (
        <div key={tk} style={{ position: 'absolute', left: timeToX(tk, view, width), top: 0, bottom: 0, borderLeft: '1px solid #303030', color: '#8c8c8c', fontSize: 10, paddingLeft: 2 }}>
          {fmt(tk)}
        </div>
      ))}
      {props.tracks.map((track, row) => (
        <div key={row} style={{ position: 'absolute', top: 20 + row * (rowH + 2), left: 0, right: 0, height: rowH }} title={track.label}>
          {track.segments.map((s) => {
            const x1 = Math.max(0, timeToX(s.startMs, view, width));
            const x2 = Math.min(width, timeToX(s.endMs, view, width));
            if (x2 <= 0 || x1 >= width) return null;
            return (
              <div
                key={`${s.kind}${s.startMs}`}
                data-testid={`segment-${s.kind}`}
                data-start={s.startMs}
                style={{ position: 'absolute', left: x1, width: Math.max(2, x2 - x1), top: s.kind === 'cloud' ? 0 : rowH / 2, height: rowH / 2, background: s.kind === 'cloud' ? '#1677ff' : '#fa8c16', opacity: 0.9 }}
              />
            );
          })}
        </div>
      ))}
      <div style={{ position: 'absolute', left: timeToX(Date.now(), view, width), top: 0, bottom: 0, borderLeft: '1px dashed #ff4d4f' }} title={t('playback.now')} />
      <div data-testid="timeline-cursor" style={{ position: 'absolute', left: timeToX(props.cursorMs, view, width), top: 0, bottom: 0, borderLeft: '2px solid #fadb14' }} />
      {hover !== null && (
        <div style={{ position: 'absolute', left: Math.min(width - 70, timeToX(hover, view, width) + 4), top: 2, fontSize: 11, color: '#fff', background: 'rgba(0,0,0,0.7)', padding: '0 3px' }}>
          {new Date(hover).toLocaleTimeString()}
        </div>
      )}
    </div>
  );
}
