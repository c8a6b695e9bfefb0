import { CaretRightOutlined, PauseOutlined, StepBackwardOutlined, StepForwardOutlined } from '@ant-design/icons';
import { Button, DatePicker, Select, Space, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { segmentKey, usePlaybackStore } from '../../stores/playback/store';
import { DeviceTree } from '../wall/DeviceTree';
import { PlaybackPane } from './PlaybackPane';
import { Timeline } from './Timeline';
import { nextSegmentStart, prevSegmentStart } from './timeline';
import { ExportButton } from './ExportPanel';

const speeds = [0.25, 0.5, 1, 2, 4, 8];

/** Recorded video: pick channels (1 or 4 panes) and a day; one cursor and speed for all (SYNC). */
export function PlaybackPage() {
  const { t } = useTranslation();
  const s = usePlaybackStore();
  const { panes, layout, selected, dayStartMs, cursorMs, playing, speed, segments, setLayout, open, setDay, seek, setPlaying, setSpeed, tick } = s;

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
      if ((e.target as HTMLElement | null)?.closest('input, textarea')) return;
      const st = usePlaybackStore.getState();
      if (e.key === ' ') {
        e.preventDefault();
        st.setPlaying(!st.playing);
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        st.seek(st.cursorMs + (e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 60_000 : 10_000));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const all = panes.flatMap((p) => (p ? (segments[segmentKey(p, dayStartMs)]?.list ?? []) : []));
  const initial = useMemo(() => ({ startMs: dayStartMs, spanMs: 86400_000 }), [dayStartMs]);
  const tracks = panes.map((p) => ({ label: p?.name ?? '', segments: p ? (segments[segmentKey(p, dayStartMs)]?.list ?? []) : [] }));

  return (
    <div style={{ display: 'flex', height: '100%' }} data-testid="playback-page">
      <div style={{ width: 280, borderRight: '1px solid #303030', flexShrink: 0 }}>
        <DeviceTree height={window.innerHeight} onOpen={(items) => items[0] && open(selected, items[0])} />
      </div>
      <div style={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
        <Space style={{ padding: 6 }} wrap>
          <DatePicker value={dayjs(dayStartMs)} allowClear={false} onChange={(d) => d && setDay(d.startOf('day').valueOf())} data-testid="playback-day" />
          <Select value={layout} onChange={setLayout} style={{ width: 70 }} options={[{ value: 1, label: '1' }, { value: 4, label: '4' }]} />
          <Tooltip title={t('playback.prevSegment')}>
            <Button icon={<StepBackwardOutlined />} onClick={() => { const p = prevSegmentStart(all, cursorMs); if (p !== null) seek(p); }} />
          </Tooltip>
          <Button onClick={() => seek(cursorMs - 60_000)}>−1m</Button>
          <Button onClick={() => seek(cursorMs - 10_000)}>−10s</Button>
          <Button type="primary" icon={playing ? <PauseOutlined /> : <CaretRightOutlined />} onClick={() => setPlaying(!playing)} data-testid="playback-play" />
          <Button onClick={() => seek(cursorMs + 10_000)}>+10s</Button>
          <Button onClick={() => seek(cursorMs + 60_000)}>+1m</Button>
          <Tooltip title={t('playback.nextSegment')}>
            <Button icon={<StepForwardOutlined />} data-testid="playback-next" onClick={() => { const n = nextSegmentStart(all, cursorMs); if (n !== null) seek(n); }} />
          </Tooltip>
          <Select value={speed} onChange={setSpeed} style={{ width: 80 }} options={speeds.map((v) => ({ value: v, label: `${v}×` }))} />
          <ExportButton />
          <span data-testid="playback-cursor" data-ms={Math.round(cursorMs)} style={{ fontFamily: 'monospace' }}>
            {new Date(cursorMs).toLocaleString()}
          </span>
        </Space>
        <div style={{ flex: 1, display: 'grid', gap: 2, background: '#000', minHeight: 0, gridTemplateColumns: layout === 4 ? '1fr 1fr' : '1fr', gridTemplateRows: layout === 4 ? '1fr 1fr' : '1fr' }}>
          {panes.map((p, i) => (
            <PlaybackPane key={i} index={i} content={p} />
          ))}
        </div>
        <Timeline tracks={tracks} cursorMs={cursorMs} onSeek={seek} initial={initial} />
      </div>
    </div>
  );
}
