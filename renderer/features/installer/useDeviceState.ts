import { useEffect } from 'react';
import { deviceKey, useDeviceWatchStore, type DeviceState, type WatchedDevice } from '../../stores/installer/devices';

export { GIVE_UP_MS } from '../../stores/installer/devices';
export type { DeviceState };
export const stateColour: Record<DeviceState, string> = {
  online: 'green',
  offline: 'default',
  unregistered: 'orange',
  unknown: 'default',
};

const NOT_YET: WatchedDevice = {
  state: 'unknown',
  channels: undefined,
  waited: 0,
  gaveUp: false,
  refreshing: false,
  problem: null,
  sheetProblem: null,
};

/** A new device's state while its card is shown: the card asks the device-watch store to follow it. */
export function useDeviceState(accountId: string, deviceId: string): WatchedDevice {
  const watch = useDeviceWatchStore((s) => s.watch);
  useEffect(() => watch(accountId, deviceId), [watch, accountId, deviceId]);
  return useDeviceWatchStore((s) => s.devices[deviceKey(accountId, deviceId)]) ?? NOT_YET;
}
