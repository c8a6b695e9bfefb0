import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import type { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import type { MediaSimulator } from '../emulators/media/simulator';
import { closePagesAfterEach, turnSoundOn } from '../helpers/browser';
import { paneFrames, paneStates, setPageHidden, waitAllDecoding } from '../helpers/media';
import { startStack, type Stack } from '../helpers/stack';

// Huawei IVM live in the browser: every (re)connect asks IVM for a new play URL (§9.1) while IVM
// answers, and reconnects on the channel's reusable one (use_times 1, its lease) while it cannot.

let sim: MediaSimulator;
let ivm: IvmEmulator;
let browser: Browser;
let host: WebHost;

let stack: Stack;
before(async () => {
  // One camera with an audio track, the others without (most cameras have none).
  stack = await startStack({
    media: {
      channels: [
        { id: 'i1', name: 'IVM 1', audio: true },
        { id: 'i2', name: 'IVM 2' },
        { id: 'i3', name: 'IVM 3' },
      ],
      sharedSubEncoder: true,
    },
    ivm: { media: true },
  });
  ({ host, browser } = stack);
  ({ sim, ivm } = stack as Required<Stack>);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

/** A wall of three IVM panes, the first (大门球机, the simulator's i1) with an audio track. */
async function threePanes(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByTestId('wall-page').waitFor();
  const search = page.locator('[data-testid="device-tree"] input').first();
  for (const [pane, name] of [
    [0, '大门球机'],
    [1, '大厅'],
    [2, '分公司前台'],
  ] as const) {
    await search.fill(name);
    const node = page.locator('[data-testid="node-channel"]').filter({ hasText: name }).first();
    await node.waitFor();
    await page.getByTestId(`wall-pane-${pane}`).click();
    await node.dblclick();
  }
  await waitAllDecoding(page, [0, 1, 2], 30_000);
  return page;
}

/** Live FLV URLs opened on IVM's media host. */
const flvOpens = () => ivm.mediaCalls.filter((c) => /^\/live\/[^/]+\.flv$/.test(c.path));
const liveUrls = () => ivm.calls.filter((c) => c.path.endsWith('/media/live-connections')).length;

test('IVM panes reconnect on new URLs while IVM answers, and on their leases while it fails', async () => {
  const since = flvOpens().length;
  const page = await threePanes();
  const token = (c: { query: Record<string, string> }) => c.query.token;
  const first = flvOpens().slice(since);
  assert.equal(first.length, 3, 'one connection per pane, with or without audio (the loader reads the metadata first)');
  // The media server goes away and comes back: every pane reconnects on a URL of its own.
  await sim.restartServer(500);
  await page.waitForTimeout(1000);
  await waitAllDecoding(page, [0, 1, 2], 30_000, 25);
  const media = flvOpens().slice(since);
  assert.ok(media.length >= 6, `${media.length} media requests: each pane asked for a new URL to reconnect`);
  assert.deepEqual(
    media.filter((c) => c.status === 403 || c.status === 404),
    [],
    'no spent, expired or unknown URL was opened',
  );
  assert.equal(new Set(media.map(token)).size, media.length, 'while IVM answers, each URL is opened once');
  // IVM's API fails and the media server restarts under the panes: they cannot get new URLs, and
  // play again on the ones they hold (before the leases they stayed black until IVM answered).
  const held = new Set(flvOpens().map(token));
  ivm.faults.fail5xx = 1e9;
  try {
    await sim.restartServer(500);
    await page.waitForTimeout(1000);
    await waitAllDecoding(page, [0, 1, 2], 30_000, 25);
    const reopened = flvOpens().filter((c) => c.status === 0 && !media.includes(c) && !first.includes(c));
    assert.ok(reopened.length >= 3, `${reopened.length} streams reopened while IVM failed`);
    assert.ok(
      reopened.every((c) => held.has(token(c))),
      'on URLs IVM had handed out before it failed',
    );
  } finally {
    ivm.faults.fail5xx = 0;
  }
  await page.context().close();
});

test('a window hidden a moment holds its silent panes without asking IVM for new play URLs; a pane with sound on plays on', async () => {
  const page = await threePanes();
  // Its sound is on once its video is unmuted: the pane is audible before the window hides (on a
  // loaded runner the hide once came first, and the pane was closed as unseen).
  await turnSoundOn(page, 0);
  const asked = liveUrls();
  await setPageHidden(page, true);
  await page.waitForFunction(
    () =>
      [1, 2].every((i) => document.querySelector(`[data-testid="pane-${i}"]`)?.getAttribute('data-state') === 'held'),
    undefined,
    { timeout: 3000 },
  );
  await page.waitForTimeout(1000); // what was buffered when the window hid (~0.3 s) plays out unseen
  const a = await paneFrames(page, 3);
  await page.waitForTimeout(3000);
  const b = await paneFrames(page, 3);
  assert.deepEqual(await paneStates(page, 3), ['playing', 'held', 'held']);
  assert.ok(b[0]! - a[0]! >= 25, `the pane someone listens to plays on: ${b[0]! - a[0]!} frames in 3 s`);
  assert.deepEqual([b[1], b[2]], [a[1], a[2]], 'the silent panes decode nothing');
  await setPageHidden(page, false);
  await waitAllDecoding(page, [0, 1, 2], 10_000, 3);
  assert.equal(liveUrls(), asked, 'back on the streams it held: no play URL asked for');
  await page.context().close();
});
