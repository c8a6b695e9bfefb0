import type {
  Channel,
  ErrorShape,
  EventName,
  EventPayload,
  RequestOf,
  ResponseOf,
  VigilApi,
} from '../../preload/contract';

/**
 * The renderer's only door to main. Stores call these; components never touch `window.vigil`.
 */
declare global {
  interface Window {
    readonly vigil: VigilApi;
  }
}

export class VigilError extends Error {
  readonly code: ErrorShape['code'];
  readonly details: ErrorShape['details'];
  constructor(shape: ErrorShape) {
    super(shape.message);
    this.name = 'VigilError';
    this.code = shape.code;
    this.details = shape.details;
  }
}

function bridge(): VigilApi {
  if (!window.vigil)
    throw new VigilError({
      code: 'INTERNAL',
      message: 'Vigil bridge is missing: open Vigil from its app or the URL it printed',
    });
  return window.vigil;
}

export async function invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  try {
    return await bridge().invoke(channel, request);
  } catch (e) {
    if (e instanceof VigilError) throw e;
    const shape = e as Partial<ErrorShape>;
    throw new VigilError({
      code: shape.code ?? 'INTERNAL',
      message: shape.message ?? String(e),
      details: shape.details,
    });
  }
}

export function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge().on(event, listener);
}
