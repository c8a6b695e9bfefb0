import type { MediaRelay } from '../media/relay';
import type { NetworkScope } from '../net/site-range';
import type { PlatformLiveSource, PlaybackSource } from '../platforms/platform';

/**
 * Every play URL reaches the renderer through main's relay: the renderer's CSP allows loopback
 * only, the relay fetches only URLs handed out here, and a header a source needs (a token) is
 * added by main and never reaches the renderer. `scope`: the account's network (the private
 * addresses its streams may lead to).
 */
export async function handOut<S extends PlatformLiveSource | PlaybackSource>(
  relay: MediaRelay,
  source: S,
  scope: NetworkScope,
): Promise<Omit<S, 'mediaHeaders'> & { relayed?: boolean }> {
  const { mediaHeaders, ...rest } = source;
  relay.issue(source.url, mediaHeaders, scope);
  return { ...rest, url: await relay.open(source.url, source.protocol), relayed: true };
}
