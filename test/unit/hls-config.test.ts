import assert from 'node:assert/strict';
import { test } from 'node:test';
import Hls, { type HlsConfig, type LoaderCallbacks, type LoaderContext, type LoaderStats } from 'hls.js';
import { hlsConfig } from '../../renderer/media/engines/hls-player';

// The relay rewrites playlists so every address in them is one of its own; a content-steering
// manifest (JSON) passes it as it came and names other hosts (any loopback port is in the page's
// connect-src), and an interstitial's X-ASSET-LIST is not rewritten at all: both are off in
// every engine a pane makes, so hls.js loads only what the playlists name.

const multivariant = [
  '#EXTM3U',
  '#EXT-X-CONTENT-STEERING:SERVER-URI="http://127.0.0.1:9/steer.json",PATHWAY-ID="a"',
  '#EXT-X-STREAM-INF:BANDWIDTH=1000,PATHWAY-ID="a"',
  'media.m3u8',
  '',
].join('\n');
const media = ['#EXTM3U', '#EXT-X-TARGETDURATION:2', '#EXTINF:2,', 'seg0.ts', '#EXT-X-ENDLIST', ''].join('\n');
const steering = JSON.stringify({ VERSION: 1, TTL: 300, 'PATHWAY-PRIORITY': ['b'] });

/** The addresses an engine with `config` asks for, given a steered multivariant playlist, in 300 ms. */
async function asked(config: Partial<HlsConfig>): Promise<string[]> {
  const urls: string[] = [];
  const stats = (): LoaderStats => ({
    aborted: false,
    loaded: 0,
    retry: 0,
    total: 0,
    chunkCount: 0,
    bwEstimate: 0,
    loading: { start: 0, first: 0, end: 0 },
    parsing: { start: 0, end: 0 },
    buffering: { start: 0, first: 0, end: 0 },
  });
  class Recorder {
    context: LoaderContext | null = null;
    stats = stats();
    load(context: LoaderContext, _c: unknown, callbacks: LoaderCallbacks<LoaderContext>) {
      this.context = context;
      urls.push(context.url);
      const path = new URL(context.url).pathname;
      const data = { '/master.m3u8': multivariant, '/media.m3u8': media, '/steer.json': steering }[path];
      setTimeout(() =>
        data === undefined
          ? callbacks.onError({ code: 404, text: 'not found' }, context, null, this.stats)
          : callbacks.onSuccess({ url: context.url, data }, this.stats, context, null),
      );
    }
    abort() {}
    destroy() {}
  }
  const hls = new Hls({ ...config, loader: Recorder as unknown as HlsConfig['loader'] });
  hls.loadSource('http://127.0.0.1:8/master.m3u8');
  await new Promise((r) => setTimeout(r, 300));
  hls.destroy();
  return urls;
}

test('no pane engine fetches a content-steering manifest; interstitials are off', async (t) => {
  // hls.js resolves the source against the page's address.
  const g = globalThis as { self?: unknown; location?: unknown };
  const had = { self: g.self, location: g.location };
  g.self ??= globalThis;
  g.location ??= { href: 'http://127.0.0.1/' };
  t.after(() => Object.assign(g, had));
  for (const live of [true, false]) {
    const config = hlsConfig(live);
    const urls = await asked(config);
    assert.ok(urls.includes('http://127.0.0.1:8/media.m3u8'), `live ${live}: it played: ${urls.join(' ')}`);
    assert.deepEqual(
      urls.filter((u) => u.includes('steer')),
      [],
      `live ${live}: no steering manifest`,
    );
    const engine = new Hls(config);
    assert.equal(engine.config.contentSteeringController, undefined, `live ${live}`);
    assert.equal(engine.config.interstitialsController, undefined, `live ${live}`);
    engine.destroy();
  }
  // The check checks: hls.js's defaults do fetch it.
  assert.ok((await asked({})).some((u) => u.includes('/steer.json')));
});
