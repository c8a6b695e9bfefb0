import type { Channel, VigilApi } from './contract';
import { eventNames } from './contract/names';

/**
 * What the first screen shows (host info, preferences, accounts, saved views): asked for as the
 * window's preload runs, while the page's scripts still load, and handed to the first store that
 * asks with the same empty request. Asked for only when those scripts had run, the answers came
 * back behind the page's own first render (docs/startup.md).
 *
 * An answer is handed out once. Any event from main before it is taken (accounts or settings
 * changed, a notice) drops every early answer not yet taken, so a store never sees a state older
 * than the event it could have missed.
 */
export const FIRST_CHANNELS = ['app:info', 'settings:get', 'accounts:list', 'views:list'] as const satisfies Channel[];

export function withFirstAnswers(api: VigilApi): VigilApi {
  const early = new Map<Channel, Promise<unknown>>();
  for (const channel of FIRST_CHANNELS) {
    const answer = api.invoke(channel, {});
    // A failure reaches the store that takes the answer; until then it is not "unhandled".
    answer.catch(() => undefined);
    early.set(channel, answer);
  }
  const watching: Array<() => void> = [];
  const forgetAll = () => {
    early.clear();
    for (const stop of watching.splice(0)) stop();
  };
  for (const event of eventNames) watching.push(api.on(event, forgetAll));
  return {
    host: api.host,
    invoke(channel, request) {
      const answer = early.get(channel);
      if (answer && Object.keys(request as object).length === 0) {
        early.delete(channel);
        if (early.size === 0) forgetAll();
        return answer as never;
      }
      return api.invoke(channel, request);
    },
    on: (event, listener) => api.on(event, listener),
  };
}
