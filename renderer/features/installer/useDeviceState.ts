import { useEffect } from 'react';
import {
  deviceKey,
  fresh,
  useDeviceWatchStore,
  type DeviceState,
  type WatchedDevice,
} from '../../stores/installer/devices';

export { GIVE_UP_MS } from '../../stores/installer/devices';
export type { DeviceState };
export const stateColour: Record<DeviceState, string> = {
  online: 'green',
  offline: 'default',
  unregistered: 'orange',
  unknown: 'default',
};

const NOT_YET: WatchedDevice = fresh();

/** A new device's state while its card is shown: the card asks the device-watch store to follow it. */
export function useDeviceState(accountId: string, deviceId: string): WatchedDevice {
  const watch = useDeviceWatchStore((s) => s.watch);
  useEffect(() => watch(accountId, deviceId), [watch, accountId, deviceId]);
  return useDeviceWatchStore((s) => s.devices[deviceKey(accountId, deviceId)]) ?? NOT_YET;
}
