import { Input, Select, theme } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { PtzCommand } from '../../../preload/contract';
import { usePtzControlStore } from '../../stores/ptz/control';
import { selectPadActions, selectPadChannel } from '../../stores/ptz/selectors';
import { selectPtzHolder } from '../../stores/alarms/selectors';
import { useAlarmsStore } from '../../stores/alarms/store';
import { usePtzEditorStore } from '../../stores/ptz/store';
import { useWallStore } from '../../stores/wall/store';
import { joystickMove } from '../../model/joystick';
import { NAME_MAX } from '../../model/cruise-draft';

/**
 * PTZ pad on a selected PTZ pane: press and hold a button, or pull the joystick, to move; zoom,
 * focus and iris; one speed for the pad and the keyboard. Platforms without a stop command
 * (Tencent E29) move a step per command, so a held move repeats every 400 ms.
 */
const pad: Array<[PtzCommand | null, string]> = [
  ['upleft', '↖'],
  ['up', '↑'],
  ['upright', '↗'],
  ['left', '←'],
  [null, ''],
  ['right', '→'],
  ['downleft', '↙'],
  ['down', '↓'],
  ['downright', '↘'],
];

/** The keyboard key of a pad button (the wall's shortcuts), shown in its tooltip. */
const keyOf: Partial<Record<PtzCommand, string>> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  zoomin: '+',
  zoomout: '−',
};

/**
 * Panes narrower than this hold no pad: it would cover most of the picture it steers (scaled
 * down to fit, its buttons became 14-px targets). Their pad docks under the device tree instead.
 */
export const PAD_IN_PANE_MIN_WIDTH = 560;
/** Where a docked pad goes (WallPage renders it under the device tree). */
export const PTZ_DOCK_ID = 'ptz-dock';

/** The pad's colours: light on dark glass over the picture; in the dock beside the tree, the app's theme. */
type Colours = {
  panel: string;
  border: string;
  text: string;
  button: string;
  stick: string;
  knob: string;
  done: string;
  warn: string;
};
const overVideo: Colours = {
  panel: 'rgba(0,0,0,0.45)',
  border: 'transparent',
  text: '#fff',
  button: 'rgba(255,255,255,0.15)',
  stick: 'rgba(255,255,255,0.12)',
  knob: 'rgba(255,255,255,0.6)',
  done: '#95de64',
  warn: '#faad14',
};
function useColours(docked: boolean): Colours {
  const { token } = theme.useToken();
  if (!docked) return overVideo;
  return {
    panel: token.colorBgContainer,
    border: token.colorBorderSecondary,
    text: token.colorText,
    button: token.colorFillSecondary,
    stick: token.colorFillTertiary,
    knob: token.colorTextTertiary,
    done: token.colorSuccessText,
    warn: token.colorWarningText,
  };
}
const buttonStyle = (c: Colours): React.CSSProperties => ({ ...btn, background: c.button, color: c.text });

export function PtzPad({
  accountId,
  channelId,
  name,
  onError,
  docked = false,
}: {
  accountId: string;
  channelId: string;
  name: string;
  onError(message: string): void;
  /** In the dock beside the wall (with the camera's name), not over the picture. */
  docked?: boolean;
}) {
  const { t } = useTranslation();
  const colours = useColours(docked);
  const speed = useWallStore((s) => s.ptzSpeed);
  const setSpeed = useWallStore((s) => s.setPtzSpeed);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  // Who steers this camera, when it is another seat of the control room.
  const holder = useAlarmsStore(useMemo(() => selectPtzHolder(accountId, channelId), [accountId, channelId]));
  const move = usePtzControlStore((s) => s.move);
  const send = (command: PtzCommand, at = speed) =>
    move({ accountId, channelId }, command, at).then((e) => {
      if (e) onError(e.message);
    });
  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
    void send('stop');
  };
  const start = (command: PtzCommand, at = speed) => {
    if (timer.current) clearInterval(timer.current);
    void send(command, at);
    timer.current = setInterval(() => void send(command, at), 400);
  };
  useEffect(
    () => () => {
      if (timer.current) clearInterval(timer.current);
    },
    [],
  );
  // The control lock is given back by the pad's owner (WallPane's PanePtz), which outlives a move to or from the dock.

  const button = (command: PtzCommand, label: string, title?: string) => (
    <button
      key={command}
      type="button"
      data-testid={`ptz-${command}`}
      title={`${title ?? t(`wall.ptzCommand.${command}`, { defaultValue: label })}${keyOf[command] ? ` (${t('wall.key')} ${keyOf[command]})` : ''}`}
      style={buttonStyle(colours)}
      onMouseDown={(e) => {
        e.stopPropagation();
        start(command);
      }}
      onMouseUp={stop}
      onMouseLeave={() => timer.current && stop()}
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => e.stopPropagation()}
    >
      {label}
    </button>
  );

  return (
    <div
      style={docked ? { ...dockWrap, background: colours.panel, borderTop: `1px solid ${colours.border}` } : wrap}
      data-testid="ptz-pad"
      data-docked={docked || undefined}
      // A docked pad is a portal: React still bubbles its events to the pane it belongs to.
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => e.stopPropagation()}
      onMouseDown={(e) => e.stopPropagation()}
      onContextMenu={(e) => docked && e.stopPropagation()}
    >
      {docked && (
        <div
          style={{ color: colours.text, fontSize: 12, marginBottom: 6, overflow: 'hidden', textOverflow: 'ellipsis' }}
        >
          {t('wall.ptzOf', { name })}
        </div>
      )}
      {holder && (
        <div
          style={{ color: colours.warn, fontSize: 11, marginBottom: 4 }}
          data-testid="ptz-holder"
          data-seat={holder.seat}
        >
          {t('wall.ptzHeldBy', { who: holder.user ? `${holder.seat} (${holder.user})` : holder.seat })}
        </div>
      )}
      <div style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 24px)', gap: 2 }}>
          {pad.map(([c, l], i) => (c ? button(c, l) : <span key={i} />))}
        </div>
        <Joystick
          colours={colours}
          title={t('wall.joystick')}
          onMove={(m) => (m ? start(m.command, m.speed) : stop())}
        />
      </div>
      <div style={{ display: 'flex', gap: 2, marginTop: 4 }}>
        {button('zoomin', '+')}
        {button('zoomout', '−')}
        {button('focusnear', 'F−', t('wall.focusNear'))}
        {button('focusfar', 'F+', t('wall.focusFar'))}
        {button('irisclose', 'I−', t('wall.irisClose'))}
        {button('irisopen', 'I+', t('wall.irisOpen'))}
        <button
          type="button"
          style={{ ...buttonStyle(colours), width: 'auto', padding: '0 6px', marginLeft: 'auto' }}
          title={t('ptzEditor.open')}
          onClick={() => usePtzEditorStore.getState().open({ accountId, channelId, name })}
          data-testid="ptz-editor-open"
        >
          ⚙
        </button>
      </div>
      <label
        style={{ display: 'flex', alignItems: 'center', gap: 4, marginTop: 4, color: colours.text, fontSize: 11 }}
        title={t('wall.ptzSpeed')}
      >
        <span>{t('wall.ptzSpeed')}</span>
        <input
          type="range"
          min={1}
          max={8}
          step={1}
          value={speed}
          onChange={(e) => setSpeed(Number(e.target.value))}
          style={{ flex: 1, minWidth: 0 }}
          data-testid="ptz-speed"
          aria-label={t('wall.ptzSpeed')}
        />
        <span data-testid="ptz-speed-value">{speed}</span>
      </label>
      <Presets
        accountId={accountId}
        channelId={channelId}
        onError={onError}
        colours={colours}
        // The dock is the tree's width: the list and a preset's name get all of it.
        width={docked ? '100%' : 160}
      />
    </div>
  );
}

/** A drag joystick: pull the knob the way the camera should turn; it springs back and stops on release. */
function Joystick({
  title,
  colours,
  onMove,
}: {
  title: string;
  colours: Colours;
  onMove(move: ReturnType<typeof joystickMove>): void;
}) {
  const R = 28;
  const [knob, setKnob] = useState({ x: 0, y: 0 });
  const last = useRef<string>('');
  const move = (dx: number, dy: number) => {
    const m = joystickMove(dx, dy, R);
    const d = Math.hypot(dx, dy);
    setKnob(d > R ? { x: (dx * R) / d, y: (dy * R) / d } : { x: dx, y: dy });
    // Only a change of direction or speed is sent (the pad repeats a held move itself).
    const key = m ? `${m.command}/${m.speed}` : '';
    if (key === last.current) return;
    last.current = key;
    onMove(m);
  };
  const centre = (e: React.PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { dx: e.clientX - (r.left + r.width / 2), dy: e.clientY - (r.top + r.height / 2) };
  };
  const release = () => {
    setKnob({ x: 0, y: 0 });
    if (last.current) onMove(null);
    last.current = '';
  };
  return (
    <div
      data-testid="ptz-joystick"
      title={title}
      style={{
        width: R * 2,
        height: R * 2,
        borderRadius: '50%',
        background: colours.stick,
        position: 'relative',
        touchAction: 'none',
        cursor: 'grab',
      }}
      onPointerDown={(e) => {
        e.stopPropagation();
        e.currentTarget.setPointerCapture(e.pointerId);
        const { dx, dy } = centre(e);
        move(dx, dy);
      }}
      onPointerMove={(e) => {
        if (!e.currentTarget.hasPointerCapture(e.pointerId)) return;
        const { dx, dy } = centre(e);
        move(dx, dy);
      }}
      onPointerUp={release}
      onPointerCancel={release}
      // No native drag of the pane (it is draggable) and no text selection while steering.
      onMouseDown={(e) => e.preventDefault()}
    >
      <div
        style={{
          position: 'absolute',
          left: R - 9 + knob.x,
          top: R - 9 + knob.y,
          width: 18,
          height: 18,
          borderRadius: '50%',
          background: colours.knob,
          pointerEvents: 'none',
        }}
      />
    </div>
  );
}

/** The channel's presets: pick one to go there; ＋ stores the current position under a name. */
function Presets({
  accountId,
  channelId,
  onError,
  colours,
  width,
}: {
  accountId: string;
  channelId: string;
  onError(message: string): void;
  colours: Colours;
  width: number | string;
}) {
  const { t } = useTranslation();
  const camera = useMemo(() => ({ accountId, channelId }), [accountId, channelId]);
  const loaded = usePtzControlStore(useMemo(() => selectPadChannel(camera), [camera])).presets;
  const { loadPresets, savePreset, goToPreset } = usePtzControlStore(useShallow(selectPadActions));
  // The editor beside the wall holds the fresher list when it edits this channel.
  const edited = usePtzEditorStore((s) =>
    s.target?.accountId === accountId && s.target.channelId === channelId ? s.presets : null,
  );
  const state = edited ?? loaded;
  const [naming, setNaming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const doneTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(doneTimer.current), []);
  // The parent passes a fresh callback each render; the list loads once per channel.
  const report = useRef(onError);
  report.current = onError;
  useEffect(() => {
    let live = true;
    void loadPresets(camera).then((e) => {
      // Platforms without presets simply show none; anything else is worth saying.
      if (live && e && e.code !== 'NOT_AVAILABLE') report.current(e.message);
    });
    return () => {
      live = false;
    };
  }, [camera, loadPresets]);
  if (!state) return null;
  // A brief confirmation on the pad itself; failures go to onError with what was being done.
  const confirm = (text: string) => {
    setDone(text);
    window.clearTimeout(doneTimer.current);
    doneTimer.current = window.setTimeout(() => setDone(null), 2500);
  };
  const save = (name: string) => {
    setNaming(false);
    if (!name.trim()) return;
    void savePreset(camera, name.trim()).then((e) =>
      e
        ? onError(t('wall.presetSaveFailed', { reason: e.message }))
        : confirm(t('wall.presetSaved', { name: name.trim() })),
    );
  };
  const goto = (index: number) =>
    goToPreset(camera, index).then((e) =>
      e ? onError(t('wall.presetGotoFailed', { index, reason: e.message })) : confirm(t('wall.presetGone', { index })),
    );
  return (
    <>
      {done && (
        <div data-testid="ptz-confirm" style={{ marginTop: 4, color: colours.done, fontSize: 11, maxWidth: width }}>
          ✓ {done}
        </div>
      )}
      <div style={{ marginTop: 4, display: 'flex', gap: 2, width }} data-testid="ptz-presets">
        {naming ? (
          <Input
            size="small"
            autoFocus
            placeholder={t('wall.presetName')}
            maxLength={NAME_MAX}
            onPressEnter={(e) => save(e.currentTarget.value)}
            // Saving writes to the camera, for every operator and track: only Enter does. Esc or a
            // click elsewhere leaves the name unsaved (a click away used to save it).
            onKeyDown={(e) => e.key === 'Escape' && setNaming(false)}
            onBlur={() => setNaming(false)}
            data-testid="preset-name"
          />
        ) : (
          <>
            <Select
              size="small"
              style={{ flex: 1, minWidth: 0 }}
              placeholder={t('wall.presets')}
              popupMatchSelectWidth={false} // a scaled-down pad's select is ~75 px: names would read "1 · 大…"
              value={null}
              options={state.presets.map((p) => ({
                value: p.index,
                label: state.limits.nameEditable ? `${p.index} · ${p.name}` : String(p.index),
              }))}
              onChange={(index: number) => void goto(index)}
              data-testid="preset-select"
            />
            <button
              type="button"
              style={buttonStyle(colours)}
              title={t('wall.savePreset')}
              onClick={() => setNaming(true)}
              data-testid="preset-add"
              disabled={state.presets.length >= state.limits.maxCount}
            >
              ＋
            </button>
          </>
        )}
      </div>
    </>
  );
}

const wrap: React.CSSProperties = {
  position: 'absolute',
  right: 6,
  bottom: 22,
  background: overVideo.panel,
  padding: 4,
  borderRadius: 4,
  zIndex: 2,
};
const dockWrap: React.CSSProperties = { padding: 8, whiteSpace: 'nowrap' };
const btn: React.CSSProperties = {
  width: 24,
  height: 24,
  border: 'none',
  borderRadius: 3,
  cursor: 'pointer',
  fontSize: 13,
  padding: 0,
};
