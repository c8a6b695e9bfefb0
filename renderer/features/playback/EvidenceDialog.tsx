import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Input, Modal, Progress, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { EvidenceJob } from '../../../preload/contract';
import { formatDateTime, formatTime } from '../../model/time-format';
import {
  groupedFingerprint,
  listenToEvidence,
  selectEvidence,
  selectEvidenceKey,
  useEvidenceStore,
  type EvidenceItem,
} from '../../stores/export/evidence';
import { themed } from '../common/theme-vars';

const stateColour = (s: EvidenceJob['state']) =>
  s === 'done' ? 'green' : s === 'failed' ? 'red' : s === 'cancelled' ? 'default' : 'blue';

/**
 * Signed evidence export of `items` (each a camera, a time range and an optional note: a timeline
 * selection, or bookmarks): case, note, zip and watermark; then the jobs with progress, cancel,
 * the folder, what failed and the signing key's fingerprint.
 */
export function EvidenceDialog({ open, items, onClose }: { open: boolean; items: EvidenceItem[]; onClose(): void }) {
  const { t } = useTranslation();
  const { jobs, error, start, cancel, load, clearError } = useEvidenceStore(useShallow(selectEvidence));
  const { key, keyError, loadKey } = useEvidenceStore(useShallow(selectEvidenceKey));
  const [caseName, setCaseName] = useState('');
  const [note, setNote] = useState('');
  const [notes, setNotes] = useState<string[]>([]);
  const [zip, setZip] = useState(false);
  const [watermark, setWatermark] = useState(false);
  const [snapshots, setSnapshots] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    listenToEvidence();
    void load();
    void loadKey();
    clearError();
    setNotes(items.map((i) => i.note ?? ''));
  }, [open, items, load, loadKey, clearError]);
  const submit = async () => {
    setBusy(true);
    try {
      await start({
        case: caseName.trim(),
        note,
        zip,
        watermark,
        items: items.map((i, n) => {
          const text = (notes[n] ?? '').trim();
          const { note: _old, snapshotMs, ...rest } = i;
          // A bookmark's moment where it has one, else the clip's first picture.
          const shot = snapshots ? { snapshotMs: snapshotMs ?? i.startMs } : {};
          return text ? { ...rest, ...shot, note: text } : { ...rest, ...shot };
        }),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('evidence.title')} footer={null} onCancel={onClose} width={720} destroyOnHidden>
      <Space direction="vertical" style={{ width: '100%' }} data-testid="evidence-dialog">
        <Input
          value={caseName}
          maxLength={100}
          onChange={(e) => setCaseName(e.target.value)}
          placeholder={t('evidence.casePlaceholder')}
          addonBefore={t('evidence.case')}
          data-testid="evidence-case"
        />
        <Input.TextArea
          value={note}
          maxLength={4000}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('evidence.note')}
          autoSize={{ minRows: 2, maxRows: 5 }}
          data-testid="evidence-note"
        />
        <div>
          <Typography.Text strong>{t('evidence.items', { n: items.length })}</Typography.Text>
          {items.map((item, n) => (
            <div key={`${item.accountId}/${item.channelId}/${item.startMs}/${n}`} data-testid="evidence-item">
              <Space wrap style={{ marginTop: 4 }}>
                <strong>{item.name}</strong>
                <span style={{ opacity: 0.7 }}>
                  {formatDateTime(item.startMs)}–{formatTime(item.endMs)}
                </span>
              </Space>
              <Input
                size="small"
                value={notes[n] ?? ''}
                maxLength={4000}
                placeholder={t('evidence.itemNote')}
                onChange={(e) => setNotes((all) => all.map((v, i) => (i === n ? e.target.value : v)))}
              />
            </div>
          ))}
          {items.length === 0 && <Alert type="info" showIcon title={t('evidence.noItems')} />}
        </div>
        <Checkbox checked={zip} onChange={(e) => setZip(e.target.checked)} data-testid="evidence-zip">
          {t('evidence.zip')}
        </Checkbox>
        <Checkbox checked={snapshots} onChange={(e) => setSnapshots(e.target.checked)} data-testid="evidence-snapshots">
          {t('evidence.snapshots')}
        </Checkbox>
        <Checkbox checked={watermark} onChange={(e) => setWatermark(e.target.checked)} data-testid="evidence-watermark">
          {t('evidence.watermark')}
        </Checkbox>
        {watermark && <Alert type="warning" showIcon title={t('evidence.watermarkReencodes')} />}
        <div style={{ fontSize: 12, opacity: 0.75 }} data-testid="evidence-key">
          {key
            ? t('evidence.keyFingerprint', { fingerprint: groupedFingerprint(key.fingerprint) })
            : keyError
              ? keyError.message
              : '…'}
        </div>
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          disabled={items.length === 0 || caseName.trim() === '' || busy}
          loading={busy}
          onClick={() => void submit()}
          data-testid="evidence-start"
        >
          {t('evidence.start', { n: items.length })}
        </Button>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error.message}
            description={
              error.details && 'hint' in error.details && typeof error.details.hint === 'string'
                ? error.details.hint
                : undefined
            }
            data-testid="evidence-error"
          />
        )}
        {jobs
          .slice()
          .reverse()
          .map((j) => (
            <div
              key={j.id}
              style={{ borderTop: `1px solid ${themed.border}`, paddingTop: 6 }}
              data-testid="evidence-job"
              data-state={j.state}
            >
              <Space wrap>
                <strong>{j.case}</strong>
                <Tag color={stateColour(j.state)}>{t(`evidence.state.${j.state}`)}</Tag>
                {j.state === 'running' && (
                  <Button size="small" onClick={() => void cancel(j.id)} data-testid="evidence-cancel">
                    {t('common.cancel')}
                  </Button>
                )}
              </Space>
              {j.state === 'running' && <Progress percent={Math.round(j.progress * 100)} size="small" />}
              {j.items.map((i, n) => (
                <div key={n} style={{ fontSize: 12 }} data-testid="evidence-job-item" data-state={i.state}>
                  <Tag color={stateColour(i.state)}>{t(`export.state.${i.state}`)}</Tag>
                  {i.name} {formatTime(i.startMs)}–{formatTime(i.endMs)}
                  {i.message && <span style={{ opacity: 0.8 }}> · {i.message}</span>}
                </div>
              ))}
              {j.folder && j.state === 'done' && (
                <div style={{ fontSize: 12, fontFamily: 'monospace' }} data-testid="evidence-folder">
                  {j.folder}
                </div>
              )}
              {j.zip && (
                <div style={{ fontSize: 12, fontFamily: 'monospace' }} data-testid="evidence-zip-file">
                  {j.zip}
                </div>
              )}
              {j.message && <div style={{ fontSize: 12, opacity: 0.85 }}>{j.message}</div>}
            </div>
          ))}
      </Space>
    </Modal>
  );
}
