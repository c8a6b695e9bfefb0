import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startWebHost, type WebHost } from '../../main/host/web';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import type { VisEmulator } from '../emulators/huawei-vis/emulator';
import { ivmAccount } from '../helpers/accounts';
import { closePagesAfterEach } from '../helpers/browser';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';
import { startStack, type Stack } from '../helpers/stack';

// Issue 12 (health dashboard): the numbers on the page are the Huawei VIS emulator's own state,
// the platform's statistics lists show, and the CSV export carries them.

let vis: VisEmulator;
let browser: Browser;
let host: WebHost;

let stack: Stack;
before(async () => {
  stack = await startStack({ vis: {} });
  ({ host, browser } = stack);
  vis = stack.vis!;
});

closePagesAfterEach(() => browser);
after(() => stack?.stop());

test('device counts match the emulator, statistics lists show, a refresh sees a device go offline, CSV export', async () => {
  const page = await (
    await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })
  ).newPage();
  await page.goto(host.url);
  await page.getByRole('menuitem', { name: /Health|健康状况/ }).click();
  const devices = page.getByTestId('health-devices');
  await devices.waitFor();
  const expected = () => {
    const all = [...vis.devices.values()];
    return `${all.filter((d) => d.state === 'ONLINE').length}/ ${all.length}`;
  };
  const shown = async () =>
    ((await devices.locator('.ant-statistic-content').textContent()) ?? '')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(' /', '/');
  assert.equal(await shown(), expected());
  await page.getByTestId('health-list-vis.dropped').waitFor();
  assert.ok((await page.locator('[data-testid^="health-list-"]').count()) === 6);

  // One device drops: a refresh shows it.
  const online = [...vis.devices.values()].find((d) => d.state === 'ONLINE')!;
  online.state = 'OFFLINE';
  await page.getByTestId('health-refresh').click();
  await page.waitForFunction(
    (want) =>
      (document.querySelector('[data-testid="health-devices"] .ant-statistic-content')?.textContent ?? '')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(' /', '/') === want,
    expected(),
  );

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

test('issue 20: devices added through the installer (Huawei IVM root) — the group rows add up to the header, no device shown as a group', async (t) => {
  const ivm = await new IvmEmulator({ gbRegisterAfterMs: 50 }).start();
  const { core: ivmCore } = makeCore({ vault: new MemoryVault() });
  const accountId = await addAccount(ivmCore, 'IVM', ivmAccount(ivm));
  const ivmHost = await startWebHost({ core: ivmCore, port: 0 });
  t.after(async () => {
    await ivmHost.close();
    await ivm.stop();
  });
  // Three devices through the installer, as the user did: §6.7 puts them in the root organization.
  const added = ['34020000001320000981', '34020000001320000982', '34020000001180000983'];
  const r = await ivmCore.call('installer:addGb', {
    registration: 'installerIds',
    accountId,
    devices: added.map((deviceId, i) => ({
      deviceId,
      name: `新装 ${i + 1}`,
      password: 'Vigil-2026x',
      algorithm: 'SHA256',
    })),
  });
  assert.ok(r.ok, JSON.stringify(r));
  for (const end = Date.now() + 10_000; !added.every((id) => ivm.devices.get(id)?.device_state === 'ONLINE'); ) {
    assert.ok(Date.now() < end, 'the devices registered');
    await new Promise((res) => setTimeout(res, 50));
  }

  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(ivmHost.url);
  await page.getByRole('menuitem', { name: /Health|健康状况/ }).click();
  await page.getByTestId('health-devices').waitFor();
  const fraction = (text: string) => text.replace(/\s+/g, '').split('/').map(Number) as [number, number];
  const header = {
    devices: fraction((await page.getByTestId('health-devices').locator('.ant-statistic-content').textContent()) ?? ''),
    channels: fraction(
      (await page.getByTestId('health-channels').locator('.ant-statistic-content').textContent()) ?? '',
    ),
  };
  const rows = await page
    .getByTestId('health-groups')
    .locator('tbody tr.ant-table-row')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  const sum = (col: 1 | 2) =>
    rows.map((cells) => fraction(cells[col]!)).reduce((a, [on, all]) => [a[0] + on, a[1] + all], [0, 0]);
  const all = [...ivm.devices.values()];
  assert.deepEqual(
    header.devices,
    [all.filter((d) => d.device_state === 'ONLINE').length, all.length],
    'the header is the emulator',
  );
  assert.deepEqual(sum(1), header.devices, `device rows ${JSON.stringify(rows)} add up to the header`);
  assert.deepEqual(sum(2), header.channels, `channel rows ${JSON.stringify(rows)} add up to the header`);
  const names = rows.map((cells) => cells[0]);
  for (let i = 1; i <= added.length; i++) assert.ok(!names.includes(`新装 ${i}`), `device 新装 ${i} is not a group`);
  const root = rows.find((cells) => /no group|未分组|Top level|顶层/i.test(cells[0]!));
  assert.ok(root, `a row for devices in no group: ${JSON.stringify(rows)}`);
  assert.equal(fraction(root[1]!)[1], added.length);
  await page.context().close();
});
