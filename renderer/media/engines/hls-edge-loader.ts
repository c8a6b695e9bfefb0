import Hls, {
  type HlsConfig,
  type Loader,
  type LoaderCallbacks,
  type LoaderConfiguration,
  type LoaderContext,
  type LoaderResponse,
  type LoaderStats,
  type NullableNetworkDetails,
  type PlaylistLoaderContext,
} from 'hls.js';
import { listedAt, liveEdge, markBlocking, serverBlocks, SEEN_HISTORY } from '../../../common/m3u8';

/**
 * Blocking playlist reload for live HLS servers that do not offer it.
 *
 * hls.js reloads a plain live playlist once per target duration on a fixed cadence, whose phase
 * against the encoder's is arbitrary: a new 1-s segment is noticed 0–1 s after it is listed, and
 * every pane carries that delay for the whole shift. LL-HLS servers solve this with blocking
 * reload (`_HLS_msn`: the server answers once segment msn exists), which hls.js already drives.
 * ffmpeg and most cloud origins don't offer it, so this loader does the server's half in the
 * client: it marks a live playlist `CAN-BLOCK-RELOAD`, and when hls.js asks for segment msn it
 * re-asks the origin — first shortly before the segment is due (the last one's arrival plus its
 * duration), then every tenth of a target duration — and answers with the first playlist that
 * lists it. Cost: about two or three small GETs per segment instead of one. A server that does
 * block (it says CAN-BLOCK-RELOAD itself) gets hls.js's own requests untouched.
 */

/** The `_HLS_msn` hls.js asks for, and the URL the origin gets (without the LL-HLS directives). */
export function splitDirectives(url: string): { msn: number | null; originUrl: string } {
  const u = new URL(url, 'http://relative.invalid');
  const msn = u.searchParams.get('_HLS_msn');
  for (const k of ['_HLS_msn', '_HLS_part', '_HLS_skip']) u.searchParams.delete(k);
  const originUrl = u.origin === 'http://relative.invalid' ? u.pathname + u.search + u.hash : u.toString();
  return { msn: msn !== null && /^\d+$/.test(msn) ? Number(msn) : null, originUrl };
}

/**
 * When to ask the origin next while waiting for a segment: shortly before it is due, then every
 * tenth of a target duration (50–500 ms); give up after three target durations and answer with
 * what there is (hls.js then asks again).
 */
export function nextAsk(o: {
  now: number;
  startedAt: number;
  lastSeenAt: number;
  lastDurationS: number;
  targetS: number;
  retry: boolean;
}): number | null {
  const target = Math.min(Math.max(o.targetS, 0.5), 10) * 1000;
  const poll = Math.min(Math.max(target / 10, 50), 500);
  if (o.now - o.startedAt >= 3 * target) return null;
  const due = o.lastSeenAt + o.lastDurationS * 1000 - poll;
  return Math.max(due - o.now, o.retry ? poll : 0);
}

type PlaylistLoader = Loader<PlaylistLoaderContext>;
export type LoaderClass = new (config: HlsConfig) => Loader<LoaderContext>;

/**
 * A pLoader class for one player; it remembers when that player's playlist last grew. `Base`
 * does the HTTP (hls.js's own XHR loader; tests pass a scripted one). `lagMs` (asked at each
 * request for a next segment) holds that first ask back: a pane on key-frame refresh needs no
 * segment the instant it exists, and every camera's segment is cut at about the same instant, so
 * such panes wait a little (each its own lag) instead of loading, transmuxing, seeking and
 * decoding in the very moments the full-rate panes fetch theirs.
 */
export function edgePlaylistLoader(
  Base: LoaderClass = Hls.DefaultConfig.loader as unknown as LoaderClass,
  lagMs: () => number = () => 0,
): new (config: HlsConfig) => PlaylistLoader {
  let last: { sequence: number; seenAt: number; durationS: number; targetS: number } | null = null;
  let seen: Array<{ sequence: number; seenAt: number }> = [];
  let originBlocks = false;

  return class EdgePlaylistLoader implements PlaylistLoader {
    context: PlaylistLoaderContext | null = null;
    stats: LoaderStats;
    private inner: Loader<LoaderContext>;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private done = false;

    constructor(private readonly config: HlsConfig) {
      this.inner = new Base(config);
      this.stats = this.inner.stats;
    }

    load(
      context: PlaylistLoaderContext,
      loaderConfig: LoaderConfiguration,
      callbacks: LoaderCallbacks<PlaylistLoaderContext>,
    ): void {
      this.context = context;
      this.done = false;
      if (originBlocks)
        return this.fetch(context, loaderConfig, callbacks, (response, networkDetails) =>
          callbacks.onSuccess(response, this.stats, context, networkDetails),
        );
      const { msn, originUrl } = splitDirectives(context.url);
      const startedAt = performance.now();
      const ask = () =>
        this.fetch({ ...context, url: originUrl }, loaderConfig, callbacks, (response, networkDetails) => {
          const text = typeof response.data === 'string' ? response.data : '';
          if (serverBlocks(text)) originBlocks = true;
          const edge = originBlocks ? null : liveEdge(text);
          const now = performance.now();
          if (edge && (!last || edge.sequence !== last.sequence)) {
            if (last && edge.sequence < last.sequence) seen = []; // the origin restarted its numbering
            seen = [...seen, { sequence: edge.sequence, seenAt: now }].slice(-SEEN_HISTORY);
            last = { ...edge, seenAt: listedAt(seen, edge.sequence, edge.durationS) };
          }
          if (edge && last && msn !== null && edge.sequence < msn) {
            const wait = nextAsk({
              now,
              startedAt,
              lastSeenAt: last.seenAt,
              lastDurationS: last.durationS,
              targetS: edge.targetS,
              retry: true,
            });
            if (wait !== null) {
              this.timer = setTimeout(ask, wait);
              return;
            }
          }
          const data = edge ? markBlocking(text) : text;
          callbacks.onSuccess({ ...response, url: context.url, data }, this.stats, context, networkDetails);
        });
      // hls.js asks for the next segment right after the last one arrived: wait until it is due.
      const first =
        msn !== null && last
          ? (nextAsk({
              now: startedAt,
              startedAt,
              lastSeenAt: last.seenAt,
              lastDurationS: last.durationS,
              targetS: last.targetS,
              retry: false,
            }) ?? 0) + Math.max(0, lagMs())
          : 0;
      if (first) this.timer = setTimeout(ask, first);
      else ask();
    }

    /** One request to the origin; errors, timeouts and aborts go straight to hls.js. */
    private fetch(
      context: PlaylistLoaderContext,
      loaderConfig: LoaderConfiguration,
      callbacks: LoaderCallbacks<PlaylistLoaderContext>,
      onSuccess: (response: LoaderResponse, networkDetails: NullableNetworkDetails) => void,
    ): void {
      if (this.done) return;
      this.inner.destroy();
      const loader = new Base(this.config);
      this.inner = loader;
      this.stats = loader.stats;
      const original = this.context ?? context;
      loader.load(context, loaderConfig, {
        onSuccess: (response, _stats, _ctx, networkDetails) => !this.done && onSuccess(response, networkDetails),
        onError: (error, _ctx, networkDetails, stats) =>
          !this.done && callbacks.onError(error, original, networkDetails, stats),
        onTimeout: (stats, _ctx, networkDetails) => !this.done && callbacks.onTimeout(stats, original, networkDetails),
        onAbort: (stats, _ctx, networkDetails) => callbacks.onAbort?.(stats, original, networkDetails),
      });
    }

    getCacheAge(): number | null {
      return this.inner.getCacheAge?.() ?? null;
    }

    getResponseHeader(name: string): string | null {
      return this.inner.getResponseHeader?.(name) ?? null;
    }

    abort(): void {
      clearTimeout(this.timer);
      this.inner.abort();
      this.done = true;
    }

    destroy(): void {
      this.done = true;
      clearTimeout(this.timer);
      this.inner.destroy();
    }
  };
}
