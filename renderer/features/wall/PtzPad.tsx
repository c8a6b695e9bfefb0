import { Input, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PtzCommand, ResponseOf } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';
import { usePtzEditorStore } from '../../stores/ptz/store';

/**
 * PTZ pad on a selected PTZ pane: press and hold to move. Platforms without a stop command
 * (Tencent E29) move a step per command, so a held button repeats every 400 ms.
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

export function PtzPad({ accountId, channelId, name, onError }: { accountId: string; channelId: string; name: string; onError(message: string): void }) {
  const { t } = useTranslation();
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const send = (command: PtzCommand) => invoke('ptz:command', { accountId, channelId, command, speed: 4 }).catch((e: Error) => onError(e.message));
  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
    void send('stop');
  };
  const start = (command: PtzCommand) => {
    if (timer.current) clearInterval(timer.current);
    void send(command);
    timer.current = setInterval(() => void send(command), 400);
  };
  useEffect(() => () => {
    if (timer.current) clearInterval(timer.current);
  }, []);
  // Leaving the pad (other pane selected, pane closed, channel replaced) gives the control lock back.
  useEffect(() => () => void invoke('ptz:release', { accountId, channelId }).catch(() => undefined), [accountId, channelId]);

  const button = (command: PtzCommand, label: string) => (
    <button
      key={command}
      type="button"
      data-testid={`ptz-${command}`}
      style={btn}
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
    <div style={wrap} data-testid="ptz-pad" onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 24px)', gap: 2 }}>{pad.map(([c, l], i) => (c ? button(c, l) : <span key={i} />))}</div>
      <div style={{ display: 'flex', gap: 2, marginTop: 4 }}>
        {button('zoomin', '+')}
        {button('zoomout', '−')}
        <button type="button" style={{ ...btn, width: 'auto', padding: '0 6px', marginLeft: 'auto' }} title={t('ptzEditor.open')} onClick={() => usePtzEditorStore.getState().open({ accountId, channelId, name })} data-testid="ptz-editor-open">
          ⚙
        </button>
      </div>
      <Presets accountId={accountId} channelId={channelId} onError={onError} />
    </div>
  );
}

/** The channel's presets: pick one to go there; ＋ stores the current position under a name. */
function Presets({ accountId, channelId, onError }: { accountId: string; channelId: string; onError(message: string): void }) {
  const { t } = useTranslation();
  const [loaded, setState] = useState<ResponseOf<'presets:list'> | null>(null);
  // The editor beside the wall holds the fresher list when it edits this channel.
  const edited = usePtzEditorStore((s) => (s.target?.accountId === accountId && s.target.channelId === channelId ? s.presets : null));
  const state = edited ?? loaded;
  const [naming, setNaming] = useState(false);
  // The parent passes a fresh callback each render; the list loads once per channel.
  const report = useRef(onError);
  report.current = onError;
  useEffect(() => {
    let live = true;
    invoke('presets:list', { accountId, channelId })
      .then((r) => live && setState(r))
      // Platforms without presets simply show none; anything else is worth saying.
      .catch((e: VigilError) => live && e.code !== 'NOT_AVAILABLE' && report.current(e.message));
    return () => {
      live = false;
    };
  }, [accountId, channelId]);
  if (!state) return null;
  const save = (name: string) => {
    setNaming(false);
    if (!name.trim()) return;
    invoke('presets:save', { accountId, channelId, name: name.trim() }).then(setState, (e: VigilError) => onError(e.message));
  };
  return (
    <div style={{ marginTop: 4, display: 'flex', gap: 2, width: 160 }} data-testid="ptz-presets">
      {naming ? (
        <Input size="small" autoFocus placeholder={t('wall.presetName')} maxLength={64} onPressEnter={(e) => save(e.currentTarget.value)} onBlur={(e) => save(e.currentTarget.value)} data-testid="preset-name" />
      ) : (
        <>
          <Select
            size="small"
            style={{ flex: 1, minWidth: 0 }}
            placeholder={t('wall.presets')}
            value={null}
            options={state.presets.map((p) => ({ value: p.index, label: state.limits.nameEditable ? `${p.index} · ${p.name}` : String(p.index) }))}
            onChange={(index: number) => invoke('presets:goto', { accountId, channelId, index }).catch((e: VigilError) => onError(e.message))}
            data-testid="preset-select"
          />
          <button type="button" style={btn} title={t('wall.savePreset')} onClick={() => setNaming(true)} data-testid="preset-add" disabled={state.presets.length >= state.limits.maxCount}>
            ＋
          </button>
        </>
      )}
    </div>
  );
}

const wrap: React.CSSProperties = { position: 'absolute', right: 6, bottom: 22, background: 'rgba(0,0,0,0.45)', padding: 4, borderRadius: 4, zIndex: 2 };
const btn: React.CSSProperties = { width: 24, height: 24, background: 'rgba(255,255,255,0.15)', color: '#fff', border: 'none', borderRadius: 3, cursor: 'pointer', fontSize: 13, padding: 0 };
