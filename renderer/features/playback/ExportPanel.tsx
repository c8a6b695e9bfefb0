import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, InputNumber, Modal, Progress, Space, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../stores/app/store';
import { useShallow } from 'zustand/react/shallow';
import { selectExports } from '../../stores/export/selectors';
import { listenToExports, useExportStore } from '../../stores/export/store';
import { selectExportSource } from '../../stores/playback/selectors';
import { channelSegments, usePlaybackStore } from '../../stores/playback/store';
import { formatDateTime, formatTime } from '../../model/time-format';
import { themed } from '../common/theme-vars';
import type { EvidenceItem } from '../../stores/export/evidence';
import { EvidenceDialog } from './EvidenceDialog';

/**
 * Export the range selected on the timeline (Shift+drag), or a length from the cursor; this pane
 * or every pane (queued one after another); then the jobs with progress, cancel, and the file
 * each one wrote. "Export evidence" takes the same panes and range into a signed evidence folder.
 */
export function ExportButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [seconds, setSeconds] = useState(30);
  const [all, setAll] = useState(false);
  // Taken when the evidence dialog opens: the cursor moving on must not change what it exports.
  const [evidenceItems, setEvidenceItems] = useState<EvidenceItem[] | null>(null);
  const { jobs, error, start, cancel, load } = useExportStore(useShallow(selectExports));
  const exportFormat = useAppStore((s) => s.info?.exportFormat);
  const source = usePlaybackStore(useShallow(selectExportSource));
  const { panes, selected, range } = source;
  // The cursor only matters while the dialog is open; closed, it keeps the last value (no re-render per frame).
  const lastCursor = useRef(0);
  const cursorMs = usePlaybackStore((s) => (open ? s.cursorMs : lastCursor.current));
  lastCursor.current = cursorMs;
  const span = range ?? { startMs: Math.floor(cursorMs), endMs: Math.floor(cursorMs + seconds * 1000) };
  useEffect(() => {
    listenToExports();
    void load();
  }, [load]);
  const targets = (all ? panes : [panes[selected] ?? null]).filter((p): p is NonNullable<typeof p> => p !== null);
  // Cloud footage where the range starts, else device-side (the platform's own order of preference).
  const kindAt = (p: NonNullable<(typeof panes)[number]>) => {
    const here = channelSegments(source, p).filter((s) => s.startMs <= span.startMs && span.startMs < s.endMs);
    return here.find((s) => s.kind === 'cloud')?.kind ?? here[0]?.kind ?? 'cloud';
  };
  const running = jobs.filter((j) => j.state === 'queued' || j.state === 'running').length;
  return (
    <>
      <Button icon={<DownloadOutlined />} onClick={() => setOpen(true)} data-testid="export-open">
        {t('export.title')}
        {running ? ` (${running})` : ''}
      </Button>
      <Modal open={open} title={t('export.title')} footer={null} onCancel={() => setOpen(false)} width={640}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap>
            {range ? (
              <span data-testid="export-range">
                {t('export.range', {
                  from: formatDateTime(range.startMs),
                  to: formatTime(range.endMs),
                  seconds: Math.round((range.endMs - range.startMs) / 1000),
                })}
              </span>
            ) : (
              <>
                <span>{t('export.from', { time: formatDateTime(cursorMs) })}</span>
                <InputNumber
                  min={1}
                  max={3600}
                  value={seconds}
                  onChange={(v) => setSeconds(typeof v === 'number' ? v : 30)}
                  addonAfter="s"
                  style={{ width: 130 }}
                  data-testid="export-seconds"
                />
                <span style={{ opacity: 0.6, fontSize: 12 }}>{t('playback.rangeHint')}</span>
              </>
            )}
            <Checkbox checked={all} onChange={(e) => setAll(e.target.checked)}>
              {t('export.allPanes')}
            </Checkbox>
            <Button
              type="primary"
              disabled={targets.length === 0}
              onClick={() => {
                for (const p of targets)
                  void start({
                    accountId: p.accountId,
                    channelId: p.channelId,
                    name: p.name,
                    kind: kindAt(p),
                    startMs: span.startMs,
                    endMs: span.endMs,
                  });
              }}
              data-testid="export-start"
            >
              {t('export.start', { n: targets.length })}
            </Button>
            <Button
              icon={<SafetyCertificateOutlined />}
              disabled={targets.length === 0}
              onClick={() =>
                setEvidenceItems(
                  targets.map((p) => ({
                    accountId: p.accountId,
                    channelId: p.channelId,
                    name: p.name,
                    kind: kindAt(p),
                    startMs: span.startMs,
                    endMs: span.endMs,
                  })),
                )
              }
              data-testid="evidence-open"
            >
              {t('evidence.open')}
            </Button>
          </Space>
          {exportFormat === 'ts' && (
            <Alert type="warning" showIcon title={t('export.noFfmpeg')} data-testid="export-no-ffmpeg" />
          )}
          {error && <Alert type="error" showIcon title={error.message} />}
          {jobs
            .slice()
            .reverse()
            .map((j) => (
              <div
                key={j.id}
                style={{ borderTop: `1px solid ${themed.border}`, paddingTop: 6 }}
                data-testid="export-job"
                data-state={j.state}
              >
                <Space wrap>
                  <strong>{j.name}</strong>
                  <span style={{ opacity: 0.7 }}>
                    {formatTime(j.startMs)}–{formatTime(j.endMs)}
                  </span>
                  <Tag
                    color={
                      j.state === 'done'
                        ? 'green'
                        : j.state === 'failed'
                          ? 'red'
                          : j.state === 'cancelled'
                            ? 'default'
                            : 'blue'
                    }
                  >
                    {t(`export.state.${j.state}`)}
                  </Tag>
                  {(j.state === 'queued' || j.state === 'running') && (
                    <Button size="small" onClick={() => void cancel(j.id)} data-testid="export-cancel">
                      {t('common.cancel')}
                    </Button>
                  )}
                </Space>
                {(j.state === 'running' || j.state === 'queued') && (
                  <Progress percent={Math.round(j.progress * 100)} size="small" />
                )}
                {j.file && (
                  <div style={{ fontSize: 12, fontFamily: 'monospace' }} data-testid="export-file">
                    {j.file}
                  </div>
                )}
                {j.message && <div style={{ fontSize: 12, opacity: 0.8 }}>{j.message}</div>}
              </div>
            ))}
        </Space>
      </Modal>
      <EvidenceDialog
        open={evidenceItems !== null}
        items={evidenceItems ?? []}
        onClose={() => setEvidenceItems(null)}
      />
    </>
  );
}
