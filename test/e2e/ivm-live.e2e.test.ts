import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import type { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import type { MediaSimulator } from '../emulators/media/simulator';
import { closePagesAfterEach } from '../helpers/browser';
import { waitAllDecoding } from '../helpers/media';
import { startStack, type Stack } from '../helpers/stack';

// Huawei IVM live in the browser with the documented single-use play URLs (§9.1 use_times 0):
// every (re)connect asks for a new URL, so no URL is ever opened twice, and the panes play.

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

test('IVM channels play from single-use URLs; no URL is opened twice', async () => {
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
  const first = ivm.calls.filter((c) => c.path.startsWith('/media/live/'));
  assert.equal(first.length, 3, 'one connection per pane, with or without audio (the loader reads the metadata first)');
  // The media server goes away and comes back: every pane reconnects on a URL of its own.
  await sim.restartServer(500);
  await page.waitForTimeout(1000);
  await waitAllDecoding(page, [0, 1, 2], 30_000, 25);
  const media = ivm.calls.filter((c) => c.path.startsWith('/media/live/'));
  assert.ok(media.length >= 6, `${media.length} media requests: each pane asked for a new URL to reconnect`);
  assert.deepEqual(
    media.filter((c) => c.status === 403 || c.status === 404),
    [],
    'no spent, expired or unknown URL was opened',
  );
  const opened = media.map((c) => c.path);
  assert.equal(new Set(opened).size, opened.length, 'each URL opened once');
  await page.context().close();
});
