import { create } from 'zustand';
import type { DeviceStatus } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';

export const POLL_MS = 2000;
export const GIVE_UP_MS = 120_000;
const CHANNELS_POLL_MS = 1000;
const CHANNELS_GIVE_UP_MS = 60_000;

export type DeviceState = DeviceStatus['state'];

/** What the wizard shows of one device it has just added: its state and, for an NVR, its channels. */
export interface WatchedDevice {
  state: DeviceState;
  channels: DeviceStatus['channels'];
  /** ms since the watch began (drives "waiting N s") */
  waited: number;
  /** still not online when the wait ended: the wizard lists the usual causes */
  gaveUp: boolean;
  /** the NVR's channel catalogue is being read again */
  refreshing: boolean;
  /** why the last channel refresh failed: a catalogue key or the platform's words */
  problem: { key: string } | { text: string } | null;
  /** why the password sheet could not be opened */
  sheetProblem: string | null;
}

/**
 * Devices the installer has just added, watched until they come online: each card asks to watch
 * its device while it is shown and stops when it goes. Two cards of one device share a watch.
 * Also the per-device requests the cards make (an NVR's channel refresh, the one-time password sheet).
 */
export interface DeviceWatchState {
  devices: Record<string, WatchedDevice>;
  /** Starts polling `installer:status` every 2 s (for two minutes at most); call the returned function to stop. */
  watch(accountId: string, deviceId: string): () => void;
  /** Asks the platform to read an NVR's channels again, and follows the status until it answers. */
  refreshChannels(accountId: string, deviceId: string): Promise<void>;
  /**
   * Opens the page main serves once with a generated device password (it never passes through the
   * renderer); `gbDeviceId` is the 20-digit ID the sheet is for, a failure is kept on the watched device.
   */
  openSheet(accountId: string, deviceId: string, gbDeviceId: string): Promise<void>;
}

export const deviceKey = (accountId: string, deviceId: string) => `${accountId}/${deviceId}`;

/** A device asked about but not answered yet. */
export const fresh = (): WatchedDevice => ({
  state: 'unknown',
  channels: undefined,
  waited: 0,
  gaveUp: false,
  refreshing: false,
  problem: null,
  sheetProblem: null,
});

export const useDeviceWatchStore = create<DeviceWatchState>()((set, get) => {
  /** Live watches by device: how many cards ask, and the timer to clear when the last one stops. */
  const watches = new Map<string, { viewers: number; timer: ReturnType<typeof setTimeout> | null; done: boolean }>();
  const patch = (key: string, p: Partial<WatchedDevice>) =>
    set((s) => ({ devices: { ...s.devices, [key]: { ...(s.devices[key] ?? fresh()), ...p } } }));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  return {
    devices: {},
    watch(accountId, deviceId) {
      const key = deviceKey(accountId, deviceId);
      const existing = watches.get(key);
      if (existing) {
        existing.viewers++;
      } else {
        const w = { viewers: 1, timer: null as ReturnType<typeof setTimeout> | null, done: false };
        watches.set(key, w);
        if (!get().devices[key]) patch(key, {});
        const started = Date.now();
        const poll = async () => {
          w.timer = null;
          if (w.done) return;
          try {
            const s = await invoke('installer:status', { accountId, deviceId });
            if (w.done) return;
            patch(key, { state: s.state, channels: s.channels });
            if (s.state === 'online') return;
          } catch {
            // retried below; the wait still ends at GIVE_UP_MS
          }
          const waited = Date.now() - started;
          patch(key, { waited, gaveUp: waited >= GIVE_UP_MS && get().devices[key]?.state !== 'online' });
          if (waited < GIVE_UP_MS && !w.done) w.timer = setTimeout(() => void poll(), POLL_MS);
        };
        void poll();
      }
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        const w = watches.get(key);
        if (!w || --w.viewers > 0) return;
        w.done = true;
        if (w.timer) clearTimeout(w.timer);
        watches.delete(key);
      };
    },
    async refreshChannels(accountId, deviceId) {
      const key = deviceKey(accountId, deviceId);
      if (get().devices[key]?.refreshing) return;
      patch(key, { refreshing: true, problem: null });
      try {
        let s = await invoke('installer:refreshChannels', { accountId, deviceId });
        const started = Date.now();
        while (s.channels?.query === 'querying' && Date.now() - started < CHANNELS_GIVE_UP_MS) {
          patch(key, { channels: s.channels });
          await sleep(CHANNELS_POLL_MS);
          s = await invoke('installer:status', { accountId, deviceId });
        }
        patch(key, {
          ...(s.channels ? { channels: s.channels } : {}),
          refreshing: false,
          problem: s.channels?.query === 'idle' ? { key: 'installer.refreshFailed' } : null,
        });
      } catch (e) {
        patch(key, { refreshing: false, problem: { text: (e as VigilError).message } });
      }
    },
    async openSheet(accountId, deviceId, gbDeviceId) {
      const key = deviceKey(accountId, deviceId);
      patch(key, { sheetProblem: null });
      try {
        const { url } = await invoke('installer:gbSheet', { accountId, deviceId: gbDeviceId });
        window.open(url, '_blank', 'noopener');
      } catch (e) {
        patch(key, { sheetProblem: (e as VigilError).message });
      }
    },
  };
});
