import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordingSegment } from '../../../preload/contract';
import {
  clampSpan,
  MIN_SEGMENT_PX,
  normalizeRange,
  rulerTicks,
  timeToX,
  xToTime,
  zoomAt,
  zoomAboutCursor,
  type View,
} from '../../model/timeline';
import { formatDateTime, formatMonthDay, formatTime } from '../../model/time-format';
import { markGeometry } from '../../model/bookmarks';
import { TimelineThumbs, type ThumbCamera } from './TimelineThumbs';

type Range = { startMs: number; endMs: number };
/** A bookmark on a row: a moment (end = start) is a flag, a range a band. */
export type TimelineMark = { id: string; name: string; startMs: number; endMs: number; tone?: 'motion' };
/** The ruler's row at the top, where tick labels sit. */
const RULER_H = 18;

/**
 * The shared timeline: one track per pane with cloud (blue) and device (orange) segments, gaps
 * visible, one cursor for every pane (SYNC). Wheel zooms (1 s – 30 days) around the pointer, drag
 * pans, dragging the cursor scrubs, Shift+drag selects a range (for export), click seeks, hover shows the time; a red line
 * marks now. Bookmarks are marks on their camera's row: a click on one selects its range. A track whose platform lists no recordings is hatched: it plays whatever time is picked.
 */
export function Timeline(props: {
  tracks: Array<{
    label: string;
    segments: RecordingSegment[];
    unlisted?: boolean;
    marks?: TimelineMark[];
    /** The row's camera: its pictures show on hover. */
    thumbs?: ThumbCamera;
  }>;
  cursorMs: number;
  onSeek(ms: number): void;
  initial: View;
  onView?(view: View): void;
  range: Range | null;
  onRange(range: Range | null): void;
  onMark?(mark: TimelineMark): void;
  /** A view to show now (a bookmark opened): taken whenever it changes. */
  focus?: View | null;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [view, setView] = useState<View>(props.initial);
  const [hover, setHover] = useState<number | null>(null);
  const drag = useRef<{ x: number; startMs: number; moved: boolean; mode: 'pan' | 'select' | 'scrub' } | null>(null);
  const [selecting, setSelecting] = useState<Range | null>(null);
  const { onView } = props;

  useEffect(() => setView(props.initial), [props.initial]);
  useEffect(() => {
    if (props.focus) setView({ startMs: props.focus.startMs, spanMs: clampSpan(props.focus.spanMs) });
  }, [props.focus]);
  useEffect(() => onView?.(view), [view, onView]);
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

  const ticks = rulerTicks(view, width);
  const rowH = 18;
  // Buttons beside the wheel zoom about the cursor.
  const zoomBy = (factor: number) => setView((v) => zoomAboutCursor(v, props.cursorMs, width, factor));

  // Pointer x inside the timeline; a drag that leaves it (over the zoom buttons, past either end)
  // stops at the edge of what is shown rather than reaching into time nobody can see.
  const xOf = (clientX: number) => Math.min(width, Math.max(0, clientX - ref.current!.getBoundingClientRect().left));
  const endDrag = () => {
    drag.current = null;
    setSelecting(null);
  };

  return (
    // The zoom buttons sit beside the timeline, not over it: over it they hid its right end (where
    // the cursor of a whole-day view sits late in the evening) from every drag.
    <div style={{ display: 'flex', alignItems: 'flex-start', gap: 4 }}>
      <div
        ref={ref}
        data-testid="timeline"
        style={{
          position: 'relative',
          flex: 1,
          minWidth: 0,
          height: 22 + props.tracks.length * (rowH + 2),
          background: '#141414',
          cursor: 'pointer',
          userSelect: 'none',
          touchAction: 'none',
          overflow: 'hidden',
        }}
        // A drag holds the pointer until it ends, wherever the pointer goes meanwhile.
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          // On the cursor line: drag it (scrub); with Shift: select a range; elsewhere: pan.
          const onCursor = Math.abs(xOf(e.clientX) - timeToX(props.cursorMs, view, width)) <= 5;
          drag.current = {
            x: xOf(e.clientX),
            startMs: view.startMs,
            moved: false,
            mode: e.shiftKey ? 'select' : onCursor ? 'scrub' : 'pan',
          };
        }}
        onPointerMove={(e) => {
          const x = xOf(e.clientX);
          setHover(xToTime(x, view, width));
          const d = drag.current;
          if (!d || (!d.moved && Math.abs(x - d.x) <= 3)) return;
          d.moved = true;
          if (d.mode === 'select') setSelecting({ startMs: xToTime(d.x, view, width), endMs: xToTime(x, view, width) });
          else if (d.mode === 'scrub') props.onSeek(xToTime(x, view, width));
          // A pan follows the pointer itself, past the edges too.
          else {
            const dx = e.clientX - ref.current!.getBoundingClientRect().left - d.x;
            setView({ startMs: d.startMs - (dx / width) * view.spanMs, spanMs: clampSpan(view.spanMs) });
          }
        }}
        onPointerLeave={() => setHover(null)}
        onLostPointerCapture={endDrag}
        onPointerCancel={endDrag}
        onPointerUp={(e) => {
          const d = drag.current;
          endDrag();
          if (!d) return;
          const x = xOf(e.clientX);
          if (d.mode === 'select' && d.moved)
            props.onRange(normalizeRange(xToTime(d.x, view, width), xToTime(x, view, width)));
          else if (!d.moved || d.mode === 'scrub') props.onSeek(xToTime(x, view, width));
        }}
      >
        {ticks.map((tk) => (
          <div
            key={tk.ms}
            data-testid="timeline-tick"
            style={{
              position: 'absolute',
              left: tk.x,
              top: 0,
              bottom: 0,
              borderLeft: '1px solid #303030',
              color: tk.label === 'date' ? '#d9d9d9' : '#8c8c8c',
              fontSize: 10,
              paddingLeft: 2,
              whiteSpace: 'nowrap',
            }}
          >
            {tk.label === 'date' ? formatMonthDay(tk.ms) : tk.label && formatTime(tk.ms, tk.label === 'seconds')}
          </div>
        ))}
        {props.tracks.map((track, row) => (
          <div
            key={row}
            style={{
              position: 'absolute',
              top: 20 + row * (rowH + 2),
              left: 0,
              right: 0,
              height: rowH,
              ...(track.unlisted
                ? { background: 'repeating-linear-gradient(45deg, #262626 0 6px, #1f1f1f 6px 12px)' }
                : {}),
            }}
            title={track.unlisted ? `${track.label}: ${t('playback.unlisted')}` : track.label}
            data-testid={track.unlisted ? 'track-unlisted' : undefined}
          >
            {track.segments.map((s) => {
              const x1 = Math.max(0, timeToX(s.startMs, view, width));
              const x2 = Math.min(width, timeToX(s.endMs, view, width));
              if (x2 <= 0 || x1 >= width) return null;
              return (
                <div
                  key={`${s.kind}${s.startMs}`}
                  data-testid={`segment-${s.kind}`}
                  data-start={s.startMs}
                  // A short recording in a wide view still shows (a 2-minute one is 2 px of a day).
                  style={{
                    position: 'absolute',
                    left: x1,
                    width: Math.max(MIN_SEGMENT_PX, x2 - x1),
                    top: s.kind === 'cloud' ? 0 : rowH / 2,
                    height: rowH / 2,
                    background: s.kind === 'cloud' ? '#1677ff' : '#fa8c16',
                    opacity: 0.9,
                  }}
                />
              );
            })}
            {track.marks?.map((m) => {
              const g = markGeometry(m, view, width);
              if (!g) return null;
              const title = `${m.name} · ${formatDateTime(m.startMs)}${g.moment ? '' : ` – ${formatTime(m.endMs, true)}`}`;
              return (
                <div
                  key={m.id}
                  data-testid={g.moment ? 'timeline-mark-moment' : 'timeline-mark-range'}
                  data-id={m.id}
                  data-start={m.startMs}
                  data-end={m.endMs}
                  title={title}
                  aria-label={title}
                  // Its own click: not a pan, seek or range drag of the timeline under it.
                  onPointerDown={(e) => e.stopPropagation()}
                  onPointerUp={(e) => e.stopPropagation()}
                  onClick={(e) => {
                    e.stopPropagation();
                    props.onMark?.(m);
                  }}
                  style={{
                    position: 'absolute',
                    zIndex: 1,
                    top: 0,
                    height: rowH,
                    cursor: 'pointer',
                    ...(g.moment
                      ? // A flag: a thin pole with a pennant at its top, 9 px wide to hit.
                        {
                          left: g.x - 1,
                          width: 9,
                          background: 'linear-gradient(90deg, #eb2f96 0 2px, transparent 2px)',
                        }
                      : {
                          left: g.x,
                          width: g.w,
                          background: m.tone === 'motion' ? 'rgba(250, 173, 20, 0.45)' : 'rgba(235, 47, 150, 0.35)',
                          borderLeft: `2px solid ${m.tone === 'motion' ? '#faad14' : '#eb2f96'}`,
                          borderRight: `1px solid ${m.tone === 'motion' ? '#faad14' : '#eb2f96'}`,
                        }),
                  }}
                >
                  {g.moment && (
                    <span
                      style={{
                        position: 'absolute',
                        left: 2,
                        top: 0,
                        width: 0,
                        height: 0,
                        borderTop: '4px solid transparent',
                        borderBottom: '4px solid transparent',
                        borderLeft: '6px solid #eb2f96',
                      }}
                    />
                  )}
                </div>
              );
            })}
            {track.label && (
              <span
                data-testid={`track-label-${row}`}
                style={{
                  position: 'absolute',
                  left: 4,
                  top: 2,
                  fontSize: 10,
                  lineHeight: '14px',
                  color: '#d9d9d9',
                  background: 'rgba(0,0,0,0.55)',
                  padding: '0 4px',
                  borderRadius: 2,
                  pointerEvents: 'none',
                  whiteSpace: 'nowrap',
                  maxWidth: '40%',
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                }}
              >
                {track.label}
              </span>
            )}
          </div>
        ))}
        {[
          props.range && { ...props.range, id: 'timeline-range' },
          selecting && {
            ...(normalizeRange(selecting.startMs, selecting.endMs, 0) ?? selecting),
            id: 'timeline-selecting',
          },
        ].map(
          (r) =>
            r && (
              <div
                key={r.id}
                data-testid={r.id}
                data-start={r.startMs}
                data-end={r.endMs}
                style={{
                  position: 'absolute',
                  left: timeToX(r.startMs, view, width),
                  width: Math.max(2, timeToX(r.endMs, view, width) - timeToX(r.startMs, view, width)),
                  top: 0,
                  bottom: 0,
                  background: 'rgba(250, 219, 20, 0.18)',
                  borderLeft: '1px solid #fadb14',
                  borderRight: '1px solid #fadb14',
                  pointerEvents: 'none',
                }}
              />
            ),
        )}
        <div
          style={{
            position: 'absolute',
            left: timeToX(Date.now(), view, width),
            top: RULER_H, // under the ruler: through it, it crossed out the labels
            bottom: 0,
            borderLeft: '1px dashed #ff4d4f',
          }}
          title={t('playback.now')}
        />
        <div
          data-testid="timeline-cursor"
          style={{
            position: 'absolute',
            left: timeToX(props.cursorMs, view, width),
            top: 0,
            bottom: 0,
            borderLeft: '2px solid #fadb14',
            cursor: 'ew-resize',
          }}
        />
        <TimelineThumbs
          host={ref}
          view={view}
          width={width}
          tracks={props.tracks}
          rowTop={20}
          rowPitch={rowH + 2}
          rowH={rowH}
        />
        {hover !== null && (
          <div
            data-testid="timeline-hover"
            style={{
              position: 'absolute',
              left: Math.max(0, Math.min(width - 62, timeToX(hover, view, width) + 4)),
              top: 2,
              zIndex: 1,
              fontSize: 11,
              lineHeight: '14px',
              color: '#fff',
              // Opaque, over the ruler: a tick's label under it no longer reads through.
              background: '#000',
              border: '1px solid #595959',
              padding: '0 3px',
              whiteSpace: 'nowrap',
            }}
          >
            {formatTime(hover)}
          </div>
        )}
      </div>
      <div style={{ display: 'flex', gap: 2, paddingTop: 1 }}>
        {[
          { id: 'timeline-zoom-in', label: '+', title: t('playback.zoomIn'), on: () => zoomBy(0.5) },
          { id: 'timeline-zoom-out', label: '−', title: t('playback.zoomOut'), on: () => zoomBy(2) },
          { id: 'timeline-zoom-day', label: '24h', title: t('playback.zoomDay'), on: () => setView(props.initial) },
        ].map((b) => (
          <button
            key={b.id}
            type="button"
            data-testid={b.id}
            title={b.title}
            aria-label={b.title}
            onClick={b.on}
            style={{
              // 24 px: a target a hurried hand hits (they were 16 px).
              height: 24,
              minWidth: 28,
              padding: '0 6px',
              fontSize: 13,
              lineHeight: '22px',
              color: '#d9d9d9',
              background: '#262626',
              border: '1px solid #434343',
              borderRadius: 2,
              cursor: 'pointer',
            }}
          >
            {b.label}
          </button>
        ))}
      </div>
    </div>
  );
}
