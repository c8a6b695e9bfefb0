import { useEffect, useState } from 'react';
import type { DeviceStatus } from '../../../preload/contract';
import { deviceStatus } from '../../stores/installer/actions';

export const POLL_MS = 2000;
export const GIVE_UP_MS = 120_000;
export type DeviceState = 'online' | 'offline' | 'unregistered' | 'unknown';
export const stateColour: Record<DeviceState, string> = {
  online: 'green',
  offline: 'default',
  unregistered: 'orange',
  unknown: 'default',
};

/**
 * A new device's state, polled every 2 s until it is online or two minutes have passed; a
 * failed poll is retried. `gaveUp` tells the wizard to list the likely causes.
 */
export function useDeviceState(
  accountId: string,
  deviceId: string,
): { state: DeviceState; waited: number; gaveUp: boolean; channels: DeviceStatus['channels'] } {
  const [state, setState] = useState<DeviceState>('unknown');
  const [channels, setChannels] = useState<DeviceStatus['channels']>();
  const [waited, setWaited] = useState(0);
  useEffect(() => {
    let stopped = false;
    const started = Date.now();
    const poll = async () => {
      if (stopped) return;
      try {
        const s = await deviceStatus({ accountId, deviceId });
        if (stopped) return;
        setState(s.state);
        setChannels(s.channels);
        if (s.state === 'online') return;
      } catch {
        // retried below; the wait still ends at GIVE_UP_MS
      }
      setWaited(Date.now() - started);
      if (Date.now() - started < GIVE_UP_MS) setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [accountId, deviceId]);
  return { state, waited, gaveUp: state !== 'online' && waited >= GIVE_UP_MS, channels };
}
