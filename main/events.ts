import type { EventName, EventPayload } from '../preload/contract';

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Events from main to every connected window (Electron windows, browser tabs). */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) l(event, payload);
  }
}
