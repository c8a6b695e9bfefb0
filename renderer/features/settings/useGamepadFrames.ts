import { useEffect, useState } from 'react';

/** One connected device as the Settings page shows it: what the Gamepad API reports now. */
export interface PadFrame {
  id: string;
  /** `standard` when the browser recognises the W3C layout, else ''. */
  mapping: string;
  axes: number[];
  buttons: Array<{ pressed: boolean; value: number }>;
}

/** Fast enough to follow a stick by eye, slow enough not to re-render a form at the display's rate. */
const FRAME_MS = 50;

const snapshot = (): PadFrame[] => {
  if (typeof navigator.getGamepads !== 'function') return [];
  const out: PadFrame[] = [];
  for (const pad of navigator.getGamepads()) {
    if (!pad?.connected) continue;
    out.push({
      id: pad.id,
      mapping: pad.mapping,
      axes: pad.axes.map((a) => Math.round(a * 100) / 100),
      buttons: pad.buttons.map((b) => ({ pressed: b.pressed, value: Math.round(b.value * 100) / 100 })),
    });
  }
  return out;
};

/**
 * The connected joysticks and gamepads, read live while the page that calls it is shown: a timer
 * started on mount and stopped on unmount; state changes only when a reading does (a device at
 * rest re-renders nothing). Browsers list a device only after one of its buttons was pressed.
 */
export function useGamepadFrames(): PadFrame[] {
  const [frames, setFrames] = useState<PadFrame[]>(snapshot);
  useEffect(() => {
    let last = ''; // the first tick brings the state up to date
    const timer = setInterval(() => {
      const now = snapshot();
      const text = JSON.stringify(now);
      if (text === last) return;
      last = text;
      setFrames(now);
    }, FRAME_MS);
    return () => clearInterval(timer);
  }, []);
  return frames;
}
