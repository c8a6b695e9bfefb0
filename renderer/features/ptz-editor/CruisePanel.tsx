import {
  CopyOutlined,
  DeleteOutlined,
  EditOutlined,
  PauseCircleOutlined,
  PlayCircleOutlined,
  PlusOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { App as AntApp, Button, Modal, Popconfirm, Result, Select, Space, Spin, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CruiseTrack } from '../../../preload/contract';
import { usePtzEditorStore } from '../../stores/ptz/store';
import { useWallStore } from '../../stores/wall/store';
import { copyName, type Draft } from '../../model/cruise-draft';
import { TrackEditor } from './TrackEditor';
import { useShallow } from 'zustand/react/shallow';
import { selectCruisePanel } from '../../stores/ptz/selectors';
import { themed } from '../common/theme-vars';

/**
 * Cruise tracks of the channel: which one runs, start/stop, edit, duplicate, copy to another
 * camera (its missing presets reported first), delete. Platforms without tracks say so.
 */
export function CruisePanel() {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const { target, presets, cruise, cruiseUnavailable, busy, runTrack, removeTrack, saveTrack, copyTrack } =
    usePtzEditorStore(useShallow(selectCruisePanel));
  const [draft, setDraft] = useState<Draft | null>(null);
  const [copying, setCopying] = useState<CruiseTrack | null>(null);

  if (cruiseUnavailable)
    return (
      <Result
        status="info"
        title={t('ptzEditor.cruiseUnavailable')}
        subTitle={cruiseUnavailable}
        data-testid="cruise-unavailable"
      />
    );
  if (!cruise || !presets || !target) return <Spin />;
  if (draft) return <TrackEditor draft={draft} onDone={() => setDraft(null)} />;

  const duplicate = async (track: CruiseTrack) => {
    try {
      await saveTrack({
        name: copyName(
          track.name,
          cruise.tracks.map((x) => x.name),
        ),
        points: track.points,
      });
      void message.success(t('ptzEditor.duplicated'));
    } catch (e) {
      void message.error((e as Error).message);
    }
  };

  return (
    <div data-testid="cruise-panel">
      <Button
        icon={<PlusOutlined />}
        onClick={() => setDraft({ name: '', points: [] })}
        disabled={presets.presets.length === 0}
        data-testid="cruise-new"
        style={{ marginBottom: 8 }}
      >
        {t('ptzEditor.newTrack')}
      </Button>
      {presets.presets.length === 0 && <div style={{ opacity: 0.65 }}>{t('ptzEditor.needPresets')}</div>}
      {cruise.tracks.map((track) => (
        <div
          key={track.id}
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 6,
            padding: '6px 0',
            borderBottom: `1px solid ${themed.border}`,
          }}
          data-testid={`cruise-row-${track.id}`}
          data-running={track.running}
        >
          <span style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {track.name} <span style={{ opacity: 0.6 }}>· {t('ptzEditor.points', { count: track.points.length })}</span>
          </span>
          {track.running && <Tag color="green">{t('ptzEditor.running')}</Tag>}
          <Tooltip title={track.running ? t('ptzEditor.stop') : t('ptzEditor.start')}>
            <Button
              size="small"
              icon={track.running ? <PauseCircleOutlined /> : <PlayCircleOutlined />}
              disabled={busy}
              onClick={() => void runTrack(track.id, !track.running)}
              data-testid={`cruise-run-${track.id}`}
            />
          </Tooltip>
          <Tooltip title={t('ptzEditor.edit')}>
            <Button
              size="small"
              icon={<EditOutlined />}
              disabled={busy}
              onClick={() => setDraft({ id: track.id, name: track.name, points: track.points })}
              data-testid={`cruise-edit-${track.id}`}
            />
          </Tooltip>
          <Tooltip title={t('ptzEditor.duplicate')}>
            <Button
              size="small"
              icon={<CopyOutlined />}
              disabled={busy}
              onClick={() => void duplicate(track)}
              data-testid={`cruise-duplicate-${track.id}`}
            />
          </Tooltip>
          <Tooltip title={t('ptzEditor.copyTo')}>
            <Button
              size="small"
              icon={<SendOutlined />}
              disabled={busy}
              onClick={() => setCopying(track)}
              data-testid={`cruise-copy-${track.id}`}
            />
          </Tooltip>
          <Popconfirm
            title={t('ptzEditor.deleteTrack', { name: track.name })}
            onConfirm={() => void removeTrack(track.id)}
            okButtonProps={{ danger: true, 'data-testid': `cruise-delete-ok-${track.id}` } as never}
          >
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              disabled={busy}
              data-testid={`cruise-delete-${track.id}`}
            />
          </Popconfirm>
        </div>
      ))}
      {cruise.tracks.length === 0 && presets.presets.length > 0 && (
        <div style={{ opacity: 0.65, marginTop: 8 }}>{t('ptzEditor.noTracks')}</div>
      )}
      <CopyDialog
        track={copying}
        onClose={() => setCopying(null)}
        onCopy={async (toChannelId, toName) => {
          const track = copying!;
          setCopying(null);
          const result = await copyTrack(track.id, toChannelId);
          if (!result) return;
          if (result.copied) return void message.success(t('ptzEditor.copied', { name: toName }));
          modal.confirm({
            title: t('ptzEditor.missingPresets', { name: toName, presets: result.missing.join(', ') }),
            content: t('ptzEditor.copyWithout'),
            okButtonProps: { 'data-testid': 'cruise-copy-skip' } as never,
            onOk: async () => {
              const forced = await copyTrack(track.id, toChannelId, true);
              if (forced?.copied) void message.success(t('ptzEditor.copied', { name: toName }));
            },
          });
        }}
      />
    </div>
  );
}

/** Picks another PTZ channel of the same account from the wall's device tree. */
function CopyDialog({
  track,
  onClose,
  onCopy,
}: {
  track: CruiseTrack | null;
  onClose(): void;
  onCopy(channelId: string, name: string): void;
}) {
  const { t } = useTranslation();
  const target = usePtzEditorStore((s) => s.target);
  const nodes = useWallStore((s) => (target ? (s.trees[target.accountId]?.nodes ?? []) : []));
  const [to, setTo] = useState<string | null>(null);
  const options = nodes
    .filter((n) => n.kind === 'channel' && n.ptz && n.id !== target?.channelId)
    .map((n) => ({ value: n.id, label: n.name }));
  return (
    <Modal
      open={track !== null}
      title={t('ptzEditor.copyTitle', { name: track?.name ?? '' })}
      onCancel={onClose}
      okButtonProps={{ disabled: !to, 'data-testid': 'cruise-copy-ok' } as never}
      onOk={() => to && onCopy(to, options.find((o) => o.value === to)?.label ?? to)}
      destroyOnHidden
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select
          showSearch
          optionFilterProp="label"
          style={{ width: '100%' }}
          placeholder={t('ptzEditor.copyPick')}
          options={options}
          value={to}
          onChange={setTo}
          data-testid="cruise-copy-target"
        />
        {options.length === 0 && <span style={{ opacity: 0.65 }}>{t('ptzEditor.noOtherPtz')}</span>}
      </Space>
    </Modal>
  );
}
