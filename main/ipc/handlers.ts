import type { z } from 'zod';
import { channels, type Channel, type ResponseOf } from '../../preload/contract';

/** One handler per channel, typed from the contract: parsed request in, response out. */
export type Handlers = {
  [C in Channel]: (request: z.infer<(typeof channels)[C]['request']>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

/** The channels one service answers: each service exports its slice, the core merges them. */
export type HandlerSlice = Partial<Handlers>;

/** Which slices claim each channel of the contract (and any name that is not one). */
export function handlerOwners(slices: Record<string, HandlerSlice>): Map<string, string[]> {
  const owners = new Map<string, string[]>(Object.keys(channels).map((c) => [c, []]));
  for (const [owner, slice] of Object.entries(slices))
    for (const channel of Object.keys(slice)) owners.set(channel, [...(owners.get(channel) ?? []), owner]);
  return owners;
}

/**
 * Merges the services' slices into the full table. Two services answering one channel, a channel
 * nobody answers or a slice naming a channel the contract does not have is a wiring bug: the core
 * refuses to start rather than answer the wrong service or "not implemented" at run time.
 */
export function mergeHandlers(slices: Record<string, HandlerSlice>): Handlers {
  const problems: string[] = [];
  for (const [channel, who] of handlerOwners(slices)) {
    if (!Object.hasOwn(channels, channel)) problems.push(`${channel} is not a contract channel (${who.join(', ')})`);
    else if (who.length === 0) problems.push(`${channel} has no handler`);
    else if (who.length > 1) problems.push(`${channel} is handled by ${who.join(' and ')}`);
  }
  if (problems.length) throw new Error(`IPC handlers do not match the contract: ${problems.join('; ')}`);
  return Object.assign({}, ...Object.values(slices)) as Handlers;
}
