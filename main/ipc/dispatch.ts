import { channels, type Channel, type Envelope } from '../../preload/contract';
import { AppError, toErrorShape, validationError } from '../errors';
import { log } from '../log';
import type { Handlers } from './handlers';

export type { Handlers } from './handlers';

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

/**
 * The boundary both hosts share: unknown channel or a request that does not match the contract
 * is refused before any service runs; the response is checked against the contract too, so a
 * bug in main cannot leak a field the renderer was never meant to see.
 */
export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
  let parsed: { channel: Channel; data: unknown };
  try {
    parsed = parseRequest(channel, payload);
  } catch (e) {
    // Whatever a hostile request does to the checks (a throwing getter, a cycle, a stack
    // overflow), it is the request's fault: BAD_REQUEST, never INTERNAL.
    return {
      ok: false,
      error:
        e instanceof AppError ? toErrorShape(e) : { code: 'BAD_REQUEST', message: 'The request could not be read' },
    };
  }
  return run(handlers, parsed.channel, parsed.data);
}

/** Deeper than any request of the contract: refused before zod walks it. */
const MAX_DEPTH = 32;

function parseRequest(channel: unknown, payload: unknown): { channel: Channel; data: unknown } {
  if (!isChannel(channel))
    throw new AppError(
      'BAD_REQUEST',
      `Unknown channel ${typeof channel === 'string' ? channel.slice(0, 64) : typeof channel}`,
    );
  if (tooDeep(payload, MAX_DEPTH))
    throw new AppError('BAD_REQUEST', `The request for ${channel} is nested more than ${MAX_DEPTH} levels deep`);
  const parsed = channels[channel].request.safeParse(payload ?? {});
  if (!parsed.success) throw validationError(parsed.error, `Invalid request for ${channel}`);
  return { channel, data: parsed.data };
}

/**
 * Iterative, so the check itself cannot overflow the stack. A cycle is too deep by nature; the
 * visit budget stops shared references from making the walk exponential.
 */
export function tooDeep(value: unknown, limit: number, budget = 1_000_000): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: [object, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth >= limit) return true;
    // Only objects are stacked, each charged as it is: a frame of a million empty arrays costs
    // the budget, not the memory of a million stack entries first.
    for (const child of Object.values(v)) {
      if (typeof child !== 'object' || child === null) continue;
      if (--budget < 0) return true;
      stack.push([child, depth + 1]);
    }
  }
  return false;
}

async function run(handlers: Handlers, channel: Channel, data: unknown): Promise<Envelope<unknown>> {
  try {
    const spec = channels[channel];
    const handler = handlers[channel] as (req: unknown) => Promise<unknown> | unknown;
    const result = await handler(data);
    const checked = spec.response.safeParse(result);
    if (!checked.success) {
      log.error(
        `response of ${channel} broke the contract`,
        checked.error.issues.map((i) => i.path.join('.')).join(', '),
      );
      throw new AppError('INTERNAL', `Vigil produced an invalid response for ${channel}`);
    }
    return { ok: true, result: checked.data };
  } catch (e) {
    return { ok: false, error: toErrorShape(e) };
  }
}
