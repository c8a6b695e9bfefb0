import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BookmarkView } from '../../preload/contract';
import { useAppStore } from '../../renderer/stores/app/store';
import { useBookmarksStore } from '../../renderer/stores/bookmarks/store';
import { usePlaybackStore } from '../../renderer/stores/playback/store';
import { usePtzControlStore } from '../../renderer/stores/ptz/control';
import { useWallStore } from '../../renderer/stores/wall/store';
import { selectPadChannel } from '../../renderer/stores/ptz/selectors';
import { deferred, failure, installFakeBridge } from '../helpers/fake-bridge';

// The live store hands a pane's session its sources, so it imports the session (and its players):
// mpegts.js reads `self` and `navigator` when it loads, which Node lacks (`navigator` before 21).
const g = globalThis as Record<string, unknown>;
g.self ??= globalThis;
g.navigator ??= { userAgent: 'node' };
const { FinalSourceError } = await import('../../renderer/media/session/pane-session');
const { sourceFromUrl, useLiveStore } = await import('../../renderer/stores/live/store');

// The stores own the requests the wall, playback, stream test and bookmarks screens make: each
// intent keeps its loading and error state (or hands a pane's session what it needs to keep them)
// and never leaves a rejection for a component to catch.

const bridge = installFakeBridge();
const cam = { accountId: 'acc', channelId: 'ch1', name: 'Gate' };
const presets = (n: number) => ({
  presets: Array.from({ length: n }, (_, i) => ({ index: i + 1, name: `P${i + 1}` })),
  limits: { maxCount: 8, nameEditable: true },
});

test('PTZ pad: presets load with their loading state; a refusal is kept on the channel and resolved, never thrown', async () => {
  const answer = deferred<unknown>();
  bridge.answer('presets:list', () => answer.promise);
  const pad = () => selectPadChannel(cam)(usePtzControlStore.getState());
  const loading = usePtzControlStore.getState().loadPresets(cam);
  assert.equal(pad().loading, true);
  assert.equal(pad().presets, null);
  answer.resolve(presets(2));
  assert.equal(await loading, null);
  assert.deepEqual(pad(), { presets: presets(2), loading: false, error: null });
  // Only the key crosses: the pane's name is not the contract's.
  assert.deepEqual(bridge.requests('presets:list').at(-1), { accountId: 'acc', channelId: 'ch1' });

  bridge.answer('presets:save', () => presets(3));
  assert.equal(await usePtzControlStore.getState().savePreset(cam, 'Door'), null);
  assert.equal(pad().presets?.presets.length, 3, 'the answer is the camera’s new list');
  assert.deepEqual(bridge.requests('presets:save').at(-1), { accountId: 'acc', channelId: 'ch1', name: 'Door' });

  bridge.answer('presets:goto', () => {
    throw failure('PLATFORM', 'preset 9 does not exist');
  });
  const refused = await usePtzControlStore.getState().goToPreset(cam, 9);
  assert.equal(refused?.code, 'PLATFORM');
  assert.equal(pad().error?.message, 'preset 9 does not exist');
  assert.equal(pad().presets?.presets.length, 3, 'a refusal keeps the list shown');

  bridge.answer('ptz:command', () => ({}));
  assert.equal(await usePtzControlStore.getState().move(cam, 'left', 4), null);
  assert.equal(pad().error, null, 'the next request that works clears the failure');
  assert.deepEqual(bridge.requests('ptz:command').at(-1), {
    accountId: 'acc',
    channelId: 'ch1',
    command: 'left',
    speed: 4,
  });
});

test('PTZ pad: a platform without presets answers NOT_AVAILABLE, which leaves no list', async () => {
  const other = { accountId: 'acc', channelId: 'ch2' };
  bridge.answer('presets:list', () => {
    throw failure('NOT_AVAILABLE', 'this platform has no presets');
  });
  const e = await usePtzControlStore.getState().loadPresets(other);
  assert.equal(e?.code, 'NOT_AVAILABLE');
  const pad = selectPadChannel(other)(usePtzControlStore.getState());
  assert.equal(pad.presets, null);
  assert.equal(pad.loading, false);
  bridge.answer('ptz:release', () => {
    throw failure('INTERNAL', 'main went away');
  });
  assert.equal((await usePtzControlStore.getState().release(other))?.message, 'main went away');
});

test('live: a channel’s source becomes what a pane opens, with the stream in its identity', async () => {
  bridge.answer('live:source', () => ({
    protocol: 'flv',
    url: 'http://127.0.0.1:9/relay/t1',
    codec: 'h264',
    hasAudio: false,
    relayed: true,
    expiresAt: null,
  }));
  const s = await useLiveStore.getState().channelSource(cam, 'sub');
  assert.deepEqual(s, {
    protocol: 'flv',
    codec: 'h264',
    url: 'http://127.0.0.1:9/relay/t1',
    live: true,
    hasAudio: false,
    relayed: true,
    streamKey: 'acc|ch1|sub',
  });
  assert.deepEqual(bridge.requests('live:source').at(-1), { accountId: 'acc', channelId: 'ch1', stream: 'sub' });
});

test('live: a typed address is relayed when http(s), direct when ws; main’s refusal ends the tries, a dropped link does not', async () => {
  assert.deepEqual(sourceFromUrl(' http://127.0.0.1:8000/hls/rec/a.m3u8 '), {
    protocol: 'hls',
    url: 'http://127.0.0.1:8000/hls/rec/a.m3u8',
    live: false,
  });
  const ws = await useLiveStore.getState().typedSource('ws://127.0.0.1:8000/live/cam.flv');
  assert.equal(ws.url, 'ws://127.0.0.1:8000/live/cam.flv');
  assert.equal(ws.relayed, undefined);

  bridge.answer('media:relay', () => ({ url: 'http://127.0.0.1:9/relay/x' }));
  const http = await useLiveStore.getState().typedSource('http://127.0.0.1:8000/live/cam.flv');
  assert.deepEqual(http, {
    protocol: 'flv',
    url: 'http://127.0.0.1:9/relay/x',
    live: true,
    relayed: true,
    streamKey: 'http://127.0.0.1:8000/live/cam.flv',
  });

  bridge.answer('media:relay', () => {
    throw failure('NOT_AVAILABLE', 'developer mode only');
  });
  await assert.rejects(useLiveStore.getState().typedSource('http://127.0.0.1:8000/a.flv'), FinalSourceError);
  bridge.answer('media:relay', () => {
    throw failure('INTERNAL', 'connection lost');
  });
  await assert.rejects(useLiveStore.getState().typedSource('http://127.0.0.1:8000/a.flv'), (e: Error) => {
    assert.ok(!(e instanceof FinalSourceError), 'asked again by the pane');
    return /connection lost/.test(e.message);
  });
});

test('live: the relay rate is sent and never rejects (main gone is the pane’s watchdog’s business)', async () => {
  bridge.answer('media:rate', () => {
    throw failure('INTERNAL', 'gone');
  });
  useLiveStore.getState().relayRate('http://127.0.0.1:9/relay/x', 'key');
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(bridge.requests('media:rate').at(-1), { url: 'http://127.0.0.1:9/relay/x', rate: 'key' });
});

test('live: the camera snapshot dialog shows loading, then the picture or the platform’s words; a closed dialog’s answer is dropped', async () => {
  const first = deferred<unknown>();
  bridge.answer('live:snapshot', () => first.promise);
  const taking = useLiveStore.getState().takeCameraShot(cam);
  assert.deepEqual(useLiveStore.getState().cameraShot, { target: cam, shot: null, loading: true, error: null });
  first.resolve({ picture: 'data:image/jpeg;base64,AA==', takenAt: 1 });
  await taking;
  assert.equal(useLiveStore.getState().cameraShot?.shot?.takenAt, 1);
  assert.equal(useLiveStore.getState().cameraShot?.loading, false);

  bridge.answer('live:snapshot', () => {
    throw failure('NOT_AVAILABLE', 'this platform takes no snapshots');
  });
  await useLiveStore.getState().takeCameraShot(cam);
  assert.equal(useLiveStore.getState().cameraShot?.error, 'this platform takes no snapshots');
  assert.equal(useLiveStore.getState().cameraShot?.shot, null);

  const late = deferred<unknown>();
  bridge.answer('live:snapshot', () => late.promise);
  const closed = useLiveStore.getState().takeCameraShot(cam);
  useLiveStore.getState().closeCameraShot();
  late.resolve({ picture: 'data:image/jpeg;base64,AA==', takenAt: 2 });
  await closed;
  assert.equal(useLiveStore.getState().cameraShot, null);
});

test('playback: a device session’s pace resolves with why not; replay on the page opens it there', async () => {
  bridge.answer('playback:control', () => ({}));
  const req = { accountId: 'acc', channelId: 'ch1', session: 's1', action: 'pause' as const };
  assert.equal(await usePlaybackStore.getState().control(req), null);
  bridge.answer('playback:control', () => {
    throw failure('PLATFORM', 'session expired');
  });
  assert.equal(await usePlaybackStore.getState().control(req), 'session expired');

  bridge.answer('playback:recordings', () => ({ segments: [], capabilities: { listed: true } }));
  const at = Date.now() - 30_000;
  usePlaybackStore.getState().replayOnPage(cam, at);
  const s = usePlaybackStore.getState();
  assert.deepEqual(s.panes, [cam]);
  assert.equal(s.cursorMs, at);
  assert.equal(s.playing, true);
  assert.equal(useAppStore.getState().page, 'playback');
});

test('bookmarks: a bookmark opens in playback at its start with its range selected (a moment selects none)', () => {
  useAppStore.setState({ page: 'bookmarks' });
  const b = {
    id: 'b1',
    accountId: 'acc',
    channelId: 'ch1',
    cameraName: 'Gate',
    startMs: Date.now() - 3600_000,
    endMs: Date.now() - 3000_000,
  } as BookmarkView;
  useBookmarksStore.getState().openInPlayback(b);
  assert.deepEqual(usePlaybackStore.getState().panes, [cam]);
  assert.deepEqual(usePlaybackStore.getState().range, { startMs: b.startMs, endMs: b.endMs });
  assert.equal(useBookmarksStore.getState().opened, b);
  assert.equal(useAppStore.getState().page, 'playback');
  useBookmarksStore.getState().openInPlayback({ ...b, endMs: b.startMs });
  assert.equal(usePlaybackStore.getState().range, null);
});

test('app: a new window opens in main where the host can, else as a tab; a failure is kept and resolved', async () => {
  bridge.answer('app:openWindow', () => ({ opened: true }));
  assert.equal(await useAppStore.getState().openWindow(), null);
  assert.deepEqual(bridge.opened, []);
  bridge.answer('app:openWindow', () => ({ opened: false }));
  assert.equal(await useAppStore.getState().openWindow(), null);
  assert.deepEqual(bridge.opened, ['http://127.0.0.1:1/index.html']);
  bridge.answer('app:openWindow', () => {
    throw failure('INTERNAL', 'no display');
  });
  assert.equal((await useAppStore.getState().openWindow())?.message, 'no display');
  assert.equal(useAppStore.getState().windowError?.message, 'no display');
});

test('wall views: a change reads the list again; a refusal is kept and resolved, the change’s own failure only', async () => {
  const list = {
    views: [{ id: 'v1', name: 'Gate', layout: '4', panes: [cam, null, null, null] }],
    startupViewId: null,
  };
  bridge.answer('views:list', () => list);
  bridge.answer('views:save', () => list.views[0]);
  const reads = () => bridge.requests('views:list').length;
  const before = reads();
  assert.equal(await useWallStore.getState().saveView('Gate'), null);
  assert.equal(reads(), before + 1);
  assert.equal(useWallStore.getState().activeViewId, 'v1');
  assert.deepEqual(useWallStore.getState().views, list.views);

  bridge.answer('views:delete', () => {
    throw failure('NOT_FOUND', 'no such view');
  });
  assert.equal((await useWallStore.getState().deleteView('v9'))?.message, 'no such view');
  assert.equal(useWallStore.getState().error?.message, 'no such view');
  assert.equal(reads(), before + 1, 'nothing changed: no read');

  // Saved, but the list could not be read: the save stands (the dialog closes), the read's failure is kept.
  bridge.answer('views:list', () => {
    throw failure('INTERNAL', 'settings busy');
  });
  assert.equal(await useWallStore.getState().saveView('Gate', 'v1'), null);
  assert.equal(useWallStore.getState().error?.message, 'settings busy');
});

test('favourites: every answer is the whole list; a refusal keeps the list shown', async () => {
  const fav = [{ accountId: 'acc', channelId: 'ch1', name: 'Gate' }];
  bridge.answer('favourites:toggle', () => ({ favourites: fav }));
  assert.equal(await useWallStore.getState().toggleFavourite(cam), null);
  assert.deepEqual(useWallStore.getState().favourites, fav);
  bridge.answer('favourites:list', () => {
    throw failure('INTERNAL', 'main went away');
  });
  assert.equal((await useWallStore.getState().loadFavourites())?.message, 'main went away');
  assert.deepEqual(useWallStore.getState().favourites, fav);
  assert.equal(useWallStore.getState().favouritesError?.message, 'main went away');
});
