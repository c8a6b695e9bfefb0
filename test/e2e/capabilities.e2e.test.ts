import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Capability } from '../../preload/contract';
import { closePagesAfterEach } from '../helpers/browser';
import { MemoryVault } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';

// The UI gates features on the capabilities main derives from each account's adapter, not on
// platform ids: a Tencent IVC account (no alarm push, no target library, no image search, cloud
// plans rather than per-channel ones) hides what it cannot do and shows what it can.

let stack: Stack;
before(async () => {
  stack = await startStack({ ivc: { account: 'IVC' }, core: { vault: new MemoryVault() } });
});
closePagesAfterEach(() => stack?.browser);
after(() => stack?.stop());

async function openApp(): Promise<Page> {
  const context = await stack.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(stack.host.url);
  return page;
}

test('the accounts list carries what the account can do', async () => {
  const r = await stack.core.call('accounts:list', {});
  assert.ok(r.ok);
  const [account] = (r.result as { accounts: Array<{ capabilities: Capability[] }> }).accounts;
  for (const c of ['live', 'ptz', 'cloudPlans', 'deviceAdmin.move'] as const)
    assert.ok(account!.capabilities.includes(c), c);
  for (const c of ['alarms', 'targets', 'imageSearch', 'recordingPlans', 'deviceAdmin.rename'] as const)
    assert.ok(!account!.capabilities.includes(c), c);
});

test('an account without alarm push, target library or image search: those pages say none can', async () => {
  const page = await openApp();
  await page.getByRole('menuitem', { name: /Alarms|告警/ }).click();
  await page.getByTestId('alarms-unavailable').waitFor();
  await page.getByRole('menuitem', { name: /Target library|目标库/ }).click();
  await page.getByTestId('library-unavailable').waitFor();
  await page.getByRole('menuitem', { name: /Target search|目标检索/ }).click();
  await page.getByTestId('search-page').waitFor();
  assert.match(await page.getByTestId('search-page').innerText(), /needs an/);
  assert.equal(await page.getByTestId('search-scope').count(), 0);
});

test('an account with cloud plans gets the templates and plans editor; one with device admin gets Configure', async () => {
  const page = await openApp();
  await page.getByRole('menuitem', { name: /Recording plans|录像计划/ }).click();
  await page.getByTestId('plans-cloud-tab').waitFor();
  await page.getByRole('menuitem', { name: /Add devices|添加设备/ }).click();
  await page.getByRole('tab', { name: /Configure/ }).click();
  await page.getByTestId('configure-channel').waitFor();
});
