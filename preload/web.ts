import type { EventName, VigilApi } from './contract';
import { MAX_FRAME_BYTES } from './contract/limits';
import { withFirstAnswers } from './first-answers';

/**
 * Browser-mode preload: the same `window.vigil` as preload/index.ts, carried over the browser
 * host's WebSocket (the token cookie authenticates it). Requests wait while the socket
 * reconnects; requests in flight when it drops fail with a NETWORK error (never silently).
 */
type Pending = { resolve: (v: never) => void; reject: (e: unknown) => void };

const pending = new Map<number, Pending>();
const listeners = new Map<string, Set<(payload: never) => void>>();
const queue: string[] = [];
let socket: WebSocket | null = null;
let nextId = 1;
let backoffMs = 500;

function connect(): void {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  socket = ws;
  ws.onopen = () => {
    backoffMs = 500;
    for (const frame of queue.splice(0)) ws.send(frame);
  };
  ws.onmessage = (e: MessageEvent<string>) => {
    let msg: { id?: number | null; ok?: boolean; result?: never; error?: unknown; event?: string; payload?: never };
    try {
      msg = JSON.parse(e.data) as typeof msg;
    } catch {
      return;
    }
    if (typeof msg.event === 'string') {
      for (const l of listeners.get(msg.event) ?? []) l(msg.payload as never);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result as never);
    else p.reject(msg.error);
  };
  ws.onclose = () => {
    socket = null;
    for (const [id, p] of pending) {
      p.reject({ code: 'NETWORK', message: 'Connection to Vigil was lost; try again' });
      pending.delete(id);
    }
    setTimeout(connect, backoffMs);
    backoffMs = Math.min(backoffMs * 2, 8000);
  };
}

const api: VigilApi = {
  host: 'web',
  invoke(channel, request) {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: never) => void, reject });
      const frame = JSON.stringify({ id, channel, payload: request });
      // The host closes a socket that sends a frame past its limit, failing every call in
      // flight: refuse this one alone instead.
      const bytes = frame.length > MAX_FRAME_BYTES / 4 ? new TextEncoder().encode(frame).length : frame.length;
      if (bytes > MAX_FRAME_BYTES) {
        pending.delete(id);
        reject({
          code: 'VALIDATION',
          message: `This request is ${(bytes / 1048576).toFixed(1)} MB, more than Vigil carries in one request (${MAX_FRAME_BYTES / 1048576} MB)`,
        });
        return;
      }
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(frame);
      else queue.push(frame);
    });
  },
  on(event: EventName, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  },
};

connect();
Object.defineProperty(window, 'vigil', {
  value: Object.freeze(withFirstAnswers(api)),
  writable: false,
  configurable: false,
});
