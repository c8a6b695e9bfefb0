import {
  BookOutlined,
  CameraOutlined,
  CaretRightOutlined,
  PauseOutlined,
  StepBackwardOutlined,
  StepForwardOutlined,
} from '@ant-design/icons';
import { App as AntApp, Button, DatePicker, Select, Space, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState, type ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { daysBetween, monthDays } from '../../model/playback-days';
import { useShallow } from 'zustand/react/shallow';
import { selectCursorMs, selectPlaybackActions, selectPlaybackPage } from '../../stores/playback/selectors';
import { channelKey, channelSegments, dayKey, usePlaybackStore, type Layout } from '../../stores/playback/store';
import { DeviceTree } from '../wall/DeviceTree';
import { PlaybackPane } from './PlaybackPane';
import { Timeline } from './Timeline';
import { TimelineFilmstrip } from './TimelineFilmstrip';
import { mergeSegments } from '../../model/playback-days';
import { nextSegmentStart, prevSegmentStart, type View } from '../../model/timeline';
import { ExportButton } from './ExportPanel';
import { MotionButton, MotionOverlay, motionMarks } from './MotionSearch';
import { useMotionStore } from '../../stores/motion/store';
import { selectShownJob } from '../../stores/motion/selectors';
import { SnapshotError, saveSnapshot } from '../../media/view/snapshot';
import { formatDateTime } from '../../model/time-format';
import { themed } from '../common/theme-vars';
import { cameraKey, listenToBookmarks, useBookmarksStore } from '../../stores/bookmarks/store';
import { selectMarks, selectOpened } from '../../stores/bookmarks/selectors';
import { focusView } from '../../model/bookmarks';
import { BookmarkDialog, type BookmarkDraft } from '../bookmarks/BookmarkDialog';
import type { TimelineMark } from './Timeline';

const speeds = [0.25, 0.5, 1, 2, 4, 8];

/**
 * Recorded video: pick channels (1, 4 or 9 panes) and a day on a calendar that marks the days
 * with recordings; one cursor and speed for all panes (SYNC); Shift+drag on the timeline selects
 * a range to export.
 */
export function PlaybackPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  // Everything but the cursor: the page does not re-render every animation frame while playing.
  const { panes, layout, selected, dayStartMs, playing, speed, segments, days, listed, range } = usePlaybackStore(
    useShallow(selectPlaybackPage),
  );
  const { setLayout, open, setDay, seek, setPlaying, setSpeed, setRange, tick, ensureDays } = usePlaybackStore(
    useShallow(selectPlaybackActions),
  );
  /** The cursor now (for buttons: read when pressed, not subscribed to). */
  const cursorNow = () => usePlaybackStore.getState().cursorMs;

  // Bookmarks: the selected pane's camera at the cursor (a moment) or over the selected range.
  const marks = useBookmarksStore(selectMarks);
  const motionJob = useMotionStore(selectShownJob);
  const [draft, setDraft] = useState<BookmarkDraft | null>(null);
  const addBookmark = () => {
    const s = usePlaybackStore.getState();
    const pane = s.panes[s.selected];
    if (!pane) return void message.warning(t('bookmarks.noPane'));
    const at = Math.round(s.cursorMs);
    setDraft({
      kind: 'new',
      camera: { accountId: pane.accountId, channelId: pane.channelId, cameraName: pane.name },
      startMs: s.range ? s.range.startMs : at,
      endMs: s.range ? s.range.endMs : at,
    });
  };
  /** What B does now (the key listener is installed once). */
  const onB = useRef(addBookmark);
  onB.current = draft ? () => undefined : addBookmark;
  useEffect(() => listenToBookmarks(), []);
  // A bookmark opened from the Bookmarks page: the timeline zooms to it, once.
  const opened = useBookmarksStore(selectOpened);
  const [focus, setFocus] = useState<View | null>(null);
  /** The pane the operator listens to (muted by default). */
  const [audible, setAudible] = useState<number | null>(null);
  useEffect(() => {
    if (!opened) return;
    setFocus(focusView(opened));
    useBookmarksStore.getState().setOpened(null);
  }, [opened]);

  // The master clock: the cursor advances at the chosen speed while playing.
  useEffect(() => {
    let last = performance.now();
    let raf = 0;
    const loop = (now: number) => {
      tick(now - last);
      last = now;
      raf = requestAnimationFrame(loop);
    };
    raf = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(raf);
  }, [tick]);

  // Space play/pause, ←/→ ±10 s, Shift ±1 min.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Keys typed into a field or an open dialog (the bookmark's, the export's) are theirs, not
      // playback's; a dialog just closed keeps the focus in its hidden wrapper, and Esc there is the page's.
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea')) return;
      const dialog = target?.closest<HTMLElement>('.ant-modal-wrap');
      if (dialog && dialog.style.display !== 'none') return;
      const st = usePlaybackStore.getState();
      if (e.key === ' ') {
        e.preventDefault();
        st.setPlaying(!st.playing);
      } else if ((e.key === 'b' || e.key === 'B') && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if ((e.target as HTMLElement | null)?.closest('[role="combobox"]')) return;
        e.preventDefault();
        onB.current();
      } else if (e.key === 'Escape') {
        st.setRange(null);
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        st.seek(st.cursorMs + (e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 60_000 : 10_000));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const all = useMemo(() => mergeSegments(panes.map((p) => channelSegments({ segments }, p))), [panes, segments]);
  const initial = useMemo(() => ({ startMs: dayStartMs, spanMs: 86400_000 }), [dayStartMs]);
  // Each row says which pane and which camera it is.
  const tracks = useMemo(
    () =>
      panes.map((p, i) => ({
        label: p ? `${i + 1} · ${p.name}` : '',
        segments: channelSegments({ segments }, p),
        unlisted: !!p && listed[channelKey(p)] === false,
        marks: p ? [...marks.filter((m) => cameraKey(m) === cameraKey(p)), ...motionMarks(motionJob, p)] : [],
        ...(p ? { thumbs: { accountId: p.accountId, channelId: p.channelId } } : {}),
      })),
    [panes, segments, listed, marks, motionJob],
  );

  // The timeline reads the days it shows (after the user stops zooming or panning for a moment).
  const viewTimer = useRef<number | undefined>(undefined);
  const shownView = useRef<View | null>(null);
  const onView = useCallback(
    (v: View) => {
      shownView.current = v;
      window.clearTimeout(viewTimer.current);
      viewTimer.current = window.setTimeout(() => {
        ensureDays(daysBetween(v.startMs, v.startMs + v.spanMs, 31));
        readMarks();
      }, 300);
    },
    [ensureDays],
  );
  // The marks of the panes' cameras over the time shown (again when a pane changes camera).
  const readMarks = () => {
    const v = shownView.current;
    const cameras = usePlaybackStore
      .getState()
      .panes.flatMap((p) => (p ? [{ accountId: p.accountId, channelId: p.channelId }] : []));
    if (v) void useBookmarksStore.getState().loadMarks({ cameras, fromMs: v.startMs, toMs: v.startMs + v.spanMs });
  };
  useEffect(readMarks, [panes]);
  const onMark = useCallback(
    (m: TimelineMark) => {
      setRange(m.endMs > m.startMs ? { startMs: m.startMs, endMs: m.endMs } : null);
      seek(m.startMs);
    },
    [setRange, seek],
  );
  useEffect(() => () => window.clearTimeout(viewTimer.current), []);

  // The calendar marks a day once any open pane's channel has recordings that day.
  const markOf = (day: number): 'yes' | 'no' | 'loading' | null => {
    const states = panes.flatMap((p) => (p ? [days[dayKey(p, day)]] : []));
    if (states.some((d) => d && d.count > 0)) return 'yes';
    if (states.some((d) => d?.state === 'loading')) return 'loading';
    return states.length && states.every((d) => d?.state === 'done') ? 'no' : null;
  };
  const readMonth = (d: dayjs.Dayjs) => ensureDays(monthDays(d.year(), d.month()));

  return (
    <div style={{ display: 'flex', height: '100%' }} data-testid="playback-page">
      <div style={{ width: 280, borderRight: `1px solid ${themed.border}`, flexShrink: 0 }}>
        <DeviceTree onOpen={(items) => items[0] && open(selected, items[0])} />
      </div>
      <div style={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
        <Space style={{ padding: 6 }} wrap>
          <DatePicker
            value={dayjs(dayStartMs)}
            allowClear={false}
            onChange={(d) => d && setDay(d.startOf('day').valueOf())}
            onOpenChange={(isOpen) => isOpen && readMonth(dayjs(dayStartMs))}
            onPanelChange={(d) => d && readMonth(d)}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            cellRender={(current, info) => {
              if (info.type !== 'date' || typeof current === 'number' || typeof current === 'string')
                return info.originNode;
              const mark = markOf(current.startOf('day').valueOf());
              return (
                <div
                  className="ant-picker-cell-inner"
                  data-testid="calendar-day"
                  data-day={current.format('YYYY-MM-DD')}
                  data-mark={mark ?? 'unknown'}
                  style={{ position: 'relative' }}
                >
                  {current.date()}
                  {mark === 'yes' && (
                    <span
                      style={{
                        position: 'absolute',
                        left: '50%',
                        bottom: -3,
                        width: 4,
                        height: 4,
                        marginLeft: -2,
                        borderRadius: 2,
                        background: '#1677ff',
                      }}
                    />
                  )}
                </div>
              );
            }}
            data-testid="playback-day"
          />
          <Select<Layout>
            value={layout}
            onChange={setLayout}
            style={{ width: 70 }}
            data-testid="playback-layout"
            options={[1, 4, 9].map((n) => ({ value: n as Layout, label: String(n) }))}
          />
          <Tooltip title={t('playback.prevSegment')}>
            <Button
              icon={<StepBackwardOutlined />}
              onClick={() => {
                const p = prevSegmentStart(all, cursorNow());
                if (p !== null) seek(p);
              }}
            />
          </Tooltip>
          <Button onClick={() => seek(cursorNow() - 60_000)}>−1m</Button>
          <Button onClick={() => seek(cursorNow() - 10_000)}>−10s</Button>
          <Button
            type="primary"
            icon={playing ? <PauseOutlined /> : <CaretRightOutlined />}
            onClick={() => setPlaying(!playing)}
            data-testid="playback-play"
          />
          <Button onClick={() => seek(cursorNow() + 10_000)}>+10s</Button>
          <Button onClick={() => seek(cursorNow() + 60_000)}>+1m</Button>
          <Tooltip title={t('playback.nextSegment')}>
            <Button
              icon={<StepForwardOutlined />}
              data-testid="playback-next"
              onClick={() => {
                const n = nextSegmentStart(all, cursorNow());
                if (n !== null) seek(n);
              }}
            />
          </Tooltip>
          <Select
            value={speed}
            onChange={setSpeed}
            style={{ width: 80 }}
            data-testid="playback-speed"
            options={speeds.map((v) => ({ value: v, label: `${v}×` }))}
          />
          <Tooltip title={t('playback.snapshot')}>
            <Button
              icon={<CameraOutlined />}
              data-testid="playback-snapshot"
              disabled={!panes[selected]}
              onClick={() => {
                const video = document.querySelector<HTMLVideoElement>(
                  `[data-testid="playback-pane-${selected}"] video`,
                );
                const pane = panes[selected];
                if (!video || !pane) return;
                saveSnapshot(video, pane.name, new Date(cursorNow())).then(
                  (name) => void message.success(name),
                  (e: Error) => void message.warning(e instanceof SnapshotError ? t(e.key) : e.message),
                );
              }}
            />
          </Tooltip>
          <Tooltip title={t('bookmarks.addTip')}>
            <Button icon={<BookOutlined />} data-testid="bookmark-add" onClick={addBookmark}>
              {t('bookmarks.add')}
            </Button>
          </Tooltip>
          <ExportButton />
          <MotionButton />
          <CursorClock />
        </Space>
        <div
          style={{
            flex: 1,
            display: 'grid',
            gap: 2,
            background: '#000',
            minHeight: 0,
            gridTemplateColumns: `repeat(${Math.sqrt(layout)}, 1fr)`,
            gridTemplateRows: `repeat(${Math.sqrt(layout)}, 1fr)`,
            position: 'relative',
          }}
        >
          {panes.map((p, i) => (
            <PlaybackPane
              key={i}
              index={i}
              content={p}
              // One pane is listened to at a time: turning one on turns the others off.
              audible={audible === i}
              onAudible={(on) => setAudible((was) => (on ? i : was === i ? null : was))}
            />
          ))}
          <MotionOverlay layout={layout} />
        </div>
        <CursorTimeline
          tracks={tracks}
          onSeek={seek}
          initial={initial}
          onView={onView}
          range={range}
          onRange={setRange}
          onMark={onMark}
          focus={focus}
        />
        <TimelineFilmstrip row={selected} />
        <BookmarkDialog
          draft={draft}
          onClose={(saved) => {
            setDraft(null);
            if (saved) void message.success(t('bookmarks.saved'));
          }}
        />
      </div>
    </div>
  );
}

/** The cursor's time: re-renders every frame while playing, alone. */
function CursorClock() {
  const cursorMs = usePlaybackStore(selectCursorMs);
  return (
    <span data-testid="playback-cursor" data-ms={Math.round(cursorMs)} style={{ fontFamily: 'monospace' }}>
      {formatDateTime(cursorMs)}
    </span>
  );
}

/** The timeline with the moving cursor: the one part of the page that follows it every frame. */
function CursorTimeline(props: Omit<ComponentProps<typeof Timeline>, 'cursorMs'>) {
  const cursorMs = usePlaybackStore(selectCursorMs);
  return <Timeline {...props} cursorMs={cursorMs} />;
}
