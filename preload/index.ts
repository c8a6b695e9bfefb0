import { contextBridge, ipcRenderer } from 'electron';
import { channelNames, eventNames } from './contract/names';
import type { Envelope, VigilApi } from './contract';
import { withFirstAnswers } from './first-answers';

/**
 * Electron preload (sandboxed): exposes `window.vigil` and nothing else. Only channels and
 * events named in the contract pass; main validates every payload again.
 */
const allowedChannels = new Set<string>(channelNames);
const allowedEvents = new Set<string>(eventNames);

const api: VigilApi = {
  host: 'electron',
  async invoke(channel, request) {
    if (!allowedChannels.has(channel)) throw { code: 'BAD_REQUEST', message: `Unknown channel ${channel}` };
    const envelope = (await ipcRenderer.invoke(channel, request)) as Envelope<never>;
    if (envelope.ok) return envelope.result;
    throw envelope.error;
  },
  on(event, listener) {
    if (!allowedEvents.has(event)) throw { code: 'BAD_REQUEST', message: `Unknown event ${event}` };
    const wrapped = (_e: unknown, payload: unknown) => (listener as (p: unknown) => void)(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
};

contextBridge.exposeInMainWorld('vigil', withFirstAnswers(api));
