/**
 * A stand-in for the preload bridge (`window.vigil`) in unit tests of renderer stores: each channel
 * answers through a handler the test sets, every request is recorded, and a handler that throws an
 * ErrorShape-like object reaches the store as main's error would. Also the few window members the
 * stores use (`open`, `location`).
 */
export interface Call {
  channel: string;
  request: unknown;
}

export interface FakeBridge {
  calls: Call[];
  /** URLs `window.open` was asked for. */
  opened: string[];
  answer(channel: string, handler: (request: never) => unknown): void;
  /** Calls of one channel, their requests in order. */
  requests(channel: string): unknown[];
}

/** main's failure as it crosses the bridge. */
export const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

export function installFakeBridge(): FakeBridge {
  const handlers = new Map<string, (request: never) => unknown>();
  const bridge: FakeBridge = {
    calls: [],
    opened: [],
    answer: (channel, handler) => void handlers.set(channel, handler),
    requests: (channel) => bridge.calls.filter((c) => c.channel === channel).map((c) => c.request),
  };
  const vigil = {
    async invoke(channel: string, request: unknown) {
      bridge.calls.push({ channel, request });
      const handler = handlers.get(channel);
      if (!handler) throw failure('NOT_AVAILABLE', `no answer for ${channel} in this test`);
      return handler(request as never);
    },
    on: () => () => undefined,
  };
  (globalThis as { window?: unknown }).window = {
    vigil,
    location: { href: 'http://127.0.0.1:1/index.html#/wall' },
    open: (url: string) => void bridge.opened.push(url),
  };
  return bridge;
}

/** A promise and the functions that settle it, for answers the test releases when it wants. */
export function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
