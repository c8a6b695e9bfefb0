import { channels, type Channel, type Envelope, type ResponseOf } from '../../preload/contract';
import type { z } from 'zod';
import { AppError, toErrorShape, validationError } from '../errors';
import { log } from '../log';

/** One handler per channel, typed from the contract: parsed request in, response out. */
export type Handlers = {
  [C in Channel]: (request: z.infer<(typeof channels)[C]['request']>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

/**
 * The boundary both hosts share: unknown channel or a request that does not match the contract
 * is refused before any service runs; the response is checked against the contract too, so a
 * bug in main cannot leak a field the renderer was never meant to see.
 */
export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isChannel(channel)) throw new AppError('BAD_REQUEST', `Unknown channel ${String(channel).slice(0, 64)}`);
    const spec = channels[channel];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) throw validationError(parsed.error, `Invalid request for ${channel}`);
    const handler = handlers[channel] as (req: unknown) => Promise<unknown> | unknown;
    const result = await handler(parsed.data);
    const checked = spec.response.safeParse(result);
    if (!checked.success) {
      log.error(`response of ${channel} broke the contract`, checked.error.issues.map((i) => i.path.join('.')).join(', '));
      throw new AppError('INTERNAL', `Vigil produced an invalid response for ${channel}`);
    }
    return { ok: true, result: checked.data };
  } catch (e) {
    return { ok: false, error: toErrorShape(e) };
  }
}
