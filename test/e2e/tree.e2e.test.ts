import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { closePagesAfterEach } from '../helpers/browser';
import { startStack, type Stack } from '../helpers/stack';

// Issue 8: the device tree over 10 000 channels (a Tencent IVC account at --scale 10000): the
// search box finds channels anywhere in it, the list stays virtualized (a few dozen rows in the
// page whatever matches), and clearing the search brings the whole tree back. Speed is measured
// by `npm run bench -- tree`, not here.

let browser: Browser;
let host: WebHost;

let stack: Stack;
before(async () => {
  stack = await startStack({ ivc: { scale: 10_000, account: 'Big IVC' } });
  ({ host, browser } = stack);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

test('10 000 channels: the search finds channels anywhere, the list stays virtualized, clearing restores the tree', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(host.url);
  await page.getByTestId('wall-page').waitFor();
  await page.locator('[data-testid="node-account"]').first().waitFor({ timeout: 30_000 });
  const search = page.locator('[data-testid="device-tree"] input').first();
  const rows = page.locator('[data-testid="device-tree"] .ant-tree-treenode');
  const channels = page.locator('[data-testid="node-channel"]');

  await search.fill('Scale-9876');
  await channels.filter({ hasText: 'Scale-9876' }).first().waitFor();
  assert.deepEqual(
    (await channels.allTextContents()).map((x) => x.trim()),
    ['Scale-9876'],
    'one channel matches, nothing else',
  );

  // 111 channels match "Scale-99" (99, 990–999, 9900–9999): the page holds only what fits.
  await search.fill('Scale-99');
  await channels
    .filter({ hasText: /^\s*Scale-99$/ })
    .first()
    .waitFor();
  const rendered = await rows.count();
  assert.ok(rendered > 10 && rendered < 111, `${rendered} rows in the page for 111 matches`);
  // The last match is reachable by scrolling the list.
  await page
    .locator('[data-testid="device-tree"] .ant-tree-list-holder')
    .evaluate((el) => (el.scrollTop = el.scrollHeight));
  await channels.filter({ hasText: 'Scale-9999' }).first().waitFor();

  await search.fill('no-such-camera');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="node-channel"]').length === 0);
  await search.fill('');
  await page.locator('[data-testid="node-account"]').first().waitFor();
  assert.ok((await rows.count()) < 200, 'the unfiltered tree is virtualized too');
  await page.context().close();
});
