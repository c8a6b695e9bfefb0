import { AimOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Input, InputNumber, Popconfirm, Space, Spin, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePtzEditorStore } from '../../stores/ptz/store';
import { nameProblem } from '../../model/cruise-draft';
import { useShallow } from 'zustand/react/shallow';
import { selectPresetsPanel } from '../../stores/ptz/selectors';
import { themed } from '../common/theme-vars';

/**
 * Presets of the channel: go to, rename, delete, and "save the current position" under a
 * name and number. Limits (number range, count, name rules) are checked as they are typed.
 */
export function PresetsPanel() {
  const { t } = useTranslation();
  const { modal } = AntApp.useApp();
  const { presets, cruise, busy, addPreset, renamePreset, removePreset, goToPreset } = usePtzEditorStore(
    useShallow(selectPresetsPanel),
  );
  const [name, setName] = useState('');
  const [index, setIndex] = useState<number | null>(null);
  const [renaming, setRenaming] = useState<{ index: number; name: string } | null>(null);
  if (!presets) return <Spin />;
  const { limits } = presets;
  const used = new Set(presets.presets.map((p) => p.index));
  const nameError = limits.nameEditable && name !== '' ? nameProblem(name) : null;
  const indexError =
    index !== null && (!Number.isInteger(index) || index < limits.minIndex || index > limits.maxIndex)
      ? t('ptzEditor.indexRange', { min: limits.minIndex, max: limits.maxIndex })
      : null;
  const full = presets.presets.length >= limits.maxCount && (index === null || !used.has(index));
  const canAdd = !busy && !full && !indexError && (!limits.nameEditable || (name.trim() !== '' && !nameError));
  const tracksUsing = (i: number) =>
    (cruise?.tracks ?? []).filter((tr) => tr.points.some((p) => p.presetIndex === i)).map((tr) => tr.name);

  const add = async () => {
    const label = limits.nameEditable ? name.trim() : 'Preset';
    const save = async () => {
      if (await addPreset(label, index ?? undefined)) {
        setName('');
        setIndex(null);
      }
    };
    if (index !== null && used.has(index))
      modal.confirm({
        title: t('ptzEditor.overwrite', { index }),
        onOk: save,
        okButtonProps: { 'data-testid': 'preset-overwrite-ok' } as never,
      });
    else await save();
  };

  return (
    <div data-testid="preset-manager">
      <div style={{ marginBottom: 12 }}>
        <Space.Compact style={{ width: '100%' }}>
          {limits.nameEditable && (
            <Input
              placeholder={t('ptzEditor.presetName')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              status={nameError ? 'error' : ''}
              maxLength={140}
              onPressEnter={() => canAdd && void add()}
              data-testid="preset-new-name"
            />
          )}
          <InputNumber
            placeholder={t('ptzEditor.presetIndex', { min: limits.minIndex, max: limits.maxIndex })}
            value={index}
            onChange={(v) => setIndex(typeof v === 'number' ? v : null)}
            status={indexError ? 'error' : ''}
            style={{ width: limits.nameEditable ? 150 : '100%' }}
            data-testid="preset-new-index"
          />
          <Button type="primary" onClick={() => void add()} disabled={!canAdd} data-testid="preset-new-save">
            {t('ptzEditor.saveHere')}
          </Button>
        </Space.Compact>
        <div style={{ color: themed.errorText, fontSize: 12, minHeight: 18 }} data-testid="preset-new-problem">
          {nameError ?? indexError ?? (full ? t('ptzEditor.full', { max: limits.maxCount }) : '')}
        </div>
        <div style={{ fontSize: 12, opacity: 0.65 }}>{t('ptzEditor.saveHereHelp')}</div>
      </div>
      {presets.presets.length === 0 && <div style={{ opacity: 0.65 }}>{t('ptzEditor.noPresets')}</div>}
      {presets.presets.map((p) => (
        <div
          key={p.index}
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            padding: '4px 0',
            borderBottom: `1px solid ${themed.border}`,
          }}
          data-testid={`preset-row-${p.index}`}
        >
          {p.thumbnail ? (
            <img src={p.thumbnail} alt="" width={48} height={27} style={{ objectFit: 'cover', background: '#111' }} />
          ) : (
            <span style={{ width: 48, height: 27, background: '#111', display: 'inline-block' }} />
          )}
          <span style={{ width: 36, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{p.index}</span>
          {renaming?.index === p.index ? (
            <Input
              size="small"
              autoFocus
              value={renaming.name}
              status={nameProblem(renaming.name) ? 'error' : ''}
              onChange={(e) => setRenaming({ index: p.index, name: e.target.value })}
              onPressEnter={() => {
                if (nameProblem(renaming.name)) return;
                void renamePreset(p.index, renaming.name.trim()).then(() => setRenaming(null));
              }}
              onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
              onBlur={() => setRenaming(null)}
              data-testid={`preset-rename-input-${p.index}`}
            />
          ) : (
            <span
              style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
              title={p.name}
            >
              {limits.nameEditable ? p.name : ''}
            </span>
          )}
          <Tooltip title={t('ptzEditor.goTo')}>
            <Button
              size="small"
              icon={<AimOutlined />}
              onClick={() => void goToPreset(p.index)}
              disabled={busy}
              data-testid={`preset-goto-${p.index}`}
            />
          </Tooltip>
          {limits.nameEditable && (
            <Tooltip title={t('ptzEditor.rename')}>
              <Button
                size="small"
                icon={<EditOutlined />}
                onClick={() => setRenaming({ index: p.index, name: p.name })}
                disabled={busy}
                data-testid={`preset-rename-${p.index}`}
              />
            </Tooltip>
          )}
          <Popconfirm
            title={
              tracksUsing(p.index).length
                ? t('ptzEditor.deleteUsed', { tracks: tracksUsing(p.index).join(', ') })
                : t('ptzEditor.deletePreset', { index: p.index })
            }
            onConfirm={() => void removePreset(p.index)}
            okButtonProps={{ danger: true, 'data-testid': `preset-delete-ok-${p.index}` } as never}
          >
            <Button
              size="small"
              danger
              icon={<DeleteOutlined />}
              disabled={busy}
              data-testid={`preset-delete-${p.index}`}
            />
          </Popconfirm>
        </div>
      ))}
    </div>
  );
}
