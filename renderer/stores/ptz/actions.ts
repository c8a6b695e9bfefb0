import type { PtzCommand, RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';

/**
 * One door per PTZ operation: the pad on the wall, the wall's keyboard and the PTZ editor all
 * move cameras and use presets and cruise tracks through these.
 */
export interface ChannelKey {
  accountId: string;
  channelId: string;
}

/** Only the key crosses (a pane's content carries more, and the contract takes no extra fields). */
const only = (k: ChannelKey): ChannelKey => ({ accountId: k.accountId, channelId: k.channelId });

export const ptzCommand = (k: ChannelKey, command: PtzCommand, speed: number) =>
  invoke('ptz:command', { ...only(k), command, speed });
/** Gives the control lock back (the pad closed or moved to another channel). */
export const ptzRelease = (k: ChannelKey) => invoke('ptz:release', only(k));

export const listPresets = (k: ChannelKey) => invoke('presets:list', only(k));
export const savePreset = (k: ChannelKey, name: string, index?: number) =>
  invoke('presets:save', { ...only(k), name, ...(index !== undefined ? { index } : {}) });
export const renamePreset = (k: ChannelKey, index: number, name: string) =>
  invoke('presets:rename', { ...only(k), index, name });
export const removePreset = (k: ChannelKey, index: number) => invoke('presets:remove', { ...only(k), index });
export const goToPreset = (k: ChannelKey, index: number) => invoke('presets:goto', { ...only(k), index });

export const listCruise = (k: ChannelKey) => invoke('cruise:list', only(k));
export const saveCruise = (k: ChannelKey, track: Omit<RequestOf<'cruise:save'>, keyof ChannelKey>) =>
  invoke('cruise:save', { ...only(k), ...track });
export const removeCruise = (k: ChannelKey, id: number) => invoke('cruise:remove', { ...only(k), id });
export const runCruise = (k: ChannelKey, id: number, on: boolean) => invoke('cruise:run', { ...only(k), id, on });
export const copyCruise = (k: ChannelKey, id: number, toChannelId: string, skipMissing?: boolean) =>
  invoke('cruise:copy', { ...only(k), id, toChannelId, ...(skipMissing ? { skipMissing } : {}) });
