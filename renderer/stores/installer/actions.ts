import type { RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';

/**
 * One door per installer and device-admin operation (adding devices, NVR channels, bulk import,
 * a channel's streams, password and services, moving and deleting devices).
 */
export const gbSheet = (req: RequestOf<'installer:gbSheet'>) => invoke('installer:gbSheet', req);
export const addHolo = (req: RequestOf<'installer:addHolo'>) => invoke('installer:addHolo', req);
export const installerOptions = (req: RequestOf<'installer:options'>) => invoke('installer:options', req);
export const readSheet = (req: RequestOf<'installer:readSheet'>) => invoke('installer:readSheet', req);
export const startImport = (req: RequestOf<'installer:import'>) => invoke('installer:import', req);
export const importProgress = (req: RequestOf<'installer:importProgress'>) => invoke('installer:importProgress', req);
export const importResult = (req: RequestOf<'installer:importResult'>) => invoke('installer:importResult', req);
export const refreshChannels = (req: RequestOf<'installer:refreshChannels'>) =>
  invoke('installer:refreshChannels', req);
export const deviceStatus = (req: RequestOf<'installer:status'>) => invoke('installer:status', req);
