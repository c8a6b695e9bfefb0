import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { closePagesAfterEach } from '../helpers/browser';
import { MemoryVault } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';

// The browser preload over the real socket: a request past the frame limit fails alone, with a
// clear message, and the calls beside it (and the connection) carry on.

let host: WebHost;
let browser: Browser;

let stack: Stack;
before(async () => {
  stack = await startStack({ core: { vault: new MemoryVault() } });
  ({ host, browser } = stack);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

test('an oversized request is refused alone; the others and the connection are unharmed', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(host.url);
  await page.waitForFunction(() => 'vigil' in window);
  const outcome = await page.evaluate(async () => {
    const vigil = (window as unknown as { vigil: { invoke(c: string, r: unknown): Promise<unknown> } }).vigil;
    const big = vigil.invoke('installer:readSheet', { data: 'A'.repeat(17 * 1024 * 1024) }).then(
      () => 'sent',
      (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
    );
    const small = vigil.invoke('app:info', {}).then(
      () => 'ok',
      (e: { code: string }) => e.code,
    );
    const after = await Promise.all([big, small]);
    const later = await vigil.invoke('app:info', {}).then(
      () => 'ok',
      (e: { code: string }) => e.code,
    );
    return [...after, later];
  });
  assert.match(outcome[0]!, /^VALIDATION: This request is 17\.0 MB, more than Vigil carries in one request \(16 MB\)/);
  assert.deepEqual(outcome.slice(1), ['ok', 'ok']);
});

test('a page script reaches loopback only: the CSP blocks any other address before a request leaves', async () => {
  // Every platform stream comes through main's relay, so connect-src is loopback only.
  const page = await (await browser.newContext()).newPage();
  await page.goto(host.url);
  await page.waitForFunction(() => 'vigil' in window);
  const outcome = await page.evaluate(async () => {
    const blocked: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => blocked.push(`${e.violatedDirective} ${e.blockedURI}`));
    // (no named functions in here: the test runner's transform would wrap them in a helper the page lacks)
    const [remote, secure, loopback] = await Promise.all(
      // A loopback port nobody listens on: allowed by the CSP, refused by the network.
      ['http://192.0.2.1/live/cam.flv', 'https://example.com/live/cam.m3u8', 'http://127.0.0.1:9/'].map((url) =>
        fetch(url).then(
          () => 'fetched',
          () => 'refused',
        ),
      ),
    );
    const socket = await new Promise<string>((resolve) => {
      try {
        const ws = new WebSocket('wss://example.com/live');
        ws.onerror = () => resolve('refused');
        ws.onopen = () => resolve('opened');
      } catch {
        resolve('refused');
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    return { remote, secure, socket, loopback, blocked };
  });
  assert.deepEqual([outcome.remote, outcome.secure, outcome.socket], ['refused', 'refused', 'refused']);
  assert.equal(outcome.blocked.length, 3, JSON.stringify(outcome.blocked));
  assert.ok(outcome.blocked.every((b) => b.startsWith('connect-src')));
  assert.ok(!outcome.blocked.some((b) => b.includes('127.0.0.1')), 'loopback is not blocked by the CSP');
});

test('outside developer mode the stream-test page is not offered (main relays no typed address then)', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(host.url);
  await page
    .getByRole('menuitem', { name: /Accounts|账号/ })
    .first()
    .waitFor();
  assert.equal(await page.getByRole('menuitem', { name: /Stream test|流测试/ }).count(), 0);
  await page.keyboard.press('Alt+9'); // the ninth page is Settings now, not the stream test
  assert.equal(await page.getByTestId('streamtest-page').count(), 0);
});
