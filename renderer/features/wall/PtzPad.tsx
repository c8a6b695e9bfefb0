import { useEffect, useRef } from 'react';
import type { PtzCommand } from '../../../preload/contract';
import { invoke } from '../../ipc';

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

export function PtzPad({ accountId, channelId, onError }: { accountId: string; channelId: string; onError(message: string): void }) {
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
    <div style={wrap} data-testid="ptz-pad">
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 24px)', gap: 2 }}>{pad.map(([c, l], i) => (c ? button(c, l) : <span key={i} />))}</div>
      <div style={{ display: 'flex', gap: 2, marginTop: 4 }}>
        {button('zoomin', '+')}
        {button('zoomout', '−')}
      </div>
    </div>
  );
}

const wrap: React.CSSProperties = { position: 'absolute', right: 6, bottom: 22, background: 'rgba(0,0,0,0.45)', padding: 4, borderRadius: 4, zIndex: 2 };
const btn: React.CSSProperties = { width: 24, height: 24, background: 'rgba(255,255,255,0.15)', color: '#fff', border: 'none', borderRadius: 3, cursor: 'pointer', fontSize: 13, padding: 0 };
