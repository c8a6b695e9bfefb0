import { Button, Input, Select, Space, Switch, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VideoPane } from '../../media/view/VideoPane';
import type { SourceProvider } from '../../media/session/types';
import { useShallow } from 'zustand/react/shallow';
import { selectLiveActions } from '../../stores/live/selectors';
import { useLiveStore } from '../../stores/live/store';
import { paneTranscoding } from '../../stores/transcode/store';

/**
 * Stream test (developer mode): paste HTTP-FLV, WS-FLV or HLS addresses of this machine (an
 * emulator, a local media server) and watch them in a grid with live statistics. The wall bench
 * plays through it. A platform's cameras play from the wall, whose addresses main obtains itself.
 */
const layouts = [1, 4, 9, 16, 25, 36, 49, 64];

export function StreamTestPage() {
  const { t } = useTranslation();
  const { typedSource, relayRate } = useLiveStore(useShallow(selectLiveActions));
  const [text, setText] = useState('');
  const [urls, setUrls] = useState<string[]>([]);
  const [layout, setLayout] = useState(4);
  const [stats, setStats] = useState(true);
  // As on the wall: the selected pane and pinned ones (Ctrl+click) decode every frame, the decode
  // budget decides for the rest (media/decode-budget.ts).
  const [selected, setSelected] = useState<number | null>(null);
  const [pinned, setPinned] = useState<ReadonlySet<number>>(new Set());
  const togglePin = (i: number) =>
    setPinned((p) => {
      const next = new Set(p);
      if (!next.delete(i)) next.add(i);
      return next;
    });
  const providers = useMemo<SourceProvider[]>(() => urls.map((u) => () => typedSource(u)), [urls, typedSource]);
  const cols = Math.ceil(Math.sqrt(layout));
  const play = () => {
    const list = text
      .split(/\s+/)
      .map((s) => s.trim())
      .filter((s) => /^(https?|wss?):\/\//.test(s));
    setUrls(list);
    if (list.length > layout) setLayout(layouts.find((n) => n >= list.length) ?? 64);
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }} data-testid="streamtest-page">
      <Space style={{ padding: 8 }} align="start" wrap>
        <Input.TextArea
          data-testid="streamtest-urls"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('streamtest.placeholder')}
          autoSize={{ minRows: 1, maxRows: 4 }}
          style={{ width: 520 }}
        />
        <Select
          value={layout}
          onChange={setLayout}
          options={layouts.map((n) => ({ value: n, label: `${n}` }))}
          style={{ width: 80 }}
          aria-label={t('streamtest.layout')}
        />
        <Button type="primary" onClick={play} data-testid="streamtest-play">
          {t('streamtest.play')}
        </Button>
        <Button onClick={() => setUrls([])}>{t('streamtest.stop')}</Button>
        <Space>
          <Switch checked={stats} onChange={setStats} size="small" />
          <Typography.Text>{t('streamtest.stats')}</Typography.Text>
        </Space>
      </Space>
      <div
        style={{
          flex: 1,
          display: 'grid',
          gap: 2,
          gridTemplateColumns: `repeat(${cols}, 1fr)`,
          gridTemplateRows: `repeat(${Math.ceil(layout / cols)}, 1fr)`,
          background: '#111',
          minHeight: 0,
        }}
        data-testid="streamtest-grid"
      >
        {Array.from({ length: layout }, (_, i) => (
          <div
            key={`${i}:${urls[i] ?? ''}`}
            data-testid={`streamtest-cell-${i}`}
            data-pinned={pinned.has(i) ? '' : undefined}
            style={{
              minWidth: 0,
              minHeight: 0,
              outline: selected === i ? '2px solid #1677ff' : pinned.has(i) ? '1px solid #faad14' : undefined,
              outlineOffset: -2,
            }}
            onClick={(e) => (e.ctrlKey || e.metaKey ? togglePin(i) : setSelected(i))}
          >
            <VideoPane
              provider={providers[i] ?? null}
              title={urls[i] ? `${i + 1}` : undefined}
              showStats={stats}
              transcode={paneTranscoding}
              decode={{ order: i, needs: { selected: selected === i, pinned: pinned.has(i) } }}
              relayRate={relayRate}
              testId={`pane-${i}`}
            />
          </div>
        ))}
      </div>
    </div>
  );
}
