import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startWebHost, type WebHost } from '../../main/host/web';
import type { Core } from '../../main/core';
import type { Capability } from '../../preload/contract';
import { IvcEmulator } from '../emulators/tencent-ivc/emulator';
import { ivcAccount } from '../helpers/accounts';
import { closePagesAfterEach, launchChromium } from '../helpers/browser';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';

// The UI gates features on the capabilities main derives from each account's adapter, not on
// platform ids: a Tencent IVC account (no alarm push, no target library, no image search, cloud
// plans rather than per-channel ones) hides what it cannot do and shows what it can.

let ivc: IvcEmulator;
let core: Core;
let host: WebHost;
let browser: Browser;
before(async () => {
  ivc = await new IvcEmulator().start();
  ({ core } = makeCore({ vault: new MemoryVault() }));
  await addAccount(core, 'IVC', ivcAccount(ivc));
  host = await startWebHost({ core, port: 0 });
  browser = await launchChromium();
});
closePagesAfterEach(() => browser);
after(async () => {
  await browser?.close();
  await host?.close();
  await ivc?.stop();
});

async function openApp(): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(host.url);
  return page;
}

test('the accounts list carries what the account can do', async () => {
  const r = await core.call('accounts:list', {});
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
