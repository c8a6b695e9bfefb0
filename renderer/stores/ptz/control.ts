import { create } from 'zustand';
import type { PtzCommand, ResponseOf } from '../../../preload/contract';
import { invoke, type VigilError } from '../../ipc';
import { useAlarmsStore } from '../alarms/store';

/** A camera the pad, the wall's keyboard or a gamepad steers. */
export interface ChannelKey {
  accountId: string;
  channelId: string;
}

export const channelOf = (k: ChannelKey) => `${k.accountId}|${k.channelId}`;
/** Only the key crosses (a pane's content carries more, and the contract takes no extra fields). */
export const only = (k: ChannelKey): ChannelKey => ({ accountId: k.accountId, channelId: k.channelId });

/** One camera as the pad shows it: its presets, and the last request of the pad that failed. */
export interface PadChannel {
  /** null until read, and where the platform has no presets */
  presets: ResponseOf<'presets:list'> | null;
  loading: boolean;
  /** the last failure (platform code and message included), cleared by the next request */
  error: VigilError | null;
}

export const EMPTY_PAD: PadChannel = { presets: null, loading: false, error: null };

/**
 * Steering cameras from the wall: the PTZ pad, the wall's keyboard and gamepads move cameras, give
 * the control lock back and use presets through these intents, which also tell the control room
 * this seat steers (once per change). Each intent resolves with its failure, also kept on the
 * channel, so a screen can say it where the operator is looking; none rejects.
 */
export interface PtzControlState {
  channels: Record<string, PadChannel>;
  /** Moves a camera (or stops it); main takes the platform's control lock with the first command. */
  move(k: ChannelKey, command: PtzCommand, speed: number): Promise<VigilError | null>;
  /** Gives the control lock back (the pad closed or moved to another channel). */
  release(k: ChannelKey): Promise<VigilError | null>;
  /** Reads the camera's presets; a platform without any answers NOT_AVAILABLE, kept as no list. */
  loadPresets(k: ChannelKey): Promise<VigilError | null>;
  /** Stores the camera's position under `name`; the answer is the camera's new list. */
  savePreset(k: ChannelKey, name: string): Promise<VigilError | null>;
  goToPreset(k: ChannelKey, index: number): Promise<VigilError | null>;
}

export const usePtzControlStore = create<PtzControlState>()((set) => {
  const patch = (k: ChannelKey, p: Partial<PadChannel>) =>
    set((s) => {
      const key = channelOf(k);
      return { channels: { ...s.channels, [key]: { ...(s.channels[key] ?? EMPTY_PAD), ...p } } };
    });
  /** Runs one request for a camera: its failure is kept on the channel and resolved with. */
  const request = async <T>(k: ChannelKey, work: () => Promise<T>, done?: (result: T) => void) => {
    try {
      const result = await work();
      patch(k, { error: null });
      done?.(result);
      return null;
    } catch (e) {
      patch(k, { error: e as VigilError });
      return e as VigilError;
    }
  };
  return {
    channels: {},
    move(k, command, speed) {
      if (command !== 'stop') useAlarmsStore.getState().steer(k.accountId, k.channelId, true);
      return request(k, () => invoke('ptz:command', { ...only(k), command, speed }));
    },
    release(k) {
      useAlarmsStore.getState().steer(k.accountId, k.channelId, false);
      return request(k, () => invoke('ptz:release', only(k)));
    },
    async loadPresets(k) {
      patch(k, { loading: true });
      const failed = await request(
        k,
        () => invoke('presets:list', only(k)),
        (presets) => patch(k, { presets }),
      );
      patch(k, { loading: false });
      return failed;
    },
    savePreset: (k, name) =>
      request(
        k,
        () => invoke('presets:save', { ...only(k), name }),
        (presets) => patch(k, { presets }),
      ),
    goToPreset: (k, index) => request(k, () => invoke('presets:goto', { ...only(k), index })),
  };
});
