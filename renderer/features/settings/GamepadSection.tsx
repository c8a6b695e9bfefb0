import { Alert, Button, Checkbox, Empty, Popconfirm, Segmented, Select, Slider, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { GAMEPAD_ACTIONS, GAMEPAD_PROBLEMS, gamepadMappingProblems } from '../../../common/gamepad-rules';
import type { AxisBinding, GamepadAction, GamepadMapping } from '../../../preload/contract';
import {
  assignButton,
  deviceName,
  mappingForDevice,
  READY_MADE,
  readyMadeOf,
  shape,
  type ReadyMade,
} from '../../model/gamepad-mapping';
import { selectGamepads, useGamepadsStore } from '../../stores/gamepad/store';
import { useGamepadFrames, type PadFrame } from './useGamepadFrames';

/**
 * Joysticks and gamepads: the connected device's axes and buttons live, and its mapping to edit
 * (which axis pans, tilts and zooms, inverted or not, the dead zone and curve, what each button
 * does), kept by main for this device id. A device never saved steers with its ready-made mapping;
 * Reset goes back to it.
 */
export function GamepadSection() {
  const { t } = useTranslation();
  const pads = useGamepadFrames();
  const { kept, loaded, busy, error } = useGamepadsStore(useShallow(selectGamepads));
  useEffect(() => {
    const store = useGamepadsStore.getState();
    void store.load();
    return store.listen();
  }, []);
  const [chosen, setChosen] = useState<string | null>(null);
  const pad = pads.find((p) => p.id === chosen) ?? pads[0] ?? null;
  // Devices with a kept mapping that are not connected now: they can still be reset.
  const absent = Object.keys(kept).filter((id) => !pads.some((p) => p.id.trim() === id));

  return (
    <div style={{ marginTop: 24 }} data-testid="gamepad-section">
      <Typography.Title level={5}>{t('gamepad.title')}</Typography.Title>
      {error && (
        <Alert type="error" showIcon title={error.message} style={{ marginBottom: 8 }} data-testid="gamepad-error" />
      )}
      {!pad ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('gamepad.none')}
          data-testid="gamepad-none"
          style={{ margin: '8px 0' }}
        />
      ) : (
        <>
          {pads.length > 1 && (
            <Select
              style={{ width: '100%', marginBottom: 8 }}
              value={pad.id}
              onChange={setChosen}
              options={pads.map((p) => ({ value: p.id, label: deviceName(p.id) }))}
              aria-label={t('gamepad.device')}
              data-testid="gamepad-device"
            />
          )}
          {loaded && (
            <PadEditor
              key={pad.id}
              pad={pad}
              kept={Object.hasOwn(kept, pad.id.trim()) ? kept[pad.id.trim()]! : null}
              busy={busy !== null}
            />
          )}
        </>
      )}
      {absent.length > 0 && (
        <div style={{ marginTop: 12, fontSize: 12 }} data-testid="gamepad-absent">
          <div style={{ opacity: 0.7, marginBottom: 4 }}>{t('gamepad.keptAbsent')}</div>
          {absent.map((id) => (
            <div key={id} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <span title={id}>{deviceName(id)}</span>
              <Button size="small" type="link" onClick={() => void useGamepadsStore.getState().forget(id)}>
                {t('gamepad.reset')}
              </Button>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** One device: live readings beside the draft mapping; Save keeps it in main. */
function PadEditor(props: { pad: PadFrame; kept: GamepadMapping | null; busy: boolean }) {
  const { pad, kept, busy } = props;
  const { t } = useTranslation();
  // What the device steers with now; not re-derived per reading (the pad's frame changes with every move).
  const { id, mapping: layout } = pad;
  const saved = useMemo(
    () => mappingForDevice(kept ? { [id.trim()]: kept } : {}, { id, mapping: layout }),
    [kept, id, layout],
  );
  const [draft, setDraft] = useState<GamepadMapping>(saved);
  // A save here or in another window: the draft follows what main keeps.
  useEffect(() => setDraft(saved), [saved]);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const problems = gamepadMappingProblems(draft);
  const ready = readyMadeOf(draft);
  const axisCount = Math.max(pad.axes.length, 2);
  const buttonCount = pad.buttons.length;
  const roleOfAxis = (i: number) =>
    draft.pan.index === i
      ? t('gamepad.pan')
      : draft.tilt.index === i
        ? t('gamepad.tilt')
        : draft.zoom && 'axis' in draft.zoom && draft.zoom.axis.index === i
          ? t('gamepad.zoom')
          : null;
  const zoomButtons = draft.zoom && 'buttons' in draft.zoom ? draft.zoom.buttons : null;
  const save = () => void useGamepadsStore.getState().save(pad.id.trim(), draft);

  return (
    <div data-testid="gamepad-editor" data-device={pad.id}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong title={pad.id} data-testid="gamepad-name">
          {deviceName(pad.id)}
        </Typography.Text>
        <Tag>{pad.mapping === 'standard' ? t('gamepad.standardLayout') : t('gamepad.ownLayout')}</Tag>
        <Tag color={kept ? 'blue' : undefined} data-testid="gamepad-state">
          {kept ? t('gamepad.keptForDevice') : t('gamepad.usingReadyMade')}
        </Tag>
        {ready && <Tag data-testid="gamepad-ready-made">{t(`gamepad.readyMade.${ready}`)}</Tag>}
      </Space>

      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 16 }}>
        <div>
          <div style={{ fontSize: 12, opacity: 0.7, marginBottom: 4 }}>{t('gamepad.axes')}</div>
          {Array.from({ length: axisCount }, (_, i) => (
            <AxisBar key={i} index={i} value={pad.axes[i] ?? 0} role={roleOfAxis(i)} />
          ))}
        </div>
        <div>
          <AxisControl
            label={t('gamepad.pan')}
            testId="gamepad-pan"
            binding={draft.pan}
            axes={axisCount}
            onChange={(pan) => setDraft({ ...draft, pan })}
          />
          <AxisControl
            label={t('gamepad.tilt')}
            testId="gamepad-tilt"
            binding={draft.tilt}
            axes={axisCount}
            onChange={(tilt) => setDraft({ ...draft, tilt })}
          />
          <div style={{ display: 'flex', gap: 8, alignItems: 'center', margin: '6px 0', flexWrap: 'wrap' }}>
            <span style={{ width: 72, flex: 'none' }}>{t('gamepad.zoom')}</span>
            <Segmented
              size="small"
              value={draft.zoom === null ? 'none' : 'axis' in draft.zoom ? 'axis' : 'buttons'}
              onChange={(v) =>
                setDraft({
                  ...draft,
                  zoom:
                    v === 'none'
                      ? null
                      : v === 'axis'
                        ? { axis: { index: Math.min(2, axisCount - 1) } }
                        : // the standard layout's triggers where the device has them
                          {
                            buttons: [
                              Math.max(0, Math.min(7, buttonCount - 1)),
                              Math.max(0, Math.min(6, buttonCount - 2)),
                            ],
                          },
                })
              }
              options={[
                { value: 'none', label: t('gamepad.zoomNone') },
                { value: 'axis', label: t('gamepad.zoomAxis') },
                { value: 'buttons', label: t('gamepad.zoomButtons') },
              ]}
              data-testid="gamepad-zoom-kind"
            />
          </div>
          {draft.zoom && 'axis' in draft.zoom && (
            <AxisControl
              label=""
              testId="gamepad-zoom"
              binding={draft.zoom.axis}
              axes={axisCount}
              onChange={(axis) => setDraft({ ...draft, zoom: { axis } })}
            />
          )}
          {zoomButtons && (
            <Space wrap style={{ marginLeft: 80 }}>
              {([0, 1] as const).map((k) => (
                <span key={k} style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}>
                  {k === 0 ? t('gamepad.zoomIn') : t('gamepad.zoomOut')}
                  <Select
                    size="small"
                    style={{ width: 100 }}
                    value={zoomButtons[k]}
                    onChange={(b: number) => {
                      const next: [number, number] = [...zoomButtons];
                      next[k] = b;
                      setDraft({ ...draft, zoom: { buttons: next } });
                    }}
                    options={Array.from({ length: buttonCount }, (_, b) => ({
                      value: b,
                      label: t('gamepad.button', { n: b }),
                    }))}
                    data-testid={`gamepad-zoom-button-${k}`}
                  />
                </span>
              ))}
            </Space>
          )}
          <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 6 }}>
            <span style={{ width: 72, flex: 'none' }}>{t('gamepad.deadZone')}</span>
            <Slider
              style={{ flex: 1 }}
              min={0}
              max={0.5}
              step={0.01}
              value={draft.deadZone}
              onChange={(deadZone: number) => setDraft({ ...draft, deadZone })}
              tooltip={{ formatter: (v) => `${Math.round((v ?? 0) * 100)} %` }}
              data-testid="gamepad-dead-zone"
            />
          </div>
          <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <span style={{ width: 72, flex: 'none' }}>{t('gamepad.curve')}</span>
            <Slider
              style={{ flex: 1 }}
              min={1}
              max={3}
              step={0.1}
              value={draft.curve}
              onChange={(curve: number) => setDraft({ ...draft, curve })}
              data-testid="gamepad-curve"
            />
            <CurvePreview
              deadZone={draft.deadZone}
              curve={draft.curve}
              at={(pad.axes[draft.pan.index] ?? 0) * (draft.pan.invert ? -1 : 1)}
            />
          </div>
        </div>
      </div>

      <div style={{ fontSize: 12, opacity: 0.7, margin: '12px 0 4px' }}>{t('gamepad.buttons')}</div>
      <div
        style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(230px, 1fr))', gap: '4px 12px' }}
        data-testid="gamepad-buttons"
      >
        {pad.buttons.map((b, i) => {
          const zoomRole =
            zoomButtons?.[0] === i ? t('gamepad.zoomIn') : zoomButtons?.[1] === i ? t('gamepad.zoomOut') : null;
          return (
            <div key={i} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
              <span
                data-testid={`gamepad-light-${i}`}
                data-pressed={b.pressed ? '' : undefined}
                title={String(b.value)}
                style={{
                  width: 12,
                  height: 12,
                  borderRadius: 6,
                  flex: 'none',
                  border: '1px solid #666',
                  background: b.pressed ? '#52c41a' : b.value > 0 ? `rgba(82,196,26,${b.value})` : 'transparent',
                }}
              />
              <span style={{ width: 64, flex: 'none', fontSize: 12, whiteSpace: 'nowrap' }}>
                {t('gamepad.button', { n: i })}
              </span>
              {zoomRole ? (
                <span style={{ fontSize: 12, opacity: 0.7 }}>{zoomRole}</span>
              ) : (
                <Select
                  size="small"
                  style={{ flex: 1, minWidth: 0 }}
                  allowClear
                  virtual={false} // fifteen actions: all in the list, none created on scroll
                  placeholder={t('gamepad.noAction')}
                  value={draft.buttons[String(i)] ?? null}
                  onChange={(a: GamepadAction | undefined | null) => setDraft(assignButton(draft, i, a ?? null))}
                  options={GAMEPAD_ACTIONS.map((a) => ({ value: a, label: t(`gamepad.action.${a}`) }))}
                  data-testid={`gamepad-button-action-${i}`}
                />
              )}
            </div>
          );
        })}
      </div>

      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          title={problems
            .map((p) => t(`gamepad.problem.${p}`, { defaultValue: GAMEPAD_PROBLEMS[p].message }))
            .join(' ')}
          data-testid="gamepad-problems"
        />
      )}
      <Space wrap style={{ marginTop: 12 }}>
        <Button
          type="primary"
          disabled={!dirty || problems.length > 0}
          loading={busy}
          onClick={save}
          data-testid="gamepad-save"
        >
          {t('common.save')}
        </Button>
        <Button disabled={!dirty} onClick={() => setDraft(saved)} data-testid="gamepad-discard">
          {t('gamepad.discard')}
        </Button>
        <Select<ReadyMade>
          value={null}
          placeholder={t('gamepad.startFrom')}
          style={{ width: 290 }}
          onChange={(name) => setDraft(READY_MADE[name])}
          options={(Object.keys(READY_MADE) as ReadyMade[]).map((name) => ({
            value: name,
            label: t(`gamepad.readyMade.${name}`),
          }))}
          data-testid="gamepad-start-from"
        />
        <Popconfirm
          title={t('gamepad.resetConfirm')}
          onConfirm={() => void useGamepadsStore.getState().forget(pad.id.trim())}
          disabled={!kept}
        >
          <Button disabled={!kept} data-testid="gamepad-reset">
            {t('gamepad.reset')}
          </Button>
        </Popconfirm>
      </Space>
      <div style={{ fontSize: 12, opacity: 0.7, marginTop: 6 }}>{t('gamepad.hint')}</div>
    </div>
  );
}

/** An axis's reading as a bar from the centre, its number, and what it does in the draft. */
function AxisBar(props: { index: number; value: number; role: string | null }) {
  const { t } = useTranslation();
  const { index, value, role } = props;
  const v = Math.max(-1, Math.min(1, value));
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 12, marginBottom: 3 }}>
      <span style={{ width: 52, flex: 'none', whiteSpace: 'nowrap' }}>{t('gamepad.axis', { n: index })}</span>
      <div
        data-testid={`gamepad-axis-${index}`}
        data-value={v}
        role="meter"
        aria-valuemin={-1}
        aria-valuemax={1}
        aria-valuenow={v}
        aria-label={t('gamepad.axis', { n: index })}
        style={{ position: 'relative', flex: 1, height: 10, background: 'rgba(128,128,128,0.2)', borderRadius: 2 }}
      >
        <div
          style={{
            position: 'absolute',
            top: 0,
            bottom: 0,
            left: `${50 + Math.min(0, v) * 50}%`,
            width: `${Math.abs(v) * 50}%`,
            background: '#1677ff',
          }}
        />
        <div style={{ position: 'absolute', left: '50%', top: -2, bottom: -2, width: 1, background: '#888' }} />
      </div>
      <span style={{ width: 36, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{v.toFixed(2)}</span>
      <span style={{ width: 40, opacity: 0.8 }}>{role ?? ''}</span>
    </div>
  );
}

/** Which axis drives one control, and whether it is inverted. */
function AxisControl(props: {
  label: string;
  testId: string;
  binding: AxisBinding;
  axes: number;
  onChange: (b: AxisBinding) => void;
}) {
  const { t } = useTranslation();
  const { label, testId, binding, axes, onChange } = props;
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'center', margin: '6px 0' }}>
      <span style={{ width: 72, flex: 'none' }}>{label}</span>
      <Select
        size="small"
        style={{ width: 110 }}
        value={binding.index}
        onChange={(index: number) => onChange({ ...binding, index })}
        options={Array.from({ length: axes }, (_, i) => ({ value: i, label: t('gamepad.axis', { n: i }) }))}
        data-testid={`${testId}-axis`}
      />
      <Checkbox
        checked={!!binding.invert}
        onChange={(e) => onChange({ ...binding, invert: e.target.checked })}
        data-testid={`${testId}-invert`}
      >
        {t('gamepad.invert')}
      </Checkbox>
    </div>
  );
}

/** The response curve from rest to full deflection, with the pan axis's reading on it. */
function CurvePreview(props: { deadZone: number; curve: number; at: number }) {
  const { deadZone, curve, at } = props;
  const W = 72;
  const H = 40;
  const points = Array.from({ length: 25 }, (_, i) => {
    const x = i / 24;
    return `${(x * W).toFixed(1)},${(H - shape(x, deadZone, curve) * H).toFixed(1)}`;
  }).join(' ');
  const x = Math.min(1, Math.abs(at));
  return (
    <svg
      width={W}
      height={H}
      style={{ flex: 'none', overflow: 'visible' }}
      aria-hidden
      data-testid="gamepad-curve-preview"
    >
      <rect x={0} y={0} width={W} height={H} fill="none" stroke="rgba(128,128,128,0.4)" />
      <polyline points={points} fill="none" stroke="#1677ff" strokeWidth={1.5} />
      <circle cx={x * W} cy={H - shape(x, deadZone, curve) * H} r={3} fill="#faad14" />
    </svg>
  );
}
