import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { platformMedia } from '../emulators/media/platform-media';
import { MediaSimulator } from '../emulators/media/simulator';
import { ivmAccount } from '../helpers/accounts';
import { closePagesAfterEach, launchChromium } from '../helpers/browser';
import { addAccount, makeCore } from '../helpers/core';
import { waitAllDecoding } from '../helpers/media';

// Huawei IVM live in the browser with the documented single-use play URLs (§9.1 use_times 0):
// every (re)connect asks for a new URL, so no URL is ever opened twice, and the panes play.

let sim: MediaSimulator;
let ivm: IvmEmulator;
let browser: Browser;
let host: WebHost;
let core: Core;

before(async () => {
  // One camera with an audio track, the others without (most cameras have none).
  sim = await MediaSimulator.start({
    channels: [
      { id: 'i1', name: 'IVM 1', audio: true },
      { id: 'i2', name: 'IVM 2' },
      { id: 'i3', name: 'IVM 3' },
    ],
    sharedSubEncoder: true,
  });
  ivm = await new IvmEmulator({ media: platformMedia(sim) }).start();
  ({ core } = makeCore());
  await addAccount(core, 'IVM', ivmAccount(ivm));
  host = await startWebHost({ core, port: 0 });
  browser = await launchChromium();
});
closePagesAfterEach(() => browser);
after(async () => {
  await browser?.close();
  await host?.close();
  await ivm?.stop();
  await sim?.stop();
  for (const a of core.settings.get().accounts) await core.accounts.remove(a.id).catch(() => undefined);
});

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
