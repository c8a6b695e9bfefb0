import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { WebHost } from '../../main/host/web';
import { closePagesAfterEach } from '../helpers/browser';
import { MemoryVault } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';

// A new install follows the browser's language (zh-CN for Chinese, English otherwise) until the
// operator picks one; the title bar's switch picks the other one in a click.

let host: WebHost;
let browser: Browser;

let stack: Stack;
before(async () => {
  stack = await startStack({ core: { vault: new MemoryVault() } });
  ({ host, browser } = stack);
});
closePagesAfterEach(() => browser);
after(() => stack?.stop());

async function open(locale: string) {
  const page = await (await browser.newContext({ locale })).newPage();
  await page.goto(host.url);
  await page.getByTestId('language-switch').waitFor();
  return page;
}

const navText = (page: Awaited<ReturnType<typeof open>>) => page.locator('.ant-layout-sider .ant-menu').innerText();

test('an English browser opens Vigil in English, a Chinese one in Chinese; a choice in the title bar sticks for both', async () => {
  const english = await open('en-US');
  assert.match(await navText(english), /Accounts/);
  assert.equal(await english.evaluate(() => document.documentElement.lang), 'en');
  const chinese = await open('zh-CN');
  assert.match(await navText(chinese), /账号/);
  await english.getByTestId('language-switch').click(); // English → 中文, now a choice of the operator's
  await english.locator('.ant-layout-sider .ant-menu').getByText('账号', { exact: true }).waitFor();
  const later = await open('en-US');
  assert.match(await navText(later), /账号/, 'the chosen language wins over the browser’s');
});
