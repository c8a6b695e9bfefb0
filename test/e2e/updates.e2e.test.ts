import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { closePagesAfterEach } from '../helpers/browser';
import { MemoryVault } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';

// Settings → Updates on the browser host, in Debian Chromium: a refused feed says why and is not
// saved; a loopback feed is saved and "Check now" says, in words, that a newer version exists and
// that installing it needs the desktop app.

let stack: Stack;
let host: WebHost;
let browser: Browser;
let feed: http.Server;
let feedUrl: string;

before(async () => {
  const installer = Buffer.from('stand-in installer\n'.repeat(100));
  const sha512 = createHash('sha512').update(installer).digest('base64');
  feed = http.createServer((req, res) => {
    if (req.url?.startsWith('/vigil/latest-linux.yml'))
      res.end(
        `version: 0.2.0\nfiles:\n  - url: Vigil-0.2.0.AppImage\n    sha512: ${sha512}\npath: Vigil-0.2.0.AppImage\n`,
      );
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => feed.listen(0, '127.0.0.1', ok));
  feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/vigil/`;
  stack = await startStack({ core: { vault: new MemoryVault() } });
  ({ host, browser } = stack);
});
closePagesAfterEach(() => browser);
after(async () => {
  await stack?.stop();
  feed?.close();
});

test('Settings → Updates: a refused feed says why; a saved one is checked, and the answer is in words', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Settings|设置/ }).click();
  await page.getByTestId('settings-updates').waitFor();
  const status = page.getByTestId('updates-status');
  await status.waitFor();
  assert.equal(await status.getAttribute('data-state'), 'off');
  assert.ok(await page.getByTestId('updates-check').isDisabled(), 'nothing to check without a feed');

  await page.getByTestId('updates-feed').fill('http://updates.example.com/vigil/');
  await page.getByTestId('updates-save').click();
  await page.getByText(/The update feed must be an https:\/\/ address/).waitFor();
  assert.equal(stack.core.settings.get().updateFeedUrl, undefined, 'nothing saved');

  await page.getByTestId('updates-feed').fill(feedUrl);
  await page.getByTestId('updates-save').click();
  await page.locator('[data-testid="updates-status"][data-state="idle"]').waitFor();
  assert.equal(stack.core.settings.get().updateFeedUrl, feedUrl);
  assert.equal(await page.getByText(/must be an https/).count(), 0, 'the error is gone once saved');

  await page.getByTestId('updates-check').click();
  await page.locator('[data-testid="updates-status"][data-state="available"]').waitFor();
  assert.match(
    await status.innerText(),
    /Vigil 0\.2\.0 is available \(this is 0\.1\.0\); installing it needs the desktop app\./,
  );
  if (process.env.VIGIL_SCREENSHOT) await page.screenshot({ path: process.env.VIGIL_SCREENSHOT, fullPage: true });
});
