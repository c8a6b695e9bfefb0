import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  HlsConfig,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderContext,
  LoaderStats,
  PlaylistLoaderContext,
} from 'hls.js';
import { listedAt, liveEdge, markBlocking, serverBlocks } from '../../common/m3u8';
import {
  edgePlaylistLoader,
  nextAsk,
  splitDirectives,
  type LoaderClass,
} from '../../renderer/media/engines/hls-edge-loader';

const playlist = (first: number, count: number, o: { target?: string; extinf?: string; extra?: string } = {}) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    `#EXT-X-TARGETDURATION:${o.target ?? '1'}`,
    ...(o.extra ? [o.extra] : []),
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    ...Array.from({ length: count }, (_, i) => [`#EXTINF:${o.extinf ?? '1.000000'},`, `index${first + i}.ts`]).flat(),
    '',
  ].join('\n');

test('live edge: last sequence, its duration and the target; nothing for VOD or ended playlists', () => {
  assert.deepEqual(liveEdge(playlist(1795370390, 6, { extinf: '0.960000' })), {
    sequence: 1795370395,
    durationS: 0.96,
    targetS: 1,
    uri: 'index1795370395.ts',
  });
  assert.deepEqual(liveEdge(playlist(0, 1).replace('#EXT-X-MEDIA-SEQUENCE:0\n', '')), {
    sequence: 0,
    durationS: 1,
    targetS: 1,
    uri: 'index0.ts',
  });
  assert.equal(liveEdge(`${playlist(3, 2)}#EXT-X-ENDLIST\n`), null);
  assert.equal(liveEdge(playlist(3, 2, { extra: '#EXT-X-PLAYLIST-TYPE:VOD' })), null);
  assert.equal(liveEdge('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nsub.m3u8\n'), null);
  assert.equal(liveEdge('<html>502</html>'), null);
});

test('blocking marks: added once after the target duration; an origin that blocks is recognised', () => {
  const marked = markBlocking(playlist(5, 2));
  assert.match(marked, /#EXT-X-TARGETDURATION:1\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n#EXT-X-MEDIA-SEQUENCE:5/);
  assert.equal(serverBlocks(marked), true);
  assert.equal(serverBlocks(playlist(5, 2)), false);
  assert.equal(serverBlocks(playlist(5, 2, { extra: '#EXT-X-SERVER-CONTROL:HOLD-BACK=3,CAN-BLOCK-RELOAD=YES' })), true);
});

test('directives: _HLS_msn read and removed; the origin keeps its own query (signed URLs)', () => {
  assert.deepEqual(splitDirectives('https://cdn.example/live/a.m3u8?token=x%2By&_HLS_msn=42&_HLS_part=0'), {
    msn: 42,
    originUrl: 'https://cdn.example/live/a.m3u8?token=x%2By',
  });
  assert.deepEqual(splitDirectives('http://127.0.0.1:8/live/c/index.m3u8'), {
    msn: null,
    originUrl: 'http://127.0.0.1:8/live/c/index.m3u8',
  });
  assert.deepEqual(splitDirectives('/live/c/index.m3u8?_HLS_msn=7'), { msn: 7, originUrl: '/live/c/index.m3u8' });
  assert.equal(splitDirectives('/x.m3u8?_HLS_msn=abc').msn, null);
});

test('next ask: shortly before the segment is due, then every tenth of a target, never past three targets', () => {
  const base = { startedAt: 0, lastSeenAt: 0, lastDurationS: 1, targetS: 1 };
  assert.equal(nextAsk({ ...base, now: 10, retry: false }), 890, 'due at 1000 ms, asked 100 ms early');
  assert.equal(nextAsk({ ...base, now: 2000, retry: false }), 0, 'overdue: ask at once');
  assert.equal(nextAsk({ ...base, now: 2000, retry: true }), 100, 'overdue again: every 100 ms');
  assert.equal(nextAsk({ ...base, now: 3000, retry: true }), null, 'three target durations: answer with what there is');
  assert.equal(
    nextAsk({ ...base, targetS: 6, lastDurationS: 6, now: 0, retry: false }),
    5500,
    'six-second segments: asked 0.5 s early',
  );
  assert.equal(
    nextAsk({ ...base, targetS: 60, lastDurationS: 6, now: 6000, retry: true }),
    500,
    'polling capped at 0.5 s',
  );
});

test('listedAt: a segment seen late does not make the next ask late', () => {
  // listed every 1000 ms at 50 ms past the second; seen 100, 500 (a busy moment), 120 ms after
  const seen = [
    { sequence: 10, seenAt: 10_150 },
    { sequence: 11, seenAt: 11_550 },
  ];
  assert.equal(listedAt(seen, 11, 1), 11_150, 'the late sighting is read as listed on the usual phase');
  assert.equal(listedAt([...seen, { sequence: 12, seenAt: 12_120 }], 12, 1), 12_120, 'an earlier phase wins');
  assert.equal(listedAt([{ sequence: 5, seenAt: 900 }], 5, 2), 900);
});

/** A scripted origin: its live playlist grows one 0.3-s segment every 300 ms until stalled. */
function origin(o: { blocks?: boolean; fail?: boolean } = {}) {
  let delayListing: number | undefined;
  const started = performance.now();
  let stalledAt = Infinity;
  const urls: string[] = [];
  /** when each origin request went out */
  const times: number[] = [];
  const sequence = () => 100 + Math.floor((Math.min(performance.now(), stalledAt) - started) / 300);
  const text = () =>
    playlist(sequence() - 2, 3, {
      target: '0.5',
      extinf: '0.300000',
      extra: o.blocks ? '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES' : undefined,
    });
  class Scripted {
    context: LoaderContext | null = null;
    stats = { loading: { start: 0, first: 0, end: 0 } } as unknown as LoaderStats;
    private timer: ReturnType<typeof setTimeout> | undefined;
    load(context: LoaderContext, _config: LoaderConfiguration, callbacks: LoaderCallbacks<LoaderContext>): void {
      urls.push(context.url);
      times.push(performance.now());
      // slowAt(n): the first answer that lists segment n is slow (a busy moment)
      const slow = delayListing !== undefined && sequence() === delayListing ? 250 : 0;
      if (slow) delayListing = undefined;
      this.timer = setTimeout(() => {
        if (o.fail) return callbacks.onError({ code: 502, text: 'Bad Gateway' }, context, null, this.stats);
        callbacks.onSuccess({ url: context.url, data: text(), code: 200 }, this.stats, context, null);
      }, 5 + slow);
    }
    abort(): void {
      clearTimeout(this.timer);
    }
    destroy(): void {
      clearTimeout(this.timer);
    }
  }
  return {
    Loader: Scripted as unknown as LoaderClass,
    urls,
    times,
    sequence,
    listedAt: (seq: number) => started + (seq - 100) * 300,
    slowAt: (seq: number) => (delayListing = seq),
    stall: () => (stalledAt = performance.now()),
  };
}

type Answer = { text?: string; url?: string; error?: number; at: number };
function ask(
  Loader: ReturnType<typeof edgePlaylistLoader>,
  url: string,
): { answer: Promise<Answer>; loader: InstanceType<ReturnType<typeof edgePlaylistLoader>> } {
  const loader = new Loader({} as HlsConfig);
  const answer = new Promise<Answer>((resolve) => {
    const context = {
      url,
      type: 'level',
      responseType: 'text',
      level: 0,
      id: 0,
      deliveryDirectives: null,
      levelOrTrack: null,
    } as unknown as PlaylistLoaderContext;
    loader.load(context, {} as LoaderConfiguration, {
      onSuccess: (r, _s, ctx) => resolve({ text: String(r.data), url: ctx.url, at: performance.now() }),
      onError: (e, ctx) => resolve({ error: e.code, url: ctx.url, at: performance.now() }),
      onTimeout: () => resolve({ error: -1, at: performance.now() }),
    });
  });
  return { answer, loader };
}

const url = 'http://127.0.0.1:9/live/c01_sub/index.m3u8?token=t';

test('blocking reload: a request for the next segment is answered once the origin lists it, after a few plain GETs', async () => {
  const o = origin();
  const Loader = edgePlaylistLoader(o.Loader);
  const first = await ask(Loader, url).answer;
  assert.match(first.text!, /CAN-BLOCK-RELOAD=YES/, 'hls.js is told it may ask with _HLS_msn');
  const next = liveEdge(first.text!)!.sequence + 1;
  const before = o.urls.length;
  const { answer } = ask(Loader, `${url}&_HLS_msn=${next}`);
  const got = await answer;
  assert.ok(liveEdge(got.text!)!.sequence >= next, 'answered with the playlist that lists it');
  assert.equal(got.url, `${url}&_HLS_msn=${next}`, 'hls.js gets its own context back');
  const asked = o.urls.slice(before);
  assert.ok(
    asked.every((u) => u === url),
    `origin asked without directives: ${asked.join(' ')}`,
  );
  assert.ok(asked.length >= 1 && asked.length <= 5, `${asked.length} origin requests for one segment`);
});

test('a segment seen late does not make the next ask late', async () => {
  const o = origin();
  const Loader = edgePlaylistLoader(o.Loader);
  let seq = liveEdge((await ask(Loader, url).answer).text!)!.sequence;
  for (let i = 0; i < 3; i++) seq = liveEdge((await ask(Loader, `${url}&_HLS_msn=${seq + 1}`).answer).text!)!.sequence;
  o.slowAt(seq + 1); // its sighting comes 250 ms late
  seq = liveEdge((await ask(Loader, `${url}&_HLS_msn=${seq + 1}`).answer).text!)!.sequence;
  const before = o.times.length;
  await ask(Loader, `${url}&_HLS_msn=${seq + 1}`).answer;
  const firstAsk = o.times[before]! - o.listedAt(seq + 1);
  // anchored on the late sighting it would go out ~0.2 s after the segment is listed
  assert.ok(firstAsk < 100, `first ask ${Math.round(firstAsk)} ms after the segment was listed`);
});

test('lagMs holds a next-segment ask back (key-frame panes), not the first load', async () => {
  const o = origin();
  const plain = edgePlaylistLoader(o.Loader);
  const lagged = edgePlaylistLoader(o.Loader, () => 500);
  const seqOf = async (L: ReturnType<typeof edgePlaylistLoader>) =>
    liveEdge((await ask(L, url).answer).text!)!.sequence;
  const firstAskAfter = async (L: ReturnType<typeof edgePlaylistLoader>, seq: number) => {
    const t0 = performance.now();
    const before = o.times.length;
    await ask(L, `${url}&_HLS_msn=${seq + 1}`).answer;
    return o.times[before]! - t0;
  };
  const t0 = performance.now();
  const s1 = await seqOf(lagged);
  assert.ok(performance.now() - t0 < 100, 'the first load is not held back');
  const lag = await firstAskAfter(lagged, s1);
  const noLag = await firstAskAfter(plain, await seqOf(plain));
  assert.ok(lag >= 500, `lagged pane asked after ${Math.round(lag)} ms`);
  assert.ok(noLag < 350, `full-rate pane asked after ${Math.round(noLag)} ms`);
});

test('blocking reload: an origin that stops growing is answered unchanged after three target durations', async () => {
  const o = origin();
  const Loader = edgePlaylistLoader(o.Loader);
  const first = await ask(Loader, url).answer;
  o.stall();
  const next = liveEdge(first.text!)!.sequence + 2;
  const t0 = performance.now();
  const got = await ask(Loader, `${url}&_HLS_msn=${next}`).answer;
  assert.ok(liveEdge(got.text!)!.sequence < next);
  assert.ok(
    got.at - t0 >= 1400 && got.at - t0 < 2500,
    `answered after ${Math.round(got.at - t0)} ms (three 0.5-s targets)`,
  );
});

test('an origin that blocks itself gets hls.js’s request untouched; errors reach hls.js with its context', async () => {
  const blocking = origin({ blocks: true });
  const Loader = edgePlaylistLoader(blocking.Loader);
  await ask(Loader, url).answer;
  const directed = `${url}&_HLS_msn=101`;
  const got = await ask(Loader, directed).answer;
  assert.equal(blocking.urls.at(-1), directed);
  assert.equal(got.text!.match(/CAN-BLOCK-RELOAD/g)?.length, 1, 'not marked twice');

  const failing = origin({ fail: true });
  const err = await ask(edgePlaylistLoader(failing.Loader), `${url}&_HLS_msn=5`).answer;
  assert.equal(err.error, 502);
  assert.equal(err.url, `${url}&_HLS_msn=5`);
});

test('an aborted wait answers nothing and asks the origin no more', async () => {
  const o = origin();
  const Loader = edgePlaylistLoader(o.Loader);
  const first = await ask(Loader, url).answer;
  o.stall();
  let answered = false;
  const { answer, loader } = ask(Loader, `${url}&_HLS_msn=${liveEdge(first.text!)!.sequence + 1}`);
  void answer.then(() => (answered = true));
  await new Promise((r) => setTimeout(r, 200));
  loader.abort();
  const count = o.urls.length;
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(answered, false);
  assert.equal(o.urls.length, count);
});

test('VOD playlists pass through unmarked', async () => {
  const vod = `${playlist(0, 3)}#EXT-X-ENDLIST\n`;
  class Vod {
    context = null;
    stats = { loading: { start: 0, first: 0, end: 0 } } as unknown as LoaderStats;
    load(context: LoaderContext, _c: LoaderConfiguration, callbacks: LoaderCallbacks<LoaderContext>): void {
      setTimeout(() => callbacks.onSuccess({ url: context.url, data: vod }, this.stats, context, null), 1);
    }
    abort(): void {}
    destroy(): void {}
  }
  const got = await ask(edgePlaylistLoader(Vod as unknown as LoaderClass), url).answer;
  assert.equal(got.text, vod);
});
