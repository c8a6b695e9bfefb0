import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Core } from '../../main/core';
import { startWebHost, type WebHost } from '../../main/host/web';
import { VisEmulator } from '../emulators/huawei-vis/emulator';
import { visAccount } from '../helpers/accounts';
import { closePagesAfterEach, launchChromium } from '../helpers/browser';
import { addAccount, makeCore } from '../helpers/core';

// Issue 12 (health dashboard): the numbers on the page are the Huawei VIS emulator's own state,
// the platform's statistics lists show, and the CSV export carries them.

let vis: VisEmulator;
let browser: Browser;
let host: WebHost;
let core: Core;

before(async () => {
  vis = await new VisEmulator().start();
  ({ core } = makeCore());
  await addAccount(core, 'VIS', visAccount(vis));
  host = await startWebHost({ core, port: 0 });
  browser = await launchChromium();
});

closePagesAfterEach(() => browser);
after(async () => {
  await browser?.close();
  await host?.close();
  await vis?.stop();
  for (const a of core.settings.get().accounts) await core.accounts.remove(a.id).catch(() => undefined);
});

test('device counts match the emulator, statistics lists show, a refresh sees a device go offline, CSV export', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Health|健康状况/ }).click();
  const devices = page.getByTestId('health-devices');
  await devices.waitFor();
  const expected = () => {
    const all = [...vis.devices.values()];
    return `${all.filter((d) => d.state === 'ONLINE').length}/ ${all.length}`;
  };
  const shown = async () => ((await devices.locator('.ant-statistic-content').textContent()) ?? '').replace(/\s+/g, ' ').trim().replace(' /', '/');
  assert.equal(await shown(), expected());
  await page.getByTestId('health-list-vis.dropped').waitFor();
  assert.ok((await page.locator('[data-testid^="health-list-"]').count()) === 6);

  // One device drops: a refresh shows it.
  const online = [...vis.devices.values()].find((d) => d.state === 'ONLINE')!;
  online.state = 'OFFLINE';
  await page.getByTestId('health-refresh').click();
  await page.waitForFunction((want) => (document.querySelector('[data-testid="health-devices"] .ant-statistic-content')?.textContent ?? '').replace(/\s+/g, ' ').trim().replace(' /', '/') === want, expected());

  const download = page.waitForEvent('download');
  await page.getByTestId('health-export').click();
  const csv = fs.readFileSync((await (await download).path())!, 'utf8');
  assert.match(csv, /^\uFEFF?section,name,devices,devices_online/);
  const total = csv.split(/\r?\n/).find((l) => l.startsWith('total,'))!;
  const all = [...vis.devices.values()];
  assert.equal(total.split(',')[2], String(all.length));
  assert.equal(total.split(',')[3], String(all.filter((d) => d.state === 'ONLINE').length));
  await page.context().close();
});
