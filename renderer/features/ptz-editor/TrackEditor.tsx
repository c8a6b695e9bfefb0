import { ArrowDownOutlined, ArrowUpOutlined, CloseOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, InputNumber, Segmented, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CruisePoint } from '../../../preload/contract';
import { usePtzEditorStore } from '../../stores/ptz/store';
import { isValid, movePoint, nameProblem, pointProblems, serverProblems, type Draft } from '../../model/cruise-draft';
import type { VigilError } from '../../stores/errors';
import { useShallow } from 'zustand/react/shallow';
import { selectTrackEditor } from '../../stores/ptz/selectors';
import { themed } from '../common/theme-vars';

/** A short dwell lets an operator check a track's points without waiting the saved times. */
const QUICK_DWELL_S = 5;

/**
 * One track as an ordered list of points {preset, dwell, speed}: drag or ↑/↓ to reorder, values
 * refused where they are typed, saved whole (§15.10 replaces the track), and a test run that
 * visits the points live and highlights the current one.
 */
export function TrackEditor({ draft: initial, onDone }: { draft: Draft; onDone(): void }) {
  const { t } = useTranslation();
  const { presets, cruise, busy, testRun, saveTrack, startTestRun, stopTestRun } = usePtzEditorStore(
    useShallow(selectTrackEditor),
  );
  const [draft, setDraft] = useState<Draft>(initial);
  const [serverError, setServerError] = useState<VigilError | null>(null);
  const [dragging, setDragging] = useState<number | null>(null);
  const [quick, setQuick] = useState(true);
  useEffect(() => () => usePtzEditorStore.getState().stopTestRun(), []);
  if (!presets || !cruise) return null;
  const { limits } = cruise;
  const existing = new Set(presets.presets.map((p) => p.index));
  const problems = pointProblems(draft.points, limits, existing);
  const fromServer = serverProblems(serverError?.details?.fields, draft.points.length);
  const nameError = draft.name === '' ? null : nameProblem(draft.name);
  const running = testRun && testRun.trackId === (draft.id ?? null) ? testRun : null;

  const setPoint = (i: number, patch: Partial<CruisePoint>) =>
    setDraft((d) => ({ ...d, points: d.points.map((p, j) => (j === i ? { ...p, ...patch } : p)) }));
  const addPoint = () => {
    const last = draft.points.at(-1);
    const next =
      presets.presets.find((p) => !draft.points.some((q) => q.presetIndex === p.index)) ?? presets.presets[0]!;
    setDraft((d) => ({
      ...d,
      points: [
        ...d.points,
        {
          presetIndex: next.index,
          dwellSeconds: last?.dwellSeconds ?? limits.minDwell,
          speed: last?.speed ?? Math.round((limits.minSpeed + limits.maxSpeed) / 2),
        },
      ],
    }));
  };
  const save = async () => {
    setServerError(null);
    try {
      await saveTrack({
        ...(draft.id !== undefined ? { id: draft.id } : {}),
        name: draft.name.trim(),
        points: draft.points,
      });
      onDone();
    } catch (e) {
      setServerError(e as VigilError);
    }
  };

  return (
    <div data-testid="cruise-editor">
      <Input
        placeholder={t('ptzEditor.trackName')}
        value={draft.name}
        onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        status={nameError ? 'error' : ''}
        maxLength={140}
        data-testid="cruise-name"
      />
      <div style={{ color: themed.errorText, fontSize: 12, minHeight: 18 }}>{nameError}</div>
      <div
        // Headers keep their range on one line ("Dwell s (30–3600)"); the row's inputs are narrower.
        style={{
          display: 'grid',
          gridTemplateColumns: '16px 1fr 92px 72px 72px',
          gap: 4,
          fontSize: 12,
          opacity: 0.7,
          whiteSpace: 'nowrap',
        }}
      >
        <span />
        <span>{t('ptzEditor.preset')}</span>
        <span>{t('ptzEditor.dwell', { min: limits.minDwell, max: limits.maxDwell })}</span>
        <span>{t('ptzEditor.speed', { min: limits.minSpeed, max: limits.maxSpeed })}</span>
        <span />
      </div>
      {draft.points.map((p, i) => {
        const issue = { ...fromServer[i], ...problems[i] };
        return (
          <div
            key={i}
            data-testid={`cruise-point-${i}`}
            data-current={running?.point === i}
            draggable
            onDragStart={(e) => {
              setDragging(i);
              e.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              if (dragging !== null) setDraft((d) => ({ ...d, points: movePoint(d.points, dragging, i) }));
              setDragging(null);
            }}
            style={{
              display: 'grid',
              gridTemplateColumns: '16px 1fr 92px 72px 72px',
              gap: 4,
              alignItems: 'start',
              padding: '4px 0',
              background: running?.point === i ? 'rgba(22,119,255,0.25)' : undefined,
              borderRadius: 4,
            }}
          >
            <HolderOutlined style={{ cursor: 'grab', marginTop: 8 }} aria-label={t('ptzEditor.dragToReorder')} />
            <div>
              <Select
                size="small"
                style={{ width: '100%' }}
                value={p.presetIndex}
                status={issue.presetIndex ? 'error' : ''}
                onChange={(presetIndex: number) => setPoint(i, { presetIndex })}
                options={presets.presets.map((x) => ({
                  value: x.index,
                  label: presets.limits.nameEditable ? `${x.index} · ${x.name}` : String(x.index),
                }))}
                data-testid={`cruise-point-preset-${i}`}
              />
              <Problem text={issue.presetIndex} />
            </div>
            <div>
              <InputNumber
                size="small"
                style={{ width: '100%' }}
                value={p.dwellSeconds}
                status={issue.dwellSeconds ? 'error' : ''}
                onChange={(v) => setPoint(i, { dwellSeconds: typeof v === 'number' ? v : Number.NaN })}
                data-testid={`cruise-point-dwell-${i}`}
              />
              <Problem text={issue.dwellSeconds} testId={`cruise-point-dwell-problem-${i}`} />
            </div>
            <div>
              <InputNumber
                size="small"
                style={{ width: '100%' }}
                value={p.speed}
                status={issue.speed ? 'error' : ''}
                onChange={(v) => setPoint(i, { speed: typeof v === 'number' ? v : Number.NaN })}
                data-testid={`cruise-point-speed-${i}`}
              />
              <Problem text={issue.speed} testId={`cruise-point-speed-problem-${i}`} />
            </div>
            <Space.Compact size="small">
              <Button
                size="small"
                icon={<ArrowUpOutlined />}
                disabled={i === 0}
                onClick={() => setDraft((d) => ({ ...d, points: movePoint(d.points, i, i - 1) }))}
                aria-label={t('ptzEditor.up')}
                data-testid={`cruise-point-up-${i}`}
              />
              <Button
                size="small"
                icon={<ArrowDownOutlined />}
                disabled={i === draft.points.length - 1}
                onClick={() => setDraft((d) => ({ ...d, points: movePoint(d.points, i, i + 1) }))}
                aria-label={t('ptzEditor.down')}
              />
              <Button
                size="small"
                danger
                icon={<CloseOutlined />}
                onClick={() => setDraft((d) => ({ ...d, points: d.points.filter((_, j) => j !== i) }))}
                aria-label={t('common.remove')}
                data-testid={`cruise-point-remove-${i}`}
              />
            </Space.Compact>
          </div>
        );
      })}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={addPoint}
        style={{ margin: '6px 0 12px' }}
        data-testid="cruise-add-point"
      >
        {t('ptzEditor.addPoint')}
      </Button>
      {serverError && (
        <Alert
          type="error"
          showIcon
          title={serverError.message}
          style={{ marginBottom: 8 }}
          data-testid="cruise-save-error"
        />
      )}
      <Space wrap>
        <Button
          type="primary"
          onClick={() => void save()}
          disabled={busy || !isValid(draft, limits, existing)}
          data-testid="cruise-save"
        >
          {t('common.save')}
        </Button>
        <Button onClick={onDone} data-testid="cruise-cancel">
          {t('common.cancel')}
        </Button>
        {running ? (
          <Button onClick={stopTestRun} data-testid="cruise-test-stop">
            {t('ptzEditor.testStop', { n: running.point + 1, of: draft.points.length })}
          </Button>
        ) : (
          <Button
            disabled={draft.points.length === 0 || problems.some((x) => x.presetIndex)}
            onClick={() =>
              startTestRun(draft.id ?? null, draft.points, (p) => (quick ? QUICK_DWELL_S : p.dwellSeconds))
            }
            data-testid="cruise-test"
          >
            {t('ptzEditor.testRun')}
          </Button>
        )}
        <Segmented
          size="small"
          value={quick ? 'quick' : 'saved'}
          onChange={(v) => setQuick(v === 'quick')}
          options={[
            { value: 'quick', label: t('ptzEditor.quickDwell', { s: QUICK_DWELL_S }) },
            { value: 'saved', label: t('ptzEditor.savedDwell') },
          ]}
        />
      </Space>
    </div>
  );
}

function Problem({ text, testId }: { text: string | undefined; testId?: string }) {
  return text ? (
    <div style={{ color: themed.errorText, fontSize: 11, lineHeight: 1.3 }} data-testid={testId}>
      {text}
    </div>
  ) : null;
}
