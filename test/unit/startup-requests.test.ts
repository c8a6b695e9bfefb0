import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { SavedView, VigilApi } from '../../preload/contract';

// A window's first requests (renderer/stores/startup.ts): all sent at once before the first
// render, the start-up view opened from the views' answer alone. Main is a stand-in `window.vigil`
// whose answers the test releases one by one.

interface Asked {
  channel: string;
  answer(result: unknown): void;
  refuse(error: unknown): void;
}
const asked: Asked[] = [];
const api = {
  host: 'web',
  invoke: (channel: string) =>
    new Promise((resolve, reject) => asked.push({ channel, answer: resolve, refuse: reject })),
  on: () => () => undefined,
} as unknown as VigilApi;
(globalThis as { window?: unknown }).window = { vigil: api };

const { requestStartup } = await import('../../renderer/stores/startup');
const { useWallStore } = await import('../../renderer/stores/wall/store');
const { useAccountsStore } = await import('../../renderer/stores/accounts/store');

const view: SavedView = {
  id: 'view_000000000001',
  name: 'Gate',
  layout: '4',
  panes: [
    { accountId: 'acc_a', channelId: 'c1', name: 'Gate 1' },
    { accountId: 'acc_b', channelId: 'c2', name: 'Gate 2' },
    null,
    null,
  ],
};
const flush = () => new Promise((r) => setImmediate(r));
const pending = (channel: string) => asked.filter((a) => a.channel === channel);

beforeEach(() => {
  asked.length = 0;
  useWallStore.setState({
    startupView: 'idle',
    activeViewId: null,
    views: [],
    startupViewId: null,
    layout: '4',
    panes: [null, null, null, null],
    error: null,
  });
});

test('every first request goes out at once, before any answer; the start-up view opens from the views alone', async () => {
  requestStartup();
  assert.deepEqual(asked.map((a) => a.channel).sort(), ['accounts:list', 'app:info', 'settings:get', 'views:list']);

  // The views answer first: the wall has its channels while the accounts are still being listed.
  pending('views:list')[0]!.answer({ views: [view], startupViewId: view.id });
  await flush();
  const wall = useWallStore.getState();
  assert.equal(wall.activeViewId, view.id);
  assert.deepEqual(
    wall.panes.map((p) => p?.channelId ?? null),
    ['c1', 'c2', null, null],
  );
  assert.equal(useAccountsStore.getState().loaded, false, 'the accounts have not answered yet');
  assert.equal(wall.startupView, 'done');
});

test('asked again (the wall shown again), the views are listed afresh and the wall is left as the operator made it', async () => {
  void useWallStore.getState().openStartupView();
  pending('views:list')[0]!.answer({ views: [view], startupViewId: view.id });
  await flush();
  useWallStore.getState().assign(0, { accountId: 'acc_c', channelId: 'c9', name: 'Yard' });

  const again = useWallStore.getState().openStartupView();
  assert.equal(pending('views:list').length, 2);
  pending('views:list')[1]!.answer({ views: [view], startupViewId: view.id });
  await again;
  assert.equal(useWallStore.getState().panes[0]?.channelId, 'c9');
});

test('a second ask while the first is under way sends nothing more', async () => {
  void useWallStore.getState().openStartupView();
  void useWallStore.getState().openStartupView();
  assert.equal(pending('views:list').length, 1);
  pending('views:list')[0]!.answer({ views: [view], startupViewId: view.id });
  await flush();
  assert.equal(useWallStore.getState().activeViewId, view.id);
});

test('panes filled before the views answer (a seat command, a channel opened) are not replaced by the start-up view', async () => {
  void useWallStore.getState().openStartupView();
  useWallStore.getState().assign(1, { accountId: 'acc_c', channelId: 'c9', name: 'Yard' });
  pending('views:list')[0]!.answer({ views: [view], startupViewId: view.id });
  await flush();
  assert.equal(useWallStore.getState().activeViewId, null);
  assert.equal(useWallStore.getState().panes[1]?.channelId, 'c9');
});

test('a failed first listing is kept as the error and tried again (with the start-up view) the next time', async () => {
  void useWallStore.getState().openStartupView();
  pending('views:list')[0]!.refuse({ code: 'NETWORK', message: 'Connection to Vigil was lost; try again' });
  await flush();
  assert.equal(useWallStore.getState().startupView, 'idle');
  assert.equal(useWallStore.getState().error?.code, 'NETWORK');

  void useWallStore.getState().openStartupView();
  pending('views:list')[1]!.answer({ views: [view], startupViewId: view.id });
  await flush();
  assert.equal(useWallStore.getState().activeViewId, view.id);
});
