import { AimOutlined, ClearOutlined, ScanOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Drawer, Empty, Progress, Slider, Space, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { MotionMoment, MotionRegion, MotionSearchJob } from '../../../preload/contract';
import { i18next } from '../../i18n';
import { formatDateTime, formatTime } from '../../model/time-format';
import { selectMotionPanel, selectShownJob } from '../../stores/motion/selectors';
import { listenToMotion, useMotionStore } from '../../stores/motion/store';
import { channelSegments, usePlaybackStore } from '../../stores/playback/store';
import { themed } from '../common/theme-vars';
import type { TimelineMark } from './Timeline';

const DAY_MS = 24 * 3600_000;

/**
 * Motion search on the selected playback pane: draw regions on its picture, pick a range (at
 * most 24 h, the timeline's selection or the day shown) and a sensitivity; main lists the moments
 * with motion inside the regions as they are found, with progress and cancel. A click on a
 * moment plays it with its range selected; the moments are marks on the timeline too.
 * The panel is a drawer without a mask over the device tree (as wide as its column), so the panes and
 * the timeline stay visible and usable beside it.
 */
export function MotionButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const panel = useMotionStore(useShallow(selectMotionPanel));
  const job = useMotionStore(selectShownJob);
  const { panes, selected, dayStartMs, range } = usePlaybackStore(
    useShallow((s) => ({ panes: s.panes, selected: s.selected, dayStartMs: s.dayStartMs, range: s.range })),
  );
  const pane = panes[selected] ?? null;
  const fallback = { startMs: dayStartMs, endMs: Math.min(dayStartMs + DAY_MS, Date.now()) };
  const [span, setSpan] = useState<{ startMs: number; endMs: number } | null>(null);
  const chosen = span ?? (range && range.endMs - range.startMs <= DAY_MS ? range : fallback);
  const tooLong = chosen.endMs - chosen.startMs > DAY_MS;
  const { load } = panel;
  useEffect(() => {
    listenToMotion();
    void load();
  }, [load]);
  // Drawing ends when the panel closes: the pane is the player's again.
  useEffect(() => {
    if (!open) useMotionStore.getState().setDrawing(false);
  }, [open]);

  const startSearch = () => {
    if (!pane) return;
    const s = usePlaybackStore.getState();
    // Cloud footage where there is any in the range, else the device's own.
    const here = channelSegments(s, pane).filter((g) => g.endMs > chosen.startMs && g.startMs < chosen.endMs);
    const kind = here.some((g) => g.kind === 'cloud') ? 'cloud' : (here[0]?.kind ?? 'cloud');
    void panel.start({
      accountId: pane.accountId,
      channelId: pane.channelId,
      name: pane.name,
      kind,
      startMs: Math.round(chosen.startMs),
      endMs: Math.round(chosen.endMs),
      regions: panel.regions,
      sensitivity: panel.sensitivity,
    });
  };
  const running = job && (job.state === 'queued' || job.state === 'running');

  return (
    <>
      <Tooltip title={t('motion.tip')}>
        <Button icon={<ScanOutlined />} onClick={() => setOpen(true)} data-testid="motion-open">
          {t('motion.title')}
          {running ? ` (${Math.round(job.progress * 100)}%)` : ''}
        </Button>
      </Tooltip>
      <Drawer
        open={open}
        title={t('motion.title')}
        onClose={() => setOpen(false)}
        mask={false}
        placement="left"
        // As wide as the device tree's column it covers: not a pixel of the panes or the timeline.
        width={280}
        styles={{ body: { padding: 12 } }}
        data-testid="motion-panel"
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          {!pane && <Alert type="info" showIcon title={t('motion.noPane')} />}
          <Space wrap>
            <Button
              type={panel.drawing ? 'primary' : 'default'}
              icon={<AimOutlined />}
              disabled={!pane}
              onClick={() => panel.setDrawing(!panel.drawing)}
              data-testid="motion-draw"
            >
              {panel.drawing ? t('motion.drawing') : t('motion.draw')}
            </Button>
            <Button
              icon={<ClearOutlined />}
              disabled={panel.regions.length === 0}
              onClick={panel.clearRegions}
              data-testid="motion-clear"
            >
              {t('motion.clear')}
            </Button>
            <span data-testid="motion-region-count">{t('motion.regions', { n: panel.regions.length })}</span>
          </Space>
          <div>
            <div style={{ fontSize: 12, opacity: 0.7 }}>{t('motion.range')}</div>
            <DatePicker.RangePicker
              showTime
              allowClear={false}
              value={[dayjs(chosen.startMs), dayjs(chosen.endMs)]}
              onChange={(v) => v?.[0] && v[1] && setSpan({ startMs: v[0].valueOf(), endMs: v[1].valueOf() })}
              data-testid="motion-range"
            />
            {tooLong && <div style={{ color: themed.errorText, fontSize: 12 }}>{t('validation.motionRange')}</div>}
          </div>
          <div>
            <div style={{ fontSize: 12, opacity: 0.7 }}>{t('motion.sensitivity', { n: panel.sensitivity })}</div>
            <Slider
              min={1}
              max={100}
              value={panel.sensitivity}
              onChange={panel.setSensitivity}
              data-testid="motion-sensitivity"
            />
          </div>
          <Space>
            <Button
              type="primary"
              disabled={!pane || panel.regions.length === 0 || tooLong}
              onClick={startSearch}
              data-testid="motion-start"
            >
              {t('motion.start')}
            </Button>
            {running && (
              <Button onClick={() => void panel.cancel(job.id)} data-testid="motion-cancel">
                {t('common.cancel')}
              </Button>
            )}
          </Space>
          {panel.error && <Alert type="error" showIcon title={panel.error.message} />}
          {job && <MotionResults />}
        </Space>
      </Drawer>
    </>
  );
}

/** The shown search: its state, progress, the recordings it could not read, and its moments. */
function MotionResults() {
  const { t } = useTranslation();
  const job = useMotionStore(selectShownJob)!;
  const stateColour = { done: 'green', failed: 'red', cancelled: 'default', queued: 'blue', running: 'blue' } as const;
  return (
    <div
      data-testid="motion-job"
      data-state={job.state}
      data-id={job.id}
      style={{ borderTop: `1px solid ${themed.border}` }}
    >
      <Space wrap style={{ marginTop: 6 }}>
        <strong>{job.name}</strong>
        <Tag color={stateColour[job.state]}>{t(`export.state.${job.state}`)}</Tag>
        <span data-testid="motion-count">{t('motion.found', { n: job.moments.length })}</span>
      </Space>
      {(job.state === 'running' || job.state === 'queued') && (
        <Progress percent={Math.round(job.progress * 100)} size="small" data-testid="motion-progress" />
      )}
      {job.message && <div style={{ fontSize: 12, opacity: 0.8 }}>{job.message}</div>}
      {job.failures.map((f) => (
        <Alert
          key={f.startMs}
          type="warning"
          showIcon
          data-testid="motion-failure"
          title={t('motion.unreadable', { from: formatDateTime(f.startMs), to: formatTime(f.endMs) })}
          description={f.message}
        />
      ))}
      {job.moments.length === 0 && job.state === 'done' && <Empty description={t('motion.none')} />}
      <div style={{ display: 'flex', flexDirection: 'column', gap: 4, marginTop: 6 }}>
        {job.moments.map((m) => (
          <MomentRow key={m.id} moment={m} />
        ))}
      </div>
    </div>
  );
}

/** One moment: its picture and times; a click plays it in the selected pane with its range selected. */
function MomentRow({ moment }: { moment: MotionMoment }) {
  const job = useMotionStore(selectShownJob)!;
  return (
    <button
      type="button"
      data-testid="motion-moment"
      data-start={moment.startMs}
      data-end={moment.endMs}
      onClick={() => openMoment(job, moment)}
      style={{
        display: 'flex',
        gap: 8,
        alignItems: 'center',
        padding: 4,
        background: 'transparent',
        color: 'inherit',
        border: `1px solid ${themed.border}`,
        borderRadius: 4,
        cursor: 'pointer',
        textAlign: 'left',
      }}
    >
      {moment.thumbnail ? (
        <img src={moment.thumbnail} alt="" width={96} height={54} style={{ objectFit: 'cover' }} />
      ) : (
        <span style={{ width: 96, height: 54, background: '#111' }} />
      )}
      <span style={{ fontFamily: 'monospace', fontSize: 12 }}>
        {formatDateTime(moment.startMs)}
        <br />– {formatTime(moment.endMs)}
      </span>
    </button>
  );
}

/** Plays a moment: its camera in the selected pane (opened there if another shows), its range selected. */
function openMoment(
  job: { accountId: string; channelId: string; name: string },
  m: { startMs: number; endMs: number },
): void {
  const s = usePlaybackStore.getState();
  const pane = s.panes[s.selected];
  if (!pane || pane.accountId !== job.accountId || pane.channelId !== job.channelId)
    s.open(s.selected, { accountId: job.accountId, channelId: job.channelId, name: job.name });
  s.setRange({ startMs: m.startMs, endMs: Math.max(m.endMs, m.startMs + 1000) });
  s.seek(m.startMs);
}

/** The shown search's moments as timeline marks of its camera's rows. */
export function motionMarks(
  job: MotionSearchJob | null,
  pane: { accountId: string; channelId: string } | null,
): TimelineMark[] {
  if (!pane || !job || job.accountId !== pane.accountId || job.channelId !== pane.channelId) return [];
  const name = i18next.t('motion.mark');
  return job.moments.map((m) => ({ id: `motion:${m.id}`, name, startMs: m.startMs, endMs: m.endMs, tone: 'motion' }));
}

/**
 * The regions on the selected pane, drawn by dragging while drawing is on. Coordinates are the
 * picture's (0..1), not the pane's: the video is letterboxed inside the pane (object-fit contain).
 * Placed in the panes' grid on the selected pane's cell.
 */
export function MotionOverlay({ layout }: { layout: number }) {
  const { drawing, regions } = useMotionStore(useShallow((s) => ({ drawing: s.drawing, regions: s.regions })));
  const selected = usePlaybackStore((s) => s.selected);
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ a: { x: number; y: number }; b: { x: number; y: number } } | null>(null);
  if (!drawing && regions.length === 0) return null;
  const side = Math.sqrt(layout);
  /** The picture's box inside the pane, in pane pixels. */
  const picture = () => {
    const el = ref.current!;
    const w = el.clientWidth;
    const h = el.clientHeight;
    const video = document.querySelector<HTMLVideoElement>(`[data-testid="playback-pane-${selected}"] video`);
    const aspect = video?.videoWidth && video.videoHeight ? video.videoWidth / video.videoHeight : 16 / 9;
    const pw = Math.min(w, h * aspect);
    const ph = pw / aspect;
    return { left: (w - pw) / 2, top: (h - ph) / 2, width: pw, height: ph };
  };
  const point = (e: ReactPointerEvent) => {
    const r = ref.current!.getBoundingClientRect();
    const p = picture();
    const clamp = (v: number) => Math.min(1, Math.max(0, v));
    return { x: clamp((e.clientX - r.left - p.left) / p.width), y: clamp((e.clientY - r.top - p.top) / p.height) };
  };
  const box = (rect: MotionRegion, key: string, testid: string) => {
    const p = ref.current ? picture() : { left: 0, top: 0, width: 0, height: 0 };
    return (
      <div
        key={key}
        data-testid={testid}
        style={{
          position: 'absolute',
          left: p.left + rect.x * p.width,
          top: p.top + rect.y * p.height,
          width: rect.w * p.width,
          height: rect.h * p.height,
          border: '2px solid #faad14',
          background: 'rgba(250, 173, 20, 0.15)',
          pointerEvents: 'none',
        }}
      />
    );
  };
  return (
    <div
      ref={ref}
      data-testid="motion-overlay"
      style={{
        position: 'absolute',
        inset: 0,
        gridColumn: (selected % side) + 1,
        gridRow: Math.floor(selected / side) + 1,
        zIndex: 2,
        cursor: drawing ? 'crosshair' : 'default',
        pointerEvents: drawing ? 'auto' : 'none',
        touchAction: 'none',
      }}
      onPointerDown={(e) => {
        if (!drawing) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        const a = point(e);
        setDrag({ a, b: a });
      }}
      onPointerMove={(e) => drag && setDrag({ a: drag.a, b: point(e) })}
      onPointerUp={(e) => {
        if (!drag) return;
        const end = point(e);
        setDrag(null);
        const rect = {
          x: Math.min(drag.a.x, end.x),
          y: Math.min(drag.a.y, end.y),
          w: Math.abs(end.x - drag.a.x),
          h: Math.abs(end.y - drag.a.y),
        };
        // A click or a sliver is not a region.
        if (rect.w >= 0.02 && rect.h >= 0.02) useMotionStore.getState().addRegion(rect);
      }}
    >
      {regions.map((r, i) => box(r, String(i), 'motion-region'))}
      {drag &&
        box(
          {
            x: Math.min(drag.a.x, drag.b.x),
            y: Math.min(drag.a.y, drag.b.y),
            w: Math.abs(drag.b.x - drag.a.x),
            h: Math.abs(drag.b.y - drag.a.y),
          },
          'drag',
          'motion-drag',
        )}
    </div>
  );
}
